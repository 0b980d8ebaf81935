// SYNTHETIC: log records built here as plain objects, row images made by the test encoder; the
// catalog rows' key bytes where the corpus shows them (sysrscols' rowset id at offset 4:
// NORTHWND_log.ldf; syscolpars' object id at offset 4: Database1_log.ldf, whose CREATE PROCEDUREs run
// in transactions named user_transaction). An ALTER TABLE inside a user's transaction (an
// application's schema migration) was passed by, its name not being DDL's: the rows inserted after
// it, in the new layout, were replayed and printed with the base backup's.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { SYSCOLPARS_ALLOC_UNIT, SYSHOBTCOLUMNS_2005_ALLOC_UNIT, SYSRSCOLS_ALLOC_UNIT } from '../../src/recover/layout-changes.js';
import { LogReplay, type ReplayStats } from '../../src/replay/point-in-time.js';
import { RowState } from '../../src/replay/row-state.js';
import { buildLayout, encodeFixedVar } from '../support/synthetic-encoder.js';

const AU = '72057594039697408';
const PARTITION = '72057594038779904';
const OBJECT_ID = 245575913;
const layout = { ...buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'price', type: 'decimal', precision: 10, scale: 2 }]), objectId: OBJECT_ID, partitionId: PARTITION, allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
const altered = buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'price', type: 'decimal', precision: 10, scale: 4 }]);
const lsn = (n: number) => `00000019:${n.toString(16).padStart(8, '0')}:0001`;
const stats = (): ReplayStats => ({ baseRows: 0, redone: { insert: 0, delete: 0, update: 0 }, undone: 0, committedTransactions: 0, openAtStop: 0, lastCommitTime: null, stoppedAt: null, records: 0, baseLogOps: { total: 0, inBase: 0 }, ddlElsewhere: [], movedRows: 0 });

function rec(n: number, op: string, txn: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { 'Current LSN': lsn(n), Operation: op, Context: 'LCX_NULL', 'Transaction ID': txn, ...extra } as LogRecord;
}
const begin = (n: number, txn: string, name: string) => rec(n, 'LOP_BEGIN_XACT', txn, { 'Transaction Name': name, 'Begin Time': '2017/06/01 13:00:00:000' });
const commit = (n: number, txn: string) => rec(n, 'LOP_COMMIT_XACT', txn, { 'End Time': '2017/06/01 13:00:00:000' });
const insert = (n: number, txn: string, image: Uint8Array) => rec(n, 'LOP_INSERT_ROWS', txn, { Context: 'LCX_HEAP', AllocUnitId: AU, 'Page ID': '0001:00000099', 'Slot ID': 0, 'RowLog Contents 0': image });
function rscols(colid: number, tail = 0): Uint8Array {
  const b = Buffer.alloc(24);
  b.writeUInt16LE(0x0010, 0);
  b.writeUInt16LE(0x3a, 2);
  b.writeBigUInt64LE(BigInt(PARTITION), 4);
  b.writeUInt32LE(colid, 12);
  b[20] = tail;
  return new Uint8Array(b);
}
const catalogRow = (n: number, txn: string, op: 'LOP_INSERT_ROWS' | 'LOP_DELETE_ROWS', au: string, image: Uint8Array) => rec(n, op, txn, { Context: 'LCX_CLUSTERED', AllocUnitId: au, 'RowLog Contents 0': image });

function run(records: LogRecord[]) {
  const state = new RowState(['id', 'price']);
  const replay = new LogReplay({ layout, columns: ['id', 'price'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats() });
  for (const r of records) if (replay.feed(r, null) === 'stop') break;
  replay.finish(state);
  return [...state.rows()].map((x) => [x.values.id, x.values.price]);
}

describe('LogReplay: a change of the table\'s columns in a transaction of any name', () => {
  const before = [begin(1, 'a', 'INSERT'), insert(2, 'a', encodeFixedVar(layout, { id: 1, price: '12.34' })), commit(3, 'a')];
  const after = [begin(20, 'c', 'INSERT'), insert(21, 'c', encodeFixedVar(altered, { id: 2, price: '12.3400' })), commit(22, 'c')];

  it('an ALTER COLUMN in place inside user_transaction (sysrscols rows re-keyed and added) is refused at its commit, naming the transaction and the table', () => {
    const migration = [
      begin(10, 'b', 'user_transaction'),
      catalogRow(11, 'b', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2)),
      catalogRow(12, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(0x04000001)),
      catalogRow(13, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2, 4)),
      commit(14, 'b'),
    ];
    expect(() => run([...before, ...migration, ...after])).toThrow(expect.objectContaining({
      code: 'REPLAY_UNSUPPORTED_OPERATION',
      message: expect.stringContaining(`transaction b ('user_transaction') changed dbo.T's columns (it inserted or deleted the table's rows of sys.sysrscols/sys.syscolpars, the first at LSN ${lsn(11)}`),
    }));
  });

  it('a column added (a syscolpars row naming the object id) is refused too', () => {
    const col = Buffer.alloc(20);
    col.writeUInt16LE(0x0030, 0);
    col.writeInt32LE(OBJECT_ID, 4);
    const add = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_INSERT_ROWS', SYSCOLPARS_ALLOC_UNIT, new Uint8Array(col)), commit(12, 'b')];
    expect(() => run([...before, ...add, ...after])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION' }));
  });

  it('not refused: the same catalog rows moved (deleted and inserted alike), a change rolled back, another table\'s rowset', () => {
    const moved = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2)), catalogRow(12, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2)), commit(13, 'b')];
    expect(run([...before, ...moved])).toEqual([[1, '12.34']]);
    const undone = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(0x04000001)), rec(12, 'LOP_ABORT_XACT', 'b')];
    expect(run([...before, ...undone])).toEqual([[1, '12.34']]);
    const otherRowset = Buffer.from(rscols(2));
    otherRowset.writeBigUInt64LE(72057594099999999n, 4);
    const elsewhere = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, new Uint8Array(otherRowset)), commit(12, 'b')];
    expect(run([...before, ...elsewhere])).toEqual([[1, '12.34']]);
  });
  it('SQL Server 2005 (no sysrscols): an ALTER COLUMN inside user_transaction, seen as its new physical column\'s syshobtcolumns insert (hobt id @4, hobt column id @12 as aspnetdb_log.ldf holds them), is refused; it was replayed with the base backup\'s layout', () => {
    const hobt = Buffer.alloc(41);
    hobt.writeUInt16LE(0x0010, 0);
    hobt.writeBigUInt64LE(BigInt(PARTITION), 4);
    hobt.writeUInt32LE(3, 12);
    const migration = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_INSERT_ROWS', SYSHOBTCOLUMNS_2005_ALLOC_UNIT, new Uint8Array(hobt)), commit(12, 'b')];
    const state = new RowState(['id', 'price']);
    const replay = new LogReplay({ layout, columns: ['id', 'price'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats(), sqlServer2005: true });
    expect(() => {
      for (const r of [...before, ...migration, ...after]) if (replay.feed(r, null) === 'stop') break;
      replay.finish(state);
    }).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', message: expect.stringContaining("the table's rows of sys.sysrowsetcolumns/sys.syshobtcolumns/sys.syscolpars, the first") }));
  });
  it('not refused: a change the base backup\'s catalog already holds (its new partition column id is there: the log read reaches back before the base)', () => {
    const held = { ...layout, columns: [...layout.columns, { ...layout.columns[1]!, name: 'dropped', isDropped: true, partitionColumnId: 0x04000001, columnId: 0 }] };
    const migration = [begin(10, 'b', 'user_transaction'), catalogRow(11, 'b', 'LOP_DELETE_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2)), catalogRow(12, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(0x04000001)), catalogRow(13, 'b', 'LOP_INSERT_ROWS', SYSRSCOLS_ALLOC_UNIT, rscols(2, 4)), commit(14, 'b')];
    const state = new RowState(['id', 'price']);
    const replay = new LogReplay({ layout: held, columns: ['id', 'price'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats() });
    for (const r of [...before, ...migration]) replay.feed(r, null);
    replay.finish(state);
    expect([...state.rows()].map((x) => x.values.id)).toEqual([1]);
  });
});
