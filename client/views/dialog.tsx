// The card step's pages: the two password dialogs of the manual (§1.2) and the card states
// around them (no card, blocked, no signature certificate).
import type { ClientErrorCode } from '../../card/errors.ts';
import type { CardProblem } from '../card-steps.ts';
import type { Dialog, Notice } from '../dialogs.ts';
import type { Catalog } from '../i18n/index.ts';
import { Layout, type PageContext } from './layout.tsx';

export type DialogView =
  | { kind: 'password'; secret: 'sign' | 'auth'; triesLeft: number; notice: Notice | null }
  /** The user can fix it (insert a card…) and try again, or cancel. */
  | { kind: 'problem'; code: CardProblem }
  /** The step cannot go on; the user acknowledges and the code goes back to the website. */
  | {
      kind: 'final';
      code: Extract<ClientErrorCode, 'no_sign_certificate' | 'sign_password_blocked' | 'auth_pin_blocked'>;
    };

function noticeText(t: Catalog, secret: 'sign' | 'auth', notice: Notice): string {
  switch (notice.kind) {
    case 'empty':
      return t.dialog.errors.empty;
    case 'format':
      return secret === 'sign' ? t.dialog.errors.signFormat : t.dialog.errors.authFormat;
    case 'wrong':
      return t.dialog.errors.wrong(notice.triesLeft);
    case 'different_card':
      return t.dialog.errors.differentCard;
    case 'card_error':
      return t.dialog.errors.cardError;
  }
}

export function dialogPath(dialog: Dialog): string {
  return `/dialog/${dialog.id}`;
}

function Requester({ t, dialog }: { t: Catalog; dialog: Dialog }) {
  return (
    <div class="requester">
      {/* Every origin on CLIENT_ALLOWED_ORIGINS is a portal of the Online Residence Application
          System: the dialog names the system, and the origin beside it says which portal asked. */}
      <p>
        {t.dialog.requester}: <strong class="requester-name">{t.appSubtitle}</strong>{' '}
        <span class="requester-origin">({dialog.origin})</span>
      </p>
      <p class="requester-hint">
        {dialog.mode === 'register' ? t.dialog.purposeRegister : t.dialog.purposeAuthenticate}
      </p>
      <p class="requester-hint">{t.dialog.requesterHint}</p>
    </div>
  );
}

function Token({ dialog }: { dialog: Dialog }) {
  return <input type="hidden" name="_token" value={dialog.token} />;
}

function PasswordForm({
  t,
  dialog,
  view,
}: {
  t: Catalog;
  dialog: Dialog;
  view: DialogView & { kind: 'password' };
}) {
  const message = view.notice ? noticeText(t, view.secret, view.notice) : null;
  const describedBy = [
    'password-tries',
    view.triesLeft === 1 ? 'password-warning' : '',
    message ? 'password-error' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <form method="post" action={dialogPath(dialog)} noValidate>
      <Token dialog={dialog} />
      {message ? (
        <div
          class="error-summary"
          id="error-summary"
          role="alert"
          tabIndex={-1}
          aria-labelledby="error-summary-title"
        >
          <h2 id="error-summary-title" class="error-summary-title">
            {t.dialog.errorSummaryTitle}
          </h2>
          <p>
            <a href="#password">{message}</a>
          </p>
        </div>
      ) : null}
      <div class={`field${message ? ' field-invalid' : ''}`}>
        <label class="prompt" for="password">
          {view.secret === 'sign' ? t.dialog.signPrompt : t.dialog.authPrompt}
        </label>
        <p class="tries" id="password-tries">
          {t.dialog.triesLeft(view.triesLeft)}
        </p>
        {view.triesLeft === 1 ? (
          <p class="notice notice-warning" id="password-warning">
            {t.dialog.lastTry}
          </p>
        ) : null}
        {message ? (
          <p class="field-error" id="password-error">
            {message}
          </p>
        ) : null}
        <input
          type="password"
          id="password"
          name="password"
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellcheck={false}
          inputMode={view.secret === 'auth' ? 'numeric' : 'text'}
          aria-describedby={describedBy}
          aria-invalid={message ? 'true' : undefined}
          data-focus=""
        />
      </div>
      <div class="choice" hidden data-show-password="password">
        <input type="checkbox" id="show-password" />
        <label for="show-password">{t.dialog.showPassword}</label>
      </div>
      <div class="actions">
        <button class="button" type="submit" name="action" value="ok">
          {t.dialog.ok}
        </button>
        <button class="button button-secondary" type="submit" name="action" value="cancel">
          {t.dialog.cancel}
        </button>
      </div>
    </form>
  );
}

const STATE_TEXT = {
  no_reader: ['noReaderTitle', 'noReaderText'],
  no_card: ['noCardTitle', 'noCardText'],
  not_jpki_card: ['notJpkiTitle', 'notJpkiText'],
  card_error: ['cardErrorTitle', 'cardErrorText'],
  no_sign_certificate: ['noSignCertTitle', 'noSignCertText'],
  sign_password_blocked: ['signBlockedTitle', 'signBlockedText'],
  auth_pin_blocked: ['authBlockedTitle', 'authBlockedText'],
} as const;

function StateView({
  t,
  dialog,
  view,
}: {
  t: Catalog;
  dialog: Dialog;
  view: DialogView & { kind: 'problem' | 'final' };
}) {
  const [titleKey, textKey] = STATE_TEXT[view.code];
  return (
    <form method="post" action={dialogPath(dialog)}>
      <Token dialog={dialog} />
      <div class="notice notice-warning" id="state-message" role="status">
        <h2>{t.state[titleKey]}</h2>
        <p>{t.state[textKey]}</p>
      </div>
      <div class="actions">
        {view.kind === 'problem' ? (
          <>
            <a class="button" href={dialogPath(dialog)} data-focus="">
              {t.state.tryAgain}
            </a>
            <button class="button button-secondary" type="submit" name="action" value="cancel">
              {t.state.cancel}
            </button>
          </>
        ) : (
          <button class="button" type="submit" name="action" value="cancel" data-focus="">
            {t.state.returnToSite}
          </button>
        )}
      </div>
    </form>
  );
}

export function DialogPage({ ctx, dialog, view }: { ctx: PageContext; dialog: Dialog; view: DialogView }) {
  const { t } = ctx;
  const hasErrors = view.kind !== 'password' || view.notice !== null;
  const total = dialog.mode === 'register' ? 2 : 1;
  const current = dialog.step === 'sign' || total === 1 ? 1 : 2;
  return (
    <Layout
      ctx={ctx}
      title={t.dialog.title}
      hasErrors={hasErrors}
      langHref={(lang) => `${dialogPath(dialog)}?lang=${lang}`}
    >
      <section class="dialog" aria-labelledby="dialog-title">
        <h1 id="dialog-title" class="dialog-title">
          {t.dialog.title}
        </h1>
        <div class="dialog-body">
          <Requester t={t} dialog={dialog} />
          {total > 1 ? <p class="step-of">{t.dialog.stepOf(current, total)}</p> : null}
          {view.kind === 'password' ? (
            <PasswordForm t={t} dialog={dialog} view={view} />
          ) : (
            <StateView t={t} dialog={dialog} view={view} />
          )}
        </div>
      </section>
    </Layout>
  );
}
