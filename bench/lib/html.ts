// Just enough HTML reading for the flow: forms, their fields and linked assets. Pure.

export interface FormField {
  name: string;
  value: string;
  type: string;
  checked: boolean;
}

export interface Form {
  action: string;
  method: string;
  fields: FormField[];
  /** <button name value> elements (submit buttons that carry a value). */
  buttons: { name: string; value: string; label: string }[];
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<\s*[a-zA-Z0-9]+/, '').replace(/\/?>$/, '');
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** Every <form> with its inputs, selects (selected or first option) and textareas. */
export function parseForms(html: string): Form[] {
  const forms: Form[] = [];
  const formRe = /<form\b[^>]*>([\s\S]*?)<\/form>/gi;
  for (let m = formRe.exec(html); m; m = formRe.exec(html)) {
    const a = attrs(/<form\b[^>]*>/i.exec(m[0])![0]);
    const body = m[1]!;
    const fields: FormField[] = [];
    for (const tag of body.match(/<input\b[^>]*>/gi) ?? []) {
      const t = attrs(tag);
      if (!t.name) continue;
      fields.push({
        name: t.name,
        value: t.value ?? '',
        type: (t.type ?? 'text').toLowerCase(),
        checked: 'checked' in t,
      });
    }
    const selRe = /<select\b[^>]*>([\s\S]*?)<\/select>/gi;
    for (let s = selRe.exec(body); s; s = selRe.exec(body)) {
      const t = attrs(/<select\b[^>]*>/i.exec(s[0])![0]);
      if (!t.name) continue;
      const options = [...s[1]!.matchAll(/<option\b[^>]*>/gi)].map((o) => attrs(o[0]));
      const chosen = options.find((o) => 'selected' in o) ?? options[0];
      fields.push({ name: t.name, value: chosen?.value ?? '', type: 'select', checked: false });
    }
    const taRe = /<textarea\b[^>]*>([\s\S]*?)<\/textarea>/gi;
    for (let s = taRe.exec(body); s; s = taRe.exec(body)) {
      const t = attrs(/<textarea\b[^>]*>/i.exec(s[0])![0]);
      if (t.name)
        fields.push({ name: t.name, value: decodeEntities(s[1]!), type: 'textarea', checked: false });
    }
    const buttons = [...body.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/gi)]
      .map((b) => ({
        a: attrs(/<button\b[^>]*>/i.exec(b[0])![0]),
        label: b[1]!.replace(/<[^>]+>/g, '').trim(),
      }))
      .filter((b) => b.a.name)
      .map((b) => ({ name: b.a.name!, value: b.a.value ?? '', label: b.label }));
    forms.push({ action: a.action ?? '', method: (a.method ?? 'get').toLowerCase(), fields, buttons });
  }
  return forms;
}

/** The fields a browser would submit by default: text/hidden/select values, checked radios and boxes. */
export function defaultSubmission(form: Form): [string, string][] {
  return form.fields
    .filter((f) => !['submit', 'button', 'reset', 'file', 'image'].includes(f.type))
    .filter((f) => (f.type === 'radio' || f.type === 'checkbox' ? f.checked : true))
    .map((f) => [f.name, f.value]);
}

/** Same-origin stylesheets and scripts a page links. */
export function linkedAssets(html: string): { css: string[]; js: string[] } {
  const css = [...html.matchAll(/<link\b[^>]*>/gi)]
    .map((m) => attrs(m[0]))
    .filter((a) => (a.rel ?? '').split(/\s+/).includes('stylesheet') && a.href)
    .map((a) => a.href!);
  const js = [...html.matchAll(/<script\b[^>]*>/gi)]
    .map((m) => attrs(m[0]))
    .filter((a) => a.src)
    .map((a) => a.src!);
  return { css, js };
}

export function csrfOf(html: string): string | undefined {
  for (const f of parseForms(html)) {
    const c = f.fields.find((x) => x.name === '_csrf');
    if (c) return c.value;
  }
  return undefined;
}
