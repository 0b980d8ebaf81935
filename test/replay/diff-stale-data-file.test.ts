import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DiffOptions } from '../../src/cli/commands/diff.js';
import { diffCaptured } from '../support/run-diff.js';
import { StagingStore } from '../../src/staging/store.js';
import { backupAsDataFile, ghostRowInDataFile } from '../support/backup-as-data-file.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { diffAsRecoveredRows } from '../../src/replay/compare.js';
import type { TableDiff } from '../../src/replay/table-diff.js';

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
    expect(err).toMatch(/^rowback diff: warning: the later state \(--after-mdf .*\) is older than part of the earlier state .*those rows were added after the data file was written, not deleted; never re-insert them$/m);
    expect(lines.every((l: { addedAfterLater?: boolean }) => l.addedAfterLater === true)).toBe(true);
    const s = new StagingStore(file);
    try {
      const rows = s.listRows(r.jobId!, {}, { limit: 100 }).items;
      expect(rows.map((x) => x.operation)).toEqual(Array(12).fill('insert'));
    } finally {
      s.close();
    }
  });

  it('--accept-older-later over a partly older data file: only the rows it has not seen are inserts; a row it has seen and lacks is a delete', async () => {
    // The as-of-differential data file with one row it has seen (slot 0 of page 1:0x99: step 0 of
    // 12:59, before the file's checkpoint) deleted as the file would hold it (a ghost record, its
    // partition's row count one less) (ghostRowInDataFile: a test-time change of SQL Server's own page, not bytes from the field). Before, the 12 rows the file has not seen made every missing
    // row an insert: this deleted row was staged as "inserted between the two, never re-insert it".
    const ghosted = join(dir, 'as-of-diff-one-deleted.mdf');
    ghostRowInDataFile(asOfDiff, ghosted, 0x99, 0);
    const file = join(dir, 'staging-mixed.db');
    const { r, lines, err } = await run({ stopAt: '2017-06-01 13:20', afterMdf: [ghosted], acceptOlderLater: true, stage: file });
    expect(r.missing).toHaveLength(13);
    const deleted = lines.filter((l: { addedAfterLater?: boolean }) => !l.addedAfterLater);
    expect(deleted).toEqual([{ change: 'missing', table: 'dbo.steps', values: { step: 0, dt: '2017-06-01T12:59:12.9700000' } }]);
    expect(lines.filter((l: { addedAfterLater?: boolean }) => l.addedAfterLater)).toHaveLength(12);
    expect(err).toMatch(/never re-insert them; the other 1 row\(s\) missing from it are deletes \(the data file has seen the records that wrote them\)$/m);
    const s = new StagingStore(file);
    try {
      const job = s.getJob(r.jobId!)!;
      expect(job.operations).toEqual(['delete', 'insert', 'update']);
      const rows = s.listRows(r.jobId!, {}, { limit: 100 }).items;
      expect(rows.filter((x) => x.operation === 'delete').map((x) => x.values)).toEqual([{ step: 0, dt: '2017-06-01T12:59:12.9700000' }]);
      expect(rows.filter((x) => x.operation === 'insert')).toHaveLength(12);
    } finally {
      s.close();
    }
  });
});

/** SYNTHETIC: diffAsRecoveredRows' per-row choice on a made-up comparison (no file read). */
it('diffAsRecoveredRows with a set of tags: those rows inserts (changed ones swapped), the rest deletes and updates', () => {
  const d: TableDiff = {
    table: 'dbo.T', columns: ['id', 'v'], key: ['id'], keyNote: null, added: 0, same: 0, unsure: [],
    missing: [{ values: { id: 1, v: 'a' }, tag: '00000019:000000be:0002' }, { values: { id: 2, v: 'b' }, tag: '00000019:00000010:0002' }, { values: { id: 3, v: 'c' } }],
    changed: [
      { key: { id: 4 }, columns: ['v'], before: { id: 4, v: 'old' }, after: { id: 4, v: 'new' }, tag: '00000019:000000c0:0002' },
      { key: { id: 5 }, columns: ['v'], before: { id: 5, v: 'x' }, after: { id: 5, v: 'y' }, tag: '00000019:00000011:0002' },
    ],
  } as TableDiff;
  const rows = diffAsRecoveredRows(d, { kind: 'bak', file: 'f.bak' }, undefined, { reversed: new Set(['00000019:000000be:0002', '00000019:000000c0:0002']) });
  expect(rows.map((r) => [r.operation, r.values.id, r.after?.v ?? null])).toEqual([['insert', 1, null], ['delete', 2, null], ['delete', 3, null], ['update', 4, 'old'], ['update', 5, 'y']]);
  expect(rows[0]!.warnings[0]).toMatch(/has not seen the log record \(LSN 00000019:000000be:0002\)/);
  const all = diffAsRecoveredRows(d, { kind: 'bak', file: 'f.bak' }, undefined, { reversed: true });
  expect(all.map((r) => r.operation)).toEqual(['insert', 'insert', 'insert', 'update', 'update']);
  expect(diffAsRecoveredRows(d, { kind: 'bak', file: 'f.bak' }).map((r) => r.operation)).toEqual(['delete', 'delete', 'delete', 'update', 'update']);
});
