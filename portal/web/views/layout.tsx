import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { readingPieces } from '../../../design/readings.ts';
import { rendered } from '../../html/render.ts';
import type { Catalog, Lang } from '../../i18n/index.ts';
import { catalogs, htmlLang, LANGS } from '../../i18n/index.ts';
import { localTarget } from '../local-path.ts';
import { assetUrls } from './assets.ts';
import { PageContextValue } from './page-context.ts';

export interface LayoutProps {
  t: Catalog;
  title: string;
  /** Prefixes the title with the word for error, as screen-reader users hear the title first. */
  hasErrors?: boolean;
  /** On a page with a form, the language switch submits that form so the entries are kept. */
  formId?: string;
  /** The request target as received (untrusted), for the language links on pages without a form. */
  path: string;
  children: ComponentChildren;
}

export function Layout({ t, title, hasErrors, formId, path, children }: LayoutProps) {
  const { signedIn, readings } = useContext(PageContextValue);
  const base = title === t.common.systemName ? title : `${title} | ${t.common.systemName}`;
  const fullTitle = `${hasErrors ? `${t.common.errorTitlePrefix}: ` : ''}${base}`;
  return (
    <html lang={htmlLang(t.lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={assetUrls.css} />
        <script src={assetUrls.js} defer />
      </head>
      <body class={t.lang === 'ja-easy' ? 'easy-japanese' : undefined}>
        <a class="skip-link" href="#main">
          {t.common.skipToContent}
        </a>
        {formId ? (
          // On a form page the header depends only on the language, the form, sign-in and the
          // readings switch: rendered once for each (portal/html/render.ts `rendered`).
          <header
            class="site-header"
            dangerouslySetInnerHTML={rendered(
              [t],
              `header:${formId}:${signedIn ? 1 : 0}:${readings ? 1 : 0}`,
              () => <HeaderInner t={t} formId={formId} path={path} signedIn={signedIn} readings={readings} />,
            )}
          />
        ) : (
          <header class="site-header">
            <HeaderInner t={t} path={path} signedIn={signedIn} readings={readings} />
          </header>
        )}
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer
          class="site-footer"
          dangerouslySetInnerHTML={rendered([t], 'footer', () => <FooterInner t={t} />)}
        />
      </body>
    </html>
  );
}

interface HeaderProps {
  t: Catalog;
  formId?: string | undefined;
  path: string;
  signedIn: boolean;
  readings: boolean;
}

function HeaderInner({ t, formId, path, signedIn, readings }: HeaderProps) {
  return (
    <div class="container header-inner">
      <a class="site-name" href="/">
        <span class="site-agency">{t.common.agency}</span>
        <span class="site-title">{t.common.systemName}</span>
      </a>
      <div class="header-tools">
        {signedIn ? (
          <a class="header-signin" href="/mypage">
            {t.common.headerMyPage}
          </a>
        ) : (
          <a class="header-signin" href="/signin">
            {t.common.headerSignIn}
          </a>
        )}
        {formId ? (
          // Enter in a text box submits with the form's first submit button in document
          // order. The language buttons below belong to the form too, so this invisible
          // plain submit comes first: Enter does the page's own action, not a switch.
          <button type="submit" form={formId} class="visually-hidden" tabIndex={-1} aria-hidden="true">
            {t.common.submitDefault}
          </button>
        ) : null}
        <LanguageSwitch t={t} formId={formId} path={path} />
        {t.lang === 'ja-easy' ? (
          <ReadingsSwitch t={t} formId={formId} path={path} readings={readings} />
        ) : null}
      </div>
    </div>
  );
}

function FooterInner({ t }: { t: Catalog }) {
  return (
    <div class="container">
      <ul class="footer-links">
        <li>
          <a href="/terms">{t.common.footerTerms}</a>
        </li>
        <li>
          <a href="/prepare">{t.common.footerPrepare}</a>
        </li>
        <li>
          <a href="/sources">{t.common.footerSources}</a>
        </li>
      </ul>
      <p class="copyright">{t.common.footerCopyright}</p>
    </div>
  );
}

function LanguageSwitch({ t, formId, path }: { t: Catalog; formId?: string; path: string }) {
  return (
    <nav class="lang-switch" aria-label={t.common.languageSwitchLabel}>
      <ul>
        {LANGS.map((lang: Lang) => {
          const name = langLabel(catalogs[lang].common.langName, t.lang === 'ja-easy');
          if (lang === t.lang) {
            return (
              <li>
                <span class="lang-current" aria-current="true" lang={htmlLang(lang)}>
                  {name}
                </span>
              </li>
            );
          }
          return (
            <li>
              {formId ? (
                <button
                  type="submit"
                  form={formId}
                  name="_lang"
                  value={lang}
                  formNoValidate
                  class="lang-link"
                  lang={htmlLang(lang)}
                >
                  {name}
                </button>
              ) : (
                <a
                  href={withLang(path, lang)}
                  hrefLang={htmlLang(lang)}
                  lang={htmlLang(lang)}
                  class="lang-link"
                >
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

/**
 * A language's own name. On an Easy Japanese page its reading markers are left to the page's
 * readings pass (which also honours the furigana switch); on a ja or en page they become <ruby>
 * here, so those pages carry no markers and skip that pass over the whole document (bench: it was
 * 5 % of the portal's CPU when every page held this one reading).
 */
function langLabel(name: string, easyPage: boolean): ComponentChildren {
  if (easyPage) return name;
  return readingPieces(name, true).map((piece) =>
    piece.length === 2 ? (
      <ruby>
        {piece[0]}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: <rt> is never focusable; hidden so a screen reader does not read the name twice (as the readings pass does) */}
        <rt aria-hidden="true">{piece[1]}</rt>
      </ruby>
    ) : (
      piece[0]
    ),
  );
}

function withLang(path: string, lang: Lang): string {
  return localTarget(path, (q) => q.set('lang', lang));
}

/**
 * Easy Japanese only: hide or show the readings over kanji. Works without script — a link (or, on
 * a form page, a submit button that keeps the entries, like the language switch) sets a cookie.
 */
function ReadingsSwitch({
  t,
  formId,
  path,
  readings,
}: {
  t: Catalog;
  formId?: string;
  path: string;
  readings: boolean;
}) {
  const next = readings ? 'off' : 'on';
  const label = readings ? t.common.readings.hide : t.common.readings.show;
  return (
    <p class="readings-switch">
      {formId ? (
        <button type="submit" form={formId} name="_furigana" value={next} formNoValidate class="lang-link">
          {label}
        </button>
      ) : (
        <a href={localTarget(path, (q) => q.set('furigana', next))} class="lang-link">
          {label}
        </a>
      )}
    </p>
  );
}
