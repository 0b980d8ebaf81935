import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job of a SQL Server 2005 database (REAL: Tractis_aspnet_demo aspnetdb.mdf, dbi_version
 * 611, and aspnetdb_log.ldf, log format version 2): refused at creation FORMAT_UNSUPPORTED_LOG_VERSION
 * "… is read when its data file … is given with --mdf/--bak", with its data file given in `mdf`
 * (the check read the .ldf alone), while `rowback scan --mdf … --ldf …` reads it (newcomer).
 */
describeCorpus('a files job of a SQL Server 2005 database', () => {
  const d = (f: string) => corpusPath('Tractis_aspnet_demo', 'App_Data', f);
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const post = (payload: unknown) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: payload as Record<string, unknown> });

  it('with its data file in mdf: accepted, and stages the rows scan prints (3 of delete/insert/update)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', mdf: d('aspnetdb.mdf'), ldf: d('aspnetdb_log.ldf'), operations: ['delete', 'insert', 'update'] });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id)).toMatchObject({ state: 'succeeded', rowsStaged: 3 });
  });

  it('the log alone: refused naming the job\'s fields (mdf or bak), not the CLI\'s flags', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', ldf: d('aspnetdb_log.ldf') });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'FORMAT_UNSUPPORTED_LOG_VERSION', 'ldf']);
    expect(r.json().message).toContain('given in mdf or bak');
    expect(r.json().message).not.toContain('--mdf');
  });
});
