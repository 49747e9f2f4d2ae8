import { bracketText, plainText, renderReadingsHtml } from '../../design/readings.ts';
import { formatUserId } from '../domain/user-id.ts';
import { renderDocument } from '../html/render.ts';
import { type Catalog, catalogs, htmlLang, type Lang, otherLang } from '../i18n/index.ts';
import { formatJst } from './format.ts';

/**
 * Messages are rendered at delivery from the outbox row's template and payload, so the
 * database never holds message text. Each message is written in the user's language with
 * the other language below it, as text and as HTML built from the same blocks.
 */
export interface TemplatePayloads {
  'registration-complete': { userId: string; userName: string; linkExpiresAt: string };
  'password-link': { userId: string; userName: string; reason: 'forgot' | 'expired'; linkExpiresAt: string };
  'password-reminder': { userId: string; userName: string; daysBefore: number; passwordExpiresAt: string };
  'password-changed': { userId: string; userName: string; at: string };
  'email-confirm': { userId: string; userName: string; linkExpiresAt: string };
  'email-changed': { userId: string; userName: string; at: string; newAddressMasked: string };
  'card-renewed': { userId: string; userName: string; at: string };
  'passkey-added': { userId: string; userName: string; at: string; name: string };
  'passkey-removed': { userId: string; userName: string; at: string; name: string };
}
export type MailTemplate = keyof TemplatePayloads;
export interface RenderContext {
  publicOrigin: string;
  /** The domain of the From address, which users are asked to allow. */
  fromDomain: string;
  passwordLinkHours: number;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Part = { p: string } | { strong: string } | { link: string; label: string };
interface Section {
  subject: string;
  heading: string;
  parts: Part[];
}

/** What a template may use besides its payload: the catalog of one language and shared blocks. */
interface Blocks {
  t: Catalog;
  m: Catalog['account']['mail'];
  lang: Lang;
  /** Allow the From domain, not you?, do not reply: the end of every message. */
  common: Part[];
  /** Greeting and the User ID line. */
  head(name: string, userId: string): Part[];
  /** The link with the secret, its validity, and optionally how to get a new one. */
  link(path: string, label: string, expiresAt: string, newLink: boolean): Part[];
  origin: string;
}

interface Template<K extends MailTemplate> {
  /** The message carries a link whose secret is sealed in the outbox row. */
  withSecret: boolean;
  compose(payload: TemplatePayloads[K], b: Blocks): Section;
}

/** Every message, typed by its payload: one entry per template, no casts. */
export const TEMPLATES: { readonly [K in MailTemplate]: Template<K> } = {
  'registration-complete': {
    withSecret: true,
    compose: (p, { m, common, link }) => ({
      subject: m.registrationComplete.subject,
      heading: m.registrationComplete.heading,
      parts: [
        { p: m.greeting(p.userName) },
        { p: m.registrationComplete.text },
        { strong: m.userIdLine(formatUserId(p.userId)) },
        ...link('/password/set', m.registrationComplete.button, p.linkExpiresAt, true),
        ...common,
      ],
    }),
  },
  'password-link': {
    withSecret: true,
    compose: (p, { m, common, head, link }) => ({
      subject: m.passwordLink.subject,
      heading: m.passwordLink.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: p.reason === 'expired' ? m.passwordLink.textExpired : m.passwordLink.textForgot },
        ...link('/password/set', m.passwordLink.button, p.linkExpiresAt, true),
        ...common,
      ],
    }),
  },
  'password-reminder': {
    withSecret: false,
    compose: (p, { m, lang, common, head, origin }) => ({
      subject: m.reminder.subject(p.daysBefore),
      heading: m.reminder.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: m.reminder.text(formatJst(p.passwordExpiresAt, lang), p.daysBefore) },
        { link: `${origin}/signin`, label: m.reminder.button },
        ...common,
      ],
    }),
  },
  'password-changed': {
    withSecret: false,
    compose: (p, { m, lang, common, head }) => ({
      subject: m.passwordChanged.subject,
      heading: m.passwordChanged.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: m.passwordChanged.text(formatJst(p.at, lang)) },
        { p: m.passwordChanged.warning },
        ...common,
      ],
    }),
  },
  'email-confirm': {
    withSecret: true,
    compose: (p, { m, common, head, link }) => ({
      subject: m.emailConfirm.subject,
      heading: m.emailConfirm.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: m.emailConfirm.text },
        ...link('/email/confirm', m.emailConfirm.button, p.linkExpiresAt, false),
        ...common,
      ],
    }),
  },
  'email-changed': {
    withSecret: false,
    compose: (p, { m, lang, common, head }) => ({
      subject: m.emailChanged.subject,
      heading: m.emailChanged.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: m.emailChanged.text(formatJst(p.at, lang), p.newAddressMasked) },
        { p: m.emailChanged.warning },
        ...common,
      ],
    }),
  },
  'card-renewed': {
    withSecret: false,
    compose: (p, { t, lang, common, head }) => ({
      subject: t.cardRenewal.mail.subject,
      heading: t.cardRenewal.mail.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: t.cardRenewal.mail.text(formatJst(p.at, lang)) },
        { p: t.cardRenewal.mail.next },
        { p: t.cardRenewal.mail.warning },
        ...common,
      ],
    }),
  },
  'passkey-added': {
    withSecret: false,
    compose: (p, { t, lang, common, head }) => ({
      subject: t.passkeys.mail.added.subject,
      heading: t.passkeys.mail.added.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: t.passkeys.mail.added.text(formatJst(p.at, lang), p.name) },
        { p: t.passkeys.mail.warning },
        ...common,
      ],
    }),
  },
  'passkey-removed': {
    withSecret: false,
    compose: (p, { t, lang, common, head }) => ({
      subject: t.passkeys.mail.removed.subject,
      heading: t.passkeys.mail.removed.heading,
      parts: [
        ...head(p.userName, p.userId),
        { p: t.passkeys.mail.removed.text(formatJst(p.at, lang), p.name) },
        { p: t.passkeys.mail.warning },
        ...common,
      ],
    }),
  },
};

export const isMailTemplate = (v: string): v is MailTemplate => Object.hasOwn(TEMPLATES, v);

export const TEMPLATES_WITH_SECRET: ReadonlySet<MailTemplate> = new Set(
  (Object.keys(TEMPLATES) as MailTemplate[]).filter((k) => TEMPLATES[k].withSecret),
);

function blocks(t: Catalog, secret: string | undefined, ctx: RenderContext): Blocks {
  const m = t.account.mail;
  const lang = t.lang;
  return {
    t,
    m,
    lang,
    origin: ctx.publicOrigin,
    common: [{ p: m.allowDomain(ctx.fromDomain) }, { p: m.notYou }, { p: m.noReply }],
    head: (name, userId) => [{ p: m.greeting(name) }, { strong: m.userIdLine(formatUserId(userId)) }],
    link: (path, label, expiresAt, newLink) => [
      { link: `${ctx.publicOrigin}${path}?token=${encodeURIComponent(secret ?? '')}`, label },
      { p: m.linkValidity(formatJst(expiresAt, lang), ctx.passwordLinkHours) },
      ...(newLink ? [{ p: m.newLinkHint(`${ctx.publicOrigin}/password/forgot`) }] : []),
    ],
  };
}

function compose<K extends MailTemplate>(
  template: K,
  payload: TemplatePayloads[K],
  t: Catalog,
  secret: string | undefined,
  ctx: RenderContext,
): Section {
  return TEMPLATES[template].compose(payload, blocks(t, secret, ctx));
}

function sectionText(s: Section): string {
  const lines = [s.heading, '='.repeat(Math.min(60, s.heading.length * 2)), ''];
  for (const part of s.parts) {
    if ('link' in part) lines.push(`${part.label}:`, part.link, '');
    else lines.push('strong' in part ? part.strong : part.p, '');
  }
  return lines.join('\n');
}

const SEPARATED = 'border-top:1px solid #767676;margin-top:32px;padding-top:16px';

function SectionHtml({ s, lang, first }: { s: Section; lang: Lang; first: boolean }) {
  const Heading = first ? 'h1' : 'h2';
  return (
    <section lang={htmlLang(lang)} style={first ? undefined : SEPARATED}>
      <Heading>{s.heading}</Heading>
      {s.parts.map((part) => {
        if ('link' in part) {
          return (
            <p>
              <a href={part.link} style="color:#0017c1;font-weight:bold">
                {part.label}
              </a>
              <br />
              <span style="font-size:14px;word-break:break-all">{part.link}</span>
            </p>
          );
        }
        if ('strong' in part) {
          return (
            <p>
              <strong>{part.strong}</strong>
            </p>
          );
        }
        return <p>{part.p}</p>;
      })}
    </section>
  );
}

function MailHtml(o: { lang: Lang; first: Section; second: Section; signatures: [string, string] }) {
  const other = otherLang(o.lang);
  return (
    <html lang={htmlLang(o.lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{o.first.subject}</title>
      </head>
      <body style="margin:0;padding:16px;font-family:sans-serif;font-size:16px;line-height:1.7;color:#1a1a1a;background:#ffffff">
        <main style="max-width:640px;margin:0 auto">
          <SectionHtml s={o.first} lang={o.lang} first />
          <SectionHtml s={o.second} lang={other} first={false} />
          <footer style="border-top:1px solid #767676;margin-top:32px;padding-top:8px;font-size:14px">
            <p lang={htmlLang(o.lang)}>{o.signatures[0]}</p>
            <p lang={htmlLang(other)}>{o.signatures[1]}</p>
          </footer>
        </main>
      </body>
    </html>
  );
}

export function fromDomainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? from;
}

/**
 * One message in both languages, text and HTML from the same blocks. The payload comes from the
 * outbox row (JSON written by the flows against TemplatePayloads), so it is taken as that type here.
 */
export function renderMail(
  template: MailTemplate,
  lang: Lang,
  payload: Record<string, unknown>,
  secret: string | undefined,
  ctx: RenderContext,
): RenderedMail {
  if (!isMailTemplate(template)) throw new Error(`unknown template ${String(template).slice(0, 40)}`);
  if (TEMPLATES[template].withSecret && !secret) throw new Error(`${template}: the link secret is missing`);
  const other = otherLang(lang);
  const p = payload as TemplatePayloads[typeof template];
  const first = compose(template, p, catalogs[lang], secret, ctx);
  const second = compose(template, p, catalogs[other], secret, ctx);
  const m1 = catalogs[lang].account.mail;
  const m2 = catalogs[other].account.mail;
  const signature = `${m1.signature}\n${m2.signature}`;
  // Easy Japanese carries readings: ruby in the HTML part, 漢字(かんじ) in the text part, none in
  // the subject (see docs/decisions/1110).
  return {
    subject: plainText(`${m1.subjectPrefix}${first.subject} / ${m2.subjectPrefix}${second.subject}`),
    text: bracketText(
      `${sectionText(first)}\n----------------------------------------\n\n${sectionText(second)}\n--\n${signature}\n`,
    ),
    html: renderReadingsHtml(
      renderDocument(
        <MailHtml lang={lang} first={first} second={second} signatures={[m1.signature, m2.signature]} />,
      ),
      true,
    ),
  };
}
