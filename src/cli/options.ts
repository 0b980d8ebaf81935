/**
 * Option helpers shared by the commands, so that every command takes the same spellings and fails
 * the same way: one line naming the flag and what it accepts (InputError INPUT_BAD_OPTION, exit 2).
 */
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
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
  singleValue(o);
  return defaultValue === undefined ? o : o.default(defaultValue);
}

/**
 * Commander parser for an option that takes one value: given twice (`--ldf a.ldf --ldf b.ldf`), or
 * given empty (`--table ""` from an unset shell variable), it throws InputError INPUT_BAD_OPTION
 * naming the flag and both values, instead of commander's default of keeping the last one
 * silently (a second log file was dropped without a word).
 */
export function oneValue(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InputError('INPUT_BAD_OPTION', `${flag} is given twice ('${previous}' and '${value}'); it takes one value`);
    if (value.trim() === '') throw new InputError('INPUT_BAD_OPTION', `${flag} is given an empty value`);
    return value;
  };
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
  // `--table ""` (an unset shell variable) would otherwise mean every table
  if (out.length === 0) throw new InputError('INPUT_BAD_OPTION', `--table '${value}' names no table`);
  return [...previous, ...out.map((t) => normalizeTableName(t))];
}

/**
 * Makes a command that only groups subcommands (`restore`, `token`) refuse being run alone or with
 * an unknown subcommand in one line naming what is missing (InputError INPUT_BAD_OPTION, exit 2),
 * instead of commander printing the whole help.
 */
export function requireSubcommand(parent: Command): Command {
  return parent.allowExcessArguments(true).action((_opts: unknown, cmd: Command) => {
    const names = parent.commands.map((c) => c.name()).join(', ');
    const name = `rowback ${parent.name()}`;
    const given = cmd.args[0];
    throw new InputError('INPUT_BAD_OPTION', given === undefined ? `${name} needs a command: ${names} (see ${name} --help)` : `${name}: unknown command '${given}'; give one of: ${names}`);
  });
}

/** Marks an option as taking one value even though it has a parser (choiceOption, a normalising parser). */
const SINGLE = Symbol('rowback.single-value-option');

/** `option` taking one value, though it has a parser: refuseRepeatedOptions refuses it twice. */
export function singleValue(option: Option): Option {
  (option as unknown as Record<symbol, boolean>)[SINGLE] = true;
  return option;
}

/**
 * Refuses an option that takes one value given twice (`--mdf a.mdf --mdf b.mdf`): commander would
 * keep the last one silently, and the command would read another file than the one the user may
 * think. Applies to every option of `cmd` taking a value that is not variadic (`<files...>`) and has
 * no parser of its own (a parser collects repeatable values), plus those marked with singleValue
 * (choiceOption's are). Throws InputError INPUT_BAD_OPTION naming the option and both values while
 * the arguments are parsed, before any work.
 */
export function refuseRepeatedOptions(cmd: Command): Command {
  for (const o of cmd.options) {
    const takesValue = o.required || o.optional;
    const single = (o as unknown as Record<symbol, boolean>)[SINGLE] === true || !o.parseArg;
    if (!takesValue || o.variadic || !single) continue;
    let first: unknown;
    let seen = false;
    cmd.on(`option:${o.name()}`, (value: unknown) => {
      if (seen) throw new InputError('INPUT_BAD_OPTION', `${o.long ?? o.flags} is given more than once ('${String(first)}', then '${String(value)}'); it takes one value: give it once`);
      seen = true;
      first = value;
    });
  }
  return cmd;
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
