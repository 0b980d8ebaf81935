/**
 * Progress for long scans and dumps: one line on stderr rewritten in place (`\r`, cleared at the
 * end), at most once a second, and only when stderr is a terminal — piped or redirected stderr
 * (scripts, CI, `2> log`) gets nothing, so it never mixes progress into a file. `--quiet` turns
 * it off everywhere. No progress library is installed in this project; this is the single-line
 * `\r` updater the CLI uses instead. The one line of the CLI's stderr written otherwise than through
 * stderr-lines.ts (its `\r` rewrites are the point), its text made one line all the same (oneLineText).
 */
import { cutOneLineText, oneLineText } from '../util/echo.js';

export interface Progress {
  /** Shows `text` when a second has passed since the last update (the callback runs only then). */
  update(text: () => string): void;
  /** Clears the line, if anything was shown. */
  done(): void;
}

export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream; intervalMs?: number } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = !opts.quiet && stream.isTTY === true;
  const interval = opts.intervalMs ?? 1000;
  let last = Date.now();
  let shown = 0;
  return {
    update(text) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < interval) return;
      last = now;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      // the text made one line (a table or file named with a line break would break the `\r` rewrite)
      // cut to the terminal's width between characters as written (cutOneLineText): a cut inside a
      // surrogate pair printed U+FFFD, one inside a `\u{…}` half an escape
      const line = cutOneLineText(oneLineText(text()), width);
      stream.write(`\r${line.padEnd(shown)}`);
      shown = line.length;
    },
    done() {
      if (!enabled || shown === 0) return;
      stream.write(`\r${' '.repeat(shown)}\r`);
      shown = 0;
    },
  };
}
