import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { employee } from '../support/employee-catalog.js';

/**
 * A job with a window (`from`/`to`) and a transaction whose LOP_BEGIN_XACT is not in the log read:
 * its rows are not staged and the job says so as INCOMPLETE (its `incomplete` list and notes), as
 * `scan` does (test/cli/scan-window-begin-unread.test.ts). Before: not staged, the job "complete",
 * its "why no rows" saying they began outside the window.
 *
 * The records are REAL: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints them; the
 * LOP_BEGIN_XACT of transaction 0000:00000437 (one dbo.Employee delete, committed 2018/08/28
 * 18:37:18:200) is dropped, and the export file around them is SYNTHETIC (written in a temp dir).
 */

const cli = captureCli();

describeCorpus('an export job with a window, and a transaction whose begin is not in the log read (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-job-begin-unread-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });

  it('its row is not staged, and the job is INCOMPLETE saying why and when it committed', async () => {
    const records = (await angularJsExportRecords(cli)).filter((r) => !(r['Transaction ID'] === '0000:00000437' && r.Operation === 'LOP_BEGIN_XACT'));
    const file = join(dir, 'no-begin.json');
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: employee(), records }));
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'export', file, from: '2018-08-28', to: '2018-08-28T23:59:59' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state).toBe('succeeded');
    expect(job.rowsStaged).toBe(0);
    expect(job.incomplete?.join('\n')).toContain("INCOMPLETE: 1 committed delete(s) of 1 transaction(s) whose LOP_BEGIN_XACT is not in the log read (they began before it, or in log that could not be read; it committed at 2018-08-28T18:37:18.200, the SQL Server's local time) are not staged");
    expect(job.incomplete?.join('\n')).toContain('a job without from/to stages them');
  });
});
