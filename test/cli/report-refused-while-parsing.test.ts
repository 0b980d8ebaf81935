/**
 * scan, log and dump refused while their options are read (an unknown option, a value not among
 * the choices, a value missing, a stray argument, --report given twice) replace `--report` with
 * `{ complete: false, failed: { code, message } }`, as a refusal after the options parsed does
 * (failed-report.ts): the previous run's report stayed, `"complete": true` of other files, and
 * docs/scripting.md says a stale report from an earlier run is never read as this one's. A file
 * that is not a report of rowback is left as it was. No corpus file is read.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

const cli = captureCli();

describe('a run refused while its options are read replaces --report', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-refused-parsing-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const earlier = JSON.stringify({ times: 'x', source: 'other files', rows: 73, complete: true, incomplete: [] }, null, 2);

  const cases: [string, (report: string) => string[], string][] = [
    ['scan, an unknown option', (r) => ['scan', '--ldf', 'x.ldf', '--frm', '2018-01-01', '--report', r], "unknown option '--frm'"],
    ['scan, --op not among its choices', (r) => ['scan', '--ldf', 'x.ldf', '--op', 'bogus', `--report=${r}`], "--op 'bogus' is not one of"],
    ['scan, a stray argument', (r) => ['scan', 'extra', '--ldf', 'x.ldf', '--report', r], "too many arguments for 'scan'"],
    ['log, an unknown option', (r) => ['log', 'x.ldf', '--bogus', '--report', r], "unknown option '--bogus'"],
    ['dump, --format not among its choices', (r) => ['dump', '--mdf', 'x.mdf', '--all', '--format', 'xml', '--report', r], "--format 'xml' is not one of"],
  ];
  for (const [what, argv, said] of cases) {
    it(`${what}: complete false, failed; a file of yours left`, async () => {
      const report = join(dir, 'report.json');
      writeFileSync(report, earlier);
      const r = await cli(...argv(report));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(said);
      const written = JSON.parse(readFileSync(report, 'utf8'));
      expect(written).toMatchObject({ complete: false, failed: { code: 'INPUT_BAD_OPTION', message: expect.stringContaining(said) } });
      // every report says what its times are, dump's too (it said nothing of them)
      expect(written.times).toContain("the SQL Server's local time");
      const notes = join(dir, 'notes.txt');
      writeFileSync(notes, 'my own notes\n');
      expect((await cli(...argv(notes))).code).toBe(2);
      expect(readFileSync(notes, 'utf8')).toBe('my own notes\n');
    });
  }

  it('a report path that is also an input typed (a catalog that reads as a report) is not written', async () => {
    const both = join(dir, 'both.json');
    writeFileSync(both, earlier);
    const r = await cli('scan', '--ldf', 'x.ldf', `--schema=${both}`, '--frm', '2018', '--report', both);
    expect(r.code).toBe(2);
    expect(readFileSync(both, 'utf8')).toBe(earlier);
  });

  it('--help and --version write nothing', async () => {
    const report = join(dir, 'kept.json');
    writeFileSync(report, earlier);
    expect((await cli('scan', '--help', '--report', report)).code).toBe(0);
    expect(readFileSync(report, 'utf8')).toBe(earlier);
  });
});
