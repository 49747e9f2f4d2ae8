import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stylesheet } from '../../design/stylesheet.ts';
import { compactCss, compactJs } from './asset-compact.ts';
import { assetUrls } from './views/assets.ts';

export interface Asset {
  body: Buffer;
  type: string;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export function loadAssets(extra: Record<string, Asset> = {}): Map<string, Asset> {
  // The shared design/ base plus the portal's own rules, with only the tokens they use; served
  // without comments and indentation (./asset-compact.ts), as are the scripts.
  const css = compactCss(stylesheet(here('./assets/site.css')));
  const script = (file: string) => Buffer.from(compactJs(readFileSync(here(file), 'utf8')));
  const files: Record<string, Asset> = {
    'site.css': { body: Buffer.from(css), type: 'text/css; charset=utf-8' },
    'site.js': { body: script('./assets/site.js'), type: 'text/javascript; charset=utf-8' },
    'municipality-search.js': {
      body: script('./assets/municipality-search.js'),
      type: 'text/javascript; charset=utf-8',
    },
    'passkeys.js': { body: script('./assets/passkeys.js'), type: 'text/javascript; charset=utf-8' },
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
