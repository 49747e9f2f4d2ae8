// Idle memory of the built portal (issue 14, decision 1030): starts `node <dist>/portal/main.js`
// as the bench does (production settings, PostgreSQL, MALLOC_ARENA_MAX=2), waits for /readyz and
// then a few seconds, and reads VmRSS. Several builds alternate (A B A B …), so a change is
// compared under the same load.
//
//   npm run build && npx tsx bench/idle-rss.ts                         # dist/, 3 runs
//   npx tsx bench/idle-rss.ts --dist /tmp/base/dist --dist dist --runs 3 --wait 5
//   npx tsx bench/idle-rss.ts --dist dist --dist 'dist@--max-semi-space-size=4'   # node options after @
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevPki } from '../card/pki/dev-pki.ts';
import { Child, freePort } from './lib/children.ts';
import { createBenchDatabase } from './lib/pg.ts';
import { residentBytes } from './lib/proc.ts';

const args = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    wait: { type: 'string', default: '5' },
  },
}).values;
// Each --dist is a build directory, optionally followed by @ and node options (space-separated).
const dists = args.dist?.length ? args.dist : ['dist'];
const where = (d: string) => path.resolve(d.split('@')[0] ?? d);
const nodeOptions = (d: string) => (d.includes('@') ? d.slice(d.indexOf('@') + 1).split(' ') : []);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const tmp = await mkdtemp(path.join(tmpdir(), 'ro-idle-rss-'));
const pki = await ensureDevPki(tmp);
const results = new Map<string, number[]>(dists.map((d) => [d, []]));
try {
  for (let run = 0; run < Number(args.runs); run++) {
    for (const dist of dists) {
      const db = await createBenchDatabase(SERVER_URL, `idle_rss_${process.pid}_${run}`);
      const port = await freePort();
      const dataDir = path.join(tmp, `data-${run}`);
      mkdirSync(dataDir, { recursive: true });
      const portal = new Child(
        'portal',
        path.join(where(dist), 'portal', 'main.js'),
        {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
          DATA_DIR: dataDir,
          MAIL_SECRET_KEY: randomBytes(32).toString('base64url'),
          SESSION_SECRET: randomBytes(32).toString('base64url'),
          SMTP_URL: 'smtp://127.0.0.1:9',
          TRUST_PROXY: '127.0.0.1',
          TRUST_SIGN_ROOTS: pki.paths.root('sign'),
          TRUST_AUTH_ROOTS: pki.paths.root('auth'),
          TRUST_SIGN_CRLS: pki.paths.crl('sign'),
          TRUST_AUTH_CRLS: pki.paths.crl('auth'),
          ALLOW_DEMO_TRUST_ANCHORS: 'true',
          DATABASE_URL: db.url,
          OUTBOX_WORKER: 'off',
          MALLOC_ARENA_MAX: '2',
        },
        nodeOptions(dist),
      );
      try {
        await portal.ready(`http://127.0.0.1:${port}/readyz`);
        await new Promise((r) => setTimeout(r, Number(args.wait) * 1000));
        const rss = (residentBytes(portal.pid) ?? 0) / 1048576;
        const status = readFileSync(`/proc/${portal.pid}/status`, 'utf8');
        const anon = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        const file = Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        results.get(dist)?.push(rss);
        console.log(
          `run ${run + 1} ${dist}: RSS ${rss.toFixed(1)} MB (anon ${anon.toFixed(1)}, file ${file.toFixed(1)}), load ${loadavg()[0]!.toFixed(1)}`,
        );
      } finally {
        await portal.stop();
        await db.drop();
      }
    }
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
for (const [dist, list] of results) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(
    `${dist}: ${list.map((v) => v.toFixed(1)).join(' · ')} MB (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)})`,
  );
}
