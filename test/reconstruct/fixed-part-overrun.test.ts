/**
 * A record whose fixed part runs past the layout's last fixed-length column holds bytes no column of
 * the layout owns: the row was written with a column the layout lacks (dropped, or altered to another
 * type, which a CREATE TABLE script cannot show) and values may be read from another column's bytes.
 * Real images (corpus text-examples, fn_dblog RowLog Contents 0, SQL Server 2025); the layouts are the
 * table's own (no warning) and plausible wrong ones a DBA could give (a warning on the row).
 */
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { loadCatalogFile } from '../../src/reconstruct/metadata/catalog-json.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const overrun = (warnings: string[]) => warnings.filter((w) => w.includes("the record's fixed part ends at offset"));
const CATALOG = join(import.meta.dirname, '..', '..', 'examples', 'decimal-test-dropped-column.catalog.json');

describeCorpus('fixed part past the layout (real row images)', () => {
  it('lc-decimal-positive: the catalog knowing the dropped column reads it without the warning; the table\'s CREATE TABLE after the DROP reads Big from Small\'s bytes, and says so', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-decimal-positive.json');
    const image = hex(ex.hex);
    const exact = decodeRow(image, loadCatalogFile(CATALOG)[0]!);
    expect(exact.values).toMatchObject({ Id: 1, Big: '123456789012.3456' });
    expect(overrun(exact.warnings)).toEqual([]);
    // What `SCRIPT TABLE AS CREATE` shows after DROP COLUMN Small, ADD Added, Label: no trace of Small.
    const [scripted] = layoutsFromDdl('CREATE TABLE dbo.DecimalTest (Id INT NOT NULL, Big DECIMAL(18,4) NULL, Added INT NOT NULL DEFAULT 7, Label VARCHAR(20) NULL)');
    const row = decodeRow(image, scripted!);
    // Added (null bit 3, inside the record's 3 columns) is read from Big's bytes: a plausible integer …
    expect(row.values.Added).toBe(73585980);
    // … and the row says its fixed part holds a byte no column owns (the layout lacks Small's 5 bytes).
    expect(overrun(row.warnings)).toEqual([expect.stringContaining("ends at offset 22, 1 byte(s) after the layout's last fixed-length column (ends at 21)")]);
  });

  it('lc-nvarchar: a SMALLINT key where the table has an INT leaves 2 bytes of the fixed part unowned', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-nvarchar.json');
    const right = decodeRow(hex(ex.hex), layoutsFromDdl('CREATE TABLE dbo.T (Id INT NOT NULL, Name NVARCHAR(50) NULL)')[0]!);
    expect(right.warnings).toEqual([]);
    const wrong = decodeRow(hex(ex.hex), layoutsFromDdl('CREATE TABLE dbo.T (Id SMALLINT NOT NULL, Name NVARCHAR(50) NULL)')[0]!);
    expect(overrun(wrong.warnings)).toEqual([expect.stringContaining('ends at offset 8, 2 byte(s) after')]);
  });
});

describeCorpus('fixed part past the layout: what the warning tells the user to do', () => {
  it('names a catalog that has the dropped columns (sql/table-metadata.sql), not sys.columns, and change tracking as a cause', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-nvarchar.json');
    const wrong = decodeRow(hex(ex.hex), layoutsFromDdl('CREATE TABLE dbo.T (Id SMALLINT NOT NULL, Name NVARCHAR(50) NULL)')[0]!);
    const [w] = overrun(wrong.warnings);
    expect(w).toContain("change tracking's hidden one");
    expect(w).toContain('--schema from sql/table-metadata.sql');
    expect(w).not.toContain('--schema from sys.columns');
  });
});

it('a fixed slot read as a variable-length type (an unknown type, a fixed-length CLR type) leaves the extent unknown: no warning on any row (SYNTHETIC layout)', () => {
  // lc-nvarchar's image (Id int at 4, then one nvarchar), with Id's slot given a variable-length type.
  const [t] = layoutsFromDdl('CREATE TABLE dbo.T (Id INT NOT NULL, Name NVARCHAR(50) NULL)');
  const odd = { ...t!, columns: t!.columns.map((c) => (c.name === 'Id' ? { ...c, type: 'varbinary' as const, maxLength: 4 } : c)) };
  const row = decodeRow(hex('30000800010000000200000100130068006900'), odd);
  expect(overrun(row.warnings)).toEqual([]);
});
