import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job of a full backup, a differential and log backups (`bak: [FULL, DIFF]`, `trn`): the
 * log between the full backup's end and the first log backup given, which the differential's pages
 * do not replace, is in no file given. The job said it as a note and was `complete`; it is now
 * INCOMPLETE when its window may reach that stretch (as `scan` says it; recover/log-not-given.ts),
 * and keeps the note when its window starts after the stretch's end. REAL files: appveyor-lab
 * RestoreTimeClean (full log to 19:84:1; RestoreTimeClean2_1.trn from 19:ad:1, its first
 * transaction begun 2017-06-01 13:14:13, the backup started 13:19:13).
 */
describeCorpus('a files job whose full backup and first log backup have log between them in no file given (real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('INCOMPLETE without a window; the note alone with a window after the stretch', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const spec = { kind: 'files', bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], trn: [RTC('RestoreTimeClean2_1.trn')], operations: ['insert'] };
    const said = `the log from the end of ${RTC('RestoreTimeClean.bak')} (LSN 00000019:00000084:0001) to the first log backup given, ${RTC('RestoreTimeClean2_1.trn')} (starts at 00000019:000000ad:0001), is in no file given`;
    const whole = await post(spec);
    expect(whole.statusCode, whole.body).toBe(201);
    await t.app.worker.idle();
    expect(notesOf(whole.json().id).filter((n) => n.includes(said))).toEqual([expect.stringMatching(/^INCOMPLETE: the log from the end of /)]);
    expect(t.store.requireJob(whole.json().id)).toMatchObject({ state: 'succeeded', complete: false, incomplete: [expect.stringContaining(said)] });
    const after = await post({ ...spec, from: '2017-06-01T13:16:00', to: '2017-06-01T13:18:00' });
    expect(after.statusCode, after.body).toBe(201);
    await t.app.worker.idle();
    expect(notesOf(after.json().id).filter((n) => n.includes(said))).toEqual([expect.stringMatching(/^the log from the end of /)]);
    expect(t.store.requireJob(after.json().id)).toMatchObject({ state: 'succeeded', complete: true, incomplete: [] });
  });

  // A log backup missing from the chain (FORMAT_LOG_CHAIN_GAP: _2.trn, 19:99:1 up to 19:a3:1) was
  // INCOMPLETE whatever the job's window; a window wholly outside it (before _1.trn's backup began
  // at 13:04:13, or after _3.trn's first transaction, begun 13:09:13.077) is whole: a note, as scan says it
  it('a log backup missing from the chain: INCOMPLETE for a window reaching it, a note for one wholly outside', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const spec = { kind: 'files', bak: [RTC('RestoreTimeClean.bak')], trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_3.trn')], operations: ['insert'] };
    const gap = 'LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given';
    for (const [window, complete] of [[{}, false], [{ to: '2017-06-01T13:04:13' }, false], [{ to: '2017-06-01T13:04:12.997' }, true], [{ from: '2017-06-01T13:09:13.080' }, true], [{ from: '2017-06-01T13:10:00', to: '2017-06-01T13:12:00' }, true]] as const) {
      const r = await post({ ...spec, ...window });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const said = notesOf(r.json().id).filter((n) => n.includes(gap));
      expect(said, JSON.stringify(window)).toEqual([complete ? expect.stringMatching(/^parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\) .*, and the job's window lies wholly outside that stretch/) : expect.stringMatching(/^INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\)/)]);
      expect(t.store.requireJob(r.json().id), JSON.stringify(window)).toMatchObject({ state: 'succeeded', complete });
    }
  });

  // one stretch said once (scan-log-not-given-once.test.ts): a window starting inside the stretch
  // before the log read was also said to start 'before the log read begins'; one starting before the
  // full backup ended reaches log the stretch does not hold: both
  it('the stretch before the log read, the window starting inside it: one INCOMPLETE, as scan says it', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const spec = { kind: 'files', bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], trn: [RTC('RestoreTimeClean2_1.trn')], operations: ['insert'] };
    const inside = await post({ ...spec, from: '2017-06-01T13:14:13' });
    expect(inside.statusCode, inside.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(inside.json().id).incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: the log from the end of /)]);
    const earlier = await post({ ...spec, from: '2017-06-01T12:59:12' });
    expect(earlier.statusCode, earlier.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(earlier.json().id).incomplete).toEqual(expect.arrayContaining([expect.stringMatching(/^INCOMPLETE: the log from the end of /), expect.stringMatching(/^INCOMPLETE: the window starts at 2017-06-01T12:59:12\.000, before the log read begins/)]));
  });

  // as scan says it (scan-chain-gap-outside-window.test.ts, scan-window-before-log-start.test.ts): a
  // window with no start wholly before the log read, which begins right after a log backup left out
  // (StopAt_1.trn; StopAt_2.trn's first transaction 13:29:34.530, within a minute of the creation)
  it('a window wholly before a log read that begins after a gap: INCOMPLETE, the gap itself a note', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const S = (f: string) => corpusPath('appveyor-lab/sql2008-backups/StopAt', f);
    const r = await post({ kind: 'files', bak: [S('StopAt.bak')], trn: [S('StopAt_2.trn')], operations: ['insert'], to: '2020-05-12T13:28:43' });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id)).toMatchObject({ state: 'succeeded', complete: false, incomplete: [expect.stringMatching(/^INCOMPLETE: the whole window \(to 2020-05-12T13:28:43\.999\) is before the log read begins: its first transaction began at 2020-05-12T13:29:34\.530 /)] });
    expect(notesOf(r.json().id).filter((n) => n.includes('FORMAT_LOG_CHAIN_GAP'))).toEqual([expect.stringMatching(/^parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\) .*, and the job's window lies wholly outside that stretch .*: no row it asks for can be there/)]);
  });
});
