// The limits, in one place (docs/decisions/0402-sign-in-throttling.md).
import type { ThrottleRule } from '../../store/signin-throttle.ts';

const MIN = 60_000;

/** 5 wrong passwords for one User ID within 15 minutes lock it for 15 minutes. */
export const SIGNIN_USER: ThrottleRule = { max: 5, windowMs: 15 * MIN, lockMs: 15 * MIN };
/** 50 failures from one address within 15 minutes (many User IDs tried) lock the address. */
export const SIGNIN_ADDRESS: ThrottleRule = { max: 50, windowMs: 15 * MIN, lockMs: 15 * MIN };
/**
 * Re-authentication on My page (the current password to change the password or the email
 * address): 5 wrong within 15 minutes lock it for 15 minutes. A separate count from sign-in, so
 * someone holding a session cannot lock the owner out of signing in.
 */
export const REAUTH_USER: ThrottleRule = { max: 5, windowMs: 15 * MIN, lockMs: 15 * MIN };
/** Link requests from one address: 10 an hour. */
export const LINK_ADDRESS: ThrottleRule = { max: 10, windowMs: 60 * MIN, lockMs: 60 * MIN };
/** Links for one user: one every 5 minutes (cooldown), at most 5 a day. Both only refuse, never lock. */
export const LINK_COOLDOWN_MS = 5 * MIN;
export const LINK_COOLDOWN: ThrottleRule = { max: 1, windowMs: LINK_COOLDOWN_MS, lockMs: 0 };
export const LINK_USER: ThrottleRule = { max: 5, windowMs: 24 * 60 * MIN, lockMs: 0 };

export const keys = {
  signinUser: (userId: string) => `signin-user:${userId}`,
  signinAddress: (ip: string) => `signin-ip:${ip}`,
  reauthUser: (userId: string) => `reauth-user:${userId}`,
  linkAddress: (ip: string) => `link-ip:${ip}`,
  linkCooldown: (userId: string) => `link-cooldown:${userId}`,
  linkUser: (userId: string) => `link-user:${userId}`,
};
