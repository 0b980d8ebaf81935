import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/**
 * dump of a data file with a page that cannot be read: the rows on it are missing from the output.
 * With --quiet nothing said so (0 rows of dbo.tblDept, exit 0, not a word, where the whole file has
 * 8), and a table whose catalog page was lost was "not in" the file. Copies of the corpus's
 * AngularJs_CRUD Database1.mdf, damaged in a temporary folder.
 */
describeCorpus('dump of a damaged data file', () => {
  const damaged = (name: string, change: (b: Buffer) => Buffer): string => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-dump-damaged-'));
    const f = join(dir, name);
    writeFileSync(f, change(Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')))));
    return f;
  };

  it('a zeroed data page: INCOMPLETE on stderr also with --quiet, naming the page', async () => {
    const mdf = damaged('zeroed.mdf', (b) => b.fill(0, 289 * 8192, 290 * 8192));
    const r = await run('dump', '--quiet', '--mdf', mdf, '--table', 'tblDept');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: 2 item\(s\) could not be read \(FORMAT_BROKEN_CHAIN, FORMAT_BAD_PAGE; page 1:289\); the 0 row\(s\) printed may not be all the table\(s\) hold\n$/);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-dump-whole-')), 'rows.ndjson');
    const whole = await run('dump', '--quiet', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--table', 'tblDept', '--out', out);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(8);
    expect(whole.stderr).toBe('');
  });

  it('a cut file whose catalog pages are gone: --all is INCOMPLETE, a named table "may be in it, unnamed"', async () => {
    const mdf = damaged('cut.mdf', (b) => b.subarray(0, 1_500_000));
    const all = await run('dump', '--quiet', '--mdf', mdf, '--all');
    expect(all.stderr).toMatch(/INCOMPLETE: 4 item\(s\) could not be read \(FORMAT_PAGE_MISSING, FORMAT_BROKEN_CHAIN; pages 1:184, 1:273\), the catalog among them/);
    const one = await run('dump', '--mdf', mdf, '--table', 'tblDept');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/INPUT_UNKNOWN_TABLE: table dbo\.tblDept is not named in .*the file's catalog is damaged \(sys\.sysschobjs, sys\.sysidxstats; pages 1:184, 1:273\), so dbo\.tblDept may be in it, unnamed/);
  });
});
