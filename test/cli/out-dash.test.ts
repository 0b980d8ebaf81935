import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `--out -` (and `--report -`), the usual "stdout" of other tools: rowback wrote a file named `-`
 * in the current folder, so `scan … --out - | head` read nothing and exited 0 (newcomer). Refused
 * now, one line, before anything is read or written. REAL files: AngularJs_CRUD.
 */
const cli = captureCli();
describeCorpus('an output named -', () => {
  const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  it.each([
    ['scan --out -', ['scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--out', '-'], /--out -: the rows go to stdout when --out is left out/],
    ['scan --report -', ['scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--report', '-'], /--report -: --report writes a file, and stdout carries the rows/],
    ['dump --out -', ['dump', '--mdf', a('Database1.mdf'), '--all', '--out', '-'], /--out -: the rows go to stdout/],
    ['log --out -', ['log', a('Database1_log.ldf'), '--out', '-'], /--out -: the rows go to stdout/],
    ['log --report -', ['log', a('Database1_log.ldf'), '--report', '-'], /--report -: --report writes a file, and stdout carries the rows/],
  ])('%s: refused, no file named - written', async (_name, args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-dash-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const line = expectOneLineError(await cli(...(args as string[])), 'INPUT_BAD_OPTION');
      expect(line).toMatch(message as RegExp);
      expect(existsSync(join(dir, '-'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });
});
