import type { Basic4Prefill } from '../../../../card/basic4.ts';
import type { MunicipalityDirectory } from '../../../domain/address.ts';
import {
  FIELD_ORDER,
  type FieldErrors,
  type FieldName,
  type RegistrationInput,
} from '../../../domain/registration.ts';
import { USER_CATEGORIES } from '../../../domain/user-category.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { MayBeRegisteredNotice } from '../account/card-renewal.tsx';
import { assetUrls } from '../assets.ts';
import { Csrf, ErrorSummary, Field, StepIndicator } from '../components.tsx';
import { userCategoryLabel } from '../labels.ts';
import { Layout } from '../layout.tsx';
import { placeName, prefectureName } from './place.ts';

/** The element each field's error links to (the first control of a group). */
export const FIELD_TARGET: Record<FieldName, string> = {
  userName: 'userName',
  sex: 'sex-male',
  dateOfBirth: 'dateOfBirthYear',
  municipality: 'municipality',
  streetAddress: 'streetAddress',
  telephone: 'telephone',
  email: 'email',
  emailConfirm: 'emailConfirm',
  userCategory: 'userCategory',
  residenceCardNumber: 'residenceCardNumber',
  proxyNotificationNumber: 'proxyNotificationNumber',
  termsAgreed: 'termsAgreed',
};

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
  const summary = FIELD_ORDER.filter((f) => errors[f]).map((f) => ({
    fieldId: FIELD_TARGET[f],
    message: err(f)!,
  }));
  const place = placeName(directory, t.lang, input.prefectureCode, input.municipalityCode);
  const fromCard = <span class="from-card">{s.fromCard}</span>;
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
        <Field
          t={t}
          id="userName"
          label={s.userName.label}
          required
          hint={
            prefill.userName ? (
              <>
                {fromCard} {s.userName.hint}
              </>
            ) : (
              s.userName.hint
            )
          }
          example={s.userName.example}
          error={err('userName')}
        >
          {(aria) => (
            <input
              type="text"
              name="userName"
              value={input.userName}
              readOnly={Boolean(prefill.userName)}
              autoComplete="name"
              spellcheck={false}
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="sex"
          label={s.sex.label}
          required
          group
          hint={prefill.sex ? fromCard : undefined}
          error={err('sex')}
        >
          {() => (
            <div class="choices">
              {(['male', 'female'] as const).map((v) => (
                <div class="choice">
                  <input
                    type="radio"
                    name="sex"
                    id={`sex-${v}`}
                    value={v}
                    checked={input.sex === v}
                    disabled={Boolean(prefill.sex) && input.sex !== v}
                  />
                  <label for={`sex-${v}`}>{s.sex[v]}</label>
                </div>
              ))}
            </div>
          )}
        </Field>
        <Field
          t={t}
          id="dateOfBirth"
          label={s.dateOfBirth.label}
          required
          group
          hint={prefill.dateOfBirth ? fromCard : s.dateOfBirth.hint}
          example={prefill.dateOfBirth ? undefined : s.dateOfBirth.example}
          error={err('dateOfBirth')}
        >
          {() => (
            <div class="date-parts">
              {(
                [
                  ['dateOfBirthYear', s.dateOfBirth.year, 4, 'bday-year'],
                  ['dateOfBirthMonth', s.dateOfBirth.month, 2, 'bday-month'],
                  ['dateOfBirthDay', s.dateOfBirth.day, 2, 'bday-day'],
                ] as const
              ).map(([name, label, size, ac]) => (
                <div class={`date-part date-part-${size}`}>
                  <label for={name}>{label}</label>
                  <input
                    type="text"
                    inputMode="numeric"
                    id={name}
                    name={name}
                    value={input[name]}
                    readOnly={Boolean(prefill.dateOfBirth)}
                    autoComplete={ac}
                    aria-invalid={errors.dateOfBirth ? 'true' : undefined}
                    aria-describedby={errors.dateOfBirth ? 'dateOfBirth-error' : undefined}
                  />
                </div>
              ))}
            </div>
          )}
        </Field>
        <Field
          t={t}
          id="municipality-field"
          label={s.municipality.label}
          required
          group
          hint={s.municipality.hint}
          error={err('municipality')}
        >
          {() => (
            <div class="municipality">
              <input type="hidden" name="prefectureCode" value={input.prefectureCode} id="prefectureCode" />
              <input
                type="hidden"
                name="municipalityCode"
                value={input.municipalityCode}
                id="municipalityCode"
              />
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
          )}
        </Field>
        <Field
          t={t}
          id="streetAddress"
          label={s.streetAddress.label}
          required
          hint={s.streetAddress.hint}
          example={s.streetAddress.example}
          error={err('streetAddress')}
        >
          {(aria) => (
            <input
              type="text"
              name="streetAddress"
              value={input.streetAddress}
              autoComplete="address-line1"
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="telephone"
          label={s.telephone.label}
          required
          hint={s.telephone.hint}
          example={s.telephone.example}
          error={err('telephone')}
        >
          {(aria) => (
            <input
              type="tel"
              name="telephone"
              value={input.telephone}
              autoComplete="tel-national"
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="email"
          label={s.email.label}
          required
          hint={s.email.hint}
          example={s.email.example}
          error={err('email')}
        >
          {(aria) => (
            <input
              type="email"
              name="email"
              value={input.email}
              autoComplete="email"
              spellcheck={false}
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="emailConfirm"
          label={s.emailConfirm.label}
          required
          hint={s.emailConfirm.hint}
          error={err('emailConfirm')}
        >
          {(aria) => (
            <input
              type="email"
              name="emailConfirm"
              value={input.emailConfirm}
              autoComplete="email"
              spellcheck={false}
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="userCategory"
          label={s.userCategory.label}
          required
          hint={
            <>
              <p>{s.userCategory.hint}</p>
              <ul class="category-guide">
                {s.userCategory.guide.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            </>
          }
          error={err('userCategory')}
        >
          {(aria) => (
            <select name="userCategory" {...aria}>
              <option value="">{s.userCategory.choose}</option>
              {USER_CATEGORIES.map((c) => (
                <option value={c} selected={input.userCategory === c}>
                  {userCategoryLabel(t, c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          t={t}
          id="residenceCardNumber"
          label={s.residenceCardNumber.label}
          hint={s.residenceCardNumber.hint}
          example={s.residenceCardNumber.example}
          error={err('residenceCardNumber')}
        >
          {(aria) => (
            <input
              type="text"
              name="residenceCardNumber"
              value={input.residenceCardNumber}
              autoComplete="off"
              spellcheck={false}
              {...aria}
            />
          )}
        </Field>
        <Field
          t={t}
          id="proxyNotificationNumber"
          label={s.proxyNotificationNumber.label}
          hint={
            <>
              <span>{s.proxyNotificationNumber.hint}</span>
              <br />
              <span>{s.proxyNotificationNumber.howTo}</span>
              <br />
              <a href="/proxy-notification-number" target="_blank" rel="noopener">
                {s.proxyNotificationNumber.howToLink}
                <span class="visually-hidden">{s.terms.newWindow}</span>
              </a>
              <br />
              <span>{s.proxyNotificationNumber.format}</span>
            </>
          }
          example={s.proxyNotificationNumber.example}
          error={err('proxyNotificationNumber')}
        >
          {(aria) => (
            <input
              type="text"
              inputMode="numeric"
              name="proxyNotificationNumber"
              value={input.proxyNotificationNumber}
              autoComplete="off"
              {...aria}
            />
          )}
        </Field>
        {/* The manual's instruction, the link and the check box under the heading "Terms of Use";
            with an error, its red line says what the instruction says, so the instruction gives way. */}
        <Field t={t} id="terms" label={s.terms.title} required group error={err('termsAgreed')}>
          {() => (
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
          )}
        </Field>
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
          <select id="dialog-prefecture">
            <option value="">{q.choosePrefecture}</option>
            {directory.prefectures.map((p) => (
              <option value={p.code} selected={p.code === selected}>
                {prefectureName(directory, t.lang, p.code)}
              </option>
            ))}
          </select>
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
