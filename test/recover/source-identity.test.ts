import { describe, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { assertBackupSet, assertOneDatabase, oneBackupAdvice, readSourceIdentity } from '../../src/recover/source-identity.js';
import { openBackupPages } from '../../src/backup/open.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const angular = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
const crud = (f: string) => corpusPath('CRUD-.NET/App_Data', f);
const lab = (f: string) => corpusPath('appveyor-lab', f);

describe('files of different databases: assertOneDatabase', () => {
  const id = (file: string, bindingId: string | null) => ({ file, role: 'mdf' as const, bindingId, databaseName: null });
  it('one binding id passes; a file whose binding id is unknown is left unchecked, not refused', () => {
    const r = assertOneDatabase([id('a', 'G1'), id('b', null), id('c', 'G1')]);
    expect(r).toEqual({ bindingId: 'G1', unchecked: [id('b', null)], otherNames: [] });
  });
  it('two binding ids → INPUT_MIXED_DATABASES naming both files and both ids', () => {
    expect(() => assertOneDatabase([id('a.mdf', 'G1'), id('b.ldf', 'G2')])).toThrow(
      expect.objectContaining({ code: 'INPUT_MIXED_DATABASES', message: expect.stringMatching(/a\.mdf.*b\.ldf.*G1 vs G2/) }),
    );
  });
});

describeCorpus('files of different databases: real pairs', () => {
  it('every .mdf/.ldf pair of one folder shares its binding id; the two CRUD-.NET databases differ', async () => {
    const pairs = [
      [angular('Database1.mdf'), angular('Database1_log.ldf')],
      [crud('Database.mdf'), crud('Database_log.ldf')],
      [crud('Database2.mdf'), crud('Database2_log.ldf')],
      [corpusPath('sql-practice-asp/App_Data/School.mdf'), corpusPath('sql-practice-asp/App_Data/School_Log.ldf')],
      [corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'), corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf')],
      [corpusPath('Tractis_aspnet_demo/App_Data/aspnetdb.mdf'), corpusPath('Tractis_aspnet_demo/App_Data/aspnetdb_log.ldf')],
    ];
    const ids = new Set<string>();
    for (const [mdf, ldf] of pairs) {
      const a = await readSourceIdentity(mdf, 'mdf');
      const b = await readSourceIdentity(ldf, 'ldf');
      expect(a.bindingId, mdf).toMatch(/^[0-9A-F]{8}-/);
      expect(b.bindingId, ldf).toBe(a.bindingId);
      ids.add(a.bindingId!);
    }
    expect(ids.size).toBe(pairs.length);
  });

  it('a backup and the log backups of its database share the binding id of page 1:0; other databases differ', () => {
    const rtc = ['RestoreTimeClean/RestoreTimeClean.bak', 'RestoreTimeClean/RestoreTimeClean2.bak', 'RestoreTimeClean/RestoreTimeClean_1.trn'].map((f) => readBackupHeader(lab(f)));
    expect(new Set(rtc.map((h) => h.bindingId))).toEqual(new Set(['F784761B-0032-4636-9A07-202706D9F791']));
    expect(readBackupHeader(lab('sql2008-backups/StopAt/StopAt_1.trn')).bindingId).toBe('02A2883C-5D8C-4B6A-AFBF-61072D49FDCA');
  });

  it('scan --mdf of one database with --ldf of another is refused before anything is decoded (exit 2, one line naming both)', async () => {
    for (const [mdf, ldf] of [
      [angular('Database1.mdf'), crud('Database2_log.ldf')],
      [crud('Database.mdf'), crud('Database2_log.ldf')],
      [crud('Database2.mdf'), angular('Database1_log.ldf')],
    ]) {
      const r = await cli('scan', '--mdf', mdf, '--ldf', ldf);
      const line = expectOneLineError(r, 'INPUT_MIXED_DATABASES');
      expect(r.code).toBe(2);
      expect(line).toContain(mdf);
      expect(line).toContain(ldf);
    }
  });

  it('scan --bak of one database with --trn of another is refused, not 0 rows', async () => {
    const r = await cli('scan', '--bak', lab('RestoreTimeClean/RestoreTimeClean.bak'), '--trn', lab('sql2008-backups/StopAt/StopAt_1.trn'));
    expect(expectOneLineError(r, 'INPUT_MIXED_DATABASES')).toMatch(/database RestoreTimeClean.*database StopAt/);
  });

  it('the matching pair still scans (the quick start)', async () => {
    const r = await cli('scan', '--mdf', angular('Database1.mdf'), '--ldf', angular('Database1_log.ldf'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
  });

  it('dump --bak FULL DIFF of two databases is refused', async () => {
    const r = await cli('dump', '--bak', lab('sql2008-backups/StopAt/StopAt.bak'), lab('RestoreTimeClean/RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    expectOneLineError(r, 'INPUT_MIXED_DATABASES');
  });

  it('a differential without its full names the missing full backup (GUID, LSN, time) and what can be done instead', async () => {
    const diff = lab('sql2008-backups/db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak');
    for (const argv of [['dump', '--bak', diff, '--table', 'dbo.t'], ['scan', '--bak', diff]]) {
      const line = expectOneLineError(await cli(...argv), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
      expect(line).toContain('61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE');
      expect(line).toContain('00000143:00000066:0026');
      expect(line).toContain('2017-05-18T04:18:19');
      // what both can do instead: dump and scan take --bak FULL DIFF
      expect(line).toMatch(/; give it first \(--bak FULL\.bak \S+SQL2008_db1_DIFF_20170518_041819\.bak\) \(file /);
      expect(line).not.toContain('--schema');
    }
  });

  it('a differential on its own full backup passes; on another full backup of the same database it is refused', () => {
    const full = readBackupHeader(lab('RestoreTimeClean/RestoreTimeClean.bak'));
    const diff = readBackupHeader(lab('RestoreTimeClean/RestoreTimeClean2.bak'));
    expect(diff.differentialBaseGuid).toBe(full.backupSetGuid);
    expect(() => assertBackupSet([full, diff])).not.toThrow();
    expect(() => assertBackupSet([{ ...full, backupSetGuid: '00000000-0000-0000-0000-000000000001' }, diff])).toThrow(expect.objectContaining({ code: 'INPUT_DIFFERENTIAL_BASE_MISMATCH' }));
    expect(() => assertBackupSet([full, full])).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    expect(() => assertBackupSet([full, readBackupHeader(lab('RestoreTimeClean/RestoreTimeClean_1.trn'))])).toThrow(expect.objectContaining({ code: 'INPUT_NOT_A_DATABASE_BACKUP' }));
  });
});

describeCorpus('the advice of a refused --bak is built for the command reading it (openBackupPages / assertBackupSet advice)', () => {
  const diff = lab('RestoreTimeClean/RestoreTimeClean2.bak');
  const stripe = corpusPath('Northwind-stripe/Northwind.bak');
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('a differential alone: the default advice (dump, diff, scan, log) gives the full backup first; a job\'s what it takes', () => {
    const h = [readBackupHeader(diff)];
    // dump and diff (the default) have no --schema/--ddl, and no command reads a differential without its full backup: the advice is only to give the full first
    expect(message(() => assertBackupSet(h))).toMatch(/based on that full backup; give it first \(--bak FULL\.bak .*RestoreTimeClean2\.bak\)$/);
    expect(message(() => assertBackupSet(h, oneBackupAdvice('job')))).toMatch(/based on that full backup; give the full backup first: "bak": \["FULL\.bak", "DIFF\.bak"\]$/);
    // log --bak takes FULL [STRIPE…] [DIFF…] as scan --bak does: the default advice
    expect(message(() => openBackupPages([diff], undefined, assertBackupSet, oneBackupAdvice('log')))).toMatch(/based on that full backup; give it first \(--bak FULL\.bak .*RestoreTimeClean2\.bak\)$/);
    // any advice the caller gives is the whole of it: nothing of the default is left
    expect(message(() => openBackupPages([diff], undefined, assertBackupSet, { differentialWithoutFull: 'ADVICE' }))).toMatch(/based on that full backup; ADVICE$/);
  });

  it('one stripe of a striped backup: every stripe by default (dump, diff, scan, log); a job\'s advice otherwise', () => {
    expect(message(() => openBackupPages([stripe]))).toMatch(/A stripe holds only part of the extents: give every stripe of the media set \(--bak a\.bak b\.bak\)$/);
    expect(message(() => openBackupPages([stripe], undefined, assertBackupSet, oneBackupAdvice('log')))).toMatch(/A stripe holds only part of the extents: give every stripe of the media set \(--bak a\.bak b\.bak\)$/);
    expect(message(() => openBackupPages([stripe], undefined, assertBackupSet, oneBackupAdvice('job')))).toMatch(/A stripe holds only part of the extents: give every stripe of the media set: "bak": \["a\.bak", "b\.bak"\]$/);
    expect(message(() => openBackupPages([stripe], undefined, undefined, { incompleteMediaSet: 'ADVICE' }))).toMatch(/A stripe holds only part of the extents: ADVICE$/);
  });
});

describeCorpus('HEADERONLY FamilyGUID', () => {
  it('is constant across one database\'s backups and equals the boot page\'s GUID @504', async () => {
    const { openBackupPageSource } = await import('../../src/backup/page-source.js');
    const files = ['RestoreTimeClean/RestoreTimeClean.bak', 'RestoreTimeClean/RestoreTimeClean2.bak', 'RestoreTimeClean/RestoreTimeClean_1.trn', 'RestoreTimeClean/RestoreTimeClean_3.trn'];
    const fams = files.map((f) => readBackupHeader(lab(f)).familyGuid);
    expect(new Set(fams).size).toBe(1);
    const boot = openBackupPageSource(lab(files[0])).readPage(1, 9)!;
    const { guid } = await import('../../src/backup/header.js');
    expect(guid(boot, 504)).toBe(fams[0]);
    expect(readBackupHeader(lab('sql2008-backups/StopAt/StopAt.bak')).familyGuid).not.toBe(fams[0]);
  });
});

