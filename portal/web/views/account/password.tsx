import { formatUserId } from '../../../domain/user-id.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { Csrf, ErrorSummary, type SummaryError, summaryItems } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice, PasswordField, TextField } from './parts.tsx';

interface Base {
  t: Catalog;
  path: string;
  csrf: string;
}

export interface NewPasswordErrors {
  current?: string;
  password?: string;
  confirm?: string;
}

function summaryOf(errors: NewPasswordErrors): SummaryError[] {
  return summaryItems(errors, [
    ['current', 'currentPassword'],
    ['password', 'password'],
    ['confirm', 'confirm'],
  ]);
}

function NewPasswordFields({ t, errors }: { t: Catalog; errors: NewPasswordErrors }) {
  const f = t.account.fields;
  return (
    <>
      <PasswordField
        t={t}
        id="password"
        name="password"
        label={f.newPassword}
        hint={f.newPasswordHint}
        error={errors.password}
        autocomplete="new-password"
      />
      <PasswordField
        t={t}
        id="confirm"
        name="confirm"
        label={f.confirmPassword}
        hint={f.confirmPasswordHint}
        error={errors.confirm}
        autocomplete="new-password"
      />
    </>
  );
}

/** Opened from the emailed link: the User ID (also for password managers) and the new password twice. */
export function SetPasswordPage({
  t,
  path,
  csrf,
  userId,
  errors = {},
}: Base & { userId: string; errors?: NewPasswordErrors }) {
  const s = t.account.setPassword;
  const summary = summaryOf(errors);
  return (
    <Layout t={t} title={s.title} path={path} formId="password-form" hasErrors={summary.length > 0}>
      <h1>{s.title}</h1>
      <p class="lead">{s.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <form method="post" action="/password/set" id="password-form" noValidate>
        <Csrf token={csrf} />
        <div class="field">
          <label class="field-label" for="username">
            <span class="field-label-text">{s.userIdLabel}</span>
          </label>
          <input
            type="text"
            id="username"
            name="username"
            value={formatUserId(userId)}
            autoComplete="username"
            readOnly
          />
        </div>
        <NewPasswordFields t={t} errors={errors} />
        <p class="actions">
          <button type="submit" class="button">
            {s.submit}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function ChangePasswordPage({ t, path, csrf, errors = {} }: Base & { errors?: NewPasswordErrors }) {
  const c = t.account.changePassword;
  const summary = summaryOf(errors);
  return (
    <Layout t={t} title={c.title} path={path} formId="password-form" hasErrors={summary.length > 0}>
      <h1>{c.title}</h1>
      <p class="lead">{c.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <form method="post" action="/mypage/password" id="password-form" noValidate>
        <Csrf token={csrf} />
        <PasswordField
          t={t}
          id="currentPassword"
          name="current"
          label={t.account.fields.currentPassword}
          error={errors.current}
          autocomplete="current-password"
        />
        <NewPasswordFields t={t} errors={errors} />
        <p class="actions">
          <button type="submit" class="button">
            {c.submit}
          </button>
          <a class="button button-secondary" href="/mypage">
            {t.account.changeEmail.back}
          </a>
        </p>
      </form>
    </Layout>
  );
}

export interface ForgotErrorsText {
  userId?: string;
  email?: string;
}

/** The request form, alone (forgotten password) or under a link problem (expired, used, unknown). */
function ForgotForm({
  t,
  csrf,
  values,
  errors,
}: {
  t: Catalog;
  csrf: string;
  values: { userId?: string; email?: string };
  errors: ForgotErrorsText;
}) {
  const f = t.account.fields;
  return (
    <form method="post" action="/password/forgot" id="forgot-form" noValidate>
      <Csrf token={csrf} />
      <TextField
        t={t}
        id="userId"
        name="userId"
        label={f.userId}
        hint={f.userIdHint}
        error={errors.userId}
        value={values.userId}
        autocomplete="username"
      />
      <TextField
        t={t}
        id="email"
        name="email"
        type="email"
        label={f.email}
        hint={f.emailHint}
        error={errors.email}
        value={values.email}
        autocomplete="email"
      />
      <p class="actions">
        <button type="submit" class="button">
          {t.account.forgot.submit}
        </button>
      </p>
    </form>
  );
}

export function ForgotPage({
  t,
  path,
  csrf,
  values = {},
  errors = {},
  notice,
}: Base & { values?: { userId?: string; email?: string }; errors?: ForgotErrorsText; notice?: PageNotice }) {
  const g = t.account.forgot;
  const summary = summaryItems(errors, [
    ['userId', 'userId'],
    ['email', 'email'],
  ]);
  return (
    <Layout
      t={t}
      title={g.title}
      path={path}
      formId="forgot-form"
      hasErrors={summary.length > 0 || notice?.kind === 'error'}
    >
      <h1>{g.title}</h1>
      <p class="lead">{g.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <NoticeBox notice={notice} />
      <ForgotForm t={t} csrf={csrf} values={values} errors={errors} />
      <p>
        <a href="/recover-user-id">{g.forgotUserId}</a>
      </p>
    </Layout>
  );
}

export function ForgotSentPage({
  t,
  path,
  hours,
  cooldownMinutes,
}: {
  t: Catalog;
  path: string;
  hours: number;
  cooldownMinutes: number;
}) {
  const g = t.account.forgot;
  return (
    <Layout t={t} title={g.sentTitle} path={path}>
      <h1>{g.sentTitle}</h1>
      <p>{g.sentText(hours, cooldownMinutes)}</p>
      <p>{g.sentHint}</p>
      <p class="actions">
        <a class="button" href="/signin">
          {t.account.signin.title}
        </a>
      </p>
    </Layout>
  );
}

export function LinkProblemPage({
  t,
  path,
  csrf,
  problem,
  hours,
}: Base & { problem: 'expired' | 'used' | 'unknown'; hours: number }) {
  const l = t.account.linkProblem;
  const title = problem === 'expired' ? l.expiredTitle : problem === 'used' ? l.usedTitle : l.unknownTitle;
  const text = problem === 'expired' ? l.expiredText(hours) : problem === 'used' ? l.usedText : l.unknownText;
  return (
    <Layout t={t} title={title} path={path}>
      <h1>{title}</h1>
      <p>{text}</p>
      {problem === 'used' ? (
        <p>
          <a href="/signin">{l.signIn}</a>
        </p>
      ) : null}
      <section class="panel" aria-labelledby="new-link">
        <h2 id="new-link">{t.account.forgot.newLinkTitle}</h2>
        <p>{t.account.forgot.lead}</p>
        <ForgotForm t={t} csrf={csrf} values={{}} errors={{}} />
      </section>
    </Layout>
  );
}
