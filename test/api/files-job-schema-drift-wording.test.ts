/**
 * A files job whose log holds rows logged after an ALTER its data file's catalog predates: its
 * SOURCE_SCHEMA_DRIFT skipped items, shown on the review page under "Skipped items", said what to do
 * in `rowback scan`'s flags, `(--mdf/--bak), or --schema/--ddl`, which a job has no way to take; they
 * now name the job's fields, as its INCOMPLETE sentence does (`mdf`, `bak`, `metadata`).
 *
 * The catalog is AngularJs_CRUD's real Database1.mdf; the log is a SYNTHETIC .ldf whose transaction
 * 12 re-keys dbo.tblDept's sys.sysrscols rows as an ALTER COLUMN does (as
 * test/cli/scan-alter-after-catalog.test.ts builds it).
 */
import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { driftFilesJob } from './helpers.js';

describeCorpus('a files job\'s SOURCE_SCHEMA_DRIFT skipped items name the job\'s fields', () => {
  it('Database1.mdf beside a SYNTHETIC .ldf holding an ALTER of dbo.tblDept: mdf/bak/metadata, not --mdf/--bak/--schema/--ddl', async () => {
    const { t, id, job, close } = await driftFilesJob('rowback-drift-job-');
    try {
      expect(job.complete).toBe(false);
      const items = t.store.skippedItems(id).filter((s) => s.code === 'SOURCE_SCHEMA_DRIFT');
      expect(items.length).toBeGreaterThan(0);
      for (const s of items) {
        expect(s.reason).toContain('a data file or full backup taken after LSN ');
        expect(s.reason).toContain('("mdf" or "bak"), or "metadata" (catalog or ddl) with the table as it was then');
        expect(s.reason).not.toMatch(/--mdf|--bak|--schema|--ddl/);
      }
      // the job's INCOMPLETE sentence says the way on in its fields too
      expect(job.incomplete!.join('\n')).toContain("dbo.tblDept's columns were changed at LSN 00000028:");
      expect(job.incomplete!.join('\n')).toContain('(mdf, bak), or the table\'s layout after it (metadata.catalog, metadata.ddl)');
      expect(job.incomplete!.join('\n')).not.toMatch(/--mdf|--schema/);
    } finally {
      await close();
    }
  });
});
