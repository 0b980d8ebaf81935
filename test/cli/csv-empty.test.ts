import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A CSV with no rows is its header line, ending in a newline like every record (util/csv.ts
 * csvRecord), so `cat a.csv b.csv` and line counters see whole lines. Pinned for each command that
 * writes CSV; real corpus files, filters that match nothing; the real process (bin/rowback.js).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

describeCorpus('CSV output with 0 rows', () => {
  it.each([
    ['scan (values as one JSON column)', ['scan', '--mdf', MDF, '--ldf', LDF, '--to', '2000-01-01', '--format', 'csv', '--quiet']],
    ['scan --table (a column per value)', ['scan', '--mdf', MDF, '--ldf', LDF, '--to', '2000-01-01', '--table', 'dbo.Employee', '--format', 'csv', '--quiet']],
    ['log', ['log', LDF, '--transaction', '0000:99999999', '--format', 'csv', '--quiet']],
    ['dump of an empty table', ['dump', '--bak', corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak'), '--table', 'dbo.Users', '--format', 'csv', '--quiet']],
  ])('%s: the header line alone, newline-terminated', (_what, args) => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), ...(args as string[])], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[^\n]+\n$/);
  }, 60_000);
});
