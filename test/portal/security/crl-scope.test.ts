// Which CRL speaks for which certificate (issue 11, defect 8). A CRL covers only the card
// certificates whose CRL distribution point its issuing distribution point names (RFC 5280
// §5.2.5, §6.3.3), so the CRL of one municipality never vouches for a card of another; a CRL
// without nextUpdate, or with a critical extension the portal does not know, is never used.
// Black box: a portal started on the test PKI's anchors with the CRL files each case names
// (CRL_FAILURE_POLICY=refuse), and the card step posted as the user client software posts it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toJpkiDateOfBirth } from '../../../card/basic4.ts';
import { ctx, encodeOid, printable, readTlv, seq, set, tlv, utf8, value } from '../../../card/der.ts';
import type { CardFileData } from '../../../card/emulator/card-file.ts';
import { type CrlParams, createCrl } from '../../../card/pki/dev-pki.ts';
import { issueCard } from '../../../card/pki/issue.ts';
import { type Locality, noSubstitutes, serviceGeneralNames } from '../../../card/pki/profile.ts';
import { certificateSerial } from '../../../card/pki/revoke.ts';
import { x509 } from '../../../card/pki/x509.ts';
import { textsWith } from '../../../portal/i18n/codes.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import { parseCertificate } from '../../../portal/identity/certificate.ts';
import {
  certificateDistributionPoints,
  coverage,
  nameKey,
  parseIssuingDistributionPoint,
} from '../../../portal/identity/crl-scope.ts';
import { TrustStore } from '../../../portal/identity/trust.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal } from '../../helpers/server.ts';
import {
  AUTH_PIN,
  notice,
  SIGN_PASSWORD,
  setupPki,
  TestBrowser,
  type TestPki,
} from '../registration/helpers.ts';

const notices = textsWith(catalogs.en.registration.notices, { cardSessionMinutes: 5 });
const OSAKA: Locality = { prefecture: 'Osaka-fu', city: 'Osaka-shi' };
/** An extension no CRL profile defines (a private arc). */
const UNKNOWN_OID = '1.3.6.1.4.1.55555.1.1';
const NULL_VALUE = Uint8Array.of(0x05, 0x00);

let pki: TestPki;
let handle: DatabaseHandle;
/** A card whose sign certificate points at Osaka-shi's CRL, not the demo municipality's. */
let osaka: CardFileData;

before(async () => {
  [pki, handle] = await Promise.all([
    setupPki({ taro: 'taro', revoked: 'revoked' }),
    openTestDatabase('pglite'),
  ]);
  const name = 'ＨＯＵＭＵ　ＨＡＮＡＫＯ';
  const address = '大阪府大阪市北区中之島一丁目３番２０号';
  osaka = await issueCard(pki.pki, {
    id: 'osaka',
    basic4: {
      name,
      nameSubstitutes: noSubstitutes(name),
      sex: '2',
      dateOfBirth: toJpkiDateOfBirth('1985-06-15'),
      address,
      addressSubstitutes: noSubstitutes(address),
    },
    locality: OSAKA,
    signPassword: SIGN_PASSWORD,
    authPin: AUTH_PIN,
  });
});
after(async () => {
  await handle.close();
  pki.close();
});

/** Writes a CRL of the test PKI into its data dir and returns the file. */
async function crlFile(name: string, kind: 'sign' | 'auth', p: CrlParams): Promise<string> {
  const crl = await createCrl(pki.pki[kind], p);
  const file = join(pki.dataDir, 'pki', name);
  writeFileSync(file, new Uint8Array(crl.rawData));
  return file;
}

const revokedEntry = (b64Cert: string): x509.X509CrlEntryParams => ({
  serialNumber: certificateSerial(b64Cert),
  revocationDate: new Date(),
  reason: x509.X509CrlReason.unspecified,
});

/** The card step with `card` on a portal with `env`: 'STEP1', or the code of the notice shown. */
async function cardStep(card: CardFileData, env: Record<string, string> = {}): Promise<string> {
  const portal = await startPortal(handle.db, { ...pki.env, CRL_FAILURE_POLICY: 'refuse', ...env });
  try {
    const b = new TestBrowser(portal.app);
    b.cookies.set('lang', 'en');
    const r = await b.passCardStep(card, portal.url);
    if (r.body.includes('<h2>Enter user information (STEP1)</h2>')) return 'STEP1';
    const shown = notice(r.body);
    const code = Object.entries(notices).find(([, text]) => text.replaceAll('"', '&quot;') === shown)?.[0];
    return code ?? `unexpected page (${r.status}): ${shown}`;
  } finally {
    await portal.close();
  }
}

describe('CRL scope: distribution point against issuing distribution point', () => {
  test('the CRL of the certificate’s own distribution point: good passes, revoked is refused as before', async () => {
    assert.equal(await cardStep(pki.cards.taro!), 'STEP1');
    assert.equal(await cardStep(pki.cards.revoked!), 'auth_certificate_revoked');
  });

  test('a certificate of distribution point A with only the CRL of distribution point B loaded is unavailable', async () => {
    // Osaka-shi's CRL lists the card as revoked, but the portal has only Shinjuku-ku's: before the
    // fix that CRL was taken as covering every sign certificate, and the revoked card passed.
    await crlFile('sign-osaka-revoked.crl', 'sign', {
      partition: OSAKA,
      entries: [revokedEntry(osaka.sign!.certificate)],
    });
    assert.equal(await cardStep(osaka), 'revocation_unavailable');
    assert.equal(
      await cardStep(osaka, { CRL_FAILURE_POLICY: 'allow' }),
      'STEP1',
      'CRL_FAILURE_POLICY decides what unavailable means',
    );
  });

  test('with the CRL of its own partition loaded as well, that CRL decides: revoked or good', async () => {
    const shinjuku = join(pki.dataDir, 'pki', 'sign.crl');
    const revoked = await crlFile('sign-osaka-revoked.crl', 'sign', {
      partition: OSAKA,
      entries: [revokedEntry(osaka.sign!.certificate)],
    });
    const good = await crlFile('sign-osaka.crl', 'sign', { partition: OSAKA });
    assert.equal(
      await cardStep(osaka, { TRUST_SIGN_CRLS: `${shinjuku},${revoked}` }),
      'sign_certificate_revoked',
    );
    assert.equal(await cardStep(osaka, { TRUST_SIGN_CRLS: `${shinjuku},${good}` }), 'STEP1');
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_SIGN_CRLS: `${shinjuku},${good}` }), 'STEP1');
  });

  test('a complete CRL (no issuing distribution point) covers every certificate of its issuer', async () => {
    // RFC 5280 §6.3.3: a CRL without the extension is the issuer's complete list.
    const full = await crlFile('sign-full.crl', 'sign', { partition: null });
    assert.equal(await cardStep(osaka, { TRUST_SIGN_CRLS: full }), 'STEP1');
  });

  test('a CRL that only covers CA certificates does not cover a card', async () => {
    const file = join(pki.dataDir, 'pki', 'auth-ca-only.crl');
    const crl = await x509.X509CrlGenerator.create({
      issuer: pki.pki.auth.certificate.subject,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 86_400_000),
      signingKey: pki.pki.auth.privateKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      // IssuingDistributionPoint { onlyContainsCACerts [2] TRUE }
      extensions: [new x509.Extension('2.5.29.28', true, Uint8Array.of(0x30, 0x03, 0x82, 0x01, 0xff))],
    });
    writeFileSync(file, new Uint8Array(crl.rawData));
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: file }), 'revocation_unavailable');
  });
});

describe('CRLs the portal never uses', () => {
  test('a CRL without nextUpdate is stale: unavailable', async () => {
    const file = await crlFile('auth-no-next-update.crl', 'auth', { nextUpdate: null });
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: file }), 'revocation_unavailable');
  });

  test('a CRL with an unknown critical extension is ignored', async () => {
    const file = await crlFile('auth-unknown-critical.crl', 'auth', {
      extensions: [new x509.Extension(UNKNOWN_OID, true, NULL_VALUE)],
    });
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: file }), 'revocation_unavailable');
    // The same extension, not critical, may be ignored by the reader and the CRL is used.
    const tolerated = await crlFile('auth-unknown-noncritical.crl', 'auth', {
      extensions: [new x509.Extension(UNKNOWN_OID, false, NULL_VALUE)],
    });
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: tolerated }), 'STEP1');
  });

  test('a delta CRL and a CRL with a critical entry extension are ignored', async () => {
    // deltaCRLIndicator (critical): the portal reads complete CRLs only.
    const delta = await crlFile('auth-delta.crl', 'auth', {
      extensions: [new x509.Extension('2.5.29.27', true, Uint8Array.of(0x02, 0x01, 0x01))],
    });
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: delta }), 'revocation_unavailable');
    // certificateIssuer (critical, indirect CRLs): its entries might speak for another issuer.
    const indirect = await crlFile('auth-entry-ext.crl', 'auth', {
      entries: [
        {
          serialNumber: '01',
          revocationDate: new Date(),
          extensions: [new x509.Extension('2.5.29.29', true, serviceGeneralNames())],
        },
      ],
    });
    assert.equal(await cardStep(pki.cards.taro!, { TRUST_AUTH_CRLS: indirect }), 'revocation_unavailable');
  });

  test('each ignored CRL is logged with its reason', async () => {
    const files: Array<[string, RegExp]> = [
      [await crlFile('log-no-next.crl', 'auth', { nextUpdate: null }), /no nextUpdate/],
      [
        await crlFile('log-unknown.crl', 'auth', {
          extensions: [new x509.Extension(UNKNOWN_OID, true, NULL_VALUE)],
        }),
        /unknown critical extension/,
      ],
      [
        await crlFile('log-delta.crl', 'auth', {
          extensions: [new x509.Extension('2.5.29.27', true, Uint8Array.of(0x02, 0x01, 0x01))],
        }),
        /unknown critical extension/,
      ],
      [
        await crlFile('log-entry.crl', 'auth', {
          entries: [
            {
              serialNumber: '01',
              revocationDate: new Date(),
              extensions: [new x509.Extension('2.5.29.29', true, serviceGeneralNames())],
            },
          ],
        }),
        /unknown critical entry extension/,
      ],
    ];
    const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    await TrustStore.load(
      {
        signRoots: [pki.pki.paths.root('sign')],
        authRoots: [pki.pki.paths.root('auth')],
        signCrls: [],
        authCrls: files.map(([f]) => f),
        crlFailure: 'refuse',
        clockSkewSeconds: 60,
      },
      { warn: (obj, msg) => lines.push({ obj, msg }) },
    );
    assert.equal(lines.length, files.length, JSON.stringify(lines));
    files.forEach(([file, reason], i) => {
      assert.equal(lines[i]!.obj.file, file);
      assert.match(lines[i]!.msg, /^CRL ignored: /);
      assert.match(lines[i]!.msg, reason);
    });
    assert.equal(lines[1]!.obj.extension, UNKNOWN_OID);
  });
});

describe('matching a distribution point name (RFC 5280 §7.1)', () => {
  const OU = '2.5.4.11';
  const atv = (oid: string, v: Uint8Array) => set(seq(encodeOid(oid), v));
  const bmp = (text: string) => tlv(0x1e, Uint8Array.from(Buffer.from(text, 'utf16le').swap16()));

  test('the same name in another string type, case or spacing matches; another municipality does not', () => {
    const cert = parseCertificate(new Uint8Array(Buffer.from(pki.cards.taro!.sign!.certificate, 'base64')));
    const points = certificateDistributionPoints(cert.tbs, cert.issuer);
    const idp = (city: Uint8Array, cOrg = printable('JPKI-DEMO')) =>
      seq(
        ctx(
          0,
          ctx(
            0,
            ctx(
              4,
              seq(
                atv('2.5.4.6', printable('JP')),
                atv('2.5.4.10', cOrg),
                atv(OU, utf8('JPKI  for digital   SIGNATURE')),
                atv(OU, bmp('CRL Distribution Points')),
                atv(OU, utf8(' tokyo-to ')),
                atv('2.5.4.3', city),
              ),
            ),
          ),
        ),
      );
    const scopeOf = (v: Uint8Array) => parseIssuingDistributionPoint(v, cert.issuer);
    assert.equal(coverage(scopeOf(idp(utf8('SHINJUKU-KU'))), points), 'complete');
    assert.equal(coverage(scopeOf(idp(printable('Osaka-shi'))), points), undefined);
    assert.equal(coverage(scopeOf(idp(utf8('Shinjuku-ku'), printable('JPKI'))), points), undefined);
    // onlySomeReasons [3]: it can show a revocation, never that there is none.
    const someReasons = seq(
      ...[idp(utf8('Shinjuku-ku'))].map((d) => value(d, readTlv(d))),
      tlv(0x83, Uint8Array.of(0x07, 0x80)),
    );
    assert.equal(coverage(scopeOf(someReasons), points), 'partial');
  });

  test('nameRelativeToCRLIssuer is read as the CRL issuer’s name plus that RDN', () => {
    const cert = parseCertificate(new Uint8Array(Buffer.from(pki.cards.taro!.auth.certificate, 'base64')));
    const issuer = readTlv(cert.issuer);
    const rdn = atv(OU, printable('Partition 7'));
    const full = seq(value(cert.issuer, issuer), rdn);
    const relative = seq(ctx(0, tlv(0xa1, value(rdn, readTlv(rdn)))));
    assert.deepEqual([...parseIssuingDistributionPoint(relative, cert.issuer).names!], [nameKey(full)]);
  });

  test('a certificate without a CRL distribution point is covered by its issuer’s name', () => {
    const root = parseCertificate(new Uint8Array(pki.pki.auth.certificate.rawData));
    const points = certificateDistributionPoints(root.tbs, root.issuer);
    assert.deepEqual(points, [{ names: new Set([nameKey(root.issuer)]), allReasons: true }]);
  });
});
