// Test PKI and cards for the registration tests (generated once per test file, in a temp
// dir), a token signer over the card emulator, and a browser on the shared test HTTP client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { toJpkiDateOfBirth } from '../../../card/basic4.ts';
import type { CardFileData } from '../../../card/emulator/card-file.ts';
import { VirtualCard } from '../../../card/emulator/virtual-card.ts';
import { JpkiCard } from '../../../card/jpki.ts';
import { type DevPki, ensureDevPki } from '../../../card/pki/dev-pki.ts';
import { type IssueParams, issueCard } from '../../../card/pki/issue.ts';
import { noSubstitutes } from '../../../card/pki/profile.ts';
import { revokeCard } from '../../../card/pki/revoke.ts';
import { encodeToken, signToken } from '../../../card/token.ts';
import { type Answer, HttpClient, viaInject } from '../../helpers/http-client.ts';

export const SIGN_PASSWORD = 'TARO2022';
export const AUTH_PIN = '1234';
const DAY = 86_400_000;

function basic4(name: string, sex: string, birth: string) {
  const address = '東京都新宿区西新宿二丁目８番１号';
  return {
    name,
    nameSubstitutes: noSubstitutes(name),
    sex,
    dateOfBirth: toJpkiDateOfBirth(birth),
    address,
    addressSubstitutes: noSubstitutes(address),
  };
}

export interface TestPki {
  dataDir: string;
  pki: DevPki;
  /** Environment for startPortal: trust anchors and CRLs of this PKI. */
  env: Record<string, string>;
  cards: Record<string, CardFileData>;
  close(): void;
}

type Kind = 'taro' | 'kanji' | 'expired' | 'revoked' | 'signRevoked';

/** Issues the named cards (RSA key generation is slow: do it once per file). */
export async function setupPki(ids: Record<string, Kind>): Promise<TestPki> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ro-registration-'));
  const pki = await ensureDevPki(dataDir);
  const now = new Date();
  const cards: Record<string, CardFileData> = {};
  await Promise.all(
    Object.entries(ids).map(async ([id, kind]) => {
      const p: IssueParams = {
        id,
        basic4:
          kind === 'kanji'
            ? basic4('法務　花子', '2', '1985-06-15')
            : basic4('ＨＯＵＭＵ　ＴＡＲＯ', '1', '1990-04-01'),
        signPassword: SIGN_PASSWORD,
        authPin: AUTH_PIN,
      };
      if (kind === 'expired') {
        p.notBefore = new Date(now.getTime() - 5 * 365 * DAY);
        p.notAfter = new Date(now.getTime() - 30 * DAY);
      }
      cards[id] = await issueCard(pki, p, now);
    }),
  );
  // One CRL write at a time (each rewrites the file with the previous entries).
  for (const [id, kind] of Object.entries(ids)) {
    if (kind === 'revoked') await revokeCard(pki, cards[id]!, now);
    if (kind === 'signRevoked') {
      const { writeCrl } = await import('../../../card/pki/dev-pki.ts');
      const { certificateSerial } = await import('../../../card/pki/revoke.ts');
      await writeCrl(pki.paths, pki.sign, [certificateSerial(cards[id]!.sign!.certificate)], now);
    }
  }
  return {
    dataDir,
    pki,
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    cards,
    close: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** What the user client software posts back: the token of spec §13, signed by the emulated card. */
export async function signedToken(card: CardFileData, origin: string, nonce: string): Promise<string> {
  const jpki = new JpkiCard(new VirtualCard(card));
  return encodeToken(await signToken(jpki, origin, nonce, SIGN_PASSWORD, AUTH_PIN));
}

export type Reply = Answer;

/** A browser for app.inject (test/helpers/http-client.ts) with the card step's shortcuts. */
export class TestBrowser extends HttpClient {
  constructor(readonly app: FastifyInstance) {
    super(viaInject(app));
  }

  /** Top page → card step → client redirect; returns the nonce the client would sign. */
  async startCardStep(): Promise<{ nonce: string; clientUrl: URL }> {
    await this.get('/');
    const r = await this.post('/registration/card');
    if (r.status !== 303) throw new Error(`card step did not redirect: ${r.status}`);
    const clientUrl = new URL(r.location);
    return { nonce: clientUrl.searchParams.get('nonce')!, clientUrl };
  }

  /** The whole card step with a card; returns the page the browser lands on. */
  async passCardStep(card: CardFileData, origin: string): Promise<Reply> {
    const { nonce } = await this.startCardStep();
    const token = await signedToken(card, origin, nonce);
    const cb = await this.crossSitePost('/card/callback', { nonce, token });
    return this.follow(cb);
  }
}

export const FOREIGN_NATIONAL = {
  prefectureCode: '13',
  municipalityCode: '131041',
  streetAddress: '西新宿２－８－１',
  telephone: '090-1234-5678',
  email: 'user02@ens-test.com',
  emailConfirm: 'user02@ens-test.com',
  userCategory: 'foreign_national',
  residenceCardNumber: 'ab12345678cd',
  proxyNotificationNumber: '',
  termsAgreed: 'yes',
};

export function notice(body: string): string {
  return /<div class="notice[^"]*" role="alert" id="notice">\s*<p>([^<]*)<\/p>/.exec(body)?.[1] ?? '';
}
