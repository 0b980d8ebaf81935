import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A deleted row whose image does not decode is a skipped item, not a row: the result lacks it, as it
 * lacks rows of log that could not be read. A newcomer's scan of AngularJs_CRUD's log with a DDL that
 * declares tblDept's varchar columns nvarchar, to 2018-08-29T15:00 (3 deletes), printed 2 rows and
 * "1 item(s) skipped: DECODE_BAD_VALUE", with exit 0 under --strict, nothing at all with --quiet,
 * `"complete": true` in --report, and an API job `complete: true`.
 */
describeCorpus('rows that did not decode make the result INCOMPLETE', () => {
  const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  let dir: string;
  let ddl: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-undecoded-'));
    ddl = join(dir, 'dept-nvarchar.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id INT IDENTITY PRIMARY KEY, DeptName NVARCHAR(50), DeptDesc NVARCHAR(100))\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = captureCli();
  const args = () => ['scan', '--ldf', A('Database1_log.ldf'), '--ddl', ddl, '--alloc-unit', '72057594043629568', '--to', '2018-08-29T15:00'];
  const LINE = 'rowback scan: INCOMPLETE: 1 row operation(s) of dbo.tblDept could not be decoded into rows (DECODE_BAD_VALUE ×1): those rows are not printed; each is a skipped item with its LSN, reason and row image';

  it('scan --strict --quiet: the INCOMPLETE line, exit 3, "complete": false', async () => {
    const report = join(dir, 'r.json');
    const r = await cli(...args(), '--strict', '--quiet', '--report', report);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`${LINE} (in --report, and in the summary without --quiet)\n`);
    expect(r.code).toBe(3);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(false);
    expect(rep.skipped.filter((s: { code: string }) => s.code === 'DECODE_BAD_VALUE')).toHaveLength(1);
  });

  it('without --strict: exit 0, the line after the summary', async () => {
    const r = await cli(...args());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${LINE} (above, also in --report)\n`);
  });

  it('a job of the same: complete false, the INCOMPLETE note', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', ldf: A('Database1_log.ldf'), to: '2018-08-29T15:00', metadata: { ddl: readFileSync(ddl, 'utf8'), allocUnit: '72057594043629568' } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.state).toBe('succeeded');
      expect(done.rowsStaged).toBe(2);
      expect(done.incomplete).toEqual(["INCOMPLETE: 1 row operation(s) of dbo.tblDept could not be decoded into rows (DECODE_BAD_VALUE ×1): those rows are not staged; each is a skipped item with its LSN, reason and row image (among the job's skipped items)"]);
    } finally {
      store.close();
    }
  });
});
