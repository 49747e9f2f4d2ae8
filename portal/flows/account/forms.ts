// The account pages' form objects (identity-idp's app/forms): the posted fields read once, and the
// characters no field accepts found before anything is looked up or counted (such text is no
// User ID, address or password). Routes turn the codes into the field messages.
import { hasForbiddenCharacters, markForbiddenCharacters } from '../../domain/normalize.ts';

/**
 * Form fields as strings (anything else, such as a repeated field, reads as empty). Characters
 * no field accepts (domain/normalize.ts) are replaced by U+FFFD: an entry shown again shows
 * where they were, and such an entry is refused (see forbiddenIn).
 */
export function readForm(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = markForbiddenCharacters(v);
  return out;
}

/** The named fields holding characters no field accepts. */
export function forbiddenIn<K extends string>(form: Record<string, string>, names: readonly K[]): Set<K> {
  return new Set(names.filter((n) => hasForbiddenCharacters(form[n] ?? '')));
}

export type PreCheck = 'required' | 'invalidCharacters';
type Problems<K extends string> = Partial<Record<K, PreCheck>>;
const none = <K extends string>(p: Problems<K>) => Object.values(p).every((v) => v === undefined);

/** Sign-in: both fields given, neither with forbidden characters (else nothing is counted). */
export function signInPreCheck(form: Record<string, string>): Problems<'userId' | 'password'> | undefined {
  const bad = forbiddenIn(form, ['userId', 'password']);
  const p: Problems<'userId' | 'password'> = {
    userId:
      (form.userId ?? '').trim() === '' ? 'required' : bad.has('userId') ? 'invalidCharacters' : undefined,
    password:
      (form.password ?? '') === '' ? 'required' : bad.has('password') ? 'invalidCharacters' : undefined,
  };
  return none(p) ? undefined : p;
}

/** Only the forbidden characters of the named fields: the flow checks the rest. */
export function forbiddenPreCheck<K extends string>(
  form: Record<string, string>,
  names: readonly K[],
): Problems<K> | undefined {
  const bad = forbiddenIn(form, names);
  if (bad.size === 0) return undefined;
  return Object.fromEntries(
    names.map((n) => [n, bad.has(n) ? 'invalidCharacters' : undefined]),
  ) as Problems<K>;
}
