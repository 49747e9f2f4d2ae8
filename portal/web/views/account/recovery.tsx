import { formatUserId } from '../../../domain/user-id.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { Csrf } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice } from './parts.tsx';

export function RecoverUserIdPage({
  t,
  path,
  csrf,
  notice,
}: {
  t: Catalog;
  path: string;
  csrf: string;
  notice?: PageNotice;
}) {
  const r = t.account.recoverUserId;
  return (
    <Layout t={t} title={r.title} path={path} hasErrors={notice?.kind === 'error'}>
      <h1>{r.title}</h1>
      <p class="lead">{r.lead}</p>
      <NoticeBox t={t} notice={notice} />
      <p>{r.steps}</p>
      <form method="post" action="/recover-user-id/card" class="actions">
        <Csrf token={csrf} />
        <button type="submit" class="button">
          {r.button}
        </button>
      </form>
    </Layout>
  );
}

export function RecoverUserIdResultPage({
  t,
  path,
  userId,
}: {
  t: Catalog;
  path: string;
  userId: string | undefined;
}) {
  const r = t.account.recoverUserId;
  if (!userId) {
    return (
      <Layout t={t} title={r.notFoundTitle} path={path}>
        <h1>{r.notFoundTitle}</h1>
        <p>{r.notFoundText}</p>
        <p class="actions">
          <a class="button button-secondary" href="/">
            {t.common.notFound.back}
          </a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout t={t} title={r.foundTitle} path={path}>
      <h1>{r.foundTitle}</h1>
      <p>{r.foundText}</p>
      <p class="user-id-display">
        <strong>{formatUserId(userId)}</strong>
      </p>
      <p>{r.foundHint}</p>
      <p class="actions">
        <a class="button" href="/signin">
          {r.signIn}
        </a>
      </p>
    </Layout>
  );
}

export type { PageNotice };
