import { describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

// Normalised log records as fn_dblog would print them (structure only; no row bytes needed here).
const table: TableLayout = {
  schema: 'dbo', name: 'Customers', indexId: 1, compression: 'NONE', columns: [],
  allocUnits: [{ allocUnitId: '72057594043367424', type: 'IN_ROW_DATA' }],
};
const other: TableLayout = { ...table, name: 'Orders', allocUnits: [{ allocUnitId: '72057594043432960', type: 'IN_ROW_DATA' }] };
const catalog = catalogFromLayouts([table, other]);
const AU = '72057594043367424';

function rec(lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra };
}
const log: LogRecord[] = [
  rec('1:1:1', 'LOP_BEGIN_XACT', '0000:1', { 'Begin Time': '2026/11/20 10:00:00:000', 'Transaction Name': 'DELETE', SPID: 55 }),
  rec('1:1:2', 'LOP_DELETE_ROWS', '0000:1', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
  rec('1:1:3', 'LOP_DELETE_ROWS', '0000:1', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: '999' }), // nonclustered index
  rec('1:1:4', 'LOP_COMMIT_XACT', '0000:1', { 'End Time': '2026/11/20 10:00:01:000' }),
  rec('1:2:1', 'LOP_BEGIN_XACT', '0000:2', { 'Begin Time': '2026/11/20 10:05:00:000' }),
  rec('1:2:2', 'LOP_DELETE_ROWS', '0000:2', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
  rec('1:2:3', 'LOP_ABORT_XACT', '0000:2'), // rolled back: never returned
  rec('1:3:1', 'LOP_BEGIN_XACT', '0000:3', { 'Begin Time': '2026/11/20 11:00:00:000' }),
  rec('1:3:2', 'LOP_INSERT_ROWS', '0000:3', { Context: 'LCX_CLUSTERED', AllocUnitId: AU }),
  rec('1:3:3', 'LOP_DELETE_ROWS', '0000:3', { Context: 'LCX_HEAP', AllocUnitId: '72057594043432960' }),
  rec('1:3:4', 'LOP_COMMIT_XACT', '0000:3', { 'End Time': '2026/11/20 11:00:00:100' }),
  rec('1:4:1', 'LOP_BEGIN_XACT', '0000:4', { 'Begin Time': '2026/11/20 12:00:00:000' }),
  rec('1:4:2', 'LOP_DELETE_ROWS', '0000:4', { Context: 'LCX_HEAP', AllocUnitId: AU }), // never commits in this log
];
let opens = 0;
const open = async function* () {
  opens++;
  yield* log;
};
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('committedCandidates', () => {
  it('returns only committed deletes on known heap/clustered allocation units, in one pass', async () => {
    opens = 0;
    const stats = emptyStats();
    const got = await all(committedCandidates(open, { operations: ['delete'] }, catalog, { stats }));
    expect(opens).toBe(1);
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:1:2', '1:3:3']);
    expect(got[0].txn).toMatchObject({ transactionId: '0000:1', beginTime: '2026/11/20 10:00:00:000', endTime: '2026/11/20 10:00:01:000', name: 'DELETE', spid: 55 });
    expect(stats).toMatchObject({ transactions: 4, committed: 2, aborted: 1, uncommittedRowOps: 2, unknownAllocUnitRowOps: 1, candidates: 2 });
  });

  it('applies the window to the transaction Begin Time, inclusively', async () => {
    const got = await all(committedCandidates(open, { operations: ['delete', 'insert'], from: '2026-11-20T10:30:00.000', to: '2026-11-20T11:00:00.000' }, catalog));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:3:2', '1:3:3']);
  });

  it('filters by table name', async () => {
    const got = await all(committedCandidates(open, { operations: ['delete'], tables: ['Orders'] }, catalog));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:3:3']);
  });

  it('skips compensation records', async () => {
    const clr = [
      rec('2:1:1', 'LOP_BEGIN_XACT', '0000:9', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      rec('2:1:2', 'LOP_DELETE_ROWS', '0000:9', { Context: 'LCX_HEAP', AllocUnitId: AU, Description: 'COMPENSATION' }),
      rec('2:1:3', 'LOP_COMMIT_XACT', '0000:9'),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* clr; }, { operations: ['delete'] }, catalog, { stats }));
    expect(got).toEqual([]);
    expect(stats.compensationRowOps).toBe(1);
  });

  it('a memory budget too small for one row spills to temporary files: the same candidates, in the same order, and the files removed', async () => {
    const { readdirSync } = await import('node:fs');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const spillDir = mkdtempSync(join(tmpdir(), 'rowback-spill-test-'));
    // SYNTHETIC: 3 interleaved transactions with row images, one rolled back, one never finished
    const img = (n: number) => new Uint8Array([0x30, 0, 8, 0, n, 0, 0, 0]);
    const big: LogRecord[] = [
      rec('5:1:1', 'LOP_BEGIN_XACT', '0000:a', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      rec('5:1:2', 'LOP_BEGIN_XACT', '0000:b', { 'Begin Time': '2026/11/20 10:00:01:000' }),
      rec('5:1:3', 'LOP_BEGIN_XACT', '0000:c', { 'Begin Time': '2026/11/20 10:00:02:000' }),
      ...Array.from({ length: 30 }, (_, i) => rec(`5:2:${i + 1}`, 'LOP_DELETE_ROWS', ['0000:a', '0000:b', '0000:c'][i % 3], { Context: 'LCX_HEAP', AllocUnitId: AU, 'RowLog Contents 0': img(i) })),
      rec('5:3:1', 'LOP_ABORT_XACT', '0000:b'),
      rec('5:3:2', 'LOP_COMMIT_XACT', '0000:a', { 'End Time': '2026/11/20 10:00:05:000' }),
    ];
    const run = async (holdBudgetBytes: number) => {
      const stats = emptyStats();
      const got = await all(committedCandidates(async function* () { yield* big; }, { operations: ['delete'] }, catalog, { stats, holdBudgetBytes, spillDir }));
      return { got: got.map((c) => [c.record['Current LSN'], Buffer.from(c.record['RowLog Contents 0']!).toString('hex'), c.txn.endTime]), stats };
    };
    const inMemory = await run(1 << 30);
    const spilled = await run(1);
    expect(inMemory.got).toHaveLength(10);
    expect(spilled.got).toEqual(inMemory.got);
    expect(spilled.stats).toEqual(inMemory.stats);
    expect(spilled.stats).toMatchObject({ candidates: 10, rolledBackRowOps: 10, uncommittedRowOps: 20 });
    expect(readdirSync(spillDir)).toEqual([]);
    rmSync(spillDir, { recursive: true, force: true });
  });

  it('a second BEGIN for a transaction still open drops what it held as never committed: counted, its spill file removed, the budget given back', async () => {
    const { readdirSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const spillDir = mkdtempSync(join(tmpdir(), 'rowback-spill-test-'));
    // SYNTHETIC: transaction 0000:d begins twice (a stale record of a reused VLF); a small budget spills its first rows.
    const img = (n: number) => new Uint8Array([0x30, 0, 8, 0, n, 0, 0, 0]);
    const twice: LogRecord[] = [
      rec('6:1:1', 'LOP_BEGIN_XACT', '0000:d', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      ...Array.from({ length: 40 }, (_, i) => rec(`6:2:${i + 1}`, 'LOP_DELETE_ROWS', '0000:d', { Context: 'LCX_HEAP', AllocUnitId: AU, 'RowLog Contents 0': img(i) })),
      rec('6:3:1', 'LOP_BEGIN_XACT', '0000:d', { 'Begin Time': '2026/11/20 10:00:09:000' }),
      rec('6:3:2', 'LOP_DELETE_ROWS', '0000:d', { Context: 'LCX_HEAP', AllocUnitId: AU, 'RowLog Contents 0': img(99) }),
    ];
    let seenBeforeCommit: string[] | null = null;
    const stats = emptyStats();
    const src = async function* () {
      yield* twice;
      // Before the commit: the first BEGIN's spill folder must already be gone.
      seenBeforeCommit = readdirSync(spillDir);
      yield rec('6:3:3', 'LOP_COMMIT_XACT', '0000:d', { 'End Time': '2026/11/20 10:00:10:000' });
    };
    const got = await all(committedCandidates(src, { operations: ['delete'] }, catalog, { stats, holdBudgetBytes: 2000, spillDir }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['6:3:2']);
    expect(stats).toMatchObject({ rowOps: 41, candidates: 1, uncommittedRowOps: 40, rolledBackRowOps: 0 });
    expect(seenBeforeCommit).toEqual([]);
    expect(readdirSync(spillDir)).toEqual([]);
    rmSync(spillDir, { recursive: true, force: true });
  });

  it('keeps a committed transaction whose BEGIN is outside the log only when there is no window', async () => {
    const tail = [rec('3:1:1', 'LOP_DELETE_ROWS', '0000:7', { Context: 'LCX_HEAP', AllocUnitId: AU }), rec('3:1:2', 'LOP_COMMIT_XACT', '0000:7')];
    const src = async function* () { yield* tail; };
    expect(await all(committedCandidates(src, { operations: ['delete'] }, catalog))).toHaveLength(1);
    expect(await all(committedCandidates(src, { operations: ['delete'], from: '2000-01-01T00:00:00.000' }, catalog))).toHaveLength(0);
  });
});
