// The demo cards that `npm start` and the tests use (spec §7). Idempotent:
// only missing cards are issued, and a card no longer chaining to the current roots is re-issued.
import { X509Certificate } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { toJpkiDateOfBirth } from '../basic4.ts';
import { loadCardFile } from '../emulator/card-file.ts';
import { type DevPki, ensureDevPki, type ProgressFn, revokedSerials } from './dev-pki.ts';
import { cardFilePath, type IssueParams, issueCardFile } from './issue.ts';
import { type Basic4Input, noSubstitutes } from './profile.ts';
import { certificateSerial, revokeCard } from './revoke.ts';

export const DEMO_SIGN_PASSWORD = 'TARO2022';
export const DEMO_AUTH_PIN = '1234';

export interface DemoCard {
  id: string;
  description: { en: string; ja: string };
  signPassword: string;
  authPin: string;
}

interface DemoSpec extends DemoCard {
  basic4: Basic4Input | null;
  holderLabel?: string;
  expired?: boolean;
  revoked?: boolean;
  signTriesLeft?: number;
  authTriesLeft?: number;
}

function basic4(name: string, sex: string, birth: string, address: string): Basic4Input {
  return {
    name,
    nameSubstitutes: noSubstitutes(name),
    sex,
    dateOfBirth: toJpkiDateOfBirth(birth),
    address,
    addressSubstitutes: noSubstitutes(address),
  };
}

// The name is written full-width with U+3000, as the real certificate writes names, so the
// NFKC step of the pre-fill is exercised; it yields "HOUMU TARO" (docs/decisions/0101).
const TARO = basic4('ＨＯＵＭＵ　ＴＡＲＯ', '1', '1990-04-01', '東京都新宿区西新宿二丁目８番１号');
const HANAKO = basic4('法務　花子', '2', '1985-06-15', '大阪府大阪市北区中之島一丁目３番２０号');

const SPECS: readonly DemoSpec[] = [
  {
    id: 'default',
    description: {
      en: 'HOUMU TARO, male, born 1990-04-01 — fills user name, sex and date of birth',
      ja: 'ＨＯＵＭＵ　ＴＡＲＯ（男性、1990年4月1日生）— 利用者名・性別・生年月日が自動入力されます',
    },
    basic4: TARO,
  },
  {
    id: 'renewed',
    description: {
      en: 'HOUMU TARO again, as after a card renewal: new keys and certificates — link it on My page with “Use a new Individual Number card”',
      ja: 'ＨＯＵＭＵ　ＴＡＲＯ の更新後のカード（新しい鍵と電子証明書）— マイページの「新しい個人番号カードに切り替える」で登録します',
    },
    basic4: TARO,
  },
  {
    id: 'kanji',
    description: {
      en: '法務 花子, female — a kanji name cannot fill the user name field',
      ja: '法務　花子（女性）— 漢字氏名のため利用者名は自動入力されません',
    },
    basic4: HANAKO,
  },
  {
    id: 'expired',
    description: { en: 'HOUMU TARO with expired certificates', ja: '有効期限切れの電子証明書' },
    basic4: TARO,
    expired: true,
  },
  {
    id: 'revoked',
    description: {
      en: 'HOUMU TARO with revoked certificates (in both CRLs)',
      ja: '失効した電子証明書（両方のCRLに掲載）',
    },
    basic4: TARO,
    revoked: true,
  },
  {
    id: 'auth-one-try',
    description: { en: 'User ID PIN with one try left', ja: '利用者証明用パスワードの残り試行回数が1回' },
    basic4: TARO,
    authTriesLeft: 1,
  },
  {
    id: 'sign-blocked',
    description: { en: 'Digital Signature PIN code blocked', ja: '署名用パスワードがロックされています' },
    basic4: TARO,
    signTriesLeft: 0,
  },
  {
    id: 'no-sign-cert',
    description: {
      en: 'Holder under 15: no signature certificate',
      ja: '15歳未満：署名用電子証明書なし',
    },
    basic4: null,
    holderLabel: 'ＨＯＵＭＵ　ＪＩＲＯ (born 2015-08-10)',
  },
].map((s) => ({ signPassword: DEMO_SIGN_PASSWORD, authPin: DEMO_AUTH_PIN, ...s }));

/** The demo cards, for `npm start` to print (id, descriptions, secrets). */
export const DEMO_CARDS: readonly DemoCard[] = SPECS.map(({ id, description, signPassword, authPin }) => ({
  id,
  description,
  signPassword,
  authPin,
}));

const DAY = 86_400_000;

function issueParams(spec: DemoSpec, now: Date): IssueParams {
  const p: IssueParams = {
    id: spec.id,
    description: spec.description,
    basic4: spec.basic4,
    signPassword: spec.signPassword,
    authPin: spec.authPin,
  };
  if (spec.holderLabel) p.holderLabel = spec.holderLabel;
  if (spec.signTriesLeft !== undefined) p.signTriesLeft = spec.signTriesLeft;
  if (spec.authTriesLeft !== undefined) p.authTriesLeft = spec.authTriesLeft;
  if (spec.expired) {
    p.notBefore = new Date(now.getTime() - 5 * 365 * DAY);
    p.notAfter = new Date(now.getTime() - 30 * DAY);
  }
  return p;
}

/** True when the card file exists and both its certificates were issued by the current roots. */
async function isCurrent(pki: DevPki, id: string): Promise<boolean> {
  const path = cardFilePath(pki.paths.cardsDir, id);
  if (!(await stat(path).catch(() => null))) return false;
  try {
    const card = await loadCardFile(path);
    const chains = (b64: string, root: X509Certificate) =>
      new X509Certificate(Buffer.from(b64, 'base64')).verify(root.publicKey);
    const signRoot = new X509Certificate(Buffer.from(pki.sign.certificate.rawData));
    const authRoot = new X509Certificate(Buffer.from(pki.auth.certificate.rawData));
    return (
      chains(card.auth.certificate, authRoot) &&
      (card.sign === null || chains(card.sign.certificate, signRoot))
    );
  } catch {
    return false;
  }
}

/**
 * Ensures the development PKI and every demo card exist under `dataDir`; issues only what is
 * missing (each card takes one or two RSA key generations). Returns the ids it issued.
 */
export async function ensureDemoCards(dataDir: string, onProgress: ProgressFn = () => {}): Promise<string[]> {
  const pki = await ensureDevPki(dataDir, onProgress);
  const now = new Date();
  const issued: string[] = [];
  const missing: DemoSpec[] = [];
  for (const spec of SPECS) if (!(await isCurrent(pki, spec.id))) missing.push(spec);
  if (missing.length > 0) onProgress(`issuing demo cards: ${missing.map((s) => s.id).join(', ')}…`);
  // Key generation runs on libuv's thread pool, so issuing concurrently uses every core.
  await Promise.all(
    missing.map(async (spec) => {
      await issueCardFile(pki, issueParams(spec, now), now);
      onProgress(`  issued "${spec.id}"`);
      issued.push(spec.id);
    }),
  );
  // The revoked card must be on both CRLs, also when the CRLs were re-created.
  const revoked = await revokedSerials(dataDir);
  for (const spec of SPECS.filter((s) => s.revoked)) {
    const card = await loadCardFile(cardFilePath(pki.paths.cardsDir, spec.id));
    const listed =
      revoked.auth.has(certificateSerial(card.auth.certificate)) &&
      (!card.sign || revoked.sign.has(certificateSerial(card.sign.certificate)));
    if (!listed) await revokeCard(pki, card, now);
  }
  return issued;
}
