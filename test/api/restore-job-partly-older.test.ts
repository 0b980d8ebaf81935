import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { backupAsDataFile, ghostRowInDataFile } from '../support/backup-as-data-file.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A restore job (API) whose later data file is older than part of the replayed earlier state,
 * compared as asked (`acceptOlderLater`): only the rows whose records the file has not seen are
 * staged as inserts; a row it has seen and lacks is staged as a delete, and the job's operations
 * say both. Before, the job staged every missing row as an insert ("never re-insert them"),
 * the deleted one included. The data file: RestoreTimeClean's full + differential backups laid out
 * as RESTORE writes them, with step 0 (12:59, before the file's checkpoint) deleted as the file would hold
 * it: a ghost record, its partition's row count one less (ghostRowInDataFile: a test-time change of SQL Server's own page standing for a delete).
 */
describeCorpus('restore job: a later data file older than part of the earlier state (API)', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let dir: string;
  let mdf: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-partly-older-'));
    backupAsDataFile([FULL, DIFF], join(dir, 'as-of-diff.mdf'));
    mdf = join(dir, 'one-deleted.mdf');
    ghostRowInDataFile(join(dir, 'as-of-diff.mdf'), mdf, 0x99, 0);
  });
  afterEach(async () => { await t?.close(); t = undefined; });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stages the 12 rows added after the file as inserts and the row it lacks as a delete', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
    const spec = { kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterMdf: [mdf], table: 'dbo.steps' };
    const refused = await post(spec);
    await t.app.worker.idle();
    expect(t.store.requireJob(refused.json().id)).toMatchObject({ state: 'failed', rowsStaged: 0, error: { code: 'INPUT_BAD_WINDOW' } });
    const r = await post({ ...spec, acceptOlderLater: true });
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect([job.state, job.rowsStaged, job.operations]).toEqual(['succeeded', 13, ['delete', 'insert', 'update']]);
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ operation: string; values: { step: number }; warnings: string[] }>;
    expect(rows.filter((x) => x.operation === 'delete').map((x) => x.values)).toEqual([{ step: 0, dt: '2017-06-01T12:59:12.9700000' }]);
    const inserts = rows.filter((x) => x.operation === 'insert');
    expect(inserts.map((x) => x.values.step).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    // in the job's words (acceptOlderLater: true, not the CLI's option)
    expect(inserts.every((x) => /^missing from the later state, which has not seen the log record \(LSN [0-9a-f:]+\) that wrote it \(compared as asked, acceptOlderLater: true\): added after the later state, not deleted$/.test(x.warnings[0]!))).toBe(true);
    expect(rows.find((x) => x.operation === 'delete')!.warnings[0]).toBe('missing from the later state (rowback diff)');
  });
});
