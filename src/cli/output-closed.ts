/**
 * The one stderr line said when stdout's reader closed the pipe early (`rowback … | head`: EPIPE),
 * with what the command had done besides its output: `diff --stage` stages only after its output
 * is written whole, so a cut output means nothing was staged, and the line says so (it said only
 * "the result was not written whole", leaving a user to guess whether the job exists).
 */

let said = false;
let note: string | undefined;
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

/** Says once (the throw and the stream's 'error' event may both report it) that the result was cut. */
export function sayOutputClosed(stderr: NodeJS.WritableStream = process.stderr): void {
  if (said) return;
  said = true;
  if (stderrClosed) return; // `2>&1 | head`: nowhere to say it; the exit code does
  stderr.write(`${command}: output closed by its reader (EPIPE): the result was not written whole${note ? `; ${note}` : ''}\n`);
}
