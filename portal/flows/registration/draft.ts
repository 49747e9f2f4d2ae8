// The registration flow as a stored record (Kratos style): a draft row per card step, moved
// from 'entering' (STEP1) to 'confirming' (STEP2) and deleted at STEP3. Expiry slides with
// each activity and is checked by one function that takes the clock.
import { randomBytes } from 'node:crypto';
import type { Basic4Prefill } from '../../../card/basic4.ts';
import { splitIsoDate } from '../../domain/person.ts';
import { emptyRegistrationInput, type RegistrationInput } from '../../domain/registration.ts';
import type { CardRedemption } from '../../store/card-sessions.ts';
import {
  type DraftRow,
  deleteDraft,
  findDraft,
  findDraftKeepingAlive,
  startDraftFromCard,
  updateDraft,
} from '../../store/drafts.ts';
import type { Queryable } from '../../store/schema.ts';
import type { CardVerified } from '../card-step.ts';

export interface DraftData {
  /** Fields filled from the card: shown read-only, and the posted values are ignored. */
  prefill: Basic4Prefill;
  /** As typed; state 'confirming' means it passed every rule when Confirm was clicked. */
  input: RegistrationInput;
}

export interface Draft {
  id: string;
  state: 'entering' | 'confirming';
  data: DraftData;
  authCertFingerprint: string;
  authCertSerial: string;
  /** null only in a draft started before migration 0301. */
  cardIdentity: string | null;
  browserSessionId: string;
  expiresAt: Date;
  /** Counts the saves: the Registration statement writes only the version it checked. */
  version: number;
}

export const isExpired = (d: { expiresAt: Date }, now: Date): boolean =>
  d.expiresAt.getTime() <= now.getTime();

const expiry = (now: Date, idleMinutes: number) => new Date(now.getTime() + idleMinutes * 60_000);

/**
 * The draft's data read back from its JSON column: each field the flow keeps, taken when it has
 * the field's type (as this module wrote it), empty otherwise. No cast: a row altered by hand or
 * written by another release cannot put a value of another type into the flow.
 */
export function draftData(json: Record<string, unknown>): DraftData {
  const entries = (v: unknown) => new Map(typeof v === 'object' && v !== null ? Object.entries(v) : []);
  const stored = entries(json.input);
  const input = emptyRegistrationInput();
  for (const [key, empty] of Object.entries(input)) {
    const value = stored.get(key);
    if (typeof value === typeof empty) Object.assign(input, { [key]: value });
  }
  const p = entries(json.prefill);
  const prefill: Basic4Prefill = {};
  const userName = p.get('userName');
  const sex = p.get('sex');
  const dateOfBirth = p.get('dateOfBirth');
  if (typeof userName === 'string') prefill.userName = userName;
  if (sex === 'male' || sex === 'female') prefill.sex = sex;
  if (typeof dateOfBirth === 'string') prefill.dateOfBirth = dateOfBirth;
  return { prefill, input };
}

function fromRow(row: DraftRow): Draft {
  return {
    id: row.id,
    state: row.state,
    data: draftData(row.data),
    authCertFingerprint: row.authCertFingerprint,
    authCertSerial: row.authCertSerial,
    cardIdentity: row.cardIdentity,
    browserSessionId: row.browserSessionId,
    expiresAt: row.expiresAt,
    version: row.version,
  };
}

/**
 * A new draft from a verified card, stored in the statement that redeems the card step's result
 * (store/drafts.ts startDraftFromCard): the input starts with what the card could fill. Returns
 * the draft only when it was stored, with why not otherwise, and STEP1's renewal hint.
 */
export async function startDraft(
  db: Queryable,
  p: {
    card: CardVerified;
    redemption: CardRedemption;
    previousDraftId: string | undefined;
    browserSessionId: string;
    now: Date;
    idleMinutes: number;
  },
): Promise<
  | { ok: true; draft: Draft; mayAlreadyBeRegistered: boolean }
  | { ok: false; reason: 'used' | 'card_already_registered' }
> {
  const { card, browserSessionId, now } = p;
  const prefill = card.basic4 ?? {};
  const input = applyPrefill(emptyRegistrationInput(), prefill);
  const draft: Draft = {
    id: randomBytes(16).toString('base64url'),
    state: 'entering',
    data: { prefill, input },
    authCertFingerprint: card.authCertFingerprint,
    authCertSerial: card.authCertSerial,
    cardIdentity: card.cardIdentity,
    browserSessionId,
    expiresAt: expiry(now, p.idleMinutes),
    version: 1,
  };
  const { userName, sex, dateOfBirth } = prefill;
  const r = await startDraftFromCard(db, {
    redemption: p.redemption,
    previousDraftId: p.previousDraftId,
    card,
    draft: {
      id: draft.id,
      browserSessionId,
      cardSessionId: card.cardSessionId,
      authCertFingerprint: card.authCertFingerprint,
      authCertSerial: card.authCertSerial,
      cardIdentity: card.cardIdentity,
      data: draft.data,
      updatedAt: now,
      expiresAt: draft.expiresAt,
    },
    // The hint needs all three (renewal-hint.ts).
    basic4: userName && sex && dateOfBirth ? { userName, sex, dateOfBirth } : undefined,
  });
  if (!r.redeemed) return { ok: false, reason: 'used' };
  if (r.cardRegistered || !r.created) return { ok: false, reason: 'card_already_registered' };
  return { ok: true, draft, mayAlreadyBeRegistered: r.accountWithBasic4 };
}

/** The card's values replace whatever was posted for the fields it fills. */
export function applyPrefill(input: RegistrationInput, prefill: Basic4Prefill): RegistrationInput {
  const out = { ...input };
  if (prefill.userName) out.userName = prefill.userName;
  if (prefill.sex) out.sex = prefill.sex;
  if (prefill.dateOfBirth) {
    const p = splitIsoDate(prefill.dateOfBirth);
    out.dateOfBirthYear = p.year;
    out.dateOfBirthMonth = p.month;
    out.dateOfBirthDay = p.day;
  }
  return out;
}

export async function loadDraft(db: Queryable, id: string, forUpdate = false): Promise<Draft | undefined> {
  const row = await findDraft(db, id, forUpdate);
  return row ? fromRow(row) : undefined;
}

export async function saveDraft(db: Queryable, draft: Draft, now: Date, idleMinutes: number): Promise<void> {
  draft.expiresAt = expiry(now, idleMinutes);
  draft.version += 1;
  await updateDraft(db, {
    id: draft.id,
    state: draft.state,
    data: draft.data,
    updatedAt: now,
    expiresAt: draft.expiresAt,
  });
}

/**
 * The draft, kept alive by the same statement when it is live for this browser session: activity
 * without a change (viewing a step) slides its expiry, at most once a minute, as sessions do, so
 * a page view that comes right after a save costs no write.
 */
export async function loadDraftKeepingAlive(
  db: Queryable,
  id: string,
  browserSessionId: string,
  now: Date,
  idleMinutes: number,
): Promise<Draft | undefined> {
  const expiresAt = expiry(now, idleMinutes);
  const row = await findDraftKeepingAlive(db, id, {
    browserSessionId,
    now,
    expiresAt,
    ifExpiresBefore: new Date(expiresAt.getTime() - 60_000),
  });
  return row ? fromRow(row) : undefined;
}

export { deleteDraft };
