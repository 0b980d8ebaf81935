/**
 * `rowback --help` is where a newcomer first meets the commands: its Commands list is an overview,
 * each entry a few lines. `inspect`'s entry was its whole description, eleven lines of exit codes
 * and damage kinds (dump's six), burying the commands after it; a command whose description is long
 * has a short summary there (commander's `.summary`), its own `--help` keeping the whole text.
 */
import { expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

/** Each command's entry in the Commands list of `text`, by command name: its lines. */
function commandEntries(text: string): Map<string, string[]> {
  const list = text.slice(text.indexOf('Commands:\n') + 'Commands:\n'.length).split('\n\n')[0]!.split('\n');
  const entries = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of list) {
    const m = /^ {2}(\S+)/.exec(line);
    if (m) entries.set(m[1]!, (current = [line]));
    else current.push(line);
  }
  return entries;
}

it("every command's entry in rowback --help is at most 4 lines; inspect's and dump's own --help keep the whole text", async () => {
  const program = await buildProgram();
  program.configureOutput({ getOutHelpWidth: () => 80 });
  const entries = commandEntries(program.helpInformation());
  expect([...entries.keys()]).toEqual(expect.arrayContaining(['decode', 'inspect', 'scan', 'dump', 'log', 'serve', 'token', 'restore', 'diff']));
  for (const [name, lines] of entries) expect(lines.length, `${name}:\n${lines.join('\n')}`).toBeLessThanOrEqual(4);
  const own = (name: string) => program.commands.find((c) => c.name() === name)!.helpInformation();
  expect(own('inspect')).toMatch(/exit 2 when the\s+damage leaves nothing to describe/);
  expect(own('dump')).toMatch(/each table replayed on its own/);
});
