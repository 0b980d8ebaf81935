import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/**
 * A data file whose system-table pages are missing or damaged (here: the corpus's AngularJs_CRUD
 * Database1.mdf cut to its first 1,500,000 bytes, which loses pages 1:184 of sys.sysschobjs and
 * 1:273 of sys.sysidxstats) no longer names the tables the log's 16 deletes were on. The scan
 * printed 0 rows, exit 0, "complete": true in --report, and with --quiet said nothing at all: a
 * script took "no deleted rows" for the answer. The deletes are there; the catalog that names
 * their tables is not.
 */
describeCorpus('scan over a data file whose catalog is damaged', () => {
  const cut = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cut-mdf-'));
    const mdf = join(dir, 'Database1_cut.mdf');
    writeFileSync(mdf, readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')).subarray(0, 1_500_000));
    return { dir, mdf, ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf') };
  };

  it('is INCOMPLETE (also with --quiet, and "complete": false in the report), naming the damaged system tables', async () => {
    const { dir, mdf, ldf } = cut();
    const report = join(dir, 'report.json');
    const r = await run('scan', '--quiet', '--mdf', mdf, '--ldf', ldf, '--report', report);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback scan: INCOMPLETE: the data file's catalog is damaged \(sys\.sysschobjs, sys\.sysidxstats; pages 1:184, 1:273\): 16 delete\(s\) on allocation units it does not name may be rows of tables it lost/m);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; rows: number };
    expect(rep).toMatchObject({ complete: false, rows: 0 });
    const loud = await run('scan', '--mdf', mdf, '--ldf', ldf);
    expect(loud.stderr).toMatch(/INCOMPLETE: the data file's catalog is damaged/);
  });

  it('--table of a table the damaged catalog no longer names: "not named", the damage said (scan and log), not "not in the metadata; known tables: (none)"', async () => {
    const { mdf, ldf } = cut();
    for (const argv of [['scan', '--mdf', mdf, '--ldf', ldf, '--table', 'tblDept'], ['log', '--mdf', mdf, '--table', 'tblDept', ldf]]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/INPUT_UNKNOWN_TABLE: table dbo\.tblDept is not named in the metadata; known tables: \(none\); the catalog is damaged \(sys\.sysschobjs, sys\.sysidxstats; pages 1:184, 1:273\), so dbo\.tblDept may be there/);
    }
  });

  it('a zeroed sys.syscolpars (or sys.sysrscols) page leaves the tables named but without columns: INCOMPLETE too, also with --quiet (it was 0 rows, exit 0, "complete": true, silent)', async () => {
    // pages 1:112 (sys.syscolpars) and 1:85 (sys.sysrscols) of the corpus file, zeroed in a copy
    for (const page of [112, 85]) {
      const dir = mkdtempSync(join(tmpdir(), 'rowback-zeroed-syspage-'));
      const mdf = join(dir, 'Database1_zeroed.mdf');
      const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')));
      b.fill(0, page * 8192, (page + 1) * 8192);
      writeFileSync(mdf, b);
      const report = join(dir, 'report.json');
      const r = await run('scan', '--quiet', '--mdf', mdf, '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--report', report);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^rowback scan: INCOMPLETE: the data file's catalog is damaged \\(sys\\.sys(colpars|rscols); pages 1:${page}\\): 16 row operation\\(s\\) of tables it names could not be decoded`, 'm'));
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, rows: 0 });
    }
  });

  it('the whole file: complete, no such line', async () => {
    const r = await run('scan', '--quiet', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
  });
});
