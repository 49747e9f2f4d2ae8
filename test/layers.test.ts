// The layer rules of portal/README.md (scripts/check-layers.ts): the repository keeps them, and
// each rule catches the import it is there for.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { checkLayers, type Import, readImports } from '../scripts/check-layers.ts';

const root = path.resolve(import.meta.dirname, '..');
const imp = (from: string, to: string): Import => ({ from, to, line: 1 });

test('the repository keeps every layer rule and has no folder cycle in portal/', () => {
  const { files, imports } = readImports(root, ['portal', 'client', 'card', 'design', 'config']);
  assert.ok(files.length > 100 && imports.length > 500, 'the import graph was read');
  const { violations, cycles } = checkLayers(imports);
  assert.deepEqual(
    violations.map((v) => `${v.import.from} → ${v.import.to}: ${v.rule}`),
    [],
  );
  assert.deepEqual(cycles, []);
});

test('each rule refuses the import it names', () => {
  const cases: [Import, string][] = [
    [imp('portal/domain/person.ts', 'portal/store/users.ts'), 'domain imports only domain'],
    [imp('portal/flows/card-step.ts', 'fastify'), 'flows import neither fastify nor portal/web'],
    [imp('portal/flows/x.ts', 'portal/web/session.ts'), 'flows import neither fastify nor portal/web'],
    [imp('portal/web/views/pages.tsx', 'portal/store/accounts.ts'), 'views do not import the store'],
    [imp('client/main.ts', 'portal/i18n/index.ts'), 'client/ and portal/ do not import each other'],
    [imp('portal/identity/trust.ts', 'client/server.ts'), 'client/ and portal/ do not import each other'],
    [
      imp('config/env.ts', 'portal/i18n/index.ts'),
      'config/ is a leaf (any program may import it; it imports nothing of the repository)',
    ],
    [
      imp('portal/mail/worker.ts', 'portal/flows/x.ts'),
      'store, identity, i18n and mail import no flows or web',
    ],
  ];
  for (const [i, rule] of cases) {
    assert.deepEqual(
      checkLayers([i]).violations.map((v) => v.rule),
      [rule],
      `${i.from} → ${i.to}`,
    );
  }
  // Allowed: web on flows, flows on store, views on domain, both programs on card/ and config/.
  for (const i of [
    imp('portal/web/routes/a.ts', 'portal/flows/b.ts'),
    imp('portal/flows/a.ts', 'portal/store/b.ts'),
    imp('portal/web/views/a.tsx', 'portal/domain/address.ts'),
    imp('client/a.ts', 'card/token.ts'),
    imp('portal/identity/a.ts', 'card/token.ts'),
    imp('client/config.ts', 'config/env.ts'),
    imp('portal/portal-config.ts', 'config/env.ts'),
  ]) {
    assert.deepEqual(checkLayers([i]).violations, [], `${i.from} → ${i.to}`);
  }
});

test('a cycle between folders of portal/ is found, however long', () => {
  const { cycles } = checkLayers([
    imp('portal/flows/a.ts', 'portal/mail/b.ts'),
    imp('portal/mail/b.ts', 'portal/i18n/c.ts'),
    imp('portal/i18n/c.ts', 'portal/flows/d.ts'),
    imp('portal/web/e.ts', 'portal/flows/a.ts'),
  ]);
  assert.deepEqual(cycles, [['portal/flows', 'portal/i18n', 'portal/mail']]);
});
