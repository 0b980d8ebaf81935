/**
 * Option helpers shared by the commands, so that every command takes the same spellings and fails
 * the same way: one line naming the flag and what it accepts (InputError INPUT_BAD_OPTION, exit 2).
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../errors.js';
import { splitQualifiedName } from '../util/tsql.js';

/**
 * A choice option matched case-insensitively (`--format CSV` = `--format csv`). A value not in
 * `choices` throws InputError INPUT_BAD_OPTION naming the flag, the value and every valid choice
 * (one line; commander's own `.choices()` would print the whole help after its error).
 */
export function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[], defaultValue?: T): Option {
  const flag = flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? flags;
  const o = new Option(flags, `${description} (${choices.join(' | ')})`).argParser((v: string) => {
    const hit = choices.find((c) => c.toLowerCase() === v.trim().toLowerCase());
    if (!hit) throw new InputError('INPUT_BAD_OPTION', `${flag} '${v}' is not one of: ${choices.join(', ')}`);
    return hit;
  });
  return defaultValue === undefined ? o : o.default(defaultValue);
}

/**
 * `--table` text as `schema.name`: accepts `dbo.Employee`, `[dbo].[Employee]`, `"dbo"."Employee"`,
 * `Employee` (schema dbo), brackets and quotes with their doubled escapes (`]]`, `""`), as
 * `splitQualifiedName` parses them. Throws InputError INPUT_BAD_IDENTIFIER naming the flag and the
 * text for anything that is not a one- or two-part name.
 */
export function normalizeTableName(text: string, flag = '--table'): string {
  try {
    const { schema, name } = splitQualifiedName(text);
    return `${schema}.${name}`;
  } catch (e) {
    throw new InputError('INPUT_BAD_IDENTIFIER', `${flag} '${text}': ${(e as Error).message}; give schema.name, [schema].[name] or "schema"."name"`, { table: text });
  }
}

/**
 * Commander collector for repeatable, comma-separated table names: splits on commas outside
 * `[…]` and `"…"` (so `[dbo].[a,b]` stays one name) and normalises each with `normalizeTableName`.
 */
export function collectTables(value: string, previous: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  let close: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (close) {
      cur += ch;
      if (ch === close) {
        if (value[i + 1] === close) cur += value[++i];
        else close = null;
      }
    } else if (ch === '[' || ch === '"') {
      close = ch === '[' ? ']' : '"';
      cur += ch;
    } else if (ch === ',') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return [...previous, ...out.map((t) => normalizeTableName(t))];
}

const FORMAT_BY_EXTENSION: Record<string, string> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/**
 * `--format` from `--out`'s extension when `--format` was not given on the command line: `.csv` →
 * csv, `.json` → json, `.ndjson`/`.jsonl` → ndjson (a format the command has; any other extension
 * keeps the default). A `--format` given that disagrees with the extension is kept, with one note
 * line on `stderr` unless `quiet`. Sets `opts.format`; call it in a command's action.
 */
export function formatFromOut<T extends string>(cmd: Command, opts: { format: T; out?: string; quiet?: boolean }, choices: readonly T[], stderr: NodeJS.WritableStream = process.stderr): void {
  if (!opts.out) return;
  const ext = extname(opts.out).toLowerCase();
  const byExt = choices.find((c) => c === FORMAT_BY_EXTENSION[ext]);
  const given = cmd.getOptionValueSource('format') === 'cli';
  if (!given) {
    if (byExt) opts.format = byExt;
  } else if (ext in FORMAT_BY_EXTENSION && byExt !== opts.format && !opts.quiet) {
    stderr.write(`rowback: note: --out ${opts.out} ends in ${ext} but --format ${opts.format} was given: writing ${opts.format}\n`);
  }
}
