// The mail catcher as `npm start` runs it: prints its URL, receives mail, exits cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import { freePort } from './helpers/server.ts';

test('tsx mailcatcher/main.ts: URL line, SMTP in, web inbox out, clean exit on SIGTERM', async () => {
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'mailcatcher/main.ts'], {
    env: { ...process.env, MAILCATCHER_SMTP_PORT: String(smtpPort), MAILCATCHER_HTTP_PORT: String(httpPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (s: string) => {
        out += s;
        if (out.includes('\n')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    assert.equal(out.trim(), `mail catcher: http://localhost:${httpPort} (SMTP 127.0.0.1:${smtpPort})`);
    await nodemailer.createTransport(`smtp://127.0.0.1:${smtpPort}`).sendMail({
      from: 'a@residence.localhost',
      to: 'b@example.com',
      subject: 'Hello <catcher>',
      text: 'plain',
      html: '<p>rich</p><script>alert(1)</script>',
    });
    const list = (await (await fetch(`http://127.0.0.1:${httpPort}/api/messages`)).json()) as {
      id: number;
    }[];
    assert.equal(list.length, 1);
    const page = await (await fetch(`http://127.0.0.1:${httpPort}/messages/${list[0]!.id}`)).text();
    assert.match(page, /Hello &#60;catcher&#62;/);
    assert.match(page, /sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="[^"]*&#60;script&#62;/);
  } finally {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  }
});
