import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recoverRows } from '../../src/recover/recover-rows.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { openFileSource } from '../../src/recover/sources/files.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { diffCaptured } from '../support/run-diff.js';
import type { DiffOptions } from '../../src/cli/commands/diff.js';

/**
 * Never twice across jobs matches a row of a backup comparison (no delete LSN) to a row recovered
 * from the log by its staged values (`rows.vals`, other-jobs.ts): the two must be staged as the
 * same text for the same row, although one is decoded from a log record's row image and the other
 * from pages of a backup replayed through the log. Shown on real bytes: RestoreTimeClean's 42 rows
 * of dbo.steps (int, datetime) as `scan --trn … --op insert` recovers them from the log backups
 * and as `diff` replays them (the later state the full backup, compared as asked: rows added
 * between the two), staged into one store: every comparison row's `vals` is a log row's `vals`.
 */
describeCorpus('a comparison row and a log row of one row are staged with the same values text', () => {
  const { FULL, LOGS } = restoreTimeClean();
  let dir: string;
  let store: StagingStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-vals-identity-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the 42 rows of dbo.steps: the same vals from the log and from the replayed comparison', async () => {
    const src = openFileSource({ bak: FULL, trn: LOGS });
    const logRows: RecoveredRow[] = [];
    try {
      for await (const ev of recoverRows(src, { operations: ['insert'], tables: ['dbo.steps'] })) if (ev.kind === 'row') logRows.push(ev.row);
    } finally {
      await src.close();
    }
    const logJob = store.createJob({ kind: 'files', spec: {}, description: 'log', createdBy: 't' });
    store.stageBatch(logJob.id, logRows);

    const file = join(dir, 'staging.db');
    store.close();
    const { r } = await diffCaptured({ bak: [FULL], trn: LOGS, table: 'dbo.steps', format: 'ndjson', stopAt: '2017-06-01 13:20', afterBak: [FULL], acceptOlderLater: true, stage: file } as DiffOptions);
    store = new StagingStore(file);
    const vals = (jobId: number) => (store.db.prepare('SELECT vals FROM rows WHERE job_id = ? ORDER BY id').all(jobId) as { vals: string }[]).map((x) => x.vals);
    const fromLog = new Set(vals(logJob.id));
    const compared = vals(r.jobId!);
    expect(compared).toHaveLength(42);
    expect(fromLog.size).toBeGreaterThanOrEqual(42);
    expect(compared.filter((v) => !fromLog.has(v))).toEqual([]);
    expect(compared[0]).toBe('{"step":0,"dt":"2017-06-01T12:59:12.9700000"}');
  });
});
