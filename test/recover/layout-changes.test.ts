/**
 * SYNTHETIC log records (structure as fn_dblog prints it; the catalog rows' key bytes where the
 * corpus shows them: sysrscols' rowset id at offset 4, NORTHWND_log.ldf; syscolpars' object id at
 * offset 4, Database1_log.ldf): a data file's or backup's catalog is as of its last checkpoint, and a
 * log read past it can hold an ALTER TABLE. Rows logged after it were written in a layout the
 * catalog does not describe; read with the catalog's, an in-place ALTER COLUMN decimal(10,2) →
 * decimal(10,4) printed 12.3400 as 1234.00 with no warning. committedCandidates refuses them
 * (layoutsAsOf), and only them.
 */
import { describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats, explainNoRows } from '../../src/recover/committed.js';
import { layoutChangeReason, SYSCOLPARS_ALLOC_UNIT, SYSHOBTCOLUMNS_2005_ALLOC_UNIT, SYSROWSETCOLUMNS_2005_ALLOC_UNIT, SYSRSCOLS_ALLOC_UNIT, type LayoutChange } from '../../src/recover/layout-changes.js';
import { catalogFromLayouts, type RowCandidate } from '../../src/recover/source.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

const AU = '72057594043367424';
const PARTITION = '72057594042384384';
const OBJECT_ID = 901578250;
// the catalog as the full backup has it: Price decimal(10,2)
const before = { ...buildLayout('Prices', [{ name: 'Id', type: 'int' }, { name: 'Price', type: 'decimal', precision: 10, scale: 2 }]), objectId: OBJECT_ID, partitionId: PARTITION, allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
// after ALTER COLUMN Price decimal(10,4): in place (same slot, same size), the rows rewritten
const after = buildLayout('Prices', [{ name: 'Id', type: 'int' }, { name: 'Price', type: 'decimal', precision: 10, scale: 4 }]);
const other = { ...buildLayout('Other', [{ name: 'Id', type: 'int' }]), objectId: 5, partitionId: '72057594042449920', allocUnits: [{ allocUnitId: '72057594043432960', type: 'IN_ROW_DATA' as const }] };
const catalog = catalogFromLayouts([before, other]);
const CHECKPOINT = '00000030:00000010:0001';

const imgBefore = encodeRow(before, { Id: 1, Price: '12.34' });
const imgAfter = encodeRow(after, { Id: 2, Price: '12.3400' });

function rec(lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra };
}
/** A sysrscols row (status, fixed length, rowset id @4, column id @12, …). */
function rscols(rowset: string, colid: number, tail = 0): Uint8Array {
  const b = Buffer.alloc(24);
  b.writeUInt16LE(0x0010, 0);
  b.writeUInt16LE(0x3a, 2);
  b.writeBigUInt64LE(BigInt(rowset), 4);
  b.writeUInt32LE(colid, 12);
  b[20] = tail;
  return new Uint8Array(b);
}
/** A syscolpars row (status, fixed length, object id @4, …). */
function colpars(objectId: number, colid: number): Uint8Array {
  const b = Buffer.alloc(20);
  b.writeUInt16LE(0x0030, 0);
  b.writeUInt16LE(0x2d, 2);
  b.writeInt32LE(objectId, 4);
  b.writeUInt32LE(colid, 10);
  return new Uint8Array(b);
}
const begin = (lsn: string, xid: string, name: string) => rec(lsn, 'LOP_BEGIN_XACT', xid, { 'Begin Time': '2026/12/01 10:00:00:000', 'Transaction Name': name });
const commit = (lsn: string, xid: string) => rec(lsn, 'LOP_COMMIT_XACT', xid, { 'End Time': '2026/12/01 10:00:01:000' });
const del = (lsn: string, xid: string, img: Uint8Array, au = AU) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: au, 'RowLog Contents 0': img });
const cat = (lsn: string, xid: string, op: 'LOP_INSERT_ROWS' | 'LOP_DELETE_ROWS', au: string, img: Uint8Array) => rec(lsn, op, xid, { Context: 'LCX_CLUSTERED', AllocUnitId: au, 'RowLog Contents 0': img });
/** ALTER COLUMN in place: the old column's sysrscols row re-keyed as dropped (0x04000000 + 1), the new one inserted. */
const alter = (at: number, xid: string, end: 'commit' | 'abort' = 'commit'): LogRecord[] => [
  begin(`00000031:${at.toString(16).padStart(8, '0')}:0001`, xid, 'ALTER TABLE'),
  cat(`00000031:${at.toString(16).padStart(8, '0')}:0002`, xid, 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)),
  cat(`00000031:${at.toString(16).padStart(8, '0')}:0003`, xid, 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 0x04000001)),
  cat(`00000031:${at.toString(16).padStart(8, '0')}:0004`, xid, 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2, 4)),
  end === 'commit' ? commit(`00000031:${at.toString(16).padStart(8, '0')}:0005`, xid) : rec(`00000031:${at.toString(16).padStart(8, '0')}:0005`, 'LOP_ABORT_XACT', xid),
];

/** `asOf`: the catalog's checkpoint LSN, null for a catalog of no known time (--schema), 'none' for no watch. */
async function scan(log: LogRecord[], asOf: string | null | 'none' = CHECKPOINT, cat = catalog) {
  const refused: Array<{ c: RowCandidate; change: LayoutChange }> = [];
  const stats = emptyStats();
  const got: RowCandidate[] = [];
  for await (const c of committedCandidates(async function* () { yield* log; }, { operations: ['delete'] }, cat, { stats, ...(asOf !== 'none' ? { layoutsAsOf: asOf, onLayoutChanged: (c: RowCandidate, change: LayoutChange) => refused.push({ c, change }) } : {}) })) got.push(c);
  return { got: got.map((c) => c.record['Current LSN']), refused, stats };
}

const deleteBefore = [begin('00000031:00000001:0001', '0000:1', 'DELETE'), del('00000031:00000001:0002', '0000:1', imgBefore), commit('00000031:00000001:0003', '0000:1')];
const deleteAfter = [begin('00000031:00000009:0001', '0000:3', 'DELETE'), del('00000031:00000009:0002', '0000:3', imgAfter), del('00000031:00000009:0003', '0000:3', encodeRow(other, { Id: 7 }), '72057594043432960'), commit('00000031:00000009:0004', '0000:3')];

describe('rows logged after an ALTER that the catalog predates (layoutsAsOf)', () => {
  it('the wrong value the row would print: the after-ALTER image read with the catalog of before decodes, without a warning, as 1234.00 for 12.3400', () => {
    const row = decodeRow(imgAfter, before);
    expect(row.values.Price).toBe('1234.00');
    expect(row.warnings).toEqual([]);
  });

  it('refuses the row of the altered table logged after the change, keeps the one before it and the other table\'s', async () => {
    const { got, refused, stats } = await scan([...deleteBefore, ...alter(5, '0000:2'), ...deleteAfter]);
    expect(got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
    expect(refused.map((r) => r.c.record['Current LSN'])).toEqual(['00000031:00000009:0002']);
    expect(refused[0]!.change).toMatchObject({ table: 'dbo.Prices', lsn: '00000031:00000005:0002', transactionId: '0000:2', name: 'ALTER TABLE' });
    expect(stats.schemaDriftRowOps).toBe(1);
    expect(explainNoRows(stats, ['delete'])).toContain("1 logged after an ALTER of their table's columns that the catalog read (the data file's, the backup's or --schema's) predates, left out (SOURCE_SCHEMA_DRIFT");
    const reason = layoutChangeReason(refused[0]!.change, '00000031:00000009:0002', 'the catalog of full.bak', CHECKPOINT);
    expect(reason).toContain("dbo.Prices's columns were changed at LSN 00000031:00000005:0002 by transaction 0000:2 ('ALTER TABLE', committed at 2026-12-01T10:00:01.000)");
    expect(reason).toContain('after the catalog of full.bak was taken (its last checkpoint, LSN 00000030:00000010:0001); this row was logged at LSN 00000031:00000009:0002');
  });

  it('a syscolpars row naming the table\'s object id (a column added) is a change too; one in a user transaction (no DDL name) as well', async () => {
    const add = [begin('00000031:00000005:0001', '0000:2', 'user_transaction'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSCOLPARS_ALLOC_UNIT, colpars(OBJECT_ID, 3)), commit('00000031:00000005:0003', '0000:2')];
    const { got, refused } = await scan([...deleteBefore, ...add, ...deleteAfter]);
    expect(got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
    expect(refused).toHaveLength(1);
  });

  it('the same transaction altering the table and then deleting from it: its rows after the change are refused', async () => {
    const x = '0000:2';
    const log = [...deleteBefore, ...alter(5, x).slice(0, 4), del('00000031:00000005:0009', x, imgAfter), commit('00000031:00000005:000a', x)];
    const { got, refused } = await scan(log);
    expect(got).toEqual(['00000031:00000001:0002']);
    expect(refused.map((r) => r.c.record['Current LSN'])).toEqual(['00000031:00000005:0009']);
  });

  it('changes nothing when the change is the catalog\'s own (at or before its checkpoint), rolled back, rows only moved, of another table, or no layoutsAsOf is given', async () => {
    const log = [...deleteBefore, ...alter(5, '0000:2'), ...deleteAfter];
    expect((await scan(log, '00000031:00000006:0001')).got).toHaveLength(3); // checkpoint after the ALTER
    expect((await scan(log, 'none')).got).toHaveLength(3); // no watch (the old behaviour)
    expect((await scan([...deleteBefore, ...alter(5, '0000:2', 'abort'), ...deleteAfter])).got).toHaveLength(3);
    // a shrink or split moving the table's catalog rows: the same rows deleted and inserted
    const moved = [begin('00000031:00000005:0001', '0000:2', 'ShrinkD'), cat('00000031:00000005:0002', '0000:2', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)), cat('00000031:00000005:0003', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)), commit('00000031:00000005:0004', '0000:2')];
    expect((await scan([...deleteBefore, ...moved, ...deleteAfter])).got).toHaveLength(3);
    const split = [begin('00000031:00000005:0001', '0000:2', 'SplitPage'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)), rec('00000031:00000005:0003', 'LOP_DELETE_SPLIT', '0000:2'), commit('00000031:00000005:0004', '0000:2')];
    expect((await scan([...deleteBefore, ...split, ...deleteAfter])).got).toHaveLength(3);
    // another table's rowset (not in the catalog)
    const elsewhere = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols('72057594099999999', 2)), commit('00000031:00000005:0003', '0000:2')];
    expect((await scan([...deleteBefore, ...elsewhere, ...deleteAfter])).got).toHaveLength(3);
  });
  it("a change after the checkpoint that the catalog read already holds (a running database's files copied after the ALTER, before the next checkpoint) is not one: its new column id is in the catalog", async () => {
    // the catalog after the ALTER: Price decimal(10,4) in place, the old column dropped as partition column 0x04000001 sharing its slot
    const afterCatalog = { ...after, objectId: OBJECT_ID, partitionId: PARTITION, allocUnits: before.allocUnits, columns: [...after.columns, { ...before.columns[1]!, name: 'dropped', isDropped: true, partitionColumnId: 0x04000001, columnId: 0 }] };
    const log = [...deleteBefore, ...alter(5, '0000:2'), ...deleteAfter];
    const got: string[] = [];
    const stats = emptyStats();
    for await (const c of committedCandidates(async function* () { yield* log; }, { operations: ['delete'] }, catalogFromLayouts([afterCatalog, other]), { stats, layoutsAsOf: CHECKPOINT })) got.push(c.record['Current LSN']);
    expect(got).toHaveLength(3);
    expect(stats.schemaDriftRowOps).toBeUndefined();
    // a change that only rewrote rows under their keys gives no such evidence: refused as before
    const rewrite = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)), cat('00000031:00000005:0003', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2, 4)), commit('00000031:00000005:0004', '0000:2')];
    const again: string[] = [];
    for await (const c of committedCandidates(async function* () { yield* [...deleteBefore, ...rewrite, ...deleteAfter]; }, { operations: ['delete'] }, catalogFromLayouts([afterCatalog, other]), { layoutsAsOf: CHECKPOINT })) again.push(c.record['Current LSN']);
    expect(again).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
  });
  it('a catalog of no known time (--schema): refused only when it evidently predates the change (none of the column ids it added is there)', async () => {
    const log = [...deleteBefore, ...alter(5, '0000:2'), ...deleteAfter];
    const lacking = await scan(log, null);
    expect(lacking.got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
    expect(layoutChangeReason(lacking.refused[0]!.change, '00000031:00000009:0002', 'the catalog given with --schema', null)).toContain('after the catalog given with --schema was taken (it lacks the column ids the change added)');
    const afterCatalog = { ...after, objectId: OBJECT_ID, partitionId: PARTITION, allocUnits: before.allocUnits, columns: [...after.columns, { ...before.columns[1]!, name: 'dropped', isDropped: true, partitionColumnId: 0x04000001, columnId: 0 }] };
    expect((await scan(log, null, catalogFromLayouts([afterCatalog, other]))).got).toHaveLength(3);
    // no evidence either way (rows rewritten under their keys): not refused without a known time
    const rewrite = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2)), cat('00000031:00000005:0003', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(PARTITION, 2, 4)), commit('00000031:00000005:0004', '0000:2')];
    expect((await scan([...deleteBefore, ...rewrite, ...deleteAfter], null)).got).toHaveLength(3);
  });
});

describe('the catalog rows a change is seen in: SQL Server 2005 and computed columns', () => {
  /** A SQL Server 2005 syshobtcolumns row (hobt id @4, hobt column id @12, as aspnetdb_log.ldf's aspnet_regsql inserts hold them). SYNTHETIC. */
  function hobtcols(hobt: string, hobtColumnId: number): Uint8Array {
    const b = Buffer.alloc(41);
    b.writeUInt16LE(0x0010, 0);
    b.writeUInt16LE(0x29, 2);
    b.writeBigUInt64LE(BigInt(hobt), 4);
    b.writeUInt32LE(hobtColumnId, 12);
    return new Uint8Array(b);
  }
  /** A syscolpars row of the real record's length (fixed part 0x2d) with its status @27. SYNTHETIC. */
  function colparsWithStatus(objectId: number, colid: number, status: number): Uint8Array {
    const b = Buffer.alloc(45);
    b.writeUInt16LE(0x0030, 0);
    b.writeUInt16LE(0x2d, 2);
    b.writeInt32LE(objectId, 4);
    b.writeUInt32LE(colid, 10);
    b.writeUInt32LE(status, 27);
    return new Uint8Array(b);
  }
  async function run(log: LogRecord[], sqlServer2005: boolean) {
    const got: string[] = [];
    const stats = emptyStats();
    for await (const c of committedCandidates(async function* () { yield* log; }, { operations: ['delete'] }, catalog, { stats, layoutsAsOf: CHECKPOINT, layoutsSqlServer2005: sqlServer2005 })) got.push(c.record['Current LSN']);
    return { got, stats };
  }

  it("SQL Server 2005 (no sysrscols): an ALTER COLUMN's new physical column, a syshobtcolumns insert, refuses the table's later rows; it was passed by and 12.3400 printed as 1234.00", async () => {
    // the new hobt column inserted; the partition's sysrowsetcolumns row pointed at it in place (LOP_MODIFY_ROW: not a row insert or delete)
    const alter2005 = [
      begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'),
      cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSHOBTCOLUMNS_2005_ALLOC_UNIT, hobtcols(PARTITION, 3)),
      rec('00000031:00000005:0003', 'LOP_MODIFY_ROW', '0000:2', { Context: 'LCX_CLUSTERED', AllocUnitId: SYSROWSETCOLUMNS_2005_ALLOC_UNIT }),
      commit('00000031:00000005:0004', '0000:2'),
    ];
    const { got, stats } = await run([...deleteBefore, ...alter2005, ...deleteAfter], true);
    expect(got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
    expect(stats.schemaDriftRowOps).toBe(1);
    // a column added on 2005: its sysrowsetcolumns row (rowset id @4, rowset column id @12) as well
    const add2005 = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSROWSETCOLUMNS_2005_ALLOC_UNIT, rscols(PARTITION, 3)), commit('00000031:00000005:0003', '0000:2')];
    expect((await run([...deleteBefore, ...add2005, ...deleteAfter], true)).got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
    // objects 4 and 13 are other tables after 2005: not read there
    expect((await run([...deleteBefore, ...alter2005, ...deleteAfter], false)).got).toHaveLength(3);
  });

  it('a computed column added or dropped (its syscolpars row, status 0x10, and no sysrscols row) leaves the rows as they were: not a change', async () => {
    const computed = (end: string, op: 'LOP_INSERT_ROWS' | 'LOP_DELETE_ROWS') => [begin(`00000031:${end}:0001`, '0000:2', 'ALTER TABLE'), cat(`00000031:${end}:0002`, '0000:2', op, SYSCOLPARS_ALLOC_UNIT, colparsWithStatus(OBJECT_ID, 3, 0x10)), commit(`00000031:${end}:0003`, '0000:2')];
    const added = await run([...deleteBefore, ...computed('00000005', 'LOP_INSERT_ROWS'), ...deleteAfter], false);
    expect(added.got).toHaveLength(3);
    expect(added.stats.schemaDriftRowOps).toBeUndefined();
    expect((await run([...deleteBefore, ...computed('00000005', 'LOP_DELETE_ROWS'), ...deleteAfter], false)).got).toHaveLength(3);
    // a stored column added (status 0: a NULLable int) is still one
    const stored = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSCOLPARS_ALLOC_UNIT, colparsWithStatus(OBJECT_ID, 3, 0)), commit('00000031:00000005:0003', '0000:2')];
    expect((await run([...deleteBefore, ...stored, ...deleteAfter], false)).got).toEqual(['00000031:00000001:0002', '00000031:00000009:0003']);
  });
});

describe('a change of some partitions only (REBUILD PARTITION = n)', () => {
  // dbo.Parted in two partitions, each with its own rowset and allocation unit (SYNTHETIC ids)
  const P1 = '72057594050000000';
  const P2 = '72057594050065536';
  const AU1 = '72057594051000000';
  const AU2 = '72057594051065536';
  const base = buildLayout('Parted', [{ name: 'Id', type: 'int' }]);
  const part1 = { ...base, objectId: 77, partitionId: P1, allocUnits: [{ allocUnitId: AU1, type: 'IN_ROW_DATA' as const }] };
  const part2 = { ...base, objectId: 77, partitionId: P2, allocUnits: [{ allocUnitId: AU2, type: 'IN_ROW_DATA' as const }] };
  const parted = catalogFromLayouts([part1, part2]);
  const delOn = (lsn: string, xid: string, au: string, id: number) => [begin(`${lsn}:0001`, xid, 'DELETE'), del(`${lsn}:0002`, xid, encodeRow(base, { Id: id }), au), commit(`${lsn}:0003`, xid)];

  it("partition 2's rowset rebuilt (its column rows deleted, a new rowset's inserted; no syscolpars row) refuses no row of partition 1 logged after it; every row was refused", async () => {
    const rebuild = [
      begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'),
      cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols('72057594052000000', 1)),
      cat('00000031:00000005:0003', '0000:2', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(P2, 1)),
      commit('00000031:00000005:0004', '0000:2'),
    ];
    const log = [...delOn('00000031:00000001', '0000:1', AU1, 1), ...rebuild, ...delOn('00000031:00000009', '0000:3', AU1, 2), ...delOn('00000031:0000000a', '0000:4', AU2, 3)];
    const { got, refused } = await scan(log, CHECKPOINT, parted);
    expect(got).toEqual(['00000031:00000001:0002', '00000031:00000009:0002']);
    // (a row still logged on partition 2's old unit after it: refused, naming the partition)
    expect(refused.map((r) => r.c.record['Current LSN'])).toEqual(['00000031:0000000a:0002']);
    expect(refused[0]!.change.partitionIds).toEqual([P2]);
  });

  it('a column added (a syscolpars row) or every partition\'s column rows changed concerns every partition', async () => {
    const add = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSCOLPARS_ALLOC_UNIT, colpars(77, 2)), cat('00000031:00000005:0003', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(P2, 2)), commit('00000031:00000005:0004', '0000:2')];
    const log = [...add, ...delOn('00000031:00000009', '0000:3', AU1, 2), ...delOn('00000031:0000000a', '0000:4', AU2, 3)];
    expect((await scan(log, CHECKPOINT, parted)).got).toEqual([]);
    const both = [begin('00000031:00000005:0001', '0000:2', 'ALTER TABLE'), cat('00000031:00000005:0002', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(P1, 2)), cat('00000031:00000005:0003', '0000:2', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(P2, 2)), commit('00000031:00000005:0004', '0000:2')];
    expect((await scan([...both, ...delOn('00000031:00000009', '0000:3', AU1, 2), ...delOn('00000031:0000000a', '0000:4', AU2, 3)], CHECKPOINT, parted)).got).toEqual([]);
  });
});
