/**
 * The stop-time look-ahead into the log backups given after the one the replay stopped in
 * (lookAheadInLaterLogBackups). It followed the chain by FirstLSN = the previous LastLSN: log
 * backups of an idle database begin and end at one LSN, and two of them (or one given twice) led
 * from one to the other and back, read again and again, for ever (dump --stop-at hung after its
 * rows were replayed). And it fed the clock every record of the next file, those before its
 * FirstLSN too (read already: the replay skips them), an earlier commit seen again after later ones.
 *
 * SYNTHETIC: the backup sets and the records the log stream yields (openBackupLogStream mocked).
 */
import { beforeEach, expect, it, vi } from 'vitest';
import type { BackupSetRecord } from '../../src/restore/history.js';

let opened: string[] = [];
let streams: Record<string, Array<Record<string, string>>> = {};
vi.mock('../../src/backup/log-stream.js', () => ({
  openBackupLogStream: (path: string) => ({
    records: async function* () {
      opened.push(path);
      // a bound for the old code's endless walk: the look-ahead ends on a file it cannot read
      if (opened.length > 20) throw new Error('read too often');
      for (const r of streams[path] ?? []) yield r;
    },
    // the same records in one block (the look-ahead reads commits only through batches' keep)
    batches: async function* () {
      opened.push(path);
      if (opened.length > 20) throw new Error('read too often');
      yield { records: streams[path] ?? [], firstLsn: '' };
    },
  }),
}));

const { lookAheadInLaterLogBackups, StopTimeLookAhead } = await import('../../src/replay/stop-time-clock.js');
const { CommitClock } = await import('../../src/recover/commit-clock.js');

const set = (file: string, firstLsn: string, lastLsn: string) => ({ backupType: 'log', damaged: false, devices: [file], firstLsn, lastLsn }) as unknown as BackupSetRecord;
const commit = (lsn: string, end: string) => ({ 'Current LSN': lsn, Operation: 'LOP_COMMIT_XACT', 'End Time': end });

beforeEach(() => {
  opened = [];
  streams = {};
});

it('two log backups of one LSN (an idle database) after the stop: each read once, the look-ahead ends', async () => {
  // 00000013:000000c1:0001 = 19000000019300001
  const sets = [set('a.trn', '19000000018300001', '19000000019300001'), set('idle-1.trn', '19000000019300001', '19000000019300001'), set('idle-2.trn', '19000000019300001', '19000000019300001')];
  const clock = new CommitClock();
  clock.see('00000013:000000c0:0003', '2020/05/12 13:30:00:000');
  const ahead = new StopTimeLookAhead(clock, '2020-05-12T13:29:36');
  await lookAheadInLaterLogBackups(ahead, 'a.trn', sets);
  expect(opened.sort()).toEqual(['idle-1.trn', 'idle-2.trn']);
  expect(clock.backwards).toBeUndefined();
});

it("records of the next log backup before its FirstLSN (read already) are not fed to the clock again", async () => {
  const sets = [set('a.trn', '19000000018300001', '19000000019300001'), set('b.trn', '19000000019300001', '19000000020300001')];
  streams['b.trn'] = [
    // in a.trn, before its last commit (13:30:00): a quiet database, one commit a minute
    commit('00000013:000000c0:0001', '2020/05/12 13:29:00:000'),
    commit('00000013:000000c1:0003', '2020/05/12 13:30:30:000'),
  ];
  const clock = new CommitClock();
  clock.see('00000013:000000bf:0003', '2020/05/12 13:29:00:000');
  clock.see('00000013:000000c0:0003', '2020/05/12 13:30:00:000');
  const ahead = new StopTimeLookAhead(clock, '2020-05-12T13:29:36');
  await lookAheadInLaterLogBackups(ahead, 'a.trn', sets);
  expect(opened).toEqual(['b.trn']);
  expect(clock.backwards).toBeUndefined();
});
