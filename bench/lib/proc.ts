// Reading CPU time and memory of processes from /proc (Linux). The parsers are pure.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks in user mode / kernel mode, this process (all its threads). */
  utime: number;
  stime: number;
  /** Clock ticks of waited-for children (a postmaster accumulates its exited backends here). */
  cutime: number;
  cstime: number;
  /** Clock ticks after boot at which the process started (tells a reused pid apart). */
  starttime: number;
}

/**
 * Parses /proc/<pid>/stat (proc(5)). The command name is in parentheses and may itself hold
 * spaces or ')' so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('not a /proc/<pid>/stat line');
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // Fields after the name start at field 3 (state); utime is field 14, starttime field 22.
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const n = (field: number) => Number(f[field - 3]);
  return {
    pid,
    comm,
    state: f[0] ?? '?',
    ppid: n(4),
    utime: n(14),
    stime: n(15),
    cutime: n(16),
    cstime: n(17),
    starttime: n(22),
  };
}

/** VmRSS of /proc/<pid>/status in bytes; undefined when absent (a zombie has none). */
export function parseVmRss(statusText: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return m ? Number(m[1]) * 1024 : undefined;
}

let hz: number | undefined;
/** Clock ticks per second (getconf CLK_TCK; 100 on every common Linux). */
export function clockTicksPerSecond(): number {
  if (hz === undefined) {
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      hz = 100;
    }
  }
  return hz;
}

export const ticksToMs = (ticks: number, ticksPerSecond = clockTicksPerSecond()) =>
  (ticks * 1000) / ticksPerSecond;

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** utime + stime of the process (all threads) in ms. */
export function processCpuMs(pid: number): number | undefined {
  const s = readProcStat(pid);
  return s ? ticksToMs(s.utime + s.stime) : undefined;
}

export function residentBytes(pid: number): number | undefined {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live process whose parent is `ppid`. */
export function childrenOf(ppid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s && s.ppid === ppid) out.push(s);
  }
  return out;
}

/** A CPU reading of a set of processes, keyed by pid:starttime so a reused pid is not mistaken. */
export type CpuSnapshot = Map<string, number>;

export function snapshotOf(stats: readonly ProcStat[]): CpuSnapshot {
  return new Map(stats.map((s) => [`${s.pid}:${s.starttime}`, s.utime + s.stime]));
}

/**
 * Ticks spent between two snapshots: for a process in both, the difference; for one that
 * appeared only in `after`, all of its ticks (it started inside the window). A process that
 * exited inside the window is lost here (its parent's cutime holds it; see pg-cpu.ts).
 */
export function ticksBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let total = 0;
  for (const [key, t] of after) total += t - (before.get(key) ?? 0);
  return total;
}
