import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createLogger, type Logger } from '../util/logger.js';
import auth, { type AuthOptions } from './plugins/auth.js';
import docs from './plugins/docs.js';
import errors from './plugins/errors.js';
import { reinsert, staging, worker, type ServicesOptions } from './plugins/services.js';
import jobRoutes from './routes/jobs.js';
import reinsertRoutes from './routes/reinsert.js';
import rowRoutes from './routes/rows.js';
import webRoutes from './routes/web.js';
import './types.js';

export interface AppOptions extends ServicesOptions, AuthOptions {
  /** pino logger (secrets redacted); default: createLogger(). */
  logger?: Logger;
  webDir?: string;
  /** Trust X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
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
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errors);
  await app.register(staging, o);
  await app.register(worker, o);
  await app.register(reinsert, o);
  await app.register(rateLimit, { global: false });
  await app.register(auth, o);
  await app.register(docs);
  await app.register(jobRoutes);
  await app.register(rowRoutes);
  await app.register(reinsertRoutes);
  await app.register(webRoutes, { webDir: o.webDir });
  await app.ready();
  return app as unknown as FastifyInstance;
}
