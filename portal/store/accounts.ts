import { sql } from 'kysely';
import { camel, type Row, type Selected } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { UsersTable } from './tables/generated.ts';

const COLUMNS = [
  'id',
  'user_name',
  'sex',
  'date_of_birth',
  'prefecture_code',
  'municipality_code',
  'street_address',
  'telephone',
  'email',
  'user_category',
  'residence_card_number',
  'proxy_notification_number',
  'lang',
  'password_hash',
  'password_set_at',
  'password_expires_at',
] as const;

type Column = (typeof COLUMNS)[number];

/** What the account area reads about a user: the columns above, named in camelCase. */
export type AccountUser = Omit<Row<UsersTable, Column>, 'lang'> & { lang: 'ja' | 'en' | 'ja-easy' };

/** users.lang holds the registration's language, 'ja', 'en' or 'ja-easy'; anything else reads as 'ja'. */
const toAccountUser = (r: Selected<UsersTable, Column>): AccountUser => ({
  ...camel(r),
  lang: r.lang === 'en' || r.lang === 'ja-easy' ? r.lang : 'ja',
});

export async function findAccountUser(
  db: Queryable,
  userId: string,
  options: { forUpdate?: boolean } = {},
): Promise<AccountUser | undefined> {
  let q = db.selectFrom('users').select(COLUMNS).where('id', '=', userId);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toAccountUser(row) : undefined;
}

export async function updatePassword(
  db: Queryable,
  userId: string,
  hash: string,
  setAt: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, password_set_at: setAt, password_expires_at: expiresAt, updated_at: setAt })
    .where('id', '=', userId)
    .execute();
}

/** Re-hash with stronger parameters on sign-in, keeping the dates. */
export async function replacePasswordHash(db: Queryable, userId: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

export async function updateEmail(db: Queryable, userId: string, email: string, at: Date): Promise<void> {
  await db.updateTable('users').set({ email, updated_at: at }).where('id', '=', userId).execute();
}

/** Users whose password expires within (now, until], without a reminder of this kind for that expiry. */
export async function usersDueForReminder(
  db: Queryable,
  now: Date,
  until: Date,
  daysBefore: number,
  limit: number,
): Promise<AccountUser[]> {
  const rows = await db
    .selectFrom('users')
    .select(COLUMNS)
    .where('password_expires_at', '>', now)
    .where('password_expires_at', '<=', until)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('password_reminders as r')
            .select(sql`1`.as('one'))
            .whereRef('r.user_id', '=', 'users.id')
            .where('r.days_before', '=', daysBefore)
            .whereRef('r.password_expires_at', '=', 'users.password_expires_at'),
        ),
      ),
    )
    .orderBy('password_expires_at')
    .limit(limit)
    .execute();
  return rows.map(toAccountUser);
}

/** Records a reminder; false when another worker already did (then it must not be queued again). */
export async function recordReminder(
  db: Queryable,
  userId: string,
  daysBefore: number,
  passwordExpiresAt: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('password_reminders')
    .values({ user_id: userId, days_before: daysBefore, password_expires_at: passwordExpiresAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Housekeeping run by the outbox worker: old links, idle throttle counters, delivered mail after 30 days. */
export async function sweepAccountTables(db: Queryable, now: Date): Promise<void> {
  const day = 86_400_000;
  await db
    .deleteFrom('account_links')
    .where('expires_at', '<', new Date(now.getTime() - 30 * day))
    .execute();
  await db
    .deleteFrom('signin_throttle')
    .where('updated_at', '<', new Date(now.getTime() - day))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
  await db
    .deleteFrom('outbox')
    .where('state', '=', 'sent')
    .where('sent_at', '<', new Date(now.getTime() - 30 * day))
    .execute();
}

/** After a password is set or changed, other sessions of the user end (a thief's included). */
export async function deleteUserSessions(
  db: Queryable,
  userId: string,
  exceptSessionId?: string,
): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  await q.execute();
}

/** Prefecture and municipality names for My page (tables of the registration area's 0100 migration). */
export async function placeNames(
  db: Queryable,
  prefectureCode: string,
  municipalityCode: string,
): Promise<{ ja: string; en: string; readings: Array<[string, string]> } | undefined> {
  const r = await sql<{ pja: string; pen: string; pkana: string; mja: string; men: string; mkana: string }>`
    SELECT p.name_ja AS pja, p.name_en AS pen, p.name_kana AS pkana,
           m.name_ja AS mja, m.name_en AS men, m.name_kana AS mkana
      FROM municipalities m JOIN prefectures p ON p.code = m.prefecture_code
     WHERE m.code = ${municipalityCode} AND p.code = ${prefectureCode}`.execute(db);
  const row = r.rows[0];
  return row
    ? {
        ja: `${row.pja}${row.mja}`,
        en: `${row.men}, ${row.pen}`,
        // Each name with its reading (katakana), for Easy Japanese.
        readings: [
          [row.pja, row.pkana],
          [row.mja, row.mkana],
        ],
      }
    : undefined;
}
