// The second baseline: a bare Fastify route that runs one parameterised SELECT over the portal's
// own pool (pg.Pool through Kysely, same size) and renders a small page with the portal's renderer
// and layout. What "one round trip and a render" costs on this machine; run by the bench as a child.
import Fastify from 'fastify';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { catalogs } from '../portal/i18n/index.ts';
import { openPostgres } from '../portal/store/db.ts';
import { PageContextValue } from '../portal/web/views/page-context.ts';
import { MessagePage } from '../portal/web/views/pages.tsx';

const database = await openPostgres(process.env.DATABASE_URL!, Number(process.env.DATABASE_POOL_SIZE ?? 10));
const app = Fastify({ logger: false });
const t = catalogs.en;
app.get<{ Querystring: { code?: string } }>('/', async (request, reply) => {
  const row = await database.db
    .selectFrom('municipalities')
    .select(['name_en', 'name_ja'])
    .where('code', '=', request.query.code ?? '131041')
    .executeTakeFirst();
  const page = MessagePage({ t, path: '/', title: row?.name_en ?? '—', text: row?.name_ja ?? '—' });
  const html = renderToString(
    h(PageContextValue.Provider, { value: { signedIn: false, readings: true } }, page),
  );
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${html}`);
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => database.close().then(() => process.exit(0))));
console.log(`db page: listening on ${Number(process.env.PORT)}`);
