// Where the portal's CPU went: self time per function and per package from a .cpuprofile. Pure.

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

/** Where a script URL belongs: a package name, a repository folder, or node's own code. */
export function ownerOf(url: string): string {
  if (!url) return '(native/vm)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  const repo = /\/(portal|card|bench)\/(.*)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]!.split('/').slice(0, -1).join('/') || '.'}`.replace(/\/\.$/, '');
  return url.split('/').slice(-2).join('/');
}

export function summarizeProfile(
  p: CpuProfile,
  top = 15,
): { functions: ProfileLine[]; owners: ProfileLine[]; totalMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const owner = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    if (!n || n.callFrame.functionName === '(idle)') return;
    total += dt;
    const f = n.callFrame;
    const file = f.url.split('/').slice(-2).join('/');
    const key = `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const o = f.functionName.startsWith('(') ? f.functionName : ownerOf(f.url);
    owner.set(o, (owner.get(o) ?? 0) + dt);
  });
  const lines = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: total ? ms / total : 0 }));
  return { functions: lines(fn), owners: lines(owner), totalMs: total };
}
