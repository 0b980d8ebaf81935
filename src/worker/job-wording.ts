/**
 * The library's messages (refusals, INCOMPLETE and notes, skipped items' reasons, row warnings) are
 * written for the command line: they name `rowback scan`'s, `diff`'s and `dump`'s flags (`--ddl`,
 * `--trn`, `--stop-at`, …). A job's caller sends a JSON spec (job-spec.ts), which has fields, not
 * flags: "pass --ddl …" names nothing a request can hold. jobWording says each message as the caller
 * of a job of a given kind reads it, one table per kind: a flag the kind has a field for becomes the
 * field as the request spells it (`metadata.ddl`, `acceptLayoutDrift: true`); a flag of another kind
 * names that kind's field (`trn (a files job)`); a flag no job takes (`--from-lsn`) names
 * the CLI command to run instead, in backticks. A command already in backticks is advice to run it:
 * its flags stay. A command written without backticks (`rowback log --alloc-unit ID`) is put in
 * backticks first, so it stays a command to run.
 */
import type { JobSpec } from './job-spec.js';
import { oneLineText } from '../util/echo.js';
import { BRACKETED_NAME_SOURCE } from '../util/identifier-text.js';
import { quotedShellWordSource, shellPath, shellWord, shellWordValue } from '../util/shell-word.js';

export type JobWordingKind = JobSpec['kind'];

/** Where a flag goes in a job: a field of this kind (`field`), of another kind (`kind`), or nowhere (`say`). */
export interface FlagWording {
  /** The CLI flag, `--ddl`. */
  flag: string;
  /** The job field it stands for, dotted as the request nests it (`metadata.ddl`); checked against the zod schema by the tests. */
  field?: string;
  /** For a boolean flag: the value the field takes (`acceptLayoutDrift: true`). */
  value?: 'true';
  /** The job kind whose field it is, when not the message's own job's kind. */
  kind?: JobWordingKind;
  /** Said instead when no job takes the flag: a CLI command in backticks, or what the caller can do. */
  say?: string;
  /** The CLI command the flag is an option of, when not the table's (`scan` for a scan flag in a restore job's table). */
  command?: string;
}

/** A phrase said as a whole (a flag with its argument, or a sentence whose way on a job cannot take): exact text. */
export interface PhraseWording {
  cli: string;
  job: string;
}

const f = (flag: string, field: string, extra: Partial<FlagWording> = {}): FlagWording => ({ flag, field, ...extra });

/** Flags every scan job kind has a field for (the window, tables, metadata: job-spec.ts `window`). */
const SCAN_COMMON: FlagWording[] = [
  f('--from', 'from'), f('--to', 'to'), f('--table', 'tables'), f('--op', 'operations'),
  f('--ddl', 'metadata.ddl'), f('--schema', 'metadata.catalog'), f('--type-alias', 'metadata.typeAliases'), f('--collation', 'metadata.collation'),
  f('--catalog-any-database', 'metadata.catalogAnyDatabase', { value: 'true' }), f('--alloc-unit', 'metadata.allocUnit(s)'),
  f('--accept-layout-drift', 'acceptLayoutDrift', { value: 'true' }),
];

const FILES_FLAGS: FlagWording[] = [f('--mdf', 'mdf'), f('--bak', 'bak'), f('--ldf', 'ldf'), f('--trn', 'trn'), f('--position', 'position')];
const LIVE_FLAGS: FlagWording[] = [f('--server', 'server'), f('--database', 'database'), f('--inactive-log', 'inactiveLog', { value: 'true' })];
/** A live, log-backup or export job's field (a files job reads the layout its files or metadata give: no drift check). */
const SCHEMA_DRIFT = f('--accept-schema-drift', 'acceptSchemaDrift', { value: 'true' });
const SCHEMA_DRIFT_ELSEWHERE: FlagWording = { flag: '--accept-schema-drift', say: 'acceptSchemaDrift: true (a live, log-backup or export job, with the old layout in its metadata)' };
const EXPORT_FLAGS: FlagWording[] = [f('--export', 'file')];

/** The flags of one kind, said as another kind's fields. */
const other = (kind: JobWordingKind, flags: FlagWording[]): FlagWording[] => flags.map((x) => ({ ...x, kind }));

/**
 * Flags no job takes: a job's window is by time and its tables (no LSN range, transaction, login
 * filter), and it decodes on one thread.
 */
const SCAN_CLI_ONLY: FlagWording[] = [
  { flag: '--from-lsn', say: '`rowback scan --from-lsn` (a job\'s window is from/to, by time)' },
  { flag: '--to-lsn', say: '`rowback scan --to-lsn` (a job\'s window is from/to, by time)' },
  { flag: '--transaction', say: '`rowback scan --transaction`' },
  { flag: '--sid', say: '`rowback scan --sid`' },
  { flag: '--login', say: '`rowback scan --login`' },
  { flag: '--db-user', say: '`rowback scan --db-user`' },
  { flag: '--threads', say: '`rowback scan --threads`' },
  { flag: '--decode-threads', say: '`rowback scan --decode-threads`' },
  { flag: '--query-timeout', say: '`rowback scan --query-timeout`' },
  { flag: '--hold-memory', say: '`rowback scan --hold-memory`' },
  { flag: '--temp-dir', say: '`rowback scan --temp-dir`' },
];

/**
 * Phrases of scan jobs said whole (before the flags one by one): a flag with its argument, and the
 * ways on of messages a job takes otherwise. Longest first where one holds another.
 */
const SCAN_PHRASES: PhraseWording[] = [
  { cli: '--alloc-unit SCHEMA.NAME=ID', job: 'metadata.allocUnits { "SCHEMA.NAME": "ID" }' },
  { cli: '--alloc-unit ID', job: 'metadata.allocUnit "ID"' },
  { cli: '--ddl CREATE-TABLE.sql', job: 'metadata.ddl (the CREATE TABLE script)' },
  { cli: '--schema CATALOG.json', job: 'metadata.catalog (the catalog JSON)' },
  { cli: '--mdf FILE.mdf', job: 'mdf' },
  { cli: '--bak FILE.bak', job: 'bak' },
  // a backup reader's refusal of a data file names diff's flag beside scan's (backup/mtf.ts)
  { cli: ' (diff: --after-mdf)', job: '' },
  { cli: ' (scan --collation, a job\'s metadata.collation)', job: ' (metadata.collation)' },
  { cli: 'give it as the log (scan --ldf FILE, log FILE)', job: 'give it in "ldf"' },
  { cli: 'give the table layout with --ddl or --schema (scan, log)', job: 'give the table layout in metadata.ddl or metadata.catalog' },
];

/**
 * A live, log-backup or export job's SOURCE_SCHEMA_DRIFT (logreader/live/drift.ts driftExplanation,
 * committed.ts schema-drift clause): the CLI's way on, `--accept-schema-drift` with the old layout in
 * `--schema`/`--ddl`, is a new job with `acceptSchemaDrift: true` and that layout in its metadata.
 */
const DRIFT_PHRASES: PhraseWording[] = [
  {
    cli: 'Decode with the layout that was in force instead (--schema CATALOG.json saved before the change, or --ddl with the old CREATE TABLE).',
    job: 'Decode with the layout that was in force instead: a new job with acceptSchemaDrift: true and that layout in metadata.catalog (the catalog JSON saved before the change) or metadata.ddl (the old CREATE TABLE).',
  },
  { cli: 'the same --schema/--ddl route applies.', job: 'the same route applies (acceptSchemaDrift: true with the old layout in metadata).' },
  {
    cli: '(--schema/--ddl do not bring them back; the scan says INCOMPLETE): scan the log offline (--trn/--ldf) with a data file or backup from before the change for those.',
    job: '(no layout brings them back; the job says INCOMPLETE): for those, run a files job on the log (trn or ldf) with a data file or backup from before the change (mdf or bak).',
  },
  {
    cli: '--accept-schema-drift with their old layout in --schema/--ddl decodes them',
    job: 'a new job with acceptSchemaDrift: true and their old layout in metadata.catalog or metadata.ddl decodes them',
  },
];

/**
 * What a restore job's caller reads for the flags of the other commands its readers' messages name
 * (a backup or data file reader's "give it with --mdf", a row decoded from pages warning of a
 * layout "--schema" would give, the chain's "plan from msdb (--server)"): a data file is the later
 * state's (afterMdf); the rest are a files job's fields or `rowback restore plan`'s.
 */
const RESTORE_OTHERS: FlagWording[] = [
  f('--mdf', 'afterMdf', { command: 'dump' }),
  ...[...SCAN_COMMON.filter((x) => x.flag !== '--table'), f('--ldf', 'ldf')].map((x) => ({ ...x, kind: 'files' as const, command: 'scan' })),
  ...other('live', LIVE_FLAGS).filter((x) => x.flag === '--inactive-log').map((x) => ({ ...x, command: 'scan' })),
  f('--log-backup', 'logBackups', { kind: 'log-backup', command: 'scan' }), ...other('export', EXPORT_FLAGS).map((x) => ({ ...x, command: 'scan' })),
  { flag: '--server', say: '`rowback restore plan --server …` (msdb\'s backup history; a restore job reads the files it is given)', command: 'restore plan' },
  { flag: '--database', say: '`rowback restore plan --database`', command: 'restore plan' },
  { flag: '--backups', say: '`rowback restore plan --backups`', command: 'restore plan' },
  { ...SCHEMA_DRIFT_ELSEWHERE, command: 'scan' }, ...SCAN_CLI_ONLY.map((x) => ({ ...x, command: 'scan' })),
];

/** The `rowback diff`/`dump` flags a restore job's fields stand for (job-spec.ts RestoreJobSpec). */
const RESTORE_FLAGS: FlagWording[] = [
  f('--after-stop-before-lsn', 'afterStopBeforeLsn'), f('--after-stop-at', 'afterStopAt'), f('--after-trn', 'afterTrn'), f('--after-bak', 'afterBak'),
  f('--after-mdf', 'afterMdf'), f('--after-position', 'afterPosition'), f('--position', 'position'), f('--stop-before-lsn', 'stopBeforeLsn'), f('--stop-at', 'stopAt'),
  f('--accept-older-later', 'acceptOlderLater', { value: 'true' }), f('--trn', 'trn'), f('--bak', 'bak'), f('--table', 'table'), f('--key', 'key'),
];

/**
 * Each job kind's flags and phrases. The CLI command each kind's flags are of (`scan` for the scan
 * kinds, `diff` for restore) is `command`; the tests check every flag is an option of it and every
 * field one of the kind's schema.
 */
export const JOB_WORDING: Record<JobWordingKind, { command: string; flags: FlagWording[]; phrases: PhraseWording[] }> = {
  files: {
    command: 'scan',
    flags: [...FILES_FLAGS, ...SCAN_COMMON, ...other('live', LIVE_FLAGS), f('--log-backup', 'logBackups', { kind: 'log-backup' }), ...other('export', EXPORT_FLAGS), SCHEMA_DRIFT_ELSEWHERE, ...SCAN_CLI_ONLY],
    phrases: SCAN_PHRASES,
  },
  live: {
    command: 'scan',
    flags: [...LIVE_FLAGS, SCHEMA_DRIFT, ...SCAN_COMMON, f('--log-backup', 'logBackups', { kind: 'log-backup' }), ...other('files', FILES_FLAGS), ...other('export', EXPORT_FLAGS), ...SCAN_CLI_ONLY],
    phrases: [...DRIFT_PHRASES, ...SCAN_PHRASES],
  },
  'log-backup': {
    command: 'scan',
    // its log backups are read by the server (fn_dump_dblog): `--trn`'s "add the log backups" is logBackups
    flags: [f('--server', 'server'), f('--database', 'database'), f('--log-backup', 'logBackups'), f('--trn', 'logBackups'), SCHEMA_DRIFT, ...SCAN_COMMON,
      f('--inactive-log', 'inactiveLog', { kind: 'live', value: 'true' }), ...other('files', FILES_FLAGS.filter((x) => x.flag !== '--trn')), ...other('export', EXPORT_FLAGS), ...SCAN_CLI_ONLY],
    phrases: [...DRIFT_PHRASES, ...SCAN_PHRASES],
  },
  export: {
    command: 'scan',
    flags: [...EXPORT_FLAGS, SCHEMA_DRIFT, ...SCAN_COMMON, ...other('files', FILES_FLAGS), ...other('live', LIVE_FLAGS), f('--log-backup', 'logBackups', { kind: 'log-backup' }), ...SCAN_CLI_ONLY],
    phrases: [...DRIFT_PHRASES, ...SCAN_PHRASES],
  },
  restore: { command: 'diff', flags: [...RESTORE_FLAGS, ...RESTORE_OTHERS], phrases: [{ cli: 'give it with --mdf (diff: --after-mdf)', job: 'give it in "afterMdf"' }] },
};

/** Each kind's flags by their text, built once (jobWording runs for every row warning a job stages). */
const FLAGS_BY_KIND = Object.fromEntries(Object.entries(JOB_WORDING).map(([k, t]) => [k, new Map(t.flags.map((x) => [x.flag, x]))])) as Record<JobWordingKind, Map<string, FlagWording>>;
/** Every phrase's CLI text holds `--`: then a text without `--` or `rowback ` has nothing to reword. */
const PHRASES_HOLD_FLAGS = Object.values(JOB_WORDING).every((t) => t.phrases.every((p) => p.cli.includes('--')));

/** How a flag is said in a job of `kind` (one flag). */
function fieldWords(x: FlagWording): string {
  if (x.say !== undefined) return x.say;
  return `${x.field}${x.value ? `: ${x.value}` : ''}`;
}

/** A run of flags joined by `/` (`--mdf/--bak`), said once with the kind they share: `trn/ldf (a files job)`. */
function runWords(xs: FlagWording[]): string {
  if (xs.some((x) => x.say !== undefined)) return xs.map(fieldWords).join('/');
  const kinds = [...new Set(xs.map((x) => x.kind))];
  if (kinds.length === 1 && kinds[0] !== undefined) return `${xs.map(fieldWords).join('/')} (${kindJob(kinds[0])})`;
  return xs.map((x) => (x.kind ? `${fieldWords(x)} (${kindJob(x.kind)})` : fieldWords(x))).join('/');
}

const kindJob = (k: JobWordingKind): string => (k === 'export' || k === 'files' ? `a${k === 'export' ? 'n' : ''} ${k} job` : `a ${k} job`);

/** A command written without backticks: `rowback CMD` and its flags and their arguments. */
// (a value jobWording set aside, `\u0001N\u0002`, is one argument: a path holding `--`)
const BARE_COMMAND = /\browback (?:restore plan|restore run|scan|log|dump|diff|inspect|serve|decode|token create)(?: (?:--[a-z][a-z-]*|…|\[[^\]\s]*\]|[A-Z0-9][^\s,;()`]*|[^\s,;()`]+\.[a-z]{2,4}(?=[\s,;)]|$)|\u0001\d+\u0002))*/g;
const FLAG = /(?<![\w-])--[a-z][a-z-]*(?:\/--[a-z][a-z-]*)*(?![\w-])/g;

/**
 * `text` (a message, reason, note or warning the library wrote for the command line) as a job of
 * `kind` says it: each of its command's flags outside backticks said as the job's field (or another
 * kind's, or the command to run instead: JOB_WORDING), a command without backticks put in them.
 * A flag the kind's table lacks is left as it is (the tests catch one reaching a job's answer).
 *
 * Values are never rewritten: a message quotes data (a row value, a file path, a table or login
 * name) that may itself hold `--ddl`, `rowback scan --x` or a backtick, and a DBA re-inserts what a
 * row warning quotes. Kept verbatim: every occurrence of a string of `values`, as it is or as a line
 * writes it (oneLineText: `\u{a}` for a line break; the job's own fields,
 * the row's values, the item's file/table/column: the caller's), and every quoted span the library
 * writes values in (`'…'`, as echoInput and the readers quote, a JSON string `"…"`, a `[name]`) — each only
 * when it holds something the rewriting would touch (`--`, a backtick, `rowback `). A backtick in a
 * value no longer shifts which parts are taken as commands.
 */
export function jobWording(kind: JobWordingKind, text: string, values: readonly string[] = []): string {
  // nothing to reword: no flag, phrase or bare command (every phrase's CLI text holds `--`)
  if (PHRASES_HOLD_FLAGS && !text.includes('--') && !text.includes('rowback ')) return text;
  const kept: string[] = [];
  const keep = (span: string): string => {
    kept.push(span);
    return `\u0001${kept.length - 1}\u0002`;
  };
  let masked = text;
  // each value also as a line names it (util/echo.ts oneLineText: a path's line break as `\u{a}`,
  // as echoInput and the CLI's lines write it): the escaped form did not match the raw value, and a
  // `--mdf` inside the path `/data/p<LF>--mdf x.bak` was reworded to `afterMdf`, another path
  // and as an advised command line names it (util/shell-word.ts shellWord: `'/data/a --ddl b.bak'`),
  // set aside whole: its `--ddl` is the path's, and listAsFields reads the word back as the path
  const shown = values.flatMap((v) => [oneLineText(v), shellWord(v), shellPath(v)].filter((x) => x !== v));
  const spans = valueSpans(text, shown.length ? [...values, ...shown] : values);
  if (spans.length) {
    let at = 0;
    let out = '';
    for (const [from, to] of spans) {
      out += text.slice(at, from) + keep(text.slice(from, to));
      at = to;
    }
    masked = out + text.slice(at);
  }
  masked = masked.replace(QUOTED, (span) => (rewritable(span) ? keep(span) : span));
  const said = rewordFlags(kind, masked, kept, keep);
  return kept.length === 0 ? said : said.replace(/\u0001(\d+)\u0002/g, (_, i: string) => kept[Number(i)]!);
}

/**
 * Where in `text` the strings of `values` stand as values, as [from, to) character spans, sorted and
 * disjoint (a longer value first where two overlap). An occurrence is not a value where it cuts a
 * flag the text names (FLAG): a row value or name `--` (a placeholder in a varchar column) matched
 * the start of every `--collation`/`--ddl` of the row's warnings and left them all unreworded; nor
 * is a value that is itself a flag (a request string `--trn`): it matched the flag the message names
 * outside any value. Such a value quoted by the message ('…', "…", […]) is kept by QUOTED; unquoted,
 * it cannot be told from the flag, and is said as the flag is. Pure.
 */
function valueSpans(text: string, values: readonly string[]): [number, number][] {
  const vs = [...new Set(values.filter((v) => text.includes(v) && rewritable(v) && !FLAG_ONLY.test(v)))];
  if (!vs.length) return [];
  // each flag alone, a run's too (`--mdf/--bak`): a value ending `… --mdf` before `/--bak` holds its flag whole
  const flags = [...text.matchAll(ONE_FLAG)].map((m) => [m.index, m.index + m[0].length] as const);
  const cuts = (from: number, to: number) => flags.some(([a, b]) => a < to && from < b && !(from <= a && b <= to));
  const spans: [number, number][] = [];
  for (const v of vs.sort((a, b) => b.length - a.length)) {
    for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) {
      const end = i + v.length;
      if (cuts(i, end) || spans.some(([a, b]) => a < end && i < b)) continue;
      spans.push([i, end]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** A flag (or a run) then one word quoted for the shell or set aside: fieldValue's candidates. */
const FLAG_ARGUMENT = new RegExp(`(${FLAG.source}) (${quotedShellWordSource()}|\\u0001\\d+\\u0002)`, 'g');

/** One flag, alone or in a run. */
const ONE_FLAG = /(?<![\w-])--[a-z][a-z-]*(?![\w-])/g;

/** A string that is nothing but a flag or a run of them (`--trn`, `--mdf/--bak`). */
const FLAG_ONLY = /^--[a-z][a-z-]*(?:\/--[a-z][a-z-]*)*$/;

/** Could the rewriting change `s`: a flag-like `--`, a backtick, a bare `rowback ` command. */
const rewritable = (s: string): boolean => s.length > 1 && (s.includes('--') || s.includes('`') || s.includes('rowback '));

/**
 * A quoted value as the library writes one: a JSON string (`JSON.stringify`, escapes and all), or
 * text in single quotes opened and closed outside a word (so a possessive `job's` opens none), or a
 * bracketed SQL name (`[x --from]`) with any `]` of it doubled as QUOTENAME and identifierText write
 * it (`[x]]--ddl y]` is one name, `x]--ddl y`: taken to its first `]`, the rest of the name was
 * reworded, `[x]]metadata.ddl y]`, a column the row has not).
 */
const QUOTED = new RegExp(String.raw`"(?:[^"\\\n]|\\.)*"|(?<![\w'])'[^'\n]*'(?![\w])|${BRACKETED_NAME_SOURCE}`, 'g');

/**
 * One word of an advised command line as the library writes it: a path quoted by util/shell-word.ts
 * shellWord (`'my dir/F.bak'`, `"$(printf '…')"`, PowerShell's forms), a value set aside
 * (`\u0001N\u0002`), or a bare word.
 */
const SHELL_WORD_SOURCE = `(?:${quotedShellWordSource()}|[^\\s;,()\`]+)`;
const SHELL_WORD = new RegExp(SHELL_WORD_SOURCE, 'g');

/**
 * `--bak F G --position 1,2` (or `--after-bak … --after-position …`): files (shell words, values
 * set aside, `\u0001N\u0002`) then a list of two or more set numbers.
 */
const POSITION_LIST = new RegExp(`(?<![\\w-])--(after-)?bak ((?:${SHELL_WORD_SOURCE} )+?)--(after-)?position (\\d+(?:,\\d+)+)(?![\\w,])`, 'g');

/** `word` itself, or the value it stands for when it is one set aside (`\u0001N\u0002`: `kept[N]`). */
function keptText(word: string, kept: readonly string[]): string {
  const aside = /^\u0001(\d+)\u0002$/.exec(word);
  return aside ? kept[Number(aside[1])]! : word;
}

/**
 * A flag's argument as a job's field holds it: a word quoted for the shell (shellWord: `'my dir/F.bak'`)
 * as the JSON string of the path it stands for (`"my dir/F.bak"`), the `'…'` and `'\''` being the
 * shell's, not the file's; a value set aside (`\u0001N\u0002`, `kept`) likewise when it is such a
 * word. Undefined for a word shellWord would leave bare, or that is no word of its: said as it stands.
 */
function fieldValue(word: string, kept: readonly string[]): string | undefined {
  const text = keptText(word, kept);
  const value = shellWordValue(text);
  return value === undefined || value === text ? undefined : JSON.stringify(value);
}

/**
 * One POSITION_LIST match as a restore job's fields: `"bak": ["F", "G"], "position": [1, 2]`, each
 * file the JSON string of the path (a shell-quoted word read back: `'it'\''s.bak'` was given as the
 * array item `"'it'\\''s.bak'"`, a file of that name; `'my dir/F.bak'` as two items, `"'my"`). `keep`
 * sets each item aside (jobWording's), so the flags' rewording after this leaves it as it is.
 */
function listAsFields(kept: readonly string[], keep: (span: string) => string, whole: string, afterBak: string | undefined, files: string, afterPosition: string | undefined, list: string): string {
  if (!!afterBak !== !!afterPosition) return whole;
  // each set aside as a whole: the flags' rewording after this does not reach into a path
  const names = [...files.matchAll(SHELL_WORD)].map(([x]) => keep(fieldValue(x, kept) ?? JSON.stringify(keptText(x, kept))));
  const [bak, position] = afterBak ? ['afterBak', 'afterPosition'] : ['bak', 'position'];
  return `"${bak}": [${names.join(', ')}], "${position}": [${list.split(',').join(', ')}]`;
}

/** jobWording's rewriting proper, on a text whose values are already set aside. */
function rewordFlags(kind: JobWordingKind, text: string, kept: readonly string[], keep: (span: string) => string): string {
  const table = JOB_WORDING[kind];
  const byFlag = FLAGS_BY_KIND[kind];
  // a bare command (`rowback log --alloc-unit ID`) is put in backticks: advice to run it, flags and all
  const quoted = text.includes('rowback ') ? text.split('`').map((part, i) => (i % 2 === 1 ? part : part.replace(BARE_COMMAND, (cmd) => (/ --[a-z]/.test(cmd) ? `\`${cmd}\`` : cmd)))).join('`') : text;
  // a restore job's files and set numbers as a list (`--bak F F --position 1,2`, the form dump and diff
  // take): the job's arrays, which the API takes ("position": [1, 2]); word by word it read
  // `bak F F position 1,2`, and "position": "1,2" is refused (a number or an array of numbers)
  let out = kind === 'restore' ? quoted.split('`').map((part, i) => (i % 2 === 1 ? part : part.replace(POSITION_LIST, (...m: string[]) => listAsFields(kept, keep, m[0]!, m[1], m[2]!, m[3], m[4]!)))).join('`') : quoted;
  for (const p of table.phrases) {
    if (!out.includes(p.cli)) continue;
    out = out.split('`').map((part, i) => (i % 2 === 1 ? part : part.split(p.cli).join(p.job))).join('`');
  }
  // a flag's argument quoted for the shell (`--trn 'my dir/L.trn'`, shellWord) said as the JSON
  // string the field holds, where the flag is said as a field: `trn "my dir/L.trn"`, not the shell's
  // `trn 'my dir/L.trn'` (whose `'\''` and `"$(printf …)"` no request takes)
  out = out.split('`').map((part, i) => (i % 2 === 1 ? part : part.replace(FLAG_ARGUMENT, (whole, run: string, word: string) => {
    const value = run.split('/').every((fl) => byFlag.get(fl)?.field !== undefined) ? fieldValue(word, kept) : undefined;
    return value === undefined ? whole : `${run} ${keep(value)}`;
  }))).join('`');
  // phrases may add backticks of their own: split again
  return out
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(FLAG, (run) => {
      const xs = run.split('/').map((fl) => byFlag.get(fl));
      if (xs.some((x) => x === undefined)) return run.split('/').map((fl) => (byFlag.get(fl) ? runWords([byFlag.get(fl)!]) : fl)).join('/');
      return runWords(xs as FlagWording[]);
    })))
    .join('`');
}

/**
 * The strings of a job's request or of a row (`x`: a spec, a row's values, a skipped item's
 * location), every string leaf to 6 levels down that the rewriting could change (holding `--`, a
 * backtick or `rowback `): the values jobWording keeps verbatim. Only those are kept, so a job's
 * catalog JSON of thousands of rows gives a short list, built once per job, not per message. Byte
 * buffers and numbers are skipped (the rewriting touches text only).
 */
export function stringsOf(x: unknown, depth = 0, out: string[] = []): string[] {
  if (typeof x === 'string') {
    if (rewritable(x)) out.push(x);
  } else if (x !== null && typeof x === 'object' && depth < 6 && !ArrayBuffer.isView(x)) {
    for (const v of Array.isArray(x) ? x : Object.values(x)) stringsOf(v, depth + 1, out);
  }
  return out;
}

/** A restore job's wording (jobWording('restore', text)): `rowback diff`/`dump`'s flags as the job's fields. */
export function restoreJobWording(text: string, values: readonly string[] = []): string {
  return jobWording('restore', text, values);
}
