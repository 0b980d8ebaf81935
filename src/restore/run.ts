/**
 * `rowback restore run`: execute a rendered restore plan on a live SQL Server.
 *
 * - Before anything is restored, the target database name is looked up (`DB_ID`, a read through
 *   the read-only guard); an existing database is refused unless the user said to overwrite it
 *   (the plan then carries REPLACE).
 * - Each statement must pass `assertRestoreOnly`: a RESTORE of the planned database using only
 *   the words the renderer writes; anything else never reaches the server.
 * - Progress: SQL Server sends `STATS = n` progress as informational messages ("10 percent
 *   processed."), passed on with the step number.
 * - Cancellation: an AbortSignal cancels the running statement on the server (TDS attention) and
 *   no further statement is sent; the error says how far the restore got and in which state the
 *   database is left (RESTORING: drop it, or run the remaining statements).
 */
import sql from 'mssql';
import { InputError, SourceError } from '../errors.js';
import { codeWords, assertReadOnly } from '../logreader/live/read-only.js';
import { mssqlConfig } from '../logreader/live/runner.js';
import { toSourceError } from '../logreader/live/errors.js';
import type { ConnectionSettings } from '../util/connection.js';

export interface RestoreExecutor {
  /** True when a database of this name exists on the server. */
  databaseExists(name: string, signal?: AbortSignal): Promise<boolean>;
  /** Runs one statement; informational messages (STATS progress) go to `onMessage`. Rejects with SourceError SOURCE_CANCELLED when `signal` aborts. */
  execute(statement: string, o: { signal?: AbortSignal; onMessage?: (message: string) => void }): Promise<void>;
  close(): Promise<void>;
}

/** Words a rendered RESTORE may contain outside literals and bracketed names (src/restore/tsql.ts). */
const RESTORE_WORDS: ReadonlySet<string> = new Set(['RESTORE', 'DATABASE', 'LOG', 'FROM', 'DISK', 'WITH', 'FILE', 'MOVE', 'TO', 'NORECOVERY', 'RECOVERY', 'STANDBY', 'STOPAT', 'STOPBEFOREMARK', 'REPLACE', 'STATS', 'N']);

/**
 * Refuses (SourceError SOURCE_NOT_RESTORE) a statement that is not one RESTORE using only the
 * renderer's words, or that ends anything but once; names the offending word.
 */
export function assertRestoreOnly(statement: string): void {
  const words = codeWords(statement);
  if (words[0] !== 'RESTORE') throw new SourceError('SOURCE_NOT_RESTORE', `refused to send a statement that is not a RESTORE: starts with ${words[0] ?? '(nothing)'}`);
  const bad = words.find((w) => !RESTORE_WORDS.has(w));
  if (bad) throw new SourceError('SOURCE_NOT_RESTORE', `refused to send a RESTORE containing '${bad}'`);
  if (words.filter((w) => w === 'RESTORE').length !== 1) throw new SourceError('SOURCE_NOT_RESTORE', 'refused to send more than one RESTORE in one batch');
}

/**
 * Who may RESTORE (Microsoft Learn, RESTORE Statements, Permissions): a database that does not exist
 * needs CREATE DATABASE; one that exists, sysadmin, dbcreator or its owner (dbo).
 */
export const RESTORE_RIGHTS = 'RESTORE of a new database needs CREATE DATABASE permission (dbcreator or sysadmin); over an existing one, sysadmin, dbcreator or its owner';

export interface RunProgress {
  step: number;
  steps: number;
  statement: string;
  message?: string;
}

/**
 * Runs the statements `render(replaceExisting)` gives (from `renderRestore`; `replaceExisting` is true
 * only when `as` exists and `overwriteExisting` is set) restoring database `as`. Throws InputError
 * INPUT_RESTORE_TARGET_EXISTS when `as` exists and `overwriteExisting` is not set (the plan must
 * then have been rendered with `replaceExisting`), SourceError SOURCE_NOT_RESTORE (guard),
 * SOURCE_CANCELLED (naming the steps done), or the mapped driver error of a failing step (naming
 * the step).
 */
export async function runRestore(
  exec: RestoreExecutor,
  render: (replaceExisting: boolean) => string[],
  o: { as: string; overwriteExisting?: boolean; signal?: AbortSignal; onProgress?: (p: RunProgress) => void },
): Promise<{ executed: number; statements: string[] }> {
  const exists = await exec.databaseExists(o.as, o.signal);
  if (exists && !o.overwriteExisting) {
    throw new InputError('INPUT_RESTORE_TARGET_EXISTS', `database ${o.as} already exists on the server; choose another --as name, or --overwrite-existing to replace it (its current contents are lost)`);
  }
  // REPLACE only when the database exists and the user said so: REPLACE also lets a restore
  // overwrite files that belong to other databases, which a side restore must never do.
  const statements = render(exists);
  for (const s of statements) assertRestoreOnly(s);
  let done = 0;
  for (const [i, statement] of statements.entries()) {
    if (o.signal?.aborted) throw cancelled(done, statements.length, o.as);
    o.onProgress?.({ step: i + 1, steps: statements.length, statement });
    try {
      await exec.execute(statement, { signal: o.signal, onMessage: (message) => o.onProgress?.({ step: i + 1, steps: statements.length, statement, message }) });
    } catch (e) {
      if (o.signal?.aborted || (e as { code?: string }).code === 'SOURCE_CANCELLED') throw cancelled(done, statements.length, o.as);
      const err = toSourceError(e, `restore step ${i + 1} of ${statements.length}`, RESTORE_RIGHTS);
      throw new SourceError(err.code, `${err.message}; ${left(done, statements.length, o.as)}`, err.location, { cause: e });
    }
    done++;
  }
  return { executed: done, statements };
}

function left(done: number, steps: number, as: string): string {
  return done === 0 ? `nothing was restored` : `${done} of ${steps} statements ran: database ${as} is left RESTORING; drop it, or run the remaining statements`;
}

function cancelled(done: number, steps: number, as: string): SourceError {
  return new SourceError('SOURCE_CANCELLED', `restore cancelled; ${left(done, steps, as)}`);
}

/** The executor over mssql: one connection (master), `DB_ID` through the read-only guard, RESTOREs through `assertRestoreOnly`. */
export class MssqlRestoreExecutor implements RestoreExecutor {
  private pool: sql.ConnectionPool | null = null;
  constructor(private readonly settings: ConnectionSettings) {}

  private async connect(): Promise<sql.ConnectionPool> {
    if (!this.pool) {
      const cfg = mssqlConfig({ ...this.settings, database: 'master' });
      const pool = new sql.ConnectionPool({ ...cfg, pool: { max: 1, min: 0, idleTimeoutMillis: 30_000 } });
      try {
        await pool.connect();
      } catch (e) {
        throw toSourceError(e, 'connect for restore');
      }
      this.pool = pool;
    }
    return this.pool;
  }

  async databaseExists(name: string): Promise<boolean> {
    const text = 'SELECT CASE WHEN DB_ID(@name) IS NULL THEN 0 ELSE 1 END AS [exists];';
    assertReadOnly(text);
    const req = (await this.connect()).request();
    req.input('name', sql.NVarChar(128), name);
    try {
      const r = await req.query<{ exists: number }>(text);
      return r.recordset[0]?.exists === 1;
    } catch (e) {
      throw toSourceError(e, 'look up the target database');
    }
  }

  async execute(statement: string, o: { signal?: AbortSignal; onMessage?: (message: string) => void }): Promise<void> {
    assertRestoreOnly(statement);
    const req = (await this.connect()).request();
    req.on('info', (m: { message: string }) => o.onMessage?.(m.message));
    const onAbort = () => req.cancel();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await req.batch(statement);
    } catch (e) {
      if (o.signal?.aborted) throw new SourceError('SOURCE_CANCELLED', 'restore statement cancelled', {}, { cause: e });
      throw e;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.close();
  }
}
