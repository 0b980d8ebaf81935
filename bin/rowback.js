#!/usr/bin/env node
// Entry point for `rowback`: runs the compiled CLI (dist/, built by `npm ci`'s prepare step) when
// it is at least as new as every source file, the TypeScript source through tsx otherwise — so a
// checkout edited after its build never runs stale code. ROWBACK_DEV=1 always runs the source.
// Ctrl-C / SIGTERM before a command's action starts (loading tsx and the modules, parsing): one
// line saying so, exit 130/143, rather than Node's silent exit. Removed when the action starts
// (src/cli/interrupt.ts releaseStartupInterrupts); defers to any other listener.
{
  const STARTUP_LISTENER = Symbol.for('rowback.startup-signal-listener');
  const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
  const onSignal = (sig) => {
    if (process.listenerCount(sig) > 1) return;
    // a command's report to replace, once its options are parsed (src/cli/interrupt.ts setStartupInterruptHook)
    let said = '';
    try {
      said = globalThis[Symbol.for('rowback.startup-interrupt-hook')]?.(sig) ?? '';
    } catch {
      // never in the way of the exit
    }
    process.stderr.write(`rowback${command ? ` ${command}` : ''}: INTERRUPTED by ${sig} while starting: nothing was read or written${said}\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  onSignal[STARTUP_LISTENER] = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');

/** Newest modification time under src/ (about a hundred stat calls: a millisecond or two). */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const useBuilt = process.env.ROWBACK_DEV !== '1' && existsSync(built) && (!existsSync(join(root, 'src')) || statSync(built).mtimeMs >= newestSource(join(root, 'src')));
if (useBuilt) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
