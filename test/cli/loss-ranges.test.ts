import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLdfRecordBatches } from '../../src/logreader/ldf/reader.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Skipped items carry the LSN range they lost where the reader knows it (SkippedItem.lsnRange), and
 * the INCOMPLETE lines name it: `log` parsed ranges out of the reasons' words ("LSNs A up to B"),
 * which missed the .ldf reader's gaps ("LSNs from A up to B": it named the file and offset instead);
 * `scan` and a staged job's INCOMPLETE note named only the error codes. SYNTHETIC damage of a copy
 * of a real .ldf made at test time (AngularJs_CRUD's log with 4,096 bytes zeroed at 300,032, as
 * test/worker/scan-notes.test.ts damages it): the blocks of LSNs 23:4a:1 up to 23:52:1 are lost.
 */
const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const RANGE = 'LSNs 00000023:0000004a:0001 up to 00000023:00000052:0001';
let dir: string;
let bad: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-loss-ranges-'));
  bad = join(dir, 'Database1_bad_log.ldf');
  const b = Buffer.from(readFileSync(A('Database1_log.ldf')));
  b.fill(0, 300_032, 300_032 + 4096);
  writeFileSync(bad, b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('the LSN ranges lost, named on INCOMPLETE lines from the skipped items\' lsnRange', () => {
  it('the .ldf reader\'s gap item carries its range', async () => {
    const items: SkippedItem[] = [];
    for await (const _ of readLdfRecordBatches(bad, { onSkipped: (s) => items.push(s) })) void _;
    const gap = items.find((s) => s.code === 'FORMAT_LOG_GAP');
    expect(gap?.lsnRange).toEqual({ first: '00000023:0000004a:0001', last: '00000023:00000052:0001' });
  });

  it('log --quiet: the range, not the file offset', async () => {
    const r = await cli('log', bad, '--quiet', '--format', 'ndjson');
    expect(r.stderr).toBe(`rowback log: INCOMPLETE: parts of the log could not be read (FORMAT_LOG_GAP); records in those LSN ranges are missing (${RANGE} of ${bad})\n`);
  });

  it('scan --quiet: the range, after the codes', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', bad, '--quiet', '--out', join(dir, 'rows.ndjson'), '--report', join(dir, 'report.json'));
    // and the way on (newcomer DBA: the line named the lost range and no way to read it, where scan
    // --ldf --trn reads a log backup's blocks in place of the .ldf's lost ones, merged-log.ts LdfHoles)
    expect(r.stderr).toBe(`rowback scan: INCOMPLETE: parts of the log could not be read (FORMAT_LOG_GAP); rows in those LSN ranges are missing from this result (${RANGE} of ${bad}): to read them, give log backups of this database holding those LSNs with --trn beside --ldf (their blocks are read where the .ldf's were lost)\n`);
    // --report's skipped items carry the field as it is
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { skipped: SkippedItem[] };
    expect(report.skipped.find((s) => s.code === 'FORMAT_LOG_GAP')?.lsnRange).toEqual({ first: '00000023:0000004a:0001', last: '00000023:00000052:0001' });
  });

  it('a staged job\'s INCOMPLETE note: the range, then where the items are', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', mdf: A('Database1.mdf'), ldf: bad }, 'op');
      await w.idle();
      expect(store.requireJob(job.id).incomplete).toEqual([`INCOMPLETE: parts of the log could not be read (FORMAT_LOG_GAP); rows in those LSN ranges are missing from this job (${RANGE} of ${bad}; see its skipped items): to read them, give log backups of this database holding those LSNs with trn beside ldf (their blocks are read where the .ldf's were lost)`]);
      // the staged item keeps its range (the API's /api/jobs/:id/skipped returns these)
      expect(store.skippedItems(job.id).find((s) => s.code === 'FORMAT_LOG_GAP')?.lsnRange).toEqual({ first: '00000023:0000004a:0001', last: '00000023:00000052:0001' });
    } finally {
      store.close();
    }
  });
});
