import { readFileSync } from 'node:fs';
import sql from 'mssql';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { ConnectionSettings } from '../../../src/util/connection.js';

export const MSSQL_IMAGE = 'mcr.microsoft.com/mssql/server:2022-latest';
export const SA_PASSWORD = 'Rowback-Test-2024!';
export const BATCH_PASSWORD = 'Batch-Job-2024!';
/** The line SQL Server 2022 logs once it accepts connections. */
const READY = /SQL Server is now ready for client connections/;
const STARTUP_TIMEOUT_MS = 5 * 60_000;

export async function startSqlServer(): Promise<StartedTestContainer> {
  return new GenericContainer(MSSQL_IMAGE)
    .withEnvironment({ ACCEPT_EULA: 'Y', MSSQL_PID: 'Developer', MSSQL_SA_PASSWORD: SA_PASSWORD })
    .withExposedPorts(1433)
    .withWaitStrategy(Wait.forLogMessage(READY))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
}

export function settingsFor(c: StartedTestContainer, user = 'sa', password = SA_PASSWORD, database?: string): ConnectionSettings {
  return {
    server: c.getHost(),
    port: c.getMappedPort(1433),
    user,
    password,
    ...(database ? { database } : {}),
    encrypt: true,
    trustServerCertificate: true,
    appName: 'rowback-integration',
    readOnlyIntent: false,
    connectTimeoutMs: 30_000,
  };
}

/** A plain mssql pool for setting up scenarios (writes allowed: this is the test, not rowback). */
export async function adminPool(s: ConnectionSettings): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool({
    server: s.server, port: s.port, user: s.user, password: s.password, database: s.database,
    options: { encrypt: true, trustServerCertificate: true }, requestTimeout: 300_000,
  });
  await pool.connect();
  return pool;
}

/** Runs a sqlcmd-style script: batches separated by GO lines, $(Var) substituted. */
export async function runScript(pool: sql.ConnectionPool, file: string, vars: Record<string, string> = {}): Promise<void> {
  let text = readFileSync(file, 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.split(`$(${k})`).join(v);
  for (const batch of text.split(/^\s*GO\s*$/im)) {
    if (batch.trim()) await pool.request().batch(batch);
  }
}

export async function serverNow(pool: sql.ConnectionPool): Promise<string> {
  // SYSDATETIME() is datetime2(7): style 126 always prints the fraction; 23 characters keep milliseconds.
  const r = await pool.request().query<{ t: string }>('SELECT CONVERT(varchar(23), SYSDATETIME(), 126) AS t');
  return r.recordset[0].t;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
