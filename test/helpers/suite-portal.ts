// A portal of its own on a fresh PGlite database for one describe block: started before its
// tests, stopped after them (the setup several security tests wrote out by hand).
import { after, before } from 'node:test';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { openTestDatabase } from './db.ts';
import { startPortal, type TestPortal } from './server.ts';

export interface SuitePortal {
  /** Set once the suite's `before` hook has run. */
  h: DatabaseHandle;
  portal: TestPortal;
}

export function suitePortal(env: Record<string, string> = {}): SuitePortal {
  const s = {} as SuitePortal;
  before(async () => {
    s.h = await openTestDatabase('pglite');
    s.portal = await startPortal(s.h.db, env);
  });
  after(async () => {
    await s.portal?.close();
    await s.h?.close();
  });
  return s;
}
