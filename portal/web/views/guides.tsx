// The guide pages the manual links to: the Startup Guide (§1.1) and "How to check your number of
// certificate of proxy notification" (§1.3, STEP1's proxy field).
import type { Catalog } from '../../i18n/index.ts';
import { CHECKSUM_FILE, type ClientDownload } from '../client-downloads.ts';
import { Layout } from './layout.tsx';

interface PageBase {
  t: Catalog;
  path: string;
}

const JS_FILE = 'residence-online-client.cjs';

/** A command the applicant types (wrapped on a narrow screen rather than scrolled). */
function Command({ label, lines }: { label: string; lines: string[] }) {
  return (
    <>
      <p>{label}</p>
      <pre class="command">
        <code>{lines.join('\n')}</code>
      </pre>
    </>
  );
}

export function StartupGuidePage({
  t,
  path,
  downloads,
  publicOrigin,
  clientOrigin,
}: PageBase & { downloads: ClientDownload[]; publicOrigin: string; clientOrigin: string }) {
  const g = t.guides.startup;
  const port = new URL(clientOrigin).port || '80';
  const env = `CLIENT_ALLOWED_ORIGINS=${publicOrigin} CLIENT_PORT=${port}`;
  const exe = downloads.find((d) => d.kind === 'linux-x64');
  const js = downloads.find((d) => d.kind === 'js');
  const jsName = js?.file ?? JS_FILE;
  const sections = [
    ['prepare', g.prepare.title],
    ['passwords', g.passwords.title],
    ['install', g.install.title],
    ['start', g.start.title],
    ['check', g.check.title],
    ['register', g.next.title],
  ] as const;
  return (
    <Layout t={t} title={g.title} path={path}>
      <h1>{g.title}</h1>
      <p class="lead">{g.lead}</p>
      <nav aria-labelledby="guide-contents">
        <h2 id="guide-contents" class="visually-hidden">
          {g.contents}
        </h2>
        <ul>
          {sections.map(([id, title]) => (
            <li>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="prepare">
        <h2 id="prepare">{g.prepare.title}</h2>
        <ul>
          <li>{g.prepare.card}</li>
          <li>{g.prepare.reader}</li>
          <li>{g.prepare.smartphone}</li>
          <li>{g.prepare.residenceCard}</li>
        </ul>
      </section>

      <section aria-labelledby="passwords">
        <h2 id="passwords">{g.passwords.title}</h2>
        <p>{g.passwords.lead}</p>
        <ul>
          <li>{g.passwords.sign}</li>
          <li>{g.passwords.auth}</li>
        </ul>
        <h3>{g.passwords.blockedTitle}</h3>
        <p>{g.passwords.blocked}</p>
      </section>

      <section aria-labelledby="install">
        <h2 id="install">{g.install.title}</h2>
        <p>{g.install.lead}</p>
        {downloads.length === 0 ? (
          <div class="notice" id="no-downloads">
            <p>{g.install.none}</p>
          </div>
        ) : (
          <>
            <ul class="downloads" aria-label={g.install.tableCaption}>
              {downloads.map((d) => (
                <li>
                  <p class="download-file">
                    <a href={`/downloads/${d.file}`} download={d.file}>
                      {d.file}
                    </a>
                  </p>
                  <dl class="download-facts">
                    <dt>{g.install.for}</dt>
                    <dd>{g.install.kinds[d.kind]}</dd>
                    <dt>{g.install.size}</dt>
                    <dd>{g.install.megabytes((d.bytes / 1e6).toFixed(1))}</dd>
                    <dt>{g.install.checksum}</dt>
                    <dd>
                      <code class="checksum" data-file={d.file}>
                        {d.sha256}
                      </code>
                    </dd>
                  </dl>
                </li>
              ))}
            </ul>
            <h3>{g.install.verifyTitle}</h3>
            <p>
              {g.install.verify}
              <a href={`/downloads/${CHECKSUM_FILE}`} download={CHECKSUM_FILE}>
                {CHECKSUM_FILE}
              </a>
              {g.install.verifyEnd}
            </p>
            <Command label={g.install.verifyWindows} lines={[`Get-FileHash ${jsName} -Algorithm SHA256`]} />
            <Command label={g.install.verifyMac} lines={[`shasum -a 256 ${jsName}`]} />
            <Command
              label={g.install.verifyLinux}
              lines={[`sha256sum -c --ignore-missing ${CHECKSUM_FILE}`]}
            />
          </>
        )}
      </section>

      <section aria-labelledby="start">
        <h2 id="start">{g.start.title}</h2>
        <p>{g.start.lead}</p>
        <Command label={g.start.withNode} lines={[`${env} node ${jsName}`]} />
        {exe ? (
          <Command label={g.start.withLinux} lines={[`chmod +x ${exe.file}`, `${env} ./${exe.file}`]} />
        ) : null}
        <Command
          label={g.start.windows}
          lines={[
            `$env:CLIENT_ALLOWED_ORIGINS="${publicOrigin}"; $env:CLIENT_PORT="${port}"`,
            `node ${jsName}`,
          ]}
        />
        <p>{g.start.reader}</p>
      </section>

      <section aria-labelledby="check">
        <h2 id="check">{g.check.title}</h2>
        <p>
          {g.check.lead}{' '}
          <a href={`${clientOrigin}/`} id="client-status-link">
            {clientOrigin}/
          </a>
        </p>
        <ol>
          {g.check.steps.map((s) => (
            <li>{s}</li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="register">
        <h2 id="register">{g.next.title}</h2>
        <p>{g.next.text}</p>
        <p class="actions">
          <a class="button button-secondary" href="/">
            {g.next.back}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function ProxyNotificationPage({ t, path }: PageBase) {
  const p = t.guides.proxy;
  return (
    <Layout t={t} title={p.title} path={path}>
      <h1>{p.title}</h1>
      <p class="lead">{p.lead}</p>
      {([p.what, p.who, p.where, p.lost] as const).map((s, i) => (
        <section aria-labelledby={`proxy-${i}`}>
          <h2 id={`proxy-${i}`}>{s.title}</h2>
          <p>{s.text}</p>
          {'example' in s ? <p class="field-example">{s.example}</p> : null}
        </section>
      ))}
      <p>{p.note}</p>
      <p class="actions">
        <a class="button button-secondary" href="/">
          {p.back}
        </a>
      </p>
    </Layout>
  );
}
