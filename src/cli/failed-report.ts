import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { assertWritableOutput, type CommandInputs } from './files.js';
import { setOutputCutHook } from './output-closed.js';
import { InputError, isRowbackError, type ErrorLocation } from '../errors.js';
import { redactDeep, redactSecrets } from '../util/redact.js';
import { sayLine } from './stderr-lines.js';

/** The `times` of scan's and log's reports (and of their refused, failed or interrupted runs'). */
export const REPORT_TIMES = "YYYY-MM-DDTHH:MM:SS.fff, the SQL Server's local time (no zone: log times carry none)";

/**
 * How a report of rowback starts: `{ "times": …` (scan, log), `{ "source": …` (dump), `{ "complete": …`
 * (a refused run's, and bin/rowback.js's start-up one). bin/rowback.js repeats it in plain JS (it runs
 * before the compiled code is chosen); test/cli/bin-report-rules.test.ts keeps the two equal.
 */
export const REPORT_START = /^\s*\{\s*(?:"(?:times|source|complete)"\s*:|\}\s*$)/;

/**
 * Whether `path` may take a refused run's report: it does not exist, is empty, or is a report a
 * previous run wrote (it starts as one). A refused run is often refused for a mistyped input path
 * (`--mdf Databse1.mdf`), and its --report may then be an existing file that the input check could
 * not tell apart (`--report Database1.mdf`, the real data file, named by no input that exists): the
 * refused run overwrote it with `{complete: false, failed}`, destroying the evidence it was to read.
 */
function mayReplace(path: string): boolean {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return true; // no such file: written new
  }
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 4096));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return REPORT_START.test(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the report of a run refused or failed after its options parsed (scan, dump, log:
 * `{ …, complete: false, failed: { code, message }, incomplete: [] }`), so the previous run's report is not read as
 * this one's. Every report has `incomplete`, a list (docs/scripting.md): one of a run that judged
 * nothing (failed, refused, stopped while starting) is `[]`, its `failed` or `interrupted` saying
 * why it is not whole; a script reading `incomplete` of any report does not meet `undefined`. Not written when the path is itself what is wrong (a missing folder, an input or the
 * other output: assertWritableOutput), nor over an existing file that is not a report of rowback
 * (left as it was, unsaid: a refusal is one line, the CLI's contract, naming the input that is wrong).
 * Never throws; true when the report was written.
 */
export function writeRefusedReport(flag: string, path: string, inputs: CommandInputs, body: object): boolean {
  try {
    if (!isAlsoAnotherOutput(flag, path, inputs)) assertWritableOutput(flag, path, inputs);
    // `--out F --report F` is refused before either is written: F holding an earlier run's report
    // (`complete: true` of other files) was left as it was, read by a script as this run's; it is
    // replaced as any earlier report is (F holding anything else, the rows of an --out, is left)
    else if (!existsSync(path)) return false;
    if (!mayReplace(path)) return false;
    writeFileSync(path, JSON.stringify(redactDeep('incomplete' in body ? body : { ...body, incomplete: [] }), null, 2));
    return true;
  } catch {
    // the report path is itself what is wrong, or the disk: the error line says the rest
    return false;
  }
}

/**
 * Runs a command that writes `--report` (`path`; undefined: not given, `run` alone) so that a run
 * that does not reach its own report still replaces the previous run's (read by a script as this
 * one's): a RowbackError thrown by `run` (a refusal after the options parsed, a file that cannot be
 * read) writes `{ ...head, complete: false, failed: { code, message, location } }` (refusalOf) and is rethrown; an output
 * cut by its reader (EPIPE) or failing (a full disk) writes the same with the code output-closed.ts
 * gives (`OUTPUT_CLOSED`, `INPUT_OUTPUT_UNWRITABLE`). Both through writeRefusedReport (never over a
 * file that is not a report, nor a path that is itself wrong). `head`: what the report starts with
 * (`{ times }` for scan, log, dump and diff). Other errors (a bug, said INTERNAL by main) write `failed: { code: "INTERNAL", message }` the same way (they left the previous run's report in place), but a failed write of stdout (the cut hook's) and a stop by a signal (AbortError).
 */
export async function reportingFailure<T>(path: string | undefined, inputs: CommandInputs, head: object, run: () => Promise<T>): Promise<T> {
  if (path === undefined) return run();
  setOutputCutHook((failed) => writeRefusedReport('--report', path, inputs, { ...head, complete: false, failed }));
  try {
    return await run();
  } catch (e) {
    if (isRowbackError(e)) writeRefusedReport('--report', path, inputs, { ...head, complete: false, failed: refusalOf(e) });
    // any other failure (a bug: main says `rowback: INTERNAL: …`, exit 1) replaces the previous
    // run's report too: it was left as it was, so a script reading `complete: true` of the run before
    // took it for this one's (newcomer E). A failed write of stdout is the cut hook's (main says it),
    // a stop by a signal the interrupt's.
    else if (!isWriteError(e) && (e as Error | null)?.name !== 'AbortError') {
      writeRefusedReport('--report', path, inputs, { ...head, complete: false, failed: { code: 'INTERNAL', message: redactSecrets((e as Error | null)?.message ?? String(e)) } });
    }
    throw e;
  }
}

/**
 * A refusal as a report's `failed`: its code and message, and `location` (file, byte offset, page,
 * LSN, column, table: errors.ts ErrorLocation) when the error names one, as the stderr line does
 * (formatLocation). Without it a script reading the report of a damaged copy refused
 * (FORMAT_BAD_COMPRESSED_DATA, a chunk failing its check value) had the code and the words but not
 * the file and offset the one stderr line gave.
 */
export function refusalOf(e: { code: string; message: string; location?: ErrorLocation }): { code: string; message: string; location?: ErrorLocation } {
  const location = e.location && Object.values(e.location).some((v) => v !== undefined) ? e.location : undefined;
  return location ? { code: e.code, message: e.message, location } : { code: e.code, message: e.message };
}

/**
 * Writes the `--report` of a run that reached its end (scan, dump, log): `report` as indented JSON
 * (JSON.stringify, two spaces), replacing the file. The path was checked before any work
 * (assertWritableOutput). Throws InputError INPUT_OUTPUT_UNWRITABLE naming the path and the errno
 * code (ENOSPC in words) when the write fails, saying what was written all the same (`written`,
 * e.g. `the 16 row(s) were written to rows.ndjson`) and then `advice` (e.g. `: free space or give
 * another --report, and run the scan again`; '' for none): a full disk was INTERNAL with no file named.
 * An interrupted run's report (`interrupted` set) is not written over an existing file that is not
 * a report of rowback (one line says so; false returned), as a refused run's is not.
 */
export function writeReport(path: string, report: object, written: string, advice = ''): boolean {
  // an interrupted run's report goes over no file, an empty one or an earlier report only, as a
  // refused run's does: the run may have been stopped for the very path typed (`--report notes.txt`,
  // a symlink to it, a data file not among the inputs), which it destroyed; stdout or a device still get it
  const interrupted = (report as { interrupted?: unknown }).interrupted;
  if (interrupted && isOtherFile(path)) {
    sayLine(`rowback: --report ${path} left as it was: it is a file that is not a report of rowback, and this interrupted run's report (complete false) was not written over it`);
    return false;
  }
  try {
    writeFileSync(path, JSON.stringify(report, null, 2));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // what the report was to say of the result: scan and log write it before their INTERRUPTED and
    // INCOMPLETE lines, which this error replaced ("the 20 row(s) were written to rows.ndjson, the
    // report was not" of a chain with a log backup left out, read as the whole result)
    // and their WARNING/UNCHECKED lines and rows carrying warnings (doubtful)
    const r = report as { complete?: unknown; incomplete?: unknown; warnings?: unknown; rowsWithWarnings?: unknown };
    const reasons = Array.isArray(r.incomplete) ? r.incomplete.map(String) : [];
    const doubts = [
      ...(Array.isArray(r.warnings) ? r.warnings.map((w) => (/^[A-Z]+: /.test(String(w)) ? String(w) : `WARNING: ${String(w)}`)) : []),
      ...(typeof r.rowsWithWarnings === 'number' && r.rowsWithWarnings > 0 ? [`${r.rowsWithWarnings} row(s) carry warnings (each in its "warnings")`] : []),
    ];
    const part = (interrupted ? ` (only part of the result: INTERRUPTED by ${String(interrupted)} before the end)`
      : r.complete === false && reasons.length ? ` (not the whole result: INCOMPLETE: ${reasons.join('; INCOMPLETE: ')})` : '')
      + (doubts.length ? ` (doubtful: ${doubts.join('; ')})` : '');
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `--report ${path}: writing failed: ${code === 'ENOSPC' ? 'ENOSPC (no space left on device)' : (code ?? (e as Error).message)}; ${written}${part}, the report was not${advice}`, { file: path });
  }
  return true;
}

/** An existing regular file (through symlinks), not empty, that does not start as a report of rowback. */
function isOtherFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
  } catch {
    return false;
  }
  try {
    return !mayReplace(path);
  } catch {
    return true; // unreadable: not known to be a report
  }
}

/**
 * Whether `path` is refused as `flag` only for being another output of the same command too
 * (`--out F --report F`): it passes assertWritableOutput once the other outputs are left out, and
 * fails it with them. Nothing is written to either before that refusal.
 */
function isAlsoAnotherOutput(flag: string, path: string, inputs: CommandInputs): boolean {
  const outputs = inputs.outputs ?? ['out', 'report'];
  const opts = Object.fromEntries(Object.entries(inputs.opts as Record<string, unknown>).filter(([name]) => !outputs.includes(name) || `--${name}` === flag));
  try {
    assertWritableOutput(flag, path, { ...inputs, opts });
  } catch {
    return false; // wrong whatever the other outputs: a missing folder, an input
  }
  try {
    assertWritableOutput(flag, path, inputs);
    return false;
  } catch {
    return true;
  }
}

/** An errno error of a write (stdout closed by its reader, a full disk): said by main through the cut hook. */
function isWriteError(e: unknown): boolean {
  const x = e as NodeJS.ErrnoException | null;
  return !!x && typeof x === 'object' && typeof x.code === 'string' && x.syscall === 'write';
}
