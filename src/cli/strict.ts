/**
 * `--strict` of `scan`, `dump`, `log`, `diff` and `decode` (`restore plan` and `restore run` take
 * their own, restore.ts planWarned: exit 3 for a plan carrying a WARNING of its backups or using a
 * backup despite its damaged closing blocks): a result that is INCOMPLETE (the command printed
 * `rowback CMD: INCOMPLETE: …` on stderr: log lost to damage or in no file given, pages or catalog
 * pages that could not be read; for diff and decode, which print a whole result or refuse, values
 * printed or compared that were decoded with warnings) or, for scan and dump, that holds rows
 * carrying warnings (`rowback CMD: N of the M row(s) carry warnings`: warned-rows.ts), or that read a
 * backup carrying a WARNING on its header (`rowback CMD: WARNING: … BACKUP_HEADER_WARNING …`: one copy
 * of a set's header damaged where the set is still used, backup/mtf.ts), or that said any other
 * `WARNING:` or `UNCHECKED:` line (log records of an unknown operation code, the server's clock set
 * back within the window or before the stop time, rows not checked against their own transaction's
 * later operations: rows may be missing, extra or of another moment) ends with exit
 * code 3 instead of 0, so that a script tells a cut or doubtful result from a whole one without
 * reading stderr. The output is the same either way: written whole, the line printed (also with
 * `--quiet`). Lines saying `warning:` in lower case are advice on what was asked (a time in a
 * daylight-saving fold of this machine's zone, DDL on other tables in a replayed range, a diff
 * reversed by --accept-older-later) and do not exit 3 (docs/scripting.md).
 *
 * Exit codes of the CLI: 0 whole result; 1 failure (`SOURCE_*`, `STAGING_*`, …); 2 bad input
 * (`INPUT_*`, `FORMAT_*`, …); 3 INCOMPLETE under `--strict` (`inspect`: whenever it reports damage); 130 / 143 interrupted by SIGINT /
 * SIGTERM (these win over 3: an interrupted result is cut anyway); 141 output closed by its reader.
 */
import { Option } from 'commander';

/** The exit code of an INCOMPLETE result under `--strict`. */
export const INCOMPLETE_EXIT_CODE = 3;

/**
 * The `--strict` option, one wording for every command that takes it; `warnedRows` for the commands
 * whose rows carrying warnings exit 3 too (scan, dump: warned-rows.ts); `unwritableText` for `log`,
 * whose CSV records holding an unpaired surrogate (written U+FFFD) exit 3 too (its table format writes
 * one as `\u{d83d}` and says nothing, NDJSON keeps it); `backups: false` for a
 * command that reads no backup (decode), whose help then does not name the header WARNING; `warnings`
 * names the command's other WARNING (and UNCHECKED) lines, each of which exits 3 too: a result said
 * on stderr to be doubtful is never exit 0 under --strict (log records of an operation rowback does not
 * know, the server's clock set back within a window or before a stop time, rows not checked against
 * their own transaction's later operations).
 */
export function strictOption(o: { warnedRows?: boolean; backups?: boolean; unwritableText?: boolean; warnings?: string } = {}): Option {
  return new Option('--strict', `exit with code ${INCOMPLETE_EXIT_CODE} instead of 0 when the result is INCOMPLETE${o.warnedRows ? ', printed rows carry warnings' : ''}${o.unwritableText ? ', printed records hold text the csv output cannot carry (an unpaired surrogate)' : ''}${o.backups === false ? '' : `${o.warnings ? ',' : ' or'} a backup read carries a WARNING on its header`}${o.warnings ? ` or a WARNING is said (${o.warnings})` : ''} (output written whole and ${o.warnedRows || o.unwritableText || o.warnings || o.backups !== false ? 'either' : 'INCOMPLETE'} said on stderr all the same); an interrupt (130/143) or an error (1/2) keeps its own code`);
}

/**
 * Sets the exit code for an INCOMPLETE result when `strict` is on; nothing otherwise. Called after
 * the whole result was written and the INCOMPLETE line printed. Never lowers a code already set
 * (an interrupt's 130 / 143, set before or after, stays: it is the stronger statement).
 */
export function exitIncomplete(strict: boolean | undefined): void {
  if (strict && !process.exitCode) process.exitCode = INCOMPLETE_EXIT_CODE;
}
