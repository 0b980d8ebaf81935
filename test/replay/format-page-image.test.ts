// SYNTHETIC: log records built here as plain objects, row images made by the test encoder
// (test/support/synthetic-encoder.ts); no byte of them comes from a SQL Server.
//
// A bulk load that SQL Server logs by pages (INSERT … SELECT WITH (TABLOCK) into a heap, BULK
// INSERT, bcp) writes each new page as one LOP_FORMAT_PAGE carrying the whole page image, rows and
// all, and no LOP_INSERT_ROWS: fn_dblog shows such records 8,276 bytes long where a page formatted
// empty is 84 (sqlfascination.com, "A Strange Case of a Very Large LOP_FORMAT_PAGE", 2010, with Paul
// Randal; a 1,000,000-row TABLOCK insert under FULL recovery writes ~9,300 log records, not a
// million: dbafix.com, "Full recovery model and tablock inserts logging"). The replay passed every
// LOP_FORMAT_PAGE on the table's pages as neutral (a page formatted empty, or a split's new page),
// so a point in time after such a load printed the table without the loaded rows, exit 0, no word;
// `diff` staged none of them when a later delete took them. Every LOP_FORMAT_PAGE of the corpus
// (.ldf and .trn, ~300) is 88 bytes.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { LogReplay, type ReplayStats } from '../../src/replay/point-in-time.js';
import { RowState } from '../../src/replay/row-state.js';
import { buildLayout, encodeFixedVar } from '../support/synthetic-encoder.js';
import { parseLogRecord } from '../../src/logreader/ldf/structures.js';

const layout = { ...buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]), allocUnits: [{ allocUnitId: '72057594039697408', type: 'IN_ROW_DATA' as const }] };
const AU = '72057594039697408';
const img = (id: number, name: string) => encodeFixedVar(layout, { id, name });
const lsn = (n: number) => `00000019:${n.toString(16).padStart(8, '0')}:0001`;
const stats = (): ReplayStats => ({ baseRows: 0, redone: { insert: 0, delete: 0, update: 0 }, undone: 0, committedTransactions: 0, openAtStop: 0, lastCommitTime: null, stoppedAt: null, records: 0, baseLogOps: { total: 0, inBase: 0 }, ddlElsewhere: [], movedRows: 0 });
const rec = (n: number, op: string, txn: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn(n), Operation: op, Context: 'LCX_NULL', 'Transaction ID': txn, ...extra }) as LogRecord;
const begin = (n: number, txn: string, name = 'INSERT') => rec(n, 'LOP_BEGIN_XACT', txn, { 'Transaction Name': name, 'Begin Time': '2017/06/01 13:00:00:000' });
const commit = (n: number, txn: string) => rec(n, 'LOP_COMMIT_XACT', txn, { 'End Time': '2017/06/01 13:00:00:000' });
const format = (n: number, txn: string, length: number | undefined, context = 'LCX_HEAP') =>
  rec(n, 'LOP_FORMAT_PAGE', txn, { Context: context, AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 65535, ...(length === undefined ? {} : { 'Log Record Length': length }) });

function run(records: LogRecord[]) {
  const state = new RowState(['id', 'name']);
  const replay = new LogReplay({ layout, columns: ['id', 'name'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: stats() });
  for (const r of records) if (replay.feed(r, null) === 'stop') break;
  replay.finish(state);
  return [...state.rows()].map((x) => [x.values.id, x.values.name]);
}

describe('replay: a page logged whole (LOP_FORMAT_PAGE with its image) on the table', () => {
  it('a bulk load logged by pages is refused, naming the record, its length and what it means', () => {
    for (const context of ['LCX_HEAP', 'LCX_CLUSTERED']) {
      expect(() => run([begin(1, 'a'), format(2, 'a', 8276, context), commit(3, 'a')])).toThrow(
        expect.objectContaining({ code: 'REPLAY_UNSUPPORTED_OPERATION', location: expect.objectContaining({ lsn: lsn(2) }), message: expect.stringMatching(/8276 bytes.*page image.*TABLOCK/s) }),
      );
    }
  });

  it('a page formatted empty (a header only, 84-88 bytes, or no length known) stays neutral: the rows come in their LOP_INSERT_ROWS', () => {
    const ins = rec(3, 'LOP_INSERT_ROWS', 'a', { Context: 'LCX_HEAP', AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': img(1, 'one') });
    for (const length of [84, 88, undefined]) expect(run([begin(1, 'a'), format(2, 'a', length), ins, commit(4, 'a')])).toEqual([[1, 'one']]);
  });

  it("a page split's new page logged whole stays neutral (its rows moved, not added: the split's LOP_DELETE_SPLIT)", () => {
    const rows = run([
      begin(1, 's', 'SplitPage'), format(2, 's', 8276, 'LCX_CLUSTERED'), rec(3, 'LOP_DELETE_SPLIT', 's', { Context: 'LCX_CLUSTERED' }), commit(4, 's'),
    ]);
    expect(rows).toEqual([]);
  });

  it('the .ldf/.trn reader gives LOP_FORMAT_PAGE its Log Record Length (the record span), and no other record one', () => {
    // SYNTHETIC record header: fixed length 62 @2, op @22, context @23 (structures.ts parseLogRecord)
    const make = (op: number, size: number) => {
      const b = new Uint8Array(size);
      const v = new DataView(b.buffer);
      v.setUint16(2, 62, true);
      b[22] = op;
      b[23] = 0x01;
      return b;
    };
    const source = { kind: 'ldf' as const, file: 'SYNTHETIC', offset: 0 };
    const fp = parseLogRecord(make(0x01, 8276), 0, 8276, { vlf: 25, block: 1, slot: 1 }, source);
    expect(typeof fp === 'string' ? fp : fp.record['Log Record Length']).toBe(8276);
    const mod = parseLogRecord(make(0x04, 120), 0, 120, { vlf: 25, block: 1, slot: 1 }, source);
    expect(typeof mod === 'string' ? mod : mod.record['Log Record Length']).toBeUndefined();
  });
});
