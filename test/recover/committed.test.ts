import { describe, expect, it } from 'vitest';
import { beginUnreadClause, committedCandidates, emptyStats, explainNoRows, isSystemBaseTableAllocUnit, UNKNOWN_ALLOC_UNITS_KEPT } from '../../src/recover/committed.js';
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

describe('row operations a committed transaction undid itself', () => {
  // SYNTHETIC FixedVar images: status A 0x10 (null bitmap), status B, fixed end 8, one int, column count 1, bitmap.
  const img = (n: number, statusA = 0x10) => new Uint8Array([statusA, 0, 8, 0, n, 0, 0, 0, 1, 0, 0]);
  const OTHER_AU = '72057594043432960';
  const begin = (lsn: string, xid: string) => rec(lsn, 'LOP_BEGIN_XACT', xid, { 'Begin Time': '2026/11/20 10:00:00:000' });
  const del = (lsn: string, xid: string, image: Uint8Array, au = AU) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: au, 'RowLog Contents 0': image });
  const ins = (lsn: string, xid: string, image: Uint8Array, au = AU) => rec(lsn, 'LOP_INSERT_ROWS', xid, { Context: 'LCX_CLUSTERED', AllocUnitId: au, 'RowLog Contents 0': image });
  const commit = (lsn: string, xid: string) => rec(lsn, 'LOP_COMMIT_XACT', xid, { 'End Time': '2026/11/20 10:00:01:000' });
  async function scan(records: LogRecord[], operations: Array<'delete' | 'insert'> = ['delete'], extra: Record<string, unknown> = {}) {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* records; }, { operations }, catalog, { stats, ...extra }));
    return { lsns: got.map((c) => c.record['Current LSN']), stats };
  }

  it('a statement rolled back inside a transaction that commits (deletes, then their compensation inserts): only the deletes that stood are returned', async () => {
    // DELETE of 1..3 stands; a second DELETE of 4..5 fails and is undone (inserts of 5, 4), then COMMIT
    const r = await scan([
      begin('7:1:1', '0000:e'),
      del('7:1:2', '0000:e', img(1)), del('7:1:3', '0000:e', img(2)), del('7:1:4', '0000:e', img(3)),
      del('7:1:5', '0000:e', img(4)), del('7:1:6', '0000:e', img(5)),
      ins('7:1:7', '0000:e', img(5)), ins('7:1:8', '0000:e', img(4)),
      commit('7:1:9', '0000:e'),
    ]);
    expect(r.lsns).toEqual(['7:1:2', '7:1:3', '7:1:4']);
    expect(r.stats).toMatchObject({ rowOps: 5, candidates: 3, undoneInTransactionRowOps: 2, undoneUncheckedTransactions: 0 });
  });

  it('a row inserted and deleted again in one transaction (an insert undone by a savepoint rollback) is no deleted row', async () => {
    const r = await scan([begin('7:2:1', '0000:f'), ins('7:2:2', '0000:f', img(9)), del('7:2:3', '0000:f', img(9)), del('7:2:4', '0000:f', img(8)), commit('7:2:5', '0000:f')]);
    expect(r.lsns).toEqual(['7:2:4']);
  });

  it('an insert scan drops an insert its own transaction deleted again', async () => {
    const r = await scan([begin('7:3:1', '0000:10'), ins('7:3:2', '0000:10', img(1)), ins('7:3:3', '0000:10', img(2)), del('7:3:4', '0000:10', img(1)), commit('7:3:5', '0000:10')], ['insert']);
    expect(r.lsns).toEqual(['7:3:3']);
    expect(r.stats.undoneInTransactionRowOps).toBe(1);
  });

  it('pairs ignore the record type / ghost bits and the versioning tag, nothing else', async () => {
    const tagged = new Uint8Array([...img(3, 0x10 | 0x40 | 0x0c), ...new Uint8Array(14).fill(7)]); // ghost data + 14-byte tag
    const r = await scan([
      begin('7:4:1', '0000:11'),
      del('7:4:2', '0000:11', img(3)), del('7:4:3', '0000:11', img(4)), del('7:4:4', '0000:11', img(5)),
      ins('7:4:5', '0000:11', tagged), // same row as 7:4:2
      ins('7:4:6', '0000:11', img(4, 0x30)), // other flags (variable columns): another record
      ins('7:4:7', '0000:11', img(6)), // another value
      commit('7:4:8', '0000:11'),
    ]);
    expect(r.lsns).toEqual(['7:4:3', '7:4:4']);
  });

  it('never across transactions, allocation units or tables the filter left out; never when both deletes and inserts are asked for', async () => {
    const records = [
      begin('7:5:1', '0000:12'), begin('7:5:2', '0000:13'),
      del('7:5:3', '0000:12', img(1)), ins('7:5:4', '0000:13', img(1)), // another transaction put it back: the delete happened
      del('7:5:5', '0000:12', img(2)), ins('7:5:6', '0000:12', img(2), OTHER_AU), // same bytes, another table
      commit('7:5:7', '0000:12'), commit('7:5:8', '0000:13'),
    ];
    expect((await scan(records)).lsns).toEqual(['7:5:3', '7:5:5']);
    expect((await scan(records, ['delete', 'insert'])).lsns).toEqual(['7:5:3', '7:5:5', '7:5:6', '7:5:4']); // commit order
  });

  it('opposite operations left unpaired are told to the rows of their table (txn.opposite): a key-changing UPDATE logs a delete and an insert', async () => {
    const records = [
      begin('7:a:1', '0000:18'),
      del('7:a:2', '0000:18', img(1)), ins('7:a:3', '0000:18', img(2)), // row 1 moved to key 2
      del('7:a:4', '0000:18', img(3)), ins('7:a:5', '0000:18', img(3)), // taken back
      commit('7:a:6', '0000:18'),
      begin('7:b:1', '0000:19'), del('7:b:2', '0000:19', img(4)), ins('7:b:3', '0000:19', img(4)), del('7:b:4', '0000:19', img(5)), commit('7:b:5', '0000:19'),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'] }, catalog, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['7:a:2', '7:b:4']);
    expect(got[0].txn.opposite).toEqual({ operation: 'insert', perAllocUnit: new Map([[AU, 1]]) });
    expect(got[1].txn.opposite).toBeUndefined(); // its one insert put a deleted row back: nothing left to tell
  });

  it('two deletes of identical rows and one insert of that row: one delete stands (the later one)', async () => {
    const r = await scan([begin('7:6:1', '0000:14'), del('7:6:2', '0000:14', img(7)), del('7:6:3', '0000:14', img(7)), ins('7:6:4', '0000:14', img(7)), commit('7:6:5', '0000:14')]);
    expect(r.lsns).toEqual(['7:6:3']);
  });

  it('held candidates spilled to a temporary file are paired the same way', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const spillDir = mkdtempSync(join(tmpdir(), 'rowback-spill-test-'));
    const records = [
      begin('7:7:1', '0000:15'),
      ...Array.from({ length: 40 }, (_, i) => del(`7:7:${i + 2}`, '0000:15', img(i))),
      ins('7:7:50', '0000:15', img(39)), ins('7:7:51', '0000:15', img(0)),
      commit('7:7:52', '0000:15'),
    ];
    const inMemory = await scan(records);
    const spilled = await scan(records, ['delete'], { holdBudgetBytes: 1, spillDir });
    expect(inMemory.lsns).toHaveLength(38);
    expect(inMemory.lsns).not.toContain('7:7:2');
    expect(spilled.lsns).toEqual(inMemory.lsns);
    expect(spilled.stats).toEqual(inMemory.stats);
    rmSync(spillDir, { recursive: true, force: true });
  });

  it('opposite operations beyond the pair budget: the rows are returned and the transaction is counted as unchecked', async () => {
    const records = [begin('7:8:1', '0000:16'), del('7:8:2', '0000:16', img(1)), ins('7:8:3', '0000:16', img(1)), commit('7:8:4', '0000:16')];
    const r = await scan(records, ['delete'], { pairBudgetBytes: 4 });
    expect(r.lsns).toEqual(['7:8:2']);
    expect(r.stats).toMatchObject({ undoneInTransactionRowOps: 0, undoneUncheckedTransactions: 1 });
    // a transaction that rolled back entirely is simply dropped, pairs or not
    const aborted = await scan([begin('7:9:1', '0000:17'), del('7:9:2', '0000:17', img(1)), ins('7:9:3', '0000:17', img(1)), rec('7:9:4', 'LOP_ABORT_XACT', '0000:17')]);
    expect(aborted.lsns).toEqual([]);
    expect(aborted.stats).toMatchObject({ undoneInTransactionRowOps: 0, rolledBackRowOps: 1 });
  });
});

describe('TRUNCATE TABLE and DROP TABLE transactions (rows no log record holds)', () => {
  it('counted and listed when they commit in the window, with what `dump --stop-before-lsn` needs; not when rolled back or outside the window', async () => {
    const records: LogRecord[] = [
      rec('8:1:1', 'LOP_BEGIN_XACT', '0000:20', { 'Begin Time': '2026/11/20 10:00:00:000', 'Transaction Name': 'TRUNCATE TABLE', SPID: 61, 'Transaction SID': new Uint8Array([1, 2]) }),
      rec('8:1:2', 'LOP_COMMIT_XACT', '0000:20'),
      rec('8:2:1', 'LOP_BEGIN_XACT', '0000:21', { 'Begin Time': '2026/11/20 10:01:00:000', 'Transaction Name': 'DROPOBJ' }),
      rec('8:2:2', 'LOP_COMMIT_XACT', '0000:21'),
      rec('8:3:1', 'LOP_BEGIN_XACT', '0000:22', { 'Begin Time': '2026/11/20 10:02:00:000', 'Transaction Name': 'TRUNCATE TABLE' }),
      rec('8:3:2', 'LOP_ABORT_XACT', '0000:22'),
      rec('8:4:1', 'LOP_BEGIN_XACT', '0000:23', { 'Begin Time': '2026/11/21 09:00:00:000', 'Transaction Name': 'TRUNCATE TABLE' }),
      rec('8:4:2', 'LOP_COMMIT_XACT', '0000:23'),
      rec('8:5:1', 'LOP_BEGIN_XACT', '0000:24', { 'Begin Time': '2026/11/20 10:03:00:000', 'Transaction Name': 'DELETE' }),
      rec('8:5:2', 'LOP_COMMIT_XACT', '0000:24'),
    ];
    const stats = emptyStats();
    await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'], from: '2026-11-20T00:00:00', to: '2026-11-20T23:59:59' }, catalog, { stats }));
    expect(stats.rowlessRemovals).toBe(2);
    expect(stats.rowlessRemovalList).toEqual([
      { kind: 'TRUNCATE TABLE', transactionId: '0000:20', beginLsn: '8:1:1', beginTime: '2026/11/20 10:00:00:000', spid: 61, sid: '0x0102' },
      { kind: 'DROP TABLE', transactionId: '0000:21', beginLsn: '8:2:1', beginTime: '2026/11/20 10:01:00:000', spid: null, sid: null },
    ]);
    expect(explainNoRows(stats, ['delete'])).toMatch(/it holds no deletes on table data rows \(heap or clustered index\); but 2 committed TRUNCATE TABLE \/ DROP TABLE transaction\(s\), whose rows no log record holds/);
  });
});


describe('undone-in-transaction pairing: review cases', () => {
  const img = (n: number, statusA = 0x10) => new Uint8Array([statusA, 0, 8, 0, n, 0, 0, 0, 1, 0, 0]);
  const HEAP_AU = '72057594043432960'; // Orders: a heap, where identical rows are possible
  const begin = (lsn: string, xid: string) => rec(lsn, 'LOP_BEGIN_XACT', xid, { 'Begin Time': '2026/11/20 10:00:00:000' });
  const del = (lsn: string, xid: string, image: Uint8Array, extra: Partial<LogRecord> = {}) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_HEAP', AllocUnitId: HEAP_AU, 'RowLog Contents 0': image, ...extra });
  const ins = (lsn: string, xid: string, image: Uint8Array, extra: Partial<LogRecord> = {}) => rec(lsn, 'LOP_INSERT_ROWS', xid, { Context: 'LCX_HEAP', AllocUnitId: HEAP_AU, 'RowLog Contents 0': image, ...extra });
  const commit = (lsn: string, xid: string) => rec(lsn, 'LOP_COMMIT_XACT', xid, { 'End Time': '2026/11/20 10:00:01:000' });
  async function scan(records: LogRecord[], operations: Array<'delete' | 'insert' | 'update'> = ['delete']) {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* records; }, { operations }, catalog, { stats }));
    return { lsns: got.map((c) => c.record['Current LSN']), stats };
  }

  it('a compensation record the source marks (fn_dblog COMPENSATION) uses up the pair its rollback undid: a later real delete of an identical heap row stands', async () => {
    // An identical row X already exists in the heap. The transaction inserts another X, a savepoint
    // rollback deletes that new X again (a CLR, marked), then the transaction deletes the old X and commits: one X is gone.
    for (const mark of [{ Description: 'COMPENSATION' }, { compensation: true }] as Partial<LogRecord>[]) {
      const r = await scan([begin('8:1:1', '0000:20'), ins('8:1:2', '0000:20', img(5)), del('8:1:3', '0000:20', img(5), mark), del('8:1:4', '0000:20', img(5)), commit('8:1:5', '0000:20')]);
      expect(r.lsns).toEqual(['8:1:4']);
    }
    // and the same for an insert scan: X deleted, the delete rolled back (marked CLR insert), then X inserted again for real
    const r = await scan([begin('8:2:1', '0000:21'), del('8:2:2', '0000:21', img(6)), ins('8:2:3', '0000:21', img(6), { Description: 'COMPENSATION' }), ins('8:2:4', '0000:21', img(6)), commit('8:2:5', '0000:21')], ['insert']);
    expect(r.lsns).toEqual(['8:2:4']);
  });

  it('with --op update --op delete, an update is never taken for a row the transaction inserted (its RowLog Contents 0 is a slice, not a row image)', async () => {
    const modify = rec('8:3:2', 'LOP_MODIFY_ROW', '0000:22', { Context: 'LCX_HEAP', AllocUnitId: HEAP_AU, 'RowLog Contents 0': img(7), 'RowLog Contents 1': img(8) });
    const r = await scan([begin('8:3:1', '0000:22'), modify, ins('8:3:3', '0000:22', img(7)), commit('8:3:4', '0000:22')], ['update', 'delete']);
    expect(r.lsns).toEqual(['8:3:2']);
    expect(r.stats.undoneInTransactionRowOps).toBe(0);
  });

  it('PAGE-compressed tables: images pair only on the same page (a page-dictionary symbol or anchor prefix means another value on another page)', async () => {
    const pageTable: TableLayout = { ...table, name: 'Paged', compression: 'PAGE', allocUnits: [{ allocUnitId: '72057594043498496', type: 'IN_ROW_DATA' }] };
    const cat = catalogFromLayouts([pageTable]);
    const PAU = '72057594043498496';
    // SYNTHETIC CD image: header 0x01, 2 columns, CD nibbles (col 1: 1 byte, col 2: page-dictionary symbol 0x0b), value 0x05, symbol 0
    const cdImg = new Uint8Array([0x01, 0x02, 0xb2, 0x85, 0x00]);
    const at = (page: string) => ({ AllocUnitId: PAU, 'Page ID': page, 'RowLog Contents 0': cdImg });
    const records = [
      begin('8:4:1', '0000:23'),
      rec('8:4:2', 'LOP_DELETE_ROWS', '0000:23', { Context: 'LCX_MARK_AS_GHOST', ...at('0001:00000010') }),
      rec('8:4:3', 'LOP_INSERT_ROWS', '0000:23', { Context: 'LCX_CLUSTERED', ...at('0001:00000020') }), // same bytes, another page: another value
      rec('8:4:4', 'LOP_DELETE_ROWS', '0000:23', { Context: 'LCX_MARK_AS_GHOST', ...at('0001:00000030') }),
      rec('8:4:5', 'LOP_INSERT_ROWS', '0000:23', { Context: 'LCX_CLUSTERED', ...at('0001:00000030') }), // same page: the same row put back
      commit('8:4:6', '0000:23'),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'] }, cat, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['8:4:2']);
    expect(stats.undoneInTransactionRowOps).toBe(1);
  });
});

/**
 * "why no rows: … all on allocation units the table metadata does not know" gave a count and never
 * which units: the stats count row operations per unknown AllocUnitId (bounded:
 * UNKNOWN_ALLOC_UNITS_KEPT distinct units), and explainNoRows names the five most frequent with
 * their counts and `rowback log --alloc-unit ID`, which lists their records.
 */
describe('unknown allocation units by id', () => {
  const SPAN = { firstBeginTime: '2026/11/20 10:00:00:000', lastBeginTime: '2026/11/20 10:00:00:000' };
  const deletesOn = (units: (string | null)[]): LogRecord[] => [
    rec('3:1:1', 'LOP_BEGIN_XACT', '0000:30', { 'Begin Time': '2026/11/20 10:00:00:000' }),
    ...units.map((au, i) => rec(`3:2:${i + 1}`, 'LOP_DELETE_ROWS', '0000:30', { Context: 'LCX_CLUSTERED', AllocUnitId: au })),
    rec('3:3:1', 'LOP_COMMIT_XACT', '0000:30'),
  ];
  const scan = async (records: LogRecord[]) => {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'] }, catalog, { stats }));
    expect(got).toEqual([]);
    return stats;
  };

  it('counts row operations per unknown AllocUnitId (a record with none only in the total)', async () => {
    const stats = await scan(deletesOn(['111', '222', '111', null, '333', '111', '222']));
    expect(stats.unknownAllocUnitRowOps).toBe(7);
    expect(Object.fromEntries(stats.unknownAllocUnits!)).toEqual({ 111: 3, 222: 2, 333: 1 });
  });

  it(`keeps at most ${UNKNOWN_ALLOC_UNITS_KEPT} distinct units; the rest are in the total only, and the line says "at least"`, async () => {
    const units = Array.from({ length: UNKNOWN_ALLOC_UNITS_KEPT + 5 }, (_, i) => String(1000 + i));
    const stats = await scan(deletesOn([...units, '1000']));
    expect(stats.unknownAllocUnitRowOps).toBe(UNKNOWN_ALLOC_UNITS_KEPT + 6);
    expect(stats.unknownAllocUnits!.size).toBe(UNKNOWN_ALLOC_UNITS_KEPT);
    expect(explainNoRows({ ...stats, ...SPAN }, ['delete'])).toContain(`: AllocUnitId 1000 ×2, 1001 ×1, 1002 ×1, 1003 ×1, 1004 ×1 and at least ${UNKNOWN_ALLOC_UNITS_KEPT - 5} more, listed by rowback log --alloc-unit ID)`);
  });

  it('units of SQL Server\'s system base tables (index_id << 48 | object_id << 16, object id below 100) are counted and named as such', async () => {
    // 262144: object 4; 281474976907264: index 1 of object 3; 72057594043695104: a user table's unit (1 << 56 and up)
    const stats = await scan(deletesOn(['262144', '281474976907264', '72057594043695104']));
    expect(stats.systemTableRowOps).toBe(2);
    expect(explainNoRows({ ...stats, ...SPAN }, ['delete'])).toContain(
      "it holds 3 deletes on table data rows: all on allocation units the table metadata does not know: 2 on SQL Server's own system tables (allocation unit ids of object ids below 100: its catalog's rows, not user data), 1 on other tables (missing from the metadata): AllocUnitId ",
    );
    const system = await scan(deletesOn(['262144', '196608']));
    expect(explainNoRows({ ...system, ...SPAN }, ['delete'])).toContain("it holds 2 deletes on table data rows: all on SQL Server's own system tables (allocation unit ids of object ids below 100: its catalog's rows, not user data): AllocUnitId 196608 ×1, 262144 ×1");
  });

  it.each([
    ['262144', true], ['196608', true], ['281474976907264', true], ['6553600', false], ['72057594043695104', false], ['411043454976000', false], ['1', false], ['', false],
  ])('isSystemBaseTableAllocUnit(%s) = %s', (id, want) => {
    expect(isSystemBaseTableAllocUnit(id)).toBe(want);
  });

  const units = (o: Record<string, number>) => new Map(Object.entries(o));
  it.each([
    ['one unit, all the row operations', { rowOps: 4, unknownAllocUnitRowOps: 4, unknownAllocUnits: units({ 262144: 4 }) },
      'it holds 4 deletes on table data rows: all on allocation units the table metadata does not know (system tables, or tables missing from the metadata: AllocUnitId 262144 ×4, listed by rowback log --alloc-unit ID)'],
    ['seven units: the five most frequent, ties by id, and how many more', { rowOps: 40, unknownAllocUnitRowOps: 30, outsideWindowRowOps: 10, unknownAllocUnits: units({ 7: 1, 6: 2, 5: 3, 4: 3, 3: 5, 2: 7, 1: 9 }) },
      'it holds 40 deletes on table data rows: 30 on allocation units the table metadata does not know (system tables, or tables missing from the metadata: AllocUnitId 1 ×9, 2 ×7, 3 ×5, 4 ×3, 5 ×3 and 2 more, listed by rowback log --alloc-unit ID), 10 in transactions that began outside the window'],
    ['stats built without the map (another source): the count alone, as before', { rowOps: 4, unknownAllocUnitRowOps: 4, unknownAllocUnits: undefined },
      'it holds 4 deletes on table data rows: all on allocation units the table metadata does not know (system tables, or tables missing from the metadata)'],
    ['a server-filtered read (live)', { serverFiltered: true as const, rowOps: 3, unknownAllocUnitRowOps: 3, unknownAllocUnits: units({ '72057594043695104': 3 }) },
      "returned 3 deletes on the tables' data rows: 3 on allocation units the table metadata does not know (a table created or rebuilt after the metadata was read: AllocUnitId 72057594043695104 ×3, listed by rowback log --alloc-unit ID)"],
  ])('explainNoRows: %s', (_, s, sentence) => {
    const line = explainNoRows({ ...emptyStats(), ...SPAN, ...s }, ['delete']);
    expect(line.endsWith(sentence), line).toBe(true);
  });
});

describe('a window, and transactions whose LOP_BEGIN_XACT is not in the log read', () => {
  // SYNTHETIC records (structure only): 0000:a began before the log read and committed inside the
  // window; 0000:b likewise but committed before the window's start; 0000:c began before it and
  // rolled back; 0000:d began in the window (read) as a control.
  const unread: LogRecord[] = [
    rec('3:1:1', 'LOP_DELETE_ROWS', '0000:a', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
    rec('3:1:2', 'LOP_DELETE_ROWS', '0000:a', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
    rec('3:1:3', 'LOP_DELETE_ROWS', '0000:b', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
    rec('3:1:4', 'LOP_COMMIT_XACT', '0000:b', { 'End Time': '2026/11/20 09:59:59:997' }),
    rec('3:1:5', 'LOP_DELETE_ROWS', '0000:c', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
    rec('3:1:6', 'LOP_ABORT_XACT', '0000:c'),
    rec('3:2:1', 'LOP_BEGIN_XACT', '0000:d', { 'Begin Time': '2026/11/20 10:15:00:000' }),
    rec('3:2:2', 'LOP_DELETE_ROWS', '0000:d', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
    rec('3:2:3', 'LOP_COMMIT_XACT', '0000:d', { 'End Time': '2026/11/20 10:15:00:003' }),
    rec('3:3:1', 'LOP_COMMIT_XACT', '0000:a', { 'End Time': '2026/11/20 10:30:00:000' }),
  ];
  const from = '2026-11-20T10:00:00.000';
  const to = '2026-11-20T11:00:00.000';

  it('rows of one that committed at or after the window\'s start are counted apart (not "began outside the window") with their commit time, and said', async () => {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* unread; }, { operations: ['delete'], from, to }, catalog, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['3:2:2']);
    expect(stats).toMatchObject({ beginUnreadRowOps: 2, beginUnreadTransactions: 1, beginUnreadFirstCommit: '2026/11/20 10:30:00:000', beginUnreadLastCommit: '2026/11/20 10:30:00:000' });
    // 0000:b committed before the window's start, so it began before it: outside, certainly
    expect(stats.outsideWindowRowOps).toBe(1);
    expect(stats.rolledBackRowOps).toBe(1);
    const clause = beginUnreadClause(stats, ['delete'], 'printed', 'HOW');
    expect(clause).toBe("2 committed delete(s) of 1 transaction(s) whose LOP_BEGIN_XACT is not in the log read (they began before it, or in log that could not be read; it committed at 2026/11/20 10:30:00:000, the SQL Server's local time) are not printed: their Begin Time is not known, so whether they began in the window cannot be told; HOW");
  });

  it('"why no rows" does not say they began outside the window', async () => {
    const stats = emptyStats();
    const onlyA = unread.filter((r) => r['Transaction ID'] === '0000:a');
    expect(await all(committedCandidates(async function* () { yield* onlyA; }, { operations: ['delete'], from, to }, catalog, { stats }))).toEqual([]);
    const why = explainNoRows(stats, ['delete']);
    expect(why).not.toContain('outside the window');
    expect(why).toContain("2 in transactions whose LOP_BEGIN_XACT is not in the log read (it committed at 2026/11/20 10:30:00:000, the SQL Server's local time): whether they began in the window cannot be told");
  });

  it('"why no rows": one that committed before the window\'s start is outside it, said by its commit (its Begin Time is in no span)', async () => {
    const stats = emptyStats();
    const onlyB = unread.filter((r) => r['Transaction ID'] === '0000:b');
    expect(await all(committedCandidates(async function* () { yield* onlyB; }, { operations: ['delete'], from, to }, catalog, { stats }))).toEqual([]);
    expect(stats).toMatchObject({ outsideWindowRowOps: 1, outsideWindowBeginUnreadRowOps: 1, outsideWindowBeginUnreadLastCommit: '2026/11/20 09:59:59:997' });
    expect(stats.outsideWindowFirstBegin).toBeUndefined();
    expect(explainNoRows(stats, ['delete'])).toContain("1 in transactions that began outside the window (all in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2026/11/20 09:59:59:997, before the window's start, so began before it, the SQL Server's local time, as --from/--to are)");
  });

  it('without a window their rows are returned as before (no Begin Time), and nothing is said', async () => {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* unread; }, { operations: ['delete'] }, catalog, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['3:1:3', '3:2:2', '3:1:1', '3:1:2']);
    expect(got[0]!.txn.beginTime).toBeNull();
    expect(stats.beginUnreadRowOps ?? 0).toBe(0);
    expect(beginUnreadClause(stats, ['delete'], 'printed', 'HOW')).toBe('');
  });

  it('a window with an end and no start: one that committed by the end began by it, inside the window, and is returned; one that committed after it is not placed', async () => {
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* unread; }, { operations: ['delete'], to: '2026-11-20T10:20:00.000' }, catalog, { stats }));
    // 0000:b (committed 09:59:59.997) and 0000:d (began 10:15, read) are inside; 0000:a committed at 10:30, after the end
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['3:1:3', '3:2:2']);
    expect(got[0]!.txn.beginTime).toBeNull();
    expect(stats).toMatchObject({ beginUnreadRowOps: 2, beginUnreadTransactions: 1, outsideWindowRowOps: 0 });
  });

  it('rows its own transaction took back (a delete and the same row inserted again) are not said as rows the window left out', async () => {
    // SYNTHETIC FixedVar images. 0000:e (begin not read) deletes rows 1 and 2 and inserts row 1 again,
    // committing in the window: only row 2's delete is a row the window may have left out (before,
    // the INCOMPLETE said 2); 0000:f only deletes row 3 and puts it back: nothing to say of it.
    const img = (k: number) => new Uint8Array([0x10, 0, 8, 0, k, 0, 0, 0, 1, 0, 0]);
    const del = (lsn: string, xid: string, k: number) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU, 'RowLog Contents 0': img(k) });
    const ins = (lsn: string, xid: string, k: number) => rec(lsn, 'LOP_INSERT_ROWS', xid, { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'RowLog Contents 0': img(k) });
    const records = [
      del('4:1:1', '0000:e', 1), del('4:1:2', '0000:e', 2), ins('4:1:3', '0000:e', 1),
      rec('4:1:4', 'LOP_COMMIT_XACT', '0000:e', { 'End Time': '2026/11/20 10:30:00:000' }),
      del('4:2:1', '0000:f', 3), ins('4:2:2', '0000:f', 3),
      rec('4:2:3', 'LOP_COMMIT_XACT', '0000:f', { 'End Time': '2026/11/20 10:40:00:000' }),
    ];
    const stats = emptyStats();
    expect(await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'], from, to }, catalog, { stats }))).toEqual([]);
    expect(stats).toMatchObject({ rowOps: 3, beginUnreadRowOps: 1, beginUnreadTransactions: 1, undoneInTransactionRowOps: 2, beginUnreadLastCommit: '2026/11/20 10:30:00:000' });
    expect(beginUnreadClause(stats, ['delete'], 'printed', 'HOW')).toMatch(/^1 committed delete\(s\) of 1 transaction\(s\)/);
    // committed before the window's start: outside, but those taken back are counted as taken back
    const early = emptyStats();
    await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'], from: '2026-11-20T11:00:00.000' }, catalog, { stats: early }));
    expect(early).toMatchObject({ outsideWindowRowOps: 1, undoneInTransactionRowOps: 2 });
    expect(early.beginUnreadRowOps ?? 0).toBe(0);
    // spilled to a temporary file (a mass delete): paired the same way, and the file removed
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const spillDir = mkdtempSync(join(tmpdir(), 'rowback-unread-spill-'));
    try {
      const spilled = emptyStats();
      const many = [
        ...Array.from({ length: 60 }, (_, i) => del(`5:1:${i + 1}`, '0000:g', i + 10)),
        ins('5:2:1', '0000:g', 10), ins('5:2:2', '0000:g', 11),
        rec('5:2:3', 'LOP_COMMIT_XACT', '0000:g', { 'End Time': '2026/11/20 10:30:00:000' }),
      ];
      expect(await all(committedCandidates(async function* () { yield* many; }, { operations: ['delete'], from, to }, catalog, { stats: spilled, holdBudgetBytes: 200, spillDir }))).toEqual([]);
      expect(spilled).toMatchObject({ beginUnreadRowOps: 58, undoneInTransactionRowOps: 2 });
      expect(readdirSync(spillDir)).toEqual([]);
    } finally {
      rmSync(spillDir, { recursive: true, force: true });
    }
  });

  it('one that never commits in the log is counted as never committed', async () => {
    const stats = emptyStats();
    const open1 = unread.filter((r) => r['Transaction ID'] === '0000:a' && r.Operation !== 'LOP_COMMIT_XACT');
    await all(committedCandidates(async function* () { yield* open1; }, { operations: ['delete'], from, to }, catalog, { stats }));
    expect(stats).toMatchObject({ uncommittedRowOps: 2, outsideWindowRowOps: 0 });
    expect(stats.beginUnreadRowOps ?? 0).toBe(0);
  });
});
