import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `rowback log --bak` took one file while `scan`/`dump --bak` take FULL [STRIPE…] [DIFF…]: `log
 * X.trn --bak FULL.bak DIFF.bak` read DIFF.bak as one more log to list — its log records printed
 * among X.trn's — and the differential's newer catalog was not used for the names. Now --bak is the
 * same list, read as one set of pages (openBackupPages, assertBackupSet), as scan reads it.
 */
const cli = captureCli();
const d = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
describeCorpus('rowback log --bak FULL [STRIPE…] [DIFF…], as scan --bak', () => {
  it('--bak FULL DIFF gives the table names; only the listed log backup is printed', async () => {
    const withDiff = await cli('log', d('RestoreTimeClean2_1.trn'), '--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--format', 'ndjson');
    expect(withDiff.code, withDiff.stderr).toBe(0);
    const rows = withDiff.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { source: { file: string } });
    expect(new Set(rows.map((r) => r.source.file))).toEqual(new Set([d('RestoreTimeClean2_1.trn')]));
    expect(rows.filter((r) => r.Operation === 'LOP_INSERT_ROWS').map((r) => r.AllocUnitName)).toContain('dbo.steps');
    expect(withDiff.stderr).toContain('69 record(s) printed');
    // the full backup alone names the same table here: the same records, the same names
    const fullOnly = await cli('log', d('RestoreTimeClean2_1.trn'), '--bak', d('RestoreTimeClean.bak'), '--format', 'ndjson');
    expect(fullOnly.stdout).toBe(withDiff.stdout);
  });

  it('--table with --bak FULL DIFF filters on the table', async () => {
    const r = await cli('log', d('RestoreTimeClean2_1.trn'), '--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('10 of 69 record(s) printed');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(1).every((l) => l.endsWith(',dbo.steps'))).toBe(true);
  });

  it('log files given after --bak: one line saying --bak took them, nothing printed', async () => {
    const r = await cli('log', '--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2_1.trn'));
    expect(r.stdout).toBe('');
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe(`rowback: INPUT_BAD_OPTION: no log file to read: --bak took every file after it (${d('RestoreTimeClean.bak')} ${d('RestoreTimeClean2_1.trn')}) as the backups giving table metadata; list the log files first: rowback log LOG… --bak FULL [STRIPE…] [DIFF…]\n`);
    const later = await cli('log', d('RestoreTimeClean2_1.trn'), '--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2_2.trn'));
    expect(later.stdout).toBe('');
    expect(expectOneLineError(later, 'INPUT_NOT_A_DATABASE_BACKUP')).toContain('RestoreTimeClean2_2.trn is a log backup: it holds no data pages; `rowback log` reads a log backup as one of the files it lists: list the log files before --bak');
  });

  it('--bak DIFF alone and one stripe: the advice scan gives (--bak FULL DIFF, every stripe), which log now takes', async () => {
    const diff = await cli('log', d('RestoreTimeClean2_1.trn'), '--bak', d('RestoreTimeClean2.bak'));
    expect(expectOneLineError(diff, 'INPUT_DIFFERENTIAL_WITHOUT_FULL')).toMatch(/; give it first \(--bak FULL\.bak \S*RestoreTimeClean2\.bak\) \(file /);
    const stripe = corpusPath('Northwind-stripe', 'Northwind.bak');
    const s = await cli('log', stripe, '--bak', stripe);
    expect(expectOneLineError(s, 'FORMAT_INCOMPLETE_MEDIA_SET')).toMatch(/give every stripe of the media set \(--bak a\.bak b\.bak\)/);
  });
});
