/**
 * Pages without a page checksum (torn-page bits only, or no protection) cannot show a changed byte
 * inside their rows: `dump` says how many of the pages it read are such pages (NORTHWND.MDF and the
 * SQL Server 2005 backup are torn-bits only), and says nothing when every page carried a checksum.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uncheckedPagesNote } from '../../src/datafile/page-reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const stats = (checksumOk: number, tornBitsOk: number, unprotected: number) => ({ read: checksumOk + tornBitsOk + unprotected, checksumOk, tornBitsOk, unprotected, bad: 0, missing: 0 });

describe('uncheckedPagesNote', () => {
  it.each([
    [stats(10, 0, 0), undefined],
    [stats(0, 0, 0), undefined],
    [stats(0, 38, 0), 'none of the 38 pages read carries a page checksum (38 with torn-page bits only; '],
    [stats(5, 2, 1), '3 of the 8 pages read carry no page checksum (2 with torn-page bits only, 1 with no protection; '],
    [stats(1, 0, 4), '4 of the 5 pages read carry no page checksum (4 with no protection; '],
  ])('%o → %s', (s, want) => {
    const got = uncheckedPagesNote(s);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got!.startsWith(want)).toBe(true);
  });
});

describeCorpus('dump names pages that carry no page checksum', () => {
  const out = () => join(mkdtempSync(join(tmpdir(), 'rowback-pagenote-')), 'rows.ndjson');
  it('NORTHWND.MDF (torn-page bits only): a note after the summary', async () => {
    const r = await cli('dump', '--mdf', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--table', 'dbo.Customers', '--out', out());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rowback dump: dbo.Customers: 91 row(s)\nrowback dump: note: none of the 39 pages read carries a page checksum (39 with torn-page bits only; written while the database was not on PAGE_VERIFY CHECKSUM): a changed byte inside their rows cannot be detected');
    const quiet = await cli('dump', '--mdf', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--table', 'dbo.Customers', '--out', out(), '--quiet');
    expect(quiet.stderr).toBe('');
  });
  it('a flipped null bit on a torn-bits page: the key column reads NULL with a warning (NORTHWND.MDF page 1:111, ALFKI)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-nullbit-'));
    const copy = join(dir, 'NORTHWND.MDF');
    const b = readFileSync(corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'));
    b[909424] ^= 0x01; // null bitmap of slot 0 of page 1:111: CustomerID
    writeFileSync(copy, b);
    const rows = join(dir, 'rows.ndjson');
    const r = await cli('dump', '--mdf', copy, '--table', 'dbo.Customers', '--out', rows);
    expect(r.code).toBe(0);
    const alfki = readFileSync(rows, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((x) => x.values.CompanyName === 'Alfreds Futterkiste');
    expect(alfki.values.CustomerID).toBeNull();
    expect(alfki.warnings).toContain("column CustomerID is declared NOT NULL, yet this record marks it NULL: the record is damaged (a changed bit), or the row was deleted before the column became NOT NULL and is read with today's layout; check it against a backup before re-inserting it");
  });
  // One bit of m_flagBits (no checksum covers the header's flags on a torn-bits page) made a page
  // read as unprotected: its torn bits were not put back, 14 values of dbo.Orders changed and a row
  // was lost, with no word. The bytes show which protection the page was written with.
  it.each([
    ['NORTHWND.MDF page 1:247, 0x0100 (torn bits) cleared', 'SessionShoppingCart/App_Data/NORTHWND.MDF', 'dbo.Orders', 247 * 8192 + 5, 0x01, 0],
    ['Database1.mdf page 1:289, 0x0200 (checksum) cleared', 'AngularJs_CRUD/App_Data/Database1.mdf', 'dbo.tblDept', 289 * 8192 + 5, 0x02, 0],
    ['School.mdf page 1:295, 0x0200 (checksum) cleared', 'sql-practice-asp/App_Data/School.mdf', 'dbo.Classes', 295 * 8192 + 5, 0x02, 0],
    // two changes: the checksum (taken with the flag set) no longer matches and no torn pattern
    // shows; the page was written protected (m_tornBits set) and is refused, not read unchecked
    ['Database1.mdf page 1:289, 0x0200 cleared and a row byte changed', 'AngularJs_CRUD/App_Data/Database1.mdf', 'dbo.tblDept', 289 * 8192 + 5, 0x02, 289 * 8192 + 0x70],
    ['NORTHWND.MDF page 1:247, 0x0100 cleared and sector 3 torn', 'SessionShoppingCart/App_Data/NORTHWND.MDF', 'dbo.Orders', 247 * 8192 + 5, 0x01, 247 * 8192 + 3 * 512 + 511],
  ])('%s: read by the protection its bytes show', async (_name, file, table, at, mask, alsoRow) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-flagbits-'));
    const copy = join(dir, 'copy.mdf');
    const b = readFileSync(corpusPath(file));
    expect(b[at] & mask).toBe(mask);
    b[at] ^= mask;
    if (alsoRow) b[alsoRow] ^= 0x01;
    writeFileSync(copy, b);
    const clean = join(dir, 'clean.ndjson');
    const damaged = join(dir, 'damaged.ndjson');
    await cli('dump', '--mdf', corpusPath(file), '--table', table, '--out', clean);
    const r = await cli('dump', '--mdf', copy, '--table', table, '--out', damaged);
    expect(r.code).toBe(0);
    if (alsoRow) {
      expect(r.stderr).toMatch(/FORMAT_BAD_PAGE: m_flagBits 0x[0-9a-f]{4} name no protection, yet m_tornBits holds 0x[0-9a-f]{8}, which neither the page checksum nor a torn-bit pattern matches: a flag bit or the page's contents are damaged/);
      expect(r.stderr).toContain('INCOMPLETE');
      expect(r.stderr).not.toContain('with no protection');
    } else {
      expect(r.stderr).not.toContain('INCOMPLETE');
      expect(readFileSync(damaged, 'utf8')).toBe(readFileSync(clean, 'utf8'));
    }
  });
  // both protection flags is no state SQL Server writes: a set bit is damage, and the page's bytes say which protection it has
  it.each([
    ['NORTHWND.MDF page 1:111, 0x0200 set on a torn-bits page', 'SessionShoppingCart/App_Data/NORTHWND.MDF', 'dbo.Customers', 111 * 8192 + 5, 0x02],
    ['School.mdf page 1:295, 0x0100 set on a checksum page', 'sql-practice-asp/App_Data/School.mdf', 'dbo.Classes', 295 * 8192 + 5, 0x01],
  ])('%s: read as it was written, rows as from the whole file', async (_name, file, table, at, mask) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-bothflags-'));
    const copy = join(dir, 'copy.mdf');
    const b = readFileSync(corpusPath(file));
    expect(b[at] & mask).toBe(0);
    b[at] |= mask;
    writeFileSync(copy, b);
    const clean = join(dir, 'clean.ndjson');
    const damaged = join(dir, 'damaged.ndjson');
    await cli('dump', '--mdf', corpusPath(file), '--table', table, '--out', clean);
    const r = await cli('dump', '--mdf', copy, '--table', table, '--out', damaged);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(readFileSync(damaged, 'utf8')).toBe(readFileSync(clean, 'utf8'));
  });
  it('AngularJs_CRUD (every page with a checksum): no note', async () => {
    const r = await cli('dump', '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--table', 'dbo.tblDept', '--out', out());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('dbo.tblDept: 8 row(s)');
    expect(r.stderr).not.toContain('page checksum');
  });
});
