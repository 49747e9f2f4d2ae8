import { easyDate } from '../../../../design/readings.ts';
import type { MunicipalityDirectory } from '../../../domain/address.ts';
import { splitIsoDate } from '../../../domain/person.ts';
import type { Registration } from '../../../domain/registration.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { Csrf, StepIndicator } from '../components.tsx';
import { userCategoryLabel } from '../labels.ts';
import { Layout } from '../layout.tsx';
import { placeName } from './place.ts';

function formatDate(t: Catalog, iso: string): string {
  const p = splitIsoDate(iso);
  if (t.lang === 'ja-easy') return easyDate(Number(p.year), Number(p.month), Number(p.day));
  return t.lang === 'ja'
    ? `${p.year}年${p.month}月${p.day}日`
    : `${p.year}-${iso.slice(5, 7)}-${iso.slice(8, 10)}`;
}

export function Step2Page({
  t,
  path,
  csrf,
  value,
  telephone,
  directory,
}: {
  t: Catalog;
  path: string;
  csrf: string;
  value: Registration;
  /** The telephone number as typed (with its hyphens); `value` holds the digits. */
  telephone: string;
  directory: MunicipalityDirectory;
}) {
  const r = t.registration;
  const s = r.step1;
  const rows: [string, string][] = [
    [s.userName.label, value.userName],
    [s.sex.label, s.sex[value.sex]],
    [s.dateOfBirth.label, formatDate(t, value.dateOfBirth)],
    [s.municipality.label, placeName(directory, t.lang, value.prefectureCode, value.municipalityCode)],
    [s.streetAddress.label, value.streetAddress],
    [s.telephone.label, telephone],
    [s.email.label, value.email],
    [s.userCategory.label, userCategoryLabel(t, value.userCategory)],
    [s.residenceCardNumber.label, value.residenceCardNumber ?? r.step2.none],
    [s.proxyNotificationNumber.label, value.proxyNotificationNumber ?? r.step2.none],
  ];
  return (
    <Layout t={t} title={`${r.step2.heading} | ${r.title}`} formId="step2-form" path={path}>
      <h1>{r.title}</h1>
      <StepIndicator t={t} current={2} />
      <h2>{r.step2.heading}</h2>
      <p>{r.step2.check}</p>
      <h3>{r.step2.lead}</h3>
      <dl class="summary" id="confirm-list">
        {rows.map(([label, text]) => (
          <>
            <dt>{label}</dt>
            <dd>{text}</dd>
          </>
        ))}
      </dl>
      <p class="terms-agreed">✓ {r.step2.termsAgreed}</p>
      <form id="step2-form" method="post" action="/registration/step2" class="actions" data-once="true">
        <Csrf token={csrf} />
        <button type="submit" name="_action" value="register" class="button">
          {r.step2.register}
        </button>
        <button type="submit" name="_action" value="back" class="button button-secondary">
          {r.step2.back}
        </button>
      </form>
    </Layout>
  );
}
