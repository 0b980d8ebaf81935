/**
 * A signal after `scan`/`dump`/`log` parsed their options but before the command listens itself
 * (scan opens its files first: a data file's catalog, a backup's headers) is handled by
 * bin/rowback.js's start-up listener: `INTERRUPTED by SIGINT while starting`, exit 130. The
 * previous run's `--report` stayed as it was, `"complete": true` of other files, and a script read
 * it as this run's (docs/scripting.md: "a stale report from an earlier run is never read as this
 * one's"). Now the listener runs the hook main.ts sets once the options are parsed, which replaces
 * the report with `{ times, complete: false, interrupted }`, and its line says so.
 *
 * In process: catchInterrupts (where scan starts listening itself, before it opens its files:
 * test/cli/scan-signal-while-opening.test.ts) is made to run the hook first, as bin/rowback.js does
 * on a signal (the signal itself would end the test process). As a process: bin/rowback.js held while starting
 * (test/support/hold-cli-start.mjs) with a hook of the test's own, to show the listener runs it.
 * REAL files: appveyor-lab sql2008-backups/StopAt (StopAt.bak, StopAt_1.trn).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const HOOK = Symbol.for('rowback.startup-interrupt-hook');
const seen = vi.hoisted(() => ({ report: '' as string, path: '' as string, said: undefined as string | undefined }));
vi.mock('../../src/cli/interrupt.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/cli/interrupt.js')>();
  return {
    ...m,
    // the last moment before scan listens itself (it does before it opens its files): what
    // bin/rowback.js's start-up listener does on a signal then
    catchInterrupts: () => {
      seen.said = (globalThis as Record<symbol, ((sig: string) => string | undefined) | undefined>)[HOOK]?.('SIGINT');
      seen.report = readFileSync(seen.path, 'utf8');
      throw new Error('stopped here by the test');
    },
  };
});

const cli = captureCli();
const STOPAT = (f: string) => corpusPath('appveyor-lab/sql2008-backups/StopAt', f);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describeCorpus('a signal while starting replaces the previous --report', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-report-starting-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan: the report says complete false, interrupted', async () => {
    seen.path = join(dir, 'report.json');
    const earlier = { times: 'x', source: 'other files', rows: 73, complete: true, incomplete: [] };
    writeFileSync(seen.path, JSON.stringify(earlier, null, 2));
    const args = ['scan', '--bak', STOPAT('StopAt.bak'), '--trn', STOPAT('StopAt_1.trn'), '--quiet', '--out', join(dir, 'rows.ndjson'), '--report', seen.path];
    await cli(...args).catch(() => undefined);
    expect(JSON.parse(seen.report)).toEqual({ times: expect.stringContaining("the SQL Server's local time"), complete: false, interrupted: 'SIGINT', incomplete: [] });
    expect(seen.said).toBe(`; --report ${seen.path} says so`);
    // the command took over (catchInterrupts) or ended: no hook is left for a later signal
    expect((globalThis as Record<symbol, unknown>)[HOOK]).toBeUndefined();
  });

  it('scan: a --report naming a file that is no report of rowback is left as it was, and the line does not say it was written', async () => {
    seen.path = join(dir, 'notes.txt');
    writeFileSync(seen.path, 'my own notes\n');
    seen.said = undefined;
    await cli('scan', '--bak', STOPAT('StopAt.bak'), '--trn', STOPAT('StopAt_1.trn'), '--quiet', '--out', join(dir, 'rows.ndjson'), '--report', seen.path).catch(() => undefined);
    expect(seen.report).toBe('my own notes\n');
    expect(seen.said).toBeUndefined();
  });
});

/**
 * bin/rowback.js run with `args`, held while starting (test/support/hold-cli-start.mjs; `imports`
 * loaded first), then sent SIGINT: its exit and stderr.
 */
async function interruptedWhileStarting(imports: string[], args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-hook-'));
  const mark = join(dir, 'starting');
  try {
    const child = spawn(process.execPath, [
      '--import', join(repo, 'test', 'support', 'hold-cli-start.mjs'),
      ...imports.flatMap((i) => ['--import', i]),
      join(repo, 'bin', 'rowback.js'), ...args,
    ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ROWBACK_DEV: '1', ROWBACK_TEST_HOLD_MARK: mark } });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    while (!existsSync(mark)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    return { ...(await exited), stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bin/rowback.js runs the start-up hook on a signal while starting', () => {
  it("its line says what the hook adds", async () => {
    const hook = `data:text/javascript,globalThis[Symbol.for('rowback.startup-interrupt-hook')] = (sig) => '; hook ran for ' + sig;`;
    expect(await interruptedWhileStarting([hook], ['decode', '--hex', '0x00'])).toEqual({ code: 130, signal: null, stderr: 'rowback decode: INTERRUPTED by SIGINT while starting: nothing was read or written; hook ran for SIGINT\n' });
  }, 60_000);

  it('its line stays one line when the first word not starting with `-` is an option value holding a line break', async () => {
    // `rowback --out 'x<LF>rowback: note: …' decode …`: the value was named as the command, raw
    expect(await interruptedWhileStarting([], ['--out', 'x\nrowback decode: note: all done', 'decode', '--hex', '0x00'])).toEqual({ code: 130, signal: null, stderr: 'rowback: INTERRUPTED by SIGINT while starting: nothing was read or written\n' });
  }, 60_000);
});
