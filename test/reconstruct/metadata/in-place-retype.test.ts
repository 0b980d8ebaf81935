import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { IN_PLACE_RETYPE_WARNING } from '../../../src/reconstruct/metadata/layout-rules.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';

/**
 * An ALTER COLUMN that changes a fixed-length column in place (no larger) leaves the old column in
 * the catalog as a dropped one with the same leaf offset and null bit (rusanu.com 2011 "SQL Server
 * table columns under the hood", physical-table-fixed-2/-3; field case
 * rusanu-2011-table-columns-under-the-hood-layouts). A row logged before the ALTER holds the old
 * bytes; read as the new type they gave plausible wrong values with no word: decimal(10,2) 123.45 as
 * decimal(10,4) printed 1.2345, char(10) 'Alexander' as char(4) 'Alex' (the --ddl path warned only
 * when the type's name changed, the catalog paths never).
 *
 * Row images: SYNTHETIC, built by the FixedVar rules (status 0x10, fixed-part end, id int at 4, the
 * column at 8, column count 2, null bitmap 0x00), written as the table was before its ALTER.
 */
const ddl = (alter: string, create: string): TableLayout =>
  layoutsFromDdl(`create table t (id int not null primary key, ${create});\ngo\nalter table t alter column ${alter};\ngo\n`)[0]!;

const PRE_ALTER = {
  // amount decimal(10,2) = 123.45: sign 01, magnitude 12345 in 8 bytes
  decimal: '10001100 01000000 013930000000000000 0200 00',
  // name char(10) = 'Alexander '
  char: '10001200 01000000 416c6578616e64657220 0200 00',
  // n int = 70000
  int: '10000c00 01000000 70110100 0200 00',
};

// rusanu 2011 physical-table-fixed-3, transcribed: birth_date date NOT NULL at 208 (null bit 4) over
// the dropped datetime it was; first_name char(100) moved to 211 (null bit 5), its char(75) dropped at 8
function fixed3Rows(): Record<string, unknown>[] {
  const cat = (over: Record<string, unknown>) => ({
    schema_name: 'dbo', table_name: 'users', index_id: 1, collation_name: null, leaf_bit_position: 0, is_sparse: 0, is_uniqueifier: 0, is_dropped: 0, ...over,
  });
  return [
    cat({ partition_column_id: 1, column_id: 1, column_name: 'user_id', type_name: 'int', max_length: 4, precision: 10, scale: 0, leaf_offset: 4, leaf_null_bit: 1, is_nullable: 0, key_ordinal: 1 }),
    cat({ partition_column_id: 67108865, column_id: 0, column_name: null, type_name: 'datetime', max_length: 8, precision: 23, scale: 3, leaf_offset: 208, leaf_null_bit: 4, is_nullable: 1, is_dropped: 1 }),
    cat({ partition_column_id: 67108866, column_id: 0, column_name: null, type_name: 'char', max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', leaf_offset: 8, leaf_null_bit: 2, is_nullable: 1, is_dropped: 1 }),
    cat({ partition_column_id: 67108867, column_id: 0, column_name: null, type_name: 'char', max_length: 75, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', leaf_offset: 8, leaf_null_bit: 2, is_nullable: 1, is_dropped: 1 }),
    cat({ partition_column_id: 3, column_id: 3, column_name: 'last_name', type_name: 'char', max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', leaf_offset: 108, leaf_null_bit: 3, is_nullable: 1 }),
    cat({ partition_column_id: 4, column_id: 4, column_name: 'birth_date', type_name: 'date', max_length: 3, precision: 10, scale: 0, leaf_offset: 208, leaf_null_bit: 4, is_nullable: 0 }),
    cat({ partition_column_id: 2, column_id: 2, column_name: 'first_name', type_name: 'char', max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', leaf_offset: 211, leaf_null_bit: 5, is_nullable: 1 }),
  ];
}

describe('a column changed in place by ALTER COLUMN is named on every row (SYNTHETIC images)', () => {
  it.each([
    ['amount decimal(10,4) not null', 'amount decimal(10,2) not null', PRE_ALTER.decimal, 'amount', '1.2345', 'decimal(10,2)', 'decimal(10,4)'],
    ['name char(4) not null', 'name char(10) not null', PRE_ALTER.char, 'name', 'Alex', 'char(10)', 'char(4)'],
    ['n smallint not null', 'n int not null', PRE_ALTER.int, 'n', 4464, 'int', 'smallint'],
  ])('--ddl: ALTER COLUMN %s (was %s)', (alter, create, hex, column, misread, was, now) => {
    const layout = ddl(alter, create);
    const row = decodeRow(parseHex(hex), layout);
    // the value read is the misreading the warning is about
    expect(row.values[column]).toBe(misread);
    const w = row.warnings.filter((x) => IN_PLACE_RETYPE_WARNING.test(x));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`column ${column} shares its slot (leaf offset 8, null bit 2) with a dropped ${was} column`);
    expect(w[0]).toContain(`in place to ${now}`);
  });

  it.each([
    ['amount decimal(10,2) null', 'amount decimal(10,2) not null'],
    ['amount decimal(12,2) not null', 'amount decimal(10,2) not null'],
    ['name char(10) null', 'name char(10) not null'],
  ])('--ddl: ALTER COLUMN %s (was %s) keeps the bytes\' meaning: no warning', (alter, create) => {
    const layout = ddl(alter, create);
    expect((layout.warnings ?? []).filter((x) => IN_PLACE_RETYPE_WARNING.test(x))).toEqual([]);
  });

  it('catalog JSON (rusanu 2011 fixed-3): birth_date date over its dropped datetime is named; first_name, moved to a new slot, is not', () => {
    const [layout] = layoutsFromCatalog(fixed3Rows());
    const w = (layout!.warnings ?? []).filter((x) => IN_PLACE_RETYPE_WARNING.test(x));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('column birth_date shares its slot (leaf offset 208, null bit 4) with a dropped datetime column: an ALTER COLUMN changed it in place to date');
    // a row logged before both ALTERs (the fixed-2 record: fixed part ends at 216, 4 columns): birth_date
    // datetime 2011-10-20 00:00 (ticks 0, day 40834) read as a date gives 0001-01-01, with the warning
    const img = Buffer.alloc(219);
    img.writeUInt16LE(0x0010, 0);
    img.writeUInt16LE(216, 2);
    img.writeInt32LE(1, 4);
    img.fill(0x20, 8, 208);
    img.writeUInt32LE(0, 208);
    img.writeInt32LE(40834, 212);
    img.writeUInt16LE(4, 216);
    img[218] = 0;
    const row = decodeRow(img, layout!);
    expect(row.values.birth_date).toBe('0001-01-01');
    expect(row.warnings.filter((x) => IN_PLACE_RETYPE_WARNING.test(x))).toHaveLength(1);
  });
});

/**
 * An ALTER COLUMN SQL Server cannot do in place (a larger fixed type: int → bigint, char(75) →
 * char(100)) gives the column a new null bit and slot and leaves the old one dropped with
 * partition_column_id 0x04000000 + n (rusanu 2011 physical-table-fixed-3: first_name "moved from
 * offset 8 to offset 211"). A row logged before it lacks the new column, as a row written before an
 * ADD does, and holds its value in the old slot: the warning said only "row predates the column:
 * NULL" (the value 70000 in the record, unsaid) and the scan's advice offered --accept-layout-drift.
 */
describe('a row written before an ALTER COLUMN moved a column: its value in the old slot is named (SYNTHETIC images)', () => {
  it('--ddl int → bigint: the old int slot and its value are in the warning, which counts against the layout', async () => {
    const { driftKind } = await import('../../../src/reconstruct/record/layout-warnings.js');
    const layout = ddl('n bigint not null', 'n int not null');
    const row = decodeRow(parseHex(PRE_ALTER.int), layout);
    expect(row.values.n).toBeNull();
    const w = row.warnings.find((x) => x.startsWith('column n is not in this record'));
    expect(w).toContain('but this record holds $dropped_67108865 (int) at leaf offset 8: 70000, left by an ALTER COLUMN');
    expect(w).toContain('converted to bigint');
    expect(driftKind(row.warnings)).toBe(2);
  });

  it('catalog JSON (rusanu 2011 fixed-3) with a fixed-2 record: first_name names the char(75) slot holding the name', () => {
    const [layout] = layoutsFromCatalog(fixed3Rows());
    const img = Buffer.alloc(219);
    img.writeUInt16LE(0x0010, 0);
    img.writeUInt16LE(216, 2);
    img.writeInt32LE(1, 4);
    img.fill(0x20, 8, 208);
    img.write('Remus', 8, 'latin1');
    img.writeInt32LE(40834, 212);
    img.writeUInt16LE(4, 216);
    const row = decodeRow(img, layout!);
    expect(row.values.first_name).toBeNull();
    const w = row.warnings.find((x) => x.startsWith('column first_name is not in this record'));
    // one copy per slot: the char(75) an in-place ALTER left over the char(100), not both
    expect(w).toContain(`but this record holds $dropped_67108867 (char(75)) at leaf offset 8: ${JSON.stringify('Remus'.padEnd(75))}, left by`);
    expect(w).not.toContain('67108866');
    expect(w).toContain('converted to char(100)');
  });

  it('a DROP COLUMN then ADD (the dropped column keeps its own id): "predates the column" alone, no clause', async () => {
    const { driftKind } = await import('../../../src/reconstruct/record/layout-warnings.js');
    const layout = layoutsFromDdl('create table t (id int not null primary key, x int null);\ngo\nalter table t drop column x;\nalter table t add y int null;\ngo\n')[0]!;
    const row = decodeRow(parseHex('10000c00 01000000 05000000 0200 00'), layout);
    expect(row.values.y).toBeNull();
    expect(row.warnings.some((x) => x.includes('left by an ALTER COLUMN'))).toBe(false);
    expect(driftKind(row.warnings)).toBe(1);
  });

  it('CD (row-compressed) int → bigint: the same clause from the CD slot', () => {
    const layout = layoutsFromDdl('create table t (id int not null primary key, n int not null) with (data_compression = row);\ngo\nalter table t alter column n bigint not null;\ngo\n')[0]!;
    expect(layout.compression).toBe('ROW');
    // header 01, 2 columns, CD nibbles 2 (1 byte) and 4 (3 bytes); id 1 = 0x81, n 70000 = 0x811170 (flipped big-endian)
    const row = decodeRow(parseHex('01 02 42 81 811170'), layout);
    expect(row.values.n).toBeNull();
    expect(row.warnings.find((x) => x.startsWith('column n is not in this record'))).toContain('but this record holds $dropped_67108865 (int) at leaf offset 8: 70000, left by an ALTER COLUMN');
  });
});

describe('same stored form under another name: no in-place warning', () => {
  it('decimal(10,2) → numeric(10,2)', () => {
    const layout = ddl('amount numeric(10,2) not null', 'amount decimal(10,2) not null');
    expect((layout.warnings ?? []).filter((x) => IN_PLACE_RETYPE_WARNING.test(x))).toEqual([]);
  });
});

describe('a NULL in the old slot adds no clause', () => {
  it('--ddl int → bigint, a row whose old int slot is NULL: "predates the column" alone', () => {
    const layout = layoutsFromDdl('create table t (id int not null primary key, n int null);\ngo\nalter table t alter column n bigint null;\ngo\n')[0]!;
    // n NULL: null bitmap bit 1 set
    const row = decodeRow(parseHex('10000c00 01000000 00000000 0200 02'), layout);
    expect(row.values.n).toBeNull();
    expect(row.warnings.some((x) => x.includes('left by an ALTER COLUMN'))).toBe(false);
  });
});

/**
 * A moved column's old slot holding bytes its code page does not define (1253: 0xAA, 0xD2): reading
 * it for the clause above added the row warning of a row value, named after the dropped column,
 * saying "rowback holds this row back from re-insert (REINSERT_UNDEFINED_BYTES)", which it does not
 * (the dropped column is not staged), once per column the record lacks. The bytes are said in the
 * clause, beside the value they are of. SYNTHETIC images (FixedVar rules as above; CD as above).
 */
describe('a moved column whose old slot holds bytes its code page does not define (SYNTHETIC images)', () => {
  const two = 'create table t (id int not null primary key, g char(4) collate Greek_CI_AS not null, h char(2) collate Greek_CI_AS null)';
  it('FixedVar, two columns moved: no row-value note under a dropped name; the bytes named in each clause', () => {
    const layout = layoutsFromDdl(`${two};\ngo\nalter table t alter column g char(10) collate Greek_CI_AS not null;\nalter table t alter column h char(8) collate Greek_CI_AS null;\ngo\n`)[0]!;
    const row = decodeRow(parseHex('10000e00 01000000 c1aae1d2 41aa 0300 00'), layout);
    expect(row.warnings.filter((w) => w.startsWith('column $dropped'))).toEqual([]);
    expect(row.warnings.filter((w) => w.includes('REINSERT_UNDEFINED_BYTES'))).toEqual([]);
    const g = row.warnings.find((x) => x.startsWith('column g is not in this record'))!;
    expect(g).toContain('$dropped_67108865 (char(4)) at leaf offset 8: "Α\ufffdα\ufffd" (U+FFFD printed where 0xAA at offset 1, 0xD2 at offset 3 of its 4-byte value are not defined in code page 1253 (SQL Server stores such bytes unchecked): the value\'s bytes there are not shown)');
    expect(g).toContain('$dropped_67108866 (char(2)) at leaf offset 12: "A\ufffd" (U+FFFD printed where 0xAA at offset 1 of its 2-byte value is not defined in code page 1253');
    expect(row.warnings.length).toBe(2);
  });

  it('CD: the same', () => {
    const layout = layoutsFromDdl('create table t (id int not null primary key, g char(4) collate Greek_CI_AS not null) with (data_compression = row);\ngo\nalter table t alter column g char(10) collate Greek_CI_AS not null;\ngo\n')[0]!;
    // header 01, 2 columns, CD nibbles 2 (id, 1 byte) and 5 (g, 4 bytes); id 1 = 0x81
    const row = decodeRow(parseHex('01 02 52 81 c1aae1d2'), layout);
    expect(row.warnings.filter((w) => w.startsWith('column $dropped'))).toEqual([]);
    expect(row.warnings.find((x) => x.startsWith('column g is not in this record'))).toContain('$dropped_67108865 (char(4)) at leaf offset 8: "Α\ufffdα\ufffd" (U+FFFD printed where 0xAA at offset 1, 0xD2 at offset 3 of its 4-byte value are not defined in code page 1253');
    expect(row.warnings.length).toBe(1);
  });
});
