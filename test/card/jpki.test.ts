import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeResponse, fromHex, SW, type Transport } from '../../card/apdu.ts';
import type { ResponseStyle } from '../../card/emulator/card-file.ts';
import { VirtualCard } from '../../card/emulator/virtual-card.ts';
import {
  CardError,
  isValidAuthPin,
  isValidSignPassword,
  JpkiCard,
  normalizeSignPassword,
} from '../../card/jpki.ts';
import { decodeToken, encodeToken, signedMessage, signToken } from '../../card/token.ts';
import { testCard } from './fixtures.ts';

async function openCard(key = 'taro', style?: ResponseStyle, overrides = {}) {
  const data = await testCard(key, overrides);
  const emulator = new VirtualCard(data, style ? { responseStyle: style } : {});
  const card = new JpkiCard(emulator);
  await card.open();
  return { card, data, emulator };
}

describe('JpkiCard', () => {
  it('opens, reads label and availability, reports tries', async () => {
    const { card } = await openCard();
    assert.equal(await card.tokenLabel(), 'JPKIAPICCTOKEN2');
    assert.equal(await card.hasSignCertificate(), true);
    assert.deepEqual(await card.signPasswordStatus(), { triesLeft: 5 });
    assert.deepEqual(await card.authPinStatus(), { triesLeft: 3 });
  });

  it('throws not_jpki_card when the JPKI AP is missing', async () => {
    const card = new JpkiCard({ transmit: async () => fromHex('6A82') });
    await assert.rejects(card.open(), (e: unknown) => e instanceof CardError && e.code === 'not_jpki_card');
  });

  it('maps wrong, blocked and 6983/6984/9000 answers', async () => {
    const { card } = await openCard();
    assert.deepEqual(await card.verifyAuthPin('0000'), { result: 'wrong', triesLeft: 2 });
    assert.deepEqual(await card.verifyAuthPin('0000'), { result: 'wrong', triesLeft: 1 });
    assert.deepEqual(await card.verifyAuthPin('0000'), { result: 'blocked' });
    assert.deepEqual(await card.verifyAuthPin('1234'), { result: 'blocked' });
    assert.deepEqual(await card.authPinStatus(), { blocked: true });
    const fake = (sw: string): JpkiCard =>
      new JpkiCard({ transmit: async (c) => fromHex(c[1] === 0x20 ? sw : '9000') });
    assert.deepEqual(await fake('6983').verifyAuthPin('1234'), { result: 'blocked' });
    assert.deepEqual(await fake('6984').authPinStatus(), { blocked: true });
    assert.deepEqual(await fake('9000').signPasswordStatus(), { triesLeft: 5 });
    await assert.rejects(
      fake('6A80').verifyAuthPin('1234'),
      (e: unknown) => e instanceof CardError && e.code === 'card_error',
    );
  });

  it('refuses malformed secrets before they reach the card (no try spent)', async () => {
    const { card } = await openCard();
    await assert.rejects(
      card.verifySignPassword('abc'),
      (e: unknown) => (e as CardError).code === 'invalid_pin_format',
    );
    await assert.rejects(
      card.verifyAuthPin('12345'),
      (e: unknown) => (e as CardError).code === 'invalid_pin_format',
    );
    assert.deepEqual(await card.signPasswordStatus(), { triesLeft: 5 });
    assert.deepEqual(await card.verifySignPassword('taro2022'), { result: 'ok' }); // upper-cased
  });

  for (const style of ['direct', 'get-response', 'wrong-le'] as const) {
    it(`reads certificates and signs (${style} responses), verifiable with node:crypto`, async () => {
      const { card, data } = await openCard('taro', style);
      const message = signedMessage('https://portal.example.jp', 'n'.repeat(44));
      await assert.rejects(
        card.readSignCertificate(),
        (e: unknown) => (e as CardError).code === 'not_verified',
      );
      assert.deepEqual(await card.verifySignPassword('TARO2022'), { result: 'ok' });
      const signDer = await card.readSignCertificate();
      assert.equal(Buffer.from(signDer).toString('base64'), data.sign!.certificate);
      const signSig = await card.signWithSignKey(message);
      assert.equal(signSig.length, 256);
      assert.ok(verify('sha256', message, new X509Certificate(signDer).publicKey, signSig));
      await assert.rejects(
        card.signWithAuthKey(message),
        (e: unknown) => (e as CardError).code === 'not_verified',
      );
      const authDer = await card.readAuthCertificate();
      assert.deepEqual(await card.verifyAuthPin('1234'), { result: 'ok' });
      const authSig = await card.signWithAuthKey(message);
      assert.ok(verify('sha256', message, new X509Certificate(authDer).publicKey, authSig));
    });
  }

  it('reads a certificate from a card that answers short reads, 6282 and odd chunking', async () => {
    const { data } = await openCard();
    const der = Buffer.from(data.auth.certificate, 'base64');
    const file = Buffer.concat([der, Buffer.alloc(100, 0xff)]);
    const reads: number[] = [];
    const transport: Transport = {
      async transmit(c) {
        if (c[1] !== 0xb0) return fromHex('9000');
        const offset = (c[2]! << 8) | c[3]!;
        reads.push(offset);
        if (offset >= file.length) return fromHex('6B00');
        const n = Math.min(c[4] || 256, 100); // never more than 100 bytes at once
        const chunk = file.subarray(offset, offset + n);
        return encodeResponse(chunk, offset + n >= file.length ? SW.END_OF_FILE : SW.OK);
      },
    };
    const got = await new JpkiCard(transport).readAuthCertificate();
    assert.deepEqual(Buffer.from(got), der);
    assert.ok(reads.length > der.length / 100);
  });

  it('reports truncated and non-DER files as card_error', async () => {
    const empty = new JpkiCard({ transmit: async (c) => fromHex(c[1] === 0xb0 ? 'FFFFFFFF9000' : '9000') });
    await assert.rejects(empty.readAuthCertificate(), (e: unknown) => (e as CardError).code === 'card_error');
    const short = new JpkiCard({
      transmit: async (c) =>
        fromHex(c[1] === 0xb0 ? (c[3] === 0 && c[2] === 0 ? '308201009000' : '6B00') : '9000'),
    });
    await assert.rejects(short.readAuthCertificate(), /truncated/);
  });

  it('a card without sign certificate says so', async () => {
    const { card } = await openCard('minor', undefined, { basic4: null });
    assert.equal(await card.hasSignCertificate(), false);
    await assert.rejects(
      card.signPasswordStatus(),
      (e: unknown) => (e as CardError).code === 'no_sign_certificate',
    );
    await assert.rejects(
      card.readSignCertificate(),
      (e: unknown) => (e as CardError).code === 'no_sign_certificate',
    );
    assert.ok((await card.readAuthCertificate()).length > 256);
  });

  it('wraps transport failures as card_error', async () => {
    const card = new JpkiCard({
      transmit: async () => {
        throw new Error('reader unplugged');
      },
    });
    await assert.rejects(card.open(), (e: unknown) => e instanceof CardError && e.code === 'card_error');
  });
});

describe('PIN rules', () => {
  it('sign password: 6–16 of A–Z0–9 mixing letters and digits, upper-cased', () => {
    assert.equal(normalizeSignPassword('taro2022'), 'TARO2022');
    for (const ok of ['TARO22', 'A1B2C3D4E5F6G7H8', '1A2345']) assert.ok(isValidSignPassword(ok), ok);
    for (const bad of [
      'TARO2',
      'ABCDEFG',
      '1234567',
      'taro2022',
      'TARO-2022',
      'A1B2C3D4E5F6G7H8I',
      'ＴＡＲＯ２０２２',
    ]) {
      assert.ok(!isValidSignPassword(bad), bad);
    }
  });
  it('auth PIN: exactly 4 digits', () => {
    assert.ok(isValidAuthPin('0000'));
    for (const bad of ['123', '12345', '12a4', '１２３４', '']) assert.ok(!isValidAuthPin(bad), bad);
  });
});

describe('signToken', () => {
  it('runs the §6 sequence and produces a decodable token with valid signatures', async () => {
    const { card } = await openCard();
    const origin = 'https://portal.example.jp';
    const nonce = Buffer.alloc(32, 7).toString('base64');
    const token = await signToken(card, origin, nonce, 'taro2022', '1234');
    const decoded = decodeToken(encodeToken(token));
    assert.ok(decoded.ok);
    const m = signedMessage(origin, nonce);
    assert.ok(
      verify(
        'sha256',
        m,
        new X509Certificate(decoded.token.signCertificate).publicKey,
        decoded.token.signSignature,
      ),
    );
    assert.ok(
      verify(
        'sha256',
        m,
        new X509Certificate(decoded.token.authCertificate).publicKey,
        decoded.token.authSignature,
      ),
    );
  });

  it('throws typed errors for wrong, blocked and missing', async () => {
    const { card } = await openCard();
    await assert.rejects(
      signToken(card, 'https://a.jp', 'x'.repeat(44), 'WRONG123', '1234'),
      (e: unknown) => e instanceof CardError && e.code === 'wrong_pin' && e.triesLeft === 4,
    );
    const blocked = await openCard('blocked', undefined, { signTriesLeft: 0 });
    await assert.rejects(
      signToken(blocked.card, 'https://a.jp', 'x'.repeat(44), 'TARO2022', '1234'),
      (e: unknown) => (e as CardError).code === 'sign_password_blocked',
    );
    const minor = await openCard('minor', undefined, { basic4: null });
    await assert.rejects(
      signToken(minor.card, 'https://a.jp', 'x'.repeat(44), 'TARO2022', '1234'),
      (e: unknown) => (e as CardError).code === 'no_sign_certificate',
    );
  });
});
