// What the portal serves of its stylesheet and scripts: the same rules and statements without
// the comments and indentation the source files keep for their readers (issue 14: STEP1's page
// weight, decision 1030). Deliberately small rules for the hand-written files of
// portal/web/assets and design/, not a general minifier: test/portal/assets.test.ts runs each
// compacted script and checks that the stylesheet keeps every rule.

/**
 * CSS without comments and the white space around `{ } ; , >` and after `:`. (The space before
 * `:` stays: `.a :focus` is not `.a:focus`.) The files hold no strings or `content:` values.
 */
export function compactCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * JavaScript line by line: indentation, blank lines and whole-line comments (`// …`, and
 * `/* … *\/` blocks that begin a line) go; every statement keeps its own line, so automatic
 * semicolon insertion reads the code as before. The files hold no template literal across lines.
 */
export function compactJs(js: string): string {
  const out: string[] = [];
  let inComment = false;
  for (const raw of js.split('\n')) {
    const line = raw.trim();
    if (inComment) {
      if (line.includes('*/')) inComment = false;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) inComment = true;
      continue;
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}
