import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MdfPageSource } from '../../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../../src/datafile/metadata.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { ColumnLayout, TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

/**
 * The DDL path against SQL Server's own answer: the Northwind script (northwind-script/instnwnd.sql)
 * through layoutsFromDdl must give, column for column, the physical layout the real NORTHWND.MDF
 * records in its system base tables (sysrscols/syscolpars, read by src/datafile) — leaf offsets,
 * null bits, bit positions, types, lengths, collations, nullability, identity, clustering keys.
 */

function shape(c: ColumnLayout): unknown[] {
  return [
    c.name, c.partitionColumnId, c.columnId, c.type, c.maxLength, c.precision, c.scale, c.collation, c.codePage,
    c.nullable, c.identity, c.computed, c.keyOrdinal ?? 0, c.isUniquifier, c.isDropped, c.isSparse,
    c.leafOffset, c.leafNullBit, c.leafBitPosition,
  ];
}

describeCorpus('DDL layout = the data file\'s catalog (instnwnd.sql vs NORTHWND.MDF)', () => {
  let fromFile: TableLayout[] = [];
  let fromDdl: TableLayout[] = [];
  let src: MdfPageSource | undefined;

  beforeAll(() => {
    src = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    fromFile = readDataFileMetadata(src).tables;
    // The script is Windows-1252 text; only ASCII matters to the grammar.
    fromDdl = layoutsFromDdl(readFileSync(corpusPath('northwind-script', 'instnwnd.sql'), 'latin1'));
  });
  afterAll(() => src?.close());

  it('the script creates exactly the data file\'s 13 user tables', () => {
    const names = (ts: TableLayout[]) => ts.map((t) => `${t.schema}.${t.name}`).sort();
    expect(names(fromDdl)).toEqual(names(fromFile));
    expect(fromFile).toHaveLength(13);
  });

  it('every table: heap/clustered and compression agree', () => {
    for (const f of fromFile) {
      const d = fromDdl.find((t) => t.schema === f.schema && t.name === f.name)!;
      expect([d.indexId, d.compression], `${f.schema}.${f.name}`).toEqual([f.indexId, f.compression]);
    }
  });

  it('every column of every table: the same physical layout', () => {
    let columns = 0;
    for (const f of fromFile) {
      const d = fromDdl.find((t) => t.schema === f.schema && t.name === f.name)!;
      expect(d.columns.map(shape), `${f.schema}.${f.name}`).toEqual(f.columns.map(shape));
      columns += f.columns.length;
    }
    // bit (Products.Discontinued), ntext/image (Employees, Categories), money, identity, composite keys
    expect(columns).toBeGreaterThan(80);
  });
});
