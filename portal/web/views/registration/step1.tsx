import type { ComponentChildren } from 'preact';
import type { Basic4Prefill } from '../../../../card/basic4.ts';
import type { MunicipalityDirectory } from '../../../domain/address.ts';
import type { FieldErrors, FieldName, RegistrationInput } from '../../../domain/registration.ts';
import { USER_CATEGORIES } from '../../../domain/user-category.ts';
import { STEP1_FIELDS, type Step1Field } from '../../../flows/registration/step1-fields.ts';
import { rendered } from '../../../html/render.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { MayBeRegisteredNotice } from '../account/card-renewal.tsx';
import { assetUrls } from '../assets.ts';
import { Csrf, ErrorSummary, Field, type InputAria, StepIndicator } from '../components.tsx';
import { userCategoryLabel } from '../labels.ts';
import { Layout } from '../layout.tsx';
import { placeName, prefectureName } from './place.ts';

export function fieldError(t: Catalog, errors: FieldErrors, field: FieldName): string | undefined {
  const code = errors[field];
  if (!code) return undefined;
  return (t.registration.errors[field] as Record<string, string>)[code];
}

export interface Step1Props {
  t: Catalog;
  path: string;
  csrf: string;
  input: RegistrationInput;
  prefill: Basic4Prefill;
  errors: FieldErrors;
  directory: MunicipalityDirectory;
  /** The card's name, sex and date of birth match a registered user (decision 0702): a hint. */
  mayBeRegistered?: boolean;
}

export function Step1Page({ t, path, csrf, input, prefill, errors, directory, mayBeRegistered }: Step1Props) {
  const r = t.registration;
  const s = r.step1;
  const hasErrors = Object.keys(errors).length > 0;
  const err = (f: FieldName) => fieldError(t, errors, f);
  const summary = STEP1_FIELDS.filter((f) => errors[f.field]).map((f) => ({
    fieldId: f.target,
    message: err(f.field)!,
  }));
  return (
    <Layout t={t} title={`${s.heading} | ${r.title}`} hasErrors={hasErrors} formId="step1-form" path={path}>
      <h1>{r.title}</h1>
      <StepIndicator t={t} current={1} />
      <h2>{s.heading}</h2>
      <ErrorSummary t={t} errors={summary} />
      {mayBeRegistered ? <MayBeRegisteredNotice t={t} /> : null}
      <p>{s.intro}</p>
      <form id="step1-form" method="post" action="/registration/step1" novalidate class="registration-form">
        <Csrf token={csrf} />
        {/* Enter in a text box submits with the form's first button: make that Confirm, not Search. */}
        <button
          type="submit"
          name="_action"
          value="confirm"
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        >
          {s.confirm}
        </button>
        {STEP1_FIELDS.map((f) => (
          <Step1Block t={t} f={f} input={input} prefill={prefill} errors={errors} directory={directory} />
        ))}
        <div class="actions">
          <button type="submit" name="_action" value="confirm" class="button">
            {s.confirm}
          </button>
          <a class="button button-secondary" href="/">
            {s.back}
          </a>
        </div>
      </form>
      <MunicipalityDialog t={t} directory={directory} selected={input.prefectureCode} />
      <script src={assetUrls['municipality-search.js']} defer />
    </Layout>
  );
}

interface BlockProps {
  t: Catalog;
  f: Step1Field;
  input: RegistrationInput;
  prefill: Basic4Prefill;
  errors: FieldErrors;
  directory: MunicipalityDirectory;
}

/** The three parts of the date of birth: [posted name, label, width, autocomplete]. */
const DATE_PARTS = [
  ['dateOfBirthYear', 'year', 4, 'bday-year'],
  ['dateOfBirthMonth', 'month', 2, 'bday-month'],
  ['dateOfBirthDay', 'day', 2, 'bday-day'],
] as const;

/** One row of the field table (flows/registration/step1-fields.ts) as the manual draws it. */
function Step1Block({ t, f, input, prefill, errors, directory }: BlockProps) {
  const s = t.registration.step1;
  const texts = s[f.label] as { label?: string; title?: string; hint?: string; example?: string };
  const group = f.kind === 'radio' || f.kind === 'date' || f.kind === 'municipality' || f.kind === 'checkbox';
  const fromCard = f.fromCard && prefill[f.fromCard] ? <span class="from-card">{s.fromCard}</span> : null;
  // A read-only text box keeps its hint after the note; a read-only group shows the note alone.
  let hint: ComponentChildren = fromCard
    ? f.kind === 'text'
      ? [fromCard, ' ', texts.hint]
      : fromCard
    : texts.hint;
  if (f.field === 'userCategory') hint = <UserCategoryHint t={t} />;
  if (f.field === 'proxyNotificationNumber') hint = <ProxyNumberHint t={t} />;
  const example = fromCard && group ? undefined : texts.example;
  const error = fieldError(t, errors, f.field);
  return (
    <Field
      t={t}
      id={f.id}
      label={(texts.label ?? texts.title)!}
      required={f.required}
      group={group}
      hint={hint}
      example={example}
      error={error}
    >
      {(aria) => (
        <Step1Control
          t={t}
          f={f}
          input={input}
          prefill={prefill}
          errors={errors}
          directory={directory}
          aria={aria}
        />
      )}
    </Field>
  );
}

function Step1Control({ t, f, input, prefill, errors, directory, aria }: BlockProps & { aria: InputAria }) {
  const s = t.registration.step1;
  const readOnly = Boolean(f.fromCard && prefill[f.fromCard]);
  switch (f.kind) {
    case 'text':
    case 'tel':
    case 'email': {
      const name = f.inputs[0] as Exclude<keyof RegistrationInput, 'termsAgreed'>;
      return (
        <input
          type={f.kind as 'text'}
          inputMode={f.numeric ? 'numeric' : undefined}
          name={name}
          value={input[name]}
          readOnly={readOnly || undefined}
          autoComplete={f.autoComplete}
          {...(f.noSpellcheck ? { spellcheck: false } : {})}
          {...aria}
        />
      );
    }
    case 'radio':
      return (
        <div class="choices">
          {(['male', 'female'] as const).map((v) => (
            <div class="choice">
              <input
                type="radio"
                name="sex"
                id={`sex-${v}`}
                value={v}
                checked={input.sex === v}
                disabled={readOnly && input.sex !== v}
              />
              <label for={`sex-${v}`}>{s.sex[v]}</label>
            </div>
          ))}
        </div>
      );
    case 'date':
      return (
        <div class="date-parts">
          {DATE_PARTS.map(([name, label, size, ac]) => (
            <div class={`date-part date-part-${size}`}>
              <label for={name}>{s.dateOfBirth[label]}</label>
              <input
                type="text"
                inputMode="numeric"
                id={name}
                name={name}
                value={input[name]}
                readOnly={readOnly}
                autoComplete={ac}
                aria-invalid={errors.dateOfBirth ? 'true' : undefined}
                aria-describedby={errors.dateOfBirth ? 'dateOfBirth-error' : undefined}
              />
            </div>
          ))}
        </div>
      );
    case 'municipality': {
      const place = placeName(directory, t.lang, input.prefectureCode, input.municipalityCode);
      return (
        <div class="municipality">
          <input type="hidden" name="prefectureCode" value={input.prefectureCode} id="prefectureCode" />
          <input type="hidden" name="municipalityCode" value={input.municipalityCode} id="municipalityCode" />
          <p class="municipality-display" id="municipality-display" aria-live="polite">
            {place ? `${s.municipality.chosen}${place}` : s.municipality.notChosen}
          </p>
          <button
            type="submit"
            name="_action"
            value="search"
            id="municipality"
            class="button button-secondary"
            formNoValidate
            aria-describedby="municipality-display"
            data-dialog="municipality-dialog"
          >
            {s.municipality.search}
          </button>
        </div>
      );
    }
    case 'select':
      return (
        <select
          name="userCategory"
          {...aria}
          // The options in this language with the one chosen (any other value chooses none, as ''
          // does), rendered once each (portal/html/render.ts `rendered`).
          dangerouslySetInnerHTML={rendered(
            [t],
            `userCategory:${(USER_CATEGORIES as readonly string[]).includes(input.userCategory) ? input.userCategory : ''}`,
            () => (
              <>
                <option value="">{s.userCategory.choose}</option>
                {USER_CATEGORIES.map((c) => (
                  <option value={c} selected={input.userCategory === c}>
                    {userCategoryLabel(t, c)}
                  </option>
                ))}
              </>
            ),
          )}
        />
      );
    case 'checkbox':
      // The manual's instruction, the link and the check box under the heading "Terms of Use";
      // with an error, its red line says what the instruction says, so the instruction gives way.
      return (
        <div>
          {errors.termsAgreed ? null : <p>{s.terms.intro}</p>}
          <p>
            <a href="/terms" target="_blank" rel="noopener">
              {s.terms.link}
              <span class="visually-hidden">{s.terms.newWindow}</span>
            </a>
          </p>
          <div class="choice">
            <input
              type="checkbox"
              name="termsAgreed"
              id="termsAgreed"
              value="yes"
              checked={input.termsAgreed}
              aria-invalid={errors.termsAgreed ? 'true' : undefined}
              aria-describedby={errors.termsAgreed ? 'terms-error' : undefined}
            />
            <label for="termsAgreed">{s.terms.agree}</label>
          </div>
        </div>
      );
  }
}

function UserCategoryHint({ t }: { t: Catalog }) {
  const u = t.registration.step1.userCategory;
  return (
    <>
      <p>{u.hint}</p>
      <ul
        class="category-guide"
        dangerouslySetInnerHTML={rendered([t], 'categoryGuide', () => (
          <>
            {u.guide.map((line) => (
              <li>{line}</li>
            ))}
          </>
        ))}
      />
    </>
  );
}

function ProxyNumberHint({ t }: { t: Catalog }) {
  const s = t.registration.step1;
  const p = s.proxyNotificationNumber;
  return (
    <>
      <span>{p.hint}</span>
      <br />
      <span>{p.howTo}</span>
      <br />
      <a href="/proxy-notification-number" target="_blank" rel="noopener">
        {p.howToLink}
        <span class="visually-hidden">{s.terms.newWindow}</span>
      </a>
      <br />
      <span>{p.format}</span>
    </>
  );
}

/** The Search dialog (shown by municipality-search.js; without it the Search button opens a page). */
function MunicipalityDialog({
  t,
  directory,
  selected,
}: {
  t: Catalog;
  directory: MunicipalityDirectory;
  selected: string;
}) {
  const q = t.registration.search;
  return (
    <dialog id="municipality-dialog" class="search-dialog" aria-labelledby="municipality-dialog-title">
      <h2 id="municipality-dialog-title">{q.title}</h2>
      <section aria-labelledby="dialog-conditions-title">
        <h3 id="dialog-conditions-title">{q.conditions}</h3>
        <div class="field">
          <label class="field-label" for="dialog-prefecture">
            {q.prefecture}
          </label>
          <select
            id="dialog-prefecture"
            // 47 options per language and chosen prefecture (an unknown code chooses none, as ''
            // does), rendered once each (portal/html/render.ts `rendered`).
            dangerouslySetInnerHTML={rendered(
              [t, directory],
              `prefectures:${directory.prefecture(selected) ? selected : ''}`,
              () => (
                <>
                  <option value="">{q.choosePrefecture}</option>
                  {directory.prefectures.map((p) => (
                    <option value={p.code} selected={p.code === selected}>
                      {prefectureName(directory, t.lang, p.code)}
                    </option>
                  ))}
                </>
              ),
            )}
          />
        </div>
        <button
          type="button"
          class="button"
          id="dialog-search"
          data-empty={q.selectPrefectureFirst}
          data-failed={q.failed}
        >
          {q.search}
        </button>
      </section>
      <h3 id="dialog-results-title">{q.results}</h3>
      <p id="dialog-status" aria-live="polite" data-chosen={t.registration.step1.municipality.chosen} />
      <ul id="dialog-results" class="search-results" aria-labelledby="dialog-results-title" />
      <div class="actions">
        <button type="button" class="button button-secondary" id="dialog-close">
          {q.close}
        </button>
      </div>
    </dialog>
  );
}
