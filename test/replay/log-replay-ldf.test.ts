// Real bytes for the record rules the backup chains do not reach (deletes, ghosting deletes,
// LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS): AngularJs_CRUD's log, replayed from an empty table with
// the same LogReplay the point-in-time dump uses, against the rows its data file holds now.
import { expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { findTable, readTableRows } from '../../src/datafile/table-rows.js';
import { readLdfRecords } from '../../src/logreader/ldf/reader.js';
import { lsnToDecimal, parseLsn } from '../../src/logreader/lsn.js';
import { lsnCmp } from '../../src/restore/history.js';
import { visibleColumns } from '../../src/reconstruct/metadata/table-layout.js';
import { PageSlotModel } from '../../src/recover/page-model.js';
import { LogReplay, type ReplayStats } from '../../src/replay/point-in-time.js';
import { RowState, rowKey } from '../../src/replay/row-state.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { diffTableStates } from '../../src/replay/table-diff.js';

const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const stats = (): ReplayStats => ({ baseRows: 0, redone: { insert: 0, delete: 0, update: 0 }, undone: 0, committedTransactions: 0, openAtStop: 0, lastCommitTime: null, stoppedAt: null, records: 0, baseLogOps: { total: 0, inBase: 0 }, ddlElsewhere: [], movedRows: 0 });

async function replayFromEmpty(table: string, stopBeforeLsn?: string) {
  const src = new MdfPageSource(MDF);
  try {
    const reader = new PageReader(src);
    const md = readDataFileMetadata(src, reader);
    const d = findTable(md, table)!;
    const columns = visibleColumns(d.layout).map((c) => c.name);
    const now = [...readTableRows(src, md, table, { reader })].map((r) => rowKey(r.values, columns)).sort();
    const s = stats();
    const model = new PageSlotModel(); // no seed: every full image comes from the log itself
    const target = stopBeforeLsn ? { kind: 'lsn' as const, lsn: stopBeforeLsn } : { kind: 'time' as const, time: '2999-01-01T00:00:00.000' };
    const replay = new LogReplay({ layout: d.layout, columns, target, basePageLsn: () => null, rebuild: (r) => model.apply(r), stats: s });
    // an .ldf is read in file order, VLF by VLF; the replay takes LSN order
    const records = [];
    for await (const r of readLdfRecords(LDF)) records.push(r);
    records.sort((a, b) => lsnCmp(lsnToDecimal(parseLsn(a['Current LSN'])), lsnToDecimal(parseLsn(b['Current LSN']))));
    for (const r of records) if (replay.feed(r, null) === 'stop') break;
    const state = new RowState(columns);
    replay.finish(state);
    return { now, replayed: [...state.rows()].map((r) => rowKey(r.values, columns)).sort(), stats: s, state, columns, layout: d.layout, records, nowRows: [...readTableRows(src, md, table, { reader })].map((r) => ({ values: r.values })) };
  } finally {
    src.close();
  }
}

describeCorpus('LogReplay on AngularJs_CRUD Database1_log.ldf (SQL Server 2012, clustered indexes, ghosting deletes, updates)', () => {
  it('dbo.tblDept: 20 inserts, 13 deletes and 10 updates replayed from an empty table give the data file\'s rows, but the one inserted before the log begins', async () => {
    const { now, replayed, stats: s } = await replayFromEmpty('dbo.tblDept');
    expect(s.redone).toEqual({ insert: 20, delete: 13, update: 10 });
    expect(now).toHaveLength(8);
    // the log's first tblDept insert goes to slot 1 of page 1:289: slot 0's row predates the log
    expect(now.filter((x) => !replayed.includes(x))).toEqual(['[1,"CS","Computer Science"]']);
    expect(replayed).toEqual(now.filter((x) => x !== '[1,"CS","Computer Science"]'));
  });

  it('diff by the clustered key on real rows: tblDept just before 00000024:0000012b:0002 against the data file lacks exactly Id 11, as that delete logged it after two updates', async () => {
    const r = await replayFromEmpty('dbo.tblDept', lsnToDecimal(parseLsn('00000024:0000012b:0002')));
    const key = r.layout.columns.filter((c) => (c.keyOrdinal ?? 0) > 0).map((c) => c.name);
    expect(key).toEqual(['Id']);
    const d = diffTableStates({ table: 'dbo.tblDept', columns: r.columns, rows: [...r.state.rows()].map((x) => ({ values: x.values })) }, { table: 'dbo.tblDept', columns: r.columns, rows: r.nowRows }, key);
    // independent of the update rebuild: the full image the delete itself logged
    const del = r.records.find((x) => x['Current LSN'] === '00000024:0000012b:0002')!;
    expect(del.Operation).toBe('LOP_DELETE_ROWS');
    const logged = decodeRow(del['RowLog Contents 0']!, r.layout).values;
    expect(d.missing.map((m) => m.values)).toEqual([logged]);
    expect(logged).toEqual({ Id: 11, DeptName: 'CS3', DeptDesc: 'Computer Science1245' });
    expect([d.changed.length, d.same, d.added]).toEqual([0, 1, 7]);
  });

  it('records out of LSN order (the .ldf in file order, its VLFs wrapped) are refused, not replayed', async () => {
    const src = new MdfPageSource(MDF);
    try {
      const md = readDataFileMetadata(src, new PageReader(src));
      const d = findTable(md, 'dbo.tblDept')!;
      const replay = new LogReplay({ layout: d.layout, columns: visibleColumns(d.layout).map((c) => c.name), target: { kind: 'time', time: '2999-01-01T00:00:00.000' }, basePageLsn: () => null, rebuild: () => undefined, stats: stats() });
      let err: unknown;
      try {
        for await (const r of readLdfRecords(LDF)) replay.feed(r, null);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'REPLAY_LOG_OUT_OF_ORDER' });
    } finally {
      src.close();
    }
  });

  it('dbo.Employee: the log deletes a row inserted before it begins, so a replay from empty is refused at that delete', async () => {
    await expect(replayFromEmpty('dbo.Employee')).rejects.toMatchObject({
      code: 'REPLAY_ROW_NOT_FOUND',
      location: expect.objectContaining({ lsn: '00000023:0000008f:0002' }),
      message: expect.stringContaining('"Emp_Id":68'),
    });
  });
});
