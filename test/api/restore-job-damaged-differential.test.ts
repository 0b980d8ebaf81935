/**
 * A restore job made through the API whose earlier state's differential fails its page checks: the
 * replay leaves it out and replays from the full backup and the log backups (as `dump` and `diff`
 * do), and the job says so in its notes, as a `diff --stage` job does. REAL files (RestoreTimeClean);
 * the damage is SYNTHETIC: 40 bytes in the middle of a copy of the differential (its page 1:48, a
 * catalog page, then fails its checksum). The worker built its notes without the comparison's notes
 * and INCOMPLETE sentences (the CLI-staged job has both): the job succeeded with no word that the
 * differential given was damaged and left out.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore job over a damaged differential (API)', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('the differential is left out and the job\'s notes say so (they said nothing of it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-api-diff-damaged-'));
    const damaged = join(dir, 'RestoreTimeClean2_damaged.bak');
    const b = Buffer.from(readFileSync(DIFF));
    const at = Math.floor(b.length / 2);
    for (let i = 0; i < 40; i++) b[at + i] = (i * 37 + 11) & 0xff;
    writeFileSync(damaged, b);
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [FULL, damaged], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps', acceptOlderLater: true } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.rowsStaged).toBe(12);
    const notes = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')!.details.notes as string[];
    expect(notes.some((n) => /^earlier state: chain: full .*RestoreTimeClean\.bak → log /.test(n))).toBe(true);
    expect(notes.some((n) => n.includes(`the differential backup ${damaged}: page(s) 1:48 failed their checks`) && /left out; replayed from \S+RestoreTimeClean\.bak and the log backups after it instead/.test(n))).toBe(true);
    // each row's note names the files its earlier state was read from: the chain replayed, not the
    // differential left out (it listed every file given, the damaged differential among them)
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as { warnings: string[] }[];
    const earlier = rows.map((x) => x.warnings.find((w) => w.startsWith('earlier state: '))!);
    expect(earlier.every((w) => w.startsWith(`earlier state: ${FULL}, ${LOGS[0]}`) && !w.includes(damaged))).toBe(true);
  });
});
