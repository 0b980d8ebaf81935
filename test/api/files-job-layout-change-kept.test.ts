/**
 * A files job's rows logged after an ALTER its data file's catalog predates are SOURCE_SCHEMA_DRIFT
 * skipped items carrying `layoutChange` (the change they were logged after: recover/layout-changes.ts),
 * from which the worker, in memory, writes the job's INCOMPLETE sentence naming the change and the
 * way on. The staging file did not keep it: the job's skipped items read back after the worker ended
 * (GET /api/jobs/:id/skipped, the review page) had none, and the same sentence made from them named
 * neither. Migration 17 keeps it (skipped_items.layout_change).
 *
 * The catalog is AngularJs_CRUD's real Database1.mdf; the log is a SYNTHETIC .ldf whose transaction
 * 12 re-keys dbo.tblDept's sys.sysrscols rows as an ALTER COLUMN does (test/support/alter-ldf.ts).
 */
import { expect, it } from 'vitest';
import { JOB_LAYOUT_CHANGE_WAY_ON } from '../../src/worker/worker.js';
import { sourceRowsClause } from '../../src/recover/incomplete-verdict.js';
import { skippedLines } from '../../src/cli/skipped-lines.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { describeCorpus } from '../support/corpus.js';
import { bearer, driftFilesJob } from './helpers.js';

describeCorpus("a files job's skipped items keep the change of their table's columns", () => {
  it('Database1.mdf beside a SYNTHETIC .ldf altering dbo.tblDept: read back after the job, its items name the change and make the INCOMPLETE sentence the worker wrote', async () => {
    const { t, id, job, close } = await driftFilesJob('rowback-drift-kept-');
    try {
      // the sentence the worker wrote from the items in memory, naming the change (its LSN and transaction)
      const said = job.incomplete!.find((s) => s.includes("dbo.tblDept's columns were changed at LSN"));
      expect(said, job.incomplete!.join('\n')).toBeDefined();
      const lsn = /columns were changed at LSN (\S+) \(transaction (\S+?)[,)]/.exec(said!)!;
      // the items as the API answers them, read from the staging file after the job ended
      const page = await t.app.inject({ url: `/api/jobs/${id}/skipped`, headers: bearer(t.tokens.viewer) });
      expect(page.statusCode).toBe(200);
      const items = (page.json() as { items: (SkippedItem & { id: number; raw: string | null })[] }).items;
      const drift = items.filter((s) => s.code === 'SOURCE_SCHEMA_DRIFT');
      expect(drift.length).toBeGreaterThan(1);
      for (const s of drift) expect(s.layoutChange).toEqual({ lsn: lsn[1], transactionId: lsn[2], endTime: expect.any(String) });
      // the same sentence made from them as the worker made it from the items in memory
      const read = items.map(({ id: _id, raw, ...s }) => ({ ...s, ...(raw !== null ? { raw } : {}) }));
      expect(`INCOMPLETE: ${sourceRowsClause(read, "among the job's skipped items", 'staged', JOB_LAYOUT_CHANGE_WAY_ON)}`).toBe(said);
      // and their lines (cli/skipped-lines.ts): the rows logged after the change are one line
      const lines = skippedLines(read.filter((s) => s.code === 'SOURCE_SCHEMA_DRIFT'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`; and ${drift.length - 1} more row(s) of dbo.tblDept logged after that change`);
    } finally {
      await close();
    }
  });
});
