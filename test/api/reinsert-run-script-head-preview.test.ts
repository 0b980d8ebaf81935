/**
 * GET /api/reinsert-runs/:id/script of a run whose script is kept in pieces (staging/run-texts.ts):
 * - HEAD read every piece: fastify answers HEAD with the GET handler and reads the stream it sends
 *   to its end to throw it away (node_modules/fastify/lib/head-route.js), so a HEAD of a 500 MB
 *   script read 500 MB from the staging file. Now HEAD answers the headers (and the status GET would
 *   give: 404, 500 STAGING_RUN_TEXT_DAMAGED) reading no piece, with the sizes in
 *   x-rowback-script-bytes / x-rowback-undo-script-bytes.
 * - ?previewBytes=N answers each text's first N bytes (the rest never read), scriptCut saying it
 *   goes on, scriptBytes its size; the review page shows that and downloads the whole from
 *   GET …/script/script (…/undo): the text itself, application/sql, streamed piece by piece.
 * SYNTHETIC runs and texts (as test/api/reinsert-run-script-pieces-stream.test.ts makes them).
 */
import { expect, it } from 'vitest';
import { writeRunTextChunks } from '../../src/staging/run-texts.js';
import { bearer, liveJobWithNotes, testApp, type TestApp } from './helpers.js';

const lines = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `DELETE FROM [dbo].[T] WHERE [Id] = ${i}; -- ${tag} ${'é'.repeat(40)} 𝄞`).join('\n') + '\n';

/** A SYNTHETIC real run of a new job with its script and undo script kept in pieces; counts the pieces every snapshot reads. */
async function runWithPieces(t: TestApp): Promise<{ runId: number; script: string; undo: string; reads: () => number }> {
  const db = t.store.db;
  const job = t.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
  const runId = Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'op', 'x', 0, '{}', 'succeeded', 500)").run(job.id).lastInsertRowid);
  const script = lines('script', 40_000);
  const undo = lines('undo', 50_000);
  const s = await writeRunTextChunks(db, runId, 'script', [script]);
  const u = await writeRunTextChunks(db, runId, 'undo', [undo]);
  expect([s.pieces, u.pieces].every((n) => n >= 3)).toBe(true);
  db.prepare('UPDATE reinsert_runs SET script_pieces = ?, undo_pieces = ? WHERE id = ?').run(s.pieces, u.pieces, runId);
  // every piece a snapshot's read() gives, counted
  let read = 0;
  const svc = t.app.reinsert as unknown as { scriptSnapshot(id: number): unknown };
  const own = svc.scriptSnapshot.bind(t.app.reinsert);
  svc.scriptSnapshot = (id: number) => {
    const snap = own(id) as Record<string, unknown> | undefined;
    for (const k of ['script', 'undoScript']) {
      const x = snap?.[k] as { read?: () => AsyncGenerator<string> } | null | string | undefined;
      if (x && typeof x === 'object' && x.read) {
        const inner = x.read.bind(x);
        x.read = async function* () { for await (const p of inner()) { read++; yield p; } };
      }
    }
    return snap;
  };
  return { runId, script, undo, reads: () => read };
}

it('HEAD answers the headers GET sends, reading no piece; 404 and a damaged text as GET', async () => {
  const t = await testApp();
  try {
    const { runId, script, undo, reads } = await runWithPieces(t);
    for (const url of [`/api/reinsert-runs/${runId}/script`, `/api/reinsert-runs/${runId}/script?previewBytes=100`, `/api/reinsert-runs/${runId}/script/script`, `/api/reinsert-runs/${runId}/script/undo`]) {
      const h = await t.app.inject({ method: 'HEAD', url, headers: bearer(t.tokens.viewer) });
      // the whole stream was read for a HEAD (every piece of both texts), after the answer: waited for
      await new Promise((r) => setTimeout(r, 300));
      expect(reads(), url).toBe(0);
      expect(h.statusCode, url).toBe(200);
      expect(h.body).toBe('');
      expect(h.headers['x-rowback-script-bytes']).toBe(String(Buffer.byteLength(script)));
      expect(h.headers['x-rowback-undo-script-bytes']).toBe(String(Buffer.byteLength(undo)));
      if (url.includes('/script/')) {
        expect(h.headers['content-type']).toBe('application/sql; charset=utf-8');
        expect(h.headers['content-length']).toBe(String(Buffer.byteLength(url.endsWith('undo') ? undo : script)));
      } else {
        expect(h.headers['content-type']).toBe('application/json; charset=utf-8');
        // not fastify's 0 for a payload of none: GET's answer is streamed, of no length said
        expect(h.headers['content-length']).toBeUndefined();
      }
    }
    expect((await t.app.inject({ method: 'HEAD', url: `/api/reinsert-runs/${runId + 9}/script`, headers: bearer(t.tokens.viewer) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'HEAD', url: `/api/reinsert-runs/${runId}/script` })).statusCode).toBe(401);
    t.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' AND seq = 1").run(runId);
    const bad = await t.app.inject({ method: 'HEAD', url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.viewer) });
    expect(bad.statusCode).toBe(500);
    expect(reads()).toBe(0);
  } finally {
    await t.close();
  }
});

it('?previewBytes: the first N bytes of each (whole lines), the rest not read; …/script/script and …/undo the whole text as a file', async () => {
  const t = await testApp();
  try {
    const { runId, script, undo, reads } = await runWithPieces(t);
    const p = await t.app.inject({ url: `/api/reinsert-runs/${runId}/script?previewBytes=65536`, headers: bearer(t.tokens.viewer) });
    expect(p.statusCode, p.body.slice(0, 300)).toBe(200);
    const j = p.json() as { script: string; undoScript: string; scriptBytes: number; undoScriptBytes: number; scriptCut: boolean; undoScriptCut: boolean };
    expect(Buffer.byteLength(j.script)).toBeLessThanOrEqual(65536);
    expect(Buffer.byteLength(j.script)).toBeGreaterThan(32768);
    expect(script.startsWith(j.script) && j.script.endsWith('\n')).toBe(true);
    expect(undo.startsWith(j.undoScript) && j.undoScript.endsWith('\n')).toBe(true);
    expect(j).toMatchObject({ scriptBytes: Buffer.byteLength(script), undoScriptBytes: Buffer.byteLength(undo), scriptCut: true, undoScriptCut: true });
    // the first piece of each, no more
    expect(reads()).toBe(2);
    // a preview as long as the text: whole, not cut
    const all = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script?previewBytes=${16 * 1024 * 1024}`, headers: bearer(t.tokens.viewer) })).json();
    expect(all.script === script && all.undoScript === undo && all.scriptCut === false && all.undoScriptCut === false).toBe(true);
    // the whole answer says the same sizes, cut false
    const whole = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.viewer) })).json();
    expect(whole.script === script && whole.undoScript === undo).toBe(true);
    expect(whole).toMatchObject({ scriptBytes: Buffer.byteLength(script), scriptCut: false, undoScriptCut: false });
    for (const [kind, text] of [['script', script], ['undo', undo]] as const) {
      const f = await t.app.inject({ url: `/api/reinsert-runs/${runId}/script/${kind}`, headers: bearer(t.tokens.operator) });
      expect(f.statusCode).toBe(200);
      expect(f.headers['content-type']).toBe('application/sql; charset=utf-8');
      expect(f.headers['content-disposition']).toBe(`attachment; filename="rowback-run-${runId}${kind === 'undo' ? '-undo' : ''}.sql"`);
      expect(f.body === text).toBe(true);
    }
    for (const q of ['previewBytes=0', 'previewBytes=16777217', 'previewBytes=1e3', 'preview=1']) {
      expect((await t.app.inject({ url: `/api/reinsert-runs/${runId}/script?${q}`, headers: bearer(t.tokens.viewer) })).statusCode, q).toBe(400);
    }
    expect((await t.app.inject({ url: `/api/reinsert-runs/${runId}/script/other`, headers: bearer(t.tokens.viewer) })).statusCode).toBe(400);
    // a real run's undo before it ends: none, said (404 naming it)
    t.store.db.prepare('UPDATE reinsert_runs SET undo_script = NULL, undo_pieces = NULL WHERE id = ?').run(runId);
    const none = await t.app.inject({ url: `/api/reinsert-runs/${runId}/script/undo`, headers: bearer(t.tokens.viewer) });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'STAGING_RUN_TEXT_NOT_FOUND' });
    const noUndo = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script?previewBytes=10`, headers: bearer(t.tokens.viewer) })).json();
    expect(noUndo).toMatchObject({ undoScript: null, undoScriptBytes: null, undoScriptCut: false });
  } finally {
    await t.close();
  }
});

it("a dry run's answer with previewBytes: its scripts cut, sizes and cut flags said; the file a reviewer downloads hides a live job's server and login", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'INCOMPLETE: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001';
  const { t, jobId } = await liveJobWithNotes(cs, [sentence]);
  try {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'looks right', all: true } });
    expect(d.statusCode, d.body).toBe(200);
    const whole = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } })).json();
    expect(whole.scriptCut).toBe(false);
    expect(whole.scriptBytes).toBeGreaterThan(2000);
    const cut = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, previewBytes: 2000 } });
    expect(cut.statusCode, cut.body.slice(0, 300)).toBe(200);
    const c = cut.json();
    expect(Buffer.byteLength(c.script)).toBeLessThanOrEqual(2000);
    expect(c.scriptCut).toBe(true);
    expect(cut.body).not.toContain('rowback_reader');
    expect(cut.body).not.toContain('prod-sql-07');
    // the same script's first line as the whole one's
    expect(c.script.split('\n')[0]).toBe(whole.script.split('\n')[0]);
    for (const who of ['viewer', 'reviewer'] as const) {
      const f = await t.app.inject({ url: `/api/reinsert-runs/${c.run.id}/script/script`, headers: bearer(t.tokens[who]) });
      expect(f.statusCode).toBe(200);
      expect(f.body).toContain('[login] could not read the log of crm on [server]');
      expect(f.body).not.toContain('rowback_reader');
      expect(f.body).not.toContain('prod-sql-07');
      // the size kept is of the text operators get: not said as this copy's length
      expect(f.headers['content-length']).toBeUndefined();
    }
    const op = await t.app.inject({ url: `/api/reinsert-runs/${c.run.id}/script/script`, headers: bearer(t.tokens.operator) });
    expect(op.body).toContain('rowback_reader could not read the log of crm on prod-sql-07');
    expect(op.headers['content-length']).toBe(String(Buffer.byteLength(op.body)));
    // previewBytes with a real run: refused (it answers no script)
    const real = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'x', previewBytes: 100 } });
    expect(real.statusCode).toBe(400);
    expect(real.json()).toMatchObject({ field: 'previewBytes' });
  } finally {
    await t.close();
  }
});

it('HEAD of an export or of the decision list: the headers GET sends, no row or decision read, no export audited', async () => {
  const t = await testApp();
  try {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
    expect(r.statusCode, r.body).toBe(201);
    const jobId = r.json().id as number;
    await t.app.worker.idle();
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'looks right', ids: [1, 2, 3] } });
    expect(d.statusCode, d.body).toBe(200);
    // every row an export's stream reads, counted
    let rows = 0;
    const store = t.app.staging as unknown as { iterateRows: (...a: unknown[]) => Iterable<unknown> };
    const own = store.iterateRows.bind(t.app.staging);
    store.iterateRows = function* (...a: unknown[]) { for (const x of own(...a)) { rows++; yield x; } };
    const audits = () => t.store.audit({ jobId, limit: 10_000 }).filter((a) => a.action === 'rows.export').length;
    for (const format of ['ndjson', 'csv']) {
      const url = `/api/jobs/${jobId}/export?format=${format}`;
      const before = audits();
      const h = await t.app.inject({ method: 'HEAD', url, headers: bearer(t.tokens.viewer) });
      expect(h.statusCode, h.body).toBe(200);
      // the old route read every row of the job for it (the stream read to its end)
      expect(rows, format).toBe(0);
      expect(audits()).toBe(before);
      const g = await t.app.inject({ url, headers: bearer(t.tokens.viewer) });
      expect(rows).toBeGreaterThan(0);
      rows = 0;
      for (const k of ['content-type', 'content-disposition', 'x-rowback-complete', 'x-rowback-warnings']) expect(h.headers[k], `${format} ${k}`).toBe(g.headers[k]);
    }
    const before = audits();
    const hs = await t.app.inject({ method: 'HEAD', url: `/api/jobs/${jobId}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(audits()).toBe(before);
    const gs = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(hs.statusCode).toBe(200);
    expect(hs.body).toBe('');
    for (const k of ['content-type', 'content-disposition', 'x-rowback-complete', 'x-rowback-not-scripted']) expect(hs.headers[k], k).toBe(gs.headers[k]);
    expect(audits()).toBe(before + 1);
    // the decision list streamed whole: HEAD reads none of it
    let decided = 0;
    const dec = t.app.staging as unknown as { decisionsPageJson: (...a: unknown[]) => unknown };
    const ownDec = dec.decisionsPageJson.bind(t.app.staging);
    dec.decisionsPageJson = (...a: unknown[]) => { decided++; return ownDec(...a); };
    const hd = await t.app.inject({ method: 'HEAD', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) });
    expect(hd.statusCode).toBe(200);
    expect(hd.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(decided).toBe(0);
    expect((await t.app.inject({ method: 'HEAD', url: '/api/jobs/999/decisions', headers: bearer(t.tokens.viewer) })).statusCode).toBe(404);
  } finally {
    await t.close();
  }
});
