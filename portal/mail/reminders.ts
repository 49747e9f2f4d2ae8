import { recordReminder, usersDueForReminder } from '../store/accounts.ts';
import { insertOutbox } from '../store/outbox.ts';
import type { Db } from '../store/schema.ts';
import type { TemplatePayloads } from './templates.tsx';

/** Days before expiry on which a reminder goes out, largest first. */
export const REMINDER_DAYS = [30, 7] as const;
const DAY = 86_400_000;

/**
 * Queues the password-expiry reminders that are due. Each (user, days, expiry) is recorded in
 * the same transaction as its outbox row, so several workers never queue one twice; a new
 * password has a new expiry and gets its own pair. The 30-day reminder is skipped when 7 days
 * or fewer remain (the 7-day one covers it).
 */
export async function queueDueReminders(db: Db, now: Date, limit = 500): Promise<number> {
  let queued = 0;
  for (const [i, days] of REMINDER_DAYS.entries()) {
    const nextSmaller = REMINDER_DAYS[i + 1];
    const users = await usersDueForReminder(db, now, new Date(now.getTime() + days * DAY), days, limit);
    for (const user of users) {
      const expiresAt = user.passwordExpiresAt!;
      if (nextSmaller !== undefined && expiresAt.getTime() - now.getTime() <= nextSmaller * DAY) continue;
      await db.transaction().execute(async (tx) => {
        if (!(await recordReminder(tx, user.id, days, expiresAt))) return;
        await insertOutbox(tx, {
          template: 'password-reminder',
          to: user.email,
          lang: user.lang,
          payload: {
            userId: user.id,
            userName: user.userName,
            daysBefore: days,
            passwordExpiresAt: expiresAt.toISOString(),
          } satisfies TemplatePayloads['password-reminder'],
        });
        queued++;
      });
    }
  }
  return queued;
}
