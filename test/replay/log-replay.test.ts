// SYNTHETIC: log records built here as plain objects, row images made by the test encoder
// (test/support/synthetic-encoder.ts); no byte of them comes from a SQL Server. They pin the
// replay's rules — redo, undo of what a backup copied uncommitted, the stop, every refusal — that
// the corpus chains (inserts only) do not reach. The corpus proof is point-in-time.test.ts.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { LogReplay, type ReplayStats } from '../../src/replay/point-in-time.js';
import { RowState } from '../../src/replay/row-state.js';
import type { RestoreTarget } from '../../src/restore/chain.js';
import type { UpdateRebuild } from '../../src/recover/update-rebuild.js';
import { buildLayout, encodeFixedVar } from '../support/synthetic-encoder.js';

const layout = { ...buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]), allocUnits: [{ allocUnitId: '72057594039697408', type: 'IN_ROW_DATA' as const }, { allocUnitId: '72057594039762944', type: 'LOB_DATA' as const }] };
const AU = '72057594039697408';
const LOB_AU = '72057594039762944';
const img = (id: number, name: string) => encodeFixedVar(layout, { id, name });
const lsn = (n: number) => `00000019:${n.toString(16).padStart(8, '0')}:0001`;
const stats = (): ReplayStats => ({ baseRows: 0, redone: { insert: 0, delete: 0, update: 0 }, undone: 0, committedTransactions: 0, openAtStop: 0, lastCommitTime: null, stoppedAt: null, records: 0, baseLogOps: { total: 0, inBase: 0 }, ddlElsewhere: [], movedRows: 0 });

function rec(n: number, op: string, txn: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { 'Current LSN': lsn(n), Operation: op, Context: 'LCX_NULL', 'Transaction ID': txn, ...extra } as LogRecord;
}
const begin = (n: number, txn: string, name = 'INSERT') => rec(n, 'LOP_BEGIN_XACT', txn, { 'Transaction Name': name, 'Begin Time': '2017/06/01 13:00:00:000' });
const commit = (n: number, txn: string, time = '2017/06/01 13:00:00:000') => rec(n, 'LOP_COMMIT_XACT', txn, { 'End Time': time });
const row = (n: number, op: 'LOP_INSERT_ROWS' | 'LOP_DELETE_ROWS', txn: string, image: Uint8Array, extra: Partial<LogRecord> = {}) =>
  rec(n, op, txn, { Context: 'LCX_HEAP', AllocUnitId: AU, 'Page ID': '0001:00000099', 'Slot ID': 0, 'RowLog Contents 0': image, ...extra });

function run(records: Array<{ r: LogRecord; fromBase?: boolean }>, o: { target?: RestoreTarget; base?: Array<[number, string]>; pageLsn?: string | null; rebuild?: (r: LogRecord) => UpdateRebuild | undefined } = {}) {
  const state = new RowState(['id', 'name']);
  for (const [id, name] of o.base ?? []) state.add({ values: { id, name }, origin: 'backup', warnings: [] });
  const s = stats();
  const replay = new LogReplay({ layout, columns: ['id', 'name'], target: o.target ?? { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => (o.pageLsn === undefined ? lsn(0) : o.pageLsn), rebuild: o.rebuild ?? (() => undefined), stats: s });
  for (const { r, fromBase } of records) if (replay.feed(r, fromBase ? '/x.bak' : null) === 'stop') break;
  replay.finish(state);
  return { rows: [...state.rows()].map((x) => [x.values.id, x.values.name]), stats: s };
}
const L = (r: LogRecord) => ({ r });

describe('LogReplay (SYNTHETIC records)', () => {
  it('redoes committed inserts and deletes; a rolled-back transaction with its compensation leaves nothing; an open one is not applied', () => {
    const { rows, stats: s } = run([
      L(begin(1, 'a')), L(row(2, 'LOP_INSERT_ROWS', 'a', img(1, 'one'))), L(commit(3, 'a')),
      L(begin(4, 'b', 'DELETE')), L(row(5, 'LOP_DELETE_ROWS', 'b', img(9, 'base'))), L(commit(6, 'b')),
      L(begin(7, 'c')), L(row(8, 'LOP_INSERT_ROWS', 'c', img(2, 'two'))), L(row(9, 'LOP_DELETE_ROWS', 'c', img(2, 'two'), { compensation: true } as Partial<LogRecord>)), L(rec(10, 'LOP_ABORT_XACT', 'c')),
      L(begin(11, 'd')), L(row(12, 'LOP_INSERT_ROWS', 'd', img(3, 'open'))),
    ], { base: [[9, 'base']] });
    expect(rows).toEqual([[1, 'one']]);
    expect(s).toMatchObject({ redone: { insert: 2, delete: 2, update: 0 }, committedTransactions: 2, openAtStop: 1 });
  });

  it("a page split moves rows: its LOP_INSERT_ROWS on the new page and LOP_DELETE_SPLIT are not replayed (the record shape of NORTHWND_log.ldf's 'SplitPage' transactions)", () => {
    const split = (n: number, txn: string) => [
      begin(n, txn, 'SplitPage'),
      rec(n + 1, 'LOP_MODIFY_ROW', txn, { Context: 'LCX_PFS', AllocUnitId: AU, 'Page ID': '0001:00000001' }),
      rec(n + 2, 'LOP_FORMAT_PAGE', txn, { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 65535 }),
      row(n + 3, 'LOP_INSERT_ROWS', txn, img(2, 'moved'), { Context: 'LCX_CLUSTERED', 'Page ID': '0001:00000140' }),
      rec(n + 4, 'LOP_DELETE_SPLIT', txn, { Context: 'LCX_CLUSTERED' }),
      rec(n + 5, 'LOP_INSERT_ROWS', txn, { Context: 'LCX_INDEX_INTERIOR', AllocUnitId: AU, 'Page ID': '0001:0000000b', 'RowLog Contents 0': new Uint8Array([6, 0, 0]) }),
      commit(n + 6, txn),
    ];
    const { rows, stats: s } = run([...split(1, 's'), begin(10, 'a'), row(11, 'LOP_INSERT_ROWS', 'a', img(3, 'new')), commit(12, 'a')].map(L), { base: [[1, 'stays'], [2, 'moved']] });
    expect(rows.sort()).toEqual([[1, 'stays'], [2, 'moved'], [3, 'new']]);
    expect(s.movedRows).toBe(1);
    expect(s.redone.insert).toBe(1);
    // a system transaction that moves pages another way (shrink, page swap) touching the table is refused
    expect(() => run([begin(1, 'x', 'SwapPage'), row(2, 'LOP_INSERT_ROWS', 'x', img(2, 'moved'), { Context: 'LCX_CLUSTERED' }), commit(3, 'x')].map(L))).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION' }));
  });

  it('a user\'s transaction named SplitPage (BEGIN TRAN SplitPage: no LOP_DELETE_SPLIT in it) is replayed: its delete and insert were left out as a split\'s moves', () => {
    const { rows, stats: s } = run([
      begin(1, 'u', 'SplitPage'), row(2, 'LOP_DELETE_ROWS', 'u', img(1, 'deleted')), row(3, 'LOP_INSERT_ROWS', 'u', img(4, 'inserted')), commit(4, 'u'),
    ].map(L), { base: [[1, 'deleted'], [2, 'stays']] });
    expect(rows.sort()).toEqual([[2, 'stays'], [4, 'inserted']]);
    expect(s.redone).toMatchObject({ insert: 1, delete: 1 });
    expect(s.movedRows).toBe(0);
  });

  it('a user\'s transaction named SplitPage open at the stop, its insert copied into the base backup uncommitted, is undone (it was kept as a split\'s move)', () => {
    // page m_lsn = record 5: the insert is on the copied page; no commit and no LOP_DELETE_SPLIT in the log read
    const { rows, stats: s } = run([
      { r: begin(1, 'a'), fromBase: true }, { r: row(2, 'LOP_INSERT_ROWS', 'a', img(1, 'on page')), fromBase: true }, { r: commit(3, 'a'), fromBase: true },
      { r: begin(4, 'u', 'SplitPage'), fromBase: true }, { r: row(5, 'LOP_INSERT_ROWS', 'u', img(2, 'uncommitted')), fromBase: true },
    ], { base: [[1, 'on page'], [2, 'uncommitted']], pageLsn: lsn(5) });
    expect(rows.sort()).toEqual([[1, 'on page']]);
    expect(s).toMatchObject({ undone: 1, movedRows: 0, openAtStop: 1 });
  });

  it('a page split rolled back (its moved rows\' inserts undone by compensation records, then LOP_ABORT_XACT) leaves the table as it was', () => {
    // the moved row's insert is left out as a move; its compensating delete was replayed as a user's
    // delete, so the row the split never really moved was removed from the table
    const { rows, stats: s } = run([
      begin(1, 's', 'SplitPage'),
      row(2, 'LOP_INSERT_ROWS', 's', img(2, 'moved'), { Context: 'LCX_CLUSTERED', 'Page ID': '0001:00000140' }),
      rec(3, 'LOP_DELETE_SPLIT', 's', { Context: 'LCX_CLUSTERED' }),
      row(4, 'LOP_DELETE_ROWS', 's', img(2, 'moved'), { Context: 'LCX_CLUSTERED', 'Page ID': '0001:00000140', compensation: true } as Partial<LogRecord>),
      rec(5, 'LOP_ABORT_XACT', 's'),
    ].map(L), { base: [[1, 'stays'], [2, 'moved']] });
    expect(rows.sort()).toEqual([[1, 'stays'], [2, 'moved']]);
    expect(s.redone.delete).toBe(0);
  });

  it('a user\'s transaction named SplitPage in the base backup\'s own log, its insert on a page the backup does not hold: refused as any other transaction\'s (it was redone, unchecked)', () => {
    const named = (end: LogRecord[]) => [{ r: begin(1, 'u', 'SplitPage'), fromBase: true }, { r: row(2, 'LOP_INSERT_ROWS', 'u', img(1, 'x')), fromBase: true }, ...end.map((r) => ({ r, fromBase: true }))];
    expect(() => run(named([commit(3, 'u')]), { pageLsn: null })).toThrow(expect.objectContaining({ code: 'REPLAY_BASE_PAGE_UNKNOWN', location: expect.objectContaining({ lsn: lsn(2) }) }));
    // open at the stop: a page the backup lacks cannot hold the row, nothing to undo (a split cut before
    // its LOP_DELETE_SPLIT, its new page not copied, is not refused either)
    expect(run(named([]), { pageLsn: null, base: [[2, 'y']] }).rows).toEqual([[2, 'y']]);
    // a split's own move (its LOP_DELETE_SPLIT read) on a new page is left out, as before
    expect(run(named([rec(3, 'LOP_DELETE_SPLIT', 'u', { Context: 'LCX_CLUSTERED' }), commit(4, 'u')]), { pageLsn: null }).stats.movedRows).toBe(1);
    // on a page the backup holds: counted among the base log's operations, as any other
    expect(run(named([commit(3, 'u')]), { pageLsn: lsn(2), base: [[1, 'x']] }).stats.baseLogOps).toEqual({ total: 1, inBase: 1 });
  });

  it('time stop: the first commit later than T ends the replay; its transaction and everything after it are not applied', () => {
    const { rows, stats: s } = run(
      [L(begin(1, 'a')), L(row(2, 'LOP_INSERT_ROWS', 'a', img(1, 'x'))), L(commit(3, 'a', '2017/06/01 13:00:00:000')),
       L(begin(4, 'b')), L(row(5, 'LOP_INSERT_ROWS', 'b', img(2, 'y'))), L(commit(6, 'b', '2017/06/01 13:00:00:003')),
       L(begin(7, 'c')), L(row(8, 'LOP_INSERT_ROWS', 'c', img(3, 'z'))), L(commit(9, 'c', '2017/06/01 12:59:59:000'))],
      { target: { kind: 'time', time: '2017-06-01T13:00:00.000' } },
    );
    // c committed "earlier" by its clock but after the stop in the log: RESTORE STOPAT never reaches it
    expect(rows).toEqual([[1, 'x']]);
    expect(s.stoppedAt).toBe(lsn(6));
  });

  it('the base backup\'s own log portion: a change already on its page is not redone; one copied uncommitted is undone; one newer than its page is redone', () => {
    // page m_lsn = record 5: records 2 and 5 are on the page, record 8 is not
    const r1 = run(
      [{ r: begin(1, 'a'), fromBase: true }, { r: row(2, 'LOP_INSERT_ROWS', 'a', img(1, 'on page')), fromBase: true }, { r: commit(3, 'a'), fromBase: true },
       { r: begin(4, 'b'), fromBase: true }, { r: row(5, 'LOP_INSERT_ROWS', 'b', img(2, 'uncommitted')), fromBase: true },
       { r: begin(7, 'c'), fromBase: true }, { r: row(8, 'LOP_INSERT_ROWS', 'c', img(3, 'after copy')), fromBase: true }, { r: commit(9, 'c'), fromBase: true }],
      { base: [[1, 'on page'], [2, 'uncommitted']], pageLsn: lsn(5) },
    );
    expect(r1.rows.sort()).toEqual([[1, 'on page'], [3, 'after copy']]);
    expect(r1.stats).toMatchObject({ undone: 1, redone: { insert: 1 }, baseLogOps: { total: 3, inBase: 2 } });
    expect(() => run([{ r: begin(1, 'a'), fromBase: true }, { r: row(2, 'LOP_INSERT_ROWS', 'a', img(1, 'x')), fromBase: true }], { pageLsn: null })).toThrow(expect.objectContaining({ code: 'REPLAY_BASE_PAGE_UNKNOWN' }));
  });

  it('an update is applied from the page model\'s full images; without them it is refused naming the LSN', () => {
    const mod = rec(2, 'LOP_MODIFY_ROW', 'a', { Context: 'LCX_HEAP', AllocUnitId: AU, 'Page ID': '0001:00000099', 'Slot ID': 0 });
    const rebuilt = (r: LogRecord): UpdateRebuild | undefined => (r.Operation === 'LOP_MODIFY_ROW' ? { kind: 'rebuilt', before: img(1, 'old'), after: img(1, 'new'), baseLsn: lsn(0) } : undefined);
    expect(run([L(begin(1, 'a', 'UPDATE')), L(mod), L(commit(3, 'a'))], { base: [[1, 'old']], rebuild: rebuilt }).rows).toEqual([[1, 'new']]);
    expect(() => run([L(begin(1, 'a', 'UPDATE')), L(mod), L(commit(3, 'a'))], { base: [[1, 'old']] })).toThrow(expect.objectContaining({ code: 'REPLAY_NO_FULL_IMAGE', location: expect.objectContaining({ lsn: lsn(2) }) }));
    // the before image is not in the table: the replay has diverged
    expect(() => run([L(begin(1, 'a', 'UPDATE')), L(mod), L(commit(3, 'a'))], { base: [[1, 'other']], rebuild: rebuilt })).toThrow(expect.objectContaining({ code: 'REPLAY_ROW_NOT_FOUND' }));
  });

  it('refusals: a delete of a row the table does not hold, an unknown operation, DDL, LOB pages, a forwarded record', () => {
    const ok = (rs: LogRecord[]) => () => run(rs.map(L));
    expect(ok([begin(1, 'a', 'DELETE'), row(2, 'LOP_DELETE_ROWS', 'a', img(5, 'ghost')), commit(3, 'a')])).toThrow(expect.objectContaining({ code: 'REPLAY_ROW_NOT_FOUND' }));
    expect(ok([begin(1, 'a'), rec(2, 'LOP_MODIFY_KEY', 'a', { Context: 'LCX_HEAP', AllocUnitId: AU })])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', message: expect.stringContaining('LOP_MODIFY_KEY') }));
    expect(ok([begin(1, 'a', 'TRUNCATE TABLE'), rec(2, 'LOP_MODIFY_ROW', 'a', { Context: 'LCX_IAM', AllocUnitId: AU })])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', message: expect.stringContaining("transaction 'TRUNCATE TABLE'") }));
    expect(ok([begin(1, 'a'), rec(2, 'LOP_INSERT_ROWS', 'a', { Context: 'LCX_TEXT_MIX', AllocUnitId: LOB_AU })])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', message: expect.stringContaining('LOB/row-overflow') }));
    expect(ok([begin(1, 'a'), rec(2, 'LOP_INSERT_ROWS', 'a', { Context: 'LCX_BULK_OPERATION_PAGE', AllocUnitId: AU })])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION' }));
    const forwarded = img(1, 'x');
    forwarded[0] = (forwarded[0] & ~0x0e) | (1 << 1); // record type 1: forwarded
    expect(ok([begin(1, 'a'), row(2, 'LOP_INSERT_ROWS', 'a', forwarded), commit(3, 'a')])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_RECORD' }));
    // DDL on catalog rows that name the table's allocation unit id (sysallocunits row of a TRUNCATE)
    const auBytes = Buffer.alloc(8);
    auBytes.writeBigInt64LE(BigInt(AU));
    const catalogRow = new Uint8Array([0x10, 0x00, 0x20, 0x00, ...auBytes, 1, 0, 0, 0]);
    expect(ok([begin(1, 'a', 'TRUNCATE TABLE'), rec(2, 'LOP_MODIFY_ROW', 'a', { Context: 'LCX_CLUSTERED', AllocUnitId: '458752', 'RowLog Contents 0': catalogRow })])).toThrow(expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', message: expect.stringContaining('catalog rows naming dbo.T') }));
    // DDL that names other ids only: listed, not refused
    const other = run([L(begin(1, 'a', 'ALTER TABLE')), L(rec(2, 'LOP_MODIFY_ROW', 'a', { Context: 'LCX_CLUSTERED', AllocUnitId: '458752', 'RowLog Contents 0': new Uint8Array([0x10, 0, 9, 9, 9, 9, 9, 9, 9, 9]) })), L(commit(3, 'a'))]);
    expect(other.stats.ddlElsewhere).toEqual([{ lsn: lsn(2), transaction: 'a', name: 'ALTER TABLE' }]);
    // allocation and page-structure records of the table change no row
    expect(run([L(begin(1, 'a')), L(rec(2, 'LOP_FORMAT_PAGE', 'a', { Context: 'LCX_HEAP', AllocUnitId: AU })), L(rec(3, 'LOP_MODIFY_ROW', 'a', { Context: 'LCX_PFS', AllocUnitId: AU })), L(row(4, 'LOP_INSERT_ROWS', 'a', img(1, 'x'))), L(commit(5, 'a'))]).rows).toEqual([[1, 'x']]);
  });
});

describe('LogReplay over a partitioned table (SYNTHETIC)', () => {
  // Partition 1 was rebuilt after b was dropped (REBUILD PARTITION = 1): id, name. Partition 2 keeps
  // b's slot: id, $dropped_2, name. The table's layout (readDataFileMetadata's merged one) is partition 1's.
  const P1_AU = '72057594040000000';
  const P2_AU = '72057594040100000';
  const p1 = { ...buildLayout('P', [{ name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]), partitionId: '72057594050000000', partitionNumber: 1 };
  const p2Base = buildLayout('P', [{ name: 'id', type: 'int' }, { name: 'b', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]);
  const p2 = { ...p2Base, partitionId: '72057594050100000', partitionNumber: 2, columns: p2Base.columns.map((c) => (c.name === 'b' ? { ...c, name: '$dropped_2', isDropped: true } : c)) };
  const merged = { ...p1, allocUnits: [{ allocUnitId: P1_AU, type: 'IN_ROW_DATA' as const }, { allocUnitId: P2_AU, type: 'IN_ROW_DATA' as const }] };
  const p2Row = encodeFixedVar(p2Base, { id: 7, b: 99, name: 'p2' });
  const p1Row = encodeFixedVar(p1, { id: 8, name: 'p1' });

  const replayWith = (partitions: boolean) => {
    const state = new RowState(['id', 'name']);
    state.add({ values: { id: 7, name: 'p2' }, origin: 'backup', warnings: [] });
    state.add({ values: { id: 8, name: 'p1' }, origin: 'backup', warnings: [] });
    const replay = new LogReplay({
      layout: merged, columns: ['id', 'name'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats(),
      ...(partitions ? { partitions: [{ partitionId: p1.partitionId, allocUnitIds: [P1_AU], layout: p1 }, { partitionId: p2.partitionId, allocUnitIds: [P2_AU], layout: p2 }] } : {}),
    });
    for (const r of [
      begin(1, 'a', 'DELETE'),
      row(2, 'LOP_DELETE_ROWS', 'a', p2Row, { AllocUnitId: P2_AU }),
      row(3, 'LOP_DELETE_ROWS', 'a', p1Row, { AllocUnitId: P1_AU }),
      commit(4, 'a'),
    ]) replay.feed(r, null);
    replay.finish(state);
    return [...state.rows()].map((x) => x.values);
  };

  it("each record is decoded with its own partition's layout: partition 2's delete finds its row", () => {
    expect(replayWith(true)).toEqual([]);
  });
  it("with the first partition's layout alone partition 2's row does not fit (the refusal said the table was altered in the log)", () => {
    expect(() => replayWith(false)).toThrow(expect.objectContaining({ code: 'REPLAY_UNDECODABLE' }));
  });
  it('an image whose fixed part runs past the layout (id altered to bigint: same column count) is refused, not applied as the int in its first 4 bytes', () => {
    const wide = buildLayout('P', [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'varchar', maxLength: 20 }]);
    const run = () => {
      const state = new RowState(['id', 'name']);
      state.add({ values: { id: 8, name: 'p1' }, origin: 'backup', warnings: [] });
      const replay = new LogReplay({
        layout: { ...p1, allocUnits: [{ allocUnitId: P1_AU, type: 'IN_ROW_DATA' as const }] }, columns: ['id', 'name'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats(),
      });
      for (const r of [begin(1, 'a', 'DELETE'), row(2, 'LOP_DELETE_ROWS', 'a', encodeFixedVar(wide, { id: 8, name: 'p1' }), { AllocUnitId: P1_AU }), commit(3, 'a')]) replay.feed(r, null);
      replay.finish(state);
    };
    expect(run).toThrow(expect.objectContaining({ code: 'REPLAY_UNDECODABLE', message: expect.stringContaining("the record's fixed part ends at offset 12, 4 byte(s) after the layout's last fixed-length column (ends at 8)") }));
  });
});
