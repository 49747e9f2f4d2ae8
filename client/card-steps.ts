// The card operations of the two dialogs (spec §6). Each runs in one card connection, and a
// password is used at once: VERIFY, then read the certificate and sign, with nothing kept but
// the certificate and the signature (spec §5 "VERIFY immediately before the operation").
import { createHash, verify, X509Certificate } from 'node:crypto';
import type { ClientErrorCode } from '../card/errors.ts';
import { CardError, type JpkiCard, type PinStatus } from '../card/jpki.ts';
import type { Reader } from './reader.ts';

export type Secret = 'sign' | 'auth';

/** Card states the user can fix (insert a card…): codes of the contract (card/errors.ts). */
export type CardProblem = Extract<ClientErrorCode, 'no_reader' | 'no_card' | 'not_jpki_card' | 'card_error'>;

export type Probe =
  | { state: CardProblem }
  | {
      state: 'ready';
      hasSignCertificate: boolean;
      /** Tries left of the secret asked for (the VERIFY query, which costs no try). */
      pin: PinStatus | null;
      /** Identifies the card between the two dialogs: SHA-256 of the auth certificate. */
      cardRef: string | null;
    };

export type StepResult =
  | { result: 'ok'; certificate: Uint8Array; signature: Uint8Array; cardRef: string }
  | { result: 'wrong'; triesLeft: number }
  | { result: 'blocked' }
  | { result: 'different_card' }
  | {
      result: 'error';
      code: CardProblem | Extract<ClientErrorCode, 'no_sign_certificate'>;
    };

const sha256hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function cardRefOf(card: JpkiCard): Promise<string | null> {
  // Readable without a PIN on a physical card; smartphone tokens want the PIN first.
  return card.readAuthCertificate().then(sha256hex, () => null);
}

function probeError(e: unknown): Probe {
  if (
    e instanceof CardError &&
    (e.code === 'no_reader' || e.code === 'no_card' || e.code === 'not_jpki_card')
  )
    return { state: e.code };
  return { state: 'card_error' };
}

/** Card state before a dialog: present, a JPKI card, its sign certificate, tries left of `secret`. */
export async function probe(reader: Reader, secret: Secret): Promise<Probe> {
  try {
    return await reader.withCard(async (card) => {
      await card.open();
      const hasSignCertificate = await card.hasSignCertificate();
      let pin: PinStatus | null = null;
      if (secret === 'auth') pin = await card.authPinStatus();
      else if (hasSignCertificate) pin = await card.signPasswordStatus();
      return { state: 'ready' as const, hasSignCertificate, pin, cardRef: await cardRefOf(card) };
    });
  } catch (e) {
    return probeError(e);
  }
}

function stepError(e: unknown): StepResult {
  if (e instanceof CardError) {
    switch (e.code) {
      case 'no_reader':
      case 'no_card':
      case 'not_jpki_card':
      case 'no_sign_certificate':
        return { result: 'error', code: e.code };
    }
  }
  return { result: 'error', code: 'card_error' };
}

/** A card that answers with a signature its own certificate does not verify is not to be trusted. */
function checkSignature(certificate: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
  const key = new X509Certificate(certificate).publicKey;
  if (!verify('sha256', message, key, signature)) {
    throw new CardError('card_error', 'the card returned a signature its certificate does not verify');
  }
}

/**
 * One dialog's card work: VERIFY the secret, read its certificate and sign `message` with its
 * key, all in one connection. `expectedCardRef` (from the first dialog) refuses a swapped card
 * before any try is spent. The caller must have checked the format already (no try is wasted).
 */
export async function runStep(
  reader: Reader,
  secret: Secret,
  value: string,
  message: Uint8Array,
  expectedCardRef: string | null,
): Promise<StepResult> {
  try {
    return await reader.withCard(async (card): Promise<StepResult> => {
      await card.open();
      const cardRef = await cardRefOf(card);
      if (expectedCardRef !== null && cardRef !== expectedCardRef) return { result: 'different_card' };
      if (secret === 'sign' && !(await card.hasSignCertificate()))
        return { result: 'error', code: 'no_sign_certificate' };
      const verified =
        secret === 'sign' ? await card.verifySignPassword(value) : await card.verifyAuthPin(value);
      if (verified.result !== 'ok') return verified;
      const certificate =
        secret === 'sign' ? await card.readSignCertificate() : await card.readAuthCertificate();
      const signature =
        secret === 'sign' ? await card.signWithSignKey(message) : await card.signWithAuthKey(message);
      checkSignature(certificate, message, signature);
      return { result: 'ok', certificate, signature, cardRef: cardRef ?? sha256hex(certificate) };
    });
  } catch (e) {
    return stepError(e);
  }
}

export interface CardDescription {
  state: 'no_reader' | 'no_card' | 'not_jpki_card' | 'card_error' | 'ready';
  tokenLabel?: string;
  hasSignCertificate?: boolean;
  signTries?: number | 'blocked' | null;
  authTries?: number | 'blocked';
}

const triesOf = (s: PinStatus): number | 'blocked' => ('blocked' in s ? 'blocked' : s.triesLeft);

/** Everything the status page and `client status` show; only queries that cost no try. */
export async function describeCard(reader: Reader): Promise<CardDescription> {
  try {
    return await reader.withCard(async (card) => {
      await card.open();
      const tokenLabel = await card.tokenLabel();
      const hasSignCertificate = await card.hasSignCertificate();
      const signTries = hasSignCertificate ? triesOf(await card.signPasswordStatus()) : null;
      const authTries = triesOf(await card.authPinStatus());
      return { state: 'ready' as const, tokenLabel, hasSignCertificate, signTries, authTries };
    });
  } catch (e) {
    return { state: probeError(e).state };
  }
}
