/**
 * A file of the wrong kind that is also of another database: a data file given as the log
 * (`--ldf X.mdf`) or a log file given as a data file (`--mdf X.ldf`, `diff --after-mdf X.ldf`,
 * `log --mdf X.ldf`). Data and log files carry the same file header page and binding id, so the
 * database check (source-identity.ts readSourceIdentity), which runs first, refused them as
 * INPUT_MIXED_DATABASES calling the .mdf a "log file" and the .ldf a "data file": the user looked
 * for the other database's files, where the fix is to swap the flags. Now the kind is said first,
 * as the readers say it of a file of the same database: FORMAT_NOT_A_LOG_FILE ("it is a data file
 * … give it with --mdf") and INPUT_NOT_A_DATA_FILE ("is a transaction log file … give it as the log").
 *
 * REAL bytes: AngularJs_CRUD Database1.mdf / Database1_log.ldf, CRUD-.NET Database.mdf /
 * Database_log.ldf, RestoreTimeClean.bak (three databases).
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('a data or log file of another database given as the other kind: the kind is said, not the database', () => {
  const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  const D = (f: string) => corpusPath('CRUD-.NET', 'App_Data', f);
  const RTC = () => corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak');

  const oneLine = (r: { code: number; stdout: string; stderr: string }) => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('INPUT_MIXED_DATABASES');
    return lines[0]!;
  };

  it('scan --ldf of another database\'s .mdf: FORMAT_NOT_A_LOG_FILE naming it as a data file', async () => {
    const line = oneLine(await cli('scan', '--mdf', D('Database.mdf'), '--ldf', A('Database1.mdf')));
    expect(line).toBe(`rowback: FORMAT_NOT_A_LOG_FILE: not a SQL Server log file: no file header page (type 15) with a VLF header (0xAB) at 0x2000: it is a data file (.mdf/.ndf: a PFS page at 0x2000, where a log has its first VLF); give it with --mdf (file ${A('Database1.mdf')}, offset 8192)`);
  });

  it('scan --mdf, diff --after-mdf and log --mdf of another database\'s .ldf: INPUT_NOT_A_DATA_FILE naming it as a log file', async () => {
    const want = `rowback: INPUT_NOT_A_DATA_FILE: ${A('Database1_log.ldf')} is a transaction log file (VLF header 0xAB at 0x2000), not a data file (.mdf/.ndf): give it as the log (scan --ldf FILE, log FILE) (file ${A('Database1_log.ldf')})`;
    expect(oneLine(await cli('scan', '--mdf', A('Database1_log.ldf'), '--ldf', D('Database_log.ldf')))).toBe(want);
    expect(oneLine(await cli('diff', '--bak', RTC(), '--after-mdf', A('Database1_log.ldf'), '--table', 'dbo.steps'))).toBe(want);
    expect(oneLine(await cli('log', D('Database_log.ldf'), '--mdf', A('Database1_log.ldf')))).toBe(want);
  });

  it('files of one database in their places still read', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
  });
});
