/**
 * `inspect FILE.bak` printed no database default collation, where `inspect FILE.mdf` does (its boot
 * page's dbi_collation): a DBA with only the log and a CREATE TABLE script (`scan --ldf … --ddl …`,
 * where a script's char/varchar/text columns without COLLATE are read as the assumed code page 1252)
 * could not learn from the backup the `--collation` to give. It now prints the boot page's
 * collation inside the backup, also of one stripe of several when that stripe holds the boot page
 * (its pages are not read otherwise), and for a log backup its header's (SCIN @216, since session 45).
 * REAL: FinancialCrm's backup (SQL Server 2019, Turkish_CI_AS), Chinook's (SQL Server 2025, stripe 1
 * of 2, Arabic_CI_AS: the corpus's SOURCE.txt), RestoreTimeClean's full and log backup.
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const line = (out: string, key: string) => out.split('\n').find((l) => l.startsWith(key.padEnd(24) + ' '))?.slice(25);

describeCorpus('inspect of a backup prints the database\'s default collation (boot page dbi_collation)', () => {
  it('FinancialCrm: Turkish_CI_AS, in text and JSON', async () => {
    const f = corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');
    const r = await cli('inspect', f);
    expect(line(r.stdout, 'collation'), r.stderr).toBe('Turkish_CI_AS');
    const j = JSON.parse((await cli('inspect', '--format', 'json', f)).stdout);
    expect(j.collation).toBe('Turkish_CI_AS');
    expect(j.dataPages.bootPage.collation).toBe('Turkish_CI_AS');
  }, 60_000);

  it('Chinook, one stripe of two (pages not read): its boot page still says Arabic_CI_AS', async () => {
    const r = await cli('inspect', corpusPath('Chinook_Analysis', 'Chinook.bak'));
    expect(r.stdout).toContain('FORMAT_INCOMPLETE_MEDIA_SET');
    expect(line(r.stdout, 'data pages')).toBe('not read (incomplete media set)');
    expect(line(r.stdout, 'collation'), r.stderr).toBe('Arabic_CI_AS');
  }, 60_000);

  it('a data file and a full backup say alike; a log backup says its header\'s', async () => {
    const full = await cli('inspect', corpusPath('appveyor-lab/RestoreTimeClean', 'RestoreTimeClean.bak'));
    expect(line(full.stdout, 'collation')).toBe('SQL_Latin1_General_CP1_CI_AS');
    const log = await cli('inspect', corpusPath('appveyor-lab/RestoreTimeClean', 'RestoreTimeClean_1.trn'));
    // a log backup: its header's (SCIN @216; test/backup/header-collation.test.ts)
    expect(line(log.stdout, 'collation')).toBe('SQL_Latin1_General_CP1_CI_AS (from the backup header: a log backup holds no boot page)');
    const mdf = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    expect(line(mdf.stdout, 'collation')).toMatch(/^[A-Za-z0-9_]+$/);
  }, 60_000);
});
