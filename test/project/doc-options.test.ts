/**
 * Every option the README and docs/*.md write after a command name exists on that command: a span
 * such as `rowback scan … --to T`, `inspect --json` or a ```sh line running `npx rowback dump …`
 * names only options that command's --help lists (commander's own definitions, buildProgram). A
 * newcomer copying a documented flag otherwise meets `unknown option` (docs/performance.md said
 * `inspect --json`, which inspect refuses: its option is `--format json`). No corpus needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMAND = /^(?:npx )?(?:rowback )?(restore plan|restore run|token create|token list|token revoke|scan|dump|log|diff|decode|inspect|serve)\b(.*)$/;

/** Each documented command text: inline code spans, and each line of a ```sh block that runs rowback. */
function documentedCommands(text: string): string[] {
  const out = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  // fenced blocks paired line by line (a closing fence is not the opening of the next block)
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^```(\w*)/.exec(line);
    if (f) {
      fence = fence === null ? f[1]! : null;
      continue;
    }
    if (fence === null || !['', 'sh', 'bash', 'console'].includes(fence)) continue;
    const at = line.search(/\browback (?=[a-z])/);
    if (at >= 0) out.push(line.slice(at));
  }
  return out;
}

function optionsOf(program: Command, path: string): Set<string> {
  let cmd: Command | undefined = program;
  for (const name of path.split(' ')) cmd = cmd?.commands.find((c) => c.name() === name);
  if (!cmd) throw new Error(`no command ${path}`);
  return new Set([...cmd.options.map((o) => o.long ?? ''), '--help']);
}

it('README.md and docs/*.md name only options their command has', async () => {
  const program = await buildProgram();
  const files = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const unknown: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const span of documentedCommands(readFileSync(join(repo, file), 'utf8'))) {
      const m = COMMAND.exec(span.trim());
      if (!m) continue;
      // the command's own words only: a pipe or another command after it is not its
      const own = m[2]!.split(/\s(?:\||&&|;|\|\|)\s/)[0]!;
      const options = optionsOf(program, m[1]!);
      for (const o of own.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? []) {
        checked++;
        if (!options.has(o)) unknown.push(`${file}: \`${span.slice(0, 100)}\`: ${m[1]} has no ${o}`);
      }
    }
  }
  expect(checked).toBeGreaterThan(300);
  expect(unknown).toEqual([]);
});
