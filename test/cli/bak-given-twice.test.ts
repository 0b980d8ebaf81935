/**
 * One backup file given twice in a `--bak` list (`--bak FULL.bak FULL.bak`, `--bak FULL DIFF DIFF`,
 * the same file through another path) was read as the stripes of one file's media set, unsaid, by
 * scan, dump, diff and log, where a data file given twice (`--mdf X X`) and a copy of the full backup
 * under another name (two full backups) are refused. Refused now as a data file given twice is:
 * INPUT_BAD_OPTION naming the file, one line, nothing on stdout.
 *
 * REAL files: appveyor-lab RestoreTimeClean.bak (full), RestoreTimeClean2.bak (its differential),
 * RestoreTimeClean_1.trn.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';

const run = captureCli();

describeCorpus('--bak: one backup file given twice', () => {
  it('scan, dump, diff (either side) and log --bak refuse it in one line naming the file', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    const again = DIFF.replace('/RestoreTimeClean/', '/RestoreTimeClean/../RestoreTimeClean/');
    const cases: Array<[string[], string]> = [
      [['dump', '--bak', FULL, DIFF, again, '--table', 'dbo.steps'], `${DIFF} and ${again} are one file, given twice`],
      [['scan', '--bak', FULL, FULL, '--op', 'insert'], FULL],
      [['scan', '--bak', FULL, '--trn', LOGS[0], '--bak', FULL], FULL],
      [['dump', '--bak', FULL, DIFF, DIFF, '--all'], DIFF],
      [['diff', '--bak', FULL, FULL, '--after-bak', FULL, DIFF, '--table', 'dbo.steps'], FULL],
      [['diff', '--bak', FULL, '--after-bak', FULL, DIFF, DIFF, '--table', 'dbo.steps'], DIFF],
      [['log', LOGS[0], '--bak', FULL, FULL], FULL],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'rowback-bak-twice-'));
    // through a symbolic link: one file too (it was compared by resolved path only: read as stripes)
    const link = join(dir, 'link-to-full.bak');
    symlinkSync(FULL, link);
    cases.push([['scan', '--bak', FULL, link, '--op', 'insert'], `${FULL} and ${link} are one file, given twice`]);
    for (const [i, [argv, said]] of cases.entries()) {
      // to a file: read as before (one media set), the rows went to stdout, unsaid
      const r = await run(...argv, '--out', join(dir, `out-${i}.${argv[0] === 'log' ? 'csv' : 'ndjson'}`));
      const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
      expect(line, argv.join(' ')).toContain(said.startsWith('/') && !said.includes(' ') ? `${said} is given more than once: give each backup file once` : `${said}: give each backup file once`);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('each file once still reads (the differential over its full backup)', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    const dir = mkdtempSync(join(tmpdir(), 'rowback-bak-twice-'));
    try {
      const out = join(dir, 'steps.ndjson');
      const r = await run('dump', '--bak', FULL, DIFF, '--table', 'dbo.steps', '--quiet', '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(30);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
