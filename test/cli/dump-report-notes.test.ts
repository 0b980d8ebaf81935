import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `dump --report` had no `notes`: what dump says as notes was on stderr only, and not at all with
 * `--quiet` (docs/scripting.md's way: `--quiet --strict --report`). TSQLV4 holds dbo.Employees (5
 * rows) and HR.Employees (9): `--table Employees` read dbo.Employees, and the note saying HR.Employees
 * is beside it reached no script (newcomer E). Now the report carries `notes` (`[]` when none) for a
 * dump of pages and a point-in-time one alike. REAL bytes: TSQLV4.bak (compressed).
 */
describeCorpus('dump --report notes (TSQLV4.bak, --table Employees)', () => {
  const cli = captureCli();
  const BAK = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  const SAID = 'dbo.Employees is the table read (a name without a schema is dbo\'s); HR.Employees has the same name in another schema';
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-dump-notes-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, extra] of [['pages', []], ['point in time', ['--stop-before-lsn', '00000027:00000ea8:0001']]] as const) {
    it(`${name}: the note is in the report with --quiet, as stderr says it without`, async () => {
      const report = join(dir, `${name}.json`);
      const quiet = await cli('dump', '--bak', BAK, ...extra, '--table', 'Employees', '--quiet', '--strict', '--report', report, '--out', join(dir, `${name}.ndjson`));
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).not.toContain(SAID);
      const r = JSON.parse(readFileSync(report, 'utf8'));
      expect(r.rowsPerTable).toEqual({ 'dbo.Employees': 5 });
      expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining(SAID)]));
      const loud = await cli('dump', '--bak', BAK, ...extra, '--table', 'Employees', '--out', join(dir, `${name}2.ndjson`));
      expect(loud.stderr).toContain(`rowback dump: note: ${SAID}`);
      // a table named with its schema: no note, `notes: []`
      const exact = join(dir, `${name}-exact.json`);
      expect((await cli('dump', '--bak', BAK, ...extra, '--table', 'HR.Employees', '--quiet', '--report', exact, '--out', join(dir, `${name}3.ndjson`))).code).toBe(0);
      expect(JSON.parse(readFileSync(exact, 'utf8')).notes).toEqual([]);
    });
  }
});
