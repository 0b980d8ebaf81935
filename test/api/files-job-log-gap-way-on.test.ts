import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job whose log has a chain gap (newcomer B's find): `rowback scan` over the same files says
 * what to add (`add the log backups taken between them with --trn, or the .ldf with --ldf`) and that
 * its "why no rows" counts the log read only; the job said neither. Its INCOMPLETE sentence named the
 * stretch and no way on, and its note read "why no rows: … it holds no deletes on table data rows",
 * a verdict on log it had not read. REAL files: appveyor-lab RestoreTimeClean (the full backup's log
 * ends at 19:84:1, the differential's begins at 19:ad:1; _2.trn, 19:99:1 up to 19:a3:1, left out).
 */
describeCorpus('a files job with log in no file given: the way on and what "why no rows" counts, as scan says them', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
  const run = async (spec: Record<string, unknown>) => {
    t ??= await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: spec });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    const notes = t.store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    return { job, notes };
  };

  it('full and differential backups alone: the INCOMPLETE sentence names the log backups (trn) or the .ldf (ldf) to add, and "why no rows" says it counts the log read only', async () => {
    const { job, notes } = await run({ kind: 'files', bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')] });
    expect([job.state, job.rowsStaged, job.complete]).toEqual(['succeeded', 0, false]);
    expect(job.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\).*see its skipped items\): the log between the backups given in bak is in none of them \(a full or differential backup holds only the log written while it ran\); add the log backups taken between them to the job \(trn\), or the \.ldf \(ldf\)$/)]);
    const why = notes.filter((n) => n.startsWith('why no rows: '));
    expect(why).toEqual([expect.stringMatching(/it holds no deletes on table data rows.*; that is of the log read only: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\), and what those parts held is not known \(INCOMPLETE below\)$/)]);
    // its skipped item, which the sentence sends the reader to, names the job's fields too (it said --trn, --ldf)
    const skipped = (await t!.app.inject({ url: `/api/jobs/${job.id}/skipped`, headers: bearer(t!.tokens.viewer) })).json().items;
    expect(skipped.map((s: { code: string; reason: string }) => [s.code, s.reason])).toEqual([['FORMAT_LOG_CHAIN_GAP', expect.stringMatching(/the log between them is in no file given \(give the log backups taken between them with "trn", or the \.ldf with "ldf"\)$/)]]);
  });

  it('a differential and log backups beginning after the full backup ends: the note says to add them in the job\'s field', async () => {
    const { notes } = await run({ kind: 'files', bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], trn: [RTC('RestoreTimeClean2_1.trn')] });
    expect(notes.filter((n) => n.includes('is in no file given: a differential backup holds'))).toEqual([expect.stringMatching(/; add the log backups taken between them with "trn" to see them$/)]);
    expect(notes.join('\n')).not.toMatch(/--trn|--ldf/);
  });

  it('a log backup left out of the chain: the INCOMPLETE sentence says to add the missing log backups to the job (trn)', async () => {
    const { job } = await run({ kind: 'files', bak: [RTC('RestoreTimeClean.bak')], trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_3.trn')] });
    expect(job.complete).toBe(false);
    expect(job.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\).*: add the missing log backups to the job \(trn\) \(the FORMAT_LOG_CHAIN_GAP skipped item names the files and LSNs on each side\)$/)]);
  });
});
