import type { MunicipalityDirectory } from '../../../domain/address.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { Csrf } from '../components.tsx';
import { Layout } from '../layout.tsx';
import { municipalityName, prefectureName } from './place.ts';

/** The Search dialog as a page, for browsers without JavaScript. Returns to STEP1 with every entry. */
export function SearchPage({
  t,
  path,
  csrf,
  directory,
  prefectureCode,
  selected,
}: {
  t: Catalog;
  path: string;
  csrf: string;
  directory: MunicipalityDirectory;
  prefectureCode: string;
  selected: string;
}) {
  const q = t.registration.search;
  const results = prefectureCode ? directory.inPrefecture(prefectureCode) : [];
  return (
    <Layout t={t} title={`${q.title} | ${t.registration.step1.municipality.label}`} path={path}>
      <h1>{t.registration.step1.municipality.label}</h1>
      <form method="get" action="/registration/municipality-search" aria-labelledby="conditions-title">
        <h2 id="conditions-title">{q.conditions}</h2>
        <div class="field">
          <label class="field-label" for="prefecture">
            {q.prefecture}
          </label>
          <select id="prefecture" name="prefecture">
            <option value="">{q.choosePrefecture}</option>
            {directory.prefectures.map((p) => (
              <option value={p.code} selected={p.code === prefectureCode}>
                {prefectureName(directory, t.lang, p.code)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          {q.search}
        </button>
      </form>
      <h2 id="results-title">{q.results}</h2>
      {prefectureCode ? (
        <form method="post" action="/registration/municipality-search">
          <Csrf token={csrf} />
          <input type="hidden" name="prefectureCode" value={prefectureCode} />
          <p>{q.count(results.length)}</p>
          <ul class="search-results" aria-labelledby="results-title">
            {results.map((m) => (
              <li>
                <button
                  type="submit"
                  name="municipalityCode"
                  value={m.code}
                  class="result-button"
                  aria-current={m.code === selected ? 'true' : undefined}
                >
                  {municipalityName(directory, t.lang, m.code)}
                </button>
              </li>
            ))}
          </ul>
        </form>
      ) : (
        <p>{q.selectPrefectureFirst}</p>
      )}
      <p class="actions">
        <a class="button button-secondary" href="/registration/step1">
          {q.backToForm}
        </a>
      </p>
    </Layout>
  );
}
