/**
 * Whether a job's notes say rows of the incident are left out of its result, as data: the job's
 * `rowsLeftOut` (GET /api/jobs, /api/jobs/:id). The review page opened its notes box by matching two
 * phrases of the notes' words itself ("not in this result", "no log scan gives them back"): a reader
 * of the API had no field for it, and a note worded anew closed the box unseen. Now the staging store
 * records it as the notes are written (appendAudit, job.notes; recover/left-out.ts saysRowsLeftOut),
 * and migration 18 reads it from the notes of jobs staged before. The sentences are those the
 * writers give (scanStatsNotes of SYNTHETIC counts; onlineLogStartClause of a SYNTHETIC window).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyStats, scanStatsNotes } from '../../src/recover/committed.js';
import { onlineLogStartClause } from '../../src/recover/window-before-log.js';
import { saysRowsLeftOut } from '../../src/recover/left-out.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { StagingStore } from '../../src/staging/store.js';
import { bearer, testApp } from '../api/helpers.js';

describe("the writers' sentences of rows left out", () => {
  it('each says it (saysRowsLeftOut); a note of another kind does not', () => {
    const stats = { ...emptyStats(), outsideWindowRowOps: 9, uncommittedRowOps: 2, unknownAllocUnitRowOps: 3, undoneInTransactionRowOps: 2,
      rowlessRemovalList: [{ kind: 'TRUNCATE TABLE', transactionId: '0000:000004d2', beginTime: '2024-03-01T09:00:00.000', beginLsn: '00000013:000000b9:0001', spid: 53, sid: null }], rowlessRemovals: 1 } as unknown as ReturnType<typeof emptyStats>;
    const said = scanStatsNotes(stats, ['delete'], false);
    expect(said.removals.length).toBe(1);
    expect(said.removals.every(saysRowsLeftOut)).toBe(true);
    const leftOut = said.notes.filter(saysRowsLeftOut);
    // outside the window, open where the log read ends, tables the metadata lacks
    expect(leftOut.length).toBe(3);
    // their own transaction took them back: the rows are as they were, none left out
    expect(said.notes.filter((n) => !saysRowsLeftOut(n)).map((n) => n.slice(0, 40))).toEqual(['2 delete(s) not printed: their own trans']);
    expect(saysRowsLeftOut(onlineLogStartClause({ from: '2018-08-25T00:00:00.000' }, '2018-08-26T21:19:07.573', 'add the log backups')!)).toBe(true);
  });
});

describe('rowsLeftOut of a job', () => {
  let dir = '';
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

  it('recorded as its notes are written: null with none, false for notes of another kind, true once one says rows are left out (of any attempt)', async () => {
    const t = await testApp();
    try {
      const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'crm', createdBy: 'olga' });
      const get = async () => (await t.app.inject({ url: `/api/jobs/${job.id}`, headers: bearer(t.tokens.viewer) })).json().rowsLeftOut;
      expect(await get()).toBeNull();
      t.store.appendAudit('system', 'job.notes', job.id, { notes: ['2 delete(s) not printed: their own transaction took them back'] });
      expect(await get()).toBe(false);
      t.store.appendAudit('system', 'job.notes', job.id, { notes: ['9 more delete(s) on table data rows are in transactions that began outside the window: not in this result; widen the window (or drop it) to see them'] });
      expect(await get()).toBe(true);
      // a later attempt's notes of another kind do not take it back: the page reads every attempt's notes
      t.store.appendAudit('system', 'job.notes', job.id, { notes: ['nothing of the kind'] });
      expect(await get()).toBe(true);
      const list = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json().items.find((j: { id: number }) => j.id === job.id);
      expect(list.rowsLeftOut).toBe(true);
      // in the OpenAPI document (the job's schema)
      const doc = (await t.app.inject({ url: '/docs/json' })).json();
      expect(JSON.stringify(doc)).toContain('rowsLeftOut');
    } finally {
      await t.close();
    }
  });

  it('a staging file of before: migration 18 reads it from the notes already written', () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-left-out-'));
    const path = join(dir, 'staging.db');
    // the file as rowback wrote it before migration 18, with three jobs' notes
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version < 18));
    const job = (d: string) => Number(db.prepare("INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', ?, 'succeeded', 'olga', 'x')").run(d).lastInsertRowid);
    const notes = (id: number, n: string[]) => db.prepare("INSERT INTO audit_log (at, actor, action, job_id, details) VALUES ('x', 'system', 'job.notes', ?, ?)").run(id, JSON.stringify({ notes: n }));
    const truncated = job('truncated');
    notes(truncated, ['plain']);
    notes(truncated, ['a TRUNCATE TABLE transaction 0000:000004d2 committed: it removes rows without logging them one by one, so no log scan gives them back']);
    const plain = job('plain');
    notes(plain, ['2 delete(s) not printed: their own transaction took them back']);
    const none = job('none');
    db.close();
    const store = new StagingStore(path);
    try {
      expect([truncated, plain, none].map((id) => store.getJob(id)!.rowsLeftOut)).toEqual([true, false, null]);
    } finally {
      store.close();
    }
  });
});
