import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `--out F --report F` is refused (INPUT_OUTPUT_IS_INPUT) before either is written. F holding the
 * report of an earlier run (`"complete": true`) was left as it was: a script running the same
 * command again with a mistyped variable read exit 2 and a whole report, of other files. It is
 * replaced as any refused run's report is (docs/scripting.md: a refused run writes over no file or
 * an earlier report only); F holding anything else (an earlier --out's rows) is still left, and no
 * F is created (test/cli/diff-report.test.ts, test/cli/log-report.test.ts). REAL files: appveyor-lab/RestoreTimeClean.
 */
const cli = captureCli();
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const EARLIER = JSON.stringify({ times: 'YYYY-MM-DDTHH:MM:SS.fff', rows: 20, complete: true, incomplete: [], notes: [] }, null, 2);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-report-same-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('--out F --report F: an earlier report in F is replaced by the refusal', () => {
  const commands: Array<[string, (f: string) => string[]]> = [
    ['scan', (f) => ['scan', '--bak', RTC('RestoreTimeClean.bak'), '--trn', RTC('RestoreTimeClean_1.trn'), '--out', f, '--report', f]],
    ['dump', (f) => ['dump', '--bak', RTC('RestoreTimeClean.bak'), '--table', 'steps', '--out', f, '--report', `./${f.slice(dir.length + 1)}`]],
    ['log', (f) => ['log', RTC('RestoreTimeClean_1.trn'), '--out', f, '--report', f]],
    ['diff', (f) => ['diff', '--bak', RTC('RestoreTimeClean.bak'), '--after-bak', RTC('RestoreTimeClean.bak'), '--table', 'steps', '--out', f, '--report', f]],
  ];
  for (const [name, argv] of commands) {
    it(`${name}: exit 2, the report says failed INPUT_OUTPUT_IS_INPUT (it said complete: true of the run before)`, async () => {
      const f = join(dir, `${name}.json`);
      writeFileSync(f, EARLIER);
      const cwd = process.cwd();
      process.chdir(dir);
      let r;
      try {
        r = await cli(...argv(f), '--quiet');
      } finally {
        process.chdir(cwd);
      }
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: /);
      const j = JSON.parse(readFileSync(f, 'utf8'));
      expect(j).toMatchObject({ complete: false, incomplete: [], failed: { code: 'INPUT_OUTPUT_IS_INPUT' } });
      expect(j.rows).toBeUndefined();
    }, 60_000);
  }

  it('dump --csv-raw without CSV (refused in its action, before its report was looked at): the earlier report replaced too', async () => {
    const f = join(dir, 'csv-raw.json');
    writeFileSync(f, EARLIER);
    const r = await cli('dump', '--bak', RTC('RestoreTimeClean.bak'), '--table', 'steps', '--csv-raw', '--out', join(dir, 'rows.ndjson'), '--report', f, '--quiet');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_OPTION: --csv-raw /);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'INPUT_BAD_OPTION' } });
  }, 60_000);

  it('F holding rows (not a report) is left as it was', async () => {
    const f = join(dir, 'rows.ndjson');
    writeFileSync(f, '{"step":1}\n');
    const r = await cli('scan', '--bak', RTC('RestoreTimeClean.bak'), '--trn', RTC('RestoreTimeClean_1.trn'), '--out', f, '--report', f, '--quiet');
    expect(r.code).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe('{"step":1}\n');
  }, 60_000);
});
