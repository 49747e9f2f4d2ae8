// Shared test fixtures: one temp data dir with a development PKI and card data per test
// process, so RSA keys are generated once per file rather than per test.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, parseResponse, type ResponseApdu, type Transport } from '../../card/apdu.ts';
import type { CardFileData } from '../../card/emulator/card-file.ts';
import { type DevPki, ensureDevPki } from '../../card/pki/dev-pki.ts';
import { type IssueParams, issueCard } from '../../card/pki/issue.ts';
import { type Basic4Input, noSubstitutes } from '../../card/pki/profile.ts';

export const TARO: Basic4Input = {
  name: 'ＨＯＵＭＵ　ＴＡＲＯ',
  nameSubstitutes: noSubstitutes('ＨＯＵＭＵ　ＴＡＲＯ'),
  sex: '1',
  dateOfBirth: '419900401',
  address: '東京都新宿区西新宿二丁目８番１号',
  addressSubstitutes: noSubstitutes('東京都新宿区西新宿二丁目８番１号'),
};

let pkiPromise: Promise<{ dataDir: string; pki: DevPki }> | undefined;

export function testPki(): Promise<{ dataDir: string; pki: DevPki }> {
  pkiPromise ??= (async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'card-test-'));
    return { dataDir, pki: await ensureDevPki(dataDir) };
  })();
  return pkiPromise;
}

const cardCache = new Map<string, Promise<CardFileData>>();

/** A card issued once per process per key; callers get a fresh copy. */
export async function testCard(key = 'taro', overrides: Partial<IssueParams> = {}): Promise<CardFileData> {
  let p = cardCache.get(key);
  if (!p) {
    p = testPki().then(({ pki }) =>
      issueCard(pki, { id: key, basic4: TARO, signPassword: 'TARO2022', authPin: '1234', ...overrides }),
    );
    cardCache.set(key, p);
  }
  return structuredClone(await p);
}

/** Sends hex, returns the parsed response. */
export async function send(t: Transport, hex: string): Promise<ResponseApdu> {
  return parseResponse(await t.transmit(fromHex(hex)));
}

export const hexOf = (s: string) => Buffer.from(s, 'ascii').toString('hex');
export const SELECT_JPKI = '00A4040C0AD392F000260100000001';
export const selectEf = (fid: string) => `00A4020C02${fid}`;
export const verifyApdu = (secret: string) =>
  `00200080${secret.length.toString(16).padStart(2, '0')}${hexOf(secret)}`;
