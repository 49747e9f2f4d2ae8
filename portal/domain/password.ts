// The password policy (NIST SP 800-63B style): length, not composition. At least 8 characters,
// at most 256 (long passphrases welcome, paste allowed); refused when on the shipped list of
// common and breached passwords, or when it contains the User ID or the user's name.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldForUserId, hasForbiddenCharacters } from './normalize.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export type PasswordError =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  | 'mismatch'
  | 'common'
  | 'containsUserId'
  | 'containsName'
  | 'invalidCharacters';

/**
 * A sorted word list in one string with an offset table, searched by bisection: the 75k common
 * passwords take about 1 MB instead of the 5 MB of a Set of 75k strings.
 */
export class CompactWordList implements Iterable<string> {
  readonly #text: string;
  readonly #starts: Uint32Array;
  constructor(words: Iterable<string>) {
    const sorted = [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.#starts = new Uint32Array(sorted.length + 1);
    let at = 0;
    sorted.forEach((w, i) => {
      this.#starts[i] = at;
      at += w.length + 1;
    });
    this.#starts[sorted.length] = at;
    this.#text = `${sorted.join('\n')}\n`;
  }
  get size(): number {
    return this.#starts.length - 1;
  }
  #word(i: number): string {
    return this.#text.slice(this.#starts[i]!, this.#starts[i + 1]! - 1);
  }
  has(word: string): boolean {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const w = this.#word(mid);
      if (w === word) return true;
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.size; i++) yield this.#word(i);
  }
}

let common: CompactWordList | undefined;

/** portal/data/common-passwords.txt, loaded once (75k lines) into a CompactWordList. */
export function commonPasswords(): CompactWordList {
  if (!common) {
    const file = fileURLToPath(new URL('../data/common-passwords.txt', import.meta.url));
    common = new CompactWordList(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  return common;
}

/** Length in characters as a person counts them (code points after NFKC), not UTF-16 units. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

/** The form a password is compared in: NFKC, lower case, spaces removed. */
function folded(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Name parts of 3 or more characters ("HOUMU TARO" → houmu, taro, houmutaro). */
function nameParts(userName: string): string[] {
  const parts = userName
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,.\-'・]+/)
    .filter((p) => [...p].length >= 3);
  const whole = folded(userName);
  return [...new Set([...parts, ...([...whole].length >= 3 ? [whole] : [])])];
}

/**
 * The User ID is shown "7K3M-9QXD-2HWE" and stored "7K3M9QXD2HWE": both sides are folded the
 * same way (width, case, spaces and hyphens of every kind), so the shown form, the bare form,
 * lower case and full-width are all found.
 */
function containsUserId(password: string, userId: string): boolean {
  const id = foldForUserId(userId);
  return id !== '' && foldForUserId(password).includes(id);
}

export interface PasswordContext {
  userId: string;
  userName: string;
}

/**
 * Checks a new password and its confirmation; returns the first problem of each field
 * (`password`, `confirm`), or an empty object when it may be used. The password is used as
 * typed (no trimming): what the user typed is what they will type next time.
 */
export function checkNewPassword(
  password: string,
  confirm: string,
  ctx: PasswordContext,
): { password?: PasswordError; confirm?: PasswordError } {
  const out: { password?: PasswordError; confirm?: PasswordError } = {};
  const len = passwordLength(password);
  const f = folded(password);
  if (password === '') out.password = 'required';
  // Control characters, lone surrogates, bidi controls (normalize.ts): cannot be typed again.
  else if (hasForbiddenCharacters(password)) out.password = 'invalidCharacters';
  else if (len < PASSWORD_MIN) out.password = 'tooShort';
  else if (len > PASSWORD_MAX) out.password = 'tooLong';
  else if (commonPasswords().has(password.normalize('NFKC').toLowerCase()) || commonPasswords().has(f))
    out.password = 'common';
  else if (containsUserId(password, ctx.userId)) out.password = 'containsUserId';
  else if (nameParts(ctx.userName).some((p) => f.includes(p.replace(/\s+/g, ''))))
    out.password = 'containsName';
  if (!out.password && password !== confirm) out.confirm = 'mismatch';
  return out;
}
