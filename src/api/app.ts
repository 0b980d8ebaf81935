import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { createSerializerCompiler, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { finishNegativeZero, hasNegativeZero, negativeZeroReplacer, stringifyKeepingNegativeZero } from '../util/negative-zero.js';
import { createLogger, type Logger } from '../util/logger.js';
import auth, { type AuthOptions } from './plugins/auth.js';
import docs from './plugins/docs.js';
import errors, { frameworkErrorAnswer } from './plugins/errors.js';
import securityHeaders, { setSecurityHeaders } from './plugins/security-headers.js';
import { reinsert, staging, worker, type ServicesOptions } from './plugins/services.js';
import jobRoutes from './routes/jobs.js';
import reinsertRoutes from './routes/reinsert.js';
import rowRoutes from './routes/rows.js';
import webRoutes from './routes/web.js';
import './types.js';
import type { JobSpec } from '../worker/job-spec.js';
import type { ConfiguredTargetSpec } from './targets.js';
import infoRoutes from './routes/info.js';
import { validateJobSpec, type JobAccess } from '../worker/job-validate.js';

export interface AppOptions extends ServicesOptions, AuthOptions {
  /** pino logger (secrets redacted); default: createLogger(). */
  logger?: Logger;
  webDir?: string;
  /** Trust X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Folders job files must lie in (links resolved); undefined = any file the process can read. */
  fileRoots?: string[];
  /** Servers live jobs may connect to; undefined = any. */
  allowedServers?: string[];
  /** Named re-insert targets (serve's config `targets`): the page names one, never sees its secret. */
  targets?: Record<string, ConfiguredTargetSpec>;
  /** IANA zone the page shows times in (default: this process's zone). */
  timeZone?: string;
  /** Checks a job spec before it is queued (default validateJobSpec; tests with fake sources replace it). */
  validateJob?: (spec: JobSpec, access: JobAccess) => Promise<void>;
}

/**
 * The service as a fastify app: every part is a plugin (errors, services, rate limit, auth,
 * docs, routes) and plugins declare what they depend on. `server.ts` only listens; tests call
 * `buildApp` and `app.inject()`.
 */
export async function buildApp(o: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger ?? createLogger(),
    trustProxy: o.trustProxy ?? false,
    bodyLimit: 32 * 1024 * 1024,
    // a path fastify refuses before routing: answered in the API's form, with its headers (errors.ts)
    // (no onSend hook runs for these: the security headers are set here)
    frameworkErrors: (err, req, reply) => {
      const url = req.raw.url ?? '';
      const a = frameworkErrorAnswer(err as { code?: string }, url);
      const r = reply as unknown as FastifyReply;
      setSecurityHeaders(r, url);
      void r.code(a.status).type('application/json; charset=utf-8').send(a.body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  // JSON.stringify writes a float's -0 as 0; a response holding one (a staged row's value) goes
  // through the replacer that keeps it (util/negative-zero.ts), others as before
  const keepNegativeZero = createSerializerCompiler({ replacer: negativeZeroReplacer });
  app.setSerializerCompiler((route: Parameters<typeof serializerCompiler>[0]) => {
    const plain = serializerCompiler(route);
    const keeping = keepNegativeZero(route);
    return (data) => (hasNegativeZero(data) ? finishNegativeZero(keeping(data)) : plain(data));
  });
  // routes with no response schema (rows, a row) are written with JSON.stringify: a payload holding
  // -0 gets the serializer that keeps it
  app.addHook('preSerialization', async (_req, reply, payload) => {
    if (!reply.routeOptions.schema?.response && hasNegativeZero(payload)) reply.serializer(stringifyKeepingNegativeZero);
    return payload;
  });
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(staging, o);
  await app.register(worker, o);
  await app.register(reinsert, o);
  await app.register(rateLimit, { global: false });
  await app.register(auth, o);
  await app.register(docs);
  await app.register(jobRoutes, { access: { fileRoots: o.fileRoots, allowedServers: o.allowedServers }, validate: o.validateJob ?? validateJobSpec });
  await app.register(rowRoutes);
  await app.register(reinsertRoutes, { targets: o.targets, allowedServers: o.allowedServers });
  await app.register(infoRoutes, { targets: o.targets, timeZone: o.timeZone, fileRoots: o.fileRoots, allowedServers: o.allowedServers });
  await app.register(webRoutes, { webDir: o.webDir });
  await app.ready();
  return app as unknown as FastifyInstance;
}
