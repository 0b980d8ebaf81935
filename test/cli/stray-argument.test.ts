import { describe, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';

const cli = captureCli();

// `rowback serve --file-root /a /b` (the README synopsis said `--file-root DIR…`) was refused as
// "too many arguments for 'serve'. Expected 0 arguments but got 1.": neither the stray word nor
// that --file-root takes one folder per flag. Every command's refusal now names the stray words;
// after a repeatable option's value it says to repeat the option.
describe('a stray argument is named, and a repeatable option told to be repeated', () => {
  it('serve --file-root /a /b: names /b and says to repeat --file-root', async () => {
    const r = await cli('serve', '--file-root', '/a', '/b');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe(
      "rowback: INPUT_BAD_OPTION: too many arguments for 'serve': '/b' (it takes no arguments); --file-root takes one value per flag: repeat it (--file-root /a --file-root /b) (see rowback serve --help)\n");
    expect(expectOneLineError(await cli('serve', '--file-root=/a', '/b', '/c'), 'INPUT_BAD_OPTION')).toContain("'/b', '/c' (it takes no arguments); --file-root takes one value per flag: repeat it (--file-root /a --file-root /b)");
    expect(expectOneLineError(await cli('serve', '--allow-server', 'h1', 'h2'), 'INPUT_BAD_OPTION')).toContain("'h2' (it takes no arguments); --allow-server takes one value per flag: repeat it (--allow-server h1 --allow-server h2)");
  });

  it('any command: the stray word named, and what the command takes', async () => {
    expect(expectOneLineError(await cli('token', 'list', 'extra'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: too many arguments for 'list': 'extra' (it takes no arguments) (see rowback token list --help)\n");
    expect(expectOneLineError(await cli('inspect', 'a.ldf', 'b.ldf'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: too many arguments for 'inspect': 'b.ldf' (it takes 1 argument: file) (see rowback inspect --help)\n");
    // a single-value option's second value: named, no advice to repeat an option that takes one
    const one = expectOneLineError(await cli('scan', '--mdf', 'x.mdf', '--ldf', 'a.ldf', 'b.ldf'), 'INPUT_BAD_OPTION');
    expect(one).toContain("too many arguments for 'scan': 'b.ldf' (it takes no arguments)");
    expect(one).not.toContain('repeat');
  });
});

// `rowback scan Database1.mdf Database1_log.ldf` (files given as `log` takes them) was refused
// naming the words alone: the line now says which flag each file goes after.
describe('SQL Server files given without their flags', () => {
  it('scan A.mdf B.ldf: names the flags to put them after', async () => {
    const r = await cli('scan', 'Database1.mdf', 'Database1_log.ldf');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe(
      "rowback: INPUT_BAD_OPTION: too many arguments for 'scan': 'Database1.mdf', 'Database1_log.ldf' (it takes no arguments); scan takes its files after their flags: --mdf Database1.mdf --ldf Database1_log.ldf (see rowback scan --help)\n");
    expect(expectOneLineError(await cli('dump', 'full.BAK', '--table', 'dbo.T'), 'INPUT_BAD_OPTION')).toContain('; dump takes its files after their flags: --bak full.BAK (see');
    // a word that is no such file, or a flag already given: no hint
    expect(expectOneLineError(await cli('scan', 'notes.txt'), 'INPUT_BAD_OPTION')).not.toContain('after their flags');
    expect(expectOneLineError(await cli('scan', '--mdf', 'x.mdf', '--ldf', 'a.ldf', 'b.ldf'), 'INPUT_BAD_OPTION')).not.toContain('after their flags');
  });
});
