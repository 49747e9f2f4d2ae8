import type { Catalog } from '../../../i18n/index.ts';
import { Csrf, ErrorSummary, summaryItems } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice, PasswordField, TextField } from './parts.tsx';
import { PasskeySignInSection } from './passkeys.tsx';

interface Base {
  t: Catalog;
  path: string;
  csrf: string;
}

export interface SignInErrors {
  userId?: string;
  password?: string;
}

export function SignInPage({
  t,
  path,
  csrf,
  notice,
  userId,
  errors = {},
}: Base & { notice?: PageNotice; userId?: string; errors?: SignInErrors }) {
  const s = t.account.signin;
  const f = t.account.fields;
  const summary = summaryItems(errors, [
    ['userId', 'userId'],
    ['password', 'password'],
  ]);
  return (
    <Layout
      t={t}
      title={s.title}
      path={path}
      formId="signin-form"
      hasErrors={summary.length > 0 || notice?.kind === 'error'}
    >
      <h1>{s.title}</h1>
      <p class="lead">{s.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <NoticeBox t={t} notice={notice} />
      <section class="panel" aria-labelledby="signin-password">
        <h2 id="signin-password">{s.passwordTitle}</h2>
        <form method="post" action="/signin" id="signin-form" noValidate>
          <Csrf token={csrf} />
          <TextField
            t={t}
            id="userId"
            name="userId"
            label={f.userId}
            hint={f.userIdHint}
            error={errors.userId}
            value={userId}
            autocomplete="username webauthn"
          />
          <PasswordField
            t={t}
            id="password"
            name="password"
            label={f.password}
            error={errors.password}
            autocomplete="current-password"
          />
          <p class="actions">
            <button type="submit" class="button">
              {s.submit}
            </button>
          </p>
        </form>
        <ul>
          <li>
            <a href="/password/forgot">{s.forgotPassword}</a>
          </li>
          <li>
            <a href="/recover-user-id">{s.forgotUserId}</a>
          </li>
        </ul>
      </section>
      <section class="panel" aria-labelledby="signin-card">
        <h2 id="signin-card">{s.cardTitle}</h2>
        <p>{s.cardText}</p>
        <form method="post" action="/signin/card" class="actions">
          <Csrf token={csrf} />
          <button type="submit" class="button button-secondary">
            {s.cardButton}
          </button>
        </form>
      </section>
      <PasskeySignInSection t={t} csrf={csrf} />
      <p>
        <a href="/">{s.newUser}</a>
      </p>
    </Layout>
  );
}

export function PasswordExpiredPage({
  t,
  path,
  expiredAt,
  linkSent,
}: {
  t: Catalog;
  path: string;
  expiredAt: string;
  linkSent: boolean;
}) {
  const e = t.account.expired;
  return (
    <Layout t={t} title={e.title} path={path}>
      <h1>{e.title}</h1>
      <p>{linkSent ? e.text(expiredAt) : e.textThrottled(expiredAt)}</p>
      <p>{e.hint}</p>
      <p class="actions">
        <a class="button button-secondary" href="/">
          {t.common.notFound.back}
        </a>
      </p>
    </Layout>
  );
}

/** Signed out by the idle limit, or (lifetimeHours) by the absolute one however active. */
export function IdleTimeoutPage({
  t,
  path,
  minutes,
  lifetimeHours,
}: {
  t: Catalog;
  path: string;
  minutes: number;
  lifetimeHours?: number;
}) {
  const i = t.account.idle;
  return (
    <Layout t={t} title={i.title} path={path}>
      <h1>{i.title}</h1>
      <p>{lifetimeHours === undefined ? i.text(minutes) : i.textLifetime(lifetimeHours)}</p>
      <p class="actions">
        <a class="button" href="/signin">
          {i.signIn}
        </a>
      </p>
    </Layout>
  );
}
