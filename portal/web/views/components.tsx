import type { ComponentChildren, VNode } from 'preact';
import type { Catalog } from '../../i18n/index.ts';
import { ErrorIcon } from './icons.tsx';

/** The form token every POST form carries (checked by ../csrf.ts). */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export type Step = 1 | 2 | 3;

/** The manual's step indicator: STEP1 Enter / STEP2 Confirm / STEP3 Completion. */
export function StepIndicator({ t, current }: { t: Catalog; current: Step }) {
  const labels = [t.common.steps.step1, t.common.steps.step2, t.common.steps.step3];
  return (
    <nav aria-label={t.common.steps.label}>
      <ol class="steps">
        {labels.map((label, i) => {
          const n = (i + 1) as Step;
          const state = n === current ? 'current' : n < current ? 'done' : 'todo';
          return (
            <li class={`step step-${state}`} aria-current={n === current ? 'step' : undefined}>
              <span class="step-number" aria-hidden="true">
                {n}
              </span>
              <span class="step-label">{label}</span>
              {state === 'done' ? <span class="visually-hidden"> ({t.common.steps.done})</span> : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export interface SummaryError {
  /** id of the input to link to */
  fieldId: string;
  message: string;
}

/** The error summary's lines in page order, from [error key, id of the input it links to] pairs. */
export function summaryItems<K extends string>(
  errors: Partial<Record<K, string>>,
  order: ReadonlyArray<readonly [K, string]>,
): SummaryError[] {
  return order.flatMap(([key, fieldId]) => {
    const message = errors[key];
    return message ? [{ fieldId, message }] : [];
  });
}

/** Focused on load by site.js, so screen readers announce it; each line links to its field. */
export function ErrorSummary({ t, errors }: { t: Catalog; errors: SummaryError[] }) {
  if (errors.length === 0) return null;
  return (
    <div
      class="error-summary"
      id="error-summary"
      role="alert"
      tabIndex={-1}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title" class="error-summary-title">
        <ErrorIcon label="" />
        {t.common.errorSummaryTitle}
      </h2>
      <p>{t.common.errorSummaryHint}</p>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.fieldId}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface InputAria {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
  'aria-required'?: 'true';
}

export interface FieldProps {
  t: Catalog;
  id: string;
  label: string;
  required?: boolean;
  hint?: ComponentChildren;
  example?: string;
  error?: string;
  /** A group of radios or check boxes: rendered as a fieldset with a legend. */
  group?: boolean;
  /** Renders the control with the ids that tie it to its label, hint and error. */
  children: (aria: InputAria) => VNode;
}

/** A form field as the manual draws it: label, 必須/Required badge, hint, example, error text. */
export function Field({ t, id, label, required, hint, example, error, group, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', example ? `${id}-example` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const aria: InputAria = {
    id,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(error ? { 'aria-invalid': 'true' as const } : {}),
    ...(required ? { 'aria-required': 'true' as const } : {}),
  };
  const heading = (
    <>
      {error ? <ErrorIcon label={t.common.errorIconLabel} /> : null}
      <span class="field-label-text">{label}</span>
      {required ? <span class="badge-required">{t.common.required}</span> : null}
    </>
  );
  const notes = (
    <>
      {hint ? (
        <div class="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {example ? (
        <div class="field-example" id={`${id}-example`}>
          {t.common.example}
          {example}
        </div>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
  if (group) {
    return (
      <fieldset class={`field${error ? ' field-invalid' : ''}`} aria-describedby={describedBy || undefined}>
        <legend class="field-label">{heading}</legend>
        {notes}
        {children({ id })}
      </fieldset>
    );
  }
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label class="field-label" for={id}>
        {heading}
      </label>
      {notes}
      {children(aria)}
    </div>
  );
}

/** After a failed card step's message: where to get help with the card, reader and client software. */
export function StartupGuideLink({ t }: { t: Catalog }) {
  return (
    <p>
      <a href="/startup-guide" class="notice-guide">
        {t.common.home.noticeGuide}
      </a>
    </p>
  );
}
