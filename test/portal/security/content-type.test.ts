// ASVS 13.1.5 / 13.2.5: the portal and the user client software read form bodies only
// (application/x-www-form-urlencoded, which is all their pages send). JSON, text, multipart or
// XML answers 415 before any handler runs: on the portal with a page in the applicant's language.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { catalogs } from '../../../portal/i18n/index.ts';
import { freshCardDir, startClient, type TestClient } from '../../client/helpers.ts';
import { suitePortal } from '../../helpers/suite-portal.ts';
import { TestBrowser } from '../registration/helpers.ts';

const NOT_FORMS: Array<(fields: Record<string, string>) => { type: string; payload: string }> = [
  (f) => ({ type: 'application/json', payload: JSON.stringify(f) }),
  (f) => ({ type: 'text/plain', payload: new URLSearchParams(f).toString() }),
  (f) => ({
    type: 'multipart/form-data; boundary=x',
    payload: `${Object.entries(f)
      .map(([k, v]) => `--x\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('')}--x--\r\n`,
  }),
  (f) => ({ type: 'application/xml', payload: `<form>${JSON.stringify(f)}</form>` }),
];

describe('portal', () => {
  const s = suitePortal();

  const audited = async () =>
    Number(
      (
        await s.h.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('a sign-in posted as JSON, text, multipart or XML answers 415 with a page in the applicant’s language; as a form it reaches the sign-in', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const b = new TestBrowser(s.portal.app);
      b.cookies.set('lang', lang);
      await b.get('/signin');
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const fields = { _csrf: b.csrf, userId: 'AB-1234-5678-9012', password: 'not the password' };
      const before = await audited();
      for (const encode of NOT_FORMS) {
        const body = encode(fields);
        const res = await s.portal.app.inject({
          method: 'POST',
          url: '/signin',
          headers: { cookie, 'content-type': body.type },
          payload: body.payload,
        });
        assert.equal(res.statusCode, 415, body.type);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.ok(res.body.includes(catalogs[lang].common.notAForm.title), `${lang} ${body.type}`);
        assert.ok(res.body.includes(`lang="${lang}"`));
      }
      assert.equal(await audited(), before, 'no sign-in was attempted');
      // The same fields as a form reach the sign-in (a wrong password: 401, audited).
      const form = await b.post('/signin', { userId: fields.userId, password: fields.password });
      assert.equal(form.status, 401);
      assert.equal(await audited(), before + 1);
    }
  });
});

describe('user client software', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient(await freshCardDir('default'), []);
  });
  after(() => client?.close());

  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: client.port, path }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve(data));
      })
        .on('error', reject)
        .end();
    });
  const post = (path: string, body: { type: string; payload: string }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          method: 'POST',
          host: '127.0.0.1',
          port: client.port,
          path,
          headers: { 'content-type': body.type, 'content-length': String(Buffer.byteLength(body.payload)) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c) => {
            data += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on('error', reject);
      req.end(body.payload);
    });

  test('the card reader form posted as JSON, text, multipart or XML answers 415 in both languages', async () => {
    const page = await get('/');
    const token = /name="_token" value="([^"]*)"/.exec(page)?.[1] ?? '';
    assert.ok(token, 'the status page has its form token');
    for (const encode of NOT_FORMS) {
      const body = encode({ _token: token, action: 'remove' });
      const r = await post('/reader', body);
      assert.equal(r.status, 415, body.type);
      assert.match(r.body, /フォーム以外の形式は受け付けません \/ Unsupported media type/);
    }
    assert.equal((await client.reader.state()).cardId, 'default', 'the card is still in the reader');
    // As a form, the same request takes the card out.
    const r = await post('/reader', {
      type: 'application/x-www-form-urlencoded',
      payload: new URLSearchParams({ _token: token, action: 'remove' }).toString(),
    });
    assert.equal(r.status, 303);
    assert.equal((await client.reader.state()).cardId, null);
  });
});
