// Defect 8 (issue 11): DNS rebinding. A web page on evil.example can make its own name resolve to
// 127.0.0.1 and then read what the local servers answer, as same-origin. The mail catcher holds
// password links; the user client software drives the card. Both answer only requests whose Host
// is a name they serve on their own port, and 421 (Misdirected Request) to anything else.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type MailCatcher, startMailCatcher } from '../../../mailcatcher/catcher.ts';
import { startClient } from '../../client/helpers.ts';

/** One request to 127.0.0.1:port with exactly this Host header (fetch would not let us set it). */
function withHost(
  port: number,
  host: string,
  path = '/',
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const foreign = (port: number) => [
  `evil.example:${port}`,
  'evil.example',
  `127.0.0.1:${port + 1}`,
  `localhost.evil.example:${port}`,
  `127.0.0.1.nip.io:${port}`,
  `[::ffff:7f00:1]:${port}`,
];

describe('Host header checks (DNS rebinding)', () => {
  test('the mail catcher answers 421 to a foreign Host, on every path, and serves its own names', async () => {
    let catcher: MailCatcher | undefined;
    try {
      catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
      const port = catcher.httpPort;
      for (const host of foreign(port)) {
        for (const path of ['/', '/api/messages', '/messages/1', '/messages/1/raw']) {
          const r = await withHost(port, host, path);
          assert.equal(r.status, 421, `${host} ${path}`);
          assert.doesNotMatch(r.body, /Mail catcher|\[/, 'nothing of the inbox');
        }
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
        const r = await withHost(port, host, '/api/messages');
        assert.equal(r.status, 200, host);
        assert.equal(r.body, '[]');
      }
      assert.equal(catcher.url, `http://localhost:${port}`);
    } finally {
      await catcher?.close();
    }
  });

  test('the user client software answers 421 to a foreign Host and serves its own names', async () => {
    const cardDir = await mkdtemp(join(tmpdir(), 'ro-host-check-'));
    const client = await startClient(cardDir, ['http://localhost:3000']);
    try {
      for (const host of foreign(client.port)) {
        for (const [method, path] of [
          ['GET', '/'],
          ['GET', '/authenticate'],
          ['POST', '/reader'],
        ] as const) {
          const r = await withHost(client.port, host, path, method);
          assert.equal(r.status, 421, `${host} ${method} ${path}`);
        }
      }
      for (const host of [`localhost:${client.port}`, `127.0.0.1:${client.port}`]) {
        assert.equal((await withHost(client.port, host)).status, 200, host);
      }
    } finally {
      await client.close();
      await rm(cardDir, { recursive: true, force: true });
    }
  });
});
