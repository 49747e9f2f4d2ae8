// argon2id through @node-rs/argon2 (native, runs on libuv's thread pool, off the event loop).
// Parameters: OWASP Password Storage Cheat Sheet's first argon2id option, m = 19 MiB, t = 2, p = 1
// (docs/decisions/0401-password-hashing.md). Measured on the 2-core dev machine: ~25–40 ms and
// 19 MiB per hash, so one portal process can check roughly 25–40 passwords a second per core;
// the memory budget below keeps a burst of sign-ins from running dozens of 19 MiB jobs at once.
import { type Algorithm, hash, verify } from '@node-rs/argon2';

export const ARGON2_PARAMS = {
  // Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import as a value).
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

/**
 * Concurrency is capped by memory, not by count: each job holds its m (KiB) until it ends, and a
 * job starts only while the jobs running fit in this budget (three at today's 19 MiB; one job
 * larger than the budget runs alone). Old hashes with a bigger m weigh what they cost.
 */
export const ARGON2_MEMORY_BUDGET_KIB = 64 * 1024;
let inUse = 0;
const waiting: { kib: number; start: () => void }[] = [];

function admit(): void {
  while (waiting.length > 0) {
    const next = waiting[0]!;
    if (inUse > 0 && inUse + next.kib > ARGON2_MEMORY_BUDGET_KIB) return;
    waiting.shift();
    inUse += next.kib;
    next.start();
  }
}

async function limited<T>(kib: number, job: () => Promise<T>): Promise<T> {
  await new Promise<void>((start) => {
    waiting.push({ kib, start });
    admit();
  });
  try {
    return await job();
  } finally {
    inUse -= kib;
    admit();
  }
}

/** The memory (KiB) a stored hash needs to verify: its own m, today's when it cannot be read. */
function memoryOf(stored: string): number {
  const m = /^\$argon2id?\$v=\d+\$m=(\d+),/.exec(stored);
  return m ? Number(m[1]) : ARGON2_PARAMS.memoryCost;
}

export function hashPassword(password: string): Promise<string> {
  return limited(ARGON2_PARAMS.memoryCost, () => hash(password.normalize('NFKC'), ARGON2_PARAMS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await limited(memoryOf(stored), () => verify(stored, password.normalize('NFKC')));
  } catch {
    return false;
  }
}

/** A stored hash made with weaker parameters than today's: re-hash after a successful sign-in. */
export function needsRehash(stored: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  return (
    Number(m[1]) < ARGON2_PARAMS.memoryCost ||
    Number(m[2]) < ARGON2_PARAMS.timeCost ||
    Number(m[3]) < ARGON2_PARAMS.parallelism
  );
}

let dummy: Promise<string> | undefined;
/**
 * Verifying against a fixed hash when the User ID is unknown or has no password takes as long
 * as a real check, so response times do not tell which User IDs exist.
 */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hash('not-a-real-password-for-timing-only', ARGON2_PARAMS);
  await verifyPassword(await dummy, password);
}
