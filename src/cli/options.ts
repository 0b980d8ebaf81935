/**
 * Option helpers shared by the commands, so that every command takes the same spellings and fails
 * the same way: one line naming the flag and what it accepts (InputError INPUT_BAD_OPTION, exit 2).
 */
import type { EventEmitter } from 'node:events';
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { InputError } from '../errors.js';
import { echoInput } from '../util/echo.js';
import { tableNameOrText } from '../util/tsql.js';
import { namesSchema } from '../reconstruct/metadata/names.js';
import { splitTableList as splitNames } from '../util/table-list.js';
import { sayLine } from './stderr-lines.js';

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
 * `--table` text as the table's name in rowback's form (util/tsql.ts stagedTableName: `schema.name`,
 * or `[schema].[name]` when a part holds a dot or needs quoting): accepts `dbo.Employee`,
 * `[dbo].[Employee]`, `"dbo"."Employee"`, `Employee` (schema dbo), `[dbo].[Order.Items]`,
 * `dbo.[Order.Items]`, brackets and quotes with their doubled escapes (`]]`, `""`), as
 * `splitQualifiedName` parses them. A plain text of three or more dotted parts without brackets
 * (`dbo.Order.Items`) is kept as it is: the metadata's tables decide which table it is the
 * `schema.name` text of (names.ts findTableName: one, or refused naming both in brackets); so is a
 * three- or four-part name in any form (`[CRM].[dbo].[T]`, `CRM..T`), whose refusal names the table
 * meant once the tables are read (names.ts unknownTableHint), unless `multiPart` is false (a caller
 * that reads no table before its long work: restore run). Throws InputError INPUT_BAD_IDENTIFIER
 * naming the flag and the text for anything else that is not a one- or two-part name.
 */
export function normalizeTableName(text: string, flag = '--table', multiPart = true): string {
  try {
    // util/tsql.ts tableNameOrText, as a job's tables are read (a comma makes a list: diff's refusal says so)
    return tableNameOrText(text, multiPart);
  } catch (e) {
    throw new InputError('INPUT_BAD_IDENTIFIER', `${flag} '${text}': ${(e as Error).message}; give schema.name, [schema].[name] or "schema"."name"`, { table: text });
  }
}

/**
 * collectTables' list: the names normalised (normalizeTableName), in the order given, each once; and
 * `typed`, each name exactly as typed (`Employees`, `[dbo].[a,b]`: split on commas, trimmed, each
 * text once), kept with the list commander holds as the option's value (`opts.table`), as a
 * property that is not enumerable (the list is the names wherever it is read as an array).
 */
export type TableList = string[] & { readonly typed: readonly string[] };

/**
 * Commander collector for repeatable, comma-separated table names: splits on commas outside
 * `[…]` and `"…"` (so `[dbo].[a,b]` stays one name) and normalises each with `normalizeTableName`.
 * A table named twice (`--table T --table dbo.T`, `[dbo].[T]`) is kept once: it is one table, so a
 * CSV still gets its value columns (scan printed one JSON `values` cell, dump refused "several
 * tables") and a point-in-time dump takes it. Every command's --table uses this (dump, log and
 * restore run took `a,b` as one table name, which the README's lists say they split). Returns a new
 * TableList (`previous`, commander's list so far or its default, is not changed), carrying the
 * texts as typed (`typed`).
 */
export function collectTables(value: string, previous: readonly string[]): TableList {
  const out = splitTableList(value);
  const names = [...previous];
  const typed = [...tablesAsTyped(previous)];
  for (const x of out) {
    const t = normalizeTableName(x);
    if (!names.includes(t)) names.push(t);
    if (!typed.includes(x)) typed.push(x);
  }
  // not enumerable: the list reads, compares and serialises as the names alone (JSON, toEqual, a report's opts)
  return Object.defineProperty(names, 'typed', { value: typed, enumerable: false }) as TableList;
}

/** The names of `tables` exactly as typed (TableList's `typed`); empty for a list collectTables did not build. */
export function tablesAsTyped(tables: readonly string[] | string | undefined): readonly string[] {
  return Array.isArray(tables) && 'typed' in tables ? (tables as TableList).typed : [];
}

/**
 * The names of `tables` (a list collectTables built: `opts.table`) that were typed without a schema
 * (`--table Employees`, not `dbo.Employees`: names.ts namesSchema), each normalised (`dbo.Employees`);
 * empty for a list collectTables did not build. The commands say a dbo table has namesakes in other
 * schemas (names.ts otherSchemasNote) only for these: a DBA who typed `dbo.` asked for dbo's table.
 */
export function tablesTypedWithoutSchema(tables: readonly string[] | string | undefined): ReadonlySet<string> {
  return new Set(tablesAsTyped(tables).filter((x) => !namesSchema(x)).map((x) => normalizeTableName(x)));
}

/**
 * The names of one `--table` value as typed (`STEPS`, `[dbo].[a,b]`), split on commas outside `[…]`
 * and `"…"` and trimmed, not normalised (collectTables normalises them). Throws InputError
 * INPUT_BAD_OPTION when it names none.
 */
export function splitTableList(value: string): string[] {
  const out = splitNames(value);
  // `--table ,` names no table (an empty value is refused before: checkOptionValues); it would otherwise mean every table
  if (out.length === 0) throw new InputError('INPUT_BAD_OPTION', `--table '${value}' names no table`);
  return out;
}

/**
 * Makes a command that only groups subcommands (`restore`, `token`) refuse being run alone or with
 * an unknown subcommand in one line naming what is missing (InputError INPUT_BAD_OPTION, exit 2),
 * instead of commander printing the whole help.
 */
export function requireSubcommand(parent: Command): Command {
  // its subcommands, added after this (they copy the parent's settings), still refuse stray
  // arguments (`restore plan DIR` was taken as if no folder had been given): see refuseExcessArguments
  return parent.allowExcessArguments(true).action((_opts: unknown, cmd: Command) => {
    const names = parent.commands.map((c) => c.name()).join(', ');
    const name = `rowback ${parent.name()}`;
    const given = cmd.args[0];
    throw new InputError('INPUT_BAD_OPTION', given === undefined ? `${name} needs a command: ${names} (see ${name} --help)` : `${name}: unknown command '${given}'; give one of: ${names}`);
  });
}

/**
 * The subcommands of a group made with requireSubcommand copy its allowExcessArguments(true): set
 * back to refusing, so `rowback restore plan /backups` says "too many arguments" (a folder is given
 * with --backups) instead of running as if nothing had been given. Call once the subcommands exist.
 */
export function refuseExcessArguments(parent: Command): Command {
  for (const c of parent.commands) c.allowExcessArguments(false);
  return parent;
}

/**
 * A repeatable option (values collected by `parse`, starting from an empty list) whose help says
 * what giving none means (`(default: delete)`, `(default: every table)`), where commander printed
 * the empty list itself — `--op … default delete (default: [])` contradicted itself.
 */
export function repeatableOption(flags: string, description: string, parse: (value: string, previous: string[]) => string[], whenNone: string): Option {
  return new Option(flags, description).argParser(parse).default([] as string[], whenNone);
}

/** Marks an option as taking one value even though it has a parser (choiceOption, a normalising parser). */
const SINGLE = Symbol('rowback.single-value-option');

/** What to do instead, said after an option's "given more than once" refusal (singleValue's `instead`). */
const INSTEAD = Symbol('rowback.single-value-instead');

/**
 * `option` taking one value, though it has a parser: checkOptionValues refuses it twice, saying
 * `instead` after "give it once" when given (what a user giving it twice wanted, and the way to it:
 * diff's `--table`, given twice by a DBA comparing customers and their contacts, said only "give it once").
 */
export function singleValue(option: Option, instead?: string): Option {
  (option as unknown as Record<symbol, boolean>)[SINGLE] = true;
  if (instead !== undefined) (option as unknown as Record<symbol, string>)[INSTEAD] = instead;
  return option;
}

/**
 * The one check of the values options are given, for every option of `cmd` that takes a value
 * (main.ts's buildProgram applies it to every command and subcommand, see checkAllOptionValues):
 * - given an empty value (`--out ""`, `--table "$UNSET"`, `--from=`): refused, whatever the
 *   option (a file, a table, a time, a name): an empty value never means anything, and some were
 *   taken for "not given" (an empty --table meant every table, an empty --from no window start);
 * - an option that takes one value given twice (`--mdf a.mdf --mdf b.mdf`): refused, where
 *   commander would keep the last one silently and the command read another file than the user
 *   may think. An option takes one value when it is not variadic (`<files...>`) and has no parser
 *   of its own (a parser collects repeatable values, as scan's `--table` and `--op` do), or is
 *   marked with singleValue (choiceOption's are).
 * - given one of the command's own options as its value (`--out --quiet`, `--table --all`: the
 *   value was forgotten and commander took the next word): refused, where a file named `--quiet`
 *   was written or a table `dbo.--all` looked for;
 * All throw InputError INPUT_BAD_OPTION naming the option (and the values), as the arguments are
 * parsed, before any work and before the option's own parser sees the value.
 */
export function checkOptionValues(cmd: Command): Command {
  // The flags this command (and the commands above it) understands, and help's: a value that is one
  // of them (`--out --quiet`, `--table --all`) is an option whose value was forgotten, never a file
  // or a table named so (commander takes the next word as the value whatever it starts with).
  const flags = new Set<string>(['--help', '-h']);
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const x of c.options) {
      if (x.long) flags.add(x.long);
      if (x.short) flags.add(x.short);
      if (x.negate && x.long) flags.add(x.long.replace(/^--no-/, '--'));
    }
  }
  for (const o of cmd.options) {
    if (!(o.required || o.optional)) continue;
    const flag = o.long ?? o.flags;
    const single = !o.variadic && ((o as unknown as Record<symbol, boolean>)[SINGLE] === true || !o.parseArg);
    let first: unknown;
    let seen = false;
    // prepended: before commander's own listener parses (and stores) the value
    (cmd as unknown as EventEmitter).prependListener(`option:${o.name()}`, (value: unknown) => {
      if (typeof value === 'string' && value.trim() === '') throw new InputError('INPUT_BAD_OPTION', `${flag} is given an empty value ('${echoInput(value)}'); it needs one`);
      if (typeof value === 'string' && flags.has(value.split('=')[0])) {
        throw new InputError('INPUT_BAD_OPTION', `${flag} is given '${echoInput(value)}', which is an option of this command: ${flag} needs its value first (a file whose name starts with '-' is written ./${echoInput(value)})`);
      }
      if (!single) return;
      if (seen) {
        const instead = (o as unknown as Record<symbol, string | undefined>)[INSTEAD];
        throw new InputError('INPUT_BAD_OPTION', `${flag} is given more than once ('${echoInput(String(first))}', then '${echoInput(String(value))}'); it takes one value: give it once${instead ? `; ${instead}` : ''}`);
      }
      seen = true;
      first = value;
    });
  }
  return cmd;
}

/** checkOptionValues on `program` and every command and subcommand under it. */
export function checkAllOptionValues(program: Command): Command {
  checkOptionValues(program);
  for (const c of program.commands) checkAllOptionValues(c);
  return program;
}

const FORMAT_BY_EXTENSION: Record<string, string> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/**
 * The `--format` option of a command that also has `--out` and calls formatFromOut: a
 * choiceOption whose help says that without --format the format comes from --out's extension
 * (naming the extensions that give one of `choices`), else `defaultValue` (commander shows it).
 */
export function outFormatOption<T extends string>(choices: readonly T[], defaultValue: T): Option {
  const exts = choices
    .map((c) => Object.keys(FORMAT_BY_EXTENSION).filter((e) => FORMAT_BY_EXTENSION[e] === c).join('/'))
    .filter(Boolean)
    .join(', ');
  return choiceOption('--format <format>', `output format; when not given, taken from --out's extension (${exts}), else the default`, choices, defaultValue);
}

/**
 * `--format` from `--out`'s extension when `--format` was not given on the command line: `.csv` →
 * csv, `.json` → json, `.ndjson`/`.jsonl` → ndjson (a format the command has; any other extension
 * keeps the default, with a note when it names a format the command has not). A `--format` given that disagrees with the extension is kept, with one note
 * line on `stderr` unless `quiet`. Sets `opts.format`; call it in a command's action.
 */
export function formatFromOut<T extends string>(cmd: Command, opts: { format: T; out?: string; quiet?: boolean }, choices: readonly T[], stderr: NodeJS.WritableStream = process.stderr): void {
  if (!opts.out) return;
  const ext = extname(opts.out).toLowerCase();
  const byExt = choices.find((c) => c === FORMAT_BY_EXTENSION[ext]);
  const given = cmd.getOptionValueSource('format') === 'cli';
  if (!given) {
    if (byExt) opts.format = byExt;
    // an extension naming a format this command has not (log --out x.json, diff --out x.csv) got
    // the default written into it unsaid: a spreadsheet opening x.csv showed JSON lines
    else if (ext in FORMAT_BY_EXTENSION && !opts.quiet) {
      sayLine(`rowback ${cmd.name()}: note: --out ${opts.out} ends in ${ext}, a format this command does not write (${choices.join(', ')}): writing ${opts.format}; give --format to choose`, stderr);
    }
  } else if (ext in FORMAT_BY_EXTENSION && byExt !== opts.format && !opts.quiet) {
    sayLine(`rowback ${cmd.name()}: note: --out ${opts.out} ends in ${ext} but --format ${opts.format} was given: writing ${opts.format}`, stderr);
  }
}

/**
 * commander's refusal of stray arguments said only "too many arguments for 'serve'. Expected 0
 * arguments but got 1." — not which word was stray nor why. On `program` and every command under
 * it, that refusal now names the stray words and what the command takes; when the first follows
 * the value of a repeatable option (`serve --file-root /a /b`, `scan --table a b`), it says the
 * option takes one value per flag and to repeat it. `argv` is the command line given to parse.
 */
export function nameExcessArguments(program: Command, argv: readonly string[]): Command {
  const each = (cmd: Command): void => {
    const error = cmd.error.bind(cmd);
    cmd.error = ((message: string, o?: { code?: string; exitCode?: number }) =>
      error(o?.code === 'commander.excessArguments' ? excessArgumentsMessage(cmd, argv) : message, o)) as Command['error'];
    for (const c of cmd.commands) each(c);
  };
  each(program);
  return program;
}

function excessArgumentsMessage(cmd: Command, argv: readonly string[]): string {
  const declared = cmd.registeredArguments;
  const stray = cmd.args.slice(declared.length);
  const takes = declared.length === 0 ? 'no arguments' : `${declared.length} argument${declared.length === 1 ? '' : 's'}: ${declared.map((a) => a.name()).join(', ')}`;
  const words = stray.map((s) => `'${echoInput(s)}'`).join(', ');
  return `error: too many arguments for '${cmd.name()}': ${words} (it takes ${takes})${repeatHint(cmd, argv, stray[0]) || fileFlagHint(cmd, argv, stray)}`;
}

/** The flag a file of this extension goes after, on commands that have it. */
const FLAG_OF_EXTENSION: Record<string, string> = { mdf: '--mdf', ndf: '--mdf', ldf: '--ldf', bak: '--bak', dif: '--bak', diff: '--bak', trn: '--trn' };

/**
 * '; files go after their flags: --mdf A.mdf --ldf B.ldf' when the stray words are SQL Server files
 * this command takes through flags (`rowback scan Database1.mdf Database1_log.ldf`, as `log` takes
 * them, was refused naming the words alone), else ''.
 */
function fileFlagHint(cmd: Command, argv: readonly string[], stray: readonly string[]): string {
  // a flag already given (`--ldf a.ldf b.ldf`, one value): giving it again is no answer
  const has = (flag: string) => cmd.options.some((o) => o.long === flag) && !argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  const parts: string[] = [];
  for (const s of stray) {
    const flag = FLAG_OF_EXTENSION[/\.([A-Za-z]+)$/.exec(s)?.[1]?.toLowerCase() ?? ''];
    if (!flag || !has(flag)) return '';
    parts.push(`${flag} ${echoInput(s)}`);
  }
  return parts.length ? `; ${cmd.name()} takes its files after their flags: ${parts.join(' ')}` : '';
}

/** '; --file-root takes one value per flag: repeat it (…)' when `stray` follows a repeatable option's value in argv, else ''. */
function repeatHint(cmd: Command, argv: readonly string[], stray: string | undefined): string {
  if (stray === undefined) return '';
  const valued = (flag: string) => cmd.options.find((o) => (o.long === flag || o.short === flag) && (o.required || o.optional));
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] !== stray) continue;
    const eq = /^(--[^=]+)=(.*)$/s.exec(argv[i - 1]!);
    const [flag, value] = eq ? [eq[1]!, eq[2]!] : i >= 2 ? [argv[i - 2]!, argv[i - 1]!] : ['', ''];
    const o = valued(flag);
    if (!o) continue;
    const repeatable = !o.variadic && o.parseArg !== undefined && (o as unknown as Record<symbol, boolean>)[SINGLE] !== true;
    if (!repeatable) return '';
    const name = o.long ?? flag;
    return `; ${name} takes one value per flag: repeat it (${name} ${echoInput(value)} ${name} ${echoInput(stray)})`;
  }
  return '';
}

/**
 * `--csv-raw` with an output that is not CSV does nothing (it writes CSV cells unguarded): refused in
 * one line, as README promises of an option that does nothing with the inputs given (it was
 * ignored: a script adding it to NDJSON output believed its values were written some "raw" way).
 * Call after the format is settled (formatFromOut). Throws InputError INPUT_BAD_OPTION.
 */
export function refuseCsvRawWithoutCsv(opts: { csvRaw?: boolean; format?: string }): void {
  if (opts.csvRaw && opts.format !== 'csv') {
    throw new InputError('INPUT_BAD_OPTION', `--csv-raw writes CSV cells unguarded, and the output is ${opts.format}: leave --csv-raw out (or give --format csv)`);
  }
}
