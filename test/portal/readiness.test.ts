// What an operator and a load balancer see: /readyz with the database, Redis and SMTP apart,
// the "try again" page while the database is away, and Prometheus metrics on a listener of their own.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { registry, startMetricsServer, watchDatabase } from '../../portal/metrics.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import type { Db } from '../../portal/store/schema.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';

/** An SMTP server that only greets: 220 (accepting) or 421 (refusing). */
function smtpGreeter(): Promise<{ server: Server; port: number; code: { value: number } }> {
  const code = { value: 220 };
  const server = createServer((socket) => {
    socket.end(`${code.value} greeter\r\n`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0, code });
    }),
  );
}

/** The same database, but every query fails as when PostgreSQL is down while `down.value` is set. */
function switchable(db: Db): { db: Db; down: { value: boolean } } {
  const down = { value: false };
  const wrapped = db.withPlugin({
    transformQuery(args) {
      if (down.value)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: wrapped, down };
}

describe('readiness, the "try again" page and metrics', () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  let smtp: Awaited<ReturnType<typeof smtpGreeter>>;
  let down: { value: boolean };
  before(async () => {
    h = await openTestDatabase('pglite');
    smtp = await smtpGreeter();
    const s = switchable(h.db);
    down = s.down;
    portal = await startPortal(s.db, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  });
  after(async () => {
    await portal.close();
    await h.close();
    smtp.server.close();
  });

  const inject = (opts: InjectOptions) => portal.app.inject(opts);

  test('/readyz: database, Redis and SMTP each reported; SMTP refusing only degrades', async () => {
    const ok = await inject({ url: '/readyz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), {
      status: 'ready',
      database: 'ok',
      redis: 'not configured',
      smtp: 'ok',
      outbox: { pending: 0, oldestPendingSeconds: 0 },
    });
    smtp.code.value = 421;
    // The SMTP probe is cached for 5 s: a fresh portal sees the refusal at once.
    const other = await startPortal(h.db, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    try {
      const degraded = await other.app.inject({ url: '/readyz' });
      assert.equal(degraded.statusCode, 200, 'mail waits in the outbox: the instance still takes applicants');
      assert.equal(degraded.json().status, 'degraded');
      assert.equal(degraded.json().smtp, 'refusing');
    } finally {
      smtp.code.value = 220;
      await other.close();
    }
  });

  test('database down: /readyz 503; a form post gets the bilingual "try again" page with its entries', async () => {
    const top = await inject({ url: '/', headers: { 'accept-language': 'en' } });
    const cookie = [top.headers['set-cookie']]
      .flat()
      .map((c) => String(c).split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(top.body)?.[1];
    assert.ok(csrf);
    down.value = true;
    try {
      const ready = await inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().status, 'not ready');
      assert.equal(ready.json().database, 'unreachable');

      const res = await inject({
        method: 'POST',
        // Starting the card step writes a card session: the first write of a registration.
        url: '/registration/card',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        payload: new URLSearchParams({
          _csrf: csrf,
          email: 'taro@example.jp',
          streetAddress: 'Nishi-Shinjuku 2-8-1',
          password: 'never-echoed-1',
        }).toString(),
      });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '5');
      assert.match(res.body, /Please try again in a moment/);
      assert.match(res.body, /しばらくしてから、もう一度お試しください/);
      // The same form again, ready to resend: what was typed is kept; a password is not echoed.
      assert.match(res.body, /<form method="post" action="\/registration\/card">/);
      assert.match(res.body, /name="email" value="taro@example.jp"/);
      assert.match(res.body, /name="streetAddress" value="Nishi-Shinjuku 2-8-1"/);
      assert.doesNotMatch(res.body, /never-echoed-1/);
      assert.doesNotMatch(res.body, /ECONNREFUSED|at .*\.ts:\d+/);
    } finally {
      down.value = false;
    }
    assert.equal((await inject({ url: '/readyz' })).statusCode, 200, 'ready again once the database answers');
  });

  test('the "try again" page in a browser: no axe violations, the form ready to send again', {
    skip: browserUnavailable(),
  }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
      await page.goto(`${portal.url}/`);
      down.value = true;
      try {
        const [res] = await Promise.all([
          page.waitForNavigation(),
          page.click('form[action="/registration/card"] button[type="submit"]'),
        ]);
        assert.equal(res?.status(), 503);
        assert.equal(await page.locator('h1').textContent(), 'Please try again in a moment');
        assert.equal(await page.locator('form[action="/registration/card"] input[name="_csrf"]').count(), 1);
        assert.deepEqual(await axeViolations(page), []);
      } finally {
        down.value = false;
      }
    } finally {
      await browser.close();
    }
  });

  test('shutting down: /readyz answers 503 so the load balancer stops sending', async () => {
    portal.app.readiness.draining = true;
    try {
      const res = await inject({ url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().status, 'shutting down');
    } finally {
      portal.app.readiness.draining = false;
    }
  });

  test('metrics: not on the public port; on their own loopback listener with routes, outbox and event loop', async () => {
    assert.equal((await inject({ url: '/metrics' })).statusCode, 404);
    await inject({ url: '/readyz' });
    watchDatabase(h.db);
    const m = await startMetricsServer(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${m.port}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /portal_http_requests_total\{route="\/readyz",method="GET",status="200"\} \d+/);
      assert.match(
        text,
        /portal_http_request_duration_seconds_bucket\{le="0.005",route="\/readyz",method="GET"\}/,
      );
      assert.match(text, /outbox_messages\{state="queued"\} 0/);
      assert.match(text, /outbox_oldest_pending_seconds 0/);
      assert.match(text, /portal_registrations_total 0/);
      assert.match(text, /nodejs_eventloop_lag_p99_seconds/);
      assert.match(text, /process_resident_memory_bytes/);
      assert.match(text, /portal_database_unavailable_total [1-9]/);
      assert.equal((await fetch(`http://127.0.0.1:${m.port}/other`)).status, 404);
    } finally {
      await m.close();
    }
    assert.ok(registry.getSingleMetric('portal_card_step_failures_total'));
  });
});
