import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { pageChecksum } from '../../src/datafile/page.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A varchar column whose collation id (syscolpars.collationid) has no name rowback knows — a SQL
 * Server 2019+ _UTF8 collation is one — is decoded as code page 1252. That was said only in the
 * data file's warnings, which only `inspect` prints: `scan`/`dump` printed the rows with no word,
 * wrong for any script but Western European. Now every row of the table carries the warning.
 * AngularJs_CRUD's Database1.mdf with dbo.tblDept.DeptName's collation id (872468488,
 * SQL_Latin1_General_CP1_CI_AS) replaced in memory by one outside the list, the page's checksum
 * recomputed (page.ts pageChecksum).
 */
describeCorpus('a data file column with a collation id rowback cannot name', () => {
  it('warns on every row of its table, not only in the file-wide list', () => {
    const base = new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'));
    try {
      const name = Buffer.from('DeptName', 'utf16le');
      const known = Buffer.from([0x08, 0xd0, 0x00, 0x34]); // 872468488 little-endian
      let patched: [string, Uint8Array] | undefined;
      for (let p = 0; p < 400 && !patched; p++) {
        const page = base.readPage(1, p);
        if (!page || page[1] !== 1) continue;
        const b = Buffer.from(page);
        const at = b.indexOf(name);
        const id = at < 0 ? -1 : b.lastIndexOf(known, at);
        if (id < 0 || at - id > 80) continue;
        const copy = new Uint8Array(page);
        copy.set([0xff, 0xff, 0xff, 0x7f], id);
        new DataView(copy.buffer).setUint32(60, pageChecksum(copy), true);
        patched = [`1:${p}`, copy];
      }
      expect(patched).toBeDefined();
      const md = readDataFileMetadata(new OverlayPageSource(base, new Map([patched!])));
      expect(md.skipped).toEqual([]);
      const dept = md.tables.find((t) => t.name === 'tblDept')!;
      expect(dept.columns.find((c) => c.name === 'DeptName')!.collation).toBeNull();
      expect(md.warnings).toContainEqual(expect.stringContaining('dbo.tblDept: column DeptName has collation id 2147483647, not in the known list'));
      expect(dept.warnings).toEqual([expect.stringMatching(/^dbo\.tblDept: column DeptName has a collation id rowback does not know \(2147483647\): its varchar text is read as code page 1252 \(Western European\); other scripts would show wrong characters/)]);
      // other tables are not told
      expect(md.tables.find((t) => t.name === 'Employee')!.warnings ?? []).toEqual([]);
      // a decoded row carries it (the row image of a tblDept delete in the corpus log)
      const row = decodeRow(Buffer.from('30000800060000000300000200130023004353436F6D707574657220536369656E6365', 'hex'), dept);
      expect(row.values.DeptName).toBe('CS');
      expect(row.warnings).toEqual(dept.warnings);
    } finally {
      base.close();
    }
  });
});
