import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import { planChain, type RestoreTarget } from '../../src/restore/chain.js';
import { addLogCommitTimes, readFolderHistory, type BackupSetRecord } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { names, rec } from './synthetic-history.js';

const at = (time: string): RestoreTarget => ({ kind: 'time', time });

/**
 * A --stop-at after a log backup started, its backup finish date unknown (ESET damaged or cut),
 * was refused ("stop before an LSN instead") even with the .trn at hand, whose own commit times
 * place it: the stop falls at the first commit later than the time (STOPAT's and the replay's rule,
 * backup/log-commits.ts), so a backup holding a later commit holds it, and one read whole with none
 * later does not. Past every commit of the last backup of a chain, the advice named
 * --stop-before-lsn, which reaches no such moment either: now TOO_LATE saying what is reached.
 */
describeCorpus('restore plan: a log backup whose finish date is unknown, placed by its commit times (copies of RestoreTimeClean)', () => {
  const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  /** full + _1 (its ESET's header bit-flipped: finish date unknown, log whole; offsets test/backup/mtf-trailer.test.ts) [+ _2]. */
  const folder = (withNext: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-finish-unknown-'));
    copyFileSync(R('RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
    if (withNext) copyFileSync(R('RestoreTimeClean_2.trn'), join(dir, 'RestoreTimeClean_2.trn'));
    const b = Buffer.from(readFileSync(R('RestoreTimeClean_1.trn')));
    b[78848 + 20] ^= 0x01;
    writeFileSync(join(dir, 'RestoreTimeClean_1.trn'), b);
    return { dir, trn: join(dir, 'RestoreTimeClean_1.trn') };
  };

  it('its log read whole, last commit 13:03:42.997: a time after its start (13:04:13) lies past it, in the next log backup', async () => {
    const { dir, trn } = folder(true);
    const h = readFolderHistory([dir]);
    await addLogCommitTimes(h.sets);
    expect(h.sets.find((s) => s.devices[0] === trn)?.logCommits).toEqual({ last: '2017-06-01T13:03:42.997', whole: true });
    for (const time of ['2017-06-01T13:04:13.500', '2017-06-01T13:07:00.000']) {
      expect(names(planChain(h.sets, at(time), h.skipped).steps)).toEqual(['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn']);
    }
    // the range it closes with no longer leaves out 13:04:13–13:09:13
    const err = refusal(() => planChain(h.sets, at('2017-06-01T12:00:00.000'), h.skipped));
    expect(err?.message).toContain(`reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:09:13.000 (from full backup ${join(dir, 'RestoreTimeClean.bak')})`);
  });

  it('the last backup of the chain: a time past its every commit is TOO_LATE naming what is reached, not "stop before an LSN"', async () => {
    const { dir, trn } = folder(false);
    const h = readFolderHistory([dir]);
    await addLogCommitTimes(h.sets);
    const err = refusal(() => planChain(h.sets, at('2017-06-01T13:07:00.000'), h.skipped));
    expect(err?.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(err?.message).toContain(`the last log backup, ${trn}, started at 2017-06-01T13:04:13 (its backup finish date is unknown) and its log, read whole, records its last commit at 2017-06-01T13:03:42.997: the records of 2017-06-01T13:07:00.000 are after it, in log that none of the files given holds (a later log backup, or log not backed up yet), which no --stop-at or --stop-before-lsn reaches; the latest point these backups reach is the end of it: --stop-before-lsn 25000000015300000 (every record it holds) or, by time, --stop-at 2017-06-01T13:04:13.000`);
    expect(err?.message).not.toContain('instead');
    // without its commit times (msdb, or not read): still refused, but the advice is what is reached
    const bare = readFolderHistory([dir]);
    const e2 = refusal(() => planChain(bare.sets, at('2017-06-01T13:07:00.000'), bare.skipped));
    expect(e2?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(e2?.message).toContain('whether the records of that moment are in it or after it, in log that none of the files given holds, cannot be told, and after it no --stop-at or --stop-before-lsn reaches them; the latest point these backups reach is the end of it: --stop-before-lsn 25000000015300000 (every record it holds) or, by time, --stop-at 2017-06-01T13:04:13.000; given its file, its log records\' commit times can place the time');
  });
});

describeCorpus('restore plan: a log backup in the folder twice, one copy with damaged closing blocks (copies of RestoreTimeClean)', () => {
  it('the whole copy is planned, whichever is listed first (the first was: RESTORE from the damaged copy)', async () => {
    const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-two-copies-'));
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn']) copyFileSync(R(f), join(dir, f));
    const b = Buffer.from(readFileSync(R('RestoreTimeClean_2.trn')));
    b[78848 + 20] ^= 0x01;
    writeFileSync(join(dir, 'A_copy_2.trn'), b);
    const h = readFolderHistory([dir]);
    expect(h.sets.some((s) => s.devices[0] === join(dir, 'A_copy_2.trn') && s.caveat)).toBe(true);
    await addLogCommitTimes(h.sets);
    expect(names(planChain(h.sets, at('2017-06-01T13:12:00.000'), h.skipped).steps)).toEqual(['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn']);
  });
});

/** SYNTHETIC history (synthetic-history.ts): shapes the corpus lacks (a commit recorded after the backup started; a log read only in part). */
describe('restore plan: placing a time by a log backup\'s commit times (SYNTHETIC)', () => {
  const chain = (l1: Partial<BackupSetRecord>): BackupSetRecord[] => [
    rec({ name: 'F1.bak', backupType: 'full', firstLsn: '1000000000010000001', lastLsn: '1000000000020000001', at: '2024-03-01T10:00:00' }),
    rec({ name: 'L1.trn', backupType: 'log', firstLsn: '1000000000005000001', lastLsn: '1000000000030000001', at: '2024-03-01T11:00:00', backupFinishDate: null, ...l1 }),
    rec({ name: 'L2.trn', backupType: 'log', firstLsn: '1000000000030000001', lastLsn: '1000000000040000001', at: '2024-03-01T12:00:00' }),
  ];
  it('a commit later than the time, recorded after the backup started: the stop lies in it, the plan ends with it', () => {
    const sets = chain({ logCommits: { last: '2024-03-01T11:00:05.120', whole: true } });
    expect(names(planChain(sets, at('2024-03-01T11:00:03.000')).steps)).toEqual(['F1.bak', 'L1.trn']);
    // at the last commit's own time that commit is applied: the stop lies after it
    expect(names(planChain(sets, at('2024-03-01T11:00:05.120')).steps)).toEqual(['F1.bak', 'L1.trn', 'L2.trn']);
  });
  it('read only in part: before its last commit read, placed in it; at or after it, refused naming the times and why', () => {
    const sets = chain({ logCommits: { last: '2024-03-01T11:00:05.120', whole: false, why: 'FORMAT_LOG_STREAM_SHORT: lost' } });
    expect(names(planChain(sets, at('2024-03-01T11:00:05.000')).steps)).toEqual(['F1.bak', 'L1.trn']);
    const err = refusal(() => planChain(sets, at('2024-03-01T11:30:00.000')));
    expect(err?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(err?.message).toContain('2024-03-01T11:30:00.000 falls after log backup D:\\Backups\\L1.trn started (2024-03-01T11:00:00) and before D:\\Backups\\L2.trn started (2024-03-01T12:00:00), and its backup finish date is unknown (none is recorded; its log, read only in part (FORMAT_LOG_STREAM_SHORT: lost), records its last commit at 2024-03-01T11:00:05.120)');
    expect(err?.message).toContain('except after 2024-03-01T11:00:05.120 up to 2024-03-01T12:00:00.000');
  });
  it('not read (msdb): refused as before', () => {
    const err = refusal(() => planChain(chain({}), at('2024-03-01T11:30:00.000')));
    expect(err?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(err?.message).toContain('stop before an LSN (--stop-before-lsn) instead, which its log records place');
  });
});

/** SYNTHETIC history: a log backup whose finish date is known, read (its file at hand), the time while it ran. */
describe('restore plan: a time while a log backup ran, its finish date known, placed by its commit times (SYNTHETIC)', () => {
  const chain = (l2: Partial<BackupSetRecord>): BackupSetRecord[] => [
    rec({ name: 'F1.bak', backupType: 'full', firstLsn: '1000000000010000001', lastLsn: '1000000000020000001', at: '2024-03-01T10:00:00' }),
    rec({ name: 'L1.trn', backupType: 'log', firstLsn: '1000000000005000001', lastLsn: '1000000000030000001', at: '2024-03-01T11:00:00' }),
    rec({ name: 'L2.trn', backupType: 'log', firstLsn: '1000000000030000001', lastLsn: '1000000000040000001', at: '2024-03-01T12:00:00', backupFinishDate: '2024-03-01T12:00:09', ...l2 }),
  ];
  it('the last log backup recording a commit after its start: the reachable range runs to just before it, and a time before it is planned', () => {
    const sets = chain({ source: 'file', logCommits: { last: '2024-03-01T12:00:07.120', whole: true } });
    expect(names(planChain(sets, at('2024-03-01T12:00:05.000')).steps)).toEqual(['F1.bak', 'L1.trn', 'L2.trn']);
    const err = refusal(() => planChain(sets, at('2024-03-01T12:00:08.000')));
    expect(err?.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(err?.message).toContain('started at 2024-03-01T12:00:00 (finished at 2024-03-01T12:00:09) and its log, read whole, records its last commit at 2024-03-01T12:00:07.120: the records of 2024-03-01T12:00:08.000 are after it');
    expect(err?.message).toContain('reachable with these backups: 2024-03-01T10:00:01.000 to just before 2024-03-01T12:00:07.120 (the last commit in its last log backup\'s log) (from full backup');
    expect(planChain(sets, at('2024-03-01T12:00:05.000')).reachable[0]).toMatchObject({ toTime: '2024-03-01T12:00:00.000', toBeforeTime: '2024-03-01T12:00:07.120' });
  });
  it('read only in part, the time after its last commit read: still refused while it ran, naming what its log said', () => {
    const err = refusal(() => planChain(chain({ source: 'file', logCommits: { last: '2024-03-01T12:00:02.000', whole: false, why: 'FORMAT_LOG_STREAM_SHORT: lost' } }), at('2024-03-01T12:00:05.000')));
    expect(err?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(err?.message).toContain('falls while log backup D:\\Backups\\L2.trn was running (2024-03-01T12:00:00 to 2024-03-01T12:00:09, whole seconds): whether the records of that moment are in it or in the next log backup cannot be told from the headers; its log, read only in part (FORMAT_LOG_STREAM_SHORT: lost), records its last commit at 2024-03-01T12:00:02.000; choose a time');
  });
  it('not read (msdb): refused as before, saying its file would place the time', () => {
    const err = refusal(() => planChain(chain({}), at('2024-03-01T12:00:05.000')));
    expect(err?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(err?.message).toContain('cannot be told from the headers (given its file, its log records\' commit times can place the time); choose a time');
  });
});
