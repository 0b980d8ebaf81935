import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';

export interface ServerOptions extends AppOptions {
  /** Default 127.0.0.1: the service is local unless configured otherwise. */
  host?: string;
  port?: number;
}

/** Builds the app and listens. Nothing else lives here. */
export async function startServer(o: ServerOptions = {}): Promise<{ app: FastifyInstance; address: string }> {
  const app = await buildApp(o);
  const address = await app.listen({ host: o.host ?? '127.0.0.1', port: o.port ?? 8080 });
  const close = (): void => { void app.close().then(() => process.exit(0)); };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  return { app, address };
}
