import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { StagingStore, filterNarrows, ftsQuery, hashToken } from '../../src/staging/store.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS, OFFLINE_WHO, offlineRows } from './fixtures.js';

describeCorpus('StagingStore (real SQLite file)', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-staging-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newJob = () => store.createJob({ kind: 'files', spec: { ldf: '/x.ldf', password: 'hunter2' }, description: 'test', createdBy: 'op' });

  it('runs migrations once, records them, WAL + foreign keys on', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const v = store.db.prepare('SELECT version FROM schema_migrations').all();
    expect(v).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(migrate(store.db)).toEqual([]);
    store.close();
    store = new StagingStore(join(dir, 'staging.db'));
    expect(store.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
  });

  it('migration 4: a version-3 file with a job gains the scan progress columns; samples round-trip and clear', () => {
    const file = join(dir, 'v3.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 3));
    old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    old.close();
    const s = new StagingStore(file);
    try {
      const [job] = s.listJobs();
      expect(job).toMatchObject({ description: 'old job', scan: null });
      s.setScanProgress(job.id, { bytesRead: 851_443_712, bytesTotal: 1_288_490_188, recordsRead: 3_402_118, pass: 2, passes: 2 });
      expect(s.requireJob(job.id).scan).toMatchObject({ bytesRead: 851_443_712, bytesTotal: 1_288_490_188, recordsRead: 3_402_118, pass: 2, passes: 2 });
      s.setScanProgress(job.id, { bytesRead: 0, recordsRead: 17 });
      expect(s.requireJob(job.id).scan).toMatchObject({ bytesRead: 0, bytesTotal: null, recordsRead: 17, pass: null, passes: null });
      s.setScanProgress(job.id, null);
      expect(s.requireJob(job.id).scan).toBeNull();
    } finally {
      s.close();
    }
  });

  it('migration 6: a version-5 file with a finished job reads complete null (not known); completeness round-trips and a run clears it', () => {
    const file = join(dir, 'v5.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 5));
    old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    old.close();
    const s = new StagingStore(file);
    try {
      const [job] = s.listJobs();
      expect(job).toMatchObject({ description: 'old job', state: 'succeeded', complete: null, incomplete: null });
      s.setJobCompleteness(job.id, ['INCOMPLETE: the log was lost']);
      expect(s.requireJob(job.id)).toMatchObject({ complete: false, incomplete: ['INCOMPLETE: the log was lost'] });
      s.setJobCompleteness(job.id, []);
      expect(s.requireJob(job.id)).toMatchObject({ complete: true, incomplete: [] });
      s.setJobState(job.id, 'running');
      expect(s.requireJob(job.id)).toMatchObject({ complete: null, incomplete: null });
    } finally {
      s.close();
    }
  });

  it("migration 17: a version-16 file's skipped item reads back without layoutChange; a SOURCE_SCHEMA_DRIFT item's round-trips, other items have none", () => {
    const file = join(dir, 'v16.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 16));
    const jobId = Number(old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run().lastInsertRowid);
    old.prepare(`INSERT INTO skipped_items (job_id, code, reason, location, raw) VALUES (?, 'SOURCE_SCHEMA_DRIFT', 'staged before 17', '{"lsn":"00000028:00000010:0030","table":"dbo.T"}', NULL)`).run(jobId);
    old.close();
    const s = new StagingStore(file);
    try {
      const change = { lsn: '00000028:00000010:0028', transactionId: '0000:0000040c', endTime: '2026/12/06 09:15:00:123' };
      s.stageBatch(jobId, [], [
        { code: 'SOURCE_SCHEMA_DRIFT', reason: 'logged after the change', location: { lsn: '00000028:00000011:0002', table: 'dbo.T' }, raw: '30000800', layoutChange: change },
        { code: 'SOURCE_SCHEMA_DRIFT', reason: 'no commit time known', location: { lsn: '00000028:00000011:0004', table: 'dbo.T' }, layoutChange: { ...change, endTime: null } },
        { code: 'DECODE_TRUNCATED', reason: 'cut short', location: { lsn: '00000028:00000011:0006' } },
      ]);
      const items = s.skippedItems(jobId);
      expect(items.map((x) => x.layoutChange ?? null)).toEqual([null, change, { ...change, endTime: null }, null]);
      expect(items.map((x) => 'layoutChange' in x)).toEqual([false, true, true, false]);
    } finally {
      s.close();
    }
  });

  it('migration 10: a version-9 file with a finished job reads sourceDatabase null (not known); it round-trips, and one stating nothing is null', () => {
    const file = join(dir, 'v9.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 9));
    old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    old.close();
    const s = new StagingStore(file);
    try {
      const [job] = s.listJobs();
      expect(job).toMatchObject({ description: 'old job', sourceDatabase: null });
      const crm = { name: "CRM'] x", bindingId: '0F3C2B6E-0000-4000-8000-00000000000A', familyGuid: null };
      s.setJobSourceDatabase(job.id, crm);
      expect(s.requireJob(job.id).sourceDatabase).toEqual(crm);
      s.setJobSourceDatabase(job.id, { name: null, bindingId: null, familyGuid: null });
      expect(s.requireJob(job.id).sourceDatabase).toBeNull();
    } finally {
      s.close();
    }
  });

  it("migration 5: a version-4 file with a job and staged rows gains job kind 'restore'; the rows, their foreign keys and the index survive the rebuild", () => {
    const file = join(dir, 'v4.db');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.filter((m) => m.version <= 4));
    expect(() => old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('restore', '{}', 'x', 'succeeded', 'op', 'x')`).run()).toThrow(/CHECK/);
    old.close();
    rmSync(file);
    const g = new Database(file);
    g.pragma('foreign_keys = ON');
    migrate(g, MIGRATIONS.filter((m) => m.version <= 4));
    g.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    g.prepare(`INSERT INTO skipped_items (job_id, code, reason, location) VALUES (1, 'DECODE_TRUNCATED', 'kept across the rebuild', '{}')`).run();
    g.close();
    const s = new StagingStore(file);
    try {
      const [job] = s.listJobs();
      expect(job).toMatchObject({ kind: 'files', description: 'old job', state: 'succeeded' });
      expect(s.skippedItems(job.id).map((i) => i.reason)).toEqual(['kept across the rebuild']);
      s.stageBatch(job.id, corpusRows(3));
      expect(s.countRows(job.id, {})).toBe(3);
      const r = s.createJob({ kind: 'restore', spec: { bak: ['/x.bak'] }, description: 'diff', createdBy: 'op' });
      expect(s.requireJob(r.id).kind).toBe('restore');
      expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(s.db.pragma('foreign_key_check')).toEqual([]);
      // rows still reference jobs(id): a row of a job that does not exist is refused
      expect(() => s.stageBatch(9999, corpusRows(1))).toThrow(/FOREIGN KEY/);
      expect(() => s.db.prepare(`INSERT INTO rows (job_id, tbl, lsn, operation, transaction_id, vals, raw) VALUES (9999, 't', 'l', 'delete', 'x', '{}', x'00')`).run()).toThrow(/FOREIGN KEY/);
      expect(s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'jobs_state'").get()).toEqual({ name: 'jobs_state' });
    } finally {
      s.close();
    }
  });

  it('a new file is made with 16 KB pages; an existing file keeps its page size (4 KB), opens, stages and pages as before', () => {
    expect(store.db.pragma('page_size', { simple: true })).toBe(16384);
    const file = join(dir, 'old-4k.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL'); // as every store was made: 4 KB pages, WAL
    migrate(old);
    old.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    old.close();
    const s = new StagingStore(file);
    try {
      expect(s.db.pragma('page_size', { simple: true })).toBe(4096);
      expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const [job] = s.listJobs();
      const rows = corpusRows(200);
      expect(s.stageBatch(job.id, rows)).toBe(200);
      expect(s.stageBatch(job.id, rows.slice(150))).toBe(0);
      expect(s.listRows(job.id, { table: 'dbo.T' }, { limit: 1000 }).items.map((r) => r.lsn)).toEqual(rows.filter((r) => r.table === 'dbo.T').map((r) => r.lsn));
    } finally {
      s.close();
    }
    // and the page size stays after it was opened by this rowback
    const again = new StagingStore(file);
    try {
      expect(again.db.pragma('page_size', { simple: true })).toBe(4096);
      expect(again.requireJob(1).rowsStaged).toBe(200);
    } finally {
      again.close();
    }
  });

  it('refuses a staging file from a newer rowback', () => {
    store.db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    store.close();
    expect(() => new StagingStore(join(dir, 'staging.db'))).toThrow(/STAGING|schema version 999/);
    try { new StagingStore(join(dir, 'staging.db')); } catch (e) { expect((e as { code: string }).code).toBe('STAGING_SCHEMA_TOO_NEW'); }
    store = new StagingStore(join(dir, 'other.db'));
  });

  it('a file it cannot set up (no database, a schema too new) is refused without leaving its handle open', () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, Buffer.alloc(4096, 0x41)); // SYNTHETIC: 4 KB of 'A', no SQLite header
    store.db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    store.close();
    const before = fds();
    for (let i = 0; i < 5; i++) {
      expect(() => new StagingStore(junk)).toThrow(/not a database/);
      expect(() => new StagingStore(join(dir, 'staging.db'))).toThrow(/schema version 999/);
    }
    expect(fds()).toBe(before);
    store = new StagingStore(join(dir, 'other.db'));
  });

  it('redacts secrets in job specs', () => {
    const j = newJob();
    expect(j.spec).toEqual({ ldf: '/x.ldf', password: '[redacted]' });
    expect(j.state).toBe('queued');
  });

  it('stages rows with raw bytes, never twice for the same (job, LSN)', () => {
    const j = newJob();
    const rows = corpusRows(12);
    expect(store.stageBatch(j.id, rows.slice(0, 8))).toBe(8);
    expect(store.stageBatch(j.id, rows.slice(4, 12))).toBe(4);
    const job = store.requireJob(j.id);
    expect(job.rowsStaged).toBe(12);
    expect(job.lastLsn).toBe(rows[11].lsn);
    const page = store.listRows(j.id, {}, { limit: 100 });
    expect(page.items).toHaveLength(12);
    const one = store.getRow(j.id, page.items[0].id)!;
    expect(one.raw).toBe(rows[0].raw);
    expect(one.values).toEqual({ Id: 1, Name: 'hi' });
    expect(one.table).toBe('dbo.T');
  });

  it('a batch spanning several multi-row INSERTs and a tail stages every row once, columns and meta as given, duplicates in and across batches ignored', () => {
    const j = newJob();
    const rows = corpusRows(300);
    // facts only some rows carry: meta keeps them, in the API's key order, and leaves absent ones out
    rows[70] = { ...rows[70], sid: '0x0105', sidText: 'S-1-5-21-1-2-3-1001', dbUser: 'alice', host: 'WS01', program: 'SSMS', warnings: ['stale VLF'] };
    rows[71] = { ...rows[71], operation: 'update', after: { Id: 1, Name: 'after' }, rawAfter: rows[71].raw };
    const first = [...rows.slice(0, 150), rows[3], rows[149]]; // 152 rows, two of them repeats within the batch
    expect(store.stageBatch(j.id, first)).toBe(150);
    expect(store.stageBatch(j.id, rows.slice(100, 300))).toBe(150); // 50 already staged
    expect(store.stageBatch(j.id, rows.slice(0, 64))).toBe(0); // exactly one full statement, all repeats
    const job = store.requireJob(j.id);
    expect(job.rowsStaged).toBe(300);
    expect(job.lastLsn).toBe(rows[299].lsn);
    const all = [...store.iterateRows(j.id, {})];
    expect(all.map((r) => r.lsn)).toEqual(rows.map((r) => r.lsn));
    for (const [i, r] of all.entries()) {
      const e = rows[i];
      expect([r.table, r.operation, r.transactionId, r.login, r.beginTime, r.endTime, r.spid, r.transactionName, r.raw, r.status])
        .toEqual([e.table, e.operation, e.transactionId, e.login, e.beginTime, e.endTime, e.spid, e.transactionName, e.raw, 'pending']);
      expect(r.values).toEqual(e.values);
    }
    expect(JSON.stringify(all[70].meta)).toBe(JSON.stringify({ sid: '0x0105', sidText: 'S-1-5-21-1-2-3-1001', dbUser: 'alice', host: 'WS01', program: 'SSMS', allocUnitId: null, pageId: '0001:00000123', slotId: 70, source: { kind: 'fn_dblog' } }));
    expect(JSON.stringify(all[0].meta)).toBe(JSON.stringify({ sid: null, allocUnitId: null, pageId: '0001:00000123', slotId: 0, source: { kind: 'fn_dblog' } }));
    expect(all[70].warnings).toEqual(['stale VLF']);
    // no warning is stored as the text '[]', as it always was (bound as null, the INSERT writes it)
    expect(store.db.prepare('SELECT warnings, count(*) AS n FROM rows WHERE job_id = ? GROUP BY warnings ORDER BY warnings').all(j.id)).toEqual([{ warnings: '["stale VLF"]', n: 1 }, { warnings: '[]', n: 299 }]);
    expect(all[71].after).toEqual({ Id: 1, Name: 'after' });
    expect(all[72].after).toBeNull();
  });

  it("a batch for a job that does not exist stages nothing, rows nor skipped items; foreign keys stay on around batches, failed or not, and inside a caller's transaction", () => {
    const j = newJob();
    const skipped = [{ code: 'DECODE_TRUNCATED', reason: 'r', location: { lsn: 'x' } }] as Parameters<StagingStore['stageBatch']>[2];
    expect(() => store.stageBatch(j.id + 1, corpusRows(100), skipped)).toThrow(expect.objectContaining({ code: 'STAGING_JOB_NOT_FOUND' }));
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM skipped_items').get()).toEqual({ n: 0 });
    expect(store.stageBatch(j.id, corpusRows(100), skipped)).toBe(100);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.transaction(() => store.stageBatch(j.id, corpusRows(100, 100)))()).toBe(100);
    expect(() => store.db.transaction(() => store.stageBatch(j.id + 1, corpusRows(1, 500)))()).toThrow(/FOREIGN KEY/);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.requireJob(j.id)).toMatchObject({ rowsStaged: 200, skippedCount: 1 });
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('filters by table, login, status, time and free text; keyset pages cover every row once', () => {
    const j = newJob();
    store.stageBatch(j.id, corpusRows(600));
    const seen = new Set<number>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = store.listRows(j.id, { table: 'dbo.T' }, { limit: 37, cursor });
      for (const r of p.items) { expect(r.table).toBe('dbo.T'); expect(seen.has(r.id)).toBe(false); seen.add(r.id); }
      cursor = p.next;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(100);
    expect(pages).toBe(3);
    expect(store.countRows(j.id, { login: 'sa' })).toBe(200);
    expect(store.countRows(j.id, { from: '2024-03-01T09:01:00.000', to: '2024-03-01T09:01:59.999' })).toBe(50);
    // Rows not yet in the FTS index are indexed by the search itself: the same words answer the
    // same rows before and after the worker's indexPending (a LIKE over pending rows found `trail`
    // inside "trailing" until the job ended, nothing after).
    const searches = () => [
      store.countRows(j.id, { q: 'trailing' }), store.countRows(j.id, { q: 'trail*' }), store.countRows(j.id, { q: 'trail' }),
      store.countRows(j.id, { q: 'hi', table: 'dbo.T' }), store.countRows(j.id, { q: 'nothing-like-this' }), store.countRows(j.id, { q: '100%' })];
    const upto = () => store.db.prepare('SELECT indexed_upto AS u FROM fts_state WHERE id = 1').get();
    expect(upto()).toEqual({ u: 0 });
    expect(searches()).toEqual([100, 100, 0, 100, 0, 0]);
    expect(upto()).not.toEqual({ u: 0 });
    expect(store.indexPending()).toBe(0);
    expect(searches()).toEqual([100, 100, 0, 100, 0, 0]);
    // a store that cannot write the index refuses a search over rows it has not indexed
    store.stageBatch(j.id, corpusRows(1, 600));
    const ro = new StagingStore(join(dir, 'staging.db'), { readonly: true });
    try {
      expect(() => ro.countRows(j.id, { q: 'trailing' })).toThrow(expect.objectContaining({ code: 'STAGING_INDEX_BUSY' }));
      expect(ro.countRows(j.id, {})).toBe(601);
    } finally { ro.close(); }
    // pages of a free-text search driven from the FTS index: every match once, in id order
    const got: number[] = [];
    let c: string | null = null;
    do {
      const p = store.listRows(j.id, { q: 'trailing', login: 'sa' }, { limit: 7, cursor: c });
      got.push(...p.items.map((r) => r.id));
      expect(p.items.every((r) => r.table === 'dbo.LogTestTrailNull' && r.login === 'sa')).toBe(true);
      c = p.next;
    } while (c);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(got).toHaveLength(store.countRows(j.id, { q: 'trailing', login: 'sa' }));
    expect(got.length).toBeGreaterThan(20);
    expect(store.db.prepare("SELECT count(*) AS n FROM rows_fts WHERE rows_fts MATCH '\"trailing\"'").get()).toEqual({ n: 100 });
    expect(() => store.listRows(j.id, {}, { cursor: 'garbage' })).toThrow(/cursor/);
  });

  it('a page with no filter walks the job\'s rows in id order on rows_job_id (migration 8), sorting nothing', () => {
    // on the UNIQUE (job_id, lsn) index SQLite sorted every row of the job for each page: 28–40 ms
    // at 300,000 rows a job (docs/performance.md, "Unfiltered pages")
    const j = newJob();
    store.stageBatch(j.id, corpusRows(50));
    for (const f of [{}, { login: '' }, { q: ' ' }]) {
      const plan = store.explainPage(j.id, f).join(' | ');
      expect(plan).toContain('rows_job_id');
      expect(plan).not.toContain('TEMP B-TREE');
    }
    expect(store.explainPage(j.id, { table: 'dbo.T' }).join(' | ')).not.toContain('TEMP B-TREE');
  });

  it('with a time window, pages run in (begin time, id) order and still cover every row once', () => {
    const j = newJob();
    // begin times not in LSN order, as when a long transaction started before later ones
    const rows = corpusRows(300).map((r, i) => ({ ...r, beginTime: `2024-03-01T09:${String(59 - (i % 60)).padStart(2, '0')}:00.000` }));
    store.stageBatch(j.id, rows);
    const seen: { id: number; t: string }[] = [];
    let cursor: string | null = null;
    do {
      const p = store.listRows(j.id, { from: '2024-03-01T09:10', to: '2024-03-01T09:39:59.999' }, { limit: 23, cursor });
      seen.push(...p.items.map((r) => ({ id: r.id, t: r.beginTime! })));
      cursor = p.next;
    } while (cursor);
    expect(seen).toHaveLength(150);
    expect(new Set(seen.map((x) => x.id)).size).toBe(150);
    const sorted = [...seen].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.id - b.id));
    expect(seen).toEqual(sorted);
    const idCursor = store.listRows(j.id, {}, { limit: 1 }).next!;
    expect(() => store.listRows(j.id, { from: '2024-03-01' }, { cursor: idCursor })).toThrow(/another filter/);
  });

  it('an end-only window keeps rows of no begin time (LOP_BEGIN_XACT not in the log read) that committed by its end, and pages over them', () => {
    // a job with `to` alone stages such rows (committed.ts: committed by the end, so begun by it);
    // the same `to` as a row filter dropped them (begin_time <= to is not true of NULL)
    const j = newJob();
    const rows = corpusRows(60).map((r, i) => (i % 3 === 0
      ? { ...r, beginTime: null, endTime: `2024-03-01T09:${String(i % 2 ? 50 : 20).padStart(2, '0')}:00.000` }
      : { ...r, beginTime: `2024-03-01T09:${String(i % 60).padStart(2, '0')}:00.000`, endTime: `2024-03-01T09:${String(i % 60).padStart(2, '0')}:00.000` }));
    store.stageBatch(j.id, rows);
    const to = '2024-03-01T09:30:59.999';
    // 20 of no begin time: 10 committed at 09:20 (in), 10 at 09:50 (out); of the 40 others, begin minute <= 30
    const expected = rows.filter((r) => (r.beginTime === null ? r.endTime! <= to : r.beginTime <= to)).length;
    expect(store.countRows(j.id, { to })).toBe(expected);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const p = store.listRows(j.id, { to }, { limit: 4, cursor });
      seen.push(...p.items.map((r) => r.id));
      cursor = p.next;
    } while (cursor);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
    expect(store.listRows(j.id, { to }, { limit: 1000 }).items.filter((r) => r.beginTime === null)).toHaveLength(10);
    // a start: their begin time cannot be placed after it, so they stay out of a window with one
    expect(store.listRows(j.id, { from: '2024-03-01T09:00', to }, { limit: 1000 }).items.filter((r) => r.beginTime === null)).toHaveLength(0);
  });

  it('rows of no begin time a window cannot place are counted (unplacedRows) and said by a decision by filter, not dropped unsaid', () => {
    // a job without a window stages rows whose LOP_BEGIN_XACT was not in the log read; a reviewer's
    // `from` cannot place those committed at or after it (nor `to` alone those committed after it):
    // they were left out of the list, the count, a decision and an export without a word
    const j = newJob();
    const rows = corpusRows(60).map((r, i) => (i % 3 === 0
      ? { ...r, beginTime: null, endTime: i % 2 ? '2024-03-01T09:50:00.000' : '2024-03-01T09:05:00.000' }
      : { ...r, beginTime: `2024-03-01T09:${String(i % 60).padStart(2, '0')}:00.000`, endTime: `2024-03-01T09:${String(i % 60).padStart(2, '0')}:00.000` }));
    store.stageBatch(j.id, rows);
    // 20 of no begin time: 10 committed at 09:05, 10 at 09:50
    expect(store.unplacedRows(j.id, {})).toBe(0);
    // from 09:10: those committed at 09:05 began before it (out, known); those at 09:50 cannot be placed
    expect(store.unplacedRows(j.id, { from: '2024-03-01T09:10' })).toBe(10);
    expect(store.unplacedRows(j.id, { from: '2024-03-01T09:10', to: '2024-03-01T09:30:59.999' })).toBe(10);
    // from 09:00: both groups committed after it
    expect(store.unplacedRows(j.id, { from: '2024-03-01T09:00' })).toBe(20);
    // to alone: committed by it began by it (listed); committed after it cannot be placed
    expect(store.unplacedRows(j.id, { to: '2024-03-01T09:30:59.999' })).toBe(10);
    // the filter's other fields apply
    const table = rows.find((r) => r.beginTime === null && r.endTime === '2024-03-01T09:50:00.000')!.table;
    const ofTable = rows.filter((r) => r.beginTime === null && r.endTime === '2024-03-01T09:50:00.000' && r.table === table).length;
    expect(store.unplacedRows(j.id, { from: '2024-03-01T09:10', table })).toBe(ofTable);
    const d = store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'window', filter: { from: '2024-03-01T09:10' } });
    expect(d.unplaced?.rows).toBe(10);
    expect(d.unplaced?.note).toMatch(/^10 rows not decided: their transaction's LOP_BEGIN_XACT was not in the log read/);
    expect(store.audit({ jobId: j.id }).at(-1)?.details).toMatchObject({ unplaced: { rows: 10 } });
    // no window: nothing unplaced, nothing said
    expect(store.decide(j.id, { actor: 'rev', decision: 'reject', reason: 'all of T', filter: { table } }).unplaced).toBeUndefined();
  });

  it('an end-only count is two ranges of the job\'s time index, not a walk over every row of the job', () => {
    // the OR of the two (begin_time <= to, or no begin time and committed by it) made SQLite, which
    // has no statistics here, count by rows_job_id: 218 ms against 3.7 ms with a start, on 1,000,000 rows
    const j = newJob();
    store.stageBatch(j.id, corpusRows(30));
    const prepare = store.db.prepare.bind(store.db);
    const counted: string[] = [];
    const spy = vi.spyOn(store.db, 'prepare').mockImplementation(((sql: string) => {
      if (sql.startsWith('SELECT count(*)')) counted.push(sql);
      return prepare(sql);
    }) as typeof store.db.prepare);
    try {
      store.countRows(j.id, { to: '2024-03-01T09:30:00.000', table: 'dbo.T' });
    } finally {
      spy.mockRestore();
    }
    expect(counted).toHaveLength(2);
    for (const sql of counted) {
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(j.id, 'dbo.T', '2024-03-01T09:30:00.000') as Array<{ detail: string }>).map((x) => x.detail).join(' | ');
      expect(plan).toMatch(/INDEX rows_job_time \(job_id=\? AND begin_time/);
    }
  });

  it('a page cursor is bound to its filter: sent with another one it is refused, not a page skipping rows', () => {
    const j = newJob();
    store.stageBatch(j.id, corpusRows(120));
    const all = store.listRows(j.id, {}, { limit: 5 }).next!;
    expect(() => store.listRows(j.id, { table: 'dbo.T' }, { limit: 5, cursor: all })).toThrow(/belongs to another filter: start again without cursor/);
    const byTable = store.listRows(j.id, { table: 'dbo.T', status: ['pending', 'approved'] }, { limit: 5 }).next!;
    expect(() => store.listRows(j.id, {}, { cursor: byTable })).toThrow(/another filter/);
    // the same filter (an empty login or text is none; statuses in any order) pages on
    expect(store.listRows(j.id, { table: 'dbo.T', login: '', q: ' ', status: ['approved', 'pending'] }, { limit: 5, cursor: byTable }).items).toHaveLength(5);
  });

  it('approves by filter and by ids, records the decision rows and audit, leaves final rows alone', () => {
    const j = newJob();
    store.stageBatch(j.id, corpusRows(120));
    const d = store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'wrong filter in batch job', filter: { table: 'dbo.T' } });
    expect(d.rows).toBe(20);
    expect(store.countRows(j.id, { status: 'approved' })).toBe(20);
    const ids = store.listRows(j.id, { table: 'dbo.T' }, { limit: 3 }).items.map((r) => r.id);
    const r = store.decide(j.id, { actor: 'rev', decision: 'reject', reason: 'test rows', ids });
    expect(r.rows).toBe(3);
    expect(store.countRows(j.id, { status: 'rejected' })).toBe(3);
    // re-approving by filter only changes the 3 rejected ones
    expect(store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'again', filter: { table: 'dbo.T' } }).rows).toBe(3);
    const decisions = store.decisions(j.id);
    expect(decisions.map((x) => x.rowCount)).toEqual([20, 3, 3]);
    expect(store.db.prepare('SELECT count(*) AS n FROM decision_rows').get()).toEqual({ n: 26 });
    const audit = store.audit({ jobId: j.id });
    expect(audit.map((a) => a.action)).toEqual(['job.create', 'rows.approve', 'rows.reject', 'rows.approve']);
  });

  it('finds offline rows by SID (either stored form, any spelling) and by database user (case-insensitive), and binds both into the page cursor', () => {
    const j = newJob();
    store.stageBatch(j.id, [...corpusRows(60), ...offlineRows(150, 1000)]);
    const [win, sqlLogin] = OFFLINE_WHO;
    for (const sid of [win.sid, win.sid.slice(2).toLowerCase(), win.sidText, 's' + win.sidText.slice(1)]) expect([sid, store.countRows(j.id, { sid })]).toEqual([sid, 50]);
    expect(store.countRows(j.id, { sid: sqlLogin.sid.toLowerCase() })).toBe(50);
    expect(store.countRows(j.id, { dbUser: 'crm\\ärger' })).toBe(50);
    expect(store.countRows(j.id, { dbUser: 'BATCHJOB', sid: sqlLogin.sid })).toBe(50);
    expect(store.countRows(j.id, { sid: '', dbUser: ' ' })).toBe(210);
    expect(() => store.countRows(j.id, { sid: 'S-1-x' })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_SID' }));
    const page = store.listRows(j.id, { sid: win.sid }, { limit: 10 });
    expect(store.listRows(j.id, { sid: win.sidText }, { limit: 10, cursor: page.next }).items).toHaveLength(10);
    expect(() => store.listRows(j.id, { sid: sqlLogin.sid }, { limit: 10, cursor: page.next })).toThrow(expect.objectContaining({ code: 'STAGING_BAD_CURSOR' }));
    expect(() => store.listRows(j.id, { sid: win.sid, dbUser: 'x' }, { limit: 10, cursor: page.next })).toThrow(expect.objectContaining({ code: 'STAGING_BAD_CURSOR' }));
    // a page or an export by who alone walks rows in id order: another job's rows, before, between and
    // after this job's, are never its (the walk starts at the job's first row and tests job_id)
    const before = newJob();
    store.stageBatch(before.id, offlineRows(150, 1000));
    const k = newJob();
    store.stageBatch(k.id, offlineRows(100, 1000));
    store.stageBatch(before.id, offlineRows(50, 1150));
    store.stageBatch(k.id, offlineRows(50, 1100));
    for (const [f, n] of [[{ sid: win.sidText }, 50], [{ dbUser: 'DBO' }, 50], [{ sid: sqlLogin.sid }, 50]] as const) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const p = store.listRows(k.id, f, { limit: 7, cursor });
        expect(p.items.every((r) => r.jobId === k.id)).toBe(true);
        seen.push(...p.items.map((r) => r.id));
        cursor = p.next;
      } while (cursor);
      expect([f, seen.length, new Set(seen).size, [...seen].sort((a, b) => a - b)]).toEqual([f, n, n, seen]);
      expect([...store.iterateRows(k.id, f)].map((r) => r.id)).toEqual(seen);
    }
  });

  it('a decision over every row needs all: true; a filter of empty fields is no filter', () => {
    const j = newJob();
    store.stageBatch(j.id, corpusRows(30));
    for (const f of [{}, { login: '' }, { q: ' ' }, { status: [] }, { sid: '' }, { dbUser: ' ' }]) expect([f, filterNarrows(f)]).toEqual([f, false]);
    for (const f of [{ login: 'sa' }, { sid: '0x01' }, { dbUser: 'dbo' }, { status: 'pending' as const }, { q: 'x' }]) expect([f, filterNarrows(f)]).toEqual([f, true]);
    expect(() => store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: {} })).toThrow(expect.objectContaining({ code: 'INPUT_DECISION_ALL_ROWS', message: expect.stringContaining('(30 rows would change)') }));
    expect(() => store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r' })).toThrow(expect.objectContaining({ code: 'INPUT_DECISION_ALL_ROWS' }));
    expect(() => store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r', all: true, filter: { login: 'sa' } })).toThrow(expect.objectContaining({ code: 'INPUT_DECISION_ALL_CONTRADICTS' }));
    expect(store.decisions(j.id)).toEqual([]);
    expect(store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r', all: true })).toEqual({ decisionId: expect.any(Number), rows: 30 });
  });

  it('the audit log is append-only', () => {
    newJob();
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('blast radius per table, login, transaction and minute', () => {
    const j = newJob();
    store.stageBatch(j.id, corpusRows(150));
    const b = store.blastRadius(j.id);
    expect(b.total).toBe(150);
    expect(b.byTable.reduce((s, t) => s + t.rows, 0)).toBe(150);
    expect(b.byLogin).toEqual(expect.arrayContaining([{ login: 'sa', sid: null, sidText: null, dbUser: null, rows: 50 }]));
    expect(b.byTransaction).toHaveLength(3);
    expect(b.byMinute.map((m) => m.minute)).toEqual(['2024-03-01T09:00', '2024-03-01T09:01', '2024-03-01T09:02']);
    expect(b.byStatus).toEqual([{ status: 'pending', rows: 150 }]);
    expect(store.blastRadius(j.id)).toBe(b); // cached while nothing changed
    store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { login: 'sa' } });
    expect(store.blastRadius(j.id).byStatus).toEqual([{ status: 'approved', rows: 50 }, { status: 'pending', rows: 100 }]);
    store.stageBatch(j.id, corpusRows(10, 150));
    expect(store.blastRadius(j.id).total).toBe(160);
  });

  it('marks jobs left running as resumable on start', () => {
    const j = newJob();
    store.setJobState(j.id, 'running');
    store.stageBatch(j.id, corpusRows(5));
    expect(store.recoverInterruptedJobs()).toEqual([j.id]);
    const after = store.requireJob(j.id);
    expect(after.state).toBe('resumable');
    expect(after.lastLsn).toBe(corpusRows(5)[4].lsn);
  });

  it('tokens are stored hashed and can be revoked', () => {
    const t = store.createToken('alice', 'reviewer');
    expect(t.token).toMatch(/^rbk_/);
    const stored = store.db.prepare('SELECT hash FROM tokens').get() as { hash: string };
    expect(stored.hash).toBe(hashToken(t.token));
    expect(JSON.stringify(store.db.prepare('SELECT * FROM tokens').all())).not.toContain(t.token);
    expect(store.verifyToken(t.token)).toEqual({ name: 'alice', role: 'reviewer' });
    // the staging file named, as `token revoke` needs it (without --db it read the default file: newcomer F)
    expect(() => store.createToken('alice', 'viewer')).toThrow(`already exists; to replace it, revoke it (rowback token revoke alice --db ${store.path}) and create one under another name`);
    store.revokeToken('alice');
    expect(store.verifyToken(t.token)).toBeUndefined();
    // the name of a revoked token is not reused, and the refusal says so (it said "already exists")
    expect(() => store.createToken('alice', 'viewer')).toThrow(/^a token named 'alice' was revoked at .*; names are not reused .*: choose another name, e\.g\. 'alice-2'$/);
  });

  it('keeps the table layouts a job decoded with', () => {
    const j = newJob();
    store.saveJobTables(j.id, [LAYOUTS['dbo.T'], LAYOUTS['dbo.DecimalTest']]);
    expect(store.jobTables(j.id).map((t) => t.name)).toEqual(['DecimalTest', 'T']);
  });
});

it('ftsQuery quotes every term', () => {
  expect(ftsQuery('foo "bar" baz*')).toBe('"foo" """bar""" "baz"*');
  expect(ftsQuery('  ')).toBe('');
});

// Two processes opening an older staging file at once (serve and diff --stage after an upgrade) both
// saw a version missing, and the second ran its ALTER TABLE again: "duplicate column name". Here the
// other process is a second connection, made to migrate while this one is between reading what was
// applied and applying the next version (a SQL function called by a migration in between).
it('migrate: a version another connection applied meanwhile is not applied again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-migrate-race-'));
  const file = join(dir, 's.db');
  const last = MIGRATIONS[MIGRATIONS.length - 1]!;
  const older = MIGRATIONS.slice(0, -1);
  // the newest migration moved one version up, a hook in its place: the hook runs after this
  // connection has read which versions are applied, and makes the other connection migrate then
  const hook = { version: last.version, name: 'test hook', sql: 'SELECT other_process_migrates();' };
  const list = [...older, hook, { ...last, version: last.version + 1 }];
  const a = new Database(file);
  migrate(a, older);
  const b = new Database(file);
  b.pragma('busy_timeout = 5000');
  const other = new Database(file);
  other.pragma('busy_timeout = 50');
  other.function('other_process_migrates', () => 0);
  let otherApplied: number[] | string = 'not run';
  b.function('other_process_migrates', () => {
    try {
      otherApplied = migrate(other, list);
    } catch (e) {
      otherApplied = (e as Error).message;
    }
    return 0;
  });
  const got = migrate(b, list);
  // b holds the write lock while the hook runs, so the other connection waits and gives up (busy;
  // before, it applied both versions there and b's ALTER TABLE then failed: duplicate column name)
  expect(otherApplied).toMatch(/locked|busy/i);
  expect(got).toEqual([last.version, last.version + 1]);
  // and the other connection, run again, finds nothing left to do
  expect(migrate(other, list)).toEqual([]);
  for (const d of [a, b, other]) d.close();
  rmSync(dir, { recursive: true, force: true });
});
