// `npm run build`: the portal and the outbox worker compiled to plain JavaScript in dist/, so
// production runs `node dist/portal/main.js` (npm run portal:prod) with no loader hooks and no
// devDependencies. tsc emits one .js per module (imports rewritten from .ts to .js), keeping
// the folder layout, so files read beside the code (migrations, data, assets, base.css) are
// copied to the same relative places. Options: --out-dir <dir> (default dist; the build test
// uses a directory inside the repository, so packages still resolve from node_modules).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const out = path.resolve(ROOT, values['out-dir']!);
/** The code the portal and worker load: its own folders and the shared ones it imports. */
const SOURCES = ['portal', 'card', 'design', 'config'];
const isCode = (name: string) => /\.(ts|tsx|md)$/.test(name);

// Only what this build writes: dist/client/ (npm run build:client) stays.
for (const dir of SOURCES) rmSync(path.join(out, dir), { recursive: true, force: true });
const started = performance.now();
execFileSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
  { cwd: ROOT, stdio: 'inherit' },
);

let copied = 0;
const copyData = (dir: string) => {
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) copyData(rel);
    else if (!isCode(name)) {
      mkdirSync(path.join(out, dir), { recursive: true });
      cpSync(path.join(ROOT, rel), path.join(out, rel));
      copied++;
    }
  }
};
for (const dir of SOURCES) copyData(dir);
// The .js files are ES modules wherever the directory is (the repository's package.json says so
// for dist/; a copy elsewhere needs its own).
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
console.log(
  `build: ${path.relative(ROOT, out) || out} (${copied} data files copied) in ${((performance.now() - started) / 1000).toFixed(1)} s — run: node ${path.relative(ROOT, path.join(out, 'portal', 'main.js'))}`,
);
