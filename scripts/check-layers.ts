// The layer rules of portal/README.md, checked over the import graph (`npm run check` runs this).
// A small reader of import statements rather than dependency-cruiser: the rules are six and the
// graph is our own TypeScript only (docs/decisions/0805-layer-check.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Import {
  from: string;
  /** A repository path for a relative import, else the package name as written. */
  to: string;
  line: number;
}

export interface Violation {
  rule: string;
  import: Import;
}

const SOURCE = /\.(ts|tsx)$/;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]*?\s*from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(full).isDirectory() ? walk(full) : SOURCE.test(name) ? [full] : [];
  });
}

/** Every import of the .ts/.tsx files under `dirs` (repository-relative, '/'-separated). */
export function readImports(root: string, dirs: readonly string[]): { files: string[]; imports: Import[] } {
  const files = dirs.flatMap((d) => walk(path.join(root, d))).map((f) => path.relative(root, f));
  const imports: Import[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const line = text.slice(0, m.index + m[0].search(/\S/)).split('\n').length;
      const to = spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec) : spec;
      imports.push({ from: file, to, line });
    }
  }
  return { files, imports };
}

/**
 * The folder of portal/ a file belongs to, for the cycle rule: `portal/web` for anything under
 * portal/web/, the file itself for files at portal/'s top (main.ts starts everything, portal-config.ts
 * is read by everything: one node "portal" would make a cycle of them).
 */
export function portalFolder(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'portal') return undefined;
  return parts.length > 2 ? `portal/${parts[1]}` : file;
}

const under = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);
const isFastify = (to: string) => to === 'fastify' || to.startsWith('@fastify/') || to === 'fastify-plugin';

/** The rules: each names the imports it forbids. */
export const RULES: { name: string; forbids: (i: Import) => boolean }[] = [
  {
    name: 'domain imports only domain',
    forbids: (i) =>
      under(i.from, 'portal/domain') && i.to.startsWith('portal') && !under(i.to, 'portal/domain'),
  },
  {
    name: 'flows import neither fastify nor portal/web',
    forbids: (i) => under(i.from, 'portal/flows') && (isFastify(i.to) || under(i.to, 'portal/web')),
  },
  {
    name: 'views do not import the store',
    forbids: (i) => under(i.from, 'portal/web/views') && under(i.to, 'portal/store'),
  },
  {
    name: 'client/ and portal/ do not import each other',
    forbids: (i) =>
      (under(i.from, 'client') && under(i.to, 'portal')) ||
      (under(i.from, 'portal') && under(i.to, 'client')),
  },
  {
    name: 'config/ is a leaf (any program may import it; it imports nothing of the repository)',
    forbids: (i) =>
      under(i.from, 'config') && ['portal', 'client', 'card', 'design'].some((d) => under(i.to, d)),
  },
  {
    name: 'design/ is shared by portal and client (stylesheet, readings): it imports neither',
    forbids: (i) => under(i.from, 'design') && ['portal', 'client'].some((d) => under(i.to, d)),
  },
  {
    name: 'store, identity, i18n and mail import no flows or web',
    forbids: (i) =>
      ['portal/store', 'portal/identity', 'portal/i18n', 'portal/mail'].some((d) => under(i.from, d)) &&
      (under(i.to, 'portal/flows') || under(i.to, 'portal/web')),
  },
];

/** Folder-level cycles among portal/'s folders (Tarjan): each as the list of folders in it. */
export function folderCycles(imports: readonly Import[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const i of imports) {
    const a = portalFolder(i.from);
    const b = portalFolder(i.to);
    if (!a || !b || a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

export function checkLayers(imports: readonly Import[]): { violations: Violation[]; cycles: string[][] } {
  const violations = imports.flatMap((i) =>
    RULES.filter((r) => r.forbids(i)).map((r) => ({ rule: r.name, import: i })),
  );
  return { violations, cycles: folderCycles(imports) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, '..');
  const { files, imports } = readImports(root, ['portal', 'client', 'card', 'design', 'config']);
  const { violations, cycles } = checkLayers(imports);
  for (const v of violations) {
    console.error(`${v.import.from}:${v.import.line}: ${v.rule} (imports ${v.import.to})`);
  }
  for (const c of cycles) console.error(`folder cycle: ${c.join(' ⇄ ')}`);
  const count = violations.length + cycles.length;
  console.log(
    `layers: ${files.length} files, ${imports.length} imports, ${RULES.length + 1} rules, ${count} violation${count === 1 ? '' : 's'}`,
  );
  process.exit(count === 0 ? 0 : 1);
}
