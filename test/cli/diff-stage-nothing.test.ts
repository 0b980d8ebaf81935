/**
 * `diff --stage` of two states that differ in nothing for the table: no job of 0 rows is staged (one
 * was, listed as a restore job waiting for review), no staging file is made, and stderr says so even
 * with --quiet (a script looks there for the job's number). REAL files: RestoreTimeClean's full
 * backup and its log chain, compared with itself at one point in time (13:05).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('diff --stage with nothing missing or changed', () => {
  it('stages no job and says so, with and without --quiet; the rows unchanged are counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-nothing-'));
    const d = (n: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), n);
    const trn = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(d);
    const side = (flag: string, trnFlag: string) => [flag, d('RestoreTimeClean.bak'), trnFlag, ...trn, flag === '--bak' ? '--stop-at' : '--after-stop-at', '2017-06-01T13:05:00'];
    const stage = join(dir, 'nothing.db');
    for (const quiet of [false, true]) {
      const r = await cli('diff', ...side('--bak', '--trn'), ...side('--after-bak', '--after-trn'), '--table', 'dbo.steps', '--stage', stage, '--out', join(dir, 'out.ndjson'), ...(quiet ? ['--quiet'] : []));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`rowback diff: nothing staged in ${stage}: no row of dbo.steps is missing from the later state or changed\n`);
      expect(r.stderr).not.toMatch(/staged as restore job/);
      if (!quiet) expect(r.stderr).toMatch(/0 missing from the later state, 0 changed, 0 only in the later state, [1-9]\d* unchanged/);
      expect(existsSync(stage)).toBe(false);
    }
  }, 120_000);
});
