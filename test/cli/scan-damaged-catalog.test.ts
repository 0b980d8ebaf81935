import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/**
 * A data file whose system-table pages are missing or damaged no longer names the tables the log's
 * 16 deletes were on when the damaged page is the one holding their catalog rows: here page 1:161 of
 * sys.sysschobjs of the corpus's AngularJs_CRUD Database1.mdf (where dbo.Employee's and dbo.tblDept's
 * rows are), zeroed in a copy. The scan printed 0 rows, exit 0, "complete": true in --report, and with
 * --quiet said nothing at all: a script took "no deleted rows" for the answer. The deletes are there;
 * the catalog that names their tables is not.
 * A damaged page elsewhere in a system table's chain (the same file cut at 1,500,000 bytes, losing
 * sysschobjs' 1:184 and sysidxstats' 1:273; a checksum failure on sysschobjs' 1:170) ended the whole
 * table at the break: the tables named on pages after it (1:161 is the chain's last page) were lost
 * with it, and the scan was INCOMPLETE with 0 rows. The pages past the break are read from the table's
 * IAM chain now: the same 16 rows as from the whole file, the damaged page still named.
 */
describeCorpus('scan over a data file whose catalog is damaged', () => {
  const zeroed = (page: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-zeroed-syspage-'));
    const mdf = join(dir, 'Database1_zeroed.mdf');
    const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')));
    b.fill(0, page * 8192, (page + 1) * 8192);
    writeFileSync(mdf, b);
    return { dir, mdf, ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf') };
  };
  const cut = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cut-mdf-'));
    const mdf = join(dir, 'Database1_cut.mdf');
    writeFileSync(mdf, readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')).subarray(0, 1_500_000));
    return { dir, mdf, ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf') };
  };

  it('is INCOMPLETE (also with --quiet, and "complete": false in the report), naming the damaged system tables', async () => {
    const { dir, mdf, ldf } = zeroed(161);
    const report = join(dir, 'report.json');
    const r = await run('scan', '--quiet', '--mdf', mdf, '--ldf', ldf, '--report', report);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback scan: INCOMPLETE: the data file's catalog is damaged \(sys\.sysschobjs; pages 1:161\): 16 delete\(s\) on allocation units it does not name may be rows of tables it lost/m);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; rows: number };
    expect(rep).toMatchObject({ complete: false, rows: 0 });
    const loud = await run('scan', '--mdf', mdf, '--ldf', ldf);
    expect(loud.stderr).toMatch(/INCOMPLETE: the data file's catalog is damaged/);
  });

  it('--table of a table the damaged catalog no longer names: "not named", the damage said (scan and log), not "not in the metadata; known tables: (none)"', async () => {
    const { mdf, ldf } = zeroed(161);
    for (const argv of [['scan', '--mdf', mdf, '--ldf', ldf, '--table', 'tblDept'], ['log', '--mdf', mdf, '--table', 'tblDept', ldf]]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/INPUT_UNKNOWN_TABLE: table dbo\.tblDept is not named in the metadata; known tables: \(none\); the catalog is damaged \(sys\.sysschobjs; pages 1:161\), so dbo\.tblDept may be there/);
    }
  });

  it('a zeroed sys.syscolpars (or sys.sysrscols) page leaves the tables named but without columns: INCOMPLETE too, also with --quiet (it was 0 rows, exit 0, "complete": true, silent)', async () => {
    // pages 1:57 (sys.syscolpars) and 1:86 (sys.sysrscols) of the corpus file hold the two tables' column rows
    for (const page of [57, 86]) {
      const { dir, mdf, ldf } = zeroed(page);
      const report = join(dir, 'report.json');
      const r = await run('scan', '--quiet', '--mdf', mdf, '--ldf', ldf, '--report', report);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^rowback scan: INCOMPLETE: the data file's catalog is damaged \\(sys\\.sys(colpars|rscols); pages 1:${page}\\): 16 row operation\\(s\\) of tables it names could not be decoded`, 'm'));
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, rows: 0 });
    }
  });

  it('a damaged page inside a system table\'s page chain costs its own rows, not the rest of the table: the tables named after it are read from its IAM chain (it was 0 rows, INCOMPLETE)', async () => {
    const whole = await run('scan', '--quiet', '--format', 'ndjson', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    const rowsOf = (stdout: string) => stdout.trim().split('\n').map((l) => { const { source: _s, ...row } = JSON.parse(l) as { source: unknown }; return row; });
    const expected = rowsOf(whole.stdout);
    expect(expected).toHaveLength(16);
    const checksum = () => {
      const { dir, ldf } = cut();
      const mdf = join(dir, 'Database1_bad170.mdf');
      const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')));
      b[170 * 8192 + 200] ^= 0xff; // a record byte of sysschobjs' page 1:170: its page checksum fails
      writeFileSync(mdf, b);
      return { dir, mdf, ldf };
    };
    for (const [{ dir, mdf, ldf }, damaged] of [[cut(), /FORMAT_BROKEN_CHAIN: page 1:184 is missing or damaged; reading the rest of sys\.sysschobjs from its IAM chain \(1:117\)/], [checksum(), /FORMAT_BAD_CHECKSUM: checksum mismatch.*page 1:170\)[\s\S]*FORMAT_BROKEN_CHAIN: page 1:170 is missing or damaged; reading the rest of sys\.sysschobjs from its IAM chain/]] as const) {
      const report = join(dir, 'report.json');
      const r = await run('scan', '--format', 'ndjson', '--mdf', mdf, '--ldf', ldf, '--report', report);
      expect(r.code).toBe(0);
      expect(rowsOf(r.stdout)).toEqual(expected);
      // every skipped item is in the report; stderr lists the first 20 (the cut file's IAM pass names
      // its 26 missing pages first since bc372fd, so the chain break was past them: this failed on main)
      const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; rows: number; skipped: Array<{ code: string; reason: string; location: { page?: string } }> };
      expect(rep.skipped.map((x) => `${x.code}: ${x.reason} (page ${x.location.page})`).join('\n')).toMatch(damaged);
      expect(r.stderr).not.toMatch(/INCOMPLETE/);
      expect(rep).toMatchObject({ complete: true, rows: 16 });
    }
  });

  it('the whole file: complete, no such line', async () => {
    const r = await run('scan', '--quiet', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
  });
});
