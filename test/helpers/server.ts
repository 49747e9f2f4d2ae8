// Starts the portal on a free port against a given database; the test stops it.
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadPortalConfig, type PortalConfig } from '../../portal/portal-config.ts';
import type { Db } from '../../portal/store/schema.ts';
import { type BuildOptions, buildApp } from '../../portal/web/app.ts';

export interface TestPortal {
  app: FastifyInstance;
  url: string;
  config: PortalConfig;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPortal(
  db: Db,
  env: Record<string, string> = {},
  now: () => Date = () => new Date(),
  build: BuildOptions = {},
): Promise<TestPortal> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadPortalConfig({ LOG_LEVEL: 'silent', PORT: String(port), PUBLIC_ORIGIN: url, ...env });
  const app = await buildApp({ config, db, now }, build);
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url, config, close: () => app.close() };
}
