import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A run refused for a mistyped input path (`--mdf Databse1.mdf`) with `--report` naming an existing
 * file that is no input of the run (`--report Database1.mdf`, the real data file: the input check
 * compares with the inputs given, and the one meant was mistyped) overwrote that file with
 * `{complete: false, failed}` (4f1322f, 77d8768): the 1 MB data file and the log destroyed by a
 * run that read nothing. A refused run's report now replaces only a report of rowback (or
 * nothing); another file is left as it was (the refusal stays one line). REAL files (copies in a temp dir):
 * AngularJs_CRUD Database1.mdf / Database1_log.ldf, pubs-2012 pubs.bak.
 */
const cli = captureCli();
describeCorpus('a refused run never writes its report over a file that is not a report', () => {
  const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
  const copy = (dir: string, from: string, name: string) => {
    const to = join(dir, name);
    copyFileSync(from, to);
    chmodSync(to, 0o644);
    return to;
  };

  it('scan: --mdf mistyped, --report the real data file: refused, the data file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-refused-report-'));
    const mdf = copy(dir, a('Database1.mdf'), 'Database1.mdf');
    const ldf = copy(dir, a('Database1_log.ldf'), 'Database1_log.ldf');
    const before = readFileSync(mdf);
    const r = await cli('scan', '--mdf', join(dir, 'Databse1.mdf'), '--ldf', ldf, '--report', mdf, '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_FILE_UNREADABLE');
    expect(readFileSync(mdf).equals(before)).toBe(true);
    // one line, the refusal naming the mistyped input (the report left unsaid: the CLI's failure contract)
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // a previous report is still replaced (4f1322f), and a new path written
    const report = join(dir, 'r.json');
    expect((await cli('scan', '--mdf', mdf, '--ldf', ldf, '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet')).code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(true);
    await cli('scan', '--mdf', join(dir, 'Databse1.mdf'), '--ldf', ldf, '--report', report, '--quiet');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'INPUT_FILE_UNREADABLE' } });
    const fresh = join(dir, 'new.json');
    await cli('scan', '--mdf', join(dir, 'Databse1.mdf'), '--ldf', ldf, '--report', fresh, '--quiet');
    expect(JSON.parse(readFileSync(fresh, 'utf8'))).toMatchObject({ complete: false });
  });

  it('dump: --bak mistyped, --report the real log file or backup: refused, both untouched; a dump report is replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-refused-report-'));
    const ldf = copy(dir, a('Database1_log.ldf'), 'Database1_log.ldf');
    const bak = copy(dir, corpusPath('pubs-2012', 'pubs.bak'), 'pubs.bak');
    const ldfBefore = readFileSync(ldf);
    const r = await cli('dump', '--bak', join(dir, 'pbus.bak'), '--table', 'dbo.authors', '--report', ldf, '--quiet');
    expect(r.code).toBe(2);
    expect(readFileSync(ldf).equals(ldfBefore)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const report = join(dir, 'd.json');
    expect((await cli('dump', '--bak', bak, '--table', 'dbo.authors', '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet')).code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ rows: 26, complete: true });
    await cli('dump', '--bak', join(dir, 'pbus.bak'), '--table', 'dbo.authors', '--report', report, '--quiet');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'INPUT_FILE_UNREADABLE' } });
    // a text file the user keeps (notes.txt) is not a report either
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'incident 4711: authors deleted at 10:02\n');
    await cli('dump', '--bak', join(dir, 'pbus.bak'), '--table', 'dbo.authors', '--report', notes, '--quiet');
    expect(readFileSync(notes, 'utf8')).toBe('incident 4711: authors deleted at 10:02\n');
  });
});
