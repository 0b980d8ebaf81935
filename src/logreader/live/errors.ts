import { SourceError, isRowbackError } from '../../errors.js';

/**
 * Mapping driver errors (mssql / tedious) to rowback's SOURCE_* codes, and deciding which are
 * worth a retry. Numbers are SQL Server error numbers (sys.messages); codes are mssql's.
 */

/** Errors that go away by themselves: retry (before any row was handed on) with backoff. */
export const TRANSIENT_SQL_ERRORS: ReadonlySet<number> = new Set([
  1205, // chosen as deadlock victim
  4221, // login to a readable secondary timed out waiting for HADR redo
  10928, 10929, // Azure SQL resource limits reached
  40143, 40197, 40501, 40540, 40613, // Azure SQL: service busy / error processing / database unavailable
  49918, 49919, 49920, // Azure SQL: cannot process request, too many operations
  233, 64, 10053, 10054, 10060, // transport-level errors reported by the server side
]);

/** mssql error codes of a broken or slow connection. */
export const TRANSIENT_DRIVER_CODES: ReadonlySet<string> = new Set(['ETIMEOUT', 'ESOCKET', 'ECONNRESET', 'ECONNCLOSED']);

/** Missing rights: fn_dblog needs sysadmin (or db_owner on recent versions), DBCC TRACEON sysadmin. */
export const PERMISSION_SQL_ERRORS: ReadonlySet<number> = new Set([229, 230, 262, 297, 300, 916, 2571, 15247]);

/** Login and database-open failures. */
export const CONNECT_SQL_ERRORS: ReadonlySet<number> = new Set([18456, 18452, 4060, 4064]);

interface DriverError {
  code?: string;
  number?: number;
  message?: string;
  originalError?: DriverError;
  cause?: unknown;
  /** mssql (not streaming): the errors the server sent before the last one, which is the error thrown. */
  precedingErrors?: DriverError[];
}

/**
 * What the server said, and the number to classify it by. SQL Server may send several errors for one
 * statement; mssql (lib/tedious/request.js, a request that does not stream) throws the LAST and keeps
 * the others, in order, as `precedingErrors`. A failed RESTORE always ends with Msg 3013 "RESTORE
 * DATABASE/LOG is terminating abnormally.", a wrapper: the cause (3201 cannot open backup device,
 * 4305 the log begins too late, 3154 another database, 262/3110 permission) is the error before it.
 * So every error is said, the first's number leads, and the class (permission, connect, transient)
 * is taken from the first number that has one.
 */
function facts(e: unknown): { code?: string; number?: number; numbers: number[]; message: string } {
  const d = (e ?? {}) as DriverError;
  const inner = d.originalError ?? {};
  const number = d.number ?? inner.number;
  const code = d.code ?? inner.code;
  const last = plainConnectMessage(d.message ?? String(e), inner.cause);
  const before = Array.isArray(d.precedingErrors) ? d.precedingErrors.filter((p): p is DriverError => typeof p === 'object' && p !== null) : [];
  if (before.length === 0) return { code, number, numbers: number === undefined ? [] : [number], message: last };
  const all = [...before.map((p) => ({ n: p.number ?? p.originalError?.number, m: p.message ?? String(p) })), { n: number, m: last }];
  const numbers = all.map((x) => x.n).filter((n): n is number => typeof n === 'number');
  // the first's number is said before the message (toSourceError); each later one after its own
  const message = all.map((x, i) => (i > 0 && x.n !== undefined ? `${x.m} (SQL error ${x.n})` : x.m)).join('; then ');
  return { code, number: all[0]!.n ?? numbers[0], numbers, message };
}

/**
 * tedious says "Failed to connect to host:1433 - Could not connect (sequence)" when every address
 * of the host refused or failed; the reasons are in the AggregateError it keeps as the cause (seen
 * with tedious 19: `originalError.cause.errors`, e.g. "connect ECONNREFUSED 127.0.0.1:1433").
 * Those are put in place of "(sequence)", which is the driver's own jargon.
 */
function plainConnectMessage(message: string, cause: unknown): string {
  if (!message.includes('Could not connect (sequence)')) return message;
  const errors = (cause as { errors?: unknown } | undefined)?.errors;
  const reasons = Array.isArray(errors) ? [...new Set(errors.map((x) => (x as Error)?.message).filter((m): m is string => typeof m === 'string' && m.length > 0))] : [];
  return message.replace('Could not connect (sequence)', reasons.length ? `no address answered (${reasons.join('; ')})` : 'no address of the host answered');
}

export function isTransient(e: unknown): boolean {
  if (isRowbackError(e)) return false;
  const f = facts(e);
  return f.numbers.some((n) => TRANSIENT_SQL_ERRORS.has(n)) || (f.code !== undefined && TRANSIENT_DRIVER_CODES.has(f.code));
}

/** What went wrong, as a SourceError with a code a user can act on. */
/** What a permission error is told by default: the log reads' rights. */
export const LOG_READ_RIGHTS = 'Reading the log needs sysadmin (or db_owner on the database); see docs/live.md';

/**
 * `rights`: the sentence a permission error ends with (default LOG_READ_RIGHTS; a restore passes
 * RESTORE's own, restore/run.ts).
 */
export function toSourceError(e: unknown, what: string, rights: string = LOG_READ_RIGHTS): SourceError {
  if (e instanceof SourceError) return e;
  const f = facts(e);
  const num = f.number !== undefined ? ` (SQL error ${f.number})` : '';
  if (f.numbers.some((n) => PERMISSION_SQL_ERRORS.has(n))) {
    return new SourceError('SOURCE_PERMISSION', `${what}: permission denied${num}: ${f.message}. ${rights}`, {}, { cause: e });
  }
  if (f.numbers.some((n) => CONNECT_SQL_ERRORS.has(n)) || f.code === 'ELOGIN' || f.code === 'EINSTLOOKUP' || f.code === 'ESOCKET' || f.code === 'ECONNCLOSED') {
    // the connection, not the query it was for (`what`: an internal label such as 'server facts')
    return new SourceError('SOURCE_CONNECT', `cannot connect${num}: ${f.message}`, {}, { cause: e });
  }
  if (f.code === 'ETIMEOUT') return new SourceError('SOURCE_TIMEOUT', `${what}: timed out: ${f.message}`, {}, { cause: e });
  if (f.code === 'ECANCEL') return new SourceError('SOURCE_CANCELLED', `${what}: cancelled`, {}, { cause: e });
  return new SourceError('SOURCE_QUERY', `${what} failed${num}: ${f.message}`, {}, { cause: e });
}
