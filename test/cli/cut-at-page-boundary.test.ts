import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Database files cut at a page boundary before the page a reader looks for first. An .ldf cut to its
 * file header page (8,192 bytes) said FORMAT_NOT_A_LOG_FILE "no file header page (type 15) with a VLF
 * header…" (scan) and INPUT_UNKNOWN_FILE_KIND (inspect), while one cut at 9,000 said plainly
 * FORMAT_LOG_FILE_CUT "its file header says N bytes, the file holds 9000". An .mdf cut to 65,536
 * bytes said only FORMAT_PAGE_MISSING page 1:9. Each now says the file is cut, by how much (the file
 * header page's size field) and what to do. The cut copies are made at test time in a temp dir.
 */
const cli = captureCli();
const app = (f: string) => corpusPath('CRUD-.NET', 'App_Data', f);
let dir: string;
let ldf: string;
let mdf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-cut-page-'));
  ldf = join(dir, 'cut_log.ldf');
  writeFileSync(ldf, readFileSync(app('Database_log.ldf')).subarray(0, 8192));
  mdf = join(dir, 'cut.mdf');
  writeFileSync(mdf, readFileSync(app('Database.mdf')).subarray(0, 65536));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a database file cut at a page boundary: said as cut, with its stated size', () => {
  it('scan --ldf, an .ldf cut to its file header page: FORMAT_LOG_FILE_CUT naming both sizes', async () => {
    const r = await cli('scan', '--ldf', ldf, '--mdf', app('Database.mdf'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('FORMAT_LOG_FILE_CUT: the log file is cut short: its file header says 851968 bytes, the file holds 8192 (its file header page only)');
    expect(r.stderr).toContain('copy the whole .ldf again');
    expect(r.stderr).not.toContain('FORMAT_NOT_A_LOG_FILE');
  });

  it('inspect: the cut .ldf and the cut .mdf are said cut (they were INPUT_UNKNOWN_FILE_KIND)', async () => {
    const l = await cli('inspect', ldf);
    expect(l.stderr).toContain(`FORMAT_FILE_CUT: ${ldf} is a SQL Server database file (its page 0 is a file header page, file id 2) cut short: its file header page says 851968 bytes (104 pages), the file holds 8192`);
    const m = await cli('inspect', mdf);
    expect(m.stderr).toContain(`FORMAT_FILE_CUT: ${mdf} is a SQL Server database file (its page 0 is a file header page, file id 1) cut short: its file header page says 3211264 bytes (392 pages), the file holds 65536, so 3145728 bytes are missing`);
    for (const r of [l, m]) expect(r.stderr).not.toContain('INPUT_UNKNOWN_FILE_KIND');
  });

  it('dump --all --mdf, an .mdf cut before its boot page: the missing page said as a cut, how short, what to do', async () => {
    const r = await cli('dump', '--all', '--mdf', mdf);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`does not hold page 1:9: the file is cut short: its file header page (page 1:0) says it has 392 pages (3211264 bytes), the file holds 65536 bytes (8 whole pages), so pages 1:8 to 1:391 (3145728 bytes) are missing; copy the whole file again`);
  });
});
