import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `--strict`: a result that is INCOMPLETE exits 3 instead of 0, with the same stdout and the
 * INCOMPLETE line still on stderr (also with --quiet); a whole result exits 0 with it. REAL
 * corpus files (AngularJs_CRUD Database1.mdf / Database1_log.ldf, RestoreTimeClean log backups),
 * damaged as copies in a temporary folder: the .ldf cut at its third VLF (FORMAT_LOG_FILE_CUT), a
 * data page of dbo.tblDept zeroed (1:289), and a log backup left out of a chain (FORMAT_LOG_CHAIN_GAP).
 */
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const T = (n: number) => corpusPath('appveyor-lab', 'RestoreTimeClean', `RestoreTimeClean_${n}.trn`);

describeCorpus('--strict: exit 3 when the result is INCOMPLETE', () => {
  let cutLdf = '';
  let zeroedMdf = '';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-strict-'));
    cutLdf = join(dir, 'Database1_log.ldf');
    copyFileSync(A('Database1_log.ldf'), cutLdf);
    truncateSync(cutLdf, (await readLdfLayout(A('Database1_log.ldf'))).vlfs[2].offset);
    zeroedMdf = join(dir, 'Database1.mdf');
    writeFileSync(zeroedMdf, Buffer.from(readFileSync(A('Database1.mdf'))).fill(0, 289 * 8192, 290 * 8192));
  });

  /** Runs the command; dump writes to --out (captureCli's stdout never calls a write's callback, which dump waits on), read back as its stdout. */
  let n = 0;
  const run = async (argv: string[]) => {
    if (argv[0] !== 'dump') return cli(...argv);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-strict-out-')), `${n++}.ndjson`);
    const r = await cli(...argv, '--out', out);
    return { ...r, stdout: readFileSync(out, 'utf8') };
  };

  // [command, incomplete argv, what its INCOMPLETE line says, the same command on whole files]
  const cases: Array<[string, () => string[], RegExp, () => string[]]> = [
    ['scan of a cut .ldf', () => ['scan', '--mdf', A('Database1.mdf'), '--ldf', cutLdf], /^rowback scan: INCOMPLETE: .*FORMAT_LOG_FILE_CUT/m, () => ['scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf')]],
    ['dump of a zeroed data page', () => ['dump', '--mdf', zeroedMdf, '--all'], /^rowback dump: INCOMPLETE: .*page 1:289/m, () => ['dump', '--mdf', A('Database1.mdf'), '--all']],
    ['log of a cut .ldf', () => ['log', cutLdf, '--format', 'ndjson'], /^rowback log: INCOMPLETE: .*FORMAT_LOG_FILE_CUT/m, () => ['log', A('Database1_log.ldf'), '--format', 'ndjson']],
    ['log of log backups with one left out', () => ['log', T(1), T(3), '--format', 'csv'], /^rowback log: INCOMPLETE: .*FORMAT_LOG_CHAIN_GAP/m, () => ['log', T(1), T(2), T(3), '--format', 'csv']],
  ];

  it.each(cases)('%s: 3 with --strict, 0 without, the same stdout; INCOMPLETE said either way, and with --quiet', async (_name, incomplete, line, whole) => {
    const plain = await run(incomplete());
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(line);
    expect(plain.stdout.length).toBeGreaterThan(0);
    const strict = await run([...incomplete(), '--strict']);
    expect(strict.code, strict.stderr).toBe(3);
    expect(strict.stdout).toBe(plain.stdout);
    expect(strict.stderr).toBe(plain.stderr);
    const quiet = await run([...incomplete(), '--strict', '--quiet']);
    expect(quiet.code).toBe(3);
    expect(quiet.stdout).toBe(plain.stdout);
    expect(quiet.stderr).toMatch(line);
    // the whole files: exit 0 with --strict, nothing INCOMPLETE
    const ok = await run([...whole(), '--strict']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.length).toBeGreaterThan(0);
    expect(ok.stderr).not.toContain('INCOMPLETE');
  });

  it('log --quiet says INCOMPLETE without --strict too (it said nothing), exit 0', async () => {
    const r = await cli('log', T(1), T(3), '--format', 'csv', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback log: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\); records in those LSN ranges are missing \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\)\n$/);
  });

  it('scan --strict --report: "complete": false is what exits 3', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'rowback-strict-report-')), 'r.json');
    const cut = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', cutLdf, '--strict', '--quiet', '--report', report);
    expect(cut.code).toBe(3);
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(false);
    const whole = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--strict', '--quiet', '--report', report);
    expect(whole.code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(true);
  });

  it('dump --strict of a point in time (whole or refused, never INCOMPLETE): exit 0', async () => {
    const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const r = await run(['dump', '--bak', R('RestoreTimeClean.bak'), '--trn', T(1), T(2), '--stop-at', '2017-06-01 13:01', '--table', 'dbo.steps', '--strict', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    // no row of this replay carries warnings: nothing said; its CSV ends with an empty warnings column
    expect(r.stderr).toBe('');
    const csv = await run(['dump', '--bak', R('RestoreTimeClean.bak'), '--trn', T(1), T(2), '--stop-at', '2017-06-01 13:01', '--table', 'dbo.steps', '--format', 'csv', '--strict', '--quiet']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual(['step,dt,warnings', '0,2017-06-01T12:59:12.9700000,']);
  });
});
