import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { StagingStore as StagingStoreClass } from '../../src/staging/store.js';
import type { PlannedRow } from '../../src/reinsert/plan.js';
import type { BatchOutcome, ReinsertTarget, TargetSession } from '../../src/reinsert/target.js';
import { fromLayout, type ForeignKey, type TargetTable } from '../../src/reinsert/target-table.js';
import { LAYOUTS } from '../staging/fixtures.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import type { StagingStore } from '../../src/staging/store.js';

/** Target metadata matching the corpus examples' layouts. */
export const targetTables = (): Map<string, TargetTable> => new Map(Object.entries(LAYOUTS).map(([k, l]) => [k, fromLayout(l)]));

/**
 * A unique index (or UNIQUE constraint) of the fake target, enforced by FakeTarget.insert as SQL
 * Server enforces one: NULL equal to NULL (one NULL per key combination; Microsoft Learn, Create a
 * unique index), text equal in any letter case and without trailing spaces (a default
 * case-insensitive collation), a filtered index only among the rows its filter holds for (`filter`:
 * the test's JavaScript stand-in for the index's filter_definition, over a row's values by column),
 * and IGNORE_DUP_KEY ON (`ignoreDupKey`) dropping the duplicate row with only a warning
 * (FakeTarget.warnings) where OFF refuses it with Msg 2601's text. SYNTHETIC.
 */
export interface FakeUniqueIndex {
  /** `schema.name` of its table. */
  table: string;
  name: string;
  columns: string[];
  filter?: (vals: Record<string, unknown>) => boolean;
  ignoreDupKey?: boolean;
}

/** Two key values as FakeUniqueIndex compares them (null and a missing value are NULL). */
function sameKeyValue(a: unknown, b: unknown): boolean {
  const n = (v: unknown) => v === undefined ? null : typeof v === 'string' ? v.toLowerCase().replace(/ +$/, '') : v;
  return JSON.stringify(n(a)) === JSON.stringify(n(b));
}

/**
 * A test target that behaves like SQL Server where it matters for crash safety: a durable file
 * (SQLite, so a kill -9 rolls back an open transaction), real transactions, a ledger table, key
 * lookups. It records which staged row each insert came from, so a test can count duplicates.
 */
export class FakeTarget implements ReinsertTarget {
  readonly description = 'fake target (SQLite file)';
  readonly db: Database.Database;

  /** What the server said without failing: `Duplicate key was ignored.` for each row an IGNORE_DUP_KEY index dropped. */
  readonly warnings: string[] = [];

  constructor(readonly path: string, private readonly tables: Map<string, TargetTable>, private readonly fks: ForeignKey[] = [], readonly uniqueIndexes: FakeUniqueIndex[] = []) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS target_rows (tbl TEXT NOT NULL, key TEXT, row_id INTEGER, sql TEXT NOT NULL, vals TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ledger (batch_key TEXT PRIMARY KEY, run_id INTEGER NOT NULL, outcome TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS row_ledger (ledger TEXT NOT NULL, row_key TEXT NOT NULL, batch_key TEXT NOT NULL, run_id INTEGER NOT NULL, row_id INTEGER NOT NULL, PRIMARY KEY (ledger, row_key));`);
  }

  /** A row that already exists in the target (for conflict tests). */
  seed(table: string, key: unknown[], vals: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO target_rows (tbl, key, row_id, sql, vals) VALUES (?, ?, NULL, ?, ?)').run(table, JSON.stringify(key), 'seed', JSON.stringify(vals));
  }

  async ensureLedger(): Promise<void> {}

  /** The row ledgers asked for (SQL Server creates each once; here all live in one table, by name). */
  readonly rowLedgers = new Set<string>();
  async ensureRowLedger(rowLedger: string): Promise<void> { this.rowLedgers.add(rowLedger); }

  /** A row a script run by hand put back: its row-ledger entry, as the script writes it. */
  seedRowLedger(rowLedger: string, rowKey: string, rowId = 0): void {
    this.db.prepare('INSERT INTO row_ledger VALUES (?, ?, ?, 0, ?)').run(rowLedger, rowKey, 'script', rowId);
  }

  /** The database loadTables says its catalog was read in (DB_NAME() on a real target); null: not said. */
  database: string | null = null;

  /** The binding id and family GUID loadTables says that database has (sys.database_recovery_status); null: not said. */
  databaseGuid: string | null = null;
  familyGuid: string | null = null;

  async loadTables(names: string[]): Promise<{ tables: Map<string, TargetTable>; fks: ForeignKey[]; database: string | null; databaseGuid: string | null; familyGuid: string | null }> {
    return { tables: new Map([...this.tables].filter(([k]) => names.includes(k))), fks: this.fks, database: this.database, databaseGuid: this.databaseGuid, familyGuid: this.familyGuid };
  }

  async session(): Promise<TargetSession> {
    const db = this.db;
    const fks = this.fks;
    const uniques = this.uniqueIndexes;
    const warnings = this.warnings;
    const tables = this.tables;
    const rowsOf = (table: string) => (db.prepare('SELECT vals FROM target_rows WHERE lower(tbl) = lower(?)').all(table) as { vals: string }[]).map((x) => JSON.parse(x.vals) as Record<string, unknown>);
    const valsOf = (r: PlannedRow) => Object.fromEntries(r.params.map((p) => [p.column, p.value instanceof Buffer ? '0x' + p.value.toString('hex') : p.value]));
    const keyOf = (r: PlannedRow): string | null => {
      if (!r.existsSql) return null;
      const used = [...r.existsSql.matchAll(/@(p\d+)\b/g)].map((m) => m[1]);
      return JSON.stringify(used.map((n) => r.params.find((p) => p.name === n)!.value));
    };
    return {
      async begin() { db.exec('BEGIN IMMEDIATE'); },
      async commit() { db.exec('COMMIT'); },
      async rollback() { if (db.inTransaction) db.exec('ROLLBACK'); },
      async ledgerGet(key) {
        const r = db.prepare('SELECT outcome FROM ledger WHERE batch_key = ?').get(key) as { outcome: string } | undefined;
        return r ? (JSON.parse(r.outcome) as BatchOutcome) : undefined;
      },
      async ledgerPut(key, runId, outcome) { db.prepare('INSERT INTO ledger VALUES (?, ?, ?)').run(key, runId, JSON.stringify(outcome)); },
      async rowLedgerGet(rowLedger, keys) {
        const q = db.prepare('SELECT row_key, batch_key, run_id, row_id FROM row_ledger WHERE ledger = ? AND row_key = ?');
        return keys.flatMap((k) => {
          const x = q.get(rowLedger, k) as { row_key: string; batch_key: string; run_id: number; row_id: number } | undefined;
          return x ? [{ rowKey: x.row_key, batchKey: x.batch_key, runId: x.run_id, rowId: x.row_id }] : [];
        });
      },
      async rowLedgerPut(rowLedger, entries) {
        const ins = db.prepare('INSERT INTO row_ledger VALUES (?, ?, ?, ?, ?)');
        for (const e of entries) ins.run(rowLedger, e.rowKey, e.batchKey, e.runId, e.rowId);
      },
      async setIdentityInsert() {},
      async findExisting(r) {
        const k = keyOf(r);
        if (k === null) return undefined;
        const e = db.prepare('SELECT vals FROM target_rows WHERE tbl = ? AND key = ?').get(r.table, k) as { vals: string } | undefined;
        return e ? JSON.parse(e.vals) : undefined;
      },
      async findUniqueHolder(r, check) {
        const index = uniques.find((u) => u.table.toLowerCase() === r.table.toLowerCase() && u.name === check.index);
        if (check.filter && !index?.filter) throw new Error(`fake target: no JavaScript filter for filtered index ${check.index}`);
        const vals = valsOf(r);
        // the recovered row is in a filtered index only when its filter holds for it (when the check can tell)
        if (index?.filter && !check.filterNotOnRow && !index.filter(vals)) return undefined;
        return rowsOf(r.table).find((e) => check.columns.every((c) => sameKeyValue(e[c], vals[c])) && (!index?.filter || index.filter(e)));
      },
      async insert(r) {
        // an enabled INSTEAD OF INSERT trigger runs in place of the INSERT (TargetTable.insteadOfTriggers):
        // modelled as one that puts nothing in, the statement succeeding as SQL Server's does
        if ([...tables.values()].some((t) => `${t.schema}.${t.name}`.toLowerCase() === r.table.toLowerCase() && t.insteadOfTriggers?.insert.length)) return;
        const vals = valsOf(r);
        refuseMissingParent(db, fks, r.table, vals);
        for (const u of uniques) {
          if (u.table.toLowerCase() !== r.table.toLowerCase() || (u.filter && !u.filter(vals))) continue;
          const dup = rowsOf(r.table).find((e) => u.columns.every((c) => sameKeyValue(e[c], vals[c])) && (!u.filter || u.filter(e)));
          if (!dup) continue;
          if (u.ignoreDupKey) { warnings.push('Duplicate key was ignored.'); return; }
          throw new Error(`Cannot insert duplicate key row in object '${r.table}' with unique index '${u.name}'. The duplicate key value is (${u.columns.map((c) => String(vals[c] ?? 'NULL')).join(', ')}). (Msg 2601)`);
        }
        db.prepare('INSERT INTO target_rows (tbl, key, row_id, sql, vals) VALUES (?, ?, ?, ?, ?)').run(r.table, keyOf(r), r.rowId, r.insertSql, JSON.stringify(vals));
      },
      async close() { if (db.inTransaction) db.exec('ROLLBACK'); },
    };
  }

  async close(): Promise<void> {}

  dispose(): void { this.db.close(); }

  counts(): { rows: number; duplicates: number; distinctRows: number } {
    const rows = (this.db.prepare('SELECT count(*) AS n FROM target_rows WHERE row_id IS NOT NULL').get() as { n: number }).n;
    const distinctRows = (this.db.prepare('SELECT count(DISTINCT row_id) AS n FROM target_rows WHERE row_id IS NOT NULL').get() as { n: number }).n;
    return { rows, distinctRows, duplicates: rows - distinctRows };
  }
}

/**
 * A foreign key with its columns (`ForeignKey.columns`: the target's catalog read them) is checked
 * as SQL Server checks it after a single-row INSERT: a row whose referencing columns are all
 * non-NULL needs a row of the parent table holding those values (itself included, for a key of a
 * table to itself), else the INSERT is refused with Msg 547's text. Keys without columns are not
 * checked (the stand-in cannot know them).
 */
function refuseMissingParent(db: Database.Database, fks: ForeignKey[], table: string, vals: Record<string, unknown>): void {
  for (const fk of fks) {
    if (!fk.columns?.length || fk.child.toLowerCase() !== table.toLowerCase()) continue;
    const wanted = fk.columns.map((c) => vals[c.child]);
    if (wanted.some((v) => v === null || v === undefined)) continue;
    const matches = (v: Record<string, unknown>) => fk.columns!.every((c, k) => v[c.parent] === wanted[k]);
    if (fk.parent.toLowerCase() === table.toLowerCase() && matches(vals)) continue;
    const rows = db.prepare('SELECT vals FROM target_rows WHERE lower(tbl) = lower(?)').all(fk.parent) as { vals: string }[];
    if (rows.some((x) => matches(JSON.parse(x.vals) as Record<string, unknown>))) continue;
    throw new Error(`The INSERT statement conflicted with the FOREIGN KEY SAME TABLE constraint "${fk.name}". The conflict occurred in table "${fk.parent}". (Msg 547)`);
  }
}

/**
 * Re-insert service hooks (ReinsertService `hooks`) whose afterTargetCommit throws once ('the
 * service stopped'): the run's next batch commits in the target, then the run stops before staging
 * records it, so that batch stays `planned` and may have committed. A SYNTHETIC failure the
 * stopped-run tests share.
 */
export function stopOnceAfterTargetCommit(): { afterTargetCommit: () => void } {
  let crash = true;
  return { afterTargetCommit: () => { if (crash) { crash = false; throw new Error('the service stopped'); } } };
}

/**
 * A connect function for ReinsertService over `env`'s target whose second connection (the run's,
 * after the plan's) is lost at its ledger check ('the connection was lost'): the run fails before its
 * first batch, every batch still planned, the first one not known from staging alone not to have
 * committed. A SYNTHETIC failure the stopped-run tests share.
 */
export function connectLostAtRunStart(env: { connect: () => FakeTarget }): () => FakeTarget {
  let connects = 0;
  return () => {
    const t = env.connect();
    if (++connects === 2) t.ensureLedger = async () => { throw new Error('the connection was lost'); };
    return t;
  };
}

/**
 * A files job of `store` holding `rows` (recovered rows: test/staging/fixtures.ts corpusRows) with
 * the corpus examples' layouts saved as its tables and its dbo.LogTestTrailNull rows (a table with
 * no key: nothing in a target stops a second insert) approved by a reviewer. Returns the job id.
 */
export function approvedTrailJob(store: StagingStore, rows: RecoveredRow[]): number {
  return approvedJob(store, rows, 'dbo.LogTestTrailNull');
}

/** A files job of `rows` (the corpus examples' layouts saved as its tables) whose rows of `table` are approved; returns its id. */
export function approvedJob(store: StagingStore, rows: RecoveredRow[], table: string): number {
  const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
  store.stageBatch(job.id, rows);
  store.saveJobTables(job.id, Object.values(LAYOUTS));
  store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table } });
  return job.id;
}

/**
 * A fresh staging store and FakeTarget (`tables`, default targetTables; `fks`, checked as
 * FakeTarget checks them; `uniqueIndexes`, enforced as FakeUniqueIndex says) in a temporary folder `dir` for each test of the calling describe, closed
 * and removed after it: `const env = storeAndTarget('rowback-x-')`, then `env.store`, `env.target`
 * inside the tests. `env.connect()` opens one more connection to the same target file (as another
 * SQL Server session: each re-insert run its own; `env.connectWith(tables)` one that sees the
 * catalog `tables`), disposed after the test too; `env.storeNamed(name)` one more staging store (another
 * staging file beside the first, as a second rowback installation would have), closed after the test.
 */
export function storeAndTarget(prefix: string, tables?: () => Map<string, TargetTable>, fks: ForeignKey[] = [], uniqueIndexes: FakeUniqueIndex[] = []): { store: StagingStoreClass; target: FakeTarget; dir: string; connect: () => FakeTarget; connectWith: (tables: Map<string, TargetTable>) => FakeTarget; storeNamed: (name: string) => StagingStoreClass } {
  const tablesOf = tables ?? targetTables;
  const connections: FakeTarget[] = [];
  const stores: StagingStoreClass[] = [];
  const connectWith = (tables: Map<string, TargetTable>): FakeTarget => {
    const t = new FakeTarget(join(env.dir, 'target.db'), tables, fks, uniqueIndexes);
    connections.push(t);
    return t;
  };
  const storeNamed = (name: string): StagingStoreClass => {
    const s = new StagingStoreClass(join(env.dir, name));
    stores.push(s);
    return s;
  };
  const env = { connect: () => connectWith(tablesOf()), connectWith, storeNamed } as ReturnType<typeof storeAndTarget>;
  beforeEach(() => {
    env.dir = mkdtempSync(join(tmpdir(), prefix));
    env.store = new StagingStoreClass(join(env.dir, 'staging.db'));
    env.target = new FakeTarget(join(env.dir, 'target.db'), tablesOf(), fks, uniqueIndexes);
  });
  afterEach(() => {
    env.store.close();
    for (const s of stores.splice(0)) s.close();
    for (const t of connections.splice(0)) t.dispose();
    env.target.dispose();
    rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}
