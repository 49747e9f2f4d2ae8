import type { UserCategory } from '../../domain/user-category.ts';
import { type Catalog, catalogs, htmlLang } from '../../i18n/index.ts';
import { Csrf, StartupGuideLink } from './components.tsx';
import { Layout } from './layout.tsx';

interface PageBase {
  t: Catalog;
  path: string;
}

/** The top page: the manual's "New User Registration" entry and its button. */
export function HomePage({
  t,
  path,
  csrf,
  notice,
}: PageBase & { csrf: string; notice?: { kind: 'error' | 'info'; text: string; guide?: boolean } }) {
  const h = t.common.home;
  // Each kind of user and the user categories it selects on STEP1 (labels shared with STEP1).
  const who: [string, UserCategory[]][] = [
    [h.whoForeignNational, ['foreign_national']],
    [h.whoLegalRepresentative, ['legal_representative']],
    [h.whoFamily, ['spouse', 'child', 'father', 'mother']],
    [h.whoAgent, ['attorney', 'administrative_scrivener']],
  ];
  return (
    <Layout t={t} title={h.title} path={path}>
      <h1>{h.title}</h1>
      <p class="lead">{h.lead}</p>
      {notice ? (
        <div class={`notice${notice.kind === 'error' ? ' notice-error' : ''}`} role="alert" id="notice">
          <p>{notice.text}</p>
          {notice.guide ? <StartupGuideLink t={t} /> : null}
        </div>
      ) : null}
      <section class="panel" aria-labelledby="new-user">
        <h2 id="new-user">{h.newUserTitle}</h2>
        <p>{h.newUserText}</p>
        <form method="post" action="/registration/card" class="actions">
          <Csrf token={csrf} />
          <button type="submit" class="button">
            {h.applicantButton}
          </button>
        </form>
        <ul>
          <li>
            <a href="/prepare">{h.prepareLink}</a>
          </li>
          <li>
            <a href="/startup-guide">{h.startupGuideLink}</a>
          </li>
        </ul>
      </section>
      <section class="panel" aria-labelledby="registered">
        <h2 id="registered">{h.registeredTitle}</h2>
        <p>{h.registeredText}</p>
        <p class="actions">
          <a class="button button-secondary" href="/signin">
            {h.signIn}
          </a>
        </p>
        <ul>
          <li>
            <a href="/password/forgot">{h.forgotPassword}</a>
          </li>
          <li>
            <a href="/recover-user-id">{h.forgotUserId}</a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="who">
        <h2 id="who">{h.whoTitle}</h2>
        <p>{h.whoText}</p>
        <dl class="summary who-list">
          {who.map(([text, categories]) => (
            <>
              <dt>{text}</dt>
              <dd>
                {h.whoCategory}
                {categories.map((c) => t.registration.userCategories[c]).join(t.lang === 'en' ? ' / ' : '・')}
                {categories.includes('attorney') ? (
                  <>
                    <br />
                    <a href="/proxy-notification-number">
                      {t.registration.step1.proxyNotificationNumber.howToLink}
                    </a>
                  </>
                ) : null}
              </dd>
            </>
          ))}
        </dl>
      </section>
    </Layout>
  );
}

/** Section 1.1 of the manual: items to prepare. */
export function PreparePage({ t, path }: PageBase) {
  const p = t.common.prepare;
  return (
    <Layout t={t} title={p.title} path={path}>
      <h1>{p.title}</h1>
      <p>{p.lead}</p>
      <ul>
        <li>
          {p.card}
          <br />
          <span class="field-hint">{p.cardHint}</span>
        </li>
        <li>{p.residenceCard}</li>
        <li>
          {p.client}
          <br />
          <span class="field-hint">{p.clientHint}</span>
        </li>
        <li>{p.reader}</li>
      </ul>
      <p>
        {p.startupGuide} <a href="/startup-guide">{t.guides.startup.title}</a>
      </p>
      <p class="actions">
        <a class="button button-secondary" href="/">
          {p.back}
        </a>
      </p>
    </Layout>
  );
}

/**
 * The Terms of Use. Japanese is the authoritative text; English is a translation and Easy Japanese
 * an easy summary, both with the Japanese text one link away (`/terms?text=ja`, which shows it
 * inside the reader's own page language, marked lang="ja").
 */
export function TermsPage({ t, path, authoritative }: PageBase & { authoritative?: boolean }) {
  const text = authoritative ? catalogs.ja.terms : t.terms;
  return (
    <Layout t={t} title={t.common.terms.title} path={path}>
      <h1>{t.common.terms.title}</h1>
      {t.lang !== 'ja' ? (
        <p class="notice" id="authoritative-terms">
          {authoritative ? (
            <a href="/terms">{t.terms.authoritative.back}</a>
          ) : (
            <>
              {t.terms.authoritative.note} <a href="/terms?text=ja">{t.terms.authoritative.link}</a>
            </>
          )}
        </p>
      ) : null}
      <div lang={authoritative ? 'ja' : undefined}>
        <div class="notice" id="sample-terms">
          <p>
            <strong>{text.sampleTitle}</strong>
          </p>
          <p>{text.sample}</p>
        </div>
        <p>{text.updated}</p>
        <p>{text.intro}</p>
        {text.sections.map((s) => (
          <section>
            <h2>{s.heading}</h2>
            {s.body.map((para) => (
              <p>{para}</p>
            ))}
          </section>
        ))}
      </div>
    </Layout>
  );
}

export function SourcesPage({ t, path }: PageBase) {
  return (
    <Layout t={t} title={t.common.sources.title} path={path}>
      <h1>{t.common.sources.title}</h1>
      <ul>
        <li>{t.common.sources.municipalities}</li>
        <li>{t.common.sources.tokens}</li>
      </ul>
    </Layout>
  );
}

export function MessagePage({
  t,
  path,
  title,
  text,
  reference,
}: PageBase & { title: string; text: string; reference?: string }) {
  return (
    <Layout t={t} title={title} path={path}>
      <h1>{title}</h1>
      <p>{text}</p>
      {reference ? (
        <p>
          {t.common.serverError.reference}: <code>{reference}</code>
        </p>
      ) : null}
      <p class="actions">
        <a class="button button-secondary" href="/">
          {t.common.notFound.back}
        </a>
      </p>
    </Layout>
  );
}

/**
 * 503 when the database does not answer: the message in both languages (the page may be shown
 * before the applicant's language is known) and, for a form post, the same form again in hidden
 * fields with a "Try again" button, so nothing typed is lost. Passwords are not echoed back.
 */
export function TryAgainPage({
  t,
  other,
  path,
  resend,
}: PageBase & { other: Catalog; resend?: [string, string][] }) {
  const u = t.common.unavailable;
  const o = other.common.unavailable;
  return (
    <Layout t={t} title={u.title} path={path}>
      <h1>{u.title}</h1>
      <p>{u.text}</p>
      <div lang={htmlLang(other.lang)}>
        <h2>{o.title}</h2>
        <p>{o.text}</p>
      </div>
      {resend ? (
        <form method="post" action={path}>
          {resend.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <p class="actions">
            <button type="submit" class="button">
              {u.retry} <span lang={htmlLang(other.lang)}>/ {o.retry}</span>
            </button>
          </p>
        </form>
      ) : (
        <p class="actions">
          <a class="button" href={path}>
            {u.retry} <span lang={htmlLang(other.lang)}>/ {o.retry}</span>
          </a>
        </p>
      )}
    </Layout>
  );
}
