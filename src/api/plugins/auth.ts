import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowed, GRANTS } from '../types.js';

export interface AuthOptions {
  /** Failed authentications allowed per client IP per window before 429. */
  maxAuthFailures?: number;
  failureWindowMs?: number;
  /** Authenticated requests allowed per token per minute before 429 (default 600). */
  maxRequestsPerToken?: number;
}

/**
 * Bearer tokens (`Authorization: Bearer rbk_…`), looked up by sha256. Every /api route
 * authenticates (401) and authorises by its `access` class (403). Failed attempts are counted
 * per client (IP; X-Forwarded-For only with trustProxy) by @fastify/rate-limit; past the limit
 * that client gets 429 for every further *unknown* token for the rest of the window, so guessing
 * is slow, while a valid token is never locked out by someone else's failures. Authenticated
 * requests are limited per token (maxRequestsPerToken a minute).
 */
export default fp(async function auth(app: FastifyInstance, o: AuthOptions) {
  const windowMs = o.failureWindowMs ?? 60_000;
  const failLimiter = app.rateLimit({ max: o.maxAuthFailures ?? 10, timeWindow: windowMs, keyGenerator: (req) => req.ip });
  const blocked = new Map<string, number>();
  const perToken = app.rateLimit({ max: o.maxRequestsPerToken ?? 600, timeWindow: 60_000, keyGenerator: (req) => `token:${req.principal?.name ?? ''}` });

  const fail = async (req: FastifyRequest, reply: FastifyReply, status: 401, code: string, message: string): Promise<void> => {
    try {
      await failLimiter.call(app, req, reply);
    } catch {
      // the limiter throws its 429 once the failures of this window are used up
      pruneBlocked(blocked, Date.now());
      blocked.set(req.ip, Date.now() + windowMs);
      req.log.warn({ ip: req.ip }, 'too many failed authentications: client blocked for the window');
      await reply.code(429).send({ code: 'AUTH_RATE_LIMITED', message: 'too many failed authentications; try again later' });
      return;
    }
    req.log.warn({ ip: req.ip, code }, 'authentication failed');
    await reply.code(status).header('www-authenticate', 'Bearer realm="rowback"').send({ code, message });
  };

  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config ?? {};
    // decided by the matched route, not the raw URL: every route registered under /api is guarded
    if (cfg.public || !(req.routeOptions.url ?? '').startsWith('/api/')) return;
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
    const principal = m ? app.staging.verifyToken(m[1]) : undefined;
    const until = blocked.get(req.ip);
    if (until !== undefined && until <= Date.now()) blocked.delete(req.ip);
    if (!principal && until && until > Date.now()) {
      return reply.code(429).send({ code: 'AUTH_RATE_LIMITED', message: 'too many failed authentications; try again later' });
    }
    if (!m) return fail(req, reply, 401, 'AUTH_REQUIRED', 'send an API token: Authorization: Bearer <token>');
    if (!principal) return fail(req, reply, 401, 'AUTH_INVALID', "the API token is unknown or revoked: this server knows only the tokens of the staging file it was started with (rowback serve --db FILE; stderr names it at start); a token made by rowback token create with another --db, or none (then rowback-staging.db in the folder it ran in), is not in it: create the token with the server's --db");
    req.principal = principal;
    try {
      await perToken.call(app, req, reply);
    } catch {
      return reply.code(429).send({ code: 'AUTH_RATE_LIMITED', message: `too many requests for token ${principal.name}; try again in a minute` });
    }
    if (reply.sent) return;
    req.log = req.log.child({ user: principal.name });
    if (!cfg.access || !allowed(principal.role, cfg.access)) {
      // which role may, and how to get its token: "role operator may not decide" named neither
      const roles = cfg.access ? [...GRANTS[cfg.access]] : [];
      const who = roles.length ? `; it takes a token of role ${roles.join(' or ')} (rowback token create NAME --role ${roles[0]} --db <the server's staging file>)${cfg.access === 'decide' || cfg.access === 'operate' ? ': reviewers decide and operators run jobs and re-inserts, two people for every re-insert' : ''}` : '';
      return reply.code(403).send({ code: 'AUTH_FORBIDDEN', message: `role ${principal.role} may not ${cfg.access ?? 'call this route'}${who}` });
    }
  });
}, { name: 'rowback-auth', dependencies: ['rowback-staging', '@fastify/rate-limit'] });

/**
 * Drops the clients whose block ended (`until` in ms since the epoch, at or before `now`) from the
 * map of blocked clients, so it holds only clients blocked now: an entry was kept for every client
 * ever blocked (each new IP's ten failed authentications grew it for good; security breaker).
 */
export function pruneBlocked(blocked: Map<string, number>, now: number): void {
  for (const [ip, until] of blocked) if (until <= now) blocked.delete(ip);
}
