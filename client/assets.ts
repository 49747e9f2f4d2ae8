// The client's two static files, served under content-hashed names. The stylesheet carries only
// the Digital Agency design tokens it uses (buildCss is copied from portal/web/asset-registry.ts:
// the client must not depend on the portal).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

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

export interface Assets {
  files: Map<string, Asset>;
  cssUrl: string;
  jsUrl: string;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

function hashed(name: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

export function assetsFor(): Assets {
  const require = createRequire(import.meta.url);
  const tokens = readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8');
  const css = Buffer.from(buildCss(tokens, readFileSync(here('./assets/client.css'), 'utf8')));
  const js = readFileSync(here('./assets/client.js'));
  const cssName = hashed('client.css', css);
  const jsName = hashed('client.js', js);
  const files = new Map<string, Asset>([
    [cssName, { body: css, type: 'text/css; charset=utf-8' }],
    [jsName, { body: js, type: 'text/javascript; charset=utf-8' }],
  ]);
  return { files, cssUrl: `/assets/${cssName}`, jsUrl: `/assets/${jsName}` };
}
