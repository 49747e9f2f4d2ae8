// Prometheus metrics (prom-client) for operators. They are served on a listener of their own
// (METRICS_PORT, loopback unless METRICS_HOST says otherwise), never by the public application:
// route names, queue depths and pool figures are for the operator's scraper only (decision 0901).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { outboxSummary } from './store/outbox.ts';
import type { Db } from './store/schema.ts';

export const registry = new Registry();

export const httpRequests = new Counter({
  name: 'portal_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'portal_http_request_duration_seconds',
  help: 'Time from request to response, by route pattern and method',
  labelNames: ['route', 'method'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const registrations = new Counter({
  name: 'portal_registrations_total',
  help: 'Registrations completed (users created at STEP2)',
  registers: [registry],
});

export const cardStepFailures = new Counter({
  name: 'portal_card_step_failures_total',
  help: 'Card steps that ended in an error page, by error code',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const outboxSent = new Counter({
  name: 'outbox_sent_total',
  help: 'Emails accepted by the SMTP server',
  registers: [registry],
});

export const outboxDeliveryFailures = new Counter({
  name: 'outbox_delivery_failures_total',
  help: 'Delivery attempts that failed: retry (scheduled again) or failed (given up)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const databaseUnavailable = new Counter({
  name: 'portal_database_unavailable_total',
  help: 'Requests answered with the "try again" page because the database did not answer',
  registers: [registry],
});

let watched = false;

/**
 * Gauges read when scraped: the outbox (depth by state, age of the oldest pending email) and the
 * database pool. A failing query leaves the last values (the scrape itself still answers).
 */
export function watchDatabase(
  db: Db,
  pool?: () => { total: number; idle: number; waiting: number; max: number },
): void {
  if (watched) return;
  watched = true;
  new Gauge({
    name: 'outbox_messages',
    help: 'Outbox rows by state (queued and sending are pending)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const s = await outboxSummary(db, new Date());
        for (const [state, n] of Object.entries(s.counts)) this.set({ state }, n);
        oldest.set(s.oldestDueSeconds ?? 0);
      } catch {}
    },
  });
  const oldest = new Gauge({
    name: 'outbox_oldest_pending_seconds',
    help: 'How long the oldest pending email has been due (0 when none is pending)',
    registers: [registry],
  });
  if (pool) {
    new Gauge({
      name: 'portal_db_pool_connections',
      help: 'PostgreSQL pool of this process: total, idle, waiting (requests queued for a connection), max',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p.total);
        this.set({ state: 'idle' }, p.idle);
        this.set({ state: 'waiting' }, p.waiting);
        this.set({ state: 'max' }, p.max);
      },
    });
  }
}

let defaults = false;

/** Serves GET /metrics on host:port; also starts the process metrics (memory, event-loop delay). */
export async function startMetricsServer(
  port: number,
  host: string,
): Promise<{ port: number; close(): Promise<void> }> {
  if (!defaults) {
    defaults = true;
    // nodejs_eventloop_lag_* (mean, p50, p90, p99 over the last interval), process_resident_memory_bytes…
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
