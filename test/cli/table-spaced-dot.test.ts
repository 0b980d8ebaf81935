/**
 * `--table '[dbo] . [tblDept]'`: spaces around the dot, as T-SQL allows them. splitQualifiedName
 * skipped spaces before the dot only, so the bracket after it was read as part of a plain name
 * (`[tblDept]`, brackets and all): since tables are named by parts (12306bea) dump refused it as
 * `[dbo].[[tblDept]]]`, unknown (it printed the table before, its brackets stripped), and scan and
 * log never found it. REAL: AngularJs_CRUD Database1.mdf / Database1_log.ldf (dbo.tblDept: 13
 * deletes in the log, its rows in the data file).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('--table with spaces around the dot (real data file and log)', () => {
  let dir: string;
  const cli = captureCli();
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-spaced-dot-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const mdf = () => corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const tables = (out: string) => new Set(out.trim().split('\n').map((l) => (JSON.parse(l) as { table: string }).table));

  it('dump and scan read dbo.tblDept as for [dbo].[tblDept]', async () => {
    const run = async (name: string, ...argv: string[]) => {
      const out = join(dir, name);
      const r = await cli(...argv, '--out', out, '--quiet');
      return { ...r, text: r.code === 0 ? readFileSync(out, 'utf8') : '' };
    };
    const want = await run('want.ndjson', 'dump', '--mdf', mdf(), '--table', '[dbo].[tblDept]');
    expect(want.code, want.stderr).toBe(0);
    for (const [i, t] of ['[dbo] . [tblDept]', 'dbo . [tblDept]'].entries()) {
      const d = await run(`dump${i}.ndjson`, 'dump', '--mdf', mdf(), '--table', t);
      expect(d.code, `${t}: ${d.stderr}`).toBe(0);
      expect(d.text).toBe(want.text);
      expect(tables(d.text)).toEqual(new Set(['dbo.tblDept']));
      const s = await run(`scan${i}.ndjson`, 'scan', '--mdf', mdf(), '--ldf', ldf(), '--table', t);
      expect(s.code, `${t}: ${s.stderr}`).toBe(0);
      expect(s.text.trim().split('\n')).toHaveLength(13);
      expect(tables(s.text)).toEqual(new Set(['dbo.tblDept']));
    }
  }, 120_000);
});
