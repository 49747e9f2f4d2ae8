// The card token of spec §13 as the client posts it. Registration carries both certificates and
// signatures (card/token.ts encodeToken); sign-in with the card (mode=authenticate) carries only
// the auth half, which card/token.ts cannot encode yet — hence this small adapter.
import { encodeToken, TOKEN_ALGORITHM, TOKEN_FORMAT } from '../card/token.ts';

export const APP_VERSION = 'residence-online-client/0.1.0';

export interface SignedHalf {
  certificate: Uint8Array;
  signature: Uint8Array;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export function buildToken(auth: SignedHalf, sign: SignedHalf | null): string {
  if (sign) {
    return encodeToken({
      signCertificate: sign.certificate,
      signSignature: sign.signature,
      authCertificate: auth.certificate,
      authSignature: auth.signature,
      appVersion: APP_VERSION,
    });
  }
  return JSON.stringify({
    format: TOKEN_FORMAT,
    algorithm: TOKEN_ALGORITHM,
    authCertificate: b64(auth.certificate),
    authSignature: b64(auth.signature),
    appVersion: APP_VERSION,
  });
}
