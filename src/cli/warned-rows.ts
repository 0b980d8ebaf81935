/**
 * Rows printed with warnings, said the same way by every command that prints decoded rows (`scan`,
 * `dump`, the point-in-time `dump --trn`): a row's `warnings` say that a value of it may be wrong
 * or missing (a layout that does not fit, an off-row value that could not be read, a NOT NULL
 * column read as NULL, …; docs/decoder.md), and one line on stderr counts them, so that a reader
 * of the summary alone, or of a CSV, is told to look.
 *
 * The line is said even with `--quiet`, as INCOMPLETE is: it is a statement about the result, not
 * progress. Under `--strict` such a result exits 3 (strict.ts), as `decode` and `diff` do for values
 * decoded with warnings: a script re-inserting what it was given must not take it for a clean one.
 */
import { sayLine } from './stderr-lines.js';
import { exitIncomplete } from './strict.js';

/**
 * The stderr line (without its line end) for `warned` of the `rows` row(s) a command printed carrying warnings, or '' when
 * none did. `command` is the CLI command's name (`scan`, `dump`); `where` says where a reader finds
 * each row's warnings in the output format written (`each in its "warnings"` for NDJSON/JSON, the
 * `warnings` column for CSV).
 */
export function warnedRowsLine(command: string, warned: number, rows: number, format: string | undefined): string {
  if (!warned) return '';
  const where = format === 'csv' ? 'each in its "warnings" column' : 'each in its "warnings"';
  return `rowback ${command}: ${warned} of the ${rows} row(s) carry warnings (${where}): a value may be wrong or missing there; read them before re-inserting those rows`;
}

/**
 * Writes the warned-rows line on `stderr` (nothing when `warned` is 0) and, under `--strict`, sets
 * exit code 3 for it (never lowering a code already set: strict.ts `exitIncomplete`).
 */
export function sayWarnedRows(stderr: { write(s: string): unknown }, command: string, warned: number, rows: number, opts: { format?: string; strict?: boolean }): void {
  const line = warnedRowsLine(command, warned, rows, opts.format);
  if (!line) return;
  sayLine(line, stderr);
  exitIncomplete(opts.strict);
}
