import { expect, it } from 'vitest';
import { replayTableAt } from '../../src/replay/point-in-time.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// appveyor-lab/sql2008-backups/StopAt: a full backup (last LSN 00000013:000000a1:0001) and four log
// backups. The first insert into dbo.steps (transaction 0000:000001ff, begun 00000013:000000a9:0001,
// LOP_INSERT_ROWS at a9:0013, LOP_COMMIT_XACT at a9:0015, End Time 13:28:44.460) is interleaved
// with two other transactions that commit first (a9:000c, a9:0012); the 11th (0000:0000020b:
// insert b7:0002, commit b7:0003, End Time 2020/05/12 13:29:34:530) opens the second log backup.
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const BAK = [S('StopAt.bak')];
const TRN = ['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'].map(S);
const lsn = (decimal: string) => ({ kind: 'lsn' as const, lsn: decimal });
const rowsOf = (r: Awaited<ReturnType<typeof replayTableAt>>) => r.rows.map((x) => JSON.stringify(x.values)).sort();

describeCorpus('point in time on StopAt: a transaction in flight at the stop, interleaved with others', () => {
  it('stopped between its insert and its commit the row is not there and the transaction is counted open; past its commit it is', async () => {
    // just before the commit (a9:0015 = 19000000016900021) and just after the insert (a9:0014)
    for (const at of ['19000000016900020', '19000000016900021']) {
      const r = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: lsn(at) });
      expect(r.rows).toHaveLength(0);
      expect(r.stats.openAtStop).toBe(1);
    }
    // the other two transactions committed before it (a9:000c, a9:0012) touch no row of dbo.steps
    const before = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: lsn('19000000016900019') });
    expect(before.rows).toHaveLength(0);
    expect(before.stats.openAtStop).toBe(0);
    const after = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: lsn('19000000016900022') });
    expect(after.rows).toHaveLength(1);
    expect(after.stats.openAtStop).toBe(0);
    expect(after.stats.lastCommitTime).toBe('2020-05-12T13:28:44.460');
  });

  it('the same stop as a time and as an LSN gives the same table: at the commit\'s End Time it is in, one tick before it is not', async () => {
    const atCommit = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: { kind: 'time', time: '2020-05-12T13:29:34.530' } });
    const pastCommit = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: lsn('19000000018300004') });
    expect(atCommit.rows).toHaveLength(11);
    expect(rowsOf(atCommit)).toEqual(rowsOf(pastCommit));
    const tickBefore = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: { kind: 'time', time: '2020-05-12T13:29:34.527' } });
    const atItsCommit = await replayTableAt({ bak: BAK, trn: TRN, table: 'dbo.steps', target: lsn('19000000018300003') });
    expect(tickBefore.rows).toHaveLength(10);
    expect(rowsOf(tickBefore)).toEqual(rowsOf(atItsCommit));
    // the ten are the first eleven less one: the table only grows
    expect(rowsOf(atCommit).filter((x) => !rowsOf(tickBefore).includes(x))).toHaveLength(1);
  });
});
