/**
 * One check of option values for every command (options.ts checkOptionValues, applied by
 * buildProgram to every command and subcommand): an empty value is refused for every option that
 * takes a value, and an option taking one value given twice is refused, with one wording.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { captureCli, expectOneLineError } from '../support/cli.js';

const cli = captureCli();

/** Every command of the program with its path (`['restore', 'plan']`), actions replaced by a refusal to run. */
function commands(program: Command): Array<{ path: string[]; cmd: Command }> {
  const out: Array<{ path: string[]; cmd: Command }> = [];
  const walk = (c: Command, path: string[]) => {
    for (const sub of c.commands) {
      sub.action(() => {
        throw new Error(`the action of ${[...path, sub.name()].join(' ')} ran`);
      });
      out.push({ path: [...path, sub.name()], cmd: sub });
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

/** The options that repeat (a parser that collects, or `<files...>`); every other option taking a value takes one. */
const REPEATABLE: Record<string, string[]> = {
  scan: ['--mdf', '--bak', '--trn', '--log-backup', '--type-alias', '--alloc-unit', '--table', '--op', '--transaction', '--sid', '--login', '--db-user'],
  dump: ['--mdf', '--bak', '--table', '--trn'],
  log: ['--bak', '--operation', '--context', '--alloc-unit', '--table', '--transaction'],
  diff: ['--bak', '--trn', '--after-mdf', '--after-bak', '--after-trn'],
  decode: ['--type-alias'],
  'restore plan': ['--backups', '--database'],
  'restore run': ['--backups', '--table', '--database'],
  serve: ['--file-root', '--allow-server'],
};

/** A value the option's own parser accepts (the first of two is parsed before the second is refused). */
const FIRST_VALUE: Record<string, string> = { 'inspect --format': 'json', 'diff --format': 'json', 'restore plan --format': 'json', 'token list --format': 'json', 'diff --table': 'dbo.A' };

describe('every command checks its option values alike', () => {
  it('covers every command and subcommand', async () => {
    const names = commands(await buildProgram()).map((c) => c.path.join(' '));
    expect(names).toEqual(expect.arrayContaining(['scan', 'dump', 'log', 'inspect', 'diff', 'decode', 'restore plan', 'restore run', 'serve', 'token create', 'token list', 'token revoke']));
  });

  it('an empty value (an unset shell variable) is refused for every option that takes one, naming it, before the option is parsed or the action runs', async () => {
    let checked = 0;
    for (const { path, cmd } of commands(await buildProgram())) {
      for (const o of cmd.options.filter((x) => x.required || x.optional)) {
        // a fresh program each time: the check keeps the first value it saw
        const fresh = await buildProgram();
        commands(fresh);
        await expect(fresh.parseAsync([...path, o.long!, ''], { from: 'user' }), `${path.join(' ')} ${o.long} ''`).rejects.toThrow(`${o.long} is given an empty value (''); it needs one`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('an option taking one value, given twice, is refused naming it and both values; repeatable ones are not', async () => {
    let single = 0;
    let repeatable = 0;
    for (const { path, cmd } of commands(await buildProgram())) {
      const name = path.join(' ');
      for (const o of cmd.options.filter((x) => x.required || x.optional)) {
        const fresh = await buildProgram();
        commands(fresh);
        const a = FIRST_VALUE[`${name} ${o.long}`] ?? (o.long === '--format' ? 'csv' : '1');
        const run = fresh.parseAsync([...path, o.long!, a, o.long!, '2'], { from: 'user' });
        if (REPEATABLE[name]?.includes(o.long!)) {
          // refused later for something else (the stubbed action, a missing option), never as a repeat
          await expect(run, `${name} ${o.long} repeated`).rejects.not.toThrow('given more than once');
          repeatable++;
        } else {
          await expect(run, `${name} ${o.long} twice`).rejects.toThrow(`${o.long} is given more than once ('${a}', then '2'); it takes one value: give it once`);
          single++;
        }
      }
    }
    expect(single).toBeGreaterThan(60);
    expect(repeatable).toBe(Object.values(REPEATABLE).flat().length);
  });

  it('one line naming the option, exit 2, on the commands that had no check before (decode, serve, token)', async () => {
    expect(expectOneLineError(await cli('decode', '--ddl', 'a.sql', '--ddl', 'b.sql', '--hex', '00'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: --ddl is given more than once ('a.sql', then 'b.sql'); it takes one value: give it once\n");
    expect(expectOneLineError(await cli('decode', '--ddl', '', '--hex', '00'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: --ddl is given an empty value (''); it needs one\n");
    expect(expectOneLineError(await cli('decode', '--ddl', 'a.sql', '--hex', ' '), 'INPUT_BAD_OPTION')).toContain("--hex is given an empty value (' ')");
    expect(expectOneLineError(await cli('serve', '--port', '1', '--port', '2'), 'INPUT_BAD_OPTION')).toContain("--port is given more than once ('1', then '2')");
    expect(expectOneLineError(await cli('token', 'create', 'x', '--role', ''), 'INPUT_BAD_OPTION')).toContain("--role is given an empty value ('')");
    expect(expectOneLineError(await cli('scan', '--out=', '--ldf', 'a.ldf'), 'INPUT_BAD_OPTION')).toContain("--out is given an empty value ('')");
    expect(expectOneLineError(await cli('dump', '--mdf', 'a.mdf', '', '--all'), 'INPUT_BAD_OPTION')).toContain("--mdf is given an empty value ('')");
    expect(expectOneLineError(await cli('restore', 'run', '--server', 's', '--as', 'x', '--table', ''), 'INPUT_BAD_OPTION')).toContain("--table is given an empty value ('')");
  });

  it("a value that is one of the command's own options (`--out --quiet`: --out's value forgotten) is refused, not taken as a file or table named --quiet", async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-optval-'));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(expectOneLineError(await cli('dump', '--mdf', 'a.mdf', '--table', 'dbo.T', '--out', '--quiet'), 'INPUT_BAD_OPTION')).toContain("--out is given '--quiet', which is an option of this command");
      expect(expectOneLineError(await cli('dump', '--mdf', 'a.mdf', '--table', '--all'), 'INPUT_BAD_OPTION')).toContain("--table is given '--all', which is an option of this command");
      expect(expectOneLineError(await cli('scan', '--ldf', 'a.ldf', '--report', '--format=csv'), 'INPUT_BAD_OPTION')).toContain("--report is given '--format=csv', which is an option of this command");
      expect(expectOneLineError(await cli('scan', '--ldf', '-h'), 'INPUT_BAD_OPTION')).toContain("--ldf is given '-h', which is an option of this command");
      expect(readdirSync(dir)).toEqual([]);
      // a value that only starts with '-' is still a value (decode's --hex - reads stdin; a negative number is refused by its own parser)
      expect((await cli('dump', '--bak', 'a.bak', '--position', '-1', '--all')).stderr).not.toContain('which is an option');
      expect((await cli('dump', '--bak', 'a.bak', '--table', '-x', '--out', './--quiet')).stderr).not.toContain('which is an option');
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("help never shows a repeatable option's empty list as its default: it says what giving none means (scan --op printed 'default delete (default: [])')", async () => {
    const helps = commands(await buildProgram()).map(({ path, cmd }) => ({ path: path.join(' '), help: cmd.helpInformation().replace(/\s+/g, ' ') }));
    for (const { path, help } of helps) expect(help, path).not.toContain('(default: [])');
    const of = (name: string) => helps.find((h) => h.path === name)!.help;
    expect(of('scan')).toContain('delete | insert | update, any case (repeatable or comma-separated: --op delete,update) (default: delete)');
    expect(of('scan')).toContain('dbo.T, [dbo].[T], "dbo"."T" (default: every table)');
    expect(of('log')).toContain('(repeatable or comma-separated) (default: every operation)');
    expect(of('decode')).toContain('Flag=bit (repeatable) (default: none)');
  });
});
