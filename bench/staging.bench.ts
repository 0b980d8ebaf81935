/**
 * Staging store figures (printed, not asserted): staging 1,000,000 recovered rows built from the
 * corpus's real row images, listing filtered pages on that store, approving 100,000 rows by
 * filter. `npm run bench -- staging`; ROWBACK_BENCH_ROWS overrides the row count.
 * Reference, same run: the same rows (already JSON-encoded) inserted into a bare SQLite table of
 * the same columns (rowid key only, no other index, WAL, synchronous=NORMAL), same batches, each
 * batch inserted there right after the store staged it: the two are timed over the same minutes,
 * so a change of the machine's load (other processes on its cores) weighs on both alike. (Until
 * 2026-12-03 the bare run came after the whole staging run, and at load 5-7 the ratio moved by
 * half between two runs of the same code.)
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagingStore } from '../src/staging/store.js';
import { corpusRows } from '../test/staging/fixtures.js';

const N = Number(process.env.ROWBACK_BENCH_ROWS ?? 1_000_000);
const BATCH = 5000;
const dir = mkdtempSync(join(tmpdir(), 'rowback-bench-'));
const store = new StagingStore(join(dir, 'staging.db'));
const ms = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

try {
  const job = store.createJob({ kind: 'files', spec: {}, description: 'bench', createdBy: 'bench' });
  // build each batch first so the figure is the store's, not the generator's
  const template = corpusRows(BATCH * 6);
  // Reference: bare SQLite inserts of the same rows, batch by batch beside the store's.
  const bare = new Database(join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec(`CREATE TABLE r (id INTEGER PRIMARY KEY, job_id INTEGER, tbl TEXT, lsn TEXT, operation TEXT, transaction_id TEXT, login TEXT, begin_time TEXT,
    end_time TEXT, spid INTEGER, transaction_name TEXT, vals TEXT, after_vals TEXT, raw BLOB, warnings TEXT, meta TEXT, status TEXT)`);
  const ins = bare.prepare('INSERT INTO r (job_id, tbl, lsn, operation, transaction_id, login, begin_time, end_time, spid, transaction_name, vals, after_vals, raw, warnings, meta, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
  let staged = 0;
  let stageMs = 0;
  let bareMs = 0;
  for (let start = 0; start < N; start += BATCH) {
    const n = Math.min(BATCH, N - start);
    const rows = corpusRows(n, start).map((r, i) => ({ ...r, values: template[(start + i) % template.length].values }));
    const bareRows = rows.map((r) => [1, r.table, r.lsn, r.operation, r.transactionId, r.login, r.beginTime, r.endTime, r.spid, r.transactionName,
      JSON.stringify(r.values), null, Buffer.from(r.raw, 'hex'), '[]', JSON.stringify({ sid: null, allocUnitId: r.allocUnitId, pageId: r.pageId, slotId: r.slotId, source: r.source }), 'pending']);
    let tb = process.hrtime.bigint();
    staged += store.stageBatch(job.id, rows);
    stageMs += ms(tb);
    tb = process.hrtime.bigint();
    bare.transaction(() => { for (const row of bareRows) ins.run(...row); })();
    bareMs += ms(tb);
  }
  bare.close();
  const bareRate = N / (bareMs / 1000);
  let t = process.hrtime.bigint();
  const indexed = store.indexPending();
  const indexMs = ms(t);
  const size = statSync(join(dir, 'staging.db')).size + (() => { try { return statSync(join(dir, 'staging.db-wal')).size; } catch { return 0; } })();
  const rate = staged / (stageMs / 1000);
  console.log(`bare SQLite inserts of the same rows (reference): ${Math.round(bareRate).toLocaleString()} rows/s`);
  console.log(`staging: ${staged.toLocaleString()} rows in ${(stageMs / 1000).toFixed(1)} s = ${Math.round(rate).toLocaleString()} rows/s = ${(rate / bareRate).toFixed(2)} × bare SQLite (batches of ${BATCH}, one transaction each, indexes kept; file ${(size / 1e6).toFixed(0)} MB)`);
  console.log(`free-text index: ${indexed.toLocaleString()} rows in ${(indexMs / 1000).toFixed(1)} s (one bulk pass at job end); staging + index = ${Math.round(staged / ((stageMs + indexMs) / 1000)).toLocaleString()} rows/s`);

  const time = (label: string, f: () => unknown, reps = 5): void => {
    f();
    const all: number[] = [];
    for (let i = 0; i < reps; i++) { const t0 = process.hrtime.bigint(); f(); all.push(ms(t0)); }
    all.sort((a, b) => a - b);
    console.log(`${label}: median ${all[Math.floor(all.length / 2)].toFixed(2)} ms (min ${all[0].toFixed(2)}, max ${all[all.length - 1].toFixed(2)})`);
  };
  time('list page 1, 100 rows, table + login filter', () => store.listRows(job.id, { table: 'dbo.T', login: 'sa' }, { limit: 100 }));
  const deep = store.listRows(job.id, { table: 'dbo.T' }, { limit: 1000 });
  let cursor = deep.next;
  for (let i = 0; i < 100 && cursor; i++) cursor = store.listRows(job.id, { table: 'dbo.T' }, { limit: 1000, cursor }).next;
  time('list a deep page (after 100,000 rows), 100 rows, table filter', () => store.listRows(job.id, { table: 'dbo.T' }, { limit: 100, cursor }));
  time('list page 1, 100 rows, status=pending + time window', () => store.listRows(job.id, { status: 'pending', from: '2024-03-02T00:00:00.000', to: '2024-03-02T12:00:00.000' }, { limit: 100 }));
  time('list page 1, 100 rows, free text "trailing"', () => store.listRows(job.id, { q: 'trailing' }, { limit: 100 }));
  time('list page 1, 100 rows, free text + table', () => store.listRows(job.id, { q: 'hi', table: 'dbo.T' }, { limit: 100 }));
  time('count rows matching table + login', () => store.countRows(job.id, { table: 'dbo.T', login: 'sa' }), 3);

  // 100,000 rows: 50 rows per minute → a 2,000-minute window
  const from = '2024-03-01T09:00:00.000';
  const to = new Date(Date.UTC(2024, 2, 1, 9, 0, 0) + 2000 * 60_000 - 1).toISOString().slice(0, 23);
  t = process.hrtime.bigint();
  const d = store.decide(job.id, { actor: 'bench', decision: 'approve', reason: 'bench', filter: { from, to } });
  console.log(`approve by filter: ${d.rows.toLocaleString()} rows in ${ms(t).toFixed(0)} ms (decision rows and audit entry included)`);
  time('blast radius over the whole job', () => store.blastRadius(job.id), 1);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
