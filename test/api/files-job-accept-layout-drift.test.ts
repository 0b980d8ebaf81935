/**
 * A files job given today's table (a column added after the delete) as metadata.ddl: the layout
 * check holds the rows back (RECOVER_LAYOUT_MISMATCH: the rows have fewer columns than the layout),
 * and its reason said `rerun with --accept-layout-drift` (and `Check --alloc-unit …, --schema/--ddl`),
 * scan's flags, which a job could not take: the job had no way to stage those rows. A job now takes
 * `acceptLayoutDrift: true`, as `rowback scan --accept-layout-drift`, and the reason names it.
 *
 * Real bytes: AngularJs_CRUD's Database1_log.ldf (13 deleted rows of dbo.tblDept, allocation unit
 * 72057594043629568, Id int identity, DeptName varchar(150), DeptDesc varchar(500)); the DDL is the
 * table with two columns added after those deletes (ALTER TABLE … ADD), written for this test.
 */
import { expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp } from './helpers.js';

const TODAY = [
  'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);',
  "ALTER TABLE [dbo].[tblDept] ADD [Region] NVARCHAR(20) NOT NULL CONSTRAINT DF_Region DEFAULT N'EU';",
  'ALTER TABLE [dbo].[tblDept] ADD [Code] INT NULL;',
].join('\n');

describeCorpus('a files job over rows older than a column added since: acceptLayoutDrift', () => {
  it('held back with a reason naming the job\'s field; staged with acceptLayoutDrift: true, each row saying it predates the columns', async () => {
    const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    try {
      const spec = { kind: 'files', ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), metadata: { ddl: TODAY, allocUnit: '72057594043629568' } };
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: spec });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const held = t.store.requireJob(r.json().id);
      expect(held.state).toBe('succeeded');
      expect(held.rowsStaged).toBe(0);
      const mismatch = t.store.skippedItems(held.id).find((s) => s.code === 'RECOVER_LAYOUT_MISMATCH')!;
      expect(mismatch.reason).toContain('if the layout is right and the table only gained columns after these rows were written, rerun with acceptLayoutDrift: true in a new job');
      expect(mismatch.reason).toContain('Check metadata.allocUnit(s), the catalog\'s database and the table\'s ALTER history (metadata.ddl or metadata.catalog of the layout at the time)');
      expect(mismatch.reason).not.toMatch(/--accept-layout-drift|--alloc-unit|--schema|--ddl/);

      const r2 = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { ...spec, acceptLayoutDrift: true } });
      expect(r2.statusCode, r2.body).toBe(201);
      await t.app.worker.idle();
      const staged = t.store.requireJob(r2.json().id);
      expect(staged.state).toBe('succeeded');
      expect(staged.rowsStaged).toBe(13);
      const rows = [...t.store.iterateRows(staged.id, {})];
      expect(rows.find((x) => x.values.Id === 6 && x.values.DeptDesc === 'Computer Science')?.values).toEqual({ Id: 6, DeptName: 'CS', DeptDesc: 'Computer Science', Region: 'EU', Code: null });
      expect(rows.every((x) => x.warnings.some((w) => w.includes('row predates the column')))).toBe(true);
      expect(t.store.skippedItems(staged.id).filter((s) => s.code === 'RECOVER_LAYOUT_MISMATCH')).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
