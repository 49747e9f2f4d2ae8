// The limits, in one place (docs/decisions/0402-sign-in-throttling.md).
import type { ThrottleRule } from '../../store/signin-throttle.ts';

const MIN = 60_000;

/** 5 wrong passwords for one User ID within 15 minutes lock it for 15 minutes. */
export const SIGNIN_USER: ThrottleRule = { max: 5, windowMs: 15 * MIN, lockMs: 15 * MIN };
/** 50 failures from one address within 15 minutes (many User IDs tried) lock the address. */
export const SIGNIN_ADDRESS: ThrottleRule = { max: 50, windowMs: 15 * MIN, lockMs: 15 * MIN };
/** Link requests from one address: 10 an hour. */
export const LINK_ADDRESS: ThrottleRule = { max: 10, windowMs: 60 * MIN, lockMs: 60 * MIN };
/** Links for one user: one every 5 minutes (cooldown), at most 5 a day. */
export const LINK_COOLDOWN_MS = 5 * MIN;
export const LINK_USER: ThrottleRule = { max: 5, windowMs: 24 * 60 * MIN, lockMs: 24 * 60 * MIN };

export const keys = {
  signinUser: (userId: string) => `signin-user:${userId}`,
  signinAddress: (ip: string) => `signin-ip:${ip}`,
  linkAddress: (ip: string) => `link-ip:${ip}`,
  linkUser: (userId: string) => `link-user:${userId}`,
};
