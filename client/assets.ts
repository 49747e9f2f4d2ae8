// The client's two static files, served under content-hashed names. The stylesheet is the shared
// design/ base plus client/assets/client.css, with only the design tokens they use.
import { createHash } from 'node:crypto';
import { assetSources } from './asset-sources.ts';

export interface Asset {
  body: Buffer;
  type: string;
}

export interface Assets {
  files: Map<string, Asset>;
  cssUrl: string;
  jsUrl: string;
}

function hashed(name: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

export function assetsFor(): Assets {
  const sources = assetSources();
  const css = Buffer.from(sources.css);
  const js = Buffer.from(sources.js);
  const cssName = hashed('client.css', css);
  const jsName = hashed('client.js', js);
  const files = new Map<string, Asset>([
    [cssName, { body: css, type: 'text/css; charset=utf-8' }],
    [jsName, { body: js, type: 'text/javascript; charset=utf-8' }],
  ]);
  return { files, cssUrl: `/assets/${cssName}`, jsUrl: `/assets/${jsName}` };
}
