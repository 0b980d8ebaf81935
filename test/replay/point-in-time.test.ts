import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseStopTarget, stopTimeAsDatetime } from '../../src/restore/target.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { openBackupPages } from '../../src/backup/open.js';
import { runDump, type DumpOptions } from '../../src/cli/commands/dump.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { parseBeginTime } from '../../src/logreader/begin-time.js';
import { lsnToDecimal, parseLsn } from '../../src/logreader/lsn.js';
import { assertBackupSet } from '../../src/recover/source-identity.js';
import { replayTableAt } from '../../src/replay/point-in-time.js';
import type { RestoreTarget } from '../../src/restore/chain.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const FULL = RTC('RestoreTimeClean.bak');
const DIFF = RTC('RestoreTimeClean2.bak');
const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
const at = (time: string): RestoreTarget => ({ kind: 'time', time });

describe('stop times round as STOPAT\'s datetime rounds them (Microsoft Learn, datetime: .000/.003/.007)', () => {
  // Microsoft's table "Rounding of datetime fractional second precision", plus the corpus's own commits
  it.each([
    ['2017-06-01T13:00:42.979', '2017-06-01T13:00:42.980'],
    ['2017-06-01T13:00:42.978', '2017-06-01T13:00:42.977'],
    ['1998-01-01T23:59:59.999', '1998-01-02T00:00:00.000'],
    ['1998-01-01T23:59:59.998', '1998-01-01T23:59:59.997'],
    ['1998-01-01T23:59:59.995', '1998-01-01T23:59:59.997'],
    ['1998-01-01T23:59:59.994', '1998-01-01T23:59:59.993'],
    ['1998-01-01T23:59:59.992', '1998-01-01T23:59:59.993'],
    ['1998-01-01T23:59:59.991', '1998-01-01T23:59:59.990'],
    ['1998-01-01T23:59:59.990', '1998-01-01T23:59:59.990'],
    ['2016-02-29T23:59:59.999', '2016-03-01T00:00:00.000'],
    ['2017-06-01T13:20:43.236', '2017-06-01T13:20:43.237'],
  ])('%s → %s', (given, rounded) => {
    expect(stopTimeAsDatetime(given)).toBe(rounded);
    expect(parseStopTarget({ stopAt: given })).toEqual({ kind: 'time', time: rounded });
  });
  // outside datetime's range STOPAT refuses the conversion: said, not a year-10000 text (it printed
  // `+010000-01-01T00:00.000`) nor a year 1900 for 0099
  it.each([
    ['9999-12-31T23:59:59.999', 'rounds to the year 10000'],
    ['1752-12-31T23:59:59.997', "outside the range of STOPAT's datetime"],
    ['0099-06-01T00:00:00.000', "outside the range of STOPAT's datetime"],
  ])('%s is refused: %s', (given, said) => {
    expect(() => parseStopTarget({ stopAt: given })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_TIME', message: expect.stringContaining(said) }));
    expect(() => parseStopTarget({ stopAt: given })).toThrow(expect.objectContaining({ message: expect.stringContaining(`--stop-at ${given}`) }));
  });
  // typed with more than three digits: the refusal names the text typed, then what it was read as
  // (it named `9999-12-31T23:59:59.999`, a time the user never typed)
  it('9999-12-31T23:59:59.9999 is refused naming the text typed', () => {
    expect(() => parseStopTarget({ stopAt: '9999-12-31T23:59:59.9999' })).toThrow(expect.objectContaining({
      code: 'INPUT_BAD_TIME',
      message: expect.stringContaining('--stop-at 9999-12-31T23:59:59.9999 (read as 9999-12-31T23:59:59.999) is outside the range'),
    }));
  });
  it('the last datetime tick and the first are kept', () => {
    expect(parseStopTarget({ stopAt: '9999-12-31T23:59:59.998' })).toEqual({ kind: 'time', time: '9999-12-31T23:59:59.997' });
    expect(parseStopTarget({ stopAt: '1753-01-01' })).toEqual({ kind: 'time', time: '1753-01-01T00:00:00.000', dateOnly: true });
  });
  // more than 3 digits: the nearest tick of the instant itself (.0249 is 7.47 ticks: .023), as
  // CAST(datetime2 AS datetime) rounds; it was rounded up to the millisecond (.025) first, then to .027
  it.each([
    ['2017-06-01T13:20:43.0249', '2017-06-01T13:20:43.023'],
    ['2017-06-01T13:20:43.0266667', '2017-06-01T13:20:43.027'],
    ['2017-06-01T23:59:59.9984', '2017-06-02T00:00:00.000'],
  ])('%s → %s', (given, rounded) => {
    expect(parseStopTarget({ stopAt: given })).toEqual({ kind: 'time', time: rounded });
  });
});

/**
 * The oracle, read independently of the replay: every committed transaction of the backups'
 * logs that inserted a heap row (in these databases only dbo.steps gets rows), with its commit
 * time (LOP_COMMIT_XACT End Time) and commit LSN, each record once however many files hold it.
 */
async function committedInserts(files: string[]): Promise<Array<{ commit: string; commitLsn: bigint; insertLsn: bigint; allocUnit: string }>> {
  const seen = new Set<string>();
  const inserts = new Map<string, { lsn: bigint; au: string }[]>();
  const out: Array<{ commit: string; commitLsn: bigint; insertLsn: bigint; allocUnit: string }> = [];
  for (const f of files) {
    for await (const r of openBackupLogStream(f).records()) {
      if (seen.has(r['Current LSN'])) continue;
      seen.add(r['Current LSN']);
      const id = r['Transaction ID'];
      if (r.Operation === 'LOP_INSERT_ROWS' && r.Context === 'LCX_HEAP') {
        const l = inserts.get(id) ?? [];
        l.push({ lsn: BigInt(lsnToDecimal(parseLsn(r['Current LSN']))), au: r.AllocUnitId! });
        inserts.set(id, l);
      }
      if (r.Operation === 'LOP_COMMIT_XACT' && inserts.has(id)) {
        for (const i of inserts.get(id)!) out.push({ commit: parseBeginTime(r['End Time']!), commitLsn: BigInt(lsnToDecimal(parseLsn(r['Current LSN']))), insertLsn: i.lsn, allocUnit: i.au });
        inserts.delete(id);
      }
    }
  }
  return out;
}

/** `dt` cut to milliseconds, the precision of a log time. */
const ms = (dt: unknown) => String(dt).slice(0, 23);

describeCorpus('point-in-time replay on RestoreTimeClean (full + differential + 6 log backups, SQL Server 2008 R2)', () => {
  it('the oracle: 60 committed single-row inserts on one allocation unit, each row committed in the millisecond its dt holds', async () => {
    const ins = await committedInserts([FULL, DIFF, ...LOGS]);
    expect(ins).toHaveLength(60);
    expect(new Set(ins.map((i) => i.allocUnit)).size).toBe(1);
    const all = await replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:29:13.000') });
    expect(all.rows.map((r) => ms(r.values.dt)).sort()).toEqual(ins.map((i) => i.commit).sort());
  });

  // Stop times: inside each log backup, on the start second of log backups (boundaries), right
  // before and after single commits, and past the differential.
  const STOPS = [
    '2017-06-01T13:00:42.980', // exactly the 4th commit (≤ T counts)
    '2017-06-01T13:00:42.979', // rounds to .980 as STOPAT's datetime does: four rows
    '2017-06-01T13:00:42.978', // rounds to .977, before the 4th commit: three rows
    '2017-06-01T13:01:00.000', // inside RestoreTimeClean_1.trn
    '2017-06-01T13:04:13.000', // the start second of _1.trn: the boundary with _2.trn
    '2017-06-01T13:06:30.500', // inside _2.trn
    '2017-06-01T13:09:13.000', // the start second of _2.trn
    '2017-06-01T13:12:43.093', // exactly a commit inside _3.trn
    '2017-06-01T13:14:13.000', // the differential's second (it ends after T: full + logs)
    '2017-06-01T13:15:00.000', // after the differential: full + differential + 2_1.trn
    '2017-06-01T13:21:00.000', // inside 2_2.trn
    '2017-06-01T13:29:13.000', // the last reachable point
  ];
  for (const T of STOPS) {
    it(`--stop-at ${T}: exactly the rows whose commit came at or before it`, async () => {
      const ins = await committedInserts([FULL, DIFF, ...LOGS]);
      const expected = ins.filter((i) => i.commit <= stopTimeAsDatetime(T)).map((i) => i.commit).sort();
      const r = await replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at(T) });
      expect(r.rows.map((x) => ms(x.values.dt)).sort()).toEqual(expected);
      expect(r.stats.undone).toBe(0);
      // no row of dbo.steps was logged while the full backup or the differential ran
      expect(r.stats.baseLogOps).toEqual({ total: 0, inBase: 0 });
    });
  }

  it('exact rows (step, dt) at four stop times, the series restarting at step 0 at 13:14:13.173', async () => {
    const ids = async (T: string) => {
      const r = await replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at(T) });
      return r.rows.map((x) => [x.values.step, ms(x.values.dt)] as const).sort((a, b) => (a[1] < b[1] ? -1 : 1));
    };
    expect(await ids('2017-06-01T12:59:13.000')).toEqual([[0, '2017-06-01T12:59:12.970']]);
    expect(await ids('2017-06-01T13:00:00.000')).toEqual([
      [0, '2017-06-01T12:59:12.970'],
      [1, '2017-06-01T12:59:42.973'],
    ]);
    const at1315 = await ids('2017-06-01T13:15:00.000');
    expect(at1315).toHaveLength(32);
    expect(at1315.slice(0, 30).map((x) => x[0])).toEqual([...Array(30).keys()]);
    expect(at1315.slice(30)).toEqual([
      [0, '2017-06-01T13:14:13.173'],
      [1, '2017-06-01T13:14:43.177'],
    ]);
    const end = await ids('2017-06-01T13:29:13.000');
    expect(end.map((x) => x[0])).toEqual([...Array(30).keys(), ...Array(30).keys()]);
    expect(end[59]).toEqual([29, '2017-06-01T13:28:43.320']);
  });

  it('the chain chosen: the differential only once it ended before T; rows from its pages, then its log', async () => {
    const before = await replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:14:13.000') });
    expect(before.chain.steps.map((s) => s.role)).toEqual(['full', 'log', 'log', 'log']);
    expect(before.stats.baseRows).toBe(0);
    expect(before.stats.redone.insert).toBe(30);
    const after = await replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:15:00.000') });
    expect(after.chain.steps.map((s) => s.role)).toEqual(['full', 'differential', 'log']);
    expect(after.stats.baseRows).toBe(30);
    expect(after.stats.redone.insert).toBe(2);
  });

  it("replayed to the differential backup's last LSN from the full backup and logs alone, the table equals the differential's pages", async () => {
    const pages = openBackupPages([FULL, DIFF], undefined, assertBackupSet);
    let fromBackup: string[];
    try {
      const reader = new PageReader(pages);
      const md = readDataFileMetadata(pages, reader);
      fromBackup = [...readTableRows(pages, md, 'dbo.steps', { reader })].map((r) => JSON.stringify([r.values.step, r.values.dt])).sort();
    } finally {
      pages.close();
    }
    expect(fromBackup).toHaveLength(30);
    // the differential's last_lsn (HEADERONLY LastLSN) = 25000000019000001: stop just before it
    const r = await replayTableAt({ bak: [FULL], trn: LOGS, table: 'dbo.steps', target: { kind: 'lsn', lsn: '25000000019000001' } });
    expect(r.chain.steps.map((s) => s.role)).toEqual(['full', 'log', 'log', 'log', 'log']);
    expect(r.rows.map((x) => JSON.stringify([x.values.step, x.values.dt])).sort()).toEqual(fromBackup);
  });

  it('--stop-before-lsn: the insert at that LSN is not applied, the one before is', async () => {
    const ins = (await committedInserts([FULL, ...LOGS.slice(0, 1)])).sort((a, b) => (a.insertLsn < b.insertLsn ? -1 : 1));
    // stop before the 4th insert's record: three rows (their commits come before it)
    const r = await replayTableAt({ bak: [FULL], trn: LOGS, table: 'dbo.steps', target: { kind: 'lsn', lsn: ins[3].insertLsn.toString() } });
    expect(r.rows.map((x) => x.values.step).sort()).toEqual([0, 1, 2]);
    // stop before the 4th commit: its insert was read but its transaction had not committed
    const r2 = await replayTableAt({ bak: [FULL], trn: LOGS, table: 'dbo.steps', target: { kind: 'lsn', lsn: ins[3].commitLsn.toString() } });
    expect(r2.rows.map((x) => x.values.step).sort()).toEqual([0, 1, 2]);
    expect(r2.stats.openAtStop).toBe(1);
  });

  it('a stop time outside the reachable range is refused naming the range; a missing log backup breaks the chain', async () => {
    await expect(replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:35:00.000') })).rejects.toMatchObject({
      code: 'INPUT_RESTORE_TOO_LATE',
      message: expect.stringContaining('2017-06-01T12:59:13.000 to 2017-06-01T13:29:13.000'),
    });
    await expect(replayTableAt({ bak: [FULL], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T12:00:00.000') })).rejects.toMatchObject({ code: 'INPUT_RESTORE_TOO_EARLY' });
    // the first row committed at 12:59:12.970, inside the second the full backup finished in
    // (headers give whole seconds): a stop in that second cannot be placed against the backup
    await expect(replayTableAt({ bak: [FULL], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T12:59:12.970') })).rejects.toMatchObject({ code: 'INPUT_RESTORE_TOO_EARLY' });
    // without _2.trn the chain from the full backup has a gap before 13:10
    const gap = [LOGS[0], ...LOGS.slice(2)];
    await expect(replayTableAt({ bak: [FULL], trn: gap, table: 'dbo.steps', target: at('2017-06-01T13:10:00.000') })).rejects.toMatchObject({ code: 'INPUT_RESTORE_CHAIN_BROKEN' });
  });

  it('files of another database are refused before anything is replayed', async () => {
    const other = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn');
    await expect(replayTableAt({ bak: [FULL], trn: [LOGS[0], other], table: 'dbo.steps', target: at('2017-06-01T13:01:00.000') })).rejects.toMatchObject({ code: 'INPUT_MIXED_DATABASES' });
  });

  it('rowback dump --bak --trn --stop-at prints the rows and a summary naming the chain and the stop', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    let e = '';
    out.on('data', (d) => (o += d));
    err.on('data', (d) => (e += d));
    const res = await runDump({ bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:01', table: 'dbo.steps', format: 'csv' } as DumpOptions, out, err);
    expect(res.rows).toBe(4);
    expect(o).toBe('step,dt,warnings\n0,2017-06-01T12:59:12.9700000,\n1,2017-06-01T12:59:42.9730000,\n2,2017-06-01T13:00:12.9770000,\n3,2017-06-01T13:00:42.9800000,\n');
    expect(e).toContain('dbo.steps at 2017-06-01T13:01:00.000 (SQL Server local time): 4 row(s)');
    expect(e).toContain('stopped at LSN 00000019:00000093:0003');
    await expect(runDump({ bak: [FULL], trn: LOGS, table: 'dbo.steps', format: 'csv' } as DumpOptions, out, err)).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ mdf: FULL, trn: LOGS, stopAt: '2017-06-01', table: 'dbo.steps', format: 'csv' } as DumpOptions, out, err)).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ bak: [LOGS[0]], trn: LOGS.slice(1), stopAt: '2017-06-01 13:10', table: 'dbo.steps', format: 'csv' } as DumpOptions, out, err)).rejects.toMatchObject({ code: 'INPUT_NOT_A_DATABASE_BACKUP' });
  });

  it('a signal aborted while the log is read stops the replay: it throws the signal\'s reason, never a table from part of the log', async () => {
    const c = new AbortController();
    // the first turn of the event loop comes inside the log reading (the base backup's pages are read synchronously before it)
    setImmediate(() => c.abort(new Error('Ctrl-C')));
    await expect(replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:29:13.000'), signal: c.signal })).rejects.toThrow('Ctrl-C');
    // not aborted: the same replay ends
    await expect(replayTableAt({ bak: [FULL, DIFF], trn: LOGS, table: 'dbo.steps', target: at('2017-06-01T13:29:13.000'), signal: new AbortController().signal })).resolves.toMatchObject({ table: 'dbo.steps' });
  });
});

describeCorpus('point-in-time replay on sql2008-backups/StopAt (full + 4 log backups)', () => {
  const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
  const FULLS = S('StopAt.bak');
  // counts read off the commit records (`rowback log … --operation LOP_COMMIT_XACT`)
  // 13:29:34.600, 13:30:24.600, 13:32:09.700: while a log backup ran (each started and finished in
  // that second), after its last commit and after the next backup's first (13:29:34.530,
  // 13:30:24.583, 13:32:09.670): placed by the running backup's own commit times (they were refused
  // INPUT_RESTORE_TARGET_AT_BOUNDARY, yet answered on a copy whose ESET was damaged)
  const EXPECTED_STOPAT: Record<string, number> = { '2020-05-12T13:29:00.000': 4, '2020-05-12T13:29:34.600': 11, '2020-05-12T13:30:24.000': 20, '2020-05-12T13:30:24.600': 21, '2020-05-12T13:31:00.000': 28, '2020-05-12T13:32:09.700': 43, '2020-05-12T13:33:00.000': 53, '2020-05-12T13:34:44.000': 73 };
  const LOGS2 = ['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'].map(S);
  for (const T of Object.keys(EXPECTED_STOPAT)) {
    it(`--stop-at ${T}: exactly the rows whose commit came at or before it`, async () => {
      const ins = await committedInserts([FULLS, ...LOGS2]);
      expect(ins).toHaveLength(73);
      const r = await replayTableAt({ bak: [FULLS], trn: LOGS2, table: 'dbo.steps', target: at(T) });
      // dt here is not always the commit's millisecond (13:33:24.703 vs .707): rows are matched by the LSN of their insert
      expect(r.stats.baseRows).toBe(0);
      expect(r.rows.map((x) => (x.origin === 'backup' ? 'backup' : BigInt(lsnToDecimal(parseLsn(x.origin.lsn))))).sort()).toEqual(ins.filter((i) => i.commit <= T).map((i) => i.insertLsn).sort());
      expect(r.rows).toHaveLength(EXPECTED_STOPAT[T]);
    });
  }
});
