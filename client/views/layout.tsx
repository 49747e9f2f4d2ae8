import type { ComponentChildren } from 'preact';
import type { Lang } from '../binding.ts';
import { type Catalog, catalogs, LANGS, htmlLang as langAttr } from '../i18n/index.ts';

export interface PageContext {
  t: Catalog;
  cssUrl: string;
  jsUrl: string;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  hasErrors?: boolean;
  /** Link target per language for the switch; omitted on pages that must not change (answers, refusals). */
  langHref?: (lang: Lang) => string;
  /** The page's language when it is not the catalog's (the bilingual refusal page). */
  htmlLang?: string;
  children: ComponentChildren;
}

export function Layout({ ctx, title, hasErrors, langHref, htmlLang, children }: LayoutProps) {
  const { t } = ctx;
  const full = `${hasErrors ? `${t.errorTitlePrefix}: ` : ''}${title} | ${t.appName}`;
  return (
    <html lang={htmlLang ?? langAttr(t.lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{full}</title>
        <link rel="stylesheet" href={ctx.cssUrl} />
        <script src={ctx.jsUrl} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <div class="site-name">
              <span class="site-agency">{t.appSubtitle}</span>
              <span class="site-title">{t.appName}</span>
            </div>
            {langHref ? <LanguageSwitch t={t} href={langHref} /> : null}
          </div>
        </header>
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}

/** Plain links: switching the language keeps the dialog (it lives on the server) and sends no password. */
function LanguageSwitch({ t, href }: { t: Catalog; href: (lang: Lang) => string }) {
  return (
    <nav class="lang-switch" aria-label={t.languageSwitchLabel}>
      <ul>
        {LANGS.map((lang) => {
          const name = catalogs[lang].langName;
          return (
            <li>
              {lang === t.lang ? (
                <span class="lang-current" aria-current="true" lang={langAttr(lang)}>
                  {name}
                </span>
              ) : (
                <a class="lang-link" href={href(lang)} hrefLang={langAttr(lang)} lang={langAttr(lang)}>
                  {name}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
