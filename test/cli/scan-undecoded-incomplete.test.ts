import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

/**
 * A deleted row whose image does not decode is a skipped item, not a row: the result lacks it, as it
 * lacks rows of log that could not be read. A newcomer's scan printed 2 of 3 deleted rows and "1
 * item(s) skipped: DECODE_BAD_VALUE", with exit 0 under --strict, nothing at all with --quiet,
 * `"complete": true` in --report, and an API job `complete: true`.
 */
const AU = CONTACT_AU;
const DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n';
const LINE = /INCOMPLETE: (\d+) row operation\(s\) of dbo\.Contact could not be decoded into rows \(DECODE_TRUNCATED ×\1\): those rows are not/;
const cli = captureCli();

describe('rows that did not decode make the result INCOMPLETE (SYNTHETIC log: one delete row image in 40 cut short)', () => {
  let dir: string;
  let ldf: string;
  let ddl: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-undecoded-'));
    ldf = join(dir, 'contact_log.ldf');
    ddl = join(dir, 'contact.sql');
    writeFileSync(ddl, DDL);
    // contactRow is distinct per (transaction, row): the insert each transaction also makes (r = 1000)
    // is another row, so no delete is paired with it; every 40th delete's image is cut short
    writeSyntheticLdf(ldf, { targetBytes: 1024 * 1024, row: (t, r) => (r !== 1000 && t % 40 === 20 ? contactRow(t, r).subarray(0, 6) : contactRow(t, r)), rowsPerTxn: () => 1, concurrency: 1, rollbackShare: 0 }, { allocUnitId: AU, vlfSize: 256 * 1024 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scan = (...extra: string[]) => cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, ...extra);

  it('scan --strict --quiet: the INCOMPLETE line, exit 3, "complete": false; without --strict exit 0', async () => {
    const report = join(dir, 'r.json');
    const r = await scan('--strict', '--quiet', '--report', report);
    expect(r.stderr).toMatch(new RegExp(`rowback scan: ${LINE.source} printed; each is a skipped item with its LSN, reason and row image \\(in --report, and in the summary without --quiet\\)\n`));
    expect(r.code).toBe(3);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(false);
    expect(rep.skipped.filter((s: { code: string }) => s.code === 'DECODE_TRUNCATED').length).toBeGreaterThan(0);
    const plain = await scan();
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(new RegExp(`rowback scan: ${LINE.source} printed; each is a skipped item with its LSN, reason and row image \\(above, also in --report\\)\n`));
  });

  it('a job of the same: complete false, the INCOMPLETE note', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', ldf, metadata: { ddl: DDL, allocUnit: AU } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.state).toBe('succeeded');
      expect(done.incomplete).toHaveLength(1);
      expect(done.incomplete![0]).toMatch(new RegExp(`^${LINE.source} staged; each is a skipped item with its LSN, reason and row image \\(among the job's skipped items\\)$`));
    } finally {
      store.close();
    }
  });
});

// The newcomer's own case, real bytes: AngularJs_CRUD's log read with a DDL declaring tblDept's varchar
// columns NVARCHAR. The even-length values printed as CJK text ("Computer Science" → "潃灭瑵牥匠楣湥散")
// with no warning, so 2 of the 3 rows of the window printed as if right. Now each such value carries
// a warning naming its one-byte reading, the layout check counts it, and the table is held back.
describeCorpus('varchar bytes read through an nvarchar layout', () => {
  const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  let dir: string;
  let ddl: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-nvarchar-'));
    ddl = join(dir, 'dept-nvarchar.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id INT IDENTITY PRIMARY KEY, DeptName NVARCHAR(50), DeptDesc NVARCHAR(100))\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decode: the warning names the one-byte reading', async () => {
    const r = await cli('decode', '--ddl', ddl, '--hex', '30000800060000000300000200130023004353436F6D707574657220536369656E6365');
    const row = JSON.parse(r.stdout);
    expect(row.values.DeptDesc).toBe('潃灭瑵牥匠楣湥散');
    expect(row.warnings).toEqual(['column DeptDesc (nvarchar(100)) holds 8 characters each of which is two one-byte text characters (read one byte each: "Computer Science"): that is how varchar text reads when taken as nvarchar (UTF-16); the column may be varchar in the table (check the layout)']);
  });

  it('scan of the window: nothing printed as if right; the table held back, INCOMPLETE, exit 3 under --strict', async () => {
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--ddl', ddl, '--alloc-unit', '72057594043629568', '--to', '2018-08-29T15:00', '--strict', '--quiet');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rowback scan: INCOMPLETE: the rows of dbo.tblDept were decoded but not printed: the table layout does not fit them');
    expect(r.code).toBe(3);
  });
});
