/**
 * A few pages without a page checksum among pages with one are named (file:page) in dump's note: a
 * lone unchecked page among checked ones is suspect — its checksum flag and checksum may have been
 * wiped by the damage they would have shown. PageReader.stats keeps at most UNCHECKED_PAGES_NAMED + 1
 * distinct pages (the one more says "more than that"), and the note counts distinct pages as it names them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { PageReader, UNCHECKED_PAGES_NAMED, uncheckedPagesNote, type PageReadStats } from '../../src/datafile/page-reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const stats = (checksumOk: number, tornBitsOk: number, unprotected: number, uncheckedPages?: string[]): PageReadStats => ({
  read: checksumOk + tornBitsOk + unprotected, checksumOk, tornBitsOk, unprotected, bad: 0, missing: 0, ...(uncheckedPages ? { uncheckedPages } : {}),
});

describe('uncheckedPagesNote names a few unchecked pages among checked ones', () => {
  it('one of many', () => {
    expect(uncheckedPagesNote(stats(61, 0, 1, ['1:289']))).toBe(
      '1 of the 62 pages read carries no page checksum (1 with no protection): page 1:289. Among pages with a checksum a lone one without is suspect: not rewritten since the database was put on PAGE_VERIFY CHECKSUM, or its checksum flag cleared by the very damage it would have shown; a changed byte inside its rows cannot be detected, so compare those rows with another copy (the database, another copy of the file or backup) before trusting them',
    );
  });
  it('two or three pages are all named', () => {
    expect(uncheckedPagesNote(stats(60, 0, 2, ['1:289', '1:300']))).toContain('2 of the 62 pages read carry no page checksum (2 with no protection): pages 1:289 and 1:300. Among pages with a checksum a few without are suspect');
    expect(uncheckedPagesNote(stats(60, 1, 2, ['1:289', '1:300', '3:7']))).toContain('(1 with torn-page bits only, 2 with no protection): pages 1:289, 1:300 and 3:7. Among pages with a checksum a few without are suspect: ');
  });
  it('more than UNCHECKED_PAGES_NAMED pages, no page with a checksum, or no list: the count, as before', () => {
    expect(UNCHECKED_PAGES_NAMED).toBe(3);
    const before = (s: PageReadStats) => uncheckedPagesNote({ ...s, uncheckedPages: undefined });
    const many = stats(60, 0, 4, ['1:1', '1:2', '1:3', '1:4']);
    expect(uncheckedPagesNote(many)).toBe(before(many));
    const allTorn = stats(0, 38, 0, ['1:1', '1:2', '1:3']);
    expect(uncheckedPagesNote(allTorn)).toBe(before(allTorn));
    expect(uncheckedPagesNote(allTorn)).toMatch(/^none of the 38 pages read carries a page checksum \(38 with torn-page bits only; written while the database was not on PAGE_VERIFY CHECKSUM\): /);
  });
});

describeCorpus('a real page whose checksum flag and checksum were wiped (a damaged copy of Database1.mdf)', () => {
  const real = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const AT = 289 * 8192; // page 1:289, a data page of dbo.tblDept
  function damagedCopy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-lone-page-'));
    const copy = join(dir, 'Database1.mdf');
    const b = readFileSync(real);
    expect(b[AT + 5]! & 0x02).toBe(0x02); // m_flagBits 0x0200: PAGE_VERIFY CHECKSUM
    // the flag alone is not enough: the checksum left in m_tornBits still verifies the page
    // (page-protection-note.test.ts); flag and checksum both wiped, the page reads as unprotected
    b[AT + 5]! &= ~0x02;
    b.writeUInt32LE(0, AT + 60);
    writeFileSync(copy, b);
    return copy;
  }

  it('PageReader keeps the page in its stats', () => {
    const copy = damagedCopy();
    const reader = new PageReader(new MdfPageSource(copy));
    reader.get({ fileId: 1, pageId: 289 });
    reader.get({ fileId: 1, pageId: 9 });
    expect(reader.stats).toMatchObject({ checksumOk: 1, unprotected: 1, uncheckedPages: ['1:289'] });
    reader.source.close?.();
  });

  it('a page read again after leaving the cache counts once, as it is named once (it said "2 of the 3 page reads … : page 1:289")', () => {
    const copy = damagedCopy();
    const reader = new PageReader(new MdfPageSource(copy), 1); // a cache of one page: 1:289 is read twice
    reader.get({ fileId: 1, pageId: 289 });
    reader.get({ fileId: 1, pageId: 9 });
    reader.get({ fileId: 1, pageId: 289 });
    expect(reader.stats).toMatchObject({ read: 3, checksumOk: 1, unprotected: 2, distinct: { checksumOk: 1, tornBitsOk: 0, unprotected: 1 } });
    expect(uncheckedPagesNote(reader.stats)).toMatch(/^1 of the 2 pages read carries no page checksum \(1 with no protection\): page 1:289\. Among pages with a checksum a lone one without is suspect/);
    reader.source.close?.();
  });

  it('dump: the same rows, and a note naming page 1:289', async () => {
    const copy = damagedCopy();
    const dir = mkdtempSync(join(tmpdir(), 'rowback-lone-page-out-'));
    const clean = await cli('dump', '--mdf', real, '--table', 'dbo.tblDept', '--out', join(dir, 'clean.ndjson'));
    const r = await cli('dump', '--mdf', copy, '--table', 'dbo.tblDept', '--out', join(dir, 'damaged.ndjson'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'damaged.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'clean.ndjson'), 'utf8'));
    expect(r.stderr).toMatch(/rowback dump: note: 1 of the \d+ pages read carries no page checksum \(1 with no protection\): page 1:289\. Among pages with a checksum a lone one without is suspect/);
    expect(clean.stderr).not.toContain('page checksum');
  });
});
