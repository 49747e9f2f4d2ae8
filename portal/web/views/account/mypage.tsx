import { easyDate } from '../../../../design/readings.ts';
import { formatUserId } from '../../../domain/user-id.ts';
import type { AccountUser } from '../../../flows/account/deps.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { formatJst } from '../../../mail/format.ts';
import { Csrf, ErrorSummary, summaryItems } from '../components.tsx';
import { userCategoryLabel } from '../labels.ts';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice, PasswordField, TextField } from './parts.tsx';

interface Base {
  t: Catalog;
  path: string;
  csrf: string;
}

/** AB12345678CD → AB******78CD: enough for the user to recognise, not to copy. */
export function maskResidenceCardNumber(n: string): string {
  if (n.length <= 6) return '*'.repeat(n.length);
  return `${n.slice(0, 2)}${'*'.repeat(n.length - 6)}${n.slice(-4)}`;
}

// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with one.
const EN_DATE = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

function formatDate(iso: string, lang: Catalog['lang']): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (lang === 'ja') return `${y}年${m}月${d}日`;
  if (lang === 'ja-easy') return easyDate(y, m, d);
  return EN_DATE.format(new Date(Date.UTC(y, m - 1, d)));
}

export function MyPage({
  t,
  path,
  csrf,
  user,
  address,
  notice,
}: Base & { user: AccountUser; address: string; notice?: PageNotice }) {
  const m = t.account.myPage;
  const rows: [string, string][] = [
    [t.account.fields.userId, formatUserId(user.id)],
    [m.userName, user.userName],
    [m.sex, user.sex === 'male' ? m.sexMale : m.sexFemale],
    [m.dateOfBirth, formatDate(user.dateOfBirth, t.lang)],
    [m.address, address],
    [m.telephone, user.telephone],
    [m.email, user.email],
    [m.userCategory, userCategoryLabel(t, user.userCategory)],
  ];
  if (user.residenceCardNumber) {
    rows.push([
      m.residenceCardNumber,
      `${maskResidenceCardNumber(user.residenceCardNumber)} ${m.residenceCardMasked}`,
    ]);
  }
  if (user.proxyNotificationNumber) rows.push([m.proxyNumber, user.proxyNotificationNumber]);
  if (user.passwordExpiresAt) rows.push([m.passwordValidUntil, formatJst(user.passwordExpiresAt, t.lang)]);
  return (
    <Layout t={t} title={m.title} path={path}>
      <h1>{m.title}</h1>
      <NoticeBox notice={notice} />
      <section class="panel" aria-labelledby="applications">
        <h2 id="applications">{m.applicationsTitle}</h2>
        <p>{m.applicationsText}</p>
        <p>{m.applicationsNote}</p>
      </section>
      <section aria-labelledby="info">
        <h2 id="info">{m.infoTitle}</h2>
        <p>{m.lead}</p>
        <dl class="summary">
          {rows.map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
        <ul>
          <li>
            <a href="/mypage/email">{m.changeEmail}</a>
          </li>
          <li>
            <a href="/mypage/password">{m.changePassword}</a>
          </li>
          <li>
            <a href="/mypage/card">{t.cardRenewal.myPageLink}</a>
          </li>
          <li>
            <a href="/mypage/passkeys">{t.passkeys.myPageLink}</a>
          </li>
        </ul>
      </section>
      <form method="post" action="/signout" class="actions">
        <Csrf token={csrf} />
        <button type="submit" class="button button-secondary">
          {t.account.signout.button}
        </button>
      </form>
    </Layout>
  );
}

export interface ChangeEmailErrors {
  current?: string;
  email?: string;
  confirm?: string;
}

export function ChangeEmailPage({
  t,
  path,
  csrf,
  values = {},
  errors = {},
}: Base & { values?: { email?: string; confirm?: string }; errors?: ChangeEmailErrors }) {
  const c = t.account.changeEmail;
  const f = t.account.fields;
  const summary = summaryItems(errors, [
    ['email', 'email'],
    ['confirm', 'confirmEmail'],
    ['current', 'currentPassword'],
  ]);
  return (
    <Layout t={t} title={c.title} path={path} formId="email-form" hasErrors={summary.length > 0}>
      <h1>{c.title}</h1>
      <p class="lead">{c.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <form method="post" action="/mypage/email" id="email-form" noValidate>
        <Csrf token={csrf} />
        <TextField
          t={t}
          id="email"
          name="email"
          type="email"
          label={f.newEmail}
          error={errors.email}
          value={values.email}
          autocomplete="email"
        />
        <TextField
          t={t}
          id="confirmEmail"
          name="confirm"
          type="email"
          label={f.confirmEmail}
          error={errors.confirm}
          value={values.confirm}
          autocomplete="off"
        />
        <PasswordField
          t={t}
          id="currentPassword"
          name="current"
          label={f.currentPassword}
          error={errors.current}
          autocomplete="current-password"
        />
        <p class="actions">
          <button type="submit" class="button">
            {c.submit}
          </button>
          <a class="button button-secondary" href="/mypage">
            {c.back}
          </a>
        </p>
      </form>
    </Layout>
  );
}

export function ConfirmEmailPage({ t, path, csrf, email }: Base & { email: string }) {
  const c = t.account.confirmEmail;
  return (
    <Layout t={t} title={c.title} path={path}>
      <h1>{c.title}</h1>
      <p>{c.text(email)}</p>
      <form method="post" action="/email/confirm" class="actions">
        <Csrf token={csrf} />
        <button type="submit" class="button">
          {c.submit}
        </button>
      </form>
    </Layout>
  );
}
