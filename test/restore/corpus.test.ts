import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { chooseDatabase, planChain, type RestoreTarget } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import { renderRestore } from '../../src/restore/tsql.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { relabelledAsStripe } from '../support/striped-backup.js';
import { chainSourceDatabase } from '../../src/cli/commands/restore.js';
import { tokenizeTsql } from '../support/tsql-tokenizer.js';

const LAB = (...p: string[]) => corpusPath('appveyor-lab', ...p);
const base = (p: string) => p.split('/').pop();

function plan(dir: string, target: RestoreTarget, database?: string) {
  const h = readFolderHistory([dir]);
  return planChain(chooseDatabase(h, database), target, h.skipped);
}
const at = (time: string): RestoreTarget => ({ kind: 'time', time });
function refusal(f: () => unknown): Error & { code: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code: string };
  }
  throw new Error('expected a refusal');
}

describeCorpus('restore planning on appveyor-lab (headers read offline)', () => {
  const RTC = LAB('RestoreTimeClean');

  it('RestoreTimeClean: the history holds the 2 full/differential and 6 log backups, every one used by some plan', () => {
    const h = readFolderHistory([RTC]);
    expect(h.skipped).toEqual([]);
    expect(h.sets.map((s) => s.backupType).sort()).toEqual(['differential', 'full', 'log', 'log', 'log', 'log', 'log', 'log']);
    // the same folder given twice, or a file and its folder: each backup once
    expect(readFolderHistory([RTC, RTC, join(RTC, 'RestoreTimeClean.bak')]).sets).toHaveLength(8);
  });

  // Expected chains follow from the header dates (full 12:59:12; logs _1 13:04:13, _2 13:09:13,
  // _3 13:14:13; differential 13:14:13; logs 2_1 13:19:13, 2_2 13:24:13, 2_3 13:29:13).
  it.each([
    ['2017-06-01T13:00:00.000', ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']],
    ['2017-06-01T13:04:13.000', ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']],
    ['2017-06-01T13:07:30.000', ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn']],
    ['2017-06-01T13:12:00.000', ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn']],
    ['2017-06-01T13:15:00.000', ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean2_1.trn']],
    ['2017-06-01T13:22:00.000', ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn']],
    ['2017-06-01T13:29:13.000', ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn']],
  ])('RestoreTimeClean --stop-at %s → %j', (time, files) => {
    const c = plan(RTC, at(time));
    expect(c.steps.map((s) => base(s.set.devices[0]))).toEqual(files);
    // every log continues the one before it: first ≤ previous last < own last
    for (let i = 1; i < c.steps.length; i++) {
      const prev = c.steps[i - 1].set;
      const s = c.steps[i].set;
      if (s.backupType === 'log') {
        expect(BigInt(s.firstLsn) <= BigInt(prev.lastLsn)).toBe(true);
        expect(BigInt(prev.lastLsn) < BigInt(s.lastLsn)).toBe(true);
      } else {
        expect(s.differentialBaseGuid).toBe(prev.backupSetGuid);
      }
    }
  });

  it('RestoreTimeClean: the exact script for 13:22 as a side database', () => {
    const c = plan(RTC, at('2017-06-01T13:22:00.000'));
    const r = renderRestore(c, { as: 'RTC_1322' });
    const data = 'C:\\Program Files\\Microsoft SQL Server\\MSSQL10_50.MSSQLSERVER\\MSSQL\\DATA\\';
    expect(r.statements).toEqual([
      `RESTORE DATABASE [RTC_1322] FROM DISK = N'${join(RTC, 'RestoreTimeClean.bak')}' WITH FILE = 1, MOVE N'RestoreTimeClean' TO N'${data}RTC_1322.mdf', MOVE N'RestoreTimeClean_log' TO N'${data}RTC_1322_log.LDF', NORECOVERY;`,
      `RESTORE DATABASE [RTC_1322] FROM DISK = N'${join(RTC, 'RestoreTimeClean2.bak')}' WITH FILE = 1, NORECOVERY;`,
      `RESTORE LOG [RTC_1322] FROM DISK = N'${join(RTC, 'RestoreTimeClean2_1.trn')}' WITH FILE = 1, NORECOVERY;`,
      `RESTORE LOG [RTC_1322] FROM DISK = N'${join(RTC, 'RestoreTimeClean2_2.trn')}' WITH FILE = 1, NORECOVERY, STOPAT = N'2017-06-01T13:22:00.000';`,
      'RESTORE DATABASE [RTC_1322] WITH RECOVERY;',
    ]);
    // the side database's files never equal the original's (from FILELISTONLY)
    const originals = readBackupHeader(join(RTC, 'RestoreTimeClean.bak')).files.map((f) => f.physicalName.toLowerCase());
    for (const m of r.moves) expect(originals).not.toContain(m.to.toLowerCase());
    expect(() => tokenizeTsql(r.statements.join('\n'))).not.toThrow();
  });

  it('RestoreTimeClean --stop-before-lsn: the log holding the LSN ends the chain with STOPBEFOREMARK', () => {
    const c = plan(RTC, { kind: 'lsn', lsn: '25000000015800000' });
    expect(c.steps.map((s) => base(s.set.devices[0]))).toEqual(['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn']);
    expect(renderRestore(c, { as: 'X' }).statements.at(-2)).toMatch(/WITH FILE = 1, NORECOVERY, STOPBEFOREMARK = N'lsn:25000000015800000';$/);
    // the first LSN after the full backup: held by the first log backup
    expect(plan(RTC, { kind: 'lsn', lsn: '25000000013200001' }).steps).toHaveLength(2);
  });

  it('RestoreTimeClean without _2.trn: the reachable ranges leave out the gap (it was one range, 12:59:13 to 13:29:13, with 13:10 inside it refused)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-gap-'));
    try {
      for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn']) symlinkSync(join(RTC, f), join(dir, f));
      const err = refusal(() => plan(dir, at('2017-06-01T13:10:00.000')));
      expect(err.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
      expect(err.message).toContain(`reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:04:13.000 (from full backup ${join(dir, 'RestoreTimeClean.bak')}); 2017-06-01T13:14:14.000 to 2017-06-01T13:29:13.000 (from full backup ${join(dir, 'RestoreTimeClean.bak')} and differential ${join(dir, 'RestoreTimeClean2.bak')})`);
      // both ranges plan: before the gap through the logs, after it through the differential
      expect(plan(dir, at('2017-06-01T13:03:00.000')).steps.map((st) => base(st.set.devices[0]))).toEqual(['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']);
      expect(plan(dir, at('2017-06-01T13:20:00.000')).steps.map((st) => st.role)).toEqual(['full', 'differential', 'log', 'log']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('RestoreTimeClean: a stop time before the first full backup ends, or after the last log backup, is refused with the reachable range', () => {
    const early = refusal(() => plan(RTC, at('2017-06-01T12:30:00.000')));
    expect(early.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(early.message).toMatch(/RestoreTimeClean\.bak, finished at 2017-06-01T12:59:12; reachable with these backups: 2017-06-01T12:59:13\.000 to 2017-06-01T13:29:13\.000/);
    const late = refusal(() => plan(RTC, at('2017-06-01T14:00:00.000')));
    expect(late.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(late.message).toMatch(/RestoreTimeClean2_3\.trn, started at 2017-06-01T13:29:13; reachable with these backups: 2017-06-01T12:59:13\.000 to 2017-06-01T13:29:13\.000/);
    const lsnEarly = refusal(() => plan(RTC, { kind: 'lsn', lsn: '25000000010000000' }));
    expect(lsnEarly.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(lsnEarly.message).toMatch(/LSN 25000000013200001 \(00000019:00000084:0001\) to 25000000022000000 \(00000019:000000dc:0000\)/);
  });

  it('RestoreTimeClean without its first log backup: a stop after the last one names the gap that leaves nothing reachable', () => {
    // before: "…; nothing can be restored to a point in time from these backups", the missing log unnamed
    const dir = mkdtempSync(join(tmpdir(), 'rowback-rtc-gap-'));
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_2.trn']) symlinkSync(join(RTC, f), join(dir, f));
    const late = refusal(() => plan(dir, at('2017-06-01T13:20:00.000')));
    rmSync(dir, { recursive: true, force: true });
    expect(late.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(late.message).toMatch(/nothing can be restored to a point in time from these backups: log backups covering LSN 25000000013200001 up to 25000000015300001 are missing \(after .*RestoreTimeClean\.bak, before .*RestoreTimeClean_2\.trn\): find the log backup\(s\) taken between 2017-06-01T12:59:12 and 2017-06-01T13:09:13 \(msdb\.dbo\.backupset: type L, first_lsn 25000000013200001\) and give them with the others, or a differential backup of .*RestoreTimeClean\.bak taken after them, ending before the stop point \(msdb\.dbo\.backupset: type I, differential_base_guid 5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359, last_lsn at or after 25000000015300001, backup_finish_date at or before 2017-06-01T13:20:00\.000\), with the log backups after it$/);
    // the GUID named is the full backup's own BackupSetGUID (its header, read offline)
  });

  it('StopAt: full + 4 logs, chains for several stop times', () => {
    const dir = LAB('sql2008-backups', 'StopAt');
    const files = (t: string) => plan(dir, at(t)).steps.map((s) => base(s.set.devices[0]));
    expect(files('2020-05-12T13:29:00.000')).toEqual(['StopAt.bak', 'StopAt_1.trn']);
    expect(files('2020-05-12T13:30:00.000')).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn']);
    expect(files('2020-05-12T13:31:00.000')).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn']);
    expect(files('2020-05-12T13:34:00.000')).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn']);
    const r = renderRestore(plan(dir, at('2020-05-12T13:31:00.000')), { as: 'StopAt_side', standby: 'c:\\temp\\StopAt_side.tuf' });
    expect(r.statements.at(-1)).toMatch(/^RESTORE LOG \[StopAt_side\] FROM DISK = N'.*StopAt_21\.trn' WITH FILE = 1, STANDBY = N'c:\\temp\\StopAt_side\.tuf', STOPAT = N'2020-05-12T13:31:00\.000';$/);
    expect(r.statements.some((s) => /RECOVERY;$/.test(s) && !/NORECOVERY/.test(s))).toBe(false);
  });

  it('db1: a differential and logs whose full backup is missing — refused naming the full backup\'s GUID and LSN, nothing reachable', () => {
    const e = refusal(() => plan(LAB('sql2008-backups', 'db1'), at('2017-05-18T04:18:35.000')));
    expect(e.code).toBe('INPUT_RESTORE_NO_FULL');
    expect(e.message).toMatch(/the full backup with BackupSetGUID 61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE \(checkpoint LSN 323000000010200038\), which .*SQL2008_db1_DIFF_20170518_041819\.bak is based on, is missing/);
    expect(e.message).toMatch(/nothing can be restored to a point in time from these backups$/);
  });

  it('a folder with a full backup and no log backup: the refusal says the full backup restores to its own end, and how to read its rows (it was a dead end)', () => {
    for (const t of ['2020-01-01T10:00:00.000', '2030-01-01T10:00:00.000']) {
      const e = refusal(() => plan(corpusPath('pubs-2012'), at(t)));
      expect(e.message).toContain('nothing can be restored to a point in time from these backups (no log backup is among them); a full backup alone restores to its own end (RESTORE DATABASE … WITH RECOVERY)');
      // after it (2030): that backup named, and its dump; before it (2020, the backup is of 2024): none to name
      if (t.startsWith('2030')) expect(e.message).toMatch(/: the latest full backup before 2030-01-01T10:00:00\.000 is \S*pubs\.bak, finished at 2024-05-05T19:15:01, and `rowback dump --bak \S*pubs\.bak --table T` prints its rows as of then/);
      else expect(e.message).toContain(', and `rowback dump --bak FILE --table T` prints its rows as of then');
    }
  });

  it('StDb2Sql.bak, two full backups in one file and no log backup: the advice names the set before the time, with its position (it said `dump --bak FILE`, which is refused without one)', () => {
    const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const in2010 = refusal(() => plan(corpusPath('StDb2005'), at('2010-01-01T00:00:00.000')));
    expect(in2010.message).toContain(`the latest full backup before 2010-01-01T00:00:00.000 is ${S} (backup set 1), finished at 2009-08-11T14:57:39, and \`rowback dump --bak ${S} --position 1 --table T\` prints its rows as of then`);
    const in2011 = refusal(() => plan(corpusPath('StDb2005'), at('2011-01-01T00:00:00.000')));
    expect(in2011.message).toContain(`is ${S} (backup set 2), finished at 2010-12-02T23:08:33, and \`rowback dump --bak ${S} --position 2 --table T\``);
    // before both: no full backup to name
    const early = refusal(() => plan(corpusPath('StDb2005'), at('2009-01-01T00:00:00.000')));
    expect(early.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(early.message).toContain('and `rowback dump --bak FILE --table T` prints its rows as of then');
  });

  it('folders holding two databases need --database', () => {
    expect(refusal(() => plan(LAB('sql2008-backups'), at('2020-05-12T13:31:00.000'))).code).toBe('INPUT_RESTORE_SEVERAL_DATABASES');
    expect(plan(LAB('sql2008-backups'), at('2020-05-12T13:31:00.000'), 'stopat').steps).toHaveLength(4);
  });

  it('SYNTHETIC appended sets (two real log backups in one file, WITH NOINIT layout) and a lone stripe: FILE = 2 planned, the stripe named and not used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-restore-'));
    symlinkSync(join(RTC, 'RestoreTimeClean.bak'), join(dir, 'full.bak'));
    symlinkSync(join(RTC, 'RestoreTimeClean_1.trn'), join(dir, 'log1.trn'));
    const a = readFileSync(join(RTC, 'RestoreTimeClean_2.trn'));
    const b = readFileSync(join(RTC, 'RestoreTimeClean_3.trn'));
    const appended = Buffer.concat([a, b.subarray(0x600)]);
    // as SQL Server numbers an appended set: SSET data set number (u16 @62) = 2
    expect(appended.toString('latin1', a.length, a.length + 4)).toBe('SSET');
    appended.writeUInt16LE(2, a.length + 62);
    writeFileSync(join(dir, 'logs23.trn'), appended);
    symlinkSync(corpusPath('Northwind-stripe', 'Northwind.bak'), join(dir, 'nw-stripe1.bak'));
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    symlinkSync(dir, join(dir, 'loop')); // a link back to the folder: read once
    expect(readMtfLayout(join(dir, 'logs23.trn')).sets).toBe(2);
    const h = readFolderHistory([dir]);
    expect(h.skipped).toEqual([expect.objectContaining({ file: join(dir, 'nw-stripe1.bak'), code: 'FORMAT_INCOMPLETE_MEDIA_SET', reason: expect.stringMatching(/stripe 1 of 2 .*stripe 2 not found/) })]);
    const c = planChain(chooseDatabase(h), at('2017-06-01T13:12:00.000'), h.skipped);
    expect(c.steps.map((s) => s.set.position)).toEqual([1, 1, 1, 2]);
    const r = renderRestore(c, { as: 'RTC2' });
    expect(r.statements.slice(1, 4)).toEqual([
      `RESTORE LOG [RTC2] FROM DISK = N'${join(dir, 'log1.trn')}' WITH FILE = 1, NORECOVERY;`,
      `RESTORE LOG [RTC2] FROM DISK = N'${join(dir, 'logs23.trn')}' WITH FILE = 1, NORECOVERY;`,
      `RESTORE LOG [RTC2] FROM DISK = N'${join(dir, 'logs23.trn')}' WITH FILE = 2, NORECOVERY, STOPAT = N'2017-06-01T13:12:00.000';`,
    ]);
  });

  it('SYNTHETIC appended set whose own set number disagrees with its place in the file: not used, named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-restore-'));
    const a = readFileSync(join(RTC, 'RestoreTimeClean_2.trn'));
    const b = readFileSync(join(RTC, 'RestoreTimeClean_3.trn'));
    writeFileSync(join(dir, 'odd.trn'), Buffer.concat([a, b.subarray(0x600)])); // set 2 still says 1
    const h = readFolderHistory([dir]);
    expect(h.sets).toHaveLength(1);
    expect(h.skipped).toEqual([expect.objectContaining({ code: 'FORMAT_BAD_MTF', reason: expect.stringMatching(/backup set 2 of the file says it is set 1/) })]);
  });
  it('SYNTHETIC two-stripe split of pubs.bak (RAID family fields set, as test/backup/media.test.ts makes it): one history entry listing both stripes in family order', () => {
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-restore-stripes-'));
    for (const seq of [2, 1]) writeFileSync(join(dir, `z-stripe${seq}.bak`), relabelledAsStripe(pubs, seq));
    const h = readFolderHistory([dir]);
    expect(h.skipped).toEqual([]);
    expect(h.sets).toHaveLength(1);
    expect(h.sets[0].devices).toEqual([join(dir, 'z-stripe1.bak'), join(dir, 'z-stripe2.bak')]);
  });
});

describeCorpus('the source database of a restore run --stage job (the restored chain\'s database)', () => {
  it('offline: the full backup\'s name, binding id and family GUID (HEADERONLY), the same as the backup\'s own header says', () => {
    const RTC = LAB('RestoreTimeClean');
    const chain = plan(RTC, at('2017-06-01T13:10:00.000'));
    const h = readBackupHeader(join(RTC, 'RestoreTimeClean.bak'));
    expect(h.bindingId && h.familyGuid).toBeTruthy();
    expect(chainSourceDatabase(chain)).toEqual({ name: 'RestoreTimeClean', bindingId: h.bindingId!.toUpperCase(), familyGuid: h.familyGuid!.toUpperCase() });
  });

  it('from msdb (no HEADERONLY binding id): database_guid is the binding id, family_guid the family GUID', () => {
    const chain = plan(LAB('RestoreTimeClean'), at('2017-06-01T13:10:00.000'));
    const set = { ...chain.steps[0]!.set, source: 'msdb' as const, bindingId: null, databaseGuid: 'ABCDEF01-0000-0000-0000-000000000001', familyGuid: 'ABCDEF01-0000-0000-0000-000000000002' };
    expect(chainSourceDatabase({ ...chain, steps: [{ role: 'full', set }] })).toEqual({ name: 'RestoreTimeClean', bindingId: 'ABCDEF01-0000-0000-0000-000000000001', familyGuid: 'ABCDEF01-0000-0000-0000-000000000002' });
    // nothing stated: not known (null), which re-insert says as not known
    expect(chainSourceDatabase({ ...chain, steps: [{ role: 'full', set: { ...set, databaseGuid: null, familyGuid: null, databaseName: '' } }] })).toBeNull();
  });
});
