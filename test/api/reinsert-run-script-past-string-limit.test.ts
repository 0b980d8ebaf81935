import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { describeCorpus } from '../support/corpus.js';

/**
 * A real re-insert run whose script is longer than one JavaScript string can be (V8: 2^29 - 24 =
 * 536,870,888 characters; ~600,000 rows, or 45 rows of 12 M-character documents). The run rendered
 * its script whole before keeping it in pieces: a RangeError 'Invalid string length', the run failed
 * before any batch ran and POST /api/jobs/:id/reinsert answered 500 INTERNAL, so such rows could
 * never be put back through rowback (a dry run says the same clearly, REINSERT_SCRIPT_TOO_LARGE, and
 * sends the DBA to the streamed export; the run had no such way). And GET /api/reinsert-runs/:id/script
 * joined a script kept in pieces into one string: 500 for one past the limit. Now the run keeps its
 * script as it renders it, never whole, and the route streams the pieces.
 * Rows: the corpus example lc-nvarchar's layout (test/staging/fixtures.ts) with Name nvarchar(max),
 * values SYNTHETIC; the target is the fake one (test/reinsert/fake-target.ts).
 */
const BIG = 12_000_000;
const LIMIT = 2 ** 29 - 24;

/** The answer's body as the server wrote it: its length, its head and tail (not held whole). */
async function streamed(t: TestApp, url: string, token: string): Promise<{ status: number; chars: number; head: string; tail: string }> {
  const r = await t.app.inject({ url, headers: bearer(token), payloadAsStream: true });
  let chars = 0;
  let head = '';
  let tail = '';
  for await (const c of r.stream()) {
    const s = Buffer.from(c as Buffer).toString('utf8');
    chars += s.length;
    if (head.length < 200) head += s.slice(0, 200 - head.length);
    tail = (tail + s).slice(-200);
  }
  return { status: r.statusCode, chars, head, tail };
}

describeCorpus('a re-insert script past the longest JavaScript string', () => {
  it('GET /api/reinsert-runs/:id/script streams a script kept in pieces past the limit', async () => {
    const t = await testApp({ maxAuthFailures: 1000 });
    try {
      const jobId = await fakeFilesJob(t);
      await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', all: true } });
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
      expect(d.statusCode, d.body.slice(0, 300)).toBe(200);
      const runId = d.json().run.id as number;
      // SYNTHETIC: its script kept as 540 pieces of 1,000,000 characters (SQLite's printf repeats one)
      const pieces = 540;
      t.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'script'").run(runId);
      const insert = t.store.db.prepare("INSERT INTO reinsert_run_texts (run_id, kind, seq, piece) VALUES (?, 'script', ?, printf('%.*c', 1000000, '-'))");
      t.store.db.transaction(() => { for (let i = 0; i < pieces; i++) insert.run(runId, i); })();
      t.store.db.prepare('UPDATE reinsert_runs SET script = NULL, script_pieces = ? WHERE id = ?').run(pieces, runId);
      const r = await streamed(t, `/api/reinsert-runs/${runId}/script`, t.tokens.viewer);
      expect(r.status, r.head).toBe(200);
      expect(r.head.startsWith('{"script":"----------')).toBe(true);
      expect(r.chars).toBeGreaterThan(pieces * 1_000_000);
      expect(r.chars).toBeGreaterThan(LIMIT);
      // the texts, then their sizes and whether cut (scriptBytes …: the pieces' octet_length, none read for it)
      expect(r.tail).toMatch(/","scriptBytes":540000000,"undoScriptBytes":\d+,"scriptCut":false,"undoScriptCut":false}$/);
    } finally {
      await t.close();
    }
  }, 300_000);

  it('a real run of 45 rows of 12 M characters (a script past the limit) runs: every row inserted, its script readable', async () => {
    let target!: FakeTarget;
    const t = await testApp({ maxAuthFailures: 1000, connectTarget: () => target });
    const layout = { ...LAYOUTS['dbo.T']!, columns: LAYOUTS['dbo.T']!.columns.map((c) => (c.name === 'Name' ? { ...c, maxLength: -1 } : c)) };
    target = new FakeTarget(join(t.dir, 'target.db'), new Map([['dbo.T', fromLayout(layout)]]));
    try {
      const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/docs.ldf' }, description: 'documents', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, [layout]);
      const base = corpusRows(1)[0]!;
      const rows = 45;
      for (let i = 1; i <= rows; i++) t.store.stageBatch(job.id, [{ ...base, lsn: `0000002a:00000100:${String(i).padStart(4, '0')}`, values: { Id: i, Name: `${'d'.repeat(BIG - 4)}#${String(i).padStart(2, '0')}.` } }]);
      t.store.setJobState(job.id, 'succeeded');
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'documents of the incident', all: true } });
      expect(d.statusCode, d.body).toBe(200);
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 5, target: { connectionString: 'Server=side-sql;Database=docs' }, acceptOtherDatabase: true } });
      // it answered 500 INTERNAL ('Invalid string length'), the run failed, nothing inserted
      expect(r.statusCode, r.body.slice(0, 400)).toBe(202);
      const runId = r.json().id as number;
      await t.app.reinsert.idle();
      const run = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.operator) })).json();
      expect(run.state, JSON.stringify(run.error)).toBe('succeeded');
      expect(run.summary.inserted).toBe(rows);
      expect(t.store.countRows(job.id, { status: 'reinserted' })).toBe(rows);
      const s = await streamed(t, `/api/reinsert-runs/${runId}/script`, t.tokens.operator);
      expect(s.status, s.head).toBe(200);
      expect(s.chars).toBeGreaterThan(LIMIT);
    } finally {
      target.dispose();
      await t.close();
    }
  }, 600_000);
});
