/**
 * `scan --trn … --ddl` (log backups alone) takes the database's default collation from the log
 * backups' headers (SCIN @216, TDS form: reconstruct/tds-collation.ts). It read the header of the
 * first file given only: two log backups whose headers name different collations (the database's
 * default changed by ALTER DATABASE … COLLATE between them) read the script's varchar columns in
 * code page 1252 given in one order and in 1254 given in the other, each time said as "the
 * database's default collation". Now every set of every file is compared (recover/
 * database-default-collation.ts logBackupsDefaultCollation): one collation, it; several of one code
 * page, the latest, said with the others; several code pages, a refusal naming each with its file.
 *
 * REAL: StopAt_1.trn and StopAt_2.trn (SQL Server 2008 R2; both Latin1_General_CI_AS). SYNTHETIC:
 * a copy of StopAt_2.trn made at test time with the five collation bytes of both its SCIN records
 * rewritten (to Turkish_CI_AS, 0x1F04D00000, code page 1254; and to SQL_Latin1_General_CP1_CI_AS,
 * 0x0904D00034, code page 1252), standing for a log backup taken after ALTER DATABASE … COLLATE;
 * the bytes are those tds-collation.test.ts checks against the corpus. The script is SYNTHETIC.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
let ddl: string;
/** A copy of StopAt_2.trn whose SCIN records' collation (@216, 5 bytes) is `tds` (SYNTHETIC). */
const withCollation = (name: string, tds: string): string => {
  const b = Buffer.from(readFileSync(stopAt('StopAt_2.trn')));
  let n = 0;
  for (let i = b.indexOf('SCIN', 0, 'latin1'); i !== -1; i = b.indexOf('SCIN', i + 1, 'latin1')) {
    expect(b.subarray(i + 216, i + 221).toString('hex')).toBe('0904d00000');
    Buffer.from(tds, 'hex').copy(b, i + 216);
    n++;
  }
  expect(n).toBeGreaterThan(0);
  const f = join(dir, name);
  writeFileSync(f, b);
  return f;
};
const scan = (...trn: string[]) => cli('scan', '--trn', ...trn, '--ddl', ddl, '--table', 'dbo.Notes', '--alloc-unit', '72057594039762944', '--out', join(dir, 'o.ndjson'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-backups-collation-'));
  ddl = join(dir, 'notes.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Notes (Id int NOT NULL PRIMARY KEY, Body varchar(40) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --trn … --ddl: the default collation of every log backup given, not of the first', () => {
  it('REAL StopAt_1 + StopAt_2, either order: one collation, named from both headers (in LSN order)', async () => {
    for (const files of [[stopAt('StopAt_1.trn'), stopAt('StopAt_2.trn')], [stopAt('StopAt_2.trn'), stopAt('StopAt_1.trn')]]) {
      const r = await scan(...files);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`are read as Latin1_General_CI_AS (code page 1252), the database's default collation (headers of the log backups ${stopAt('StopAt_1.trn')}, ${stopAt('StopAt_2.trn')})`); // in LSN order
    }
  }, 60_000);

  it('SYNTHETIC headers of two code pages (Latin1_General_CI_AS, then Turkish_CI_AS): refused naming both, whatever the order', async () => {
    const turkish = withCollation('turkish.trn', '1f04d00000');
    for (const files of [[stopAt('StopAt_1.trn'), turkish], [turkish, stopAt('StopAt_1.trn')]]) {
      const e = expectOneLineError(await scan(...files), 'INPUT_BAD_OPTION');
      expect(e).toContain(`which name 2 collations in LSN order: Latin1_General_CI_AS (${stopAt('StopAt_1.trn')}), Turkish_CI_AS (${turkish})`);
      expect(e).toContain('they read text in different code pages');
      expect(e).toContain('--collation NAME');
    }
    // with --collation the DBA's choice is read
    const given = await cli('scan', '--trn', stopAt('StopAt_1.trn'), turkish, '--ddl', ddl, '--collation', 'Turkish_CI_AS', '--table', 'dbo.Notes', '--alloc-unit', '72057594039762944', '--out', join(dir, 'o.ndjson'));
    expect(given.code, given.stderr).toBe(0);
  }, 60_000);

  it('SYNTHETIC headers of one code page (Latin1_General_CI_AS, then SQL_Latin1_General_CP1_CI_AS): the latest, the other said, whatever the order', async () => {
    const sql = withCollation('sql-latin1.trn', '0904d00034');
    for (const files of [[stopAt('StopAt_1.trn'), sql], [sql, stopAt('StopAt_1.trn')]]) {
      const r = await scan(...files);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), the database's default collation (headers of the log backups, which name 2 collations in LSN order: Latin1_General_CI_AS (${stopAt('StopAt_1.trn')}), SQL_Latin1_General_CP1_CI_AS (${sql}); the latest taken, all reading varchar in code page 1252)`);
    }
  }, 60_000);

  it('SYNTHETIC: a full backup\'s boot page (REAL StopAt.bak, Latin1_General_CI_AS) beside a log backup whose header names Turkish_CI_AS: refused naming both; of one code page, said', async () => {
    const turkish = withCollation('turkish-2.trn', '1f04d00000');
    const bak = stopAt('StopAt.bak');
    const withBak = (...trn: string[]) => cli('scan', '--bak', bak, '--trn', ...trn, '--ddl', ddl, '--table', 'dbo.Notes', '--alloc-unit', '72057594039762944', '--out', join(dir, 'o.ndjson'));
    const e = expectOneLineError(await withBak(turkish), 'INPUT_BAD_OPTION');
    expect(e).toContain(`the boot page of ${bak}, which names Latin1_General_CI_AS, and the header of the log backup ${turkish}, which names Turkish_CI_AS: it changed between them`);
    const sql = withCollation('sql-latin1-2.trn', '0904d00034');
    const r = await withBak(sql);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`are read as Latin1_General_CI_AS (code page 1252), the database's default collation (boot page of ${bak}; the header of the log backup ${sql} names SQL_Latin1_General_CP1_CI_AS, of the same code page 1252)`);
    // REAL: the boot page and the headers agree: as before
    const same = await withBak(stopAt('StopAt_1.trn'), stopAt('StopAt_2.trn'));
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toContain(`the database's default collation (boot page of ${bak}); if`);
  }, 60_000);
});

it('withLogBackupsCollation: a header\'s plain name of the boot page\'s _SC / _VSS collation is the same one (the TDS form does not tell them apart), no note', async () => {
  const { withLogBackupsCollation } = await import('../../src/recover/database-default-collation.js');
  // SYNTHETIC names
  const boot = { collation: 'Latin1_General_100_CI_AS_SC', from: 'boot page of X.bak' };
  expect(withLogBackupsCollation(boot, { collation: 'Latin1_General_100_CI_AS', from: 'header of the log backup Y.trn; it may be the _SC form, same code page' })).toEqual(boot);
  const vss = { collation: 'Japanese_XJIS_140_CI_AS_VSS', from: 'boot page of X.bak' };
  expect(withLogBackupsCollation(vss, { collation: 'Japanese_XJIS_140_CI_AS', from: 'header of the log backup Y.trn' })).toEqual(vss);
  // another collation of the same code page: said
  expect(withLogBackupsCollation(boot, { collation: 'SQL_Latin1_General_CP1_CI_AS', from: 'header of the log backup Y.trn' }).from).toBe('boot page of X.bak; the header of the log backup Y.trn names SQL_Latin1_General_CP1_CI_AS, of the same code page 1252');
});

/**
 * A SQL Server 2019+ backup header naming a version-100/140 collation (Latin1_General_100_CI_AS) may
 * stand for its _UTF8 form (varchar in UTF-8): [MS-TDS] gives _UTF8 the fUTF8 bit, but whether a
 * backup header sets it is not seen on real bytes (the corpus's 2019+ backups hold version-80
 * collations). Read as the default, a UTF-8 'é' would print 'Ã©' under a confident note; now the
 * log-backup-only scan refuses, naming both and --collation; inspect says so; a boot page naming the
 * collation settles it. SYNTHETIC: a copy of REAL StopAt_2.trn with both SCIN records' major
 * version (@27) set to 15 and collation (@216) to 0x0904D02000 (Latin1_General_100_CI_AS, the TDS
 * bytes of fn_helpcollations' list as tds-collation.test.ts checks them).
 */
describeCorpus('a 2019+ header\'s version-100 collation may be its _UTF8 form', () => {
  const as2019 = (name: string, tds: string): string => {
    const f = withCollation(name, tds);
    const b = Buffer.from(readFileSync(f));
    for (let i = b.indexOf('SCIN', 0, 'latin1'); i !== -1; i = b.indexOf('SCIN', i + 1, 'latin1')) b[i + 27] = 15;
    writeFileSync(f, b);
    return f;
  };

  it('scan --trn … --ddl refuses to read it as the default, naming the _UTF8 form and --collation; --collation reads', async () => {
    const f = as2019('l100.trn', '0904d02000');
    const e = expectOneLineError(await scan(f), 'INPUT_BAD_OPTION');
    expect(e).toContain('Latin1_General_100_CI_AS or its _UTF8 form');
    expect(e).toContain('--collation NAME');
    const given = await cli('scan', '--trn', f, '--ddl', ddl, '--collation', 'Latin1_General_100_CI_AS', '--table', 'dbo.Notes', '--alloc-unit', '72057594039762944', '--out', join(dir, 'o.ndjson'));
    expect(given.code, given.stderr).toBe(0);
    // inspect names both; its JSON collation is not claimed
    const i = await cli('inspect', f);
    expect(i.stdout).toContain('collation                Latin1_General_100_CI_AS, or its _UTF8 form (varchar in UTF-8, code page 65001), from the backup header');
    expect(JSON.parse((await cli('inspect', '--format', 'json', f)).stdout).collation).toBeNull();
    // the end of the headers naming it, against which a boot page's checkpoint is compared
    const { logBackupsDefaultCollation } = await import('../support/log-backup-headers.js');
    const { readBackupHeader } = await import('../../src/backup/header.js');
    expect(logBackupsDefaultCollation([f])!.utf8UnknownUpTo).toBe(readBackupHeader(f).lastLsn.decimal);
  }, 60_000);

  // a server upgraded from 2017 to 2019 between two log backups, the default unchanged: the 2019
  // header may name the _UTF8 form, so refused, but the refusal said "it changed between them", a
  // change nothing shows. SYNTHETIC: a 2017 (major 14) copy and a 2019 copy, both 0x0904D02000.
  it('a 2017 and a 2019+ header naming the same version-100 collation: refused as a change that may have been made, not one that was', async () => {
    const y2017 = withCollation('l100-2017.trn', '0904d02000');
    const b = Buffer.from(readFileSync(y2017));
    for (let i = b.indexOf('SCIN', 0, 'latin1'); i !== -1; i = b.indexOf('SCIN', i + 1, 'latin1')) b[i + 27] = 14;
    writeFileSync(y2017, b);
    const e = expectOneLineError(await scan(y2017, as2019('l100-2019.trn', '0904d02000')), 'INPUT_BAD_OPTION');
    expect(e).toContain('it may have changed between them');
    expect(e).not.toContain('it changed between them');
  }, 60_000);

  it('a version-80 collation of a 2019+ header has no _UTF8 form: read as before (Turkish_CI_AS)', async () => {
    const f = as2019('tr-2019.trn', '1f04d00000');
    const r = await scan(f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('are read as Turkish_CI_AS (code page 1254)');
  }, 60_000);

  // _UTF8 comes beside the linguistic and the _BIN2 collations, never beside _BIN (fBinary): SQL
  // Server 2019's fn_helpcollations lists no *_BIN_UTF8 (the _BIN2_UTF8 ones were added after CTP 2;
  // Solomon Rutzky's request for them: "no need to add _BIN versions", feedback.azure.com 35583976).
  // A 2019+ header's _100_BIN / _140_BIN was refused as "or its _UTF8 form", a form that does not exist.
  // SYNTHETIC bytes: Latin1_General_100_BIN 0x0904002100, Japanese_XJIS_140_BIN 0x1104003100 (the
  // layout tds-collation.test.ts checks for Latin1_General_100_BIN2 0x0904002200).
  it('a version-100/140 _BIN collation of a 2019+ header has no _UTF8 form: read as the default; _BIN2 still refused', async () => {
    const bin = as2019('bin100.trn', '0904002100');
    const r = await scan(bin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('are read as Latin1_General_100_BIN (code page 1252)');
    expect((await cli('inspect', bin)).stdout).toMatch(/\ncollation +Latin1_General_100_BIN \(from the backup header: a log backup holds no boot page\)\n/);
    expect(JSON.parse((await cli('inspect', '--format', 'json', bin)).stdout).collation).toBe('Latin1_General_100_BIN');
    const xjis = await scan(as2019('bin140.trn', '1104003100'));
    expect(xjis.code, xjis.stderr).toBe(0);
    expect(xjis.stderr).toContain('are read as Japanese_XJIS_140_BIN (code page 932)');
    // Latin1_General_100_BIN2_UTF8 exists: its plain name in a 2019+ header stays refused
    expectOneLineError(await scan(as2019('bin2-100.trn', '0904002200')), 'INPUT_BAD_OPTION');
  }, 60_000);
});

it('withLogBackupsCollation: a boot page naming the collation settles a header\'s possible _UTF8 form', async () => {
  const { withLogBackupsCollation } = await import('../../src/recover/database-default-collation.js');
  // SYNTHETIC names
  const boot = { collation: 'Latin1_General_100_CI_AS_SC', from: 'boot page of X.mdf' };
  const logs = { collation: 'TDS collation 0x0904D02000 (Latin1_General_100_CI_AS or its _UTF8 form …)', from: 'header of the log backup Y.trn', unnamed: true as const, utf8Unknown: 'Latin1_General_100_CI_AS', utf8UnknownUpTo: '25000000042000001' };
  // a boot page of the headers' end or later (a data file now, its checkpoint after the log backups)
  expect(withLogBackupsCollation(boot, logs, '25000000042000001')).toEqual(boot);
  expect(withLogBackupsCollation(boot, logs, '00000019:000001a4:0001')).toEqual(boot); // 25000000042000001 in v:b:s form
  expect(withLogBackupsCollation({ collation: 'Turkish_100_CI_AS', from: 'boot page of X.bak' }, logs, '25000000042000001').conflicting).toBe(true);
});

/**
 * The boot page settled a 2019+ header's possible _UTF8 form whatever its time (5f9c9132): with
 * `scan --bak FULL.bak --trn LOG.trn … --ddl`, the full backup's boot page (Latin1_General_100_CI_AS_SC
 * at its checkpoint) is of before the log backups it is followed by, and an ALTER DATABASE … COLLATE
 * Latin1_General_100_CI_AS_SC_UTF8 between them, which such headers would not show, made the
 * script's table (created after, as a table given by --ddl beside a backup often is) UTF-8: read in
 * code page 1252 under the boot page's name. Now only a boot page at or past the headers' end
 * settles it; an older one, or one of no known checkpoint, is refused naming both. SYNTHETIC names
 * and LSNs.
 */
it('withLogBackupsCollation: a boot page older than the log backups does not settle a header\'s possible _UTF8 form', async () => {
  const { withLogBackupsCollation } = await import('../../src/recover/database-default-collation.js');
  const boot = { collation: 'Latin1_General_100_CI_AS_SC', from: 'boot page of X.bak' };
  const logs = { collation: 'TDS collation 0x0904D02000 (Latin1_General_100_CI_AS or its _UTF8 form …)', from: 'header of the log backup Y.trn', unnamed: true as const, utf8Unknown: 'Latin1_General_100_CI_AS', utf8UnknownUpTo: '25000000042000001' };
  for (const ck of ['25000000041000001', null, undefined]) {
    const d = withLogBackupsCollation(boot, logs, ck);
    expect(d.conflicting, String(ck)).toBe(true);
    expect(d.collation).toBe('Latin1_General_100_CI_AS_SC / Latin1_General_100_CI_AS or its _UTF8 form');
    expect(d.from).toContain('a change to the _UTF8 form after the boot page would not be seen');
  }
  // the refusal says a change may have been made, not that it was
  const { unreadableDatabaseCollationRefusal } = await import('../../src/reconstruct/metadata/ddl.js');
  const text = unreadableDatabaseCollationRefusal('CREATE TABLE dbo.T (a varchar(10));', {}, withLogBackupsCollation(boot, logs, '25000000041000001'), '--collation NAME')!;
  expect(text).toContain('it may have changed between them');
  expect(text).toContain('(the _UTF8 form: UTF-8, code page 65001)');
});
