/**
 * A FILESTREAM varbinary(max) column: the row holds a 48-byte pointer to a file in the database's
 * FILESTREAM container (Microsoft Press, "SQL Server 2012 Internals", Special Storage: "rooted in the
 * database as a 48-byte file pointer value in the column"), not the value. Every metadata path read it
 * as a plain varbinary(max) (the script's FILESTREAM keyword and syscolpars.status 0x20 were ignored),
 * so a deleted document printed the pointer's bytes as its content, `0x…`, with no word, and a
 * re-insert would write them back as the document (breaker, wt-B). Such a row was then refused whole
 * (DECODE_UNSUPPORTED), its other columns lost with it: a CRM table with an attachments column gave
 * back none of its deleted customers. Now the row is printed with a marker in the column's place
 * (values.ts FilestreamOffRow: `{"offRow":{"kind":"filestream","pointer":"0x…","unavailable":…}}`)
 * and a warning saying where the file may still be; a re-insert refuses the row
 * (REINSERT_OFFROW_VALUE naming the column). A NULL one decodes as NULL, no warning.
 *
 * SYNTHETIC: no FILESTREAM table is in the corpus; row images are built by the test encoder, the
 * pointer a 48-byte stand-in (its layout is not published).
 */
import { describe, expect, it } from 'vitest';
import { physicalColumns } from '../../src/datafile/metadata.js';
import type { RsColRow } from '../../src/datafile/system-tables.js';
import type { SysRow } from '../../src/datafile/system-row.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';
import { isOffRow, type FilestreamOffRow, type SqlValue } from '../../src/reconstruct/values.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

const POINTER = '0x' + '3C'.repeat(48);

/** The FILESTREAM column's marker and the row's warnings, asserting the row decoded with the marker in the column's place. */
function markerRow(image: Uint8Array, t: TableLayout, column = 'doc'): { values: Record<string, SqlValue>; warnings: string[]; marker: FilestreamOffRow } {
  const row = decodeRow(image, t);
  const v = row.values[column]!;
  expect(isOffRow(v) && v.offRow.kind === 'filestream').toBe(true);
  return { values: row.values, warnings: row.warnings, marker: (v as { offRow: FilestreamOffRow }).offRow };
}

describe('FILESTREAM columns (SYNTHETIC row images)', () => {
  const script = 'CREATE TABLE dbo.Docs (id uniqueidentifier ROWGUIDCOL NOT NULL UNIQUE, name nvarchar(50) NULL, doc varbinary(max) FILESTREAM NULL)';

  it('--ddl: a row whose FILESTREAM column holds bytes is printed with a marker there, not the pointer as the document, its other columns decoded, with a warning', () => {
    const [t] = layoutsFromDdl(script);
    expect(t!.columns.find((c) => c.name === 'doc')!.isFilestream).toBe(true);
    const image = encodeFixedVar(t!, { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'contract.pdf', doc: POINTER });
    const { values, warnings, marker } = markerRow(image, t!);
    expect(values.id).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(values.name).toBe('contract.pdf');
    // the pointer's bytes are kept as evidence under their own name, never as the value
    expect(marker).toEqual({ kind: 'filestream', pointer: POINTER, unavailable: expect.stringContaining("a file in the database's FILESTREAM container, which rowback does not read") });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^column doc: a FILESTREAM value, printed as a marker .*not the value: .*a re-insert refuses the row \(REINSERT_OFFROW_VALUE\)\. The deleted file stays in the container until FILESTREAM garbage collection removes it .*a backup taken before the delete holds it/);
  });

  it('a re-insert refuses the row, naming the column and where the value may be got back (REINSERT_OFFROW_VALUE)', () => {
    const [t] = layoutsFromDdl(script);
    const { marker } = markerRow(encodeFixedVar(t!, { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'contract.pdf', doc: POINTER }), t!);
    const doc: TargetColumn = { name: 'doc', type: 'varbinary', maxLength: -1, precision: 0, scale: 0, nullable: true, identity: false, computed: false };
    let e: unknown;
    try { planParam(doc, { offRow: marker }); } catch (x) { e = x; }
    expect(e).toMatchObject({ code: 'REINSERT_OFFROW_VALUE', location: { column: 'doc' } });
    expect((e as Error).message).toMatch(/^column doc is a FILESTREAM column whose value \(a file in the database's FILESTREAM container\) rowback did not recover, so the row cannot be re-inserted as it was: restore a backup taken before the delete/);
  });

  it('--ddl: a row whose FILESTREAM column is NULL decodes', () => {
    const [t] = layoutsFromDdl(script);
    const image = encodeFixedVar(t!, { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'empty', doc: null });
    expect(decodeRow(image, t!)).toMatchObject({ values: { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', name: 'empty', doc: null }, warnings: [] });
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
    expect(markerRow(encodeFixedVar(fromFile, { id: 1, doc: POINTER }), fromFile).values.id).toBe(1);

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

  it('a catalog that does not say is_filestream (exported before it was asked for): a varbinary(max) value of a table with a ROWGUIDCOL column carries a warning that it may be the pointer, not the document; none where the table has no ROWGUIDCOL or the catalog says 0', () => {
    // it printed the bytes as the document with no word (a catalog JSON or export file made before e49f591d holds no is_filestream)
    const row = (o: Record<string, unknown>) => ({
      schema_name: 'dbo', table_name: 'Docs', index_id: 0, data_compression_desc: 'NONE', is_dropped: 0, is_sparse: 0, is_uniqueifier: 0,
      leaf_bit_position: 0, precision: 0, scale: 0, collation_name: null, key_ordinal: 0, ...o,
    });
    const catalog = (rowguid: boolean, filestream?: 0) => layoutsFromCatalog([
      row({ partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'uniqueidentifier', max_length: 16, is_nullable: 0, leaf_offset: 4, leaf_null_bit: 1, is_rowguidcol: rowguid ? 1 : 0, ...(filestream !== undefined ? { is_filestream: filestream } : {}) }),
      row({ partition_column_id: 2, column_id: 2, column_name: 'doc', type_name: 'varbinary', max_length: -1, is_nullable: 1, leaf_offset: -1, leaf_null_bit: 2, is_rowguidcol: 0, ...(filestream !== undefined ? { is_filestream: filestream } : {}) }),
    ])[0]!;
    const values = { id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', doc: POINTER };
    const unsaid = catalog(true);
    const d = decodeRow(encodeFixedVar(unsaid, values), unsaid);
    expect(d.values.doc).toBe(POINTER);
    expect(d.warnings).toEqual([expect.stringMatching(/^column doc: the catalog given does not say whether this varbinary\(max\) column is a FILESTREAM one .*a re-insert would write the pointer's bytes as the document/)]);
    // NULL: nothing to say
    expect(decodeRow(encodeFixedVar(unsaid, { ...values, doc: null }), unsaid).warnings).toEqual([]);
    // no ROWGUIDCOL: no FILESTREAM column can be in the table
    const plain = catalog(false);
    expect(decodeRow(encodeFixedVar(plain, values), plain).warnings).toEqual([]);
    // the catalog says it is not FILESTREAM
    const said = catalog(true, 0);
    expect(decodeRow(encodeFixedVar(said, values), said).warnings).toEqual([]);
  });
});
