import type { Catalog } from '../../i18n/index.ts';
import { Csrf } from './components.tsx';
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
}: PageBase & { csrf: string; notice?: { kind: 'error' | 'info'; text: string } }) {
  const h = t.common.home;
  return (
    <Layout t={t} title={h.title} path={path}>
      <h1>{h.title}</h1>
      <p class="lead">{h.lead}</p>
      {notice ? (
        <div class={`notice${notice.kind === 'error' ? ' notice-error' : ''}`} role="alert" id="notice">
          <p>{notice.text}</p>
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
        <p>
          <a href="/prepare">{h.prepareLink}</a>
        </p>
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
      <p class="actions">
        <a class="button button-secondary" href="/">
          {p.back}
        </a>
      </p>
    </Layout>
  );
}

export function TermsPage({ t, path }: PageBase) {
  return (
    <Layout t={t} title={t.common.terms.title} path={path}>
      <h1>{t.common.terms.title}</h1>
      <p>{t.terms.updated}</p>
      <p>{t.terms.intro}</p>
      {t.terms.sections.map((s) => (
        <section>
          <h2>{s.heading}</h2>
          {s.body.map((para) => (
            <p>{para}</p>
          ))}
        </section>
      ))}
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
