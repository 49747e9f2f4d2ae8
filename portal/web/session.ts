import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../store/schema.ts';
import {
  deleteSession,
  findSession,
  insertSession,
  type SessionRow,
  touchSession,
  updateSession,
} from '../store/sessions.ts';

/**
 * A browser session stored in the database (portal instances stay stateless).
 * The cookie holds 32 random bytes; the database holds only their SHA-256.
 * A new session is written only once something needs it (a form's CSRF token, stored data),
 * so crawlers and health checks do not fill the table.
 */
export class Session {
  #dirty = false;
  #needsPersist = false;
  constructor(
    public row: SessionRow,
    public cookieValue: string,
    public isNew: boolean,
  ) {}

  get id(): string {
    return this.row.id;
  }
  get userId(): string | null {
    return this.row.userId;
  }
  /** Reading the token means a form will carry it, so the session must exist when the form comes back. */
  get csrfToken(): string {
    this.#needsPersist = true;
    return this.row.csrfToken;
  }
  get<T>(key: string): T | undefined {
    return this.row.data[key] as T | undefined;
  }
  set(key: string, value: unknown): void {
    if (value === undefined) delete this.row.data[key];
    else this.row.data[key] = value;
    this.#dirty = true;
  }
  get dirty(): boolean {
    return this.#dirty;
  }
  get needsPersist(): boolean {
    return this.#needsPersist || this.#dirty;
  }
  markSaved(): void {
    this.#dirty = false;
    this.#needsPersist = false;
    this.isNew = false;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session;
    /** The browser presented a session cookie that had expired (or was unknown). */
    sessionExpired: boolean;
    /** Writes the session now (it is also written automatically before the response is sent). */
    saveSession(): Promise<void>;
    /** New session id and CSRF token, keeping the data: call on sign-in and sign-out. */
    rotateSession(userId: string | null): Promise<void>;
    destroySession(): Promise<void>;
  }
  interface FastifyContextConfig {
    /** Set false on routes that must accept a cross-site POST (the card callback). */
    csrf?: boolean;
    /** Set false on routes that need no session at all (assets, health). */
    session?: boolean;
  }
}

export interface SessionOptions {
  db: Db;
  idleMinutes: number;
  secureCookie: boolean;
  now?: () => Date;
}

const TOUCH_AFTER_MS = 60_000;

export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const sessionPlugin = fp(async (app: FastifyInstance, opts: SessionOptions) => {
  const cookieName = opts.secureCookie ? '__Host-sid' : 'sid';
  const now = opts.now ?? (() => new Date());
  const idleMs = opts.idleMinutes * 60_000;

  function fresh(): Session {
    const cookieValue = randomBytes(32).toString('base64url');
    const t = now();
    return new Session(
      {
        id: hashToken(cookieValue),
        csrfToken: randomBytes(32).toString('base64url'),
        userId: null,
        data: {},
        lastSeenAt: t,
        expiresAt: new Date(t.getTime() + idleMs),
      },
      cookieValue,
      true,
    );
  }

  function setCookie(reply: FastifyReply, s: Session): void {
    reply.setCookie(cookieName, s.cookieValue, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookie,
    });
  }

  async function persist(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const s = request.session;
    if (!s) return;
    const t = now();
    if (s.isNew) {
      if (!s.needsPersist) return;
      s.row.lastSeenAt = t;
      s.row.expiresAt = new Date(t.getTime() + idleMs);
      await insertSession(opts.db, s.row);
      setCookie(reply, s);
    } else if (s.dirty) {
      s.row.lastSeenAt = t;
      s.row.expiresAt = new Date(t.getTime() + idleMs);
      await updateSession(opts.db, s.row);
    } else if (t.getTime() - s.row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      // Sliding expiry without a write on every request.
      s.row.lastSeenAt = t;
      s.row.expiresAt = new Date(t.getTime() + idleMs);
      await touchSession(opts.db, s.id, s.row.lastSeenAt, s.row.expiresAt);
    }
    s.markSaved();
  }

  app.decorateRequest('session', null as unknown as Session);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('saveSession', async function (this: FastifyRequest) {
    await persist(this, this.server.replyFor(this));
  });
  app.decorateRequest('rotateSession', async function (this: FastifyRequest, userId: string | null) {
    const old = this.session;
    const next = fresh();
    next.row.data = { ...old.row.data };
    next.row.userId = userId;
    if (!old.isNew) await deleteSession(opts.db, old.id);
    next.set('rotatedAt', now().toISOString());
    this.session = next;
    await persist(this, this.server.replyFor(this));
  });
  app.decorateRequest('destroySession', async function (this: FastifyRequest) {
    if (!this.session.isNew) await deleteSession(opts.db, this.session.id);
    this.session = fresh();
    this.server.replyFor(this).clearCookie(cookieName, { path: '/' });
  });

  // Fastify has no request→reply link; keep one so request methods can set cookies.
  const replies = new WeakMap<FastifyRequest, FastifyReply>();
  app.decorate('replyFor', (request: FastifyRequest) => replies.get(request) as FastifyReply);

  app.addHook('onRequest', async (request, reply) => {
    replies.set(request, reply);
    if (request.routeOptions.config?.session === false) return;
    const cookie = request.cookies[cookieName];
    if (cookie && cookie.length <= 64) {
      const row = await findSession(opts.db, hashToken(cookie));
      if (row && row.expiresAt.getTime() > now().getTime()) {
        request.session = new Session(row, cookie, false);
        return;
      }
      request.sessionExpired = true;
      if (row) await deleteSession(opts.db, row.id);
    }
    request.session = fresh();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.session && reply.statusCode < 500) await persist(request, reply);
    return payload;
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    replyFor(request: FastifyRequest): FastifyReply;
  }
}
