import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { assetUrls } from './views/assets.ts';

export interface Asset {
  body: Buffer;
  type: string;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Ships only the design tokens the stylesheet uses (directly or through another token),
 * so pages stay light while the colours and type come from the Digital Agency's set.
 */
export function buildCss(tokensCss: string, siteCss: string): string {
  const defs = new Map<string, string>();
  for (const m of tokensCss.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) defs.set(m[1]!, m[2]!.trim());
  const used = new Set<string>();
  const visit = (text: string) => {
    for (const m of text.matchAll(/var\((--[\w-]+)/g)) {
      const name = m[1]!;
      if (used.has(name) || !defs.has(name)) continue;
      used.add(name);
      visit(defs.get(name)!);
    }
  };
  visit(siteCss);
  const root = [...used].map((n) => `${n}:${defs.get(n)}`).join(';');
  return `:root{${root}}\n${siteCss}`;
}

export function loadAssets(extra: Record<string, Asset> = {}): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const tokens = readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8');
  const css = buildCss(tokens, readFileSync(here('./assets/site.css'), 'utf8'));
  const files: Record<string, Asset> = {
    'site.css': { body: Buffer.from(css), type: 'text/css; charset=utf-8' },
    'site.js': { body: readFileSync(here('./assets/site.js')), type: 'text/javascript; charset=utf-8' },
    'municipality-search.js': {
      body: readFileSync(here('./assets/municipality-search.js')),
      type: 'text/javascript; charset=utf-8',
    },
    ...extra,
  };
  const out = new Map<string, Asset>();
  for (const [name, asset] of Object.entries(files)) {
    // Content-hashed names let browsers cache assets forever.
    const hash = createHash('sha256').update(asset.body).digest('hex').slice(0, 10);
    const dot = name.lastIndexOf('.');
    const hashed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
    out.set(hashed, asset);
    if (name === 'site.css') assetUrls.css = `/assets/${hashed}`;
    if (name === 'site.js') assetUrls.js = `/assets/${hashed}`;
    (assetUrls as Record<string, string>)[name] = `/assets/${hashed}`;
  }
  return out;
}
