/**
 * A char/varchar/text column of a data file whose collation rowback cannot name (an id outside
 * collation-ids.ts: SQL Server 2019's `_UTF8` collations) is read as code page 1252. The data file
 * metadata said so in `warnings`, which neither `dump` nor `scan --mdf/--bak` prints: UTF-8 text
 * came out as 1252 mojibake without a word. Each row of such a table now says so (layout warnings,
 * as the DDL and catalog JSON paths do). Real bytes (AngularJs_CRUD Database1.mdf), with every
 * collation id taken as unknown.
 */
import { expect, it, vi } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

vi.mock('../../src/reconstruct/collation-ids.js', () => ({ collationNameForId: () => null }));

describeCorpus('a data file column whose collation id rowback does not know', () => {
  it('every decoded row of its table says its text is read as code page 1252', () => {
    const src = new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'));
    try {
      const md = readDataFileMetadata(src);
      const t = md.tables.find((x) => x.name === 'tblDept')!;
      const text = t.columns.filter((c) => c.type === 'char' || c.type === 'varchar' || c.type === 'text');
      expect(text.length).toBeGreaterThan(0);
      const rows = [...readTableRows(src, md, 'dbo.tblDept')];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        for (const c of text) expect(r.warnings).toContainEqual(expect.stringMatching(new RegExp(`^dbo\\.tblDept: column ${c.name} has a collation id rowback does not know \\(\\d+\\): its ${c.type} text is read as code page 1252`)));
      }
      // a table without such columns says nothing of it
      const other = md.tables.find((x) => x.columns.every((c) => !['char', 'varchar', 'text'].includes(c.type)));
      if (other) for (const r of readTableRows(src, md, `${other.schema}.${other.name}`)) expect(r.warnings.join(' ')).not.toMatch(/code page 1252/);
    } finally {
      src.close();
    }
  });
});
