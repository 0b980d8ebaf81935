import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { pageChecksum } from '../../src/datafile/page.js';
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
    // the page and its table named, not "may not be all": a zeroed header gives no slot count
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: dbo\.tblDept: page 1:289 \(FORMAT_BAD_PAGE\) failed its checks, nothing on it printed; 0 row\(s\) printed\n$/);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-dump-whole-')), 'rows.ndjson');
    const whole = await run('dump', '--quiet', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--table', 'tblDept', '--out', out);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(8);
    expect(whole.stderr).toBe('');
  });

  it('one changed bit in a data page: the page, its table and the slot count its header gives', async () => {
    const mdf = damaged('bit.mdf', (b) => {
      b[289 * 8192 + 500] ^= 0x01;
      return b;
    });
    const r = await run('dump', '--quiet', '--mdf', mdf, '--all', '--out', join(mkdtempSync(join(tmpdir(), 'rowback-dump-bit-')), 'r.ndjson'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: dbo\.tblDept: page 1:289 \(FORMAT_BAD_CHECKSUM; its header, which failed the check too, gives a data page of 8 slot\(s\)\) failed its checks, nothing on it printed; 4 row\(s\) printed\n$/);
  });

  it('a record whose status byte was changed (page checksum recomputed): its table, page and offset', async () => {
    const mdf = damaged('record.mdf', (b) => {
      const p = 289 * 8192;
      const slot0 = b.readUInt16LE(p + 8192 - 2);
      b[p + slot0] = (b[p + slot0] & ~0x0e) | (3 << 1); // an index record type on a data page
      b.writeUInt32LE(pageChecksum(new Uint8Array(b.buffer, b.byteOffset + p, 8192)), p + 60);
      return b;
    });
    const r = await run('dump', '--quiet', '--mdf', mdf, '--table', 'dbo.tblDept', '--out', join(mkdtempSync(join(tmpdir(), 'rowback-dump-rec-')), 'r.ndjson'));
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: dbo\.tblDept: 1 record\(s\) or value\(s\) not read: page 1:289 offset 96 \(FORMAT_BAD_RECORD\); 7 row\(s\) printed\n$/);
  });

  it('a file whose catalog page naming the tables is damaged (sysschobjs\' 1:161 zeroed): --all is INCOMPLETE, a named table "may be in it, unnamed"', async () => {
    const mdf = damaged('zeroed161.mdf', (b) => b.fill(0, 161 * 8192, 162 * 8192));
    const all = await run('dump', '--quiet', '--mdf', mdf, '--all');
    expect(all.stderr).toMatch(/INCOMPLETE: 2 item\(s\) could not be read \(FORMAT_BAD_PAGE, FORMAT_BROKEN_CHAIN; page 1:161\), the catalog among them/);
    const one = await run('dump', '--mdf', mdf, '--table', 'tblDept');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/INPUT_UNKNOWN_TABLE: table dbo\.tblDept is not named in .*the file's catalog is damaged \(sys\.sysschobjs; pages 1:161\), so dbo\.tblDept may be in it, unnamed/);
  });

  it('a file cut short before the end of its catalog\'s page chains (1:184 of sysschobjs, 1:273 of sysidxstats gone): the tables named on earlier pages are read (they were lost with the rest of the chain), their missing data pages named', async () => {
    const mdf = damaged('cut.mdf', (b) => b.subarray(0, 1_500_000));
    const all = await run('dump', '--quiet', '--mdf', mdf, '--all');
    expect(all.stderr).toMatch(/INCOMPLETE: dbo\.Employee: pages 1:279 \(FORMAT_PAGE_MISSING\), 1:288 \(FORMAT_PAGE_MISSING\) failed their checks, nothing on them printed; dbo\.tblDept: pages 1:289 \(FORMAT_PAGE_MISSING\), 1:290 \(FORMAT_PAGE_MISSING\) failed their checks/);
  });
});
