import type { Catalog } from '../../../i18n/index.ts';
import { Field, StartupGuideLink } from '../components.tsx';

export interface PageNotice {
  kind: 'error' | 'info';
  text: string;
  /** A failed card step: link to the Startup Guide. */
  guide?: boolean;
}

/**
 * A message above the form: a notice carried from the previous page, or a form-level error.
 * Pages a card step can fail back to pass `t`, for the Startup Guide link.
 */
export function NoticeBox({ t, notice }: { t?: Catalog; notice?: PageNotice }) {
  if (!notice) return null;
  return (
    <div
      class={`notice${notice.kind === 'error' ? ' notice-error' : ''}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      id="notice"
    >
      <p>{notice.text}</p>
      {notice.guide && t ? <StartupGuideLink t={t} /> : null}
    </div>
  );
}

/**
 * A password input: paste allowed, no maxlength (a pasted long passphrase must not be cut
 * silently; the server says when it is too long), no spell check or capitalisation. Its
 * "Show password" check box (ASVS 2.1.12) stays hidden until site.js makes it work.
 */
export function PasswordField({
  t,
  id,
  name,
  label,
  hint,
  error,
  autocomplete,
}: {
  t: Catalog;
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  autocomplete: 'current-password' | 'new-password';
}) {
  return (
    <>
      <Field t={t} id={id} label={label} required hint={hint} error={error}>
        {(aria) => (
          <input
            {...aria}
            type="password"
            name={name}
            autoComplete={autocomplete}
            spellcheck={false}
            autoCapitalize="none"
            required
          />
        )}
      </Field>
      <div class="choice show-password" hidden data-show-password={id}>
        <input type="checkbox" id={`${id}-show`} aria-controls={id} />
        <label for={`${id}-show`}>{t.account.setPassword.show}</label>
      </div>
    </>
  );
}

export function TextField({
  t,
  id,
  name,
  label,
  hint,
  error,
  value,
  type = 'text',
  autocomplete,
}: {
  t: Catalog;
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  type?: 'text' | 'email';
  autocomplete: string;
}) {
  return (
    <Field t={t} id={id} label={label} required hint={hint} error={error}>
      {(aria) => {
        const common = {
          ...aria,
          name,
          value: value ?? '',
          autoComplete: autocomplete,
          spellcheck: false,
          autoCapitalize: 'none',
          required: true,
        } as const;
        return type === 'email' ? <input {...common} type="email" /> : <input {...common} type="text" />;
      }}
    </Field>
  );
}
