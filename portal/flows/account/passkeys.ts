// Passkeys (WebAuthn): a second way to sign in once the card has registered the account
// (docs/decisions/1101-passkeys-second-way-to-sign-in.md). Added and removed on My page only
// after a fresh proof (a card sign-in or the password within FRESH_PROOF_MS); user verification
// required; discoverable credentials; the RP ID is PUBLIC_ORIGIN's host and the only accepted
// origin is PUBLIC_ORIGIN. Each challenge is bound to the browser session that asked for it,
// expires after CHALLENGE_MS and is taken out of the database when its answer arrives (once).
import { hasForbiddenCharacters } from '../../domain/normalize.ts';
import { formatUserId } from '../../domain/user-id.ts';
import type { AccountUser } from '../../store/accounts.ts';
import { findAccountUser } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import {
  deletePasskey,
  findPasskey,
  insertPasskey,
  listPasskeys,
  type Passkey,
  recordPasskeyUse,
  renamePasskey,
  saveChallenge,
  takeChallenge,
} from '../../store/passkeys.ts';

import type { AccountDeps } from './deps.ts';
import { queueAccountNotice } from './notices.ts';
import type { RequestInfo } from './password.ts';

/**
 * @simplewebauthn/server (with its CBOR and ASN.1 parsers), loaded when a passkey is first used
 * rather than at start: most instances serve registrations, and an idle portal need not hold it
 * (decision 1030).
 */
let webauthn: Promise<typeof import('@simplewebauthn/server')> | undefined;
const simpleWebAuthn = () => {
  webauthn ??= import('@simplewebauthn/server');
  return webauthn;
};

/** How long a challenge handed to the browser can be answered. */
export const CHALLENGE_MS = 5 * 60_000;
/** Adding or removing a passkey needs a card sign-in or the password within this time. */
export const FRESH_PROOF_MS = 5 * 60_000;
export const PASSKEY_NAME_MAX = 64;
/** More would be a list nobody keeps track of; the card stays the way back in. */
export const PASSKEYS_PER_USER_MAX = 10;
const RP_NAME = 'Residence Online';

/** The relying party: its ID is PUBLIC_ORIGIN's host, the one origin accepted is PUBLIC_ORIGIN. */
export function relyingParty(publicOrigin: string): { id: string; origin: string } {
  const url = new URL(publicOrigin);
  return { id: url.hostname, origin: url.origin };
}

/** Whether a proof of identity (card sign-in, password re-entry) given at `proofAt` still counts. */
export function isFreshProof(proofAt: string | undefined, now: Date): boolean {
  const at = proofAt ? Date.parse(proofAt) : Number.NaN;
  return now.getTime() - at <= FRESH_PROOF_MS && at <= now.getTime() + 5_000;
}

/** The user handle stored on the authenticator: the User ID's bytes (no personal data). */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}

/** A passkey's name as entered: trimmed; refused when empty, too long or with forbidden characters. */
export function passkeyName(raw: string): string | undefined {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '' || [...name].length > PASSKEY_NAME_MAX || hasForbiddenCharacters(name)) return undefined;
  return name;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The challenge the browser signed, read from clientDataJSON (verified again by the library). */
function challengeOf(response: unknown): string | undefined {
  if (!isObject(response) || !isObject(response.response)) return undefined;
  const cdj = response.response.clientDataJSON;
  if (typeof cdj !== 'string' || cdj.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cdj, 'base64url').toString('utf8')) as unknown;
    return isObject(parsed) && typeof parsed.challenge === 'string' ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

/** Why the library refused an answer, in the words the audit log and the tests use. */
function refusalOf(err: unknown): 'origin' | 'rpId' | 'invalid' {
  const message = err instanceof Error ? err.message : '';
  if (/response origin/.test(message)) return 'origin';
  if (/RP ID/.test(message)) return 'rpId';
  return 'invalid';
}

export async function registrationOptions(
  deps: AccountDeps,
  user: Pick<AccountUser, 'id' | 'userName'>,
  sessionId: string,
): Promise<Json> {
  const rp = relyingParty(deps.config.publicOrigin);
  const existing = await listPasskeys(deps.db, user.id);
  const options = await (await simpleWebAuthn()).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: formatUserId(user.id),
    userID: Buffer.from(user.id, 'utf8'),
    userDisplayName: user.userName,
    timeout: CHALLENGE_MS,
    attestationType: 'none',
    // The same authenticator twice would be one passkey under two names.
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'required',
    },
  });
  const now = deps.now();
  await saveChallenge(
    deps.db,
    {
      challenge: options.challenge,
      sessionId,
      purpose: 'register',
      userId: user.id,
      expiresAt: new Date(now.getTime() + CHALLENGE_MS),
    },
    now,
  );
  return options as unknown as Json;
}

export type AddRefusal =
  | 'challenge'
  | 'expired'
  | 'origin'
  | 'rpId'
  | 'invalid'
  | 'taken'
  | 'name'
  | 'tooMany';
export type AddResult = { ok: true; name: string } | { ok: false; reason: AddRefusal };

/** Verifies the browser's answer to registrationOptions and stores the passkey (notice by email). */
export async function addPasskey(
  deps: AccountDeps,
  userId: string,
  sessionId: string,
  input: { response: unknown; name: string },
  req: RequestInfo,
): Promise<AddResult> {
  const { db } = deps;
  const now = deps.now();
  const refuse = async (reason: AddRefusal): Promise<AddResult> => {
    await writeAudit(db, { event: 'passkey.add.refused', userId, ...req, detail: { reason } });
    return { ok: false, reason };
  };
  const name = passkeyName(input.name);
  if (!name) return { ok: false, reason: 'name' };
  const challenge = challengeOf(input.response);
  const taken = challenge
    ? await takeChallenge(db, { challenge, sessionId, purpose: 'register' })
    : undefined;
  if (!challenge || !taken || taken.userId !== userId) return refuse('challenge');
  if (taken.expiresAt.getTime() <= now.getTime()) return refuse('expired');
  const rp = relyingParty(deps.config.publicOrigin);
  const { verifyRegistrationResponse } = await simpleWebAuthn();
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo'];
  try {
    const verified = await verifyRegistrationResponse({
      // biome-ignore lint/suspicious/noExplicitAny: the library checks the shape itself.
      response: input.response as any,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    info = verified.registrationInfo;
  } catch (err) {
    return refuse(refusalOf(err));
  }
  if (!info) return refuse('invalid');
  const credential = info.credential;
  const transports = (credential.transports ?? []).filter((t) => /^[a-z-]{1,16}$/.test(t));
  try {
    return await db.transaction().execute(async (tx): Promise<AddResult> => {
      const user = await findAccountUser(tx, userId, { forUpdate: true });
      if (!user) throw new Refused('challenge');
      if ((await listPasskeys(tx, userId)).length >= PASSKEYS_PER_USER_MAX) throw new Refused('tooMany');
      const stored = await insertPasskey(tx, {
        credentialId: credential.id,
        userId,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        signCount: credential.counter,
        transports,
        backedUp: info.credentialBackedUp,
        name,
        createdAt: now,
      });
      // Another account's passkey (or this account's, added twice): the credential id decides.
      if (!stored) throw new Refused('taken');
      await queueAccountNotice(tx, user, 'passkey-added', now, { name });
      await writeAudit(tx, {
        event: 'passkey.added',
        userId,
        ...req,
        detail: { backedUp: info.credentialBackedUp, transports },
      });
      return { ok: true, name };
    });
  } catch (err) {
    if (err instanceof Refused) return refuse(err.reason as AddRefusal);
    throw err;
  }
}

class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export async function signInOptions(deps: AccountDeps, sessionId: string): Promise<Json> {
  const rp = relyingParty(deps.config.publicOrigin);
  // No allowCredentials: the browser offers the passkeys it holds for this site (discoverable).
  const options = await (await simpleWebAuthn()).generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: CHALLENGE_MS,
  });
  const now = deps.now();
  await saveChallenge(
    deps.db,
    {
      challenge: options.challenge,
      sessionId,
      purpose: 'signin',
      userId: null,
      expiresAt: new Date(now.getTime() + CHALLENGE_MS),
    },
    now,
  );
  return options as unknown as Json;
}

export type SignInRefusal =
  | 'challenge'
  | 'expired'
  | 'unknown'
  | 'userMismatch'
  | 'origin'
  | 'rpId'
  | 'cloned'
  | 'invalid';
export type PasskeySignInResult = { ok: true; userId: string } | { ok: false; reason: SignInRefusal };

/** Verifies a passkey assertion against the session's challenge; the passkey's user signs in. */
export async function signInWithPasskey(
  deps: AccountDeps,
  sessionId: string,
  response: unknown,
  req: RequestInfo,
): Promise<PasskeySignInResult> {
  const { db } = deps;
  const now = deps.now();
  let passkey: Passkey | undefined;
  const refuse = async (reason: SignInRefusal): Promise<PasskeySignInResult> => {
    await writeAudit(db, {
      event: reason === 'cloned' ? 'signin.passkey.cloned' : 'signin.passkey.refused',
      userId: passkey?.userId ?? null,
      ...req,
      detail: { reason },
    });
    return { ok: false, reason };
  };
  const challenge = challengeOf(response);
  const taken = challenge ? await takeChallenge(db, { challenge, sessionId, purpose: 'signin' }) : undefined;
  if (!challenge || !taken) return refuse('challenge');
  if (taken.expiresAt.getTime() <= now.getTime()) return refuse('expired');
  const r = response as Json & { response: Json };
  passkey = typeof r.id === 'string' && r.id.length <= 1024 ? await findPasskey(db, r.id) : undefined;
  if (!passkey) return refuse('unknown');
  // The authenticator says whose passkey it holds: it must be the account the passkey is stored for.
  if (r.response.userHandle !== userHandleOf(passkey.userId)) return refuse('userMismatch');
  const rp = relyingParty(deps.config.publicOrigin);
  const { verifyAuthenticationResponse } = await simpleWebAuthn();
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      // biome-ignore lint/suspicious/noExplicitAny: the library checks the shape itself.
      response: response as any,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The sign count is compared below, after the signature is known to be good.
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: 0,
        transports: passkey.transports as never,
      },
      requireUserVerification: true,
    });
  } catch (err) {
    return refuse(refusalOf(err));
  }
  if (!result.verified) return refuse('invalid');
  const { newCounter, credentialBackedUp } = result.authenticationInfo;
  // A counter that does not go up (when the authenticator keeps one): a copy of the key is in use.
  if ((newCounter > 0 || passkey.signCount > 0) && newCounter <= passkey.signCount) return refuse('cloned');
  const recorded = await recordPasskeyUse(db, {
    credentialId: passkey.credentialId,
    expectedCount: passkey.signCount,
    signCount: newCounter,
    backedUp: credentialBackedUp,
    at: now,
  });
  if (!recorded) return refuse('cloned');
  await writeAudit(db, { event: 'signin.passkey', userId: passkey.userId, ...req });
  return { ok: true, userId: passkey.userId };
}

export async function renameUserPasskey(
  deps: AccountDeps,
  userId: string,
  credentialId: string,
  rawName: string,
  req: RequestInfo,
): Promise<{ ok: true } | { ok: false; reason: 'name' | 'notFound' }> {
  const name = passkeyName(rawName);
  if (!name) return { ok: false, reason: 'name' };
  if (!(await renamePasskey(deps.db, userId, credentialId, name))) return { ok: false, reason: 'notFound' };
  await writeAudit(deps.db, { event: 'passkey.renamed', userId, ...req });
  return { ok: true };
}

/** Removes one of the user's passkeys (the caller has checked the fresh proof); notice by email. */
export async function removeUserPasskey(
  deps: AccountDeps,
  userId: string,
  credentialId: string,
  req: RequestInfo,
): Promise<{ ok: true; name: string } | { ok: false; reason: 'notFound' }> {
  const now = deps.now();
  return deps.db.transaction().execute(async (tx) => {
    const user = await findAccountUser(tx, userId);
    const name = user ? await deletePasskey(tx, userId, credentialId) : undefined;
    if (!user || name === undefined) return { ok: false as const, reason: 'notFound' as const };
    await queueAccountNotice(tx, user, 'passkey-removed', now, { name });
    await writeAudit(tx, { event: 'passkey.removed', userId, ...req });
    return { ok: true as const, name };
  });
}
