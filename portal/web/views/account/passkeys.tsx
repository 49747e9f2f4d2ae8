// Passkeys: the section on the sign-in page and the manage page on My page. Creating and using a
// passkey needs the browser's WebAuthn API, so passkeys.js shows those buttons; without
// JavaScript the pages say so and everything else (rename, remove, the other sign-ins) works.
import type { Catalog } from '../../../i18n/index.ts';
import { formatJst } from '../../../mail/format.ts';
import { assetUrls } from '../assets.ts';
import { Csrf, ErrorSummary, Field } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { NoticeBox, type PageNotice, PasswordField } from './parts.tsx';

/** The sign-in page's passkey section (the button and autofill are run by passkeys.js). */
export function PasskeySignInSection({ t, csrf }: { t: Catalog; csrf: string }) {
  const s = t.passkeys.signin;
  return (
    <section
      class="panel"
      aria-labelledby="signin-passkey"
      id="passkey-signin"
      data-error-cancelled={s.errors.cancelled}
      data-error-failed={s.errors.failed}
      data-working={s.working}
    >
      <h2 id="signin-passkey">{s.title}</h2>
      <p>{s.text}</p>
      <p data-passkey-noscript>{s.noScript}</p>
      <p data-passkey-unsupported hidden>
        {s.unsupported}
      </p>
      <div class="notice notice-error" role="alert" data-passkey-error hidden />
      <p role="status" data-passkey-status />
      {/* A wrapper: .actions sets display, which would override `hidden` on the paragraph itself. */}
      <div data-passkey-ready hidden>
        <p class="actions">
          <button type="button" class="button button-secondary" data-passkey-signin data-csrf={csrf}>
            {s.button}
          </button>
        </p>
      </div>
      <script src={assetUrls['passkeys.js']} defer />
    </section>
  );
}

export interface PasskeyRow {
  credentialId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface PasskeysPageProps {
  t: Catalog;
  path: string;
  csrf: string;
  passkeys: PasskeyRow[];
  /** A card sign-in or the password within the last 5 minutes: adding and removing are offered. */
  fresh: boolean;
  maxPasskeys: number;
  notice?: PageNotice;
  /** The password re-entry's message. */
  proofError?: string;
  /** A rename refused: which passkey, and why. */
  renameError?: { credentialId: string; text: string };
}

export function PasskeysPage({
  t,
  path,
  csrf,
  passkeys,
  fresh,
  maxPasskeys,
  notice,
  proofError,
  renameError,
}: PasskeysPageProps) {
  const p = t.passkeys.page;
  const when = (d: Date) => p.jst(formatJst(d, t.lang));
  const renameId = (i: number) => `passkey-name-${i}`;
  const errors = [
    ...(proofError ? [{ fieldId: 'currentPassword', message: proofError }] : []),
    ...passkeys.flatMap((k, i) =>
      renameError?.credentialId === k.credentialId
        ? [{ fieldId: renameId(i), message: renameError.text }]
        : [],
    ),
  ];
  const full = passkeys.length >= maxPasskeys;
  return (
    <Layout t={t} title={p.title} path={path} hasErrors={errors.length > 0}>
      <h1>{p.title}</h1>
      <p class="lead">{p.lead}</p>
      <ErrorSummary t={t} errors={errors} />
      <NoticeBox notice={notice} />
      <p>{p.recovery}</p>

      <section aria-labelledby="passkey-list">
        <h2 id="passkey-list">{p.listTitle}</h2>
        {passkeys.length === 0 ? <p>{p.none}</p> : null}
        <ul class="passkey-list">
          {passkeys.map((k, i) => (
            <li class="panel">
              <h3 id={`passkey-${i}`}>{k.name}</h3>
              <dl class="summary">
                <dt>{p.added}</dt>
                <dd>{when(k.createdAt)}</dd>
                <dt>{p.lastUsed}</dt>
                <dd>{k.lastUsedAt ? when(k.lastUsedAt) : p.never}</dd>
              </dl>
              <form method="post" action="/mypage/passkeys/rename" noValidate>
                <Csrf token={csrf} />
                <input type="hidden" name="id" value={k.credentialId} />
                <Field
                  t={t}
                  id={renameId(i)}
                  label={p.renameLabel(k.name)}
                  hint={p.nameHint}
                  error={renameError?.credentialId === k.credentialId ? renameError.text : undefined}
                >
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      name="name"
                      value={k.name}
                      autoComplete="off"
                      maxLength={64}
                    />
                  )}
                </Field>
                <p class="actions">
                  <button type="submit" class="button button-secondary">
                    {p.renameButton}
                  </button>
                </p>
              </form>
              {fresh ? (
                <form method="post" action="/mypage/passkeys/remove" class="actions">
                  <Csrf token={csrf} />
                  <input type="hidden" name="id" value={k.credentialId} />
                  <button type="submit" class="button button-secondary">
                    {p.removeButton(k.name)}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {fresh ? (
        <section
          class="panel"
          aria-labelledby="passkey-add"
          id="passkey-add-section"
          data-error-cancelled={p.errors.cancelled}
          data-error-failed={p.errors.failed}
          data-working={p.working}
        >
          <h2 id="passkey-add">{p.addTitle}</h2>
          <p>{p.proofValid}</p>
          {full ? (
            <p>{p.tooMany(maxPasskeys)}</p>
          ) : (
            <>
              <p>{p.addText}</p>
              <p data-passkey-noscript>{p.addNoScript}</p>
              <p data-passkey-unsupported hidden>
                {p.addUnsupported}
              </p>
              <div data-passkey-ready hidden>
                <Field t={t} id="passkey-name" label={p.nameLabel} required hint={p.nameHint}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      name="name"
                      value={p.defaultName(passkeys.length + 1)}
                      autoComplete="off"
                      maxLength={64}
                      required
                    />
                  )}
                </Field>
                <div class="notice notice-error" role="alert" data-passkey-error hidden />
                <p role="status" data-passkey-status />
                <p class="actions">
                  <button type="button" class="button" data-passkey-add data-csrf={csrf}>
                    {p.addButton}
                  </button>
                </p>
              </div>
              <script src={assetUrls['passkeys.js']} defer />
            </>
          )}
        </section>
      ) : (
        <section class="panel" aria-labelledby="passkey-proof">
          <h2 id="passkey-proof">{p.proofTitle}</h2>
          <p>{p.proofText}</p>
          <form method="post" action="/mypage/passkeys/confirm" noValidate>
            <Csrf token={csrf} />
            <PasswordField
              t={t}
              id="currentPassword"
              name="current"
              label={t.account.fields.currentPassword}
              error={proofError}
              autocomplete="current-password"
            />
            <p class="actions">
              <button type="submit" class="button">
                {p.proofButton}
              </button>
            </p>
          </form>
        </section>
      )}
      <p>
        <a href="/mypage">{p.back}</a>
      </p>
    </Layout>
  );
}
