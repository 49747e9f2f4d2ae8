import type { Lang } from '../binding.ts';
import type { CardDescription } from '../card-steps.ts';
import type { ErrorCode } from '../dialogs.ts';
import { type Catalog, catalogs, htmlLang } from '../i18n/index.ts';
import type { ReaderState } from '../reader.ts';
import { Layout, type PageContext } from './layout.tsx';

export type Answer = { token: string } | { error: ErrorCode };

/**
 * The result goes back to the website as a POST form (OAuth form_post style): sent at once by
 * client.js, or by the Continue button when scripts are off.
 */
export function AnswerPage({
  ctx,
  origin,
  returnUrl,
  nonce,
  answer,
}: {
  ctx: PageContext;
  origin: string;
  returnUrl: string;
  nonce: string;
  answer: Answer;
}) {
  const { t } = ctx;
  const done = 'token' in answer;
  return (
    <Layout ctx={ctx} title={done ? t.answer.titleDone : t.answer.titleEnded}>
      <h1>{done ? t.answer.titleDone : t.answer.titleEnded}</h1>
      <p>{done ? t.answer.textDone : t.answer.textEnded}</p>
      <p>
        {t.answer.to}: <code>{origin}</code>
      </p>
      <form method="post" action={returnUrl} data-autosubmit="">
        <input type="hidden" name="nonce" value={nonce} />
        {'token' in answer ? (
          <input type="hidden" name="token" value={answer.token} />
        ) : (
          <input type="hidden" name="error" value={answer.error} />
        )}
        <p>{t.answer.noScript}</p>
        <button class="button" type="submit">
          {t.answer.continue}
        </button>
      </form>
    </Layout>
  );
}

export type RefusalReason = 'origin_format' | 'origin_not_allowed' | 'return_url' | 'bad_request';

function reasonText(t: Catalog, reason: RefusalReason): string {
  switch (reason) {
    case 'origin_format':
      return t.refused.originFormat;
    case 'origin_not_allowed':
      return t.refused.originNotAllowed;
    case 'return_url':
      return t.refused.returnUrl;
    case 'bad_request':
      return t.refused.badRequest;
  }
}

/**
 * A refused card-step request, in both languages (the request's own `lang` is not trusted to be
 * readable). With `postBack` (origin and return address acceptable), a button sends bad_request.
 */
export function RefusedPage({
  ctx,
  lang,
  reason,
  shownOrigin,
  postBack,
}: {
  ctx: PageContext;
  lang: Lang;
  reason: RefusalReason;
  shownOrigin?: string;
  postBack?: { returnUrl: string; nonce: string; origin: string };
}) {
  const order: Lang[] = lang === 'en' ? ['en', 'ja'] : lang === 'ja-easy' ? ['ja-easy', 'en'] : ['ja', 'en'];
  const [first, second] = order.map((l) => catalogs[l]) as [Catalog, Catalog];
  return (
    <Layout
      ctx={{ ...ctx, t: first }}
      title={`${first.refused.title} / ${second.refused.title}`}
      hasErrors
      htmlLang={htmlLang(first.lang)}
    >
      <h1>
        {first.refused.title} <span lang={htmlLang(second.lang)}>/ {second.refused.title}</span>
      </h1>
      <div class="bilingual">
        {order.map((l) => {
          const t = catalogs[l];
          return (
            <section lang={htmlLang(l)} aria-label={t.langName}>
              <p>
                {reasonText(t, reason)}
                {shownOrigin ? (
                  <>
                    {' '}
                    <code>{shownOrigin}</code>
                  </>
                ) : null}
              </p>
              <p>{t.refused.cardUntouched}</p>
              {postBack ? null : <p>{t.refused.closeHint}</p>}
            </section>
          );
        })}
      </div>
      {postBack ? (
        <form method="post" action={postBack.returnUrl}>
          <input type="hidden" name="nonce" value={postBack.nonce} />
          <input type="hidden" name="error" value="bad_request" />
          <p>
            {first.answer.to}: <code>{postBack.origin}</code>
          </p>
          <div class="actions">
            <button class="button" type="submit">
              {first.state.returnToSite}{' '}
              <span lang={htmlLang(second.lang)}>/ {second.state.returnToSite}</span>
            </button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

export function MessagePage({ ctx, title, text }: { ctx: PageContext; title: string; text: string }) {
  return (
    <Layout ctx={ctx} title={title} hasErrors>
      <h1>{title}</h1>
      <p>{text}</p>
    </Layout>
  );
}

export function StatusPage({
  ctx,
  reader,
  card,
  formToken,
  cardDir,
}: {
  ctx: PageContext;
  reader: ReaderState;
  card: CardDescription;
  formToken: string;
  cardDir: string;
}) {
  const { t } = ctx;
  const s = t.status;
  const tries = (v: number | 'blocked' | null | undefined) =>
    v === 'blocked' ? s.blocked : v == null ? '—' : String(v);
  const inserted = reader.choices.find((c) => c.id === reader.cardId);
  return (
    <Layout ctx={ctx} title={s.title} langHref={(lang) => `/?lang=${lang}`}>
      <h1>{s.title}</h1>
      <p>{s.about}</p>
      <dl class="summary">
        <dt>{s.reader}</dt>
        <dd>{reader.available ? reader.name : `${reader.name} (${s.readerMissing})`}</dd>
        <dt>{s.card}</dt>
        <dd>
          {reader.cardId === null
            ? s.noCard
            : inserted
              ? `${inserted.id} — ${inserted.description[t.lang === 'en' ? 'en' : 'ja']}`
              : s.cardPresent}
        </dd>
        {card.state === 'ready' || card.state === 'not_jpki_card' ? (
          <>
            <dt>{s.cardKind}</dt>
            <dd>{card.state === 'ready' ? s.jpkiCard : s.notJpki}</dd>
          </>
        ) : null}
        {card.state === 'ready' ? (
          <>
            <dt>{s.signCert}</dt>
            <dd>{card.hasSignCertificate ? s.present : s.absent}</dd>
            <dt>{s.signTries}</dt>
            <dd>{tries(card.signTries)}</dd>
            <dt>{s.authTries}</dt>
            <dd>{tries(card.authTries)}</dd>
          </>
        ) : null}
      </dl>
      {reader.kind === 'virtual' ? (
        <section class="panel" aria-labelledby="virtual-title">
          <h2 id="virtual-title">{s.virtualTitle}</h2>
          <p>{s.virtualHint}</p>
          {/* The directory matters to a developer only when it holds no card (the console names it too). */}
          {reader.choices.length === 0 ? (
            <>
              <p>{s.noChoices}</p>
              <p>
                {s.cardsDir}: <code>{cardDir}</code>
              </p>
            </>
          ) : (
            <form method="post" action="/reader">
              <input type="hidden" name="_token" value={formToken} />
              <input type="hidden" name="lang" value={t.lang} />
              <fieldset class="field">
                <legend class="field-label">{s.chooseCard}</legend>
                <ul class="radio-list">
                  {reader.choices.map((c) => (
                    <li class="choice">
                      <input
                        type="radio"
                        name="card"
                        id={`card-${c.id}`}
                        value={c.id}
                        checked={c.id === reader.cardId}
                      />
                      <label for={`card-${c.id}`}>
                        <strong>{c.id}</strong> — {c.description[t.lang === 'en' ? 'en' : 'ja']}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <div class="actions">
                <button class="button" type="submit" name="action" value="insert">
                  {s.insert}
                </button>
                <button class="button button-secondary" type="submit" name="action" value="remove">
                  {s.remove}
                </button>
              </div>
            </form>
          )}
        </section>
      ) : null}
    </Layout>
  );
}
