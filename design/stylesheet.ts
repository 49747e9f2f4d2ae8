// The stylesheet both web programs serve: design/base.css followed by the program's own rules,
// preceded by a :root block holding only the Digital Agency design tokens those rules use
// (directly or through another token), so pages stay light. Shared like card/: the portal and
// the client software both depend on it, never on each other.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export function buildCss(tokensCss: string, css: string): string {
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
  visit(css);
  const root = [...used].map((n) => `${n}:${defs.get(n)}`).join(';');
  return `:root{${root}}\n${css}`;
}

/** The base stylesheet plus a program's own rules, with the tokens they use. */
export function stylesheet(ownCssFile: string): string {
  const require = createRequire(import.meta.url);
  const tokens = readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8');
  const base = readFileSync(fileURLToPath(new URL('./base.css', import.meta.url)), 'utf8');
  return buildCss(tokens, `${base}\n${readFileSync(ownCssFile, 'utf8')}`);
}
