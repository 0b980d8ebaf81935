/**
 * Ctrl-C / SIGTERM on `dump`, `log` and `decode` (the real CLI as a process): the first signal stops the
 * command where it is, what was written is flushed (a JSON array closed), INTERRUPTED is said on
 * stderr even with --quiet, exit 130 / 143; a signal while starting says so and writes nothing.
 * The signal is sent twice at once, as GNU `timeout` does (to the command, then to its group).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSQLV4_BAK = () => corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
const NORTHWND_LDF = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
const NORTHWND_MDF = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);

/**
 * Runs `rowback ARGS`; sends `sig` twice at once when `when()` first holds (polled every 20 ms) or
 * after `afterMs`. Returns the exit code and stderr.
 */
async function interrupt(args: string[], sig: NodeJS.Signals, when: { out?: string; minBytes?: number; afterMs?: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ROWBACK_DEV: '1' } });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  if (when.afterMs !== undefined) await sleep(when.afterMs);
  else while (!done && size(when.out!) < (when.minBytes ?? 1)) await sleep(20);
  expect(done).toBe(false); // the work was still going on when the signal came
  child.kill(sig);
  child.kill(sig);
  const r = await exited;
  return { ...r, stderr };
}

/**
 * Starts `rowback ARGS` held between bin/rowback.js's first lines and the command's code
 * (test/support/hold-cli-start.mjs writes `mark` when held), gives it SIGINT there (twice: a second
 * Ctrl-C must not change the outcome), and returns its exit and stderr.
 */
async function startAndSignal(args: string[], mark: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', join(repo, 'test', 'support', 'hold-cli-start.mjs'), join(repo, 'bin', 'rowback.js'), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ROWBACK_DEV: '1', ROWBACK_TEST_HOLD_MARK: mark },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  while (!existsSync(mark)) await sleep(20);
  child.kill('SIGINT');
  child.kill('SIGINT');
  return { ...(await exited), stderr };
}

describeCorpus('Ctrl-C / SIGTERM on dump and log', () => {
  it('dump --all --format json: a complete earlier file at --out becomes the valid JSON of the rows so far, INTERRUPTED, exit 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-'));
    const out = join(dir, 'd3.json');
    writeFileSync(out, '[\n{"earlier":"complete result"}\n]\n');
    // more than the earlier file: the dump has started writing rows
    const r = await interrupt(['dump', '--bak', TSQLV4_BAK(), '--all', '--format', 'json', '--out', out, '--quiet'], 'SIGINT', { out, minBytes: 4096 });
    expect(r).toMatchObject({ code: 130, signal: null });
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Array<{ table: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(103241); // the whole dump's rows
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^rowback dump: INTERRUPTED by SIGINT: the dump stopped before its end \\(in [^)]+\\); the ${rows.length} row\\(s\\) written are only part of the result$`));
  }, 60_000);

  it('log --format ndjson under SIGTERM: whole records only, INTERRUPTED, exit 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-'));
    const out = join(dir, 'l.ndjson');
    const r = await interrupt(['log', NORTHWND_LDF(), '--mdf', NORTHWND_MDF(), '--format', 'ndjson', '--out', out, '--quiet'], 'SIGTERM', { out, minBytes: 8192 });
    expect(r).toMatchObject({ code: 143, signal: null });
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.stderr).toBe(`rowback log: INTERRUPTED by SIGTERM: the log was not read to its end; the ${records.length} record(s) written are only part of the result\n`);
  }, 60_000);

  it('log --format csv under SIGINT: the records so far end on a whole line, and the summary says both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-'));
    const out = join(dir, 'l.csv');
    const r = await interrupt(['log', NORTHWND_LDF(), '--mdf', NORTHWND_MDF(), '--format', 'csv', '--out', out], 'SIGINT', { out, minBytes: 8192 });
    expect(r.code).toBe(130);
    expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
    expect(r.stderr).toMatch(/^rowback log: \d+ of \d+ record\(s\) printed/);
    expect(r.stderr).toMatch(/\nrowback log: INTERRUPTED by SIGINT: the log was not read to its end; the \d+ record\(s\) written are only part of the result\n$/);
  }, 60_000);

  it('a signal while starting: one line saying nothing was read or written, exit 130, an earlier --out file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-'));
    const out = join(dir, 'd.json');
    const mark = join(dir, 'starting');
    writeFileSync(out, '[]\n');
    // Held between bin/rowback.js's first lines and the command's code (test/support/hold-cli-start.mjs),
    // the signal lands "while starting" on any machine: a fixed delay could land before node ran our
    // first line (killed silently) or after the command began (another message).
    expect(await startAndSignal(['dump', '--bak', TSQLV4_BAK(), '--all', '--format', 'json', '--out', out], mark)).toEqual({ code: 130, signal: null, stderr: 'rowback dump: INTERRUPTED by SIGINT while starting: nothing was read or written\n' });
    expect(readFileSync(out, 'utf8')).toBe('[]\n');
  }, 60_000);

  // The report of an earlier run at --report ("complete": true) stayed there, and a script reading
  // `.complete` took the run stopped while starting for a whole one: it now says complete false,
  // interrupted (scan, log, dump), as the command's own interruption does; a file there that is not
  // a report of rowback is left as it was.
  it('a signal while starting: --report says complete false, interrupted, over an earlier report; a file that is not a report is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-'));
    const report = join(dir, 'report.json');
    writeFileSync(report, JSON.stringify({ times: 'x', complete: true, incomplete: [] }));
    const r = await startAndSignal(['scan', '--mdf', NORTHWND_MDF(), '--ldf', NORTHWND_LDF(), '--report', report, '--quiet'], join(dir, 'starting-1'));
    expect(r).toEqual({ code: 130, signal: null, stderr: 'rowback scan: INTERRUPTED by SIGINT while starting: nothing was read or written but --report, which says so (complete false)\n' });
    // the shape of every scan report: `times` first, `incomplete` a list (a script reads both of any report)
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ times: expect.stringContaining("the SQL Server's local time"), complete: false, interrupted: 'SIGINT', incomplete: [], note: 'interrupted while starting: nothing was read' });
    const notReport = join(dir, 'notes.txt');
    writeFileSync(notReport, 'my notes\n');
    const kept = await startAndSignal(['log', NORTHWND_LDF(), '--report', notReport], join(dir, 'starting-2'));
    expect(kept).toEqual({ code: 130, signal: null, stderr: 'rowback log: INTERRUPTED by SIGINT while starting: nothing was read or written\n' });
    expect(readFileSync(notReport, 'utf8')).toBe('my notes\n');
    // a report path that is also an input typed (a catalog that starts as a report does) is an
    // input: left as it was, as the command's own check (assertWritableOutput) would refuse it
    const both = join(dir, 'both.json');
    const before = JSON.stringify({ times: 'x', complete: true, incomplete: [] });
    writeFileSync(both, before);
    const input = await startAndSignal(['scan', '--ldf', NORTHWND_LDF(), `--schema=${both}`, '--report', both, '--quiet'], join(dir, 'starting-3'));
    expect(input).toEqual({ code: 130, signal: null, stderr: 'rowback scan: INTERRUPTED by SIGINT while starting: nothing was read or written\n' });
    expect(readFileSync(both, 'utf8')).toBe(before);
  }, 60_000);
});

describe('Ctrl-C on decode waiting for --hex - (the real CLI as a process)', () => {
  it('says INTERRUPTED and exits 130 (it was killed by the signal without a word); stdin left open', async () => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), 'decode', '--ddl', join(repo, 'examples', 'contact.sql'), '--hex', '-'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ROWBACK_DEV: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdin.write('0x3000'); // part of an image; stdin stays open: a person still typing
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    await sleep(3000); // past start-up (about 0.6 s): the command is waiting on stdin
    child.kill('SIGINT');
    const r = await exited;
    child.stdin.destroy();
    expect({ ...r, stdout, stderr }).toEqual({ code: 130, signal: null, stdout: '', stderr: 'rowback decode: INTERRUPTED by SIGINT: stopped before the row image on stdin was read whole; nothing was decoded or printed\n' });
  }, 30_000);
});
