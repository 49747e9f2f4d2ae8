// Shared set-up for the client tests: demo cards issued once per test file (RSA key generation is
// slow) and copied into a fresh directory per test, the client started in-process on a free
// port, and a tiny fake portal that records what the client posts back.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadCardFile } from '../../card/emulator/card-file.ts';
import { DEMO_AUTH_PIN, DEMO_SIGN_PASSWORD, ensureDemoCards } from '../../card/pki/demo.ts';
import { loadClientConfig } from '../../client/config.ts';
import { ClientVirtualReader } from '../../client/reader.ts';
import { buildClientServer } from '../../client/server.ts';

export const SIGN_PASSWORD = DEMO_SIGN_PASSWORD;
export const AUTH_PIN = DEMO_AUTH_PIN;

let template: Promise<string> | undefined;

/** A data dir with the demo PKI and demo cards, made once per test process. */
export function demoCardsTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'client-test-template-'));
    await ensureDemoCards(dir);
    return join(dir, 'cards');
  })();
  return template;
}

/** A fresh copy of the demo cards (tries at their issued values), with `cardId` inserted (null = none). */
export async function freshCardDir(cardId: string | null = 'default'): Promise<string> {
  const from = await demoCardsTemplate();
  const dir = await mkdtemp(join(tmpdir(), 'client-test-cards-'));
  for (const name of await readdir(from)) {
    if (name.endsWith('.card.json')) await copyFile(join(from, name), join(dir, name));
  }
  const reader = new ClientVirtualReader(dir);
  await reader.insert(cardId);
  return dir;
}

export async function triesOnFile(
  cardDir: string,
  id = 'default',
): Promise<{ sign: number | null; auth: number }> {
  const card = await loadCardFile(join(cardDir, `${id}.card.json`));
  return { sign: card.sign?.triesLeft ?? null, auth: card.auth.triesLeft };
}

export interface Posted {
  path: string;
  headers: IncomingMessage['headers'];
  fields: Record<string, string>;
}

export interface FakePortal {
  origin: string;
  returnUrl: string;
  posts: Posted[];
  /** Resolves with the next POST (or one already received and not yet taken). */
  nextPost(): Promise<Posted>;
  close(): Promise<void>;
}

/** The portal side of the contract: a return endpoint that records the POST and says thanks. */
export async function startFakePortal(): Promise<FakePortal> {
  const posts: Posted[] = [];
  let taken = 0;
  const waiters: ((p: Posted) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'POST') {
        const fields = Object.fromEntries(new URLSearchParams(body));
        const posted = { path: req.url ?? '', headers: req.headers, fields };
        posts.push(posted);
        const w = waiters.shift();
        if (w) {
          taken++;
          w(posted);
        }
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>Portal</title><main><h1>Received</h1></main></html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    returnUrl: `${origin}/registration/card/return`,
    posts,
    nextPost: () =>
      taken < posts.length
        ? Promise.resolve(posts[taken++]!)
        : new Promise((resolve) => waiters.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestClient {
  app: FastifyInstance;
  url: string;
  port: number;
  cardDir: string;
  reader: ClientVirtualReader;
  close(): Promise<void>;
}

export async function startClient(cardDir: string, allowedOrigins: string[]): Promise<TestClient> {
  const config = loadClientConfig({
    CLIENT_PORT: '0',
    CARD_DIR: cardDir,
    CLIENT_ALLOWED_ORIGINS: allowedOrigins.join(','),
    LOG_LEVEL: 'silent',
  });
  const reader = new ClientVirtualReader(cardDir);
  const app = await buildClientServer({ config, reader });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    port,
    cardDir,
    reader,
    close: async () => {
      await app.close();
      await rm(cardDir, { recursive: true, force: true });
    },
  };
}

export function newNonce(): string {
  return createHash('sha256').update(String(Math.random())).digest('base64');
}

export function authenticateUrl(
  client: TestClient,
  portal: FakePortal,
  nonce: string,
  extra: Record<string, string> = {},
): string {
  const q = new URLSearchParams({
    origin: portal.origin,
    nonce,
    return: portal.returnUrl,
    lang: 'ja',
    mode: 'register',
    ...extra,
  });
  return `${client.url}/authenticate?${q}`;
}

/** Checks a token the way the portal will: each signature over M with its own certificate's key. */
export function verifyToken(
  tokenText: string,
  origin: string,
  nonce: string,
): { parsed: Record<string, string>; signOk: boolean | null; authOk: boolean } {
  const parsed = JSON.parse(tokenText) as Record<string, string>;
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const m = Buffer.concat([h(origin), h(nonce)]);
  const check = (cert: string, sig: string) =>
    verify(
      'sha256',
      m,
      new X509Certificate(Buffer.from(cert, 'base64')).publicKey,
      Buffer.from(sig, 'base64'),
    );
  return {
    parsed,
    signOk: parsed.signCertificate ? check(parsed.signCertificate, parsed.signSignature!) : null,
    authOk: check(parsed.authCertificate!, parsed.authSignature!),
  };
}

export async function cleanupTemplate(): Promise<void> {
  if (!template) return;
  const cards = await template;
  await rm(join(cards, '..'), { recursive: true, force: true });
  template = undefined;
}
