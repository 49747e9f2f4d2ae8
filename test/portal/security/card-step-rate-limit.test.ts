// Defect 8 (issue 11): POST /registration/card creates a card session (a database row) on every
// request and had no rate limit, unlike the sign-in and recovery card steps. Now one address may
// start 20 card steps a minute; the 21st gets the "too many requests" page in its language.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogs } from '../../../portal/i18n/index.ts';
import { suitePortal } from '../../helpers/suite-portal.ts';

describe('rate limit on POST /registration/card', () => {
  const s = suitePortal();

  /** A browser at one address: the top page (form token), then the card step's POST. */
  async function browserAt(ip: string, lang: 'en' | 'ja') {
    const top = await s.portal.app.inject({ method: 'GET', url: '/', remoteAddress: ip, cookies: { lang } });
    const sid = top.cookies.find((c) => c.name === 'sid')!.value;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(top.body)![1]!;
    return () =>
      s.portal.app.inject({
        method: 'POST',
        url: '/registration/card',
        remoteAddress: ip,
        cookies: { sid, lang },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}`,
      });
  }

  test('the 21st card step within a minute from one address is refused, in the user’s language', async () => {
    for (const [ip, lang] of [
      ['203.0.113.7', 'en'],
      ['203.0.113.8', 'ja'],
    ] as const) {
      const start = await browserAt(ip, lang);
      for (let i = 1; i <= 20; i++) {
        const r = await start();
        assert.equal(r.statusCode, 303, `${ip}: card step ${i}`);
      }
      const limited = await start();
      assert.equal(limited.statusCode, 429);
      assert.match(limited.headers['content-type'] as string, /^text\/html/);
      const t = catalogs[lang].common.tooMany;
      assert.ok(limited.body.includes(t.title) && limited.body.includes(t.text), limited.body.slice(0, 500));
      assert.match(limited.body, new RegExp(`<html lang="${lang}"`));
    }
    // Another address is not affected.
    assert.equal((await (await browserAt('198.51.100.1', 'en'))()).statusCode, 303);
  });
});
