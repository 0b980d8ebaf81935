/**
 * One error type per failure family, each with a stable `code` and, when known, the
 * location of the problem (file, byte offset, column, LSN, page). Codes are part of the
 * public contract: the CLI prints them, the API returns them, README.md lists them.
 *
 * Running out of bytes while *streaming* is not an error (readers return a sentinel and
 * wait for more); running out of bytes inside a *complete* row image is `DECODE_TRUNCATED`.
 */
import { identifierText, nameText } from './util/identifier-text.js';

export interface ErrorLocation {
  file?: string;
  /** Byte offset inside the file or row image the error refers to. */
  offset?: number;
  column?: string;
  lsn?: string;
  page?: string;
  slot?: number;
  table?: string;
  line?: number;
  /** The request or config field the error is about (API answers name it, e.g. `tables`, `from`, `tableMap.dbo.T`). */
  field?: string;
}

export abstract class RowbackError extends Error {
  abstract readonly family: string;
  /** Process exit code the CLI uses when this error ends a command. */
  readonly exitCode: number = 1;
  constructor(
    readonly code: string,
    message: string,
    readonly location: ErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** One line, naming the code and every known part of the location. */
  describe(): string {
    const where = formatLocation(this.location);
    return `${this.code}: ${this.message}${where ? ` (${where})` : ''}`;
  }

  toJSON(): { code: string; message: string; location: ErrorLocation } {
    return { code: this.code, message: this.message, location: this.location };
  }
}

/**
 * The `(…)` part of a one-line error or skipped item: `file F, table T, LSN L, page P, …`, each part
 * as locationPartText writes it.
 * `location.file` is a path (a page source's file is given by `sourceFile`, not its description:
 * "(file data file X, page 1:9)" was read once).
 */
export function formatLocation(l: ErrorLocation): string {
  const parts: string[] = [];
  for (const key of LOCATION_ORDER) {
    const v = l[key];
    if (v !== undefined) parts.push(locationPartText(key, v));
  }
  return parts.join(', ');
}

/** The order formatLocation names a location's parts in. */
const LOCATION_ORDER: ReadonlyArray<keyof ErrorLocation> = ['file', 'table', 'lsn', 'page', 'slot', 'offset', 'column', 'line', 'field'];

/** A location key as the one-line text names it: `LSN`, not `lsn`. */
const LOCATION_LABEL: Readonly<Partial<Record<string, string>>> = { lsn: 'LSN' };

/**
 * One part of a location as formatLocation (and the CLI's skipped lines) writes it: `table
 * dbo.[Order Details]`, `column [Unit Price]`, `LSN …`. A table's name (whatever form
 * `location.table` holds it in: a staged `schema.name`, T-SQL's `[dbo].[T]`, a display text, a name
 * as typed) goes through nameText and a column's through identifierText, so a name holding a space,
 * a dot, a comma, a `]` or a line break, or one that is a reserved keyword, reads as one name: the
 * bare `(table dbo.Order Details, column Unit Price)` did not say where a name ends, and a column
 * named `a, column b` wrote a second column part of its own. The location itself (its JSON: a
 * `--report`'s `failed`, the API's `location`, a skipped item's) keeps the name raw. Pure.
 */
export function locationPartText(key: string, value: unknown): string {
  const text = key === 'table' && typeof value === 'string' ? nameText(value) : key === 'column' && typeof value === 'string' ? identifierText(value) : String(value);
  return `${LOCATION_LABEL[key] ?? key} ${text}`;
}

/** A row image that cannot be decoded against its table layout. Codes: DECODE_*. */
export class DecodeError extends RowbackError {
  readonly family = 'decode';
  /** A row image the user gave that cannot be decoded is bad input (README: exit 2). */
  override readonly exitCode = 2;
}

/** Table metadata that cannot be built: bad DDL, bad catalog JSON, unknown type. Codes: SCHEMA_*. */
export class SchemaError extends RowbackError {
  readonly family = 'schema';
  override readonly exitCode = 2;
}

/** Structural damage or an unsupported variant in a file format (page, log, MTF). Codes: FORMAT_*. */
export class FormatError extends RowbackError {
  readonly family = 'format';
  /** A damaged, cut or unsupported input file is bad input (README: exit 2). */
  override readonly exitCode = 2;
}

/** Bad user input: arguments, hex strings, files of the wrong kind, time windows. Codes: INPUT_*. */
export class InputError extends RowbackError {
  readonly family = 'input';
  override readonly exitCode = 2;
  /**
   * The fix a refusal advises as the same command with some options' values changed, carried as
   * data: the message is `fix.before`, the fix in the options' words (`fix.said`: `--bak F F
   * --position 1,2`), then `fix.after`. The CLI composes the message with the whole command line
   * in the fix's place (messageWithFix; cli/command-line.ts builds the line from what was typed),
   * for a DBA to copy; the API says the message as it is. Set by InputError.withFix; a message
   * reworded afterwards goes through rewordMessage, which keeps the parts in step.
   */
  fix?: CommandFix;

  /**
   * A refusal whose message is `before` + `fix.said` + `after`, carrying `fix` (InputError.fix).
   * `fix.said` is the fix in the options' words, as the API's message gives it.
   */
  static withFix(code: string, before: string, fix: Pick<CommandFix, 'said' | 'options'>, after: string, location: ErrorLocation = {}): InputError {
    const e = new InputError(code, before + fix.said + after, location);
    e.fix = { said: fix.said, options: fix.options, before, after };
    return e;
  }

  /**
   * The message with `text` (the whole command line) in the fix's place: `fix.before` + `text` +
   * `fix.after`. The message as it is without a fix. A message set directly since withFix (not
   * through rewordMessage) has the fix's text replaced where it still stands whole, or is returned
   * as it is when it no longer holds it.
   */
  messageWithFix(text: string): string {
    const fix = this.fix;
    if (!fix) return this.message;
    if (this.message === fix.before + fix.said + fix.after) return fix.before + text + fix.after;
    return this.message.includes(fix.said) ? this.message.replace(fix.said, () => text) : this.message;
  }
}

/**
 * InputError.fix: `said`, the fix in the options' words as the message gives it (`--bak F F
 * --position 1,2`); `before` and `after`, the message's text around it; `options`, each option the
 * command should be given with these values instead of those typed (`flag` as the command names it,
 * `--bak`; `values` null: the option left out).
 */
export interface CommandFix {
  said: string;
  before: string;
  after: string;
  options: ReadonlyArray<{ flag: string; values: readonly string[] | null }>;
}

/**
 * Rewords `e`'s message in place: `words` applied to the text (to the text around an InputError's
 * fix, whose own words are kept: a command given as advice keeps its flags), then `prefix` put
 * before it and `suffix` after it. A refusal's fix (InputError.fix) stays in step, so the CLI still
 * puts the whole command line in its place; the fix object is replaced, not changed (a copy of the
 * error sharing it keeps its own). Never throws.
 */
export function rewordMessage(e: RowbackError, how: { prefix?: string; suffix?: string; words?: (text: string) => string }): void {
  const words = how.words ?? ((t: string) => t);
  const prefix = how.prefix ?? '';
  const suffix = how.suffix ?? '';
  const fix = e instanceof InputError ? e.fix : undefined;
  if (e instanceof InputError && fix && e.message === fix.before + fix.said + fix.after) {
    e.fix = { ...fix, before: prefix + words(fix.before), after: words(fix.after) + suffix };
    e.message = e.fix.before + fix.said + e.fix.after;
    return;
  }
  e.message = prefix + words(e.message) + suffix;
}

/** A live SQL Server source failed: connection, permission, query, timeout. Codes: SOURCE_*. */
export class SourceError extends RowbackError {
  readonly family = 'source';
}

/** The staging store failed or refused an operation. Codes: STAGING_*. */
export class StagingError extends RowbackError {
  readonly family = 'staging';
  /**
   * 1, or 2 (bad input, README) when `options.userInput` says the user's path is the problem (a
   * staging file whose folder does not exist, a folder or device given as the file): it was 1, as a
   * failure of the store itself is.
   */
  override readonly exitCode: number;
  constructor(code: string, message: string, location: ErrorLocation = {}, options?: { cause?: unknown; userInput?: boolean }) {
    super(code, message, location, options);
    this.exitCode = options?.userInput ? 2 : 1;
  }
}

/** Re-insert could not be planned or run. Codes: REINSERT_*. */
export class ReinsertError extends RowbackError {
  readonly family = 'reinsert';
}

/**
 * A point-in-time replay (src/replay/) met a log record it cannot apply exactly, or a state it
 * cannot trust; it refuses rather than print a possibly wrong table. Codes: REPLAY_*.
 */
export class ReplayError extends RowbackError {
  readonly family = 'replay';
  override readonly exitCode = 2;
}

export function isRowbackError(e: unknown): e is RowbackError {
  return e instanceof RowbackError;
}
