// Users, as the registration flow creates them.
import type { Registration } from '../domain/registration.ts';
import type { Queryable } from './schema.ts';

export async function userIdExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertUser(
  db: Queryable,
  id: string,
  r: Registration,
  lang: 'ja' | 'en' | 'ja-easy',
): Promise<boolean> {
  const inserted = await db
    .insertInto('users')
    .values({
      id,
      user_name: r.userName,
      sex: r.sex,
      date_of_birth: r.dateOfBirth,
      prefecture_code: r.prefectureCode,
      municipality_code: r.municipalityCode,
      street_address: r.streetAddress,
      telephone: r.telephone,
      email: r.email,
      user_category: r.userCategory,
      residence_card_number: r.residenceCardNumber,
      proxy_notification_number: r.proxyNotificationNumber,
      lang,
    })
    // A User ID collision (55 random bits) is resolved by the caller drawing another.
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
