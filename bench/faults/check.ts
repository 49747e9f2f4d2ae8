// After a scenario: the database and the mailbox against what every applicant saw.
import type { Applicant, Tally } from './applicant.ts';
import type { FaultSink } from './sink.ts';

export type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Row {
  scenario: string;
  attempted: number;
  /** STEP3 shown. */
  completed: number;
  /** Clear refusals seen along the way ("try again" page, 429) — the applicant pressed again. */
  refused: number;
  /** 5xx other than the "try again" page, resets and refused connections. */
  errors: number;
  users: number;
  /** Users created for applicants who never saw STEP3 (gave up after pressing Registration). */
  usersWithoutStep3: number;
  step3WithoutUser: number;
  /** Pressed Registration and neither saw STEP3 nor got an account. */
  lost: number;
  duplicatedAccounts: number;
  emailsExpected: number;
  emailsDelivered: number;
  /** Recipients with more than one distinct completion email. */
  emailsDuplicated: number;
  /** Repeats of an already delivered Message-ID, dropped by the sink. */
  sinkDropped: number;
  halfWritten: number;
  stackTraces: number;
  recoverS: number | null;
  ok: boolean;
  notes: string[];
}

/** Counts of rows in states one transaction should never leave behind (whole database). */
export async function halfWritten(q: Query): Promise<{ total: number; detail: string[] }> {
  const checks: [string, string][] = [
    [
      'users without a linked card',
      `SELECT count(*)::int AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_cards c WHERE c.user_id = u.id)`,
    ],
    [
      'users without a completion email',
      `SELECT count(*)::int AS n FROM users u WHERE NOT EXISTS
         (SELECT 1 FROM outbox o WHERE o.to_address = u.email AND o.template = 'registration-complete')`,
    ],
    [
      'drafts left behind by a registration',
      `SELECT count(*)::int AS n FROM registration_drafts d JOIN user_cards c ON c.registration_draft_id = d.id`,
    ],
    [
      'card sessions in impossible states',
      // Verified without a callback, or without a result before it was collected (collecting
      // erases it); failed without a code; collected without an outcome; redeemed uncollected.
      `SELECT count(*)::int AS n FROM card_sessions WHERE
         (outcome = 'verified' AND (used_at IS NULL OR (result IS NULL AND continued_at IS NULL)))
         OR (outcome = 'failed' AND error_code IS NULL)
         OR (outcome IS NULL AND continued_at IS NOT NULL)
         OR (redeemed_at IS NOT NULL AND continued_at IS NULL)`,
    ],
  ];
  let total = 0;
  const detail: string[] = [];
  for (const [name, text] of checks) {
    const n = Number((await q(text))[0]?.n ?? 0);
    total += n;
    if (n) detail.push(`${n} ${name}`);
  }
  return { total, detail };
}

/** Waits until every user's completion email reached the sink (or `timeoutMs` passes). */
export async function waitForMail(
  q: Query,
  sink: FaultSink,
  emails: string[],
  timeoutMs: number,
): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const rows = await q(`SELECT count(*)::int AS n FROM users WHERE email = ANY($1)`, [emails]).catch(() => [
      { n: -1 },
    ]);
    const expected = Number(rows[0]?.n ?? 0);
    const { delivered } = sink.delivered(emails);
    if ((expected >= 0 && delivered >= expected) || Date.now() - t0 > timeoutMs) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function checkScenario(
  scenario: string,
  q: Query,
  sink: FaultSink,
  applicants: Applicant[],
  tally: Tally,
  sinkDroppedBefore: number,
  recoverS: number | null,
  notes: string[],
): Promise<Row> {
  const emails = applicants.map((a) => a.email);
  const users = (await q(`SELECT id, email FROM users WHERE email = ANY($1)`, [emails])) as {
    id: string;
    email: string;
  }[];
  const byEmail = new Map<string, string[]>();
  for (const u of users) byEmail.set(u.email, [...(byEmail.get(u.email) ?? []), u.id]);
  let usersWithoutStep3 = 0;
  let step3WithoutUser = 0;
  let lost = 0;
  let duplicatedAccounts = 0;
  for (const a of applicants) {
    const ids = byEmail.get(a.email) ?? [];
    if (ids.length > 1) duplicatedAccounts += ids.length - 1;
    if (a.completed && !ids.includes(a.userId ?? '')) step3WithoutUser++;
    if (!a.completed && ids.length > 0) usersWithoutStep3++;
    if (a.clicked && !a.completed && ids.length === 0) lost++;
  }
  const half = await halfWritten(q);
  const mail = sink.delivered(emails);
  const failures = new Map<string, number>();
  for (const a of applicants)
    if (a.failure) {
      const k = a.failure.replace(/\d{3,}/g, '#').slice(0, 120);
      failures.set(k, (failures.get(k) ?? 0) + 1);
    }
  const allNotes = [...notes, ...half.detail];
  const restarted = applicants.filter((a) => a.restarts).length;
  if (restarted) allNotes.push(`${restarted} applicant(s) were sent back to the top page and started over`);
  if (usersWithoutStep3)
    allNotes.push(
      `${usersWithoutStep3} applicant(s) stopped after Registration committed (patience ran out)`,
    );
  for (const [k, n] of failures) allNotes.push(`stopped before STEP3 ×${n}: ${k}`);
  if (tally.kinds.size)
    allNotes.push(
      `seen: ${[...tally.kinds]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6)
        .map(([k, n]) => `${k} ×${n}`)
        .join('; ')}`,
    );
  const row: Row = {
    scenario,
    attempted: applicants.length,
    completed: applicants.filter((a) => a.completed).length,
    refused: tally.refused,
    errors: tally.errors,
    users: users.length,
    usersWithoutStep3,
    step3WithoutUser,
    lost,
    duplicatedAccounts,
    emailsExpected: users.length,
    emailsDelivered: mail.delivered,
    emailsDuplicated: mail.doubled,
    sinkDropped: sink.duplicates - sinkDroppedBefore,
    halfWritten: half.total,
    stackTraces: tally.stackTraces,
    recoverS,
    ok: false,
    notes: allNotes,
  };
  row.ok =
    row.lost === 0 &&
    row.duplicatedAccounts === 0 &&
    row.emailsDuplicated === 0 &&
    row.halfWritten === 0 &&
    row.step3WithoutUser === 0 &&
    row.stackTraces === 0 &&
    row.emailsDelivered === row.emailsExpected;
  return row;
}
