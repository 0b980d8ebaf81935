import { existsSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../errors.js';
import { buildApp, type AppOptions } from './app.js';

export interface ServerOptions extends AppOptions {
  /** Default 127.0.0.1: the service is local unless configured otherwise. */
  host?: string;
  port?: number;
}

/**
 * Builds the app and listens. Nothing else lives here. When listening fails (INPUT_PORT_IN_USE,
 * INPUT_PORT_DENIED, INPUT_BAD_HOST), a staging file this call created is removed with its WAL
 * files: a refused start leaves nothing behind (a typo in --db made an empty file before).
 */
export async function startServer(o: ServerOptions = {}): Promise<{ app: FastifyInstance; address: string }> {
  const dbPath = o.store ? undefined : (o.dbPath ?? 'rowback-staging.db');
  const fresh = dbPath !== undefined && !existsSync(dbPath);
  const app = await buildApp(o);
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 8080;
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    // Close first: the staging lock and the store are released, so a retry on another port works.
    await app.close().catch(() => undefined);
    if (fresh) for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`]) rmSync(f, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new InputError('INPUT_PORT_IN_USE', `port ${port} on ${host} is already in use: stop what listens there or give --port`);
    if (code === 'EACCES') throw new InputError('INPUT_PORT_DENIED', `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): give --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError('INPUT_BAD_HOST', `cannot listen on ${host}: no such local address; give --host`);
    throw e;
  }
  const close = (): void => { void app.close().then(() => process.exit(0)); };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  return { app, address };
}
