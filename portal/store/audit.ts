import type { QueryCreator } from 'kysely';
import type { Database, Queryable } from './schema.ts';

export interface AuditEvent {
  event: string;
  userId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  /** Never put passwords, tokens, full residence card numbers or certificates here. */
  detail?: Record<string, unknown>;
}

const values = (e: AuditEvent) => ({
  event: e.event,
  user_id: e.userId ?? null,
  request_id: e.requestId ?? null,
  ip: e.ip ?? null,
  detail: JSON.stringify(e.detail ?? {}),
});

export async function writeAudit(db: Queryable, e: AuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(values(e)).execute();
}

/**
 * A query creator whose next statement also writes the audit event (a data-modifying CTE): the
 * change and its audit record in one statement, one round trip, without a transaction around two.
 */
export function withAudit(db: Queryable, e: AuditEvent): QueryCreator<Database> {
  return db.with('audit', (q) =>
    q.insertInto('audit_events').values(values(e)),
  ) as unknown as QueryCreator<Database>;
}

/** `db`, or with `audit` a query creator whose next statement also writes it (see withAudit). */
export const auditing = (db: Queryable, e: AuditEvent | undefined): QueryCreator<Database> =>
  e ? withAudit(db, e) : db;
