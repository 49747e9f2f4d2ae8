import type { Queryable } from './schema.ts';

export interface AuditEvent {
  event: string;
  userId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  /** Never put passwords, tokens, full residence card numbers or certificates here. */
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Queryable, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      event: e.event,
      user_id: e.userId ?? null,
      request_id: e.requestId ?? null,
      ip: e.ip ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute();
}
