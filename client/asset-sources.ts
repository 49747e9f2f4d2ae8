// The text of the client's two static files. Read from the checkout here; the downloadable
// build (scripts/build-client.ts) replaces this module with the same texts inlined, so the
// bundle needs no files beside it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stylesheet } from '../design/stylesheet.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export function assetSources(): { css: string; js: string } {
  return {
    css: stylesheet(here('./assets/client.css')),
    js: readFileSync(here('./assets/client.js'), 'utf8'),
  };
}
