#!/usr/bin/env node
// Entry point for `rowback`: runs the compiled CLI (dist/, built by `npm ci`'s prepare step) when
// it is at least as new as every source file, the TypeScript source through tsx otherwise — so a
// checkout edited after its build never runs stale code. ROWBACK_DEV=1 always runs the source.
// Ctrl-C / SIGTERM before a command's action starts (loading tsx and the modules, parsing): one
// line saying so, exit 130/143, rather than Node's silent exit. Removed when the action starts
// (src/cli/interrupt.ts releaseStartupInterrupts); defers to any other listener.
// The commands writing --report (scan, log, dump, diff) have it say so: `{ complete: false, interrupted }`,
// as their own interruption's report does, so that an earlier run's report at that path (`"complete":
// true`) is not read as this run's. Only over no file, an empty one or a report of rowback (as
// src/cli/failed-report.ts writes a refused run's), never over standard output or a device.
{
  const STARTUP_LISTENER = Symbol.for('rowback.startup-signal-listener');
  const args = process.argv.slice(2);
  const command = args.find((a) => !a.startsWith('-'));
  // the --report value, and every other word typed (an input it may name: never written over)
  const reportPath = () => {
    if (!['scan', 'log', 'dump', 'diff'].includes(command)) return undefined;
    let path;
    const others = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--report' && path === undefined) path = args[++i];
      else if (args[i].startsWith('--report=') && path === undefined) path = args[i].slice('--report='.length);
      else others.push(args[i].startsWith('--') && args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i]);
    }
    return path && path !== '-' && !path.startsWith('-') && !path.startsWith('/dev/') ? { path, others } : undefined;
  };
  const sameFile = (a, b) => {
    try {
      const x = statSync(a);
      const y = statSync(b);
      return y.isFile() && x.dev === y.dev && x.ino === y.ino;
    } catch {
      return false;
    }
  };
  const writeReport = (sig) => {
    const { path, others } = reportPath() ?? {};
    if (!path) return false;
    try {
      let fd = -1;
      try {
        if (!statSync(path).isFile()) return false;
        // an input named as the report too (--schema r.json --report r.json): left as it was
        if (others.some((o) => sameFile(path, o))) return false;
        fd = openSync(path, 'r');
        const buf = Buffer.alloc(4096);
        const n = readSync(fd, buf, 0, buf.length, 0);
        if (n > 0 && !/^\s*\{\s*(?:"(?:times|source|complete)"\s*:|\}\s*$)/.test(buf.subarray(0, n).toString('utf8'))) return false;
      } catch (e) {
        if (e?.code !== 'ENOENT') return false;
      } finally {
        if (fd >= 0) closeSync(fd);
      }
      // as the command's own start-up report (src/cli/main.ts): every report with `times`
      // (failed-report.ts REPORT_TIMES, repeated here: test/cli/bin-report-rules.test.ts keeps them equal)
      const times = { times: "YYYY-MM-DDTHH:MM:SS.fff, the SQL Server's local time (no zone: log times carry none)" };
      writeFileSync(path, JSON.stringify({ ...times, complete: false, interrupted: sig, incomplete: [], note: 'interrupted while starting: nothing was read' }, null, 2));
      return true;
    } catch {
      return false;
    }
  };
  const onSignal = (sig) => {
    if (process.listenerCount(sig) > 1) return;
    // a command's report to replace, once its options are parsed (src/cli/interrupt.ts
    // setStartupInterruptHook); before that (modules loading, options not parsed), the --report
    // argument as typed, over no file, an empty one or an earlier report only (writeReport above)
    let said = '';
    let hooked = false;
    try {
      const hook = globalThis[Symbol.for('rowback.startup-interrupt-hook')];
      if (hook) {
        hooked = true;
        said = hook(sig) ?? '';
      }
    } catch {
      // never in the way of the exit
    }
    if (!hooked && writeReport(sig)) said = ' but --report, which says so (complete false)';
    // the command named only when it is a word a command is (`scan`, `restore`): the first word not
    // starting with `-` may be an option's value typed before the command (`--out 'x<LF>rowback: …'
    // scan`), whose line break split this one line in two (util/echo.ts is not loaded here to escape it)
    const named = command !== undefined && /^[a-z][a-z-]*$/.test(command) ? ` ${command}` : '';
    process.stderr.write(`rowback${named}: INTERRUPTED by ${sig} while starting: nothing was read or written${said}\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  onSignal[STARTUP_LISTENER] = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
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
