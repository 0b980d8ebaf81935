/**
 * A dropped column has no syscolpars row: its type, precision and scale come from sysrscols.ti alone
 * (decimal/numeric: precision = ti bits 8–15, scale = bits 16–23; time/datetime2/datetimeoffset:
 * scale = bits 8–15; improve.dk "Exploring the sys.system_internals_partition_columns.ti field",
 * OrcaMDF SysrscolTIParser). Read as precision 0 / scale 0, a dropped DECIMAL(18,4) took 5 bytes
 * instead of 9, and the fixed-part check then warned on every row of the table read with the
 * database's OWN catalog (the warning tells the user to use that very catalog).
 * The record is the real lc-decimal-positive image (fn_dblog, SQL Server 2025):
 * DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4)); here after DROP COLUMN Big.
 */
import { expect, it } from 'vitest';
import { physicalColumns } from '../../src/datafile/metadata.js';
import { RSCOL_DROPPED, type RsColRow } from '../../src/datafile/system-tables.js';
import type { SysRow } from '../../src/datafile/system-row.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { fixedStorageLength } from '../../src/reconstruct/types/index.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';

const rs = (rscolid: number, ti: number, offset: number, status = 0): RsColRow => ({ rsid: '1', rscolid, hbcolid: rscolid, ti, cid: 0, ordkey: 0, status, offset, nullbit: rscolid, bitpos: 0 });
const colpar = (name: string, colid: number, xtype: number, length: number, prec: number, scale: number) =>
  ({ name, colid, xtype, utype: xtype, length, prec, scale, status: 0, collationid: 0 }) as unknown as SysRow;

it('a dropped decimal / time / datetime2 / datetimeoffset column keeps the storage length its ti gives', () => {
  const cols = physicalColumns(
    [
      rs(1, 56 | (4 << 8), 4),
      rs(2, 106 | (18 << 8) | (4 << 16), 8, RSCOL_DROPPED), // decimal(18,4): 9 bytes
      rs(3, 108 | (38 << 8) | (10 << 16), 17, RSCOL_DROPPED), // numeric(38,10): 17 bytes
      rs(4, 42 | (7 << 8), 34, RSCOL_DROPPED), // datetime2(7): 8 bytes
      rs(5, 41 | (7 << 8), 42, RSCOL_DROPPED), // time(7): 5 bytes
      rs(6, 43 | (7 << 8), 47, RSCOL_DROPPED), // datetimeoffset(7): 10 bytes
    ],
    [colpar('Id', 1, 56, 4, 10, 0)],
    'dbo.T',
    [],
  );
  expect(cols.map((c) => [c.type, fixedStorageLength(c)])).toEqual([
    ['int', 4], ['decimal', 9], ['numeric', 17], ['datetime2', 8], ['time', 5], ['datetimeoffset', 10],
  ]);
});

describeCorpus('dropped column as the last fixed slot (real row image)', () => {
  it('lc-decimal-positive with the catalog SQL Server keeps after DROP COLUMN Big: no fixed-part warning', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-decimal-positive.json');
    const columns = physicalColumns(
      [rs(1, 56 | (4 << 8), 4), rs(2, 106 | (5 << 8) | (2 << 16), 8), rs(3, 106 | (18 << 8) | (4 << 16), 13, RSCOL_DROPPED)],
      [colpar('Id', 1, 56, 4, 10, 0), colpar('Small', 2, 106, 5, 5, 2)],
      'dbo.DecimalTest',
      [],
    );
    const row = decodeRow(Uint8Array.from(Buffer.from(ex.hex, 'hex')), { schema: 'dbo', name: 'DecimalTest', indexId: 0, compression: 'NONE', columns });
    expect(row.values).toEqual({ Id: 1, Small: '123.45' });
    expect(row.warnings).toEqual([]);
  });
});
