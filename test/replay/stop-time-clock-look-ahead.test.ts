/**
 * The stop-time look-ahead into the log backups given after the one the replay stopped in
 * (lookAheadInLaterLogBackups). It followed the chain by FirstLSN = the previous LastLSN: log
 * backups of an idle database begin and end at one LSN, and two of them (or one given twice) led
 * from one to the other and back, read again and again, for ever (dump --stop-at hung after its
 * rows were replayed). And it fed the clock every record of the next file, those before its
 * FirstLSN too (read already: the replay skips them), an earlier commit seen again after later ones.
 *
 * And (restore plan's check) it named a set by its file alone: of log backups appended to one file
 * WITH NOINIT, the set after the one stopped in was taken as read, and position 1 opened for any.
 *
 * SYNTHETIC: the backup sets and the records the log stream yields (openBackupLogStream mocked).
 */
import { beforeEach, expect, it, vi } from 'vitest';
import type { BackupSetRecord } from '../../src/restore/history.js';

let opened: string[] = [];
let streams: Record<string, Array<Record<string, string>>> = {};
vi.mock('../../src/backup/log-stream.js', () => ({
  openBackupLogStream: (path: string, _kind?: string, _layout?: unknown, position = 1) => ({
    records: async function* () {
      opened.push(path);
      // a bound for the old code's endless walk: the look-ahead ends on a file it cannot read
      if (opened.length > 20) throw new Error('read too often');
      for (const r of streams[path] ?? []) yield r;
    },
    // the same records in one block (the look-ahead reads commits only through batches' keep)
    batches: async function* () {
      opened.push(position === 1 ? path : `${path}#${position}`);
      if (opened.length > 20) throw new Error('read too often');
      yield { records: streams[position === 1 ? path : `${path}#${position}`] ?? [], firstLsn: '' };
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

it('log backups appended to one file (FILE = 1, 2, 3): the look-ahead reads the set after the one stopped in, by its position', async () => {
  const at = (position: number, firstLsn: string, lastLsn: string) => ({ ...set('log.trn', firstLsn, lastLsn), position }) as BackupSetRecord;
  const sets = [at(1, '19000000018300001', '19000000019300001'), at(2, '19000000019300001', '19000000020300001'), at(3, '19000000020300001', '19000000021300001')];
  // the clock went back in FILE = 2 (40 s before the stop's commit)
  streams['log.trn#2'] = [commit('00000013:000000c1:0003', '2020/05/12 13:29:20:000')];
  const clock = new CommitClock();
  clock.see('00000013:000000c0:0003', '2020/05/12 13:30:00:000');
  const ahead = new StopTimeLookAhead(clock, '2020-05-12T13:29:36');
  await lookAheadInLaterLogBackups(ahead, sets[0]!, sets);
  expect(opened).toEqual(['log.trn#2']);
  expect(clock.backwards).toMatchObject({ laterLsn: '00000013:000000c1:0003', earlierLsn: '00000013:000000c0:0003' });
});
