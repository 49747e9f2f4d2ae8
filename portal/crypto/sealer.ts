// The one AES-256-GCM sealer of the portal: anonymous sessions in the cookie (portal/web/session.ts)
// and the link secrets of queued mail (portal/mail/secret.ts). A sealed value names the key that
// sealed it, so a list of keys (the current one first, then older ones) opens every value sealed
// under any of them and keys can be rotated without signing everyone out or losing queued mail.
// See docs/decisions/0810-one-sealer-with-key-ids.md.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** What a sealer seals; each purpose has its own keys, so a value of one never opens as the other. */
export type SealPurpose = 'session' | 'outbox';

/**
 * Values sealed before key ids (this module) had no key id and their own key derivation; they
 * still open, by trying each configured key, until they have expired or been sent.
 */
const LEGACY: Record<SealPurpose, { key: (secret: string) => Buffer; layout: 'iv-ct-tag' | 'iv-tag-ct' }> = {
  session: {
    key: (s) => createHash('sha256').update(`residence-online anonymous session v1\0${s}`).digest(),
    layout: 'iv-ct-tag',
  },
  outbox: {
    key: (s) => createHash('sha256').update(`outbox-secret:${s}`).digest(),
    layout: 'iv-tag-ct',
  },
};

const IV = 12;
const TAG = 16;
const KEY_ID = /^[A-Za-z0-9_-]{8}$/;

interface Key {
  id: string;
  cipherKey: Buffer;
  legacyKey: Buffer;
}

/** Why a value did not open: for the operator (the outbox names it), never shown to users. */
export type OpenFailure =
  | { reason: 'unknown_key'; keyId: string }
  | { reason: 'no_key_opens_legacy' }
  | { reason: 'malformed' }
  | { reason: 'tampered'; keyId: string };

export type Opened = { ok: true; plain: string; current: boolean } | ({ ok: false } & OpenFailure);

export class Sealer {
  readonly #keys: readonly Key[];
  readonly #purpose: SealPurpose;

  /** secrets: the current key first, then older ones that still open (never seal) values. */
  constructor(purpose: SealPurpose, secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('a sealer needs at least one key');
    this.#purpose = purpose;
    // Derived once here: sealing and opening never derive keys per request.
    this.#keys = secrets.map((secret) => ({
      id: keyId(purpose, secret),
      cipherKey: Buffer.from(
        hkdfSync('sha256', secret, 'residence-online sealer', `residence-online ${purpose} v2`, 32),
      ),
      legacyKey: LEGACY[purpose].key(secret),
    }));
  }

  /** The key id of the current key (what new values carry). */
  get currentKeyId(): string {
    return this.#keys[0]!.id;
  }

  /** `<key id>.<base64url(iv ‖ ciphertext ‖ tag)>` under the current key. */
  seal(plain: string): string {
    const key = this.#keys[0]!;
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', key.cipherKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${key.id}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Opens a value sealed under any configured key (or a value of the format before key ids). */
  open(sealed: string): Opened {
    const dot = sealed.indexOf('.');
    if (dot === -1) return this.#openLegacy(sealed);
    const id = sealed.slice(0, dot);
    if (!KEY_ID.test(id)) return { ok: false, reason: 'malformed' };
    const index = this.#keys.findIndex((k) => k.id === id);
    if (index === -1) return { ok: false, reason: 'unknown_key', keyId: id };
    const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
    if (raw.length < IV + TAG) return { ok: false, reason: 'malformed' };
    const plain = decrypt(this.#keys[index]!.cipherKey, raw, 'iv-ct-tag');
    if (plain === undefined) return { ok: false, reason: 'tampered', keyId: id };
    return { ok: true, plain, current: index === 0 };
  }

  #openLegacy(payload: string): Opened {
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV + TAG) return { ok: false, reason: 'malformed' };
    for (const key of this.#keys) {
      const plain = decrypt(key.legacyKey, raw, LEGACY[this.#purpose].layout);
      if (plain !== undefined) return { ok: true, plain, current: false };
    }
    return { ok: false, reason: 'no_key_opens_legacy' };
  }
}

/** 8 base64url characters of a hash of the secret: names the key, reveals nothing of it. */
function keyId(purpose: SealPurpose, secret: string): string {
  return createHash('sha256')
    .update(`residence-online key id\0${purpose}\0${secret}`)
    .digest()
    .subarray(0, 6)
    .toString('base64url');
}

function decrypt(key: Buffer, raw: Buffer, layout: 'iv-ct-tag' | 'iv-tag-ct'): string | undefined {
  try {
    const iv = raw.subarray(0, IV);
    const tag = layout === 'iv-ct-tag' ? raw.subarray(raw.length - TAG) : raw.subarray(IV, IV + TAG);
    const body = layout === 'iv-ct-tag' ? raw.subarray(IV, raw.length - TAG) : raw.subarray(IV + TAG);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Sealer>();

/**
 * The sealer for these keys, made once and kept: callers that only hold the configuration (a
 * flow sealing a link, the outbox worker) pay no key derivation per call.
 */
export function sealerFor(purpose: SealPurpose, secrets: readonly string[]): Sealer {
  const id = `${purpose}\0${secrets.join('\0')}`;
  let sealer = cache.get(id);
  if (!sealer) {
    // A process holds one or two key lists; tests make more. Keep the map small regardless.
    if (cache.size >= 32) cache.delete(cache.keys().next().value!);
    sealer = new Sealer(purpose, secrets);
    cache.set(id, sealer);
  }
  return sealer;
}

/** One line for the operator: why a sealed value did not open. */
export function describeFailure(f: OpenFailure, variable: string): string {
  switch (f.reason) {
    case 'unknown_key':
      return `sealed with key ${f.keyId}, which ${variable} no longer lists (add the old key after the current one)`;
    case 'no_key_opens_legacy':
      return `sealed before key ids, and no key in ${variable} opens it`;
    case 'tampered':
      return `does not authenticate under key ${f.keyId} (altered or truncated)`;
    case 'malformed':
      return 'not a sealed value';
  }
}
