/**
 * A restore job whose side is given differential backups alone (the full backup they layer on left
 * out: `afterBak: [RestoreTimeClean2.bak]`) was accepted (201) and failed when it ran, its error naming
 * no field; a log backup in `bak` is refused at creation naming the field. Now so is this: 400
 * INPUT_DIFFERENTIAL_WITHOUT_FULL naming `afterBak.0` / `bak.0`, saying to give the full backup first.
 * Real files: RestoreTimeClean.
 */
import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs: a side of differential backups alone is refused at creation, naming the field', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('afterBak [DIFF] (its full backup not given): 400 INPUT_DIFFERENTIAL_WITHOUT_FULL naming afterBak.0; bak [DIFF] likewise; with the full first, taken', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: { kind: 'restore', tables: ['dbo.steps', 'dbo.table1'], ...payload } });
    const after = await post({ bak: [RTC('RestoreTimeClean.bak')], afterBak: [RTC('RestoreTimeClean2.bak')] });
    expect([after.statusCode, after.json().code, after.json().field], after.body).toEqual([400, 'INPUT_DIFFERENTIAL_WITHOUT_FULL', 'afterBak.0']);
    expect(after.json().message).toContain('give that full backup first: "afterBak": ["FULL.bak", ');
    const before = await post({ bak: [RTC('RestoreTimeClean2.bak')], afterBak: [RTC('RestoreTimeClean.bak')] });
    expect([before.statusCode, before.json().code, before.json().field], before.body).toEqual([400, 'INPUT_DIFFERENTIAL_WITHOUT_FULL', 'bak.0']);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
    const ok = await post({ bak: [RTC('RestoreTimeClean.bak')], afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')] });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
