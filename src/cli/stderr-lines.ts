/**
 * The one writer of the CLI's lines on stderr: notes, WARNING, INCOMPLETE, INTERRUPTED, UNCHECKED,
 * summaries, the refusal. Each logical line is written as one line: its text with every line break
 * and other unprintable character written `\u{…}` (util/echo.ts oneLineText), then `\n`. A line
 * names paths, file names, table and column names and values taken from the user or from the files
 * read; a path holding a line break (`--ldf 'a<LF>b.ldf'`, a file linked under such a name) split a
 * NOTE or WARNING in two, and its second half read as a line of its own to a DBA or a script
 * reading stderr (`x<LF>rowback scan: note: all rows recovered`).
 *
 * A text of several lines (a summary, a table count per line, the skipped items under it) is given
 * as its lines, each made one line, never as text with `\n` in it: a line break in a value cannot
 * be told from one between lines once they are joined. Only the progress line (progress.ts: `\r`
 * rewrites on a terminal, its text made one line there) and the debug stack trace (main.ts,
 * ROWBACK_DEBUG) are written otherwise (test/cli/stderr-lines-guard.test.ts lists them).
 *
 * Light on purpose: main.ts and every command load it (`rowback --version` too); it imports
 * util/echo.ts alone.
 */
import { oneLineText } from '../util/echo.js';

/** Where lines go: process.stderr, a command's `stderr` (isoTimesStderr's rewriting of times, a test's capture). */
export interface LineSink {
  write(chunk: string): unknown;
}

/**
 * Writes each of `lines` as one line of its own, in one write: its text made one line (oneLineText:
 * a line break in it as `\u{a}`), then `\n`. Nothing for no lines; an empty string is an empty line.
 */
export function sayLines(lines: readonly string[], stream: LineSink = process.stderr): void {
  if (lines.length === 0) return;
  let text = '';
  for (const l of lines) text += `${oneLineText(l)}\n`;
  stream.write(text);
}

/** Writes `line` as one line (sayLines). */
export function sayLine(line: string, stream: LineSink = process.stderr): void {
  stream.write(`${oneLineText(line)}\n`);
}
