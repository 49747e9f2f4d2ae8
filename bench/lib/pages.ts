// The weight of each page of the flow: HTML plus the stylesheets and scripts it links.
import { gzipSync } from 'node:zlib';
import { linkedAssets } from './html.ts';
import type { PageWeight } from './report.ts';

export async function weighPages(base: string, pages: Map<string, string>): Promise<PageWeight[]> {
  const cache = new Map<string, Buffer>();
  const asset = async (href: string) => {
    const url = new URL(href, base);
    if (url.origin !== new URL(base).origin) return Buffer.alloc(0);
    let b = cache.get(url.href);
    if (!b) {
      const r = await fetch(url);
      b = Buffer.from(await r.arrayBuffer());
      cache.set(url.href, b);
    }
    return b;
  };
  const out: PageWeight[] = [];
  for (const [page, html] of pages) {
    const { css, js } = linkedAssets(html);
    const htmlBytes = Buffer.from(html, 'utf8');
    const cssBodies = await Promise.all(css.map(asset));
    const jsBodies = await Promise.all(js.map(asset));
    const sum = (bs: Buffer[]) => bs.reduce((n, b) => n + b.length, 0);
    const gz = (b: Buffer) => gzipSync(b, { level: 6 }).length;
    out.push({
      page: page.replace(/^GET /, ''),
      html: htmlBytes.length,
      css: sum(cssBodies),
      js: sum(jsBodies),
      total: htmlBytes.length + sum(cssBodies) + sum(jsBodies),
      gzipTotal: gz(htmlBytes) + [...cssBodies, ...jsBodies].reduce((n, b) => n + gz(b), 0),
      assets: [...css, ...js],
    });
  }
  return out;
}
