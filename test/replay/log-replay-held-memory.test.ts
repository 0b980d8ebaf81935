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
 * all 120 of those 1 MB fields were held before, none now; the rows and the pending list are unchanged.
 */
it('a row operation held until the end keeps its row image, not the rest of its log record (SYNTHETIC records)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const AU = '72057594039697408';
  const layout = { ...buildLayout('T', [{ name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }]), allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
  const lsn = (n: number) => `00000019:${n.toString(16).padStart(8, '0')}:0001`;
  const replay = new LogReplay({ layout, columns: ['id', 'name'], target: { kind: 'time', time: '2017-06-01T14:00:00.000' }, basePageLsn: () => lsn(0), rebuild: () => undefined, stats: emptyReplayStats(0) });
  const MB = 1 << 20;
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  gc();
  const before = used();
  // fed from a function of its own, so that no frame of this test keeps a record or its bytes
  // reachable; each 1 MB field is watched through a WeakRef. (The heap and arrayBuffers figures of
  // process.memoryUsage(), read once right after one collection, lag behind it: V8 frees array
  // buffers' memory on a concurrent sweeper, and 25–30 MB of freed fields still counted in 4 of 10
  // runs of the bound alone.)
  const feedAll = (): WeakRef<Uint8Array>[] => {
    const watched: WeakRef<Uint8Array>[] = [];
    const big = () => { const b = new Uint8Array(MB); watched.push(new WeakRef(b)); return b; };
    let n = 1;
    for (let i = 0; i < 40; i++) {
      const txn = `0000:${(1000 + i).toString(16).padStart(8, '0')}`;
      replay.feed({ 'Current LSN': lsn(n++), Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': txn, 'Transaction Name': 'INSERT', 'Begin Time': '2017/06/01 13:00:00:000' } as LogRecord, null);
      replay.feed({
        'Current LSN': lsn(n++), Operation: 'LOP_INSERT_ROWS', Context: 'LCX_HEAP', 'Transaction ID': txn, AllocUnitId: AU, 'Page ID': '0001:00000099', 'Slot ID': i,
        source: { kind: 'trn', file: '/x/log.trn', offset: n * 100 },
        'RowLog Contents 0': encodeFixedVar(layout, { id: i, name: `row ${i}` }),
        'RowLog Contents 1': big(), 'RowLog Contents 2': big(), 'Log Record': big(),
      } as LogRecord, null);
      replay.feed({ 'Current LSN': lsn(n++), Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': txn, 'End Time': '2017/06/01 13:00:00:000' } as LogRecord, null);
    }
    return watched;
  };
  const watched = feedAll();
  expect(watched).toHaveLength(120);
  // a WeakRef's target stays alive until the end of the job that made or read it: a task later, the
  // fields themselves are collected (none held as they are)…
  await new Promise((r) => setTimeout(r, 0));
  gc();
  expect(watched.filter((w) => w.deref() !== undefined).length).toBe(0);
  // …and no copy of them is held either (the replay copied every byte field before 01b25135): the
  // memory still counted, at its lowest over a few collections once the sweeper has caught up
  let held = Infinity;
  for (let i = 0; i < 6 && held >= 20; i++) {
    await new Promise((r) => setTimeout(r, 25));
    gc();
    held = Math.min(held, (used() - before) / MB);
  }
  expect(held).toBeLessThan(20);
  expect(replay.pending().redo).toHaveLength(40);
  const state = new RowState(['id', 'name']);
  replay.finish(state);
  const rows = [...state.rows()];
  expect(rows.map((r) => r.values)).toEqual([...Array(40).keys()].map((i) => ({ id: i, name: `row ${i}` })));
  expect(rows[0]!.origin).toEqual({ lsn: lsn(2), page: '0001:00000099' });
});
