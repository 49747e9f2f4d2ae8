// Latency samples and percentiles (pure: unit-tested in test/bench/bench-smoke.test.ts).

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Latencies per named step, in insertion order; `recording` false drops samples (warm-up). */
export class StepRecorder {
  readonly #steps = new Map<string, number[]>();
  recording = true;

  add(step: string, ms: number): void {
    if (!this.recording) return;
    let list = this.#steps.get(step);
    if (!list) {
      list = [];
      this.#steps.set(step, list);
    }
    list.push(ms);
  }

  steps(): string[] {
    return [...this.#steps.keys()];
  }

  count(): number {
    let n = 0;
    for (const l of this.#steps.values()) n += l.length;
    return n;
  }

  summary(): Record<string, Summary> {
    return Object.fromEntries([...this.#steps].map(([k, v]) => [k, summarize(v)]));
  }

  clear(): void {
    this.#steps.clear();
  }
}
