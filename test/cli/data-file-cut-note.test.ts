/**
 * `dump`, `scan` and `log --mdf` of a data file cut short where nothing they read reaches: the REAL Database1.mdf
 * (AngularJs_CRUD, 392 pages by its file header page) cut at test time in a temp dir (SYNTHETIC
 * damage) to 2,890,137 bytes, 352 whole pages; every table's pages and the catalog lie before the
 * cut. Their rows are whole (12 rows dumped, 16 deletes found with the real .ldf, 56 log records
 * of dbo.tblDept named), but the copy is
 * not, and neither said a word: a cut was told only when a page past it was asked for. Now a note
 * names the file, the pages missing and what to do, on stderr and in --report's notes; the result
 * and the exit code are those of the whole file. The whole file has no such note.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
// dump waits on its writes' callbacks: its rows go to an --out file (cliWithOutFile)
let dir: string;
const dumpCli = cliWithOutFile(cli, () => dir);

describeCorpus('dump and scan of a data file cut short past what they read', () => {
  let cut: string;
  const ldf = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-mdf-cut-note-'));
    cut = join(dir, 'cut.mdf');
    writeFileSync(cut, readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')).subarray(0, 2_890_137));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const note = (f: string) => `data file ${f} is cut short: its file header page (page 1:0) says it has 392 pages, the file holds 2890137 bytes (352 whole pages), so pages 1:352 to 1:391 are missing: the copy is not whole`;

  it('dump --all: the 12 rows, exit 0, and the note on stderr and in the report', async () => {
    const report = join(dir, 'dump.json');
    const r = await dumpCli('dump', '--mdf', cut, '--all', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(12);
    expect(r.stderr).toContain(`rowback dump: note: ${note(cut)}`);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(true);
    expect(rep.notes).toContainEqual(expect.stringContaining(note(cut)));
  });

  it('dump --all of a copy cut before its catalog pages (100 pages): no "no user table" claim; the damaged catalog named, INCOMPLETE', async () => {
    // AQ (session 50): it said "no user table with readable columns" above its INCOMPLETE line, a
    // claim the copy cannot back: the catalog pages naming the tables are past the cut
    const short = join(dir, 'cut-100.mdf');
    writeFileSync(short, readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')).subarray(0, 100 * 8192));
    const r = await dumpCli('dump', '--mdf', short, '--all');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('no user table with readable columns');
    expect(r.stderr).toMatch(/^rowback dump: no user table the damaged catalog still names \(sys\.sysallocunits, .*sys\.sysschobjs.*; pages 1:143, .*\) has readable columns: the database's tables are not known from this copy$/m);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: /m);
  });

  it('scan with the real .ldf: the 16 deletes, exit 0, and the note', async () => {
    const report = join(dir, 'scan.json');
    const r = await cli('scan', '--mdf', cut, '--ldf', ldf(), '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
    expect(r.stderr).toContain(`rowback scan: note: ${note(cut)}`);
    expect(JSON.parse(readFileSync(report, 'utf8')).notes).toContainEqual(expect.stringContaining(note(cut)));
  });

  it('log --mdf (the table names): the records of dbo.tblDept, exit 0, and the note', async () => {
    const report = join(dir, 'log.json');
    const r = await dumpCli('log', ldf(), '--mdf', cut, '--table', 'dbo.tblDept', '--format', 'csv', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(57); // the header and 56 records
    expect(r.stderr).toContain(`rowback log: note: ${note(cut)}`);
    expect(JSON.parse(readFileSync(report, 'utf8')).notes).toContainEqual(expect.stringContaining(note(cut)));
  });

  it('cut by its last page only: the note names that one page (it said "pages 1:391 to 1:391 are missing")', async () => {
    const last = join(dir, 'last-page-cut.mdf');
    writeFileSync(last, readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')).subarray(0, 391 * 8192));
    const r = await dumpCli('dump', '--mdf', last, '--all');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback dump: note: data file ${last} is cut short: its file header page (page 1:0) says it has 392 pages, the file holds 3203072 bytes (391 whole pages), so page 1:391 is missing: the copy is not whole`);
  });

  it('cut inside page 0 (its first bytes a file header page\'s): every command says it is cut there, exit 2 (dump, scan and log said it "does not start with a SQL Server file header page", inspect "is not a … data file")', async () => {
    const mdf = readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    for (const held of [96, 4096, 8191]) {
      const f = join(dir, `page-0-cut-${held}.mdf`);
      writeFileSync(f, mdf.subarray(0, held));
      const said = `FORMAT_FILE_CUT: ${f} is cut short inside its first page: it starts as a SQL Server database file's file header page does (page 0: header version 1, page type 15) but holds ${held} bytes of that page's 8192, so neither its size nor whether it is a data or a log file can be told, and no page of it can be read; copy the whole file again`;
      const runs = [await cli('inspect', f), await dumpCli('dump', '--mdf', f, '--all'), await cli('scan', '--mdf', f, '--ldf', ldf()), await dumpCli('log', ldf(), '--mdf', f), await dumpCli('log', f)];
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`rowback: ${said}`);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      }
    }
  });

  it('a log file cut inside page 0 (REAL Database1_log.ldf): scan --ldf and log say it is cut there (scan said "not a SQL Server log file: no file header page (type 15)")', async () => {
    const log = readFileSync(ldf());
    for (const held of [96, 4096]) {
      const f = join(dir, `log-page-0-cut-${held}.ldf`);
      writeFileSync(f, log.subarray(0, held));
      for (const r of [await cli('scan', '--ldf', f, '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')), await dumpCli('log', f)]) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`rowback: FORMAT_FILE_CUT: ${f} is cut short inside its first page: it starts as a SQL Server database file's file header page does (page 0: header version 1, page type 15) but holds ${held} bytes of that page's 8192`);
      }
    }
  });

  it('the whole file: no such note', async () => {
    const whole = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
    for (const r of [await dumpCli('dump', '--mdf', whole, '--all'), await cli('scan', '--mdf', whole, '--ldf', ldf()), await dumpCli('log', ldf(), '--mdf', whole, '--table', 'dbo.tblDept')]) {
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('cut short');
    }
  });
});
