import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A scan refused after its options parsed left the previous run's `--report` in place: a script
 * reading `.complete` without the exit code read that run's `"complete": true` (newcomer). The
 * report now says the run failed. REAL files: AngularJs_CRUD.
 */
const cli = captureCli();
describeCorpus('scan --report of a run that fails', () => {
  const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  it('a refused run replaces the report with complete false and the error; a report path that is an input is never written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-report-failed-'));
    const report = join(dir, 'r.json');
    const ok = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet');
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(true);
    const refused = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--table', 'dbo.Nope', '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet');
    expectOneLineError(refused, 'INPUT_UNKNOWN_TABLE');
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j).toMatchObject({ complete: false, failed: { code: 'INPUT_UNKNOWN_TABLE', message: expect.stringContaining('dbo.Nope') } });
    expect(j.rows).toBeUndefined();
    // the report named as one of the inputs: refused, and the input untouched
    const ldf = join(dir, 'copy_log.ldf');
    copyFileSync(a('Database1_log.ldf'), ldf);
    const before = readFileSync(ldf);
    expectOneLineError(await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', ldf, '--report', ldf), 'INPUT_OUTPUT_IS_INPUT');
    expect(readFileSync(ldf).equals(before)).toBe(true);
  });
});
