/**
 * Data-file metadata problems that change how a column's values print reach every row of the table
 * (the layout's warnings), not only the file-wide list that `inspect` alone prints: a column of a
 * system type id rowback does not know (read as varbinary, so shown as hex), and a physical column
 * whose sys.columns row has another type (left unnamed, printed as column_<id>).
 * SYNTHETIC system rows handed to physicalColumns (metadata.ts), in its inputs' shapes.
 */
import { describe, expect, it } from 'vitest';
import { physicalColumns } from '../../src/datafile/metadata.js';
import type { RsColRow } from '../../src/datafile/system-tables.js';

const rscol = (rscolid: number, typeId: number, maxLen: number, offset: number): RsColRow => ({
  rsid: '72057594043432960', rscolid, hbcolid: rscolid, ti: typeId | (maxLen << 8), cid: 0, ordkey: 0, status: 0x80, offset, nullbit: rscolid, bitpos: 0,
});
const colpar = (colid: number, name: string, xtype: number, length: number) => ({ colid, name, xtype, utype: xtype, length, prec: 0, scale: 0, collationid: 0, status: 0 });

describe('data-file metadata warnings every row carries', () => {
  it('an unknown system type (read as varbinary) and a physical column that does not match its sys.columns row', () => {
    const warnings: string[] = [];
    const tableWarnings: string[] = [];
    const cols = physicalColumns(
      [rscol(1, 56, 4, 4), rscol(2, 250, 16, -1), rscol(3, 56, 4, 8)],
      [colpar(1, 'Id', 56, 4), colpar(2, 'Odd', 250, 16), colpar(3, 'Amount', 106, 9)],
      'dbo.T', warnings, tableWarnings,
    );
    expect(cols.map((c) => [c.name, c.type])).toEqual([['Id', 'int'], ['Odd', 'varbinary'], ['column_3', 'int']]);
    expect(tableWarnings).toEqual([
      'dbo.T: column Odd has unknown system type id 250; read as varbinary (its values are shown as hex bytes, not as their type)',
      'dbo.T: physical column 3 (type 56) does not match column Amount (type 106); left unnamed (printed as column_3, decoded by its physical type)',
    ]);
    expect(warnings).toHaveLength(2);
  });

  it('a table without such problems carries none', () => {
    const tableWarnings: string[] = [];
    physicalColumns([rscol(1, 56, 4, 4)], [colpar(1, 'Id', 56, 4)], 'dbo.T', [], tableWarnings);
    expect(tableWarnings).toEqual([]);
  });
});
