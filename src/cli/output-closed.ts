import { sayLine } from './stderr-lines.js';
/**
 * The one stderr line said when stdout's reader closed the pipe early (`rowback … | head`: EPIPE),
 * with what the command had done besides its output: `diff --stage` stages only after its output
 * is written whole, so a cut output means nothing was staged, and the line says so (it said only
 * "the result was not written whole", leaving a user to guess whether the job exists).
 */

let said = false;
let note: string | undefined;
let cutHook: ((failed: { code: string; message: string }) => void) | undefined;
let stderrClosed = false;
let command = 'rowback';

/**
 * Forgets what was said, the command's note and a closed stderr (once per run of main()), and sets
 * the command the line names (`rowback scan`, `rowback restore plan`; `rowback` for none): it began
 * with a bare `rowback:`, where every other line of a command names it.
 */
export function resetOutputClosed(commandName = 'rowback'): void {
  said = false;
  note = undefined;
  cutHook = undefined;
  stderrClosed = false;
  command = commandName;
}

/**
 * stderr's reader went away (`rowback … --out F 2>&1 | head`, or `2>` a pipe closed early), or stderr
 * failed otherwise: its lines (summary, notes, INCOMPLETE) are not all delivered. The command goes
 * on (its result, on --out, is still written whole: stopping would cut it), nothing more is written
 * to stderr, and `exitCodeWithStderrClosed` turns the exit code 0 into 141.
 */
export function noteStderrClosed(): void {
  stderrClosed = true;
}

/**
 * The exit code once stderr was closed early: 141 (as for stdout: a shell's code for a writer killed
 * by SIGPIPE) instead of 0, since lines the command wrote were lost and a whole result would be
 * claimed with none of them delivered; any other code (1, 2 failure; 3 INCOMPLETE under --strict;
 * 130/143 interrupted) is kept: it already says more than that a line was lost.
 */
export function exitCodeWithStderrClosed(code: number): number {
  return stderrClosed && code === 0 ? 141 : code;
}

/**
 * What the command has done besides its output, said after the EPIPE line's clause (e.g. `nothing
 * was staged in S.db …`); undefined for nothing more. Set before the output starts, changed when
 * what it says changes.
 */
export function setOutputClosedNote(text: string | undefined): void {
  note = text;
}

/**
 * What the command must do, synchronously, when its output is cut (EPIPE) or fails (a full disk),
 * before the process exits: `scan`, `dump` and `log` write their `--report` as failed (`complete: false`,
 * `failed: { code, message }`), since the previous run's report stayed in place, read by a script
 * as this run's (`dump --all --report r.json | head` exited 141 beside the old `"complete": true`).
 * `failed.code`: `OUTPUT_CLOSED` (EPIPE) or `INPUT_OUTPUT_UNWRITABLE`. Must not throw.
 */
export function setOutputCutHook(hook: ((failed: { code: string; message: string }) => void) | undefined): void {
  cutHook = hook;
}

function runCutHook(failed: { code: string; message: string }): void {
  const hook = cutHook;
  cutHook = undefined;
  try {
    hook?.(failed);
  } catch {
    // the hook never throws; a failure here must not hide the line below
  }
}

/** Says once (the throw and the stream's 'error' event may both report it) that the result was cut. */
export function sayOutputClosed(stderr: NodeJS.WritableStream = process.stderr): void {
  if (said) return;
  said = true;
  runCutHook({ code: 'OUTPUT_CLOSED', message: `output closed by its reader (EPIPE): the result was not written whole${note ? `; ${note}` : ''}` });
  if (stderrClosed) return; // `2>&1 | head`: nowhere to say it; the exit code does
  sayLine(`${command}: output closed by its reader (EPIPE): the result was not written whole${note ? `; ${note}` : ''}`, stderr);
}

/** The exit code of a failed write to stdout other than EPIPE: INPUT_OUTPUT_UNWRITABLE's, as for an `--out` file (files.ts). */
export const OUTPUT_FAILED_EXIT_CODE = 2;

/**
 * Says once that writing stdout failed for another reason than its reader leaving (EPIPE): a full
 * disk (`rowback scan … > rows.ndjson` with no space left: ENOSPC), a quota (EDQUOT), a file too large
 * (EFBIG), an I/O error (EIO). It was `rowback: INTERNAL: ENOSPC: …` followed by a Node stack trace
 * from the stream's rethrown 'error' event (exit 1): now the one line an `--out` file's failure gives
 * (files.ts), naming stdout, with the command's note (`diff --stage`: nothing staged). `e`: the
 * errno error of the write. Exit code OUTPUT_FAILED_EXIT_CODE (the caller's).
 */
export function sayOutputFailed(e: NodeJS.ErrnoException, stderr: NodeJS.WritableStream = process.stderr): void {
  if (said) return;
  said = true;
  const code = e.code ?? e.message;
  const what = code === 'ENOSPC' ? 'ENOSPC (no space left on device)' : code === 'EDQUOT' ? 'EDQUOT (disk quota exceeded)' : code === 'EFBIG' ? 'EFBIG (file too large)' : code;
  const message = `stdout: writing the output of ${command} failed: ${what}; what was written holds only part of the result${note ? `; ${note}` : ''}: free space or write it elsewhere (--out FILE), and run the command again`;
  runCutHook({ code: 'INPUT_OUTPUT_UNWRITABLE', message });
  if (stderrClosed) return;
  sayLine(`rowback: INPUT_OUTPUT_UNWRITABLE: ${message}`, stderr);
}

/** A write to stdout that failed for another reason than EPIPE (an errno error of a write: ENOSPC, EIO, …); `--out` files' failures come wrapped as InputError (files.ts). */
export function isOutputWriteFailure(e: unknown): e is NodeJS.ErrnoException {
  const x = e as NodeJS.ErrnoException | null;
  return !!x && typeof x === 'object' && typeof x.code === 'string' && x.syscall === 'write' && x.code !== 'EPIPE';
}
