import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sealerFor } from '../crypto/sealer.ts';
import {
  parseSessionData,
  type SessionData,
  type SessionKey,
  type SessionState,
} from '../flows/session-data.ts';
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
 * A browser session. Two kinds, one interface:
 * - **anonymous** (nobody signed in: the registration flow, the card step, recovery): the whole
 *   session travels in the cookie, encrypted and authenticated (AES-256-GCM, SESSION_SECRET),
 *   so reading and updating it costs no database round trip;
 * - **signed in**: a row in the database keyed by the SHA-256 of a random cookie value, so
 *   sign-out, password changes and idle expiry end it on every instance at once.
 * A new anonymous session is only sent once something needs it (a form's CSRF token, data).
 * See docs/decisions/0004-anonymous-sessions-in-the-cookie.md.
 */
export class Session implements SessionState {
  #dirty = false;
  #needsPersist = false;
  /** row.data, read through its schema (flows/session-data.ts): what fails its check is gone. */
  #data: SessionData;
  constructor(
    public row: SessionRow,
    public cookieValue: string,
    public isNew: boolean,
    public readonly kind: 'cookie' | 'db' = 'cookie',
  ) {
    this.#data = parseSessionData(row.data);
    // The same object is stored: a JSON object of known keys only.
    row.data = this.#data as Record<string, unknown>;
  }

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
  get<K extends SessionKey>(key: K): SessionData[K] {
    return this.#data[key];
  }
  set<K extends SessionKey>(key: K, value: SessionData[K] | undefined): void {
    if (value === undefined) delete this.#data[key];
    else this.#data[key] = value;
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
    /** ...because the session reached its absolute lifetime (however active it was). */
    sessionLifetimeEnded: boolean;
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
  /** A session ends this long after it began (sign-in), however active: SESSION_ABSOLUTE_HOURS. */
  absoluteHours: number;
  secureCookie: boolean;
  /** Keys for anonymous sessions' cookies (SESSION_SECRET): the current one first, then older ones. */
  secrets: readonly string[];
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
  const absoluteMs = opts.absoluteHours * 3600_000;
  const box = cookieBox(opts.secrets);
  /** Sliding idle expiry, never past the absolute end (so the sweeper removes such rows too). */
  const expiry = (row: SessionRow, t: Date) =>
    new Date(Math.min(t.getTime() + idleMs, row.createdAt.getTime() + absoluteMs));

  function anonymous(data: Record<string, unknown> = {}): Session {
    const t = now();
    return new Session(
      {
        id: randomBytes(16).toString('hex'),
        csrfToken: randomBytes(32).toString('base64url'),
        userId: null,
        data,
        createdAt: t,
        lastSeenAt: t,
        expiresAt: new Date(t.getTime() + idleMs),
      },
      '',
      true,
      'cookie',
    );
  }

  function signedIn(userId: string, data: Record<string, unknown>): Session {
    const cookieValue = `s.${randomBytes(32).toString('base64url')}`;
    const t = now();
    return new Session(
      {
        id: hashToken(cookieValue),
        csrfToken: randomBytes(32).toString('base64url'),
        userId,
        data,
        createdAt: t,
        lastSeenAt: t,
        expiresAt: new Date(t.getTime() + idleMs),
      },
      cookieValue,
      true,
      'db',
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
    const touchDue = t.getTime() - s.row.lastSeenAt.getTime() > TOUCH_AFTER_MS;
    if (s.isNew && !s.needsPersist) return;
    if (!s.isNew && !s.dirty && !touchDue) return;
    // Sliding expiry, refreshed on change or at most once a minute.
    s.row.lastSeenAt = t;
    s.row.expiresAt = expiry(s.row, t);
    if (s.kind === 'cookie') {
      s.cookieValue = box.seal(s.row);
      setCookie(reply, s);
    } else if (s.isNew) {
      await insertSession(opts.db, s.row);
      setCookie(reply, s);
    } else if (s.dirty) {
      await updateSession(opts.db, s.row);
    } else {
      await touchSession(opts.db, s.id, s.row.lastSeenAt, s.row.expiresAt);
    }
    s.markSaved();
  }

  app.decorateRequest('session', null as unknown as Session);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('sessionLifetimeEnded', false);
  app.decorateRequest('saveSession', async function (this: FastifyRequest) {
    await persist(this, this.server.replyFor(this));
  });
  app.decorateRequest('rotateSession', async function (this: FastifyRequest, userId: string | null) {
    const old = this.session;
    const data = { ...old.row.data, rotatedAt: now().toISOString() };
    if (old.kind === 'db' && !old.isNew) await deleteSession(opts.db, old.id);
    const next = userId ? signedIn(userId, data) : anonymous(data);
    next.set('rotatedAt', data.rotatedAt);
    this.session = next;
    await persist(this, this.server.replyFor(this));
  });
  app.decorateRequest('destroySession', async function (this: FastifyRequest) {
    if (this.session.kind === 'db' && !this.session.isNew) await deleteSession(opts.db, this.session.id);
    this.session = anonymous();
    this.server.replyFor(this).clearCookie(cookieName, { path: '/' });
  });

  // Fastify has no request→reply link; keep one so request methods can set cookies.
  const replies = new WeakMap<FastifyRequest, FastifyReply>();
  app.decorate('replyFor', (request: FastifyRequest) => replies.get(request) as FastifyReply);

  app.addHook('onRequest', async (request, reply) => {
    replies.set(request, reply);
    if (request.routeOptions.config?.session === false) return;
    const cookie = request.cookies[cookieName];
    const t = now().getTime();
    /** Alive, or else why not: idle too long, or past the absolute lifetime however active. */
    const alive = (row: SessionRow): boolean => {
      if (row.createdAt.getTime() + absoluteMs <= t) request.sessionLifetimeEnded = true;
      else if (row.expiresAt.getTime() > t) return true;
      return false;
    };
    if (cookie?.startsWith('s.') && cookie.length <= 64) {
      const row = await findSession(opts.db, hashToken(cookie));
      if (row && alive(row)) {
        request.session = new Session(row, cookie, false, 'db');
        return;
      }
      request.sessionExpired = true;
      if (row) await deleteSession(opts.db, row.id);
    } else if (cookie?.startsWith('a.') && cookie.length <= 4096) {
      const row = box.open(cookie);
      if (row && alive(row)) {
        request.session = new Session(row, cookie, false, 'cookie');
        return;
      }
      request.sessionExpired = true;
    } else if (cookie) {
      request.sessionExpired = true;
    }
    request.session = anonymous();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.session && reply.statusCode < 500) await persist(request, reply);
    return payload;
  });
});

/**
 * Seals an anonymous session into a cookie value (`a.<key id>.<sealed>`, the portal's one
 * sealer) and opens it again; tampering, or a key no longer listed in SESSION_SECRET, fails to
 * open (the browser then gets a fresh session). Cookies sealed before key ids (`a.<sealed>`)
 * still open under any listed key.
 */
export function cookieBox(secrets: string | readonly string[]) {
  const sealer = sealerFor('session', typeof secrets === 'string' ? [secrets] : secrets);
  return {
    seal(row: SessionRow): string {
      const body = JSON.stringify({
        i: row.id,
        c: row.csrfToken,
        d: row.data,
        b: row.createdAt.getTime(),
        s: row.lastSeenAt.getTime(),
        e: row.expiresAt.getTime(),
      });
      return `a.${sealer.seal(body)}`;
    },
    open(value: string): SessionRow | undefined {
      if (!value.startsWith('a.')) return undefined;
      const opened = sealer.open(value.slice(2));
      if (!opened.ok) return undefined;
      try {
        const p = JSON.parse(opened.plain) as {
          i: string;
          c: string;
          d: Record<string, unknown>;
          b?: number;
          s: number;
          e: number;
        };
        return {
          id: p.i,
          csrfToken: p.c,
          userId: null,
          data: p.d,
          // Sealed before sessions had an absolute lifetime: it counts from the last activity.
          createdAt: new Date(p.b ?? p.s),
          lastSeenAt: new Date(p.s),
          expiresAt: new Date(p.e),
        };
      } catch {
        return undefined;
      }
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    replyFor(request: FastifyRequest): FastifyReply;
  }
}
