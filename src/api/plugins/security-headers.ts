import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Headers on every answer: `X-Content-Type-Options: nosniff` (a browser never guesses a type, so
 * an export or a value can't be run as HTML or script); `Cache-Control: no-store` on every API
 * answer (recovered customer data stays out of browser and proxy caches); `Referrer-Policy:
 * no-referrer`; and a Content-Security-Policy on anything that is not a page of its own (JSON,
 * exports, errors): nothing may load, run or frame it. The review page and /docs set their own,
 * looser CSP (web.ts; @fastify/swagger-ui staticCSP).
 */
export default fp(async function securityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (req, reply, payload) => {
    setSecurityHeaders(reply, req.routeOptions.url ?? req.url);
    return payload;
  });
}, { name: 'rowback-security-headers' });

/**
 * The headers above on one answer (`url`: its route, else the path asked for). Also called where no
 * onSend hook runs: fastify's answers to a path it refuses before routing (app.ts frameworkErrors).
 */
export function setSecurityHeaders(reply: Pick<FastifyReply, 'header' | 'hasHeader'>, url: string): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  if (url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
}
