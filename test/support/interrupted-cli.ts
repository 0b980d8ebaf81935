/**
 * Runs `rowback ARGV` in process (a captureCli runner) and gives `sig` to the listener the command
 * installs, as soon as it is installed (polled every millisecond, so while the command waits on a
 * read): the command's own listener, the newest, since process.emit would also reach the test
 * runner's. Returns what the CLI returned and whether the signal was given; checks the command's
 * listener is gone afterwards, and clears the exit code it set (130/143) from the test process.
 * Written once for interrupt-commands.test.ts and interrupted-report-keeps-other-files.test.ts.
 */
import { expect } from 'vitest';
import type { captureCli } from './cli.js';

type Cli = ReturnType<typeof captureCli>;

export async function interruptedCli(cli: Cli, argv: string[], sig: NodeJS.Signals = 'SIGINT'): Promise<Awaited<ReturnType<Cli>> & { given: boolean }> {
  const before = process.listenerCount(sig);
  let given = false;
  const poll = setInterval(() => {
    if (process.listenerCount(sig) <= before) return;
    clearInterval(poll);
    given = true;
    (process.listeners(sig).at(-1) as (s: NodeJS.Signals) => void)(sig);
  }, 1);
  try {
    const r = await cli(...argv);
    expect(process.listenerCount(sig)).toBe(before);
    process.exitCode = undefined;
    return { ...r, given };
  } finally {
    clearInterval(poll);
  }
}
