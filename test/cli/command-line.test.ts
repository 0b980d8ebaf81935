/**
 * The whole command line a refusal advises (cli/command-line.ts): each word quoted so that the shell
 * it is pasted into passes it unchanged, the options of the fix put where they were typed. POSIX
 * words are checked by a real shell (sh and bash split the line back into the words); PowerShell's
 * by its quoting rules (Microsoft, "about_Quoting_Rules"; pwsh is not on the test machines).
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandLineWith, optionShapes } from '../../src/cli/command-line.js';
import { defaultShell, shellWord } from '../../src/util/shell-word.js';
import { shellWordsOf } from '../support/shell-words.js';
import { buildProgram } from '../../src/cli/main.js';

const wordsOf = (shell: 'sh' | 'bash', line: string): string[] => shellWordsOf(line, shell);

/** A command with options shaped as rowback's (dump's and diff's): the words of a typed line read by them. */
const shapes = optionShapes(new Command().option('--bak <files...>').option('--after-bak <files...>').option('--trn <files...>').option('--position <n>').option('--table <name>').option('--out <file>').option('-q, --quiet'));

const AWKWARD = ["copy of diff's.bak", 'C:\\Backups\\CRM FULL.bak', '$(rm -rf ~)', '`id`', '*.bak', '~/x.bak', '=ls', 'a;b|c&d', 'line\nbreak.bak', 'tab\there', '', 'naïve €.bak', '"quoted"', 'back\\slash\\'];

describe('shellWord', () => {
  it('POSIX: every word reads back as itself through sh (dash) and bash, on one line', () => {
    // a control character with a quote, a backslash, a `%` (printf's own), a leading `-` (an option to printf)
    const control = ["it's\n100%\\n", '-x\u0001y', '%s\t%d', '\u001b[31mred', 'a\r\nb', '\u007f'];
    for (const w of [...AWKWARD, ...control]) {
      const q = shellWord(w, 'posix');
      expect(q, w).not.toMatch(/[\r\n]/);
      expect(wordsOf('bash', q), w).toEqual([w]);
      // dash has no $'…' (it read $'a\nb' as the word $a\nb): every word is for it too
      expect(wordsOf('sh', q), w).toEqual([w]);
    }
  });

  it('POSIX: a word ending in a line break (which $( ) would drop) keeps it literally, read back by sh and bash', () => {
    for (const w of ['ends.bak\n', "it's\n\n", 'a\u0001\n']) {
      const q = shellWord(w, 'posix');
      expect(wordsOf('bash', q), JSON.stringify(w)).toEqual([w]);
      expect(wordsOf('sh', q), JSON.stringify(w)).toEqual([w]);
    }
  });

  it('POSIX: plain paths, flags and numbers stay bare', () => {
    for (const w of ['--bak', '/backups/CRM_full.bak', '1,2', 'dbo.steps', 'C:/x.bak']) expect(shellWord(w, 'posix')).toBe(w);
  });

  it('PowerShell: single quotes with every kind of single quote doubled; a control character in double quotes with backtick escapes', () => {
    expect(shellWord('C:\\Backups\\CRM_full.bak', 'powershell')).toBe('C:\\Backups\\CRM_full.bak');
    expect(shellWord("C:\\Backups\\copy of diff's.bak", 'powershell')).toBe("'C:\\Backups\\copy of diff''s.bak'");
    expect(shellWord('it\u2019s', 'powershell')).toBe("'it\u2019\u2019s'");
    expect(shellWord('$env:X,@a', 'powershell')).toBe("'$env:X,@a'");
    expect(shellWord('a\nb$c`"', 'powershell')).toBe('"a`nb`$c```""');
    expect(shellWord('a\u0001', 'powershell')).toBe('"a$([char]0x01)"');
    // a bare word starting with '-' is a parameter token to PowerShell, split at its first '.' or ':'
    // (PowerShell issue #6291: -x.bak reached the program as -x and .bak): quoted; flags stay bare
    expect(shellWord('-x.bak', 'powershell')).toBe("'-x.bak'");
    expect(shellWord('-C:\\x.bak', 'powershell')).toBe("'-C:\\x.bak'");
    for (const w of ['--bak', '--stop-at', '-q', '-5']) expect(shellWord(w, 'powershell')).toBe(w);
    // a bare `--` is PowerShell's end-of-parameters token, never passed to a script (npm's rowback.ps1
    // hands $args to node: npm/cli #7375): `log --bak F -- L.trn` reached rowback as `log --bak F L.trn`
    expect(shellWord('--', 'powershell')).toBe("'--'");
    expect(shellWord('--', 'posix')).toBe('--');
    expect(commandLineWith(['log', '--bak', 'F.bak', 'F.bak', '--', 'L.trn'], [{ flag: '--bak', values: ['F.bak'] }], shapes, 'powershell')).toBe("rowback log --bak F.bak '--' L.trn");
    expect(commandLineWith(['dump', '--out', '--', '--bak', 'F.bak', 'F.bak'], [{ flag: '--bak', values: ['F.bak'] }], shapes, 'powershell')).toBe("rowback dump --out '--' --bak F.bak");
    expect(commandLineWith(['dump', '--bak', '-x.bak', '--bak', '-y.bak', 'z.bak'], [{ flag: '--bak', values: ['-x.bak', '-y.bak'] }], shapes, 'powershell')).toBe("rowback dump --bak '-x.bak' --bak '-y.bak'");
  });

  it('the shell by platform: PowerShell on Windows, POSIX elsewhere', () => {
    expect([defaultShell('win32'), defaultShell('linux'), defaultShell('darwin')]).toEqual(['powershell', 'posix', 'posix']);
  });
});

describe('commandLineWith', () => {
  const fix = (bak: string[], position?: string) => [{ flag: '--bak', values: bak }, { flag: '--position', values: position === undefined ? null : [position] }];

  it('the options typed in any of commander\'s forms are replaced where first typed; the others kept in order', () => {
    const typed = ['dump', '--bak', 'F', 'F', 'G', '--position', '1,2,2', '--table', 'dbo.steps', '--quiet'];
    expect(commandLineWith(typed, fix(['F', 'F'], '1,2'), shapes, 'posix')).toBe('rowback dump --bak F F --position 1,2 --table dbo.steps --quiet');
    // --bak given twice and in the = form, --position in the = form, before the files
    const split = ['dump', '--position=1,2,2', '--bak=F', '--table', 'dbo.steps', '--bak', 'F', 'G'];
    expect(commandLineWith(split, fix(['F', 'F'], '1,2'), shapes, 'posix')).toBe('rowback dump --position 1,2 --bak F F --table dbo.steps');
    // an option not typed goes after the words typed, but before `--`; one whose values are null is left out
    expect(commandLineWith(['dump', '--bak', 'F', 'G', '--', 'x'], fix(['F'], '2'), shapes, 'posix')).toBe('rowback dump --bak F --position 2 -- x');
    expect(commandLineWith(['dump', '--bak', 'F', 'G', '--position', '1', '--quiet'], fix(['F']), shapes, 'posix')).toBe('rowback dump --bak F --quiet');
    // a one-value option takes its value whatever it looks like; a variadic one stops at the next option
    expect(commandLineWith(['dump', '--position', '-1', '--bak', 'F', 'G', '-q'], fix(['G'], '1'), shapes, 'posix')).toBe('rowback dump --position 1 --bak G -q');
  });

  it('the line advised reads back through commander as the options meant: a value starting with `-` given its own flag, a negative number kept in the list', () => {
    // the options as commander reads words (dump's --bak <files...>, --position <n>, --table <name>)
    const opts = (words: string[]) => new Command().exitOverride().option('--bak <files...>').option('--position <n>').option('--table <name>').parse(words, { from: 'user' }).opts();
    const said = (line: string) => wordsOf('sh', line).slice(1);
    // files named -x.bak and -y.bak, typed each with its own --bak (in one list commander takes -y.bak for an option)
    const dashed = ['--bak', '-x.bak', '--bak', '-y.bak', '--bak', 'z.bak', '--table', 'T'];
    const line = commandLineWith(['dump', ...dashed], fix(['-x.bak', '-y.bak']), shapes, 'posix');
    expect(line).toBe('rowback dump --bak -x.bak --bak -y.bak --table T');
    expect(opts(said(line).slice(1))).toEqual({ bak: ['-x.bak', '-y.bak'], table: 'T' });
    // a file named -5 in the list: commander takes a negative number as a value of the list
    const negative = ['--bak', 'F', '-5', 'G', '--position', '1', '--table', 'T'];
    expect(opts(negative).bak).toEqual(['F', '-5', 'G']);
    const kept = commandLineWith(['dump', ...negative], fix(['F', '-5'], '1'), shapes, 'posix');
    expect(kept).toBe('rowback dump --bak F -5 --position 1 --table T');
    expect(opts(said(kept).slice(1))).toEqual({ bak: ['F', '-5'], position: '1', table: 'T' });
  });

  it('every word quoted for the shell: the line splits back into the command meant', () => {
    const path = "/tmp/x/copy of diff's.bak";
    const line = commandLineWith(['diff', '--bak', 'A.bak', '--after-bak', 'B.bak', path, '--table', '[dbo].[a b]'], [{ flag: '--after-bak', values: ['B.bak'] }], shapes, 'posix');
    expect(line).toBe("rowback diff --bak A.bak --after-bak B.bak --table '[dbo].[a b]'");
    const words = wordsOf('sh', commandLineWith(['dump', '--bak', path, path, '--table', '[dbo].[a b]'], fix([path]), shapes, 'posix'));
    expect(words).toEqual(['rowback', 'dump', '--bak', path, '--table', '[dbo].[a b]']);
  });
});

describe("the line advised, read by rowback's own option parser (buildProgram: commander and its value checks, no action run)", () => {
  /** `words` (after `rowback`) as the real CLI reads them: the command's options and its arguments. */
  async function readByRowback(words: readonly string[]): Promise<{ opts: Record<string, unknown>; operands: string[] }> {
    const cmd = (await buildProgram([...words])).commands.find((c) => c.name() === words[0])!;
    const { operands, unknown } = cmd.parseOptions(words.slice(1));
    expect(unknown, words.join(' ')).toEqual([]);
    return { opts: { ...cmd.opts() }, operands };
  }
  /** commandLineWith over `typed` with the shapes of the real command's options, split back by sh. */
  async function advised(typed: string[], fix: Parameters<typeof commandLineWith>[1]): Promise<string[]> {
    const cmd = (await buildProgram(typed)).commands.find((c) => c.name() === typed[0])!;
    const line = commandLineWith(typed, fix, optionShapes(cmd), 'posix');
    const words = wordsOf('sh', line);
    expect(words[0], line).toBe('rowback');
    return words.slice(1);
  }

  it('a value that looks like an option stays a value: a file named `--` given to --out (it was read as the end of the options, the fix put before it)', async () => {
    const typed = ['dump', '--out', '--', '--bak', 'F.bak', 'F.bak', 'G.bak', '--position', '1,2,2', '--table', 'dbo.T'];
    expect((await readByRowback(typed)).opts).toMatchObject({ out: '--', bak: ['F.bak', 'F.bak', 'G.bak'], position: '1,2,2' });
    const words = await advised(typed, [{ flag: '--bak', values: ['F.bak', 'F.bak'] }, { flag: '--position', values: ['1,2'] }]);
    expect(words).toEqual(['dump', '--out', '--', '--bak', 'F.bak', 'F.bak', '--position', '1,2', '--table', 'dbo.T']);
    expect((await readByRowback(words)).opts).toMatchObject({ out: '--', bak: ['F.bak', 'F.bak'], position: '1,2', table: ['dbo.T'] });
    // values starting with '-' (an --out file, a backup of the fix): read as values
    const dashed = ['dump', '--out', '-rows.ndjson', '--bak', 'F.bak', '--bak', '-x.bak', '--bak', '-x.bak', '--table', '-T'];
    expect((await readByRowback(dashed)).opts).toMatchObject({ out: '-rows.ndjson', bak: ['F.bak', '-x.bak', '-x.bak'], table: ['dbo.-T'] });
    const kept = await advised(dashed, [{ flag: '--bak', values: ['F.bak', '-x.bak'] }]);
    expect((await readByRowback(kept)).opts).toMatchObject({ out: '-rows.ndjson', bak: ['F.bak', '-x.bak'], table: ['dbo.-T'] });
  });

  it('an argument after a list of the fix stays an argument: `log L1 --bak=F --bak=F L2` (it became `--bak F L2`, the log file L2 read as a backup)', async () => {
    const typed = ['log', 'L1.trn', '--bak=F.bak', '--bak=F.bak', 'L2.trn'];
    expect(await readByRowback(typed)).toMatchObject({ opts: { bak: ['F.bak', 'F.bak'] }, operands: ['L1.trn', 'L2.trn'] });
    const words = await advised(typed, [{ flag: '--bak', values: ['F.bak'] }]);
    expect(words).toEqual(['log', 'L1.trn', '--bak=F.bak', 'L2.trn']);
    expect(await readByRowback(words)).toMatchObject({ opts: { bak: ['F.bak'] }, operands: ['L1.trn', 'L2.trn'] });
    // a list kept as typed whose next option the fix leaves out: the argument after it stays one
    const left = ['log', '--bak', 'F.bak', 'G.bak', '--position', '2', 'L.trn'];
    expect(await readByRowback(left)).toMatchObject({ opts: { bak: ['F.bak', 'G.bak'], position: '2' }, operands: ['L.trn'] });
    const without = await advised(left, [{ flag: '--position', values: null }]);
    expect(without).toEqual(['log', '--bak', 'F.bak', '--bak=G.bak', 'L.trn']);
    expect(await readByRowback(without)).toMatchObject({ opts: { bak: ['F.bak', 'G.bak'] }, operands: ['L.trn'] });
  });
});

describe('an empty argument in a PowerShell line', () => {
  it("is the word that reaches rowback empty in both ways PowerShell passes arguments (about_Parsing): '' where $PSNativeCommandArgumentPassing is Standard or Windows (7.3+), '\"\"' in the Legacy way (Windows PowerShell 5.1, which drops '')", () => {
    expect(shellWord('', 'powershell')).toBe(`$(if ($PSNativeCommandArgumentPassing -in 'Standard', 'Windows') { '' } else { '""' })`);
    expect(commandLineWith(['log', '', '--bak', 'F.bak', 'F.bak'], [{ flag: '--bak', values: ['F.bak'] }], shapes, 'powershell')).toBe(`rowback log ${shellWord('', 'powershell')} --bak F.bak`);
    // POSIX: '' is an empty word to sh and bash (AWKWARD above)
    expect(shellWord('', 'posix')).toBe("''");
  });
});
