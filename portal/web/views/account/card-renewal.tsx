// "Use a new Individual Number card" (docs/decisions/0702-card-renewal.md): the page on My page
// that reads the new card, and STEP1's hint for an applicant who may already be registered.
import type { Catalog } from '../../../i18n/index.ts';
import { formatJst } from '../../../mail/format.ts';
import { Csrf, ErrorSummary, summaryItems } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice, PasswordField } from './parts.tsx';

export interface CardHistoryItem {
  linkedAt: Date;
  replacedAt: Date | null;
}

export function RenewCardPage({
  t,
  path,
  csrf,
  history,
  notice,
  error,
}: {
  t: Catalog;
  path: string;
  csrf: string;
  history: CardHistoryItem[];
  notice?: PageNotice;
  /** The current password's error, if any. */
  error?: string;
}) {
  const c = t.cardRenewal.page;
  const f = t.account.fields;
  const summary = summaryItems({ current: error }, [['current', 'currentPassword']]);
  const when = (d: Date) => formatJst(d, t.lang);
  return (
    <Layout
      t={t}
      title={c.title}
      path={path}
      formId="renew-card-form"
      hasErrors={summary.length > 0 || notice?.kind === 'error'}
    >
      <h1>{c.title}</h1>
      <p class="lead">{c.lead}</p>
      <ErrorSummary t={t} errors={summary} />
      <NoticeBox notice={notice} />
      {history.length > 0 ? (
        <section aria-labelledby="card-history">
          <h2 id="card-history">{c.historyTitle}</h2>
          <ul id="card-history-list">
            {history.map((h) => (
              <li>
                {h.replacedAt
                  ? c.replaced(when(h.linkedAt), when(h.replacedAt))
                  : c.current(when(h.linkedAt))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="renew-steps">
        <h2 id="renew-steps">{c.stepsTitle}</h2>
        <ol>
          {c.steps.map((s) => (
            <li>{s}</li>
          ))}
        </ol>
        <p>{c.after}</p>
        <form method="post" action="/mypage/card" id="renew-card-form" noValidate>
          <Csrf token={csrf} />
          <PasswordField
            t={t}
            id="currentPassword"
            name="current"
            label={f.currentPassword}
            error={error}
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
      </section>
    </Layout>
  );
}

/** On STEP1: this card's name, sex and date of birth match a registered user (does not block). */
export function MayBeRegisteredNotice({ t }: { t: Catalog }) {
  const h = t.cardRenewal.step1Hint;
  return (
    <section class="notice" id="renewal-hint" aria-labelledby="renewal-hint-title">
      <h2 id="renewal-hint-title">{h.title}</h2>
      <p>{h.text}</p>
      <p>
        <a href="/signin">{h.signIn}</a>
      </p>
      <p>{h.otherwise}</p>
    </section>
  );
}
