// The User ID shown at STEP3: random (not sequential), easy to read aloud and to type.
// Crockford's base32 alphabet (no I, L, O, U) — 11 random symbols (55 bits) and one check
// symbol (Luhn mod 32: catches every single wrong symbol and most swapped neighbours).
// Stored as 12 symbols; shown in groups of four: "7K3M-9QXD-2HWE".
import { randomInt } from 'node:crypto';
import { foldForUserId } from './normalize.ts';

export const USER_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = USER_ID_ALPHABET.length;
const RANDOM_LENGTH = 11;
export const USER_ID_LENGTH = RANDOM_LENGTH + 1;

export function checkSymbol(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * USER_ID_ALPHABET.indexOf(body[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return USER_ID_ALPHABET[(N - (sum % N)) % N]!;
}

export function newUserId(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) body += USER_ID_ALPHABET[random(N)];
  return body + checkSymbol(body);
}

export function isValidUserId(id: string): boolean {
  if (id.length !== USER_ID_LENGTH || [...id].some((c) => !USER_ID_ALPHABET.includes(c))) return false;
  return checkSymbol(id.slice(0, -1)) === id.slice(-1);
}

/** What a person types back: any width or case, hyphens and spaces, O for 0, I or L for 1. */
export function parseUserId(input: string): string | undefined {
  const v = foldForUserId(input);
  return isValidUserId(v) ? v : undefined;
}

export function formatUserId(id: string): string {
  return id.match(/.{1,4}/g)?.join('-') ?? id;
}
