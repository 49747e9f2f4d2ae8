import { formatUserId } from '../../../domain/user-id.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { StepIndicator } from '../components.tsx';
import { Layout } from '../layout.tsx';

export function Step3Page({
  t,
  path,
  userId,
  email,
}: {
  t: Catalog;
  path: string;
  userId: string;
  email: string;
}) {
  const r = t.registration;
  return (
    <Layout t={t} title={`${r.step3.heading} | ${r.title}`} path={path}>
      <h1>{r.title}</h1>
      <StepIndicator t={t} current={3} />
      <h2>{r.step3.heading}</h2>
      <div class="notice completion" id="completion">
        <p>
          <strong>{r.step3.done}</strong>
        </p>
        <p>{r.step3.emailSent(email)}</p>
        <p>
          ({r.step3.userId} : <strong id="user-id">{formatUserId(userId)}</strong>)
        </p>
      </div>
      <p>{r.step3.setPassword}</p>
      <p class="actions">
        <a class="button" href="/">
          {r.step3.backToTop}
        </a>
      </p>
    </Layout>
  );
}
