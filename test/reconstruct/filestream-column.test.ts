/**
 * A FILESTREAM varbinary(max) column: the row holds a 48-byte pointer to a file in the database's
 * FILESTREAM container (Microsoft Press, "SQL Server 2012 Internals", Special Storage: "rooted in the
 * database as a 48-byte file pointer value in the column"), not the value. Every metadata path read it
 * as a plain varbinary(max) (the script's FILESTREAM keyword and syscolpars.status 0x20 were ignored),
 * so a deleted document printed the pointer's bytes as its content, `0x…`, with no word, and a
 * re-insert would write them back as the document (breaker, wt-B). A row whose FILESTREAM column is
 * not NULL is now refused (DECODE_UNSUPPORTED naming the column); a NULL one decodes.
 *
 * SYNTHETIC: no FILESTREAM table is in the corpus; row images are built by the test encoder, the
 * pointer a 48-byte stand-in (its layout is not published).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { physicalColumns } from '../../src/datafile/metadata.js';
import type { RsColRow } from '../../src/datafile/system-tables.js';
import type { SysRow } from '../../src/datafile/system-row.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';

const POINTER = '0x' + '3C'.repeat(48);

function refused(image: Uint8Array, t: TableLayout): DecodeError {
  try {
    const row = decodeRow(image, t);
    throw new Error(`decoded: ${JSON.stringify(row.values)}`);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
}

describe('FILESTREAM columns (SYNTHETIC row images)', () => {
  const script = 'CREATE TABLE dbo.Docs (id uniqueidentifier ROWGUIDCOL NOT NULL UNIQUE, name nvarchar(50) NULL, doc varbinary(max) FILESTREAM NULL)';

  it('--ddl: a row whose FILESTREAM column holds bytes is refused naming the column, not printed with the pointer as the document', () => {
    const [t] = layoutsFromDdl(script);
    expect(t!.columns.find((c) => c.name === 'doc')!.isFilestream).toBe(true);
    const image = encodeFixedVar(t!, { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'contract.pdf', doc: POINTER });
    const e = refused(image, t!);
    expect(e.code).toBe('DECODE_UNSUPPORTED');
    expect(e.location.column).toBe('doc');
    expect(e.message).toMatch(/column doc is a FILESTREAM column: the row holds a pointer to a file in the database's FILESTREAM container/);
  });

  it('--ddl: a row whose FILESTREAM column is NULL decodes', () => {
    const [t] = layoutsFromDdl(script);
    const image = encodeFixedVar(t!, { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'empty', doc: null });
    expect(decodeRow(image, t!).values).toEqual({ id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'empty', doc: null });
  });

  it('the data file\'s catalog (syscolpars.status 0x20) and a catalog JSON row with is_filestream mark the column the same', () => {
    const rs = (rscolid: number, ti: number, offset: number, nullbit: number): RsColRow => ({ rsid: '1', rscolid, hbcolid: rscolid, ti, cid: 0, ordkey: 0, status: 0, offset, nullbit, bitpos: 0 });
    const cols = physicalColumns(
      [rs(1, 56 | (4 << 8), 4, 1), rs(2, 165, -1, 2)],
      [
        { name: 'id', colid: 1, xtype: 56, utype: 56, length: 4, prec: 10, scale: 0, status: 1, collationid: 0 } as unknown as SysRow,
        { name: 'doc', colid: 2, xtype: 165, utype: 165, length: -1, prec: 0, scale: 0, status: 0x20, collationid: 0 } as unknown as SysRow,
      ],
      'dbo.Docs',
      [],
    );
    expect(cols.find((c) => c.name === 'doc')!.isFilestream).toBe(true);
    const fromFile: TableLayout = { schema: 'dbo', name: 'Docs', indexId: 0, compression: 'NONE', columns: cols };
    expect(refused(encodeFixedVar(fromFile, { id: 1, doc: POINTER }), fromFile).code).toBe('DECODE_UNSUPPORTED');

    const row = (o: Record<string, unknown>) => ({
      schema_name: 'dbo', table_name: 'Docs', index_id: 0, data_compression_desc: 'NONE', is_dropped: 0, is_sparse: 0, is_uniqueifier: 0,
      leaf_bit_position: 0, precision: 0, scale: 0, collation_name: null, key_ordinal: 0, ...o,
    });
    const [fromJson] = layoutsFromCatalog([
      row({ partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'int', max_length: 4, precision: 10, is_nullable: 0, leaf_offset: 4, leaf_null_bit: 1 }),
      row({ partition_column_id: 2, column_id: 2, column_name: 'doc', type_name: 'varbinary', max_length: -1, is_nullable: 1, leaf_offset: -1, leaf_null_bit: 2, is_filestream: 1 }),
    ]);
    expect(fromJson!.columns.find((c) => c.name === 'doc')!.isFilestream).toBe(true);
  });
});
