/**
 * `dump --trn … --stop-at … --all` is refused (the replay takes the tables named); its refusal names
 * the command that lists them. It named `rowback dump --bak FULL.bak --all --quiet`, which prints rows
 * and no table name: copied as written on RestoreTimeClean.bak (both tables empty in the full backup)
 * it printed nothing at all. Now it names `rowback inspect FILE`, whose "tables (rows):" lists them;
 * that command, run as the refusal words it, lists dbo.steps and dbo.table1. Real bytes.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { shellWordsOf } from '../support/shell-words.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-pit-all-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('dump --stop-at --all: the refusal names a command that lists the tables', () => {
  it('the command named, run as written, lists both tables', async () => {
    const { FULL, LOGS } = restoreTimeClean();
    const r = await cli('dump', '--bak', FULL, '--trn', LOGS[0]!, '--stop-at', '2017-06-01 13:01', '--all', '--out', join(dir, 'x.ndjson'));
    const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
    expect(line).toContain('all of them in one read of the log backups');
    const cmd = /`rowback (\S+) (\S+)` lists the tables/.exec(line);
    expect(cmd, line).not.toBeNull();
    const listed = await cli(cmd![1]!, cmd![2]!);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/tables \(rows\):\n\s+dbo\.steps\s+0 .*\n\s+dbo\.table1\s+0 /);
  }, 60_000);

  it('a backup named with a space, a tab or a line break: the command named is one line whose word the shell passes as the file', async () => {
    if (process.platform === 'win32') return;
    const { FULL, LOGS } = restoreTimeClean();
    for (const name of ['my full.bak', 'tab\tand\nbreak.bak']) {
      const link = join(dir, name);
      symlinkSync(FULL, link);
      const line = expectOneLineError(await cli('dump', '--bak', link, '--trn', LOGS[0]!, '--stop-at', '2017-06-01 13:01', '--all', '--out', join(dir, 'x.ndjson')), 'INPUT_BAD_OPTION');
      const said = /`(rowback inspect .*)` lists the tables/.exec(line)?.[1];
      expect(said, line).toBeDefined();
      expect(shellWordsOf(said!)).toEqual(['rowback', 'inspect', link]);
      const listed = await cli(...shellWordsOf(said!).slice(1));
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/tables \(rows\):\n\s+dbo\.steps\s+0 /);
    }
  }, 60_000);
});
