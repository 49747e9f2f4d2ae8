import { formatUserId } from '../domain/user-id.ts';
import { type Catalog, catalogs, htmlLang, type Lang, otherLang } from '../i18n/index.ts';
import { bracketText, plainText, renderReadingsHtml } from '../i18n/readings.ts';
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
}
export type MailTemplate = keyof TemplatePayloads;
export const TEMPLATES_WITH_SECRET: ReadonlySet<MailTemplate> = new Set([
  'registration-complete',
  'password-link',
  'email-confirm',
]);

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

function compose(
  template: MailTemplate,
  t: Catalog,
  payload: TemplatePayloads[MailTemplate],
  secret: string | undefined,
  ctx: RenderContext,
): Section {
  const m = t.account.mail;
  const lang = t.lang;
  const common = (): Part[] => [{ p: m.allowDomain(ctx.fromDomain) }, { p: m.notYou }, { p: m.noReply }];
  const linkParts = (path: string, label: string, expiresAt: string, newLink: boolean): Part[] => [
    { link: `${ctx.publicOrigin}${path}?token=${encodeURIComponent(secret ?? '')}`, label },
    { p: m.linkValidity(formatJst(expiresAt, lang), ctx.passwordLinkHours) },
    ...(newLink ? [{ p: m.newLinkHint(`${ctx.publicOrigin}/password/forgot`) }] : []),
  ];
  const head = (name: string, userId: string): Part[] => [
    { p: m.greeting(name) },
    { strong: m.userIdLine(formatUserId(userId)) },
  ];
  switch (template) {
    case 'registration-complete': {
      const p = payload as TemplatePayloads['registration-complete'];
      const c = m.registrationComplete;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          { p: m.greeting(p.userName) },
          { p: c.text },
          { strong: m.userIdLine(formatUserId(p.userId)) },
          ...linkParts('/password/set', c.button, p.linkExpiresAt, true),
          ...common(),
        ],
      };
    }
    case 'password-link': {
      const p = payload as TemplatePayloads['password-link'];
      const c = m.passwordLink;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: p.reason === 'expired' ? c.textExpired : c.textForgot },
          ...linkParts('/password/set', c.button, p.linkExpiresAt, true),
          ...common(),
        ],
      };
    }
    case 'password-reminder': {
      const p = payload as TemplatePayloads['password-reminder'];
      const c = m.reminder;
      return {
        subject: c.subject(p.daysBefore),
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: c.text(formatJst(p.passwordExpiresAt, lang), p.daysBefore) },
          { link: `${ctx.publicOrigin}/signin`, label: c.button },
          ...common(),
        ],
      };
    }
    case 'password-changed': {
      const p = payload as TemplatePayloads['password-changed'];
      const c = m.passwordChanged;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: c.text(formatJst(p.at, lang)) },
          { p: c.warning },
          ...common(),
        ],
      };
    }
    case 'email-confirm': {
      const p = payload as TemplatePayloads['email-confirm'];
      const c = m.emailConfirm;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: c.text },
          ...linkParts('/email/confirm', c.button, p.linkExpiresAt, false),
          ...common(),
        ],
      };
    }
    case 'email-changed': {
      const p = payload as TemplatePayloads['email-changed'];
      const c = m.emailChanged;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: c.text(formatJst(p.at, lang), p.newAddressMasked) },
          { p: c.warning },
          ...common(),
        ],
      };
    }
    case 'card-renewed': {
      const p = payload as TemplatePayloads['card-renewed'];
      const c = t.cardRenewal.mail;
      return {
        subject: c.subject,
        heading: c.heading,
        parts: [
          ...head(p.userName, p.userId),
          { p: c.text(formatJst(p.at, lang)) },
          { p: c.next },
          { p: c.warning },
          ...common(),
        ],
      };
    }
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sectionText(s: Section): string {
  const lines = [s.heading, '='.repeat(Math.min(60, s.heading.length * 2)), ''];
  for (const part of s.parts) {
    if ('link' in part) lines.push(`${part.label}:`, part.link, '');
    else lines.push('strong' in part ? part.strong : part.p, '');
  }
  return lines.join('\n');
}

function sectionHtml(s: Section, lang: Lang, first: boolean): string {
  const h = first ? 'h1' : 'h2';
  const body = s.parts
    .map((part) => {
      if ('link' in part) {
        return `<p><a href="${esc(part.link)}" style="color:#0017c1;font-weight:bold">${esc(part.label)}</a><br><span style="font-size:14px;word-break:break-all">${esc(part.link)}</span></p>`;
      }
      if ('strong' in part) return `<p><strong>${esc(part.strong)}</strong></p>`;
      return `<p>${esc(part.p)}</p>`;
    })
    .join('\n');
  return `<section lang="${htmlLang(lang)}"${first ? '' : ' style="border-top:1px solid #767676;margin-top:32px;padding-top:16px"'}>\n<${h}>${esc(s.heading)}</${h}>\n${body}\n</section>`;
}

export function fromDomainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? from;
}

export function renderMail(
  template: MailTemplate,
  lang: Lang,
  payload: Record<string, unknown>,
  secret: string | undefined,
  ctx: RenderContext,
): RenderedMail {
  if (TEMPLATES_WITH_SECRET.has(template) && !secret)
    throw new Error(`${template}: the link secret is missing`);
  const other = otherLang(lang);
  const p = payload as unknown as TemplatePayloads[MailTemplate];
  const first = compose(template, catalogs[lang], p, secret, ctx);
  const second = compose(template, catalogs[other], p, secret, ctx);
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
      [
        '<!doctype html>',
        `<html lang="${htmlLang(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
        `<title>${esc(first.subject)}</title></head>`,
        '<body style="margin:0;padding:16px;font-family:sans-serif;font-size:16px;line-height:1.7;color:#1a1a1a;background:#ffffff">',
        '<main style="max-width:640px;margin:0 auto">',
        sectionHtml(first, lang, true),
        sectionHtml(second, other, false),
        `<footer style="border-top:1px solid #767676;margin-top:32px;padding-top:8px;font-size:14px"><p lang="${htmlLang(lang)}">${esc(m1.signature)}</p><p lang="${htmlLang(other)}">${esc(m2.signature)}</p></footer>`,
        '</main></body></html>',
      ].join('\n'),
      true,
    ),
  };
}
