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
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { shellWordsOf } from '../support/shell-words.js';

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

  it('the refusal gives the whole command line, each file once; pasted into sh, it runs and reads what the files once read', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    const dir = mkdtempSync(join(tmpdir(), 'rowback-bak-twice-'));
    try {
      // a copy of the differential under a name sh splits and quotes, given twice (through a link too)
      const odd = join(dir, "Pedro's diff copy.bak");
      copyFileSync(DIFF, odd);
      const link = join(dir, 'link to diff.bak');
      symlinkSync(odd, link);
      const cases: Array<{ typed: string[]; advised: string[]; once: string[] }> = [
        // dump: the repeated item left out, every other option kept where typed
        { typed: ['dump', '--bak', FULL, odd, odd, '--table', 'dbo.steps'], advised: ['dump', '--bak', FULL, odd, '--table', 'dbo.steps'], once: ['dump', '--bak', FULL, odd, '--table', 'dbo.steps'] },
        // --bak typed twice, the second after --trn: one --bak, where first typed
        { typed: ['scan', '--bak', FULL, '--trn', LOGS[0]!, '--bak', FULL, '--op', 'insert'], advised: ['scan', '--bak', FULL, '--trn', LOGS[0]!, '--op', 'insert'], once: ['scan', '--bak', FULL, '--trn', LOGS[0]!, '--op', 'insert'] },
        // one file through a link: the first name kept
        { typed: ['dump', '--bak', FULL, odd, link, '--table', 'dbo.steps'], advised: ['dump', '--bak', FULL, odd, '--table', 'dbo.steps'], once: ['dump', '--bak', FULL, odd, '--table', 'dbo.steps'] },
        // diff's later side, in its own options
        { typed: ['diff', '--bak', FULL, '--after-bak', FULL, odd, odd, '--table', 'dbo.steps'], advised: ['diff', '--bak', FULL, '--after-bak', FULL, odd, '--table', 'dbo.steps'], once: ['diff', '--bak', FULL, '--after-bak', FULL, odd, '--table', 'dbo.steps'] },
        // log: its log files before --bak, kept
        { typed: ['log', LOGS[0]!, '--bak', FULL, FULL], advised: ['log', LOGS[0]!, '--bak', FULL], once: ['log', LOGS[0]!, '--bak', FULL] },
      ];
      for (const { typed, advised, once } of cases) {
        const out = (n: string) => join(dir, `${n}.${typed[0] === 'log' ? 'csv' : 'ndjson'}`);
        const line = expectOneLineError(await run(...typed, '--out', out('refused')), 'INPUT_BAD_OPTION');
        const said = /give each backup file once: (rowback .*?) \(a full backup/.exec(line)?.[1];
        expect(said, line).toBeDefined();
        const words = shellWordsOf(said!);
        expect(words, said).toEqual(['rowback', ...advised, '--out', out('refused')]);
        // followed, it reads what the files given once read
        const ran = await run(...words.slice(1, -2), '--out', out('advised'));
        expect(ran.code, `${said}\n${ran.stderr}`).toBe(0);
        const direct = await run(...once, '--out', out('once'));
        expect(direct.code, direct.stderr).toBe(0);
        expect(readFileSync(out('advised'), 'utf8')).toBe(readFileSync(out('once'), 'utf8'));
      }
      // one set of one file twice in a list of set numbers: the later item and its number left out
      const both = join(dir, 'full-diff.bak');
      writeFileSync(both, appendedBackupSet(FULL, DIFF));
      const list = expectOneLineError(await run('dump', '--bak', both, both, both, '--position', '1,2,1', '--table', 'dbo.steps', '--out', join(dir, 'list.ndjson')), 'INPUT_BAD_OPTION');
      expect(list).toContain(`${both} is given more than once with the same backup set number (1): one backup set read twice; give each set once: rowback dump --bak ${both} ${both} --position 1,2 --table dbo.steps --out ${join(dir, 'list.ndjson')} (--position gives the set of each --bak file in order)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
