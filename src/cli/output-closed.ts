/**
 * The one stderr line said when stdout's reader closed the pipe early (`rowback … | head`: EPIPE),
 * with what the command had done besides its output: `diff --stage` stages only after its output
 * is written whole, so a cut output means nothing was staged, and the line says so (it said only
 * "the result was not written whole", leaving a user to guess whether the job exists).
 */

let said = false;
let note: string | undefined;

/** Forgets what was said and the command's note (once per run of main()). */
export function resetOutputClosed(): void {
  said = false;
  note = undefined;
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
  stderr.write(`rowback: output closed by its reader (EPIPE): the result was not written whole${note ? `; ${note}` : ''}\n`);
}
