/**
 * A scan whose window holds none of the log's deletes (a window typed in UTC, or in the analyst's
 * own zone, where --from/--to are the server's local time) said only "16 in transactions that began
 * outside the window": nothing told when they did begin. "Why no rows" now names that span (and that
 * it is the server's local time, as --from/--to are), and --report's counts carry it in ISO form.
 * With some begun before the window and some after, each side is said with its own count and span
 * (one span held the window itself: test/cli/scan-window-outside-sides.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const app = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);

describeCorpus('scan: deletes outside the window, with when they began', () => {
  it('why no rows names the Begin Time span of the deletes left outside; --report counts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-outside-'));
    try {
      const report = join(dir, 'r.json');
      // the AngularJs_CRUD deletes began 2018-08-28 18:37 to 2018-08-30 18:08, server local time
      const r = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--from', '2018-08-29T01:00', '--to', '2018-08-29T02:00', '--report', report);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      // 4 began before the window (the 28th), 12 after it (the 29th afternoon and the 30th): each side said
      expect(r.stderr).toContain("16 in transactions that began outside the window (4 began before the window's start, from 2018-08-28T18:37:18.200 to 2018-08-28T21:56:07.133; 12 after its end, from 2018-08-29T15:54:12.103 to 2018-08-30T18:08:42.293; the SQL Server's local time, as --from/--to are)");
      const counts = JSON.parse(readFileSync(report, 'utf8')).counts;
      expect(counts.outsideWindowRowOps).toBe(16);
      expect(counts.outsideWindowFirstBegin).toBe('2018-08-28T18:37:18.200');
      expect(counts.outsideWindowLastBegin).toBe('2018-08-30T18:08:42.293');
      expect(counts).toMatchObject({
        outsideWindowBeforeRowOps: 4, outsideWindowBeforeFirstBegin: '2018-08-28T18:37:18.200', outsideWindowBeforeLastBegin: '2018-08-28T21:56:07.133',
        outsideWindowAfterRowOps: 12, outsideWindowAfterFirstBegin: '2018-08-29T15:54:12.103', outsideWindowAfterLastBegin: '2018-08-30T18:08:42.293',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A window that caught some of the deletes (3 of 16) printed "3 row(s) recovered" and nothing
  // about the 13 others: a window typed in UTC or the analyst's own zone looked like the whole answer.
  it('rows printed: a note names the deletes left outside the window and when they began', async () => {
    const r = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--from', '2018-08-28T21:00', '--to', '2018-08-28T22:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('rowback scan: 3 row(s) recovered');
    expect(r.stderr).toContain("rowback scan: note: 13 more delete(s) on table data rows are in transactions that began outside the window (1 began before the window's start, at 2018-08-28T18:37:18.200; 12 after its end, from 2018-08-29T15:54:12.103 to 2018-08-30T18:08:42.293; the SQL Server's local time, as --from/--to are): not in this result; widen the window (or drop it) to see them\n");
    // no window: no such note
    const all = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'));
    expect(all.stderr).not.toContain('outside the window');
  });

  it('with no window, nothing is outside it and the counts carry no span', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-outside-'));
    try {
      const report = join(dir, 'r.json');
      const r = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--quiet', '--report', report);
      expect(r.code, r.stderr).toBe(0);
      const counts = JSON.parse(readFileSync(report, 'utf8')).counts;
      expect(counts.outsideWindowRowOps).toBe(0);
      expect(counts.outsideWindowFirstBegin).toBeUndefined();
      expect(counts).toMatchObject({ outsideWindowBeforeRowOps: 0, outsideWindowAfterRowOps: 0 });
      expect(counts.outsideWindowBeforeFirstBegin).toBeUndefined();
      expect(counts.outsideWindowAfterFirstBegin).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
