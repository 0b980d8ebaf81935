import { sayLine } from './stderr-lines.js';
/**
 * Ctrl-C / SIGTERM for the commands that read files for a while (`scan`, `dump`, `log`, `diff`,
 * `inspect`, `decode`, `restore plan`): the first signal stops the work where it is, so that what was written is flushed and a JSON array closed
 * (Node's default would exit at once, leaving a cut file and no word of it); the command then says
 * INTERRUPTED on stderr (even with --quiet) and exits 130 (SIGINT) or 143 (SIGTERM). A second
 * signal exits at once.
 */
export interface Interruption {
  /** The first signal received, or null. */
  readonly by: NodeJS.Signals | null;
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /** Removes the listeners (call in a finally). */
  release(): void;
}

export function exitCodeOf(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? 130 : 143;
}

/**
 * Says that `command` was interrupted: one line on stderr, `rowback COMMAND: INTERRUPTED by SIG:
 * WHAT`, even with --quiet (a script must not take part of a result, or none, for all of it), and
 * sets the exit code 130 (SIGINT) or 143 (SIGTERM).
 */
export function sayInterrupted(command: string, by: NodeJS.Signals, what: string, stderr: NodeJS.WritableStream = process.stderr): void {
  sayLine(`rowback ${command}: INTERRUPTED by ${by}: ${what}`, stderr);
  process.exitCode = exitCodeOf(by);
}

/** One turn of the event loop, so that a signal that came during synchronous work is delivered (to catchInterrupts' listener) before `by` is read. */
export function letSignalsIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A second signal sooner than this after the first is taken as the first delivered twice. */
export const REPEAT_MS = 300;

/** Installs SIGINT/SIGTERM listeners until `release()`. */
export function catchInterrupts(): Interruption {
  // the command listens itself from here on: the start-up hook (a --report to replace) is its own now
  setStartupInterruptHook(undefined);
  const controller = new AbortController();
  let by: NodeJS.Signals | null = null;
  let at = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // The same signal again within REPEAT_MS is one signal delivered twice: GNU `timeout` sends it
    // to the command and then to its whole process group (a person's second Ctrl-C comes later).
    if (by) {
      if (Date.now() - at < REPEAT_MS) return;
      process.exit(exitCodeOf(sig));
    }
    by = sig;
    at = Date.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get by() {
      return by;
    },
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * bin/rowback.js listens for SIGINT/SIGTERM from its first line until a command's action starts
 * (module loading, option parsing), so that Ctrl-C then ends the process with one line saying
 * nothing was read or written, instead of Node's silent exit. Its listeners carry this mark.
 */
export const STARTUP_LISTENER = Symbol.for('rowback.startup-signal-listener');

/** Removes bin/rowback.js's start-up listeners (a command's action is starting, or has ended). */
export function releaseStartupInterrupts(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(sig)) if ((l as unknown as Record<symbol, unknown>)[STARTUP_LISTENER]) process.off(sig, l);
  }
}

/** Where bin/rowback.js's start-up listener finds what to do before it exits (setStartupInterruptHook). */
export const STARTUP_INTERRUPT_HOOK = Symbol.for('rowback.startup-interrupt-hook');

/**
 * What bin/rowback.js's start-up listener runs on a signal before it says `INTERRUPTED by SIG while
 * starting` and exits: `scan`, `dump` and `log` with `--report` replace the previous run's report
 * there (main.ts), which stayed, `"complete": true` of other files, read by a script as this run's
 * (a signal while `scan` opened its files: the data file's catalog, a backup's headers). It returns
 * what the line adds (`; --report FILE says so`), or undefined. `undefined` removes it.
 */
export function setStartupInterruptHook(hook: ((sig: NodeJS.Signals) => string | undefined) | undefined): void {
  (globalThis as Record<symbol, unknown>)[STARTUP_INTERRUPT_HOOK] = hook;
}
