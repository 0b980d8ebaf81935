import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPORT_TIMES } from '../../src/cli/failed-report.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { EVERY_COMMAND } from '../support/every-command.js';

/**
 * stdout written to a full disk (`rowback scan … > rows.ndjson` with no space left: ENOSPC; here
 * /dev/full, whose every write fails so) printed `rowback: INTERNAL: ENOSPC: …` and then a Node stack
 * trace (the stream's 'error' event rethrown: an uncaught exception), exit 1, on every command. An
 * `--out` file on a full disk already said one line, INPUT_OUTPUT_UNWRITABLE, exit 2: stdout now says
 * the same, naming stdout and the command.
 *
 * And `--report`: a run whose output was cut (EPIPE, `dump --all --report r.json | head`) or failed
 * left the previous run's report in place (`"complete": true`), read by a script as this one's, as a
 * refused run's was before; it is now `{ complete: false, failed: { code, message } }`.
 *
 * On the real process (bin/rowback.js: dist/ when built), as test/cli/output-closed.test.ts.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const PUBS = corpusPath('pubs-2012', 'pubs.bak');
const FULL = '/dev/full';
const LINE = (command: string) => `rowback: INPUT_OUTPUT_UNWRITABLE: stdout: writing the output of ${command} failed: ENOSPC (no space left on device); what was written holds only part of the result: free space or write it elsewhere (--out FILE), and run the command again\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-stdout-failed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs rowback with stdout `stdout` ('full': /dev/full; 'closed': a pipe its reader closed at once); stderr captured. */
async function run(stdout: 'full' | 'closed', args: string[]): Promise<{ code: number | null; stderr: string }> {
  const fd = stdout === 'full' ? openSync(FULL, 'w') : undefined;
  try {
    const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), ...args], { stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    if (stdout === 'closed') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    return { code, stderr };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const itFull = existsSync(FULL) ? it : it.skip;

describeCorpus('stdout on a full disk: one line, exit 2, every command', () => {
  for (const [name, args] of EVERY_COMMAND) {
    itFull(`${name} > /dev/full: INPUT_OUTPUT_UNWRITABLE naming stdout and the command, exit 2, no INTERNAL, no stack trace`, async () => {
      const r = await run('full', [...args]);
      expect(r.code, r.stderr).toBe(2);
      const line = LINE(name === '--help' ? 'rowback' : `rowback ${name.replace(/ --.*/, '')}`);
      expect(r.stderr.endsWith(line), r.stderr).toBe(true);
      expect(r.stderr.split(line).length - 1).toBe(1);
      expect(r.stderr).not.toMatch(/INTERNAL|\n\s+at /);
    }, 60_000);
  }
});

describeCorpus('--report of a run whose output was cut or failed', () => {
  const old = JSON.stringify({ complete: true, rows: 403, note: "the previous run's report" });

  it('dump --all --report R | (closed): R says complete false, OUTPUT_CLOSED (it kept the previous run\'s "complete": true)', async () => {
    const report = join(dir, 'dump-closed.json');
    writeFileSync(report, old);
    const r = await run('closed', ['dump', '--bak', PUBS, '--all', '--report', report]);
    expect(r.code, r.stderr).toBe(141);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ times: REPORT_TIMES, complete: false, failed: { code: 'OUTPUT_CLOSED', message: 'output closed by its reader (EPIPE): the result was not written whole' }, incomplete: [] });
  }, 60_000);

  it('scan --report R | (closed): the same', async () => {
    const report = join(dir, 'scan-closed.json');
    writeFileSync(report, old);
    const r = await run('closed', ['scan', '--mdf', MDF, '--ldf', LDF, '--report', report]);
    expect(r.code, r.stderr).toBe(141);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'OUTPUT_CLOSED' } });
  }, 60_000);

  it('log --report R | (closed): the same', async () => {
    const report = join(dir, 'log-closed.json');
    writeFileSync(report, old);
    const r = await run('closed', ['log', LDF, '--format', 'ndjson', '--report', report]);
    expect(r.code, r.stderr).toBe(141);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'OUTPUT_CLOSED' } });
  }, 60_000);

  itFull('scan, dump and log --report R > /dev/full: R says complete false, INPUT_OUTPUT_UNWRITABLE', async () => {
    for (const [cmd, args] of [['scan', ['scan', '--mdf', MDF, '--ldf', LDF]], ['dump', ['dump', '--bak', PUBS, '--all']], ['log', ['log', LDF, '--format', 'ndjson']]] as const) {
      const report = join(dir, `${cmd}-full.json`);
      writeFileSync(report, old);
      const r = await run('full', [...args, '--report', report]);
      expect(r.code, r.stderr).toBe(2);
      const rep = JSON.parse(readFileSync(report, 'utf8'));
      expect(rep).toMatchObject({ complete: false, failed: { code: 'INPUT_OUTPUT_UNWRITABLE' } });
      expect(`rowback: ${rep.failed.code}: ${rep.failed.message}\n`).toBe(LINE(`rowback ${cmd}`));
    }
  }, 60_000);

  it('a file that is not a report is never overwritten (a data file named by --report)', async () => {
    const notReport = join(dir, 'evidence.bin');
    writeFileSync(notReport, 'not a report');
    const r = await run('closed', ['dump', '--bak', PUBS, '--all', '--report', notReport]);
    expect(r.code).toBe(141);
    expect(readFileSync(notReport, 'utf8')).toBe('not a report');
  }, 60_000);
});
