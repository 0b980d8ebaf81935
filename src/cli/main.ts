import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { formatLocation, InputError, isRowbackError, type RowbackError } from '../errors.js';
import { commandLineWith, optionShapes } from './command-line.js';
import { oneLineShellLine } from '../util/shell-word.js';
import { redactSecrets } from '../util/redact.js';
import { oneLineText } from '../util/echo.js';
import { sayLine } from './stderr-lines.js';
import { releaseStartupInterrupts, setStartupInterruptHook } from './interrupt.js';
import { REPORT_TIMES, refusalOf, writeRefusedReport } from './failed-report.js';
import { checkAllOptionValues, nameExcessArguments } from './options.js';
import { exitCodeWithStderrClosed, isOutputWriteFailure, noteStderrClosed, OUTPUT_FAILED_EXIT_CODE, resetOutputClosed, sayOutputClosed, sayOutputFailed } from './output-closed.js';

type CommandModule = { register(program: Command): void };

/**
 * `rowback --version`: package.json's own `version` (one place to change; it was a second copy
 * here). The same relative path from src/cli and dist/cli; read when the program is built.
 */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * Each command's module, loaded only when it is the one run (start-up cost: a command imports
 * its dependencies, and `rowback --version` or `rowback inspect FILE` should not pay for the
 * service's or the scanner's). Help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  decode: () => import('./commands/decode.js'),
  inspect: () => import('./commands/inspect.js'),
  scan: () => import('./commands/scan.js'),
  dump: () => import('./commands/dump.js'),
  log: () => import('./commands/log.js'),
  serve: () => import('./commands/serve.js'),
  token: () => import('./commands/serve.js'),
  restore: () => import('./commands/restore.js'),
  diff: () => import('./commands/diff.js'),
};

/**
 * `rowback` — every command prints its result on stdout and nothing else; errors are one line
 * on stderr (`CODE: message (location)`) with exit code 2 for bad input, 1 otherwise; 3 for an
 * INCOMPLETE result under `--strict` (strict.ts; `inspect`: whenever it reports damage), 130/143
 * interrupted, 141 output closed.
 */
/** The usage mistake commander said last (outputError), for the --report of a run refused as its options were read. */
let lastUsageError: string | undefined;

/**
 * The `--report` of scan, log, dump or diff refused while its options were read (an unknown option, a
 * value not among the choices, a value missing, --report given twice): the command's own refusal
 * (failed-report.ts) starts once they are parsed, so the previous run's report stayed, `"complete":
 * true` of other files, read by a script as this run's. Every --report value typed gets
 * `{ complete: false, failed }`, through writeRefusedReport (over no file, an empty one or an
 * earlier report only).
 */
function reportRefusedWhileParsing(argv: readonly string[], failed: ReturnType<typeof refusalOf>): void {
  const command = argv.find((a) => !a.startsWith('-'));
  if (!command || !REPORTING.has(command)) return;
  const paths: string[] = [];
  // every other word typed (an option's value, a positional argument) may name an input: a report
  // path that is one of them is not written (assertWritableOutput), as after parsing
  const others: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--report') {
      const v = argv[i + 1];
      if (v !== undefined && !v.startsWith('-')) {
        paths.push(v);
        i++;
      }
    } else if (a.startsWith('--report=')) paths.push(a.slice('--report='.length));
    else others.push(a.startsWith('--') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a);
  }
  const head = { times: REPORT_TIMES };
  for (const path of new Set(paths)) if (path) writeRefusedReport('--report', path, { opts: {}, args: others }, { ...head, complete: false, failed });
}

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command()
    .name('rowback')
    .description('SQL Server transaction-log forensic recovery: find, decode, review and re-insert deleted rows.')
    .version(packageVersion())
    .exitOverride()
    // A usage mistake is one line, like every other error (not the whole help after it).
    .configureOutput({
      outputError: (str, write) => {
        const text = str.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
        const hint = unquotedTimeHint(str, argv);
        const logTime = logTimeWindowHint(str, argv);
        // a mistyped option may hold a connection string (`--sever="Server=…;Password=…"`): redacted
        lastUsageError = `${logTime ?? (hint ? `${text.replace(/\.$/, '')}${hint}` : text)} (see ${helpCommandOf(argv)} --help)`;
        // one line whatever was typed: commander's own line breaks are spaces above, a control
        // character typed (an option named with a tab or ESC) is written `\u{…}` as in every line
        write(`${oneLineText(redactSecrets(`rowback: INPUT_BAD_OPTION: ${lastUsageError}`))}\n`);
      },
    });
  const name = argv.find((a) => !a.startsWith('-'));
  const versionOnly = !name && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V');
  const loaders = name && COMMANDS[name] ? [COMMANDS[name]] : versionOnly ? [] : [...new Set(Object.values(COMMANDS))];
  const loaded = new Set<CommandModule>();
  for (const load of loaders) {
    const m = await load();
    if (!loaded.has(m)) m.register(program);
    loaded.add(m);
  }
  // the exit codes a script branches on, under every command's --help (README "Exit codes at a
  // glance"): the help named --strict's 3 alone, and 1, 2, 130/143 and 141 only in the README
  program.addHelpText('afterAll', EXIT_CODES_HELP);
  // every command's options alike: an empty value, or one value given twice, is refused (options.ts)
  // a stray argument is named, and a repeatable option's second value told to repeat the flag (options.ts)
  return nameExcessArguments(checkAllOptionValues(program), argv);
}

/** The README's "Exit codes at a glance", as every `--help` ends (program.addHelpText 'afterAll'). */
export const EXIT_CODES_HELP = `
Exit codes:
  0        done, result written; an "INCOMPLETE: …" line on stderr means it is only
           part of what the inputs hold (--strict makes that 3)
  1        failure (SOURCE_*, STAGING_*, REINSERT_*, INTERNAL)
  2        bad input: arguments, or files missing, of the wrong kind, of two
           databases or too damaged to use (one stderr line naming the problem)
  3        with --strict: the result is INCOMPLETE, rows carry warnings, or a
           WARNING:/UNCHECKED: line was said (inspect: damage found, always)
  130/143  interrupted (Ctrl-C / SIGTERM): what was written is only part of it
  141      stdout closed by its reader (… | head): the output is cut`;

const SUBCOMMANDS: Record<string, readonly string[]> = { restore: ['plan', 'run'], token: ['create', 'list', 'revoke'] };

/**
 * The command whose --help lists the options a usage mistake is about: `rowback restore run`
 * for `rowback restore run --as x …` missing --server (it said `see rowback --help`, which lists
 * commands, not options); `rowback` for an unknown command.
 */
export function helpCommandOf(argv: readonly string[]): string {
  const [first, second] = argv;
  if (!first || !COMMANDS[first]) return 'rowback';
  if (second !== undefined && SUBCOMMANDS[first]?.includes(second)) return `rowback ${first} ${second}`;
  return `rowback ${first}`;
}

/** The options that take a time (scan's window, the stops of dump, diff and restore). */
const TIME_OPTIONS = new Set(['--from', '--to', '--stop-at', '--after-stop-at']);

/**
 * A time with a space in it, fn_dblog's `2018/08/26 21:19:07:573` (as "why no rows" prints it) or
 * `2018-08-26 21:19` (the form the help gives, `[T ]`), given unquoted to a time option: its time
 * of day is an extra argument and commander says only "too many arguments". Names the cause when
 * that is it; '' otherwise. It was said for fn_dblog's form to --from/--to only: `--stop-at
 * 2017-06-01 13:20` and `--from 2018-08-29 16:00` got the bare "too many arguments".
 */
function unquotedTimeHint(message: string, argv: readonly string[]): string {
  if (!/too many arguments/.test(message)) return '';
  for (let i = 0; i + 1 < argv.length; i++) {
    const eq = /^(--[a-z-]+)=(.*)$/.exec(argv[i]!);
    const [flag, date, time] = eq ? [eq[1]!, eq[2]!, argv[i + 1]!] : [argv[i]!, argv[i + 1], argv[i + 2]];
    if (!TIME_OPTIONS.has(flag) || date === undefined || time === undefined) continue;
    if (/^\d{4}([-/])\d{2}\1\d{2}$/.test(date) && /^\d{2}:\d{2}/.test(time)) {
      return `: ${flag} ${date} ${time} is one time with a space in it: quote it (${flag} '${date} ${time}')`;
    }
  }
  return '';
}

/**
 * `rowback log … --from TIME` (scan's time window given to log): commander said "unknown option
 * '--from' (Did you mean --format?)", sending a DBA after the wrong option. log selects by LSN; the
 * time window is scan's. The whole message then, or null for any other mistake.
 */
function logTimeWindowHint(message: string, argv: readonly string[]): string | null {
  if (argv[0] !== 'log') return null;
  const m = /unknown option '(--from|--to|--stop-at)(?:=[^']*)?'/.exec(message);
  if (!m) return null;
  return `unknown option '${m[1]}': rowback log selects records by LSN (--from-lsn, --to-lsn) or transaction (--transaction), not by time; the rows changed in a time window (server local time) are rowback scan --from TIME --to TIME, whose rows name their LSN and transactionId for rowback log --transaction ID`;
}

/** Commands that stop cleanly on Ctrl-C / SIGTERM and say INTERRUPTED (interrupt.ts); `plan` is `restore plan`. */
const OWN_SIGNAL_HANDLING = new Set(['scan', 'dump', 'log', 'diff', 'inspect', 'decode', 'plan']);

/** Commands whose `--report` a refused, failed or interrupted run replaces (failed-report.ts). */
const REPORTING = new Set(['scan', 'dump', 'log', 'diff']);

export async function main(argv: string[]): Promise<number> {
  resetOutputClosed(helpCommandOf(argv));
  let parsed = false;
  // the command run (preAction): its options say which take several values, for a refusal's whole command line
  let ran: Command | undefined;
  // the parsed command's refused report (preAction), for a refusal its own reportingFailure does not
  // see: --report naming another output (`--out F --report F`), an option refused before its run
  let reportRefusal: ((failed: ReturnType<typeof refusalOf>) => void) | undefined;
  lastUsageError = undefined;
  try {
    const program = await buildProgram(argv);
    // bin/rowback.js's start-up Ctrl-C listener gives way to Node's default when the action starts,
    // except for the commands that listen themselves (from a point of their action on): it stays
    // (deferring to theirs) so that no gap is left in which a signal ends them silently.
    program.hook('preAction', (_program, action) => {
      parsed = true;
      ran = action;
      if (!OWN_SIGNAL_HANDLING.has(action.name())) releaseStartupInterrupts();
      // a signal before the command listens itself (while scan opens its files, say) exits from
      // bin/rowback.js: the report is replaced there too, or the previous run's stayed, read as this one's
      const report = (action.opts() as { report?: unknown }).report;
      if (REPORTING.has(action.name()) && typeof report === 'string') {
        // diff's --stage is written too (diff.ts runDiff): an output, never an input
        const inputs = { opts: action.opts(), args: action.args, ...(action.name() === 'diff' ? { outputs: ['out', 'report', 'stage'] } : {}) };
        const head = { times: REPORT_TIMES };
        // (bin/rowback.js writes the line: the path made one line here, as every line's data is)
        setStartupInterruptHook((sig) => (writeRefusedReport('--report', report, inputs, { ...head, complete: false, interrupted: sig }) ? `; --report ${oneLineText(report)} says so` : undefined));
        reportRefusal = (failed) => void writeRefusedReport('--report', report, inputs, { ...head, complete: false, failed });
      }
    });
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode !== 0 && !parsed) reportRefusedWhileParsing(argv, { code: 'INPUT_BAD_OPTION', message: lastUsageError ?? e.message.replace(/^error: /, '') });
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isRowbackError(e)) {
      // a fix the refusal gives in its options' words: the whole command line instead, to copy
      if (e instanceof InputError && e.fix && ran) wholeCommandFix(e, argv, ran);
      // refused while the options were read (a value checked as it is parsed): no command ran to write its report
      if (!parsed) reportRefusedWhileParsing(argv, refusalOf(e));
      // refused after the options parsed but before the command's own reportingFailure ran
      // (--report F --out F; dump's --csv-raw without CSV, a --format its --out contradicts): the
      // earlier report (complete: true of other files) is replaced, as any refused run's
      // (writeRefusedReport: over no file, an empty one or an earlier report only); a refusal the
      // command's reportingFailure wrote is written again, the same
      else reportRefusal?.(refusalOf(e));
      // messages echo what was typed (a stray argument, a value): no password in any form gets out;
      // and one line whatever they name (a path holding a line break: stderr-lines.ts sayLine)
      sayLine(`rowback: ${redactSecrets(cliDescribe(e))}`);
      return e.exitCode;
    }
    // A write to stdout after its reader went away may throw here (a synchronous pipe write) as well
    // as reach stdout's 'error' listener below: one line either way, never INTERNAL beside it.
    if (isOutputClosed(e)) {
      sayOutputClosed();
      return 141;
    }
    // stdout written to a full disk (`… > rows.ndjson`, ENOSPC), or failing otherwise: one line, as
    // for an --out file, not INTERNAL and a stack trace
    if (isOutputWriteFailure(e)) {
      sayOutputFailed(e);
      return OUTPUT_FAILED_EXIT_CODE;
    }
    const err = e as Error;
    sayLine(`rowback: INTERNAL: ${redactSecrets(err?.message ?? String(e))}`);
    // a stack trace is several lines on purpose (ROWBACK_DEBUG only): written as it is
    if (process.env.ROWBACK_DEBUG) process.stderr.write(`${redactSecrets(String(err?.stack))}\n`);
    return 1;
  } finally {
    // the command ended (or was refused before it listened itself): no report to replace any more
    setStartupInterruptHook(undefined);
  }
}

/**
 * `e`'s message with its fix (InputError.fix: `give it once: --bak F F --position 1,2`) as the whole
 * command line typed (`argv`), the fix's options given their values (command-line.ts): what a DBA
 * copies and runs, put in the fix's place by the refusal itself (InputError.messageWithFix: the
 * message's parts around the fix are data, not found by its text). `command`, the command run, says
 * which options take a value, and several (optionShapes). A line holding a password (redact.ts: a
 * path `…;Password=…`) is not given: printed, the password became `***` and the rest of the line
 * with it (`--out '/x;Password=***`, its quote never closed), a line that runs something else; the
 * options alone are said instead, with why. A password is looked for in the words themselves as well
 * as in the line: quoting can hide one from redactSecrets (a path `rows<LF>Pwd=…` is the word
 * `"$(printf 'rows\012Pwd=…')"`, whose `Pwd=` follows no `;` or space, and was printed whole). A
 * line that cannot be printed as one line a shell reads back (util/shell-word.ts oneLineShellLine: a
 * file name ending in a line break) is not given either: the options alone, with why.
 */
function wholeCommandFix(e: InputError, argv: readonly string[], command: Command): void {
  const fix = e.fix!;
  const line = commandLineWith(argv, fix.options, optionShapes(command));
  const words = [...argv, ...fix.options.flatMap((o) => o.values ?? [])];
  const password = redactSecrets(line) !== line || words.some((w) => redactSecrets(w) !== w);
  // a word no one-line command gives (a file name ending in a line break, kept literally by
  // shellWord; an unpaired surrogate): printed through sayLine it read `'end\u{a}'`, another file
  const oneLine = oneLineShellLine(line);
  const said = password
    ? `${fix.said} (the whole command is not shown: it holds a password)`
    : !oneLine
      ? `${fix.said} (the whole command is not shown: a word of it, a line break at the end of a file name or half of a UTF-16 surrogate pair, cannot be written on one line that a shell reads back as it is)`
      : line;
  e.message = e.messageWithFix(said);
}

/** A write failed because the reader of the pipe closed it (`rowback … | head`). */
function isOutputClosed(e: unknown): boolean {
  const x = e as NodeJS.ErrnoException | null;
  return x?.code === 'EPIPE' && x.syscall === 'write';
}

// Run when executed directly (bin/rowback.js, `tsx src/cli/main.ts`).
const invoked = process.argv[1] ?? '';
if (/[\\/]cli[\\/]main\.(t|j)s$/.test(invoked) || /[\\/]rowback(\.js)?$/.test(invoked)) {
  // `rowback scan … | head`: the reader stopped early. Not a crash, but not a whole result either:
  // said on stderr, and the exit code is a shell's for a writer killed by SIGPIPE (128 + 13), so a
  // script with `set -o pipefail` sees it (it was 0: a cut result looked complete).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      sayOutputClosed();
      process.exit(141);
    }
    // any other failed write (a full disk: ENOSPC): one line and exit 2, as for an --out file; it
    // was rethrown here, an uncaught exception's stack trace after the INTERNAL line
    if (isOutputWriteFailure(e)) {
      sayOutputFailed(e);
      process.exit(OUTPUT_FAILED_EXIT_CODE);
    }
    throw e;
  });
  // stderr closed early while stdout is elsewhere (`rowback scan --out F 2>&1 | head`): the command
  // goes on and writes its result whole, nothing more is said, and a 0 becomes 141 (output-closed.ts).
  // It was an uncaught 'error' event: exit 1, the --out file cut where the failed line was written.
  let finished = false;
  process.stderr.on('error', () => {
    noteStderrClosed();
    // the failed write's error can come after main() returned (its last line): the code is set here then
    if (finished) process.exitCode = exitCodeWithStderrClosed(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  main(process.argv.slice(2)).then((code) => {
    releaseStartupInterrupts();
    finished = true;
    process.exitCode = exitCodeWithStderrClosed(code);
  });
}

/**
 * The command-line flag a location's `field` stands for where the error was raised in code shared
 * with the API (replay/, restore/), which names the request field (`afterBak`, `key`): the CLI names
 * the option typed (`option --after-bak`); "(field afterBak)" named a field no command line has.
 */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  afterBak: '--after-bak', afterMdf: '--after-mdf', afterTrn: '--after-trn', afterPosition: '--after-position',
  afterStopAt: '--after-stop-at', afterStopBeforeLsn: '--after-stop-before-lsn', stopAt: '--stop-at', stopBeforeLsn: '--stop-before-lsn',
  position: '--position', bak: '--bak', trn: '--trn', table: '--table', key: '--key',
};

/** `CODE: message (location)` as the CLI prints it: a field named as the option it stands for. */
function cliDescribe(e: RowbackError): string {
  const field = e.location.field;
  const flag = field === undefined ? undefined : field.startsWith('--') ? field : FLAG_OF_FIELD[field];
  if (flag === undefined) return e.describe();
  const where = [formatLocation({ ...e.location, field: undefined }), `option ${flag}`].filter(Boolean).join(', ');
  return `${e.code}: ${e.message} (${where})`;
}
