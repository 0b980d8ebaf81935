// SYNTHETIC: log records built here as plain objects, row images made by the test encoder
// (test/support/synthetic-encoder.ts); no byte of them comes from a SQL Server.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { LogReplay, emptyReplayStats } from '../../src/replay/point-in-time.js';
import { RowState } from '../../src/replay/row-state.js';
import { buildLayout, encodeFixedVar } from '../support/synthetic-encoder.js';

/**
 * A row operation is held from its log record until the end of the log read (LogReplay.finish redoes
 * in LSN order at the end, committed ones too), and a point-in-time replay of several tables holds
 * every table's at once (replayTablesAt: one pass). What is held of each record is what finish,
 * pending and a refusal read again: its LSN, operation, context, page, slot, allocation unit, file,
 * and an insert's or delete's row image. The whole record was copied, every byte field of it
 * (`RowLog Contents 1`…`4`, `Log Record`), so a replay held those bytes of every row operation of
 * the range, of every table at once. Here 40 inserts, each record carrying 3 MB it no longer needs:
 * 120 MB held before, none now; the rows and the pending list are unchanged.
 */
it('a row operation held until the end keeps its row image, not the rest of its log record (SYNTHETIC records)', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const AU = '72057594039697408';
  const layout = { ...buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]), allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
  const lsn = (n: number) => `00000019:${n.toString(16).padStart(8, '0')}:0001`;
  const replay = new LogReplay({ layout, columns: ['id', 'name'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: emptyReplayStats(0) });
  const MB = 1 << 20;
  gc();
  const before = process.memoryUsage();
  let n = 1;
  for (let i = 0; i < 40; i++) {
    const txn = `0000:${(1000 + i).toString(16).padStart(8, '0')}`;
    replay.feed({ 'Current LSN': lsn(n++), Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': txn, 'Transaction Name': 'INSERT', 'Begin Time': '2017/06/01 13:00:00:000' } as LogRecord, null);
    replay.feed({
      'Current LSN': lsn(n++), Operation: 'LOP_INSERT_ROWS', Context: 'LCX_HEAP', 'Transaction ID': txn, AllocUnitId: AU, 'Page ID': '0001:00000099', 'Slot ID': i,
      source: { kind: 'trn', file: '/x/log.trn', offset: n * 100 },
      'RowLog Contents 0': encodeFixedVar(layout, { id: i, name: `row ${i}` }),
      'RowLog Contents 1': new Uint8Array(MB), 'RowLog Contents 2': new Uint8Array(MB), 'Log Record': new Uint8Array(MB),
    } as LogRecord, null);
    replay.feed({ 'Current LSN': lsn(n++), Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': txn, 'End Time': '2017/06/01 13:00:00:000' } as LogRecord, null);
  }
  gc();
  const after = process.memoryUsage();
  const held = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
  expect(held).toBeLessThan(20);
  expect(replay.pending().redo).toHaveLength(40);
  const state = new RowState(['id', 'name']);
  replay.finish(state);
  const rows = [...state.rows()];
  expect(rows.map((r) => r.values)).toEqual([...Array(40).keys()].map((i) => ({ id: i, name: `row ${i}` })));
  expect(rows[0]!.origin).toEqual({ lsn: lsn(2), page: '0001:00000099' });
});
