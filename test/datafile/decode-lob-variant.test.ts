/**
 * A row-overflow sql_variant value (MS Learn "Row-overflow data exceeding 8 KB": varchar, nvarchar,
 * varbinary, sql_variant and CLR type columns may be pushed off-row): its assembled bytes are the
 * variant's in-row form (base type, version 1, properties, value; types/variant.ts, real bytes in the
 * corpus's system tables). decodeLob printed them as hex, a varbinary value a re-insert would store
 * as a variant of base type varbinary instead of the varchar/varbinary value it was. The bytes here
 * are SYNTHETIC in the documented form.
 */
import { describe, expect, it } from 'vitest';
import { decodeLob } from '../../src/datafile/table-rows.js';
import type { ColumnLayout } from '../../src/reconstruct/metadata/table-layout.js';

const col: ColumnLayout = {
  name: 'v', columnId: 1, partitionColumnId: 1, type: 'sql_variant', maxLength: 8016, precision: 0, scale: 0,
  collation: 'SQL_Latin1_General_CP1_CI_AS', codePage: 1252, nullable: true, identity: false, computed: false,
  leafOffset: -1, leafNullBit: 1, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false,
};

describe('decodeLob: sql_variant', () => {
  it('a varchar variant (max length 8000, SQL_Latin1_General_CP1_CI_AS) of 7,000 characters', () => {
    const text = 'é'.repeat(10) + 'x'.repeat(6990);
    const bytes = new Uint8Array([0xa7, 0x01, 0x40, 0x1f, 0x08, 0xd0, 0x00, 0x34, ...Buffer.from(text, 'latin1')]);
    const warnings: string[] = [];
    expect(decodeLob(bytes, col, warnings)).toEqual({ baseType: 'varchar', maxLength: 8000, collation: 'SQL_Latin1_General_CP1_CI_AS', value: text });
    expect(warnings).toEqual([]);
  });

  it('a varbinary variant', () => {
    const bytes = new Uint8Array([0xa5, 0x01, 0x40, 0x1f, 0xde, 0xad, 0xbe, 0xef]);
    expect(decodeLob(bytes, col, [])).toEqual({ baseType: 'varbinary', maxLength: 8000, value: '0xDEADBEEF' });
  });

  it('bytes that are no variant are refused (the off-row value stays unavailable), not printed as hex', () => {
    expect(() => decodeLob(new Uint8Array([0xff, 0x01, 0x00]), col, [])).toThrow(/not a valid sql_variant/);
  });
});
