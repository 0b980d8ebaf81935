import sql from 'mssql';
import PQueue from 'p-queue';
import { SourceError } from '../../errors.js';
import { describeConnection, type ConnectionSettings } from '../../util/connection.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { isTransient, toSourceError } from './errors.js';
import { assertReadOnly } from './read-only.js';
import type { SqlParam, SqlStatement } from './sql.js';
import { streamRows, type Row, type StreamingRequest } from './stream.js';

/**
 * The live worker's connection to one SQL Server: a small mssql pool, every statement
 * checked by the read-only guard, results streamed with backpressure, transient failures
 * retried, and a per-server queue so that several scans never run more than a few log
 * reads against one instance at a time.
 */

export interface RunOptions {
  signal?: AbortSignal;
  /** Whole-query limit; default DEFAULT_QUERY_TIMEOUT_MS. 0 = none. */
  timeoutMs?: number;
  /** The user asked for the inactive log: the DBCC TRACEON(2537) prefix is allowed. */
  allowInactiveLogTraceFlag?: boolean;
  /** The statement is sql.ts headerOnlySql (RESTORE HEADERONLY of one file, alone): allowed by the read-only guard. */
  allowHeaderOnly?: boolean;
  /** For messages and logs. */
  label?: string;
}

export interface SqlRunner {
  readonly description: string;
  stream(stmt: SqlStatement, options?: RunOptions): AsyncIterable<Row>;
  query(stmt: SqlStatement, options?: RunOptions): Promise<Row[]>;
  close(): Promise<void>;
}

/** A log scan on a busy server may take long; it is cancelled on the server after this. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30 * 60_000;
/** Log reads that may run at once against one server, across every scan in this process. */
export const DEFAULT_SERVER_CONCURRENCY = 1;
export const MAX_ATTEMPTS = 4;
export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 8_000;
/** Connections per scan: one streaming read plus one for small look-ups. */
export const POOL_MAX = 2;

const serverQueues = new Map<string, PQueue>();

/** One queue per server (host + port/instance), shared by every runner in the process. */
export function queueFor(serverKey: string, concurrency = DEFAULT_SERVER_CONCURRENCY): PQueue {
  let q = serverQueues.get(serverKey);
  if (!q) {
    q = new PQueue({ concurrency });
    serverQueues.set(serverKey, q);
  }
  return q;
}

export function serverKey(c: ConnectionSettings): string {
  return `${c.server.toLowerCase()}${c.instanceName ? `\\${c.instanceName.toLowerCase()}` : `:${c.port ?? 1433}`}`;
}

/** Exponential backoff with full jitter, capped. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Runs `once` again on a transient failure, but only while no row has been handed on:
 * a restarted stream would repeat rows the caller already has.
 */
export async function* withRetries<T>(
  once: () => AsyncIterable<T>,
  o: { what: string; signal?: AbortSignal; logger?: Logger; maxAttempts?: number; sleep?: (ms: number) => Promise<void> },
): AsyncGenerator<T> {
  const max = o.maxAttempts ?? MAX_ATTEMPTS;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    let handedOn = 0;
    try {
      for await (const item of once()) {
        handedOn++;
        yield item;
      }
      return;
    } catch (e) {
      if (handedOn > 0 || !isTransient(e) || attempt >= max || o.signal?.aborted) {
        const err = toSourceError(e, o.what);
        if (handedOn > 0 && isTransient(e)) {
          throw new SourceError(err.code, `${err.message} after ${handedOn} row(s); not retried, as a restart would repeat them — run the scan again`, err.location, { cause: e });
        }
        throw err;
      }
      const delay = retryDelayMs(attempt);
      (o.logger ?? silentLogger).warn({ attempt, delayMs: delay, err: (e as Error).message }, `${o.what}: transient error, retrying`);
      await sleep(delay);
    }
  }
}

export interface MssqlRunnerOptions {
  logger?: Logger;
  /** Log reads at once against this server (default ROWBACK_SERVER_CONCURRENCY or 1); the first runner for a server sets it. */
  serverConcurrency?: number;
  defaultTimeoutMs?: number;
  /** Attempts for transient failures (default MAX_ATTEMPTS). */
  maxAttempts?: number;
}

function envConcurrency(): number | undefined {
  const n = Number(process.env.ROWBACK_SERVER_CONCURRENCY);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function mssqlConfig(c: ConnectionSettings): sql.config {
  return {
    server: c.server,
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(c.database ? { database: c.database } : {}),
    ...(c.user ? { user: c.user } : {}),
    ...(c.password !== undefined ? { password: c.password } : {}),
    // With a domain, mssql's tedious driver authenticates with NTLM.
    ...(c.domain ? { domain: c.domain } : {}),
    connectionTimeout: c.connectTimeoutMs,
    // rowback times queries itself (and cancels them on the server); tedious' timer would
    // also fire while a stream is paused for backpressure.
    requestTimeout: 0,
    options: {
      encrypt: c.encrypt,
      trustServerCertificate: c.trustServerCertificate,
      appName: c.appName,
      readOnlyIntent: c.readOnlyIntent,
      ...(c.instanceName ? { instanceName: c.instanceName } : {}),
    },
    pool: { max: POOL_MAX, min: 0, idleTimeoutMillis: 30_000 },
  };
}

function bind(req: sql.Request, p: SqlParam): void {
  switch (p.type) {
    case 'nvarchar':
      req.input(p.name, sql.NVarChar(p.length ?? 4000), p.value);
      break;
    case 'int':
      req.input(p.name, sql.Int, p.value);
      break;
    case 'bigint':
      req.input(p.name, sql.BigInt, p.value);
      break;
  }
}

export class MssqlRunner implements SqlRunner {
  readonly description: string;
  private pool: sql.ConnectionPool | null = null;
  private connecting: Promise<sql.ConnectionPool> | null = null;
  private readonly queue: PQueue;
  private readonly log: Logger;
  private readonly defaultTimeoutMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly settings: ConnectionSettings, o: MssqlRunnerOptions = {}) {
    this.description = describeConnection(settings);
    this.log = (o.logger ?? silentLogger).child({ server: this.description });
    this.queue = queueFor(serverKey(settings), o.serverConcurrency ?? envConcurrency());
    this.defaultTimeoutMs = o.defaultTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.maxAttempts = o.maxAttempts ?? MAX_ATTEMPTS;
  }

  private async connect(): Promise<sql.ConnectionPool> {
    if (this.pool) return this.pool;
    this.connecting ??= (async () => {
      const pool = new sql.ConnectionPool(mssqlConfig(this.settings));
      pool.on('error', (e: Error) => this.log.warn({ err: e.message }, 'connection pool error'));
      try {
        await pool.connect();
      } catch (e) {
        this.connecting = null;
        throw e;
      }
      this.pool = pool;
      this.log.info('connected');
      return pool;
    })();
    return this.connecting;
  }

  stream(stmt: SqlStatement, o: RunOptions = {}): AsyncIterable<Row> {
    // Refuse before anything reaches the server.
    assertReadOnly(stmt.text, { allowInactiveLogTraceFlag: o.allowInactiveLogTraceFlag, allowHeaderOnly: o.allowHeaderOnly });
    const what = o.label ?? 'query';
    const self = this;
    return (async function* () {
      // Wait for a slot in this server's queue; hold it until the stream ends.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let admitted!: () => void;
      const admittedP = new Promise<void>((r) => (admitted = r));
      const slot = self.queue.add(async () => {
        admitted();
        await held;
      });
      slot.catch(() => undefined);
      try {
        await waitOrAbort(admittedP, o.signal, what);
        try {
          yield* withRetries(() => self.once(stmt, o, what), { what, signal: o.signal, logger: self.log, maxAttempts: self.maxAttempts });
        } catch (e) {
          // which server: 'cannot connect: Login failed for user …' alone does not say (no secret in the description)
          if (e instanceof SourceError && e.code === 'SOURCE_CONNECT') throw new SourceError('SOURCE_CONNECT', `${self.description}: ${e.message}`, e.location, { cause: e });
          throw e;
        }
      } finally {
        release();
      }
    })();
  }

  private async *once(stmt: SqlStatement, o: RunOptions, what: string): AsyncGenerator<Row> {
    const pool = await this.connect();
    const req = pool.request();
    req.stream = true;
    for (const p of stmt.params) bind(req, p);
    const started = Date.now();
    this.log.debug({ what }, 'query started');
    let rows = 0;
    for await (const row of streamRows(req as unknown as StreamingRequest, () => void req.query(stmt.text), {
      signal: o.signal,
      timeoutMs: o.timeoutMs ?? this.defaultTimeoutMs,
      label: what,
      onBatch: (n) => this.log.debug({ what, rows: n }, 'rows streamed'),
    })) {
      rows++;
      yield row;
    }
    this.log.info({ what, rows, ms: Date.now() - started }, 'query finished');
  }

  async query(stmt: SqlStatement, o: RunOptions = {}): Promise<Row[]> {
    const out: Row[] = [];
    for await (const r of this.stream(stmt, o)) out.push(r);
    return out;
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    this.connecting = null;
    if (p) await p.close();
  }
}

function waitOrAbort(p: Promise<void>, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new SourceError('SOURCE_CANCELLED', `${what} was cancelled while waiting for the server queue`));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new SourceError('SOURCE_CANCELLED', `${what} was cancelled while waiting for the server queue`));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}
