import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DiffOptions } from '../../src/cli/commands/diff.js';
import { diffCaptured } from '../support/run-diff.js';
import { StagingStore } from '../../src/staging/store.js';
import { backupAsDataFile } from '../support/backup-as-data-file.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * A later data file older than the earlier state's replay (breaker 1, session 15): `diff --bak FULL
 * --trn LOGS --stop-at T --after-mdf X` where X was copied before T. Its checkpoint is at or after the
 * full backup's, so the check by checkpoints passed, and every row the log added between X and T
 * read as "missing from the later state" — 42 rows of dbo.steps staged as deleted, exit 0 —
 * although they were inserted after X, not deleted. Now refused, naming the first record, its page
 * and that page's LSN in X. The data files are RestoreTimeClean's backups laid out as RESTORE
 * writes them (test/support/backup-as-data-file.ts): as of the full backup (12:59), and as of the
 * differential (between 13:05 and 13:20).
 */
describeCorpus('diff --after-mdf: a data file older than the replayed earlier state', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let dir: string;
  let asOfFull: string;
  let asOfDiff: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-stale-mdf-'));
    asOfFull = join(dir, 'as-of-full.mdf');
    asOfDiff = join(dir, 'as-of-diff.mdf');
    backupAsDataFile([FULL], asOfFull);
    backupAsDataFile([FULL, DIFF], asOfDiff);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (o: Partial<DiffOptions>) => diffCaptured({ bak: [FULL], trn: LOGS, table: 'dbo.steps', format: 'ndjson', ...o } as DiffOptions);

  it('a data file as of the full backup against the replay to 13:20 is refused: its 42 rows were inserted after it', async () => {
    const e = await run({ stopAt: '2017-06-01 13:20', afterMdf: [asOfFull] }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'INPUT_BAD_WINDOW', location: { field: 'afterMdf' } });
    expect((e as Error).message).toMatch(/^the later state \(--after-mdf \S+as-of-full\.mdf: last checkpoint at LSN 00000019:0000003e:00aa\) is older than part of the earlier state \(--bak\/--trn replayed: as of LSN 00000019:000000ca:0003\): 42 row\(s\) missing from it were written by log records the data file has not seen \(the first at LSN 00000019:0000008c:0014, on page 0001:00000099, whose last change in the data file is at LSN 0000000f:00000160:0031\)/);
    expect((e as Error).message).toContain('--stop-before-lsn 00000019:0000008c:0014');
  });

  it('a data file as of the differential: refused against 13:20 (12 rows after it), compared against 13:05 (it has seen every record)', async () => {
    const e = await run({ stopAt: '2017-06-01 13:20', afterMdf: [asOfDiff] }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'INPUT_BAD_WINDOW' });
    expect((e as Error).message).toMatch(/: 12 row\(s\) missing from it were written by log records the data file has not seen \(the first at LSN 00000019:000000be:0002, on page 0001:00000099, whose last change in the data file is at LSN 00000019:000000ac:0002\)/);
    const { r, lines } = await run({ stopAt: '2017-06-01 13:05', afterMdf: [asOfDiff] });
    expect(lines).toEqual([]);
    expect([r.missing.length, r.changed.length, r.added, r.same]).toEqual([0, 0, 18, 12]);
  });

  it('--accept-older-later lists them as rows added between the two: staged as inserts, never as deletes', async () => {
    const file = join(dir, 'staging.db');
    const { r, lines, err } = await run({ stopAt: '2017-06-01 13:20', afterMdf: [asOfDiff], acceptOlderLater: true, stage: file });
    expect(r.missing).toHaveLength(12);
    expect(lines.map((l: { values: { step: number } }) => l.values.step).sort((a: number, b: number) => a - b)).toEqual([...Array(12).keys()]);
    expect(err).toMatch(/^rowback diff: warning: the later state \(--after-mdf .*\) is older than part of the earlier state .*never re-insert them$/m);
    const s = new StagingStore(file);
    try {
      const rows = s.listRows(r.jobId!, {}, { limit: 100 }).items;
      expect(rows.map((x) => x.operation)).toEqual(Array(12).fill('insert'));
    } finally {
      s.close();
    }
  });
});
