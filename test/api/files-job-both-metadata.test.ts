/**
 * A files job naming both `mdf` and `bak`: `rowback scan` refuses --mdf with --bak ("give the table
 * metadata from --mdf or from --bak, not both"); the job source read its metadata from `mdf` alone and
 * dropped `bak` without a word (recover/sources/files.ts: `mdfs.length ? openDataFiles(mdfs) : …`).
 * Refused at creation now, naming the field, before the files are opened. (The corpus has no
 * database with both a data file and a backup, so the pair here is of two databases, which was
 * refused too, as INPUT_MIXED_DATABASES: the refusal now says what is wrong with the request first.)
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('a files job with both mdf and bak', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ validateJob: validateJobSpec, fileRoots: [CORPUS_DIR] });
  });
  afterEach(async () => t.close());
  const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload });
  const jobsCount = () => (t.store.db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;
  const d = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);

  it('is refused (400, field bak), as scan refuses --mdf with --bak', async () => {
    const before = jobsCount();
    const r = await post({ kind: 'files', mdf: corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), bak: d('RestoreTimeClean.bak'), ldf: corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf') });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_BAD_OPTION', field: 'bak', message: 'give the table metadata in "mdf" or in "bak", not both' });
    expect(jobsCount()).toBe(before);
  });

  it('bak alone is still taken', async () => {
    const r = await post({ kind: 'files', bak: d('RestoreTimeClean.bak'), trn: [d('RestoreTimeClean_1.trn')] });
    expect(r.statusCode, r.body).toBe(201);
  });
});
