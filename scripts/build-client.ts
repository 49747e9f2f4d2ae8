// `npm run build:client`: the user client software as applicants download it (decision 0701).
//  (a) residence-online-client.cjs — one self-contained CommonJS file for Node.js ≥ 20, any OS;
//  (b) residence-online-client-linux-x64 — the same file in a Node single executable application
//      (only when building on Linux x64, with postject installed);
// each with its SHA-256, in SHA256SUMS and manifest.json (what the portal's Startup Guide offers).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { stylesheet } from '../design/stylesheet.ts';

const root = path.resolve(import.meta.dirname, '..');

export const CLIENT_JS = 'residence-online-client.cjs';
export const CLIENT_SEA = 'residence-online-client-linux-x64';
/** Node's fuse string for single executable applications (docs: "Single executable applications"). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface ClientDownload {
  file: string;
  kind: 'js' | 'linux-x64';
  bytes: number;
  sha256: string;
}

export interface BuildResult {
  outDir: string;
  files: ClientDownload[];
  /** Why the executable was not built, when it was not. */
  seaSkipped?: string;
}

/** client/asset-sources.ts with the stylesheet and the script inlined: the bundle reads no files. */
function inlineAssets(): Plugin {
  return {
    name: 'inline-client-assets',
    setup(b) {
      b.onLoad({ filter: /client[\\/]asset-sources\.ts$/ }, async () => {
        const css = stylesheet(path.join(root, 'client/assets/client.css'));
        const js = await readFile(path.join(root, 'client/assets/client.js'), 'utf8');
        return {
          loader: 'ts',
          contents: `export function assetSources() { return { css: ${JSON.stringify(css)}, js: ${JSON.stringify(js)} }; }`,
        };
      });
    },
  };
}

async function described(
  outDir: string,
  file: string,
  kind: ClientDownload['kind'],
): Promise<ClientDownload> {
  const body = await readFile(path.join(outDir, file));
  return { file, kind, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

/** Bundles client/standalone.ts into one CommonJS file (a single executable needs CommonJS). */
async function bundle(outFile: string): Promise<void> {
  const result = await build({
    entryPoints: [path.join(root, 'client/standalone.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'eof',
    // The PC/SC binding is native and optional: required at run time from beside the program.
    external: ['@pokusew/pcsclite'],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [inlineAssets()],
    logLevel: 'warning',
    tsconfig: path.join(root, 'tsconfig.json'),
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');
}

/** The Node executable with the bundle injected (Node 20: --experimental-sea-config + postject). */
async function singleExecutable(outDir: string, jsFile: string): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return `the Linux x64 executable is built on Linux x64 only (this is ${process.platform}-${process.arch})`;
  let inject: (file: string, name: string, data: Buffer, options: { sentinelFuse: string }) => Promise<void>;
  try {
    // postject is a development tool, not a dependency of the programs; see decision 0701.
    ({ inject } = createRequire(import.meta.url)('postject') as { inject: typeof inject });
  } catch {
    return 'postject is not installed (npm install --save-dev postject)';
  }
  const blob = path.join(outDir, 'sea-prep.blob');
  const seaConfig = path.join(outDir, 'sea-config.json');
  await writeFile(
    seaConfig,
    JSON.stringify({ main: jsFile, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }),
  );
  const prep = spawnSync(process.execPath, ['--experimental-sea-config', seaConfig], { encoding: 'utf8' });
  if (prep.status !== 0) throw new Error(`node --experimental-sea-config failed: ${prep.stderr}`);
  const exe = path.join(outDir, CLIENT_SEA);
  await rm(exe, { force: true });
  await copyFile(process.execPath, exe);
  await chmod(exe, 0o755);
  await inject(exe, 'NODE_SEA_BLOB', await readFile(blob), { sentinelFuse: SEA_FUSE });
  await rm(blob);
  await rm(seaConfig);
  return undefined;
}

export async function buildClient(options: { outDir: string; sea?: boolean }): Promise<BuildResult> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const jsPath = path.join(outDir, CLIENT_JS);
  await bundle(jsPath);
  await chmod(jsPath, 0o755);
  const files = [await described(outDir, CLIENT_JS, 'js')];
  let seaSkipped: string | undefined = 'not requested';
  if (options.sea !== false) {
    seaSkipped = await singleExecutable(outDir, jsPath);
    if (!seaSkipped) files.push(await described(outDir, CLIENT_SEA, 'linux-x64'));
  }
  if (seaSkipped) await rm(path.join(outDir, CLIENT_SEA), { force: true });
  await writeFile(path.join(outDir, 'SHA256SUMS'), files.map((f) => `${f.sha256}  ${f.file}\n`).join(''));
  await writeFile(
    path.join(outDir, 'manifest.json'),
    `${JSON.stringify({ builtAt: new Date().toISOString(), files }, null, 2)}\n`,
  );
  return { outDir, files, ...(seaSkipped ? { seaSkipped } : {}) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1]! : path.join(root, 'dist/client');
  const started = Date.now();
  const result = await buildClient({ outDir, sea: !args.includes('--no-sea') });
  for (const f of result.files) {
    const size = (await stat(path.join(result.outDir, f.file))).size;
    console.log(
      `${f.sha256}  ${path.relative(process.cwd(), path.join(result.outDir, f.file))} (${(size / 1e6).toFixed(1)} MB)`,
    );
  }
  if (result.seaSkipped) console.log(`no Linux executable: ${result.seaSkipped}`);
  console.log(
    `built in ${((Date.now() - started) / 1000).toFixed(1)} s; the portal offers ${path.relative(process.cwd(), result.outDir)}/ on its Startup Guide`,
  );
}
