import { describe, expect, it } from 'vitest';
import { LiveSource } from '../../../src/recover/sources/live.js';
import { scanSql } from '../../../src/logreader/live/sql.js';
import { explainNoRows, scanStatsNotes } from '../../../src/recover/committed.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import type { ScanFilter } from '../../../src/recover/source.js';
import { CustomersScanRunner, customersDeleteRow } from '../../support/fake-live-customers.js';

/**
 * The live scan query keeps the committed transactions of the window; a scan of files (committed.ts)
 * also COUNTS the row operations it leaves out — of transactions begun outside the window, rolled
 * back, or with no commit in the log read — and says them beside the rows printed ("13 more deletes
 * ... began outside the window (it began at ...)"). The server dropped those transactions unsaid: a
 * window that caught one delete and missed a mass delete begun a second before it printed the one row
 * as the whole answer. Now each left-out transaction comes back as ONE row with `left_out` and its
 * count (sql.ts LEFT_OUT). SYNTHETIC rows, shaped as the query returns them.
 */

const kept = (): Row[] => [customersDeleteRow(1, 'LOP_BEGIN_XACT'), customersDeleteRow(2, 'LOP_DELETE_ROWS'), customersDeleteRow(3, 'LOP_COMMIT_XACT')];
/** The one row of a transaction the query leaves out: its first record, `left_out`, its count and Begin Time. */
const leftOut = (lsn: string, kind: string, n: number, began: string | null): Row => ({
  ...customersDeleteRow(9, 'LOP_BEGIN_XACT'), 'Current LSN': lsn, 'Transaction ID': `0000:0000${lsn.slice(-4)}`, 'Begin Time': null, 'End Time': null,
  left_out: kind, xact_row_ops: n, xact_began: began,
});


async function scan(rows: Row[], filter: Partial<ScanFilter> = {}) {
  const src = new LiveSource({ database: 'CRM', runner: new CustomersScanRunner(rows) });
  const got = [];
  for await (const c of src.candidates({ operations: ['delete'], ...filter } as ScanFilter)) got.push(c);
  const stats = src.committedStats();
  return { rows: got.length, stats, notes: scanStatsNotes(stats, ['delete'], got.length === 0).notes, why: explainNoRows(stats, ['delete']), skipped: src.skipped() };
}

describe('a live scan says the row operations of the transactions the server leaves out', () => {
  it.each([
    // rows printed, and a committed mass delete begun a second before the window: said, with when it began
    ['outside the window', [leftOut('0000002a:000001e0:0001', 'outside_window', 13, '2024/03/05 13:59:59:000'), ...kept()], 1,
      /13 more delete\(s\) on table data rows are in transactions that began outside the window \(it began at 2024\/03\/05 13:59:59:000, the SQL Server's local time/],
    // a DELETE not committed when the log was read
    ['open at the end of the log read', [...kept(), leftOut('0000002a:00000200:0001', 'uncommitted', 5, '2024/03/05 14:08:00:000')], 1,
      /5 more delete\(s\) on table data rows are in transactions with no commit or rollback in the log read/],
  ] as const)('%s: said beside the rows printed', async (_, rows, printed, note) => {
    const r = await scan([...rows], { from: '2024-03-05T14:00:00.000' });
    expect(r.rows).toBe(printed);
    expect(r.notes.join('\n')).toMatch(note);
    expect(r.skipped).toEqual([]);
  });

  it('no row printed: "why no rows" counts them (rolled back, open, outside the window)', async () => {
    const r = await scan([
      leftOut('0000002a:000001e0:0001', 'outside_window', 13, '2024/03/05 13:59:59:000'),
      leftOut('0000002a:000001e8:0001', 'rolled_back', 4, '2024/03/05 14:01:00:000'),
      leftOut('0000002a:00000200:0001', 'uncommitted', 5, '2024/03/05 14:08:00:000'),
    ], { from: '2024-03-05T14:00:00.000' });
    expect(r.rows).toBe(0);
    expect(r.stats).toMatchObject({ rowOps: 22, outsideWindowRowOps: 13, uncommittedRowOps: 9, rolledBackRowOps: 4 });
    expect(r.why).toContain('returned 22 deletes on the tables\' data rows: 13 in transactions that began outside the window (it began at 2024/03/05 13:59:59:000');
    expect(r.why).toContain('4 in transactions that rolled back, 5 in transactions with no commit in the log read (open where it ends)');
  });

  it.each([
    ['a count that is no count', { xact_row_ops: 'x' }, 'xact_row_ops'],
    ['a kind it does not know', { left_out: 'elsewhere' }, 'left_out'],
    ['a Begin Time that is none', { xact_began: '2024-03-05 13:59' }, 'xact_began'],
  ] as const)('%s: a skipped item naming the column, nothing counted', async (_, change, column) => {
    const r = await scan([{ ...leftOut('0000002a:000001e0:0001', 'outside_window', 13, '2024/03/05 13:59:59:000'), ...change }, ...kept()], { from: '2024-03-05T14:00:00.000' });
    expect(r.rows).toBe(1);
    expect(r.stats.rowOps).toBe(1);
    expect(r.skipped.map((s) => [s.code, s.location?.column])).toEqual([['SOURCE_BAD_ROW', column]]);
  });

  it('the query returns one row per transaction left out, with its count of row operations, each record once', () => {
    const windowed = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, from: '2024-03-05T14:00:00.000', operations: ['delete'], tables: [] }).text;
    expect(windowed).toContain("     OR l.[Operation] = N'LOP_ABORT_XACT'\n");
    expect(windowed).toContain("    SUM(CASE WHEN x.[lsn_copy] = 1 AND x.[Operation] IN (N'LOP_DELETE_ROWS') THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_row_ops],");
    expect(windowed).toContain("      WHEN x.[xact_first] = 1 AND x.[xact_has_rows] = 1 AND x.[xact_committed] = 0 AND (x.[xact_begin_time] IS NOT NULL OR x.[xact_begin_read] = 0) THEN CASE WHEN x.[xact_aborted] = 1 THEN N'rolled_back' ELSE N'uncommitted' END\n");
    expect(windowed).toContain("      WHEN x.[xact_first] = 1 AND x.[xact_has_rows] = 1 AND x.[xact_committed] = 1 AND NOT (x.[xact_begin_time] IS NOT NULL OR x.[xact_begin_read] = 0) THEN N'outside_window'\n");
    expect(windowed).toContain('  OR x.[left_out] IS NOT NULL\nORDER BY');
    // no window: nothing is outside it
    const whole = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [] }).text;
    expect(whole).not.toContain('outside_window');
    expect(whole).toContain("      WHEN x.[xact_first] = 1 AND x.[xact_has_rows] = 1 AND x.[xact_committed] = 0 THEN CASE WHEN x.[xact_aborted] = 1 THEN N'rolled_back' ELSE N'uncommitted' END\n");
  });
});
