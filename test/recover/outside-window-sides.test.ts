import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { committedCandidates, emptyStats, explainNoRows, outsideWindowSelectionClause, scanStatsNotes, type CommittedScanStats } from '../../src/recover/committed.js';
import { catalogFromLayouts, type ScanFilter } from '../../src/recover/source.js';
import { LiveSource } from '../../src/recover/sources/live.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { Row } from '../../src/logreader/live/stream.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { CustomersScanRunner, customersDeleteRow } from '../support/fake-live-customers.js';

/**
 * Row operations left outside the window, said on each side of it. The note ("N more delete(s) …
 * began outside the window (they began from A to B …)") and "why no rows" named one Begin Time span
 * for all of them: with some begun before the window's start and some after its end, that span held
 * the window itself and told nobody which end to move. Each side now has its count and span
 * (CommittedScanStats.outsideWindowBeforeRowOps, …After…); those whose LOP_BEGIN_XACT was not read,
 * which committed before the start, are on the "before" side. One side only: the sentence as it was.
 * SYNTHETIC log records (structure only) and SYNTHETIC live rows shaped as the scan query returns them.
 */

const AU = '72057594043367424';
const table: TableLayout = {
  schema: 'dbo', name: 'Customers', indexId: 1, compression: 'NONE', columns: [],
  allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' }],
};
const catalog = catalogFromLayouts([table]);
const rec = (lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra });
const del = (lsn: string, xid: string) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU });
/** A committed transaction begun at `began` (fn_dblog form) deleting `n` rows. */
const txn = (page: number, xid: string, began: string, n: number): LogRecord[] => [
  rec(`5:${page}:1`, 'LOP_BEGIN_XACT', xid, { 'Begin Time': began }),
  ...Array.from({ length: n }, (_, i) => del(`5:${page}:${i + 2}`, xid)),
  rec(`5:${page}:${n + 2}`, 'LOP_COMMIT_XACT', xid, { 'End Time': began.replace(/:\d{3}$/, ':500') }),
];
// the window: 10:00 to 11:00
const from = '2026-11-20T10:00:00.000';
const to = '2026-11-20T11:00:00.000';
// 0000:u began before the log read (its begin not read) and committed before the window's start
const U = [del('5:1:1', '0000:u'), rec('5:1:2', 'LOP_COMMIT_XACT', '0000:u', { 'End Time': '2026/11/20 09:59:59:997' })];
const B1 = txn(2, '0000:b1', '2026/11/20 09:50:00:000', 2);
const B2 = txn(3, '0000:b2', '2026/11/20 09:55:00:000', 1);
const I = txn(4, '0000:i', '2026/11/20 10:15:00:000', 1);
const A1 = txn(5, '0000:a1', '2026/11/20 11:30:00:000', 3);
const LOCAL = "the SQL Server's local time, as --from/--to are";
const WIDEN = 'not in this result; widen the window (or drop it) to see them';

async function scan(records: LogRecord[], window: { from?: string; to?: string } = { from, to }): Promise<{ printed: number; stats: CommittedScanStats }> {
  const stats = emptyStats();
  let printed = 0;
  for await (const _ of committedCandidates(async function* () { yield* records; }, { operations: ['delete'], ...window }, catalog, { stats })) printed++;
  return { printed, stats };
}

describe('row operations left outside the window, by side', () => {
  it.each([
    ['before the start only (the sentence as it was)', [...B1, ...B2, ...I],
      `3 more delete(s) on table data rows are in transactions that began outside the window (they began from 2026/11/20 09:50:00:000 to 2026/11/20 09:55:00:000, ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 3, outsideWindowBeforeRowOps: 3, outsideWindowBeforeFirstBegin: '2026/11/20 09:50:00:000', outsideWindowBeforeLastBegin: '2026/11/20 09:55:00:000' }],
    ['after the end only (the sentence as it was)', [...I, ...A1],
      `3 more delete(s) on table data rows are in transactions that began outside the window (it began at 2026/11/20 11:30:00:000, ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 3, outsideWindowAfterRowOps: 3, outsideWindowAfterFirstBegin: '2026/11/20 11:30:00:000', outsideWindowAfterLastBegin: '2026/11/20 11:30:00:000' }],
    ['both sides', [...B1, ...B2, ...I, ...A1],
      `6 more delete(s) on table data rows are in transactions that began outside the window (3 began before the window's start, from 2026/11/20 09:50:00:000 to 2026/11/20 09:55:00:000; 3 after its end, at 2026/11/20 11:30:00:000; ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 6, outsideWindowBeforeRowOps: 3, outsideWindowAfterRowOps: 3, outsideWindowFirstBegin: '2026/11/20 09:50:00:000', outsideWindowLastBegin: '2026/11/20 11:30:00:000' }],
    ['begin not read (committed before the start) and after the end', [...U, ...I, ...A1],
      `4 more delete(s) on table data rows are in transactions that began outside the window (1 began before the window's start: all in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2026/11/20 09:59:59:997, before it; 3 after its end, at 2026/11/20 11:30:00:000; ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 4, outsideWindowBeginUnreadRowOps: 1, outsideWindowBeforeRowOps: 1, outsideWindowAfterRowOps: 3 }],
    ['begin not read and read before the start, and after the end', [...U, ...B1, ...I, ...A1],
      `6 more delete(s) on table data rows are in transactions that began outside the window (3 began before the window's start: 1 in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2026/11/20 09:59:59:997, before it, and 2 at 2026/11/20 09:50:00:000; 3 after its end, at 2026/11/20 11:30:00:000; ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 6, outsideWindowBeginUnreadRowOps: 1, outsideWindowBeforeRowOps: 3, outsideWindowAfterRowOps: 3 }],
    ['begin not read, before the start only (the sentence as it was)', [...U, ...B1, ...I],
      `3 more delete(s) on table data rows are in transactions that began outside the window (1 of them in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2026/11/20 09:59:59:997, before the window's start, so began before it; the others began at 2026/11/20 09:50:00:000, ${LOCAL}): ${WIDEN}`,
      { outsideWindowRowOps: 3, outsideWindowBeginUnreadRowOps: 1, outsideWindowBeforeRowOps: 3 }],
  ] as const)('%s', async (_, records, note, counts) => {
    const { printed, stats } = await scan([...records]);
    expect(printed).toBe(1);
    expect(stats).toMatchObject(counts);
    expect((stats.outsideWindowBeforeRowOps ?? 0) + (stats.outsideWindowAfterRowOps ?? 0)).toBe(stats.outsideWindowRowOps);
    expect(scanStatsNotes(stats, ['delete'], false).notes).toContain(note);
  });

  it('no row in the window: "why no rows" says each side', async () => {
    const { printed, stats } = await scan([...U, ...B1, ...A1]);
    expect(printed).toBe(0);
    expect(explainNoRows(stats, ['delete'])).toContain(`6 in transactions that began outside the window (3 began before the window's start: 1 in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2026/11/20 09:59:59:997, before it, and 2 at 2026/11/20 09:50:00:000; 3 after its end, at 2026/11/20 11:30:00:000; ${LOCAL})`);
  });

  it('a selection inside the window (--transaction): its clause says each side', async () => {
    const { stats } = await scan([...B1, ...I, ...A1]);
    expect(outsideWindowSelectionClause(stats, ['delete'], '--transaction 0000:a1')).toBe(`; 5 more delete(s) on table data rows are in transactions that began outside the window (2 began before the window's start, at 2026/11/20 09:50:00:000; 3 after its end, at 2026/11/20 11:30:00:000; ${LOCAL}), and the rows --transaction 0000:a1 asks for may be among them: widen the window (or drop --from/--to) to see them`);
  });
});

describe('a live scan: the server\'s left-out transactions, by side', () => {
  const kept = (): Row[] => [customersDeleteRow(1, 'LOP_BEGIN_XACT'), customersDeleteRow(2, 'LOP_DELETE_ROWS'), customersDeleteRow(3, 'LOP_COMMIT_XACT')];
  const leftOut = (lsn: string, n: number, began: string | null): Row => ({
    ...customersDeleteRow(9, 'LOP_BEGIN_XACT'), 'Current LSN': lsn, 'Transaction ID': `0000:0000${lsn.slice(-4)}`, 'Begin Time': null, 'End Time': null,
    left_out: 'outside_window', xact_row_ops: n, xact_began: began,
  });
  async function live(rows: Row[], filter: Partial<ScanFilter>) {
    const src = new LiveSource({ database: 'CRM', runner: new CustomersScanRunner(rows) });
    let printed = 0;
    for await (const _ of src.candidates({ operations: ['delete'], ...filter } as ScanFilter)) printed++;
    const stats = src.committedStats();
    return { printed, stats, notes: scanStatsNotes(stats, ['delete'], printed === 0).notes, why: explainNoRows(stats, ['delete']), skipped: src.skipped() };
  }
  // the kept delete began at 14:07:09.123, inside 14:00–14:30
  const window = { from: '2024-03-05T14:00:00.000', to: '2024-03-05T14:30:00.000' };

  it('begun before the start and after the end: each side with its count and span', async () => {
    const r = await live([
      leftOut('0000002a:000001e0:0001', 13, '2024/03/05 13:59:59:000'),
      leftOut('0000002a:000001e8:0001', 2, '2024/03/05 13:40:00:000'),
      ...kept(),
      leftOut('0000002a:00000200:0001', 4, '2024/03/05 14:45:00:000'),
    ], window);
    expect(r.printed).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(r.stats).toMatchObject({ outsideWindowRowOps: 19, outsideWindowBeforeRowOps: 15, outsideWindowBeforeFirstBegin: '2024/03/05 13:40:00:000', outsideWindowBeforeLastBegin: '2024/03/05 13:59:59:000', outsideWindowAfterRowOps: 4, outsideWindowAfterFirstBegin: '2024/03/05 14:45:00:000' });
    expect(r.notes).toContain(`19 more delete(s) on table data rows are in transactions that began outside the window (15 began before the window's start, from 2024/03/05 13:40:00:000 to 2024/03/05 13:59:59:000; 4 after its end, at 2024/03/05 14:45:00:000; ${LOCAL}): ${WIDEN}`);
  });

  it('no row returned, and one left out with no Begin Time: "why no rows" says each side and that one apart', async () => {
    const r = await live([
      leftOut('0000002a:000001e0:0001', 13, '2024/03/05 13:59:59:000'),
      leftOut('0000002a:000001e8:0001', 1, null),
      leftOut('0000002a:00000200:0001', 4, '2024/03/05 14:45:00:000'),
    ], window);
    expect(r.printed).toBe(0);
    expect(r.why).toContain(`returned 18 deletes on the tables' data rows: 18 in transactions that began outside the window (13 began before the window's start, at 2024/03/05 13:59:59:000; 4 after its end, at 2024/03/05 14:45:00:000; 1 whose Begin Time is not known; ${LOCAL})`);
  });

  it('a live job says the same sentence in its notes, times in the one form of rowback\'s sentences (they were fn_dblog\'s `2024/03/05 14:45:00:000`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-outside-sides-live-'));
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const rows = [...kept(), leftOut('0000002a:00000200:0001', 4, '2024/03/05 14:45:00:000')];
      const w = new JobWorker({ store, openSource: async () => new LiveSource({ database: 'CRM', runner: new CustomersScanRunner(rows), startLsn: { vlf: 0x2a, block: 0x1f0, slot: 1 } }) });
      const job = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', operations: ['delete'], from: '2024-03-05T14:00', to: '2024-03-05T14:30' }, 'op');
      await w.idle();
      expect(store.requireJob(job.id).error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContainEqual(expect.stringContaining('4 more delete(s) on table data rows are in transactions that began outside the window (it began at 2024-03-05T14:45:00.000, '));
      expect(notes.join('\n')).not.toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}:\d{3}/);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('one side only: the sentence as it was', async () => {
    const r = await live([...kept(), leftOut('0000002a:00000200:0001', 4, '2024/03/05 14:45:00:000')], window);
    expect(r.stats).toMatchObject({ outsideWindowRowOps: 4, outsideWindowAfterRowOps: 4 });
    expect(r.notes).toContain(`4 more delete(s) on table data rows are in transactions that began outside the window (it began at 2024/03/05 14:45:00:000, ${LOCAL}): ${WIDEN}`);
  });
});
