// The card token of spec §13 as the client posts it: both halves for registration, the auth
// half alone for sign-in and User ID recovery (mode=authenticate). card/token.ts encodes both.
import { encodeToken } from '../card/token.ts';

export const APP_VERSION = 'residence-online-client/0.1.0';

export interface SignedHalf {
  certificate: Uint8Array;
  signature: Uint8Array;
}

export function buildToken(auth: SignedHalf, sign: SignedHalf | null): string {
  const authHalf = {
    authCertificate: auth.certificate,
    authSignature: auth.signature,
    appVersion: APP_VERSION,
  };
  return encodeToken(
    sign ? { signCertificate: sign.certificate, signSignature: sign.signature, ...authHalf } : authHalf,
  );
}
