/**
 * Rows left outside the window, said on each side. A scan's note (and "why no rows") named one Begin
 * Time span for every row operation left outside the window: with some begun before the window's
 * start and some after its end, that span held the window itself (RestoreTimeClean's chain, --from
 * 13:10 --to 13:20: "38 more insert(s) … (they began from 2017/06/01 12:59:12:970 to 2017/06/01
 * 13:28:43:320 …)") and told the responder nothing about which end to move. Each side is now said
 * with its count and span, and --report's counts carry them (outsideWindowBeforeRowOps, …After…);
 * a window with rows left out on one side only keeps its sentence.
 *
 * Real bytes: the corpus's RestoreTimeClean full backup and its six log backups (appveyor-lab), one
 * insert into dbo.steps every 30 seconds from 12:59:12.970 to 13:28:43.320 (`rowback log` and an
 * unwindowed `scan --op insert` list the 60 Begin Times).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';

const cli = captureCli();
const LOCAL = "the SQL Server's local time, as --from/--to are";

describeCorpus('scan: row operations left outside the window, said on each side (RestoreTimeClean chain)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-outside-sides-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = async (window: string[], name: string) => {
    const { FULL, LOGS } = restoreTimeClean();
    const report = join(dir, `${name}.json`);
    const r = await cli('scan', '--bak', FULL, '--trn', ...LOGS, '--op', 'insert', ...window, '--report', report);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { counts: Record<string, unknown>; notes: string[] };
    return { ...r, rows: r.stdout.trim() === '' ? 0 : r.stdout.trim().split('\n').length, counts: json.counts, notes: json.notes };
  };

  it.each([
    // 22 inserts began 12:59:12.970–13:09:43.080, before 13:10; 16 began 13:21:13.240–13:28:43.320, after 13:20:59.999
    ['both sides', ['--from', '2017-06-01T13:10', '--to', '2017-06-01T13:20'], 22,
      `38 more insert(s) on table data rows are in transactions that began outside the window (22 began before the window's start, from 2017-06-01T12:59:12.970 to 2017-06-01T13:09:43.080; 16 after its end, from 2017-06-01T13:21:13.240 to 2017-06-01T13:28:43.320; ${LOCAL}): not in this result; widen the window (or drop it) to see them`,
      { outsideWindowRowOps: 38, outsideWindowFirstBegin: '2017-06-01T12:59:12.970', outsideWindowLastBegin: '2017-06-01T13:28:43.320',
        outsideWindowBeforeRowOps: 22, outsideWindowBeforeFirstBegin: '2017-06-01T12:59:12.970', outsideWindowBeforeLastBegin: '2017-06-01T13:09:43.080',
        outsideWindowAfterRowOps: 16, outsideWindowAfterFirstBegin: '2017-06-01T13:21:13.240', outsideWindowAfterLastBegin: '2017-06-01T13:28:43.320' }],
    // one side only: the sentence as it was, the report's counts by side
    ['before the start only', ['--from', '2017-06-01T13:25'], 8,
      `52 more insert(s) on table data rows are in transactions that began outside the window (they began from 2017-06-01T12:59:12.970 to 2017-06-01T13:24:43.293, ${LOCAL}): not in this result; widen the window (or drop it) to see them`,
      { outsideWindowRowOps: 52, outsideWindowBeforeRowOps: 52, outsideWindowBeforeFirstBegin: '2017-06-01T12:59:12.970', outsideWindowBeforeLastBegin: '2017-06-01T13:24:43.293', outsideWindowAfterRowOps: 0 }],
    ['after the end only', ['--to', '2017-06-01T13:01'], 6,
      `54 more insert(s) on table data rows are in transactions that began outside the window (they began from 2017-06-01T13:02:12.987 to 2017-06-01T13:28:43.320, ${LOCAL}): not in this result; widen the window (or drop it) to see them`,
      { outsideWindowRowOps: 54, outsideWindowBeforeRowOps: 0, outsideWindowAfterRowOps: 54, outsideWindowAfterFirstBegin: '2017-06-01T13:02:12.987', outsideWindowAfterLastBegin: '2017-06-01T13:28:43.320' }],
  ] as const)('%s: the note and the report', async (name, window, printed, note, counts) => {
    const r = await scan([...window], name.replace(/ /g, '-'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows).toBe(printed);
    // stderr's note and the report's are one sentence, times in one form (they differed: fn_dblog's on stderr)
    expect(r.stderr).toContain(`rowback scan: note: ${note}\n`);
    expect(r.notes).toContain(note);
    expect(r.counts).toMatchObject(counts);
    if (!name.startsWith('both')) expect(r.stderr).not.toContain("before the window's start,");
  });

  it('no row in the window: "why no rows" says each side too', async () => {
    // nothing began from 13:20:20 to 13:20:30.999 (13:20:13.233, then 13:20:43.237)
    const r = await scan(['--from', '2017-06-01T13:20:20', '--to', '2017-06-01T13:20:30'], 'none');
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows).toBe(0);
    expect(r.stderr).toContain(`it holds 60 inserts on table data rows: 60 in transactions that began outside the window (43 began before the window's start, from 2017-06-01T12:59:12.970 to 2017-06-01T13:20:13.233; 17 after its end, from 2017-06-01T13:20:43.237 to 2017-06-01T13:28:43.320; ${LOCAL})`);
    expect(r.counts).toMatchObject({ outsideWindowBeforeRowOps: 43, outsideWindowAfterRowOps: 17 });
  });

  it('a files job says each side in its notes, worded with its from/to', async () => {
    const { FULL, LOGS } = restoreTimeClean();
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', bak: [FULL], trn: LOGS, operations: ['insert'], from: '2017-06-01T13:10', to: '2017-06-01T13:20' }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      expect(done.rowsStaged).toBe(22);
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContain("38 more insert(s) on table data rows are in transactions that began outside the window (22 began before the window's start, from 2017-06-01T12:59:12.970 to 2017-06-01T13:09:43.080; 16 after its end, from 2017-06-01T13:21:13.240 to 2017-06-01T13:28:43.320; the SQL Server's local time, as from/to are): not in this result; widen the window (or drop it) to see them");
    } finally {
      store.close();
    }
  });
});
