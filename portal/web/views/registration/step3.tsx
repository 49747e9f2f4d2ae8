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
        <p>
          <EmailSent text={r.step3.emailSent(email)} email={email} />
        </p>
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

/** The sentence with the address kept on one line where it fits (never broken at its hyphen). */
function EmailSent({ text, email }: { text: string; email: string }) {
  const at = text.indexOf(email);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <span class="email-address">{email}</span>
      {text.slice(at + email.length)}
    </>
  );
}
