import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `--report /dev/stdout` (or /dev/stderr) of a scan or dump whose rows go to stdout:
 * `rowback scan … --report /dev/stdout > rows.ndjson` opened rows.ndjson again with O_TRUNC when the
 * report was written at the end: the file held the report alone, all 10 rows gone, exit 0 (into a
 * pipe the report mixed into the rows). `--report -` was already refused ("stdout carries the rows").
 * Now refused, one line, before anything is written; with `--out FILE` (stdout free of rows) the
 * report may go to stdout, and `/dev/null` stays taken.
 *
 * On the real process (bin/rowback.js: dist/ when built): stdout and stderr must be real files.
 * REAL: RestoreTimeClean.bak + _1.trn (10 inserts into dbo.steps).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-report-std-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs rowback with stdout and stderr going to files; returns the exit code and both files' text. */
function run(name: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = join(dir, `${name}.out`);
  const err = join(dir, `${name}.err`);
  const o = openSync(out, 'w');
  const e = openSync(err, 'w');
  try {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), ...args], { stdio: ['ignore', o, e] });
    return { code: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } finally {
    closeSync(o);
    closeSync(e);
  }
}

describeCorpus('--report naming stdout or stderr', () => {
  const scan = ['scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), '--op', 'insert', '--quiet'];

  it('scan --report /dev/stdout with the rows on stdout: refused (the rows were replaced by the report, exit 0)', () => {
    const r = run('scan-stdout', [...scan, '--report', '/dev/stdout']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \/dev\/stdout is this command's stdout, which carries the rows/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    for (const p of ['/dev/fd/1', '/proc/self/fd/1']) expect(run('scan-fd1', [...scan, '--report', p]).code).toBe(2);
  }, 60_000);

  it('--report /dev/stderr: refused (it cut the messages written before it)', () => {
    const r = run('scan-stderr', [...scan, '--report', '/dev/stderr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \/dev\/stderr is this command's stderr/);
    const d = run('dump-stdout', ['dump', '--bak', R('RestoreTimeClean.bak'), '--table', 'dbo.steps', '--report', '/dev/stdout']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \/dev\/stdout is this command's stdout/);
  }, 60_000);

  it('log --report /dev/stdout with the records on stdout, or /dev/stderr: refused; with --out FILE, the report on stdout', () => {
    const log = ['log', R('RestoreTimeClean_1.trn'), '--format', 'ndjson'];
    for (const [name, p] of [['log-stdout', '/dev/stdout'], ['log-stderr', '/dev/stderr']]) {
      const r = run(name!, [...log, '--report', p!]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^rowback: INPUT_OUTPUT_IS_INPUT: --report ${p} is this command's std`));
      expect(r.stdout).toBe('');
    }
    const records = join(dir, 'records.ndjson');
    const a = run('log-out-report-stdout', [...log, '--out', records, '--report', '/dev/stdout']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ complete: true, incomplete: [], records: readFileSync(records, 'utf8').trim().split('\n').length });
  }, 60_000);

  it('no false refusal: --out FILE with --report /dev/stdout, --report /dev/null, --out /dev/stdout', () => {
    const rows = join(dir, 'rows.ndjson');
    const a = run('out-report-stdout', [...scan, '--out', rows, '--report', '/dev/stdout']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).rowsPerTable).toEqual({ 'dbo.steps': 10 });
    expect(readFileSync(rows, 'utf8').trim().split('\n')).toHaveLength(10);
    const b = run('report-null', [...scan, '--report', '/dev/null']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout.trim().split('\n')).toHaveLength(10);
    const c = run('out-stdout', [...scan, '--out', '/dev/stdout']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toHaveLength(10);
  }, 60_000);

  /**
   * In a terminal stdout and stderr are one tty (the same dev:ino), so `--out FILE --report
   * /dev/stdout` typed at a prompt was refused as "this command's stderr" (exit 2), a false
   * refusal: nothing on a terminal is cut. Run under a pseudo-terminal (util-linux `script`, from
   * Debian's essential bsdutils), whose output is what the terminal showed.
   */
  function runInTerminal(args: string[]): { code: number | null; screen: string } {
    const cmd = [process.execPath, join(repo, 'bin', 'rowback.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error) throw r.error;
    return { code: r.status, screen: r.stdout.replace(/\r\n/g, '\n') };
  }

  it('in a terminal: --out FILE --report /dev/stdout shows the report (it was refused as stderr); the rows on the terminal with it are still refused', () => {
    const rows = join(dir, 'tty-rows.ndjson');
    const a = runInTerminal([...scan, '--out', rows, '--report', '/dev/stdout']);
    expect(a.code, a.screen).toBe(0);
    expect(a.screen).not.toMatch(/INPUT_OUTPUT_IS_INPUT/);
    expect(JSON.parse(a.screen.slice(a.screen.indexOf('{'))).rowsPerTable).toEqual({ 'dbo.steps': 10 });
    expect(readFileSync(rows, 'utf8').trim().split('\n')).toHaveLength(10);
    const b = runInTerminal([...scan, '--report', '/dev/stdout']);
    expect(b.code, b.screen).toBe(2);
    expect(b.screen).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \/dev\/stdout is this command's stdout, which carries the rows/);
  }, 60_000);
});
