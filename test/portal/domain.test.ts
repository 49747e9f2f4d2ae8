import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseMunicipality, parseStreetAddress, STREET_ADDRESS_MAX } from '../../portal/domain/address.ts';
import { parseEmail, parseEmailConfirm, parseTelephone } from '../../portal/domain/contact.ts';
import { normalizeCode, normalizeNumber, normalizeText } from '../../portal/domain/normalize.ts';
import {
  parseDateOfBirth,
  parseSex,
  parseUserName,
  splitIsoDate,
  todayInJapan,
  USER_NAME_MAX,
} from '../../portal/domain/person.ts';
import { emptyRegistrationInput, validateRegistration } from '../../portal/domain/registration.ts';
import {
  parseProxyNotificationNumber,
  parseResidenceCardNumber,
  parseUserCategory,
  USER_CATEGORIES,
} from '../../portal/domain/user-category.ts';
import {
  formatUserId,
  isValidUserId,
  newUserId,
  parseUserId,
  USER_ID_ALPHABET,
} from '../../portal/domain/user-id.ts';
import { STEP1_FIELD_ORDER } from '../../portal/flows/registration/step1-fields.ts';

/** Full-width form of printable ASCII (what a Japanese IME types). */
const toFullWidth = (s: string) =>
  [...s].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');

const upperWord = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  minLength: 1,
  maxLength: 12,
});
const name = fc.array(upperWord, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('normalisers', () => {
  test('normalizeText is idempotent and leaves no double or edge spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normalizeText(s);
        assert.equal(normalizeText(once), once);
        assert.ok(!/ {2}/.test(once) && once === once.trim());
      }),
    );
  });
  test('normalizeNumber removes separators of every width and folds digits', () => {
    fc.assert(
      fc.property(digits(1, 12), fc.constantFrom('-', '－', 'ー', '−', ' ', '\u3000', '‐'), (d, sep) => {
        const typed = toFullWidth(d).split('').join(sep);
        assert.equal(normalizeNumber(typed), d);
      }),
    );
  });
  test('normalizeCode upper-cases', () => {
    assert.equal(normalizeCode('ａｂ１２３４５６７８ｃｄ'), 'AB12345678CD');
  });
});

describe('user name', () => {
  test('accepts upper-case words up to 104 letters, as typed in any width or case', () => {
    fc.assert(
      fc.property(name, fc.boolean(), fc.boolean(), (n, wide, lower) => {
        fc.pre(n.length <= USER_NAME_MAX);
        let typed = lower ? n.toLowerCase() : n;
        if (wide) typed = toFullWidth(typed);
        assert.deepEqual(parseUserName(`  ${typed.replace(/ /g, '   ')} `), { ok: true, value: n });
      }),
    );
  });
  test('too long', () => {
    fc.assert(
      fc.property(fc.integer({ min: USER_NAME_MAX + 1, max: 300 }), (len) => {
        assert.deepEqual(parseUserName('A'.repeat(len)), { ok: false, error: 'too_long' });
      }),
    );
  });
  test('required and invalid characters', () => {
    assert.deepEqual(parseUserName(' \u3000 '), { ok: false, error: 'required' });
    fc.assert(
      fc.property(name, fc.constantFrom('法務', '1', '-', "'", 'É', '.'), (n, bad) => {
        assert.deepEqual(parseUserName(n + bad), { ok: false, error: 'invalid_characters' });
      }),
    );
  });
});

describe('sex', () => {
  test('male or female only', () => {
    assert.ok(parseSex('male').ok && parseSex('female').ok);
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(s !== 'male' && s !== 'female');
        assert.deepEqual(parseSex(s), { ok: false, error: 'required' });
      }),
    );
  });
});

describe('date of birth', () => {
  const today = '2026-11-25';
  test('every real past date round-trips through its parts, typed full-width too', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2026-11-24'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const parts = splitIsoDate(iso);
          assert.deepEqual(parseDateOfBirth(parts, today), { ok: true, value: iso });
          const wide = {
            year: toFullWidth(parts.year),
            month: toFullWidth(parts.month),
            day: toFullWidth(parts.day),
          };
          assert.deepEqual(parseDateOfBirth(wide, today), { ok: true, value: iso });
        },
      ),
    );
  });
  test('today and later are not past', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-11-25'), max: new Date('2200-01-01'), noInvalidDate: true }),
        (d) => {
          const parts = splitIsoDate(d.toISOString().slice(0, 10));
          assert.deepEqual(parseDateOfBirth(parts, today), { ok: false, error: 'not_past' });
        },
      ),
    );
  });
  test('impossible dates', () => {
    for (const [year, month, day] of [
      ['2023', '2', '29'],
      ['1990', '13', '1'],
      ['1990', '4', '31'],
      ['1990', '0', '10'],
      ['199', '1', '1'],
      ['abcd', '1', '1'],
    ] as const) {
      assert.deepEqual(parseDateOfBirth({ year, month, day }, today), { ok: false, error: 'invalid_date' });
    }
    assert.deepEqual(parseDateOfBirth({ year: '2024', month: '2', day: '29' }, today).ok, true);
    assert.deepEqual(parseDateOfBirth({ year: '', month: '1', day: '1' }, today), {
      ok: false,
      error: 'required',
    });
    assert.deepEqual(parseDateOfBirth({ year: '1899', month: '12', day: '31' }, today), {
      ok: false,
      error: 'too_old',
    });
  });
  test('today in Japan', () => {
    assert.equal(todayInJapan(new Date('2026-11-24T15:00:00Z')), '2026-11-25');
    assert.equal(todayInJapan(new Date('2026-11-24T14:59:59Z')), '2026-11-24');
  });
});

describe('address', () => {
  const list = { isSelectable: (p: string, m: string) => p === '13' && m === '131041' };
  test('municipality from the list only', () => {
    assert.deepEqual(parseMunicipality('13', '131041', list), {
      ok: true,
      value: { prefectureCode: '13', municipalityCode: '131041' },
    });
    assert.deepEqual(parseMunicipality('', '', list), { ok: false, error: 'required' });
    assert.deepEqual(parseMunicipality('27', '131041', list), { ok: false, error: 'unknown' });
    fc.assert(
      fc.property(fc.string(), fc.string(), (p, m) => {
        fc.pre(p.trim() !== '' && m.trim() !== '' && !(p.trim() === '13' && m.trim() === '131041'));
        assert.deepEqual(parseMunicipality(p, m, list), { ok: false, error: 'unknown' });
      }),
    );
  });
  test('street address: normalised, required, bounded', () => {
    assert.deepEqual(parseStreetAddress('西新宿２－８－１　都庁第一本庁舎'), {
      ok: true,
      value: '西新宿2-8-1 都庁第一本庁舎',
    });
    assert.deepEqual(parseStreetAddress('   '), { ok: false, error: 'required' });
    assert.deepEqual(parseStreetAddress('a\u0007b'), { ok: false, error: 'invalid_characters' });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (s) => {
        const r = parseStreetAddress(s);
        if (r.ok) assert.ok([...r.value].length <= STREET_ADDRESS_MAX && r.value === normalizeText(r.value));
      }),
    );
  });
});

describe('telephone', () => {
  test('landlines and mobiles, typed with hyphens, spaces, brackets, full-width, +81', () => {
    const cases: [string, string][] = [
      ['03-1234-5678', '0312345678'],
      ['０３（１２３４）５６７８', '0312345678'],
      ['090 1234 5678', '09012345678'],
      ['+81-90-1234-5678', '09012345678'],
      ['050-1234-5678', '05012345678'],
      ['0465-12-3456', '0465123456'],
    ];
    for (const [typed, stored] of cases) assert.deepEqual(parseTelephone(typed), { ok: true, value: stored });
  });
  test('any valid number survives hyphenation', () => {
    const valid = fc.oneof(
      fc.tuple(fc.constantFrom('070', '080', '090', '050'), digits(8, 8)).map(([p, d]) => p + d),
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), digits(7, 7))
        .map(([a, b, d]) => `0${a}${b}${d}`),
    );
    fc.assert(
      fc.property(valid, fc.integer({ min: 1, max: 9 }), (n, cut) => {
        fc.pre(!/^0(120|570|990|800)/.test(n));
        const typed = `${n.slice(0, cut)}-${n.slice(cut)}`;
        assert.deepEqual(parseTelephone(typed), { ok: true, value: n });
      }),
    );
  });
  test('errors', () => {
    assert.deepEqual(parseTelephone(''), { ok: false, error: 'required' });
    assert.deepEqual(parseTelephone('03-1234-abcd'), { ok: false, error: 'invalid_characters' });
    for (const n of ['12345', '0120-123-456', '1312345678', '091234567890', '0901234567'])
      assert.deepEqual(parseTelephone(n), { ok: false, error: 'invalid_number' }, n);
  });
});

describe('email', () => {
  test('sane addresses, domain lower-cased, full-width folded', () => {
    assert.deepEqual(parseEmail('user02@ENS-test.com'), { ok: true, value: 'user02@ens-test.com' });
    assert.deepEqual(parseEmail('ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｊｐ'), { ok: true, value: 'user@example.jp' });
    for (const bad of ['user', '@x.jp', 'a@b', 'a..b@x.jp', 'a@-x.jp', 'a@x.j1', 'a b@x@y.jp', 'a@x_y.jp'])
      assert.deepEqual(parseEmail(bad), { ok: false, error: 'invalid' }, bad);
    assert.deepEqual(parseEmail(''), { ok: false, error: 'required' });
    assert.deepEqual(
      parseEmail(
        `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.jp`,
      ),
      {
        ok: false,
        error: 'too_long',
      },
    );
  });
  test('generated addresses are accepted and the confirmation must match', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
        const r = parseEmail(a);
        if (!r.ok) return; // fast-check allows forms we deliberately refuse (e.g. numeric TLDs)
        assert.deepEqual(parseEmailConfirm(a, toFullWidth(a)).ok, true);
        const rb = parseEmail(b);
        if (rb.ok && r.value !== rb.value)
          assert.deepEqual(parseEmailConfirm(a, b), { ok: false, error: 'mismatch' });
      }),
    );
    assert.deepEqual(parseEmailConfirm('a@x.jp', ''), { ok: false, error: 'required' });
  });
});

describe('user category and its numbers', () => {
  test('the eight categories', () => {
    for (const c of USER_CATEGORIES) assert.ok(parseUserCategory(c).ok);
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!(USER_CATEGORIES as readonly string[]).includes(s));
        assert.deepEqual(parseUserCategory(s), { ok: false, error: 'required' });
      }),
    );
  });
  const upper2 = fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    minLength: 2,
    maxLength: 2,
  });
  test('residence card number: AA00000000AA, typed any way; required for a Foreign National only', () => {
    fc.assert(
      fc.property(upper2, digits(8, 8), upper2, fc.constantFrom(...USER_CATEGORIES), (a, d, b, cat) => {
        const n = a + d + b;
        const typed = toFullWidth(`${a.toLowerCase()} ${d.slice(0, 4)}-${d.slice(4)} ${b}`);
        assert.deepEqual(parseResidenceCardNumber(typed, cat), { ok: true, value: n });
      }),
    );
    assert.deepEqual(parseResidenceCardNumber('', 'foreign_national'), { ok: false, error: 'required' });
    assert.deepEqual(parseResidenceCardNumber('', 'spouse'), { ok: true, value: null });
    for (const bad of ['A12345678CD', 'AB1234567CD', 'AB12345678C1', '12345678ABCD'])
      assert.deepEqual(parseResidenceCardNumber(bad, 'spouse'), { ok: false, error: 'invalid_format' });
  });
  test('proxy notification number: 1–12 digits; required for attorney and scrivener', () => {
    fc.assert(
      fc.property(digits(1, 12), (d) => {
        assert.deepEqual(parseProxyNotificationNumber(toFullWidth(d), 'attorney'), { ok: true, value: d });
      }),
    );
    fc.assert(
      fc.property(digits(13, 20), (d) => {
        assert.deepEqual(parseProxyNotificationNumber(d, 'attorney'), { ok: false, error: 'invalid_format' });
      }),
    );
    assert.deepEqual(parseProxyNotificationNumber('', 'attorney'), { ok: false, error: 'required' });
    assert.deepEqual(parseProxyNotificationNumber('', 'administrative_scrivener'), {
      ok: false,
      error: 'required',
    });
    assert.deepEqual(parseProxyNotificationNumber('', 'foreign_national'), { ok: true, value: null });
    assert.deepEqual(parseProxyNotificationNumber('12a', 'child'), { ok: false, error: 'invalid_format' });
  });
});

describe('whole form', () => {
  const ctx = {
    today: '2026-11-25',
    municipalities: { isSelectable: (p: string, m: string) => p === '13' && m === '131041' },
  };
  test('an empty form names every required field, in order', () => {
    const r = validateRegistration(emptyRegistrationInput(), ctx);
    assert.ok(!r.ok);
    assert.deepEqual(
      Object.keys(r.errors),
      STEP1_FIELD_ORDER.filter((f) => f !== 'residenceCardNumber' && f !== 'proxyNotificationNumber'),
    );
  });
  test('a complete form gives the normalised registration', () => {
    const r = validateRegistration(
      {
        userName: 'houmu taro',
        sex: 'male',
        dateOfBirthYear: '１９９０',
        dateOfBirthMonth: '4',
        dateOfBirthDay: '01',
        prefectureCode: '13',
        municipalityCode: '131041',
        streetAddress: '西新宿２－８－１',
        telephone: '03-1234-5678',
        email: 'user02@ens-test.com',
        emailConfirm: 'user02@ens-test.com',
        userCategory: 'foreign_national',
        residenceCardNumber: 'ab12345678cd',
        proxyNotificationNumber: '',
        termsAgreed: true,
      },
      ctx,
    );
    assert.deepEqual(r, {
      ok: true,
      value: {
        userName: 'HOUMU TARO',
        sex: 'male',
        dateOfBirth: '1990-04-01',
        prefectureCode: '13',
        municipalityCode: '131041',
        streetAddress: '西新宿2-8-1',
        telephone: '0312345678',
        email: 'user02@ens-test.com',
        userCategory: 'foreign_national',
        residenceCardNumber: 'AB12345678CD',
        proxyNotificationNumber: null,
      },
    });
  });
});

describe('user ID', () => {
  test('new IDs are valid, 12 symbols of the alphabet, and parse back from how people type them', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const id = newUserId();
        assert.ok(isValidUserId(id));
        assert.equal(id.length, 12);
        assert.equal(parseUserId(toFullWidth(formatUserId(id).toLowerCase())), id);
      }),
    );
  });
  test('one wrong symbol is always detected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 31 }), (pos, shift) => {
        const id = newUserId();
        const i = USER_ID_ALPHABET.indexOf(id[pos]!);
        const wrong = id.slice(0, pos) + USER_ID_ALPHABET[(i + shift) % 32] + id.slice(pos + 1);
        assert.ok(!isValidUserId(wrong));
      }),
    );
  });
  test('no ambiguous letters; O, I and L read as digits', () => {
    assert.ok(!/[ILOU]/.test(USER_ID_ALPHABET));
    const id = newUserId();
    assert.equal(parseUserId(id.replace(/0/g, 'O').replace(/1/g, 'l')), id);
  });
});
