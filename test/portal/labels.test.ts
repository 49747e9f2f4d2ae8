// One label per stored code on every page (issue 15): My page shows the user category exactly as
// STEP1 offered it and STEP2 confirmed it, never the raw code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { USER_CATEGORIES } from '../../portal/domain/user-category.ts';
import { catalogs } from '../../portal/i18n/index.ts';
import type { AccountUser } from '../../portal/store/accounts.ts';
import { MyPage } from '../../portal/web/views/account/mypage.tsx';

const user = (userCategory: string): AccountUser => ({
  id: '0123456789AB',
  userName: 'HOUMU TARO',
  sex: 'male',
  dateOfBirth: '1990-04-01',
  prefectureCode: '13',
  municipalityCode: '131041',
  streetAddress: 'Nishishinjuku 2-8-1',
  telephone: '09012345678',
  email: 'taro@example.jp',
  userCategory,
  residenceCardNumber: null,
  proxyNotificationNumber: userCategory === 'attorney' ? '123456' : null,
  lang: 'en',
  passwordHash: null,
  passwordSetAt: null,
  passwordExpiresAt: null,
});

/** The value beside "User category" on My page. */
function shownCategory(html: string, label: string): string {
  const m = new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(html);
  assert.ok(m, `My page has a "${label}" row`);
  return m[1]!;
}

test('My page names every user category as STEP1 does, in both languages', () => {
  for (const t of Object.values(catalogs)) {
    for (const c of USER_CATEGORIES) {
      const html = renderToString(MyPage({ t, path: '/mypage', csrf: 'x', user: user(c), address: 'Tokyo' }));
      const shown = shownCategory(html, t.account.myPage.userCategory);
      assert.equal(shown, t.registration.userCategories[c], `${t.lang} ${c}`);
      assert.doesNotMatch(shown, /_/, 'no raw code');
    }
  }
  // Attorneys and Administrative Procedures Legal Specialists are two categories, two labels.
  const labels = USER_CATEGORIES.map((c) => catalogs.en.registration.userCategories[c]);
  assert.equal(new Set(labels).size, labels.length);
});
