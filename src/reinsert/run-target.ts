import type { StagingStore } from '../staging/store.js';
import { splitQualifiedName, stagedTableName } from '../util/tsql.js';
import { resolveTableMap } from './plan.js';

/**
 * Where a recorded re-insert run puts rows, read back from its `reinsert_runs.target`: the target
 * table of each source table (its tableMap as the plan applied it), the database and the server.
 * One reading for every place that asks (never twice across jobs at plan and batch time,
 * other-jobs.ts; a stopped run's page, api/run-details.ts): two copies of this reading had begun
 * to drift apart (the page's did not read `connectionDatabase`, which runs recorded by an earlier
 * build carry instead of `database`).
 */

/** Where a run puts rows: the server host (connectionHost, lower-case) and database; null = not known. */
export interface ReinsertPlace {
  server: string | null;
  database: string | null;
}

/** A recorded run's target, as its plan applied it. */
export interface RunTarget {
  jobId: number;
  /** The run's state when read (`running`, `failed`, …). */
  state: string;
  /** Source `schema.name` → target `schema.name`; null: every row to its own table. See {@link resolvedTableMap}. */
  tableMap: Record<string, string> | null;
  place: ReinsertPlace;
  /** The configured target's name (serve's config); null for a connection given in the request. */
  targetName: string | null;
}

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

/**
 * Run `runId`'s target, or undefined when the store has no such run. The database is the one the
 * run named, else the one its connection string named (`connectionDatabase`), else null.
 * Throws only what better-sqlite3 throws (a closed store).
 */
export function readRunTarget(store: StagingStore, runId: number): RunTarget | undefined {
  const row = store.db.prepare('SELECT job_id, state, target FROM reinsert_runs WHERE id = ?').get(runId) as { job_id: number; state: string; target: string } | undefined;
  if (!row) return undefined;
  const t = JSON.parse(row.target) as { name?: string | null; server?: string | null; database?: string | null; connectionDatabase?: string | null; tableMap?: Record<string, string> | null };
  return {
    jobId: row.job_id,
    state: row.state,
    tableMap: resolvedTableMap(store, row.job_id, t.tableMap ?? null),
    place: { server: t.server ?? null, database: t.database ?? t.connectionDatabase ?? null },
    targetName: t.name ?? null,
  };
}

/** The target `schema.name` a run puts a row of source table `tbl` into (its tableMap, any case, else `tbl`). */
export function targetTableOf(tableMap: Record<string, string> | null, tbl: string): string {
  return tableMap?.[tbl] ?? tableMap?.[lower(tbl)] ?? tbl;
}

/**
 * The side table a run puts a row of source table `tbl` into: the `schema.name` its tableMap sends
 * `tbl` to when that is another table, else null (no map, or a map to the table itself, in any case:
 * `dbo.Contact` → `dbo.contact` is the row's own table on a case-insensitive server, and taken so on
 * any, the safe side: such a run consumes the row as a run into its own table does; service.ts plan
 * refuses it where the target's catalog holds both spellings as two tables). A run's
 * database is not looked at: a run into another database's table of the same name is a run into
 * the row's own table (the same table of a restored or side copy cannot be told from the real one).
 */
export function sideTableOf(tableMap: Record<string, string> | null | undefined, tbl: string): string | null {
  const to = targetTableOf(tableMap ?? null, tbl);
  return lower(to) === lower(tbl) ? null : to;
}

/**
 * A run's tableMap as its plan applied it: the run records the map as the request gave it (a key
 * in another case, `[dbo].[T]`, `T` without schema), the plan resolved each key to a table of the
 * job and each target to plain `schema.name` (plan.ts resolveTableMap). Looked up verbatim, such a
 * map named the source table, so another job putting the row into the same side table spelled
 * otherwise was not held back. Keys here are the job's `schema.name`s, each also in lower case
 * when no other key shares it (a case-sensitive source); a map that no longer resolves is read key
 * by key (plain names, any case). The lower-case key is left out when the job has two tables of that
 * name in different cases (a case-sensitive source): it would map the other one too.
 */
export function resolvedTableMap(store: StagingStore, jobId: number, raw: Record<string, string> | null): Record<string, string> | null {
  if (!raw) return null;
  const plain = (text: string): string => {
    try {
      return stagedTableName(splitQualifiedName(text));
    } catch {
      return text;
    }
  };
  const tables = store.jobTables(jobId).map((l) => stagedTableName(l));
  let map: Record<string, string>;
  try {
    map = resolveTableMap(raw, tables) ?? {};
  } catch {
    map = Object.fromEntries(Object.entries(raw).map(([k, v]) => [plain(k), plain(v)]));
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const folded = new Map<string, string | null>();
  for (const [k, v] of Object.entries(map)) {
    out[k] = v;
    folded.set(lower(k), folded.has(lower(k)) ? null : v);
  }
  // the lower-case key stands for its table only when no other table of the job has that name in
  // another case: a case-sensitive source's dbo.a was read as mapped by dbo.A's key, so its rows,
  // which the plan (an exact lookup) put into their own table, were recorded as put into A's side table
  const spellings = new Map<string, number>();
  for (const t of new Set(tables)) spellings.set(lower(t), (spellings.get(lower(t)) ?? 0) + 1);
  for (const [k, v] of folded) if (v !== null && !(k in out) && (spellings.get(k) ?? 0) <= 1) out[k] = v;
  // and a table of the job not mapped whose name another case of maps (dbo.A beside a key dbo.a)
  // goes to itself: looked up in lower case (targetTableOf), it was taken for the mapped one
  for (const t of tables) if (!(t in out) && (spellings.get(lower(t)) ?? 0) > 1) out[t] = t;
  return out;
}

/** Whether two places may be one: each part equal (server by {@link sameServer}, database in any case) or unknown (null) on either side. */
export function samePlace(a: ReinsertPlace, b: ReinsertPlace): boolean {
  return (a.server === null || b.server === null || sameServer(a.server, b.server))
    && (a.database === null || b.database === null || lower(a.database) === lower(b.database));
}

/**
 * A server host as connectionHost gives it (`tcp:` dropped, lower case), in one spelling: the
 * local machine's names (localhost, `.`, `(local)`, 127.0.0.1, ::1) one name, a trailing dot
 * dropped, and after it the instance (`\inst`) when one is named, else the port when it is not
 * the default (`,1500`). The default instance (`\MSSQLSERVER`) and port (1433) say nothing. An
 * instance named with a port (`host\inst,1500`) is the instance: rowback's driver dials it through
 * the SQL Browser and drops the port (mssql lib/tedious/connection-pool.js: "if instanceName,
 * delete port"), unlike SqlClient and JDBC, where the port wins. `fake` and `tcp:fake,1433` were two places, so the row went in again.
 */
function serverParts(host: string): { name: string; rest: string } {
  const h = lower(host).trim().replace(/^(tcp|np|lpc|admin):/, '');
  const m = /^([^\\,]*)(?:\\([^,]*))?(?:,\s*(.*))?$/.exec(h);
  if (!m) return { name: h, rest: '' }; // a second `\` or `,`: compared as written
  let name = m[1]!.trim();
  if (name.length > 1) name = name.replace(/\.$/, '');
  if (['localhost', '.', '(local)', '127.0.0.1', '::1', '[::1]'].includes(name)) name = '(local)';
  const instance = (m[2] ?? '').trim();
  const port = (m[3] ?? '').trim();
  const rest = instance && instance !== 'mssqlserver' ? `\\${instance}` : port && port !== '1433' ? `,${port}` : '';
  return { name, rest };
}

/**
 * One spelling of a server host (see serverParts): two hosts of one spelling are one server, as
 * rowback's driver dials them. For a resume, which must go to the very server its run went to
 * (no short-name leniency: `db1` and `db1.corp.example` are two spellings). Text, no secret.
 */
export function serverSpelling(host: string): string {
  const p = serverParts(host);
  return `${p.name}${p.rest}`;
}

/**
 * Whether two hosts may be one server: the same name once spelled alike, a short name and a
 * qualified name beginning with it (`db1`, `db1.corp.example`: which domain the short one resolves
 * in is not known here), an IP address and a name (`10.0.0.5`, `db1`: what the name resolves to is
 * not known here), or the local machine and a name or an address (`localhost`, `db1`: the service
 * may run on that server). Taking them for one holds a row back rather than putting it in twice.
 * Another instance or port is another server, as are two names or two addresses spelled apart.
 */
export function sameServer(a: string, b: string): boolean {
  const x = serverParts(a);
  const y = serverParts(b);
  if (x.rest !== y.rest) return false;
  if (x.name === y.name) return true;
  if (x.name === '(local)' || y.name === '(local)') return true;
  const ip = (n: string) => /^[\d.]+$/.test(n) || n.includes(':');
  if (ip(x.name) !== ip(y.name)) return true;
  if (ip(x.name)) return false;
  const [s, q] = x.name.includes('.') ? [y.name, x.name] : [x.name, y.name];
  return !s.includes('.') && q.split('.')[0] === s;
}
