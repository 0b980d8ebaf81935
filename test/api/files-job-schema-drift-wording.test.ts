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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { SYSRSCOLS_ALLOC_UNIT } from '../../src/recover/layout-changes.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { encodeRow } from '../support/synthetic-encoder.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { bearer, testApp } from './helpers.js';

describeCorpus('a files job\'s SOURCE_SCHEMA_DRIFT skipped items name the job\'s fields', () => {
  it('Database1.mdf beside a SYNTHETIC .ldf holding an ALTER of dbo.tblDept: mdf/bak/metadata, not --mdf/--bak/--schema/--ddl', async () => {
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const tblDept = readDataFileMetadata(openDataFiles([mdf])).partitionLayouts.find((t) => t.name === 'tblDept')!;
    const dir = mkdtempSync(join(tmpdir(), 'rowback-drift-job-'));
    const ldf = join(dir, 'alter_log.ldf');
    const rscols = (colid: number, tail: number) => {
      const b = Buffer.alloc(24);
      b.writeUInt16LE(0x0010, 0);
      b.writeUInt16LE(0x3a, 2);
      b.writeBigUInt64LE(BigInt(tblDept.partitionId!), 4);
      b.writeUInt32LE(colid, 12);
      b[20] = tail;
      return new Uint8Array(b);
    };
    const au = tblDept.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
    const values = (t: number, r: number) => Object.fromEntries(tblDept.columns.filter((c) => !c.isDropped).map((c) => [c.name, c.type === 'int' ? t * 100 + r : `d${t}.${r}`]));
    writeSyntheticLdf(ldf, {
      targetBytes: 256 * 1024,
      row: (t, r) => encodeRow(tblDept, values(t, r)),
      rowsPerTxn: () => 1,
      rollbackShare: 0,
      concurrency: 1,
      finishAtEnd: true,
      transactionName: (t) => (t === 12 ? 'user_transaction' : 'DELETE'),
      catalogRecords: (t) => (t === 12 ? [{ insert: false, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(2, 0) }, { insert: true, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(0x04000001, 0) }, { insert: true, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(2, 4) }] : undefined),
    }, { allocUnitId: au, vlfSize: 128 * 1024 });
    const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    try {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf } });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const id = r.json().id as number;
      const job = t.store.requireJob(id);
      expect(job.state).toBe('succeeded');
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
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
