// A software WebAuthn authenticator for tests: ES256 keys from node:crypto, CBOR written by hand.
// It answers the portal's options as a browser with a platform authenticator would, and can be
// told to lie (another origin, another RP ID, an old sign count, another user handle).
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [k: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, b.length), b]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  const entries = v instanceof Map ? [...v] : Object.entries(v);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface SoftCredential {
  id: string;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

export interface Lies {
  origin?: string;
  rpId?: string;
  /** The sign count to report (default: the credential's counter plus one). */
  counter?: number;
  userHandle?: string;
  userVerified?: boolean;
  /** The challenge to sign instead of the one given. */
  challenge?: string;
  /** Registration: a credential id already in use (a passkey of another account). */
  credentialId?: string;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** Authenticators that keep no counter report 0 every time (as many passkey providers do). */
  constructor(
    readonly origin: string,
    readonly keepsCounter = true,
  ) {}

  get rpId(): string {
    return new URL(this.origin).hostname;
  }

  #flags(uv: boolean, attested: boolean): number {
    return 0x01 | (uv ? 0x04 : 0) | (attested ? 0x40 : 0);
  }

  /** Answers registration options (navigator.credentials.create) as RegistrationResponseJSON. */
  create(options: Record<string, unknown>, lies: Lies = {}): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const credId = lies.credentialId ? Buffer.from(lies.credentialId, 'base64url') : randomBytes(32);
    const authData = Buffer.concat([
      sha256(lies.rpId ?? this.rpId),
      Buffer.from([this.#flags(lies.userVerified ?? true, true)]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      Buffer.from([credId.length >> 8, credId.length & 0xff]),
      credId,
      cose,
    ]);
    const clientData = JSON.stringify({
      type: 'webauthn.create',
      challenge: lies.challenge ?? options.challenge,
      origin: lies.origin ?? this.origin,
      crossOrigin: false,
    });
    const user = options.user as { id: string };
    this.credentials.push({ id: b64u(credId), privateKey, userHandle: user.id, counter: 0 });
    return {
      id: b64u(credId),
      rawId: b64u(credId),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        attestationObject: b64u(cbor({ fmt: 'none', attStmt: {}, authData })),
        transports: ['internal'],
      },
    };
  }

  /** Answers authentication options (navigator.credentials.get) as AuthenticationResponseJSON. */
  get(
    options: Record<string, unknown>,
    lies: Lies = {},
    credential = this.credentials[0],
  ): Record<string, unknown> {
    if (!credential) throw new Error('the soft authenticator holds no passkey');
    const count = lies.counter ?? (this.keepsCounter ? credential.counter + 1 : 0);
    if (lies.counter === undefined) credential.counter = count;
    const countBytes = Buffer.alloc(4);
    countBytes.writeUInt32BE(count);
    const authData = Buffer.concat([
      sha256(lies.rpId ?? this.rpId),
      Buffer.from([this.#flags(lies.userVerified ?? true, false)]),
      countBytes,
    ]);
    const clientData = JSON.stringify({
      type: 'webauthn.get',
      challenge: lies.challenge ?? options.challenge,
      origin: lies.origin ?? this.origin,
      crossOrigin: false,
    });
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: lies.userHandle ?? credential.userHandle,
      },
    };
  }
}
