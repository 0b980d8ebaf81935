import { describe, expect, it } from 'vitest';
import { InputError, SchemaError } from '../../../src/errors.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { tokenize } from '../../../src/reconstruct/metadata/ddl-lexer.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { parseHex } from '../../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../../support/corpus.js';

/** name → [leafOffset, leafNullBit, leafBitPosition] */
type Slots = Record<string, [number, number, number]>;

function slots(t: TableLayout): Slots {
  return Object.fromEntries(t.columns.map((c) => [c.name, [c.leafOffset, c.leafNullBit, c.leafBitPosition]]));
}

function one(sql: string, opts?: Parameters<typeof layoutsFromDdl>[1]): TableLayout {
  const all = layoutsFromDdl(sql, opts);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function schemaError(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return e as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

describe('layout derivation: DDL → leaf_offset / leaf_null_bit / leaf_bit_position', () => {
  const cases: { name: string; sql: string; indexId: number; slots: Slots }[] = [
    {
      // rusanu.com "SQL Server table columns under the hood": heap, fixed before variable, column order kept.
      name: 'heap: fixed columns first in column order, then variable columns',
      sql: 'create table users (user_id int not null identity(1,1), first_name varchar(100) null, last_name varchar(100) null, birth_date datetime null)',
      indexId: 0,
      slots: { user_id: [4, 1, 0], first_name: [-1, 2, 0], last_name: [-2, 3, 0], birth_date: [8, 4, 0] },
    },
    {
      name: 'unique clustered primary key on a later column: key first, no uniquifier',
      sql: 'CREATE TABLE t (a varchar(10), b int, c bigint NOT NULL PRIMARY KEY CLUSTERED, d char(2))',
      indexId: 1,
      slots: { c: [4, 1, 0], a: [-1, 2, 0], b: [12, 3, 0], d: [16, 4, 0] },
    },
    {
      name: 'PRIMARY KEY without CLUSTERED/NONCLUSTERED is clustered',
      sql: 'CREATE TABLE t (a int, b int NOT NULL, CONSTRAINT pk PRIMARY KEY (b))',
      indexId: 1,
      slots: { b: [4, 1, 0], a: [8, 2, 0] },
    },
    {
      name: 'PRIMARY KEY NONCLUSTERED and no clustered index: a heap',
      sql: 'CREATE TABLE t (a int, b int NOT NULL, CONSTRAINT pk PRIMARY KEY NONCLUSTERED (b))',
      indexId: 0,
      slots: { a: [4, 1, 0], b: [8, 2, 0] },
    },
    {
      // lc-nonunique-clustered-uniquifier-slot, with LogCarver's catalog values for the same table.
      name: 'non-unique clustered index: uniquifier = variable column 1 and null bit 1, keys next',
      sql: `CREATE TABLE dbo.Simple2 (Id INT NOT NULL PRIMARY KEY NONCLUSTERED, ColA NVARCHAR(20) NOT NULL, Sortable DATETIME2, ColB NVARCHAR(20))
            CREATE CLUSTERED INDEX cx ON dbo.Simple2 (Sortable)`,
      indexId: 1,
      slots: { UNIQUIFIER: [-1, 1, 0], Id: [12, 3, 0], ColA: [-2, 4, 0], Sortable: [4, 2, 0], ColB: [-3, 5, 0] },
    },
    {
      name: 'composite clustered key in key order, not column order',
      sql: 'CREATE TABLE t (a int, b smallint, c tinyint, CONSTRAINT pk PRIMARY KEY CLUSTERED (c DESC, a ASC))',
      indexId: 1,
      slots: { c: [4, 1, 0], a: [5, 2, 0], b: [9, 3, 0] },
    },
    {
      name: 'CREATE UNIQUE CLUSTERED INDEX: no uniquifier',
      sql: 'CREATE TABLE t (a varchar(5), b int); CREATE UNIQUE CLUSTERED INDEX ux ON t (b);',
      indexId: 1,
      slots: { b: [4, 1, 0], a: [-1, 2, 0] },
    },
    {
      name: 'ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY CLUSTERED',
      sql: 'CREATE TABLE dbo.t (a varchar(5), b int NOT NULL)\nGO\nALTER TABLE [dbo].[t] ADD CONSTRAINT [PK_t] PRIMARY KEY CLUSTERED ([b] ASC)\nGO',
      indexId: 1,
      slots: { b: [4, 1, 0], a: [-1, 2, 0] },
    },
    {
      // lc-fixed-types: BitCol1/BitCol2 share byte 11 at bits 0 and 1.
      name: 'bits share one byte at the offset of the first bit column',
      sql: 'CREATE TABLE t (Id INT, Ti TINYINT, Si SMALLINT, B1 BIT, B2 BIT, G UNIQUEIDENTIFIER)',
      indexId: 0,
      slots: { Id: [4, 1, 0], Ti: [8, 2, 0], Si: [9, 3, 0], B1: [11, 4, 0], B2: [11, 5, 1], G: [12, 6, 0] },
    },
    {
      name: 'a bit after other fixed columns reuses the open bit byte; the ninth bit opens a new byte',
      sql: 'CREATE TABLE t (b1 bit, i int, b2 bit, b3 bit, b4 bit, b5 bit, b6 bit, b7 bit, b8 bit, b9 bit)',
      indexId: 0,
      slots: {
        b1: [4, 1, 0], i: [5, 2, 0], b2: [4, 3, 1], b3: [4, 4, 2], b4: [4, 5, 3], b5: [4, 6, 4],
        b6: [4, 7, 5], b7: [4, 8, 6], b8: [4, 9, 7], b9: [9, 10, 0],
      },
    },
    {
      name: 'text/ntext/image and (max) types are variable; timestamp is fixed 8 bytes',
      sql: 'CREATE TABLE t (t1 text, n ntext, i image, v varchar(max), x xml, ts timestamp, k int)',
      indexId: 0,
      slots: { t1: [-1, 1, 0], n: [-2, 2, 0], i: [-3, 3, 0], v: [-4, 4, 0], x: [-5, 5, 0], ts: [4, 6, 0], k: [12, 7, 0] },
    },
    {
      name: 'sparse columns have no slot and no null bit; the column set is not stored',
      sql: 'CREATE TABLE Sparse (ID int, A int SPARSE, B varchar(10) SPARSE NULL, V varchar(3), cs XML COLUMN_SET FOR ALL_SPARSE_COLUMNS)',
      indexId: 0,
      slots: { ID: [4, 1, 0], A: [0, 0, 0], B: [0, 0, 0], V: [-1, 2, 0] },
    },
    {
      name: 'non-persisted computed columns have no storage; persisted CAST(… AS type) columns do',
      sql: 'CREATE TABLE t (a int, b AS a * 2, c AS CAST(a * 2 AS bigint) PERSISTED, d AS (CONVERT(varchar(10), a)) PERSISTED NOT NULL, e tinyint)',
      indexId: 0,
      slots: { a: [4, 1, 0], c: [8, 2, 0], d: [-1, 3, 0], e: [16, 4, 0] },
    },
    {
      name: 'decimal, datetime2, time, datetimeoffset storage sizes follow precision and scale',
      sql: 'CREATE TABLE t (d9 decimal(9,2), d19 numeric(19,4), d28 decimal(28), d38 dec(38,10), dt0 datetime2(0), dt4 datetime2(4), t2 time(2), o7 datetimeoffset, f float(24), g float, dflt decimal)',
      indexId: 0,
      slots: {
        d9: [4, 1, 0], d19: [9, 2, 0], d28: [18, 3, 0], d38: [31, 4, 0], dt0: [48, 5, 0], dt4: [54, 6, 0],
        t2: [61, 7, 0], o7: [64, 8, 0], f: [74, 9, 0], g: [78, 10, 0], dflt: [86, 11, 0],
      },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const t = one(c.sql);
      expect(t.indexId).toBe(c.indexId);
      expect(slots(t)).toEqual(c.slots);
    });
  }

  it('columns are listed in partition_column_id order (column_id; uniquifier 0) with key ordinals', () => {
    const t = one('CREATE TABLE t (a int, b varchar(3), c int); CREATE CLUSTERED INDEX cx ON t (c, b)');
    expect(t.columns.map((c) => [c.name, c.partitionColumnId, c.columnId, c.keyOrdinal ?? 0])).toEqual([
      ['UNIQUIFIER', 0, 0, 0], ['a', 1, 1, 0], ['b', 2, 2, 2], ['c', 3, 3, 1],
    ]);
    expect(t.columns[0]!.isUniquifier).toBe(true);
  });

  it('types are normalised to sys.types names with sys.columns max_length/precision/scale', () => {
    const t = one(`CREATE TABLE t (a integer, b character varying(20), c national character varying(10), d double precision,
      e rowversion, f nvarchar(max), g sysname, h char, i binary varying(4), j money, k time, l nchar(3))`);
    const spec = Object.fromEntries(t.columns.map((c) => [c.name, [c.type, c.maxLength, c.precision, c.scale]]));
    expect(spec).toEqual({
      a: ['int', 4, 10, 0], b: ['varchar', 20, 0, 0], c: ['nvarchar', 20, 0, 0], d: ['float', 8, 53, 0],
      e: ['timestamp', 8, 0, 0], f: ['nvarchar', -1, 0, 0], g: ['nvarchar', 256, 0, 0], h: ['char', 1, 0, 0],
      i: ['varbinary', 4, 0, 0], j: ['money', 8, 19, 4], k: ['time', 5, 16, 7], l: ['nchar', 6, 0, 0],
    });
  });

  it('collation: COLLATE wins, else the default collation; code page only for char/varchar/text', () => {
    const t = one('CREATE TABLE t (a varchar(10) COLLATE Chinese_PRC_CI_AS, b varchar(10), c nvarchar(5), d int)');
    const cp = Object.fromEntries(t.columns.map((c) => [c.name, [c.collation, c.codePage]]));
    expect(cp).toEqual({
      a: ['Chinese_PRC_CI_AS', 936], b: ['SQL_Latin1_General_CP1_CI_AS', 1252], c: ['SQL_Latin1_General_CP1_CI_AS', null], d: [null, null],
    });
    const g = one('CREATE TABLE t (a varchar(10))', { defaultCollation: 'Cyrillic_General_CI_AS' });
    expect(g.columns[0]!.codePage).toBe(1251);
  });

  it('nullability, identity and ROWGUIDCOL are recorded', () => {
    const t = one('CREATE TABLE t (a int IDENTITY(1,1) NOT NULL, b int NULL, c int, g uniqueidentifier ROWGUIDCOL NOT NULL DEFAULT newsequentialid(), CONSTRAINT pk PRIMARY KEY (c))');
    const f = Object.fromEntries(t.columns.map((c) => [c.name, [c.nullable, c.identity, c.isRowGuidCol ?? false]]));
    expect(f).toEqual({ a: [false, true, false], b: [true, false, false], c: [false, false, false], g: [false, false, true] });
  });

  it('compression comes from the table WITH, or from the clustered index that overrides it', () => {
    expect(one('CREATE TABLE t (a int) WITH (DATA_COMPRESSION = PAGE)').compression).toBe('PAGE');
    expect(one('CREATE TABLE t (a int NOT NULL, CONSTRAINT pk PRIMARY KEY CLUSTERED (a) WITH (FILLFACTOR = 90, DATA_COMPRESSION = ROW))').compression).toBe('ROW');
    expect(one('CREATE TABLE t (a int) WITH (DATA_COMPRESSION = PAGE); CREATE CLUSTERED INDEX c ON t(a) WITH (DATA_COMPRESSION = NONE)').compression).toBe('NONE');
    expect(one('CREATE TABLE t (a int)').compression).toBe('NONE');
  });

  it('ALTER TABLE … ADD column appends it, with a literal NOT NULL default for older rows', () => {
    const t = one("CREATE TABLE t (a int, v varchar(5))\nGO\nALTER TABLE t ADD n int NOT NULL CONSTRAINT df DEFAULT ((42)), s varchar(3) NULL, m money NOT NULL DEFAULT 1.5");
    expect(slots(t)).toEqual({ a: [4, 1, 0], v: [-1, 2, 0], n: [8, 3, 0], s: [-2, 4, 0], m: [12, 5, 0] });
    const d = Object.fromEntries(t.columns.map((c) => [c.name, c.defaultValue]));
    expect(d).toEqual({ a: undefined, v: undefined, n: 42, s: undefined, m: '1.5000' });
  });

  // A nullable column added DEFAULT x WITH VALUES gave the rows then in the table x; a record without
  // the column was read as NULL with 'row predates the column: NULL', which hid that x may be its value.
  it('ALTER TABLE … ADD c NULL DEFAULT x WITH VALUES: an older record reads NULL, and its warning names x as its value if the row existed then', () => {
    const t = one("CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD n int NULL DEFAULT 42 WITH VALUES, s varchar(5) NULL CONSTRAINT df_s DEFAULT ('x') WITH VALUES, p int NULL DEFAULT 5, g datetime NULL DEFAULT getdate() WITH VALUES");
    expect(t.columns.map((c) => [c.name, c.defaultValue, c.addedWithValues])).toEqual([
      ['a', undefined, undefined], ['n', undefined, 42], ['s', undefined, 'x'], ['p', undefined, undefined], ['g', undefined, undefined],
    ]);
    // SYNTHETIC FixedVar record written before the ADD: status 0x10, fixed part to 8, a = 7, 1 column, null bitmap 0
    const row = decodeRow(parseHex('1000080007000000010000'), t);
    expect(row.values).toEqual({ a: 7, n: null, s: null, p: null, g: null });
    expect(row.warnings).toEqual([
      'column n is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; it was added DEFAULT 42 WITH VALUES, so if the row still existed then, its value is 42: compare with the database or a backup before re-inserting it',
      'column s is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; it was added DEFAULT "x" WITH VALUES, so if the row still existed then, its value is "x": compare with the database or a backup before re-inserting it',
      'column p is not in this record (stored column count 1; row predates the column): NULL',
      "column g is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; it was added DEFAULT getdate() WITH VALUES, so if the row still existed then, its value is what that expression gave at the time, which the DDL does not record: read the table's metadata from the .mdf or a backup instead of --ddl, or fill the value in before re-inserting it",
    ]);
  });

  // A column added NOT NULL DEFAULT <expression> (or NULL … WITH VALUES) filled the rows then in the
  // table with the expression's value at that time; an older record read "NULL" with no word of it,
  // NULL even for a NOT NULL column.
  it.each([
    ['NOT NULL DEFAULT getdate()', 'NOT NULL DEFAULT getdate()'],
    ['NOT NULL CONSTRAINT df DEFAULT (newid())', 'NOT NULL DEFAULT (newid())'],
    ["NOT NULL DEFAULT (CONVERT([varchar](5), 'a''b'))", "NOT NULL DEFAULT (CONVERT([varchar](5),'a''b'))"],
    ['NOT NULL DEFAULT NEXT VALUE FOR dbo.seq', 'NOT NULL DEFAULT NEXT VALUE FOR dbo.seq'],
    ['NULL DEFAULT (suser_sname()) WITH VALUES', 'DEFAULT (suser_sname()) WITH VALUES'],
  ])('ALTER TABLE … ADD x … %s: an older record reads NULL and its warning names the clause', (clause, named) => {
    const t = one(`CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD x sql_variant ${clause}`);
    expect(t.columns[1]!.addedWithExpression).toBe(named);
    const row = decodeRow(parseHex('1000080007000000010000'), t);
    expect(row.values).toEqual({ a: 7, x: null });
    expect(row.warnings).toEqual([
      `column x is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; it was added ${named}, so if the row still existed then, its value is what that expression gave at the time, which the DDL does not record: read the table's metadata from the .mdf or a backup instead of --ddl, or fill the value in before re-inserting it`,
    ]);
  });

  // A NOT NULL column with no default known (added to an empty table, or metadata that does not carry
  // the default): an older record's NULL was printed with only 'NULL', for a column that cannot hold it.
  it('ALTER TABLE … ADD x int NOT NULL (no default): an older record reads NULL and its warning says NULL is right only if the row was gone before the ADD', () => {
    const t = one('CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD x int NOT NULL');
    const row = decodeRow(parseHex('1000080007000000010000'), t);
    expect(row.values).toEqual({ a: 7, x: null });
    expect(row.warnings).toEqual([
      "column x is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; the column is NOT NULL, so if the row still existed then, it took the column's default of that time, which the metadata read here does not give: fill the value in before re-inserting it",
    ]);
  });

  // A newcomer's script from SSMS declares the column with its default in CREATE TABLE (or as ADD
  // CONSTRAINT … DEFAULT … FOR, SSMS's way): an older record's warning said the default "is not given"
  // by the metadata, though the script gives one. It cannot tell that default was the one the column
  // was added with; it now names it and says how to have it read.
  it.each([
    ['CREATE TABLE t (a int NOT NULL, x int NOT NULL DEFAULT ((5)))', 'DEFAULT ((5))'],
    ['CREATE TABLE t (a int NOT NULL, x int NOT NULL CONSTRAINT DF_t_x DEFAULT 5)', 'DEFAULT 5'],
    ['CREATE TABLE [dbo].[t] ([a] int NOT NULL, [x] int NOT NULL)\nGO\nALTER TABLE [dbo].[t] ADD CONSTRAINT [DF_t_x] DEFAULT ((5)) FOR [x]\nGO', 'DEFAULT ((5))'],
  ])('%s: an older record reads NULL and its warning names the script\'s default', (script, declared) => {
    const t = one(script);
    expect(t.columns[1]!.declaredDefault).toBe(declared);
    const row = decodeRow(parseHex('1000080007000000010000'), t);
    expect(row.values).toEqual({ a: 7, x: null });
    expect(row.warnings).toEqual([
      `column x is not in this record (stored column count 1; row predates the column): NULL, as if the row was deleted before the column was added; the column is NOT NULL, so if the row still existed then, it took the default the column was added with. The script gives ${declared}, the column's default now, but declares the column in CREATE TABLE rather than adding it (ALTER TABLE … ADD), so it does not say that was the default of that time: if it was, script the column as ALTER TABLE … ADD x … NOT NULL ${declared} and the value reads as it; else fill the value in before re-inserting it`,
    ]);
  });

  it('the advice holds: the column scripted as ALTER TABLE … ADD x int NOT NULL DEFAULT ((5)) reads 5 for that record', () => {
    const t = one('CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD x int NOT NULL DEFAULT ((5))');
    expect(decodeRow(parseHex('1000080007000000010000'), t).values).toEqual({ a: 7, x: 5 });
  });

  it('ADD CONSTRAINT … DEFAULT … FOR a column added later changes nothing of what its ADD gave; for a column it lacks, refused', () => {
    const later = one('CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD x int NOT NULL\nGO\nALTER TABLE t ADD CONSTRAINT DF DEFAULT 5 FOR x');
    expect(later.columns[1]!.declaredDefault).toBeUndefined();
    expect(decodeRow(parseHex('1000080007000000010000'), later).values).toEqual({ a: 7, x: null });
    expect(() => one('CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD CONSTRAINT DF DEFAULT 5 FOR nope')).toThrow(expect.objectContaining({ code: 'SCHEMA_DDL_INVALID', message: expect.stringContaining('t has no column nope') }));
  });

  // A set null bit of a NOT NULL column (one flipped bit on a page with no checksum) printed NULL with no word.
  it('a NOT NULL column marked NULL in the record: NULL, with a warning naming the column', () => {
    const t = one('CREATE TABLE t (a int NOT NULL, b int NULL)');
    // SYNTHETIC FixedVar records: status 0x10, fixed part to 12, a = 7, b = 9, 2 columns, null bitmap
    expect(decodeRow(parseHex('10000c000700000009000000020000'), t).warnings).toEqual([]);
    const bNull = decodeRow(parseHex('10000c000700000009000000020002'), t);
    expect([bNull.values, bNull.warnings]).toEqual([{ a: 7, b: null }, []]);
    const aNull = decodeRow(parseHex('10000c000700000009000000020001'), t);
    expect(aNull.values).toEqual({ a: null, b: 9 });
    expect(aNull.warnings).toEqual([
      "column a is declared NOT NULL, yet this record marks it NULL: the record is damaged (a changed bit), or the row was deleted before the column became NOT NULL and is read with today's layout; check it against a backup before re-inserting it",
    ]);
  });

  it.each([
    ['NULL DEFAULT getdate()', 'the rows then took NULL'],
    ['NOT NULL DEFAULT 5', 'a literal: taken as the default'],
  ])('ALTER TABLE … ADD x int %s: no expression clause (%s)', (clause) => {
    const t = one(`CREATE TABLE t (a int NOT NULL)\nGO\nALTER TABLE t ADD x int ${clause}`);
    expect(t.columns[1]!.addedWithExpression).toBeUndefined();
  });
});

describe('ALTER TABLE DROP COLUMN / ALTER COLUMN', () => {
  it('a dropped column keeps its slot as $dropped_<partition_column_id>; later columns follow', () => {
    const t = one('CREATE TABLE dbo.DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4))\nGO\nALTER TABLE dbo.DecimalTest DROP COLUMN Small\nGO\nALTER TABLE dbo.DecimalTest ADD Added int NOT NULL DEFAULT 7, Label varchar(20) NULL');
    expect(t.columns.map((c) => [c.name, c.columnId, c.partitionColumnId, c.leafOffset, c.leafNullBit, c.isDropped])).toEqual([
      ['Id', 1, 1, 4, 1, false], ['$dropped_2', 0, 2, 8, 2, true], ['Big', 3, 3, 13, 3, false],
      ['Added', 4, 4, 22, 4, false], ['Label', 5, 5, -1, 5, false],
    ]);
    expect(t.columns.find((c) => c.name === 'Added')!.defaultValue).toBe(7);
  });

  it('DROP COLUMN a, COLUMN IF EXISTS b and DROP CONSTRAINT are understood', () => {
    const t = one('CREATE TABLE t (a int, b varchar(3), c int)\nALTER TABLE t DROP CONSTRAINT df_x, COLUMN a, COLUMN IF EXISTS b');
    expect(t.columns.map((c) => c.name)).toEqual(['$dropped_1', '$dropped_2', 'c']);
  });

  it('ALTER COLUMN in place (nullability, a growing varchar): same null bit and slot; a drop + add leaves a dropped copy', () => {
    const t = one('CREATE TABLE t (a int NULL, v varchar(10))\nALTER TABLE t ALTER COLUMN a int NOT NULL\nALTER TABLE t ALTER COLUMN v varchar(200)');
    expect(t.columns.map((c) => [c.name, c.partitionColumnId, c.isDropped, c.nullable, c.maxLength, c.leafOffset, c.leafNullBit])).toEqual([
      ['a', 1, false, false, 4, 4, 1],
      ['v', 2, false, true, 200, -1, 2],
      ['$dropped_67108865', 0x04000001, true, true, 4, 4, 1], // rusanu 2011 physical-table-fixed-2: the old column, same slot
    ]);
  });

  it('ALTER COLUMN to a larger fixed type, or fixed <-> variable: new null bit, new slot after the last live fixed column', () => {
    const t = one('CREATE TABLE t (a int NULL, b char(10) NULL, c varchar(5) NULL)\nALTER TABLE t ALTER COLUMN a bigint NULL\nALTER TABLE t ALTER COLUMN c char(5) NULL\nALTER TABLE t ALTER COLUMN b varchar(10) NULL');
    const live = Object.fromEntries(t.columns.filter((c) => !c.isDropped).map((c) => [c.name, [c.leafOffset, c.leafNullBit]]));
    // a: int at 4 → bigint: dropped, new slot at 18 (after b char(10) 8..18), null bit 4.
    // c: varchar → char(5): after a's new slot (18..26) → 26, null bit 5. b: char → varchar: variable index 2, null bit 6.
    expect(live).toEqual({ a: [18, 4], b: [-2, 6], c: [26, 5] });
    expect(t.columns.filter((c) => c.isDropped).map((c) => [c.partitionColumnId, c.leafOffset, c.leafNullBit])).toEqual([
      [0x04000001, 4, 1], [0x04000002, -1, 3], [0x04000003, 8, 2],
    ]);
  });

  it('ALTER COLUMN that the catalog alone can place is SCHEMA_DDL_UNSUPPORTED (catalog JSON needed)', () => {
    for (const sql of [
      'CREATE TABLE t (a varchar(10))\nALTER TABLE t ALTER COLUMN a nvarchar(10)',
      'CREATE TABLE t (a varchar(10))\nALTER TABLE t ALTER COLUMN a varchar(10) COLLATE Chinese_PRC_CI_AS',
      'CREATE TABLE t (a varchar(max))\nALTER TABLE t ALTER COLUMN a varchar(10)',
      'CREATE TABLE t (a int)\nALTER TABLE t ALTER COLUMN a bit',
      'CREATE TABLE t (a int PRIMARY KEY, b int)\nALTER TABLE t ALTER COLUMN a bigint NOT NULL',
    ]) {
      const e = schemaError(() => layoutsFromDdl(sql));
      expect(e.code, sql).toBe('SCHEMA_DDL_UNSUPPORTED');
      expect(e.message).toContain('--schema');
    }
    expect(schemaError(() => layoutsFromDdl('CREATE TABLE t (a int)\nALTER TABLE t DROP COLUMN zz')).code).toBe('SCHEMA_DDL_INVALID');
  });

  it('ALTER COLUMN without COLLATE takes the database default collation, not the column\'s old one (Microsoft, ALTER TABLE: "If not specified, the column is assigned the default collation of the database")', () => {
    // a fixed char re-typed in place: the new column's collation is the database's …
    const [f] = layoutsFromDdl('CREATE TABLE t (a char(10) COLLATE Greek_CS_AS NULL)\nALTER TABLE t ALTER COLUMN a char(10) NOT NULL', { defaultCollation: 'Greek_CI_AS' });
    const a = f!.columns.find((c) => c.name === 'a')!;
    expect([a.collation, a.codePage]).toEqual(['Greek_CI_AS', 1253]);
    // … and when that changes its code page, the rows logged before the ALTER hold the old code page's
    // bytes in the slot: read in the new one they were plausible wrong text ('Привет' as Greek letters),
    // with no word. Refused, as a varchar's collation change is, naming the default it came from.
    const e = schemaError(() => layoutsFromDdl('CREATE TABLE t (a char(10) COLLATE Cyrillic_General_CI_AS NULL)\nALTER TABLE t ALTER COLUMN a char(10) NOT NULL', { defaultCollation: 'Greek_CI_AS' }));
    expect(e.code).toBe('SCHEMA_DDL_UNSUPPORTED');
    expect(e.message).toMatch(/ALTER COLUMN a: the collation changes from Cyrillic_General_CI_AS to Greek_CI_AS \(an ALTER COLUMN without COLLATE takes the database's default collation: Greek_CI_AS here; if the database's default is another, give it \(scan --collation, a job's metadata\.collation\)\)/);
    // with COLLATE given: the same refusal, without the default's advice
    const given = schemaError(() => layoutsFromDdl('CREATE TABLE t (a char(10) COLLATE Cyrillic_General_CI_AS NULL)\nALTER TABLE t ALTER COLUMN a char(10) COLLATE Latin1_General_CI_AS NOT NULL'));
    expect(given.message).toMatch(/the collation changes from Cyrillic_General_CI_AS to Latin1_General_CI_AS; where SQL Server/);
    // a narrower char in place on the same code page stays readable
    const [n] = layoutsFromDdl('CREATE TABLE t (a char(10) COLLATE Cyrillic_General_CI_AS NULL)\nALTER TABLE t ALTER COLUMN a char(8) NULL', { defaultCollation: 'Cyrillic_General_CS_AS' });
    expect(n!.columns.find((c) => c.name === 'a')).toMatchObject({ maxLength: 8, codePage: 1251 });
    // a varchar widened without COLLATE on a database of another collation changes the collation: the catalog alone knows the result
    expect(schemaError(() => layoutsFromDdl('CREATE TABLE t (a varchar(10) COLLATE Cyrillic_General_CI_AS NULL)\nALTER TABLE t ALTER COLUMN a varchar(50) NULL')).message).toMatch(/the collation changes/);
    // … while on a database of that same collation it is the plain widening
    const [w] = layoutsFromDdl('CREATE TABLE t (a varchar(10) COLLATE Cyrillic_General_CI_AS NULL)\nALTER TABLE t ALTER COLUMN a varchar(50) NULL', { defaultCollation: 'Cyrillic_General_CI_AS' });
    expect(w!.columns.find((c) => c.name === 'a')).toMatchObject({ maxLength: 50, collation: 'Cyrillic_General_CI_AS', codePage: 1251 });
  });
});

describeCorpus('DDL with DROP COLUMN decodes a real row written before the drop (lc-decimal-positive)', () => {
  it('the dropped column is hidden; the added ones take their default or NULL', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-decimal-positive.json');
    const t = one('CREATE TABLE dbo.DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4))\nGO\nALTER TABLE dbo.DecimalTest DROP COLUMN Small\nALTER TABLE dbo.DecimalTest ADD Added int NOT NULL DEFAULT 7, Label varchar(20) NULL');
    expect(decodeRow(parseHex(ex.hex), t).values).toEqual({ Id: 1, Big: '123456789012.3456', Added: 7, Label: null });
  });
});

describe('user-defined alias types', () => {
  it('--type-alias NAME=TYPE and CREATE TYPE … FROM resolve to the base type', () => {
    const sql = 'CREATE TYPE dbo.Money2 FROM decimal(19,2) NOT NULL\nGO\nCREATE TABLE t (f Flag, m dbo.Money2, p [Phone])';
    const t = one(sql, { typeAliases: { Flag: 'bit', Phone: 'varchar(20)' } });
    const spec = Object.fromEntries(t.columns.map((c) => [c.name, [c.type, c.maxLength, c.precision, c.scale, c.nullable]]));
    expect(spec).toEqual({ f: ['bit', 1, 1, 0, true], m: ['decimal', 9, 19, 2, false], p: ['varchar', 20, 0, 0, true] });
  });

  it('a --type-alias name is read as T-SQL writes a name: [dbo].[Money2], a dotted [Amount.Net], "Sales"."Flag"', () => {
    // it was split at each dot: schema `[dbo]`, and `[Amount` / `Net]`, so neither column's type was found
    const sql = 'CREATE TABLE t (m dbo.Money2, n [Amount.Net], f Sales.Flag)';
    const t = one(sql, { typeAliases: { '[dbo].[Money2]': 'decimal(19,2)', '[Amount.Net]': 'varchar(20)', '"Sales"."Flag"': 'bit' } });
    const spec = Object.fromEntries(t.columns.map((c) => [c.name, [c.type, c.maxLength, c.precision, c.scale]]));
    expect(spec).toEqual({ m: ['decimal', 9, 19, 2], n: ['varchar', 20, 0, 0], f: ['bit', 1, 1, 0] });
  });

  it('an alias type named with a dot is not the alias of that schema: [Sales.Flag] and Sales.Flag keep their own base types', () => {
    // both were keyed `sales.flag`: the column typed [Sales.Flag] was read as Sales.Flag's decimal(18,2)
    const sql = 'CREATE TYPE [Sales.Flag] FROM bit\nGO\nCREATE TYPE Sales.Flag FROM decimal(18,2)\nGO\nCREATE TABLE t (a [Sales.Flag], b Sales.Flag)';
    const spec = Object.fromEntries(one(sql).columns.map((c) => [c.name, c.type]));
    expect(spec).toEqual({ a: 'bit', b: 'decimal' });
  });

  it('a --type-alias name of three parts or an unpaired bracket is INPUT_BAD_OPTION naming it', () => {
    for (const name of ['a.b.c', '[Money2', 'dbo..Money2']) {
      let e: unknown;
      try {
        layoutsFromDdl('CREATE TABLE t (m Money2)', { typeAliases: { [name]: 'int' } });
      } catch (x) {
        e = x;
      }
      expect(e, name).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe('INPUT_BAD_OPTION');
      expect((e as InputError).message).toContain(`--type-alias '${name}=int'`);
    }
  });

  it('an unknown type is SCHEMA_UNKNOWN_TYPE and says how to declare an alias', () => {
    const e = schemaError(() => layoutsFromDdl('CREATE TABLE t (\n  a Flag)'));
    expect(e.code).toBe('SCHEMA_UNKNOWN_TYPE');
    expect(e.message).toContain('--type-alias Flag=');
    expect(e.location.line).toBe(2);
  });
});

describe('DDL grammar: T-SQL corners', () => {
  it('reads an SSMS-generated script (SET, USE, GO, brackets, constraints, options, filegroups)', () => {
    const sql = `USE [Shop]
GO
/****** Object:  Table [dbo].[Order Lines]    Script Date: 1/2/2026 ******/
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE TABLE [dbo].[Order Lines](
\t[Id] [int] IDENTITY(1,1) NOT FOR REPLICATION NOT NULL,
\t[Order]] Id] [bigint] NOT NULL,
\t[Note] [nvarchar](max) COLLATE Latin1_General_CI_AS NULL,
\t[Qty] [decimal](18, 2) NOT NULL CONSTRAINT [DF_Qty] DEFAULT ((1)),
\t[Flag] [bit] NOT NULL DEFAULT (0),
\t[Made] [datetime2](3) NOT NULL DEFAULT (sysutcdatetime()),
\t[Guid] [uniqueidentifier] ROWGUIDCOL NOT NULL,
 CONSTRAINT [PK_Order Lines] PRIMARY KEY CLUSTERED
(
\t[Id] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY],
 CONSTRAINT [UQ_Guid] UNIQUE NONCLUSTERED ([Guid]) ON [PRIMARY],
 CONSTRAINT [FK_Order] FOREIGN KEY ([Order]] Id]) REFERENCES [dbo].[Orders] ([Id]) ON DELETE CASCADE ON UPDATE NO ACTION NOT FOR REPLICATION,
 CONSTRAINT [CK_Qty] CHECK (([Qty]>(0) AND [Note]<>N'it''s (odd'))
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
ALTER TABLE [dbo].[Order Lines] WITH CHECK ADD CONSTRAINT [FK_x] FOREIGN KEY([Order]] Id]) REFERENCES [dbo].[Orders] ([Id])
GO
ALTER TABLE [dbo].[Order Lines] CHECK CONSTRAINT [FK_x]
GO
CREATE NONCLUSTERED INDEX [IX_Made] ON [dbo].[Order Lines] ([Made] DESC) INCLUDE ([Qty]) WHERE ([Flag]=(1)) WITH (ONLINE = OFF) ON [PRIMARY]
GO
`;
    const t = one(sql);
    expect([t.schema, t.name, t.indexId]).toEqual(['dbo', 'Order Lines', 1]);
    expect(slots(t)).toEqual({
      Id: [4, 1, 0], 'Order] Id': [8, 2, 0], Note: [-1, 3, 0], Qty: [16, 4, 0], Flag: [25, 5, 0], Made: [26, 6, 0], Guid: [33, 7, 0],
    });
    expect(t.columns.find((c) => c.name === 'Note')!.collation).toBe('Latin1_General_CI_AS');
  });

  it('handles nested block comments, line comments, "quoted" names, db.schema.table, GO with a count, semicolons', () => {
    const sql = `/* outer /* nested ) ( */ still comment */ -- CREATE TABLE nope (x int)
CREATE TABLE Shop."Sales"."Line ""A""" ( -- trailing comment
  "Qty" smallint /* inline */ NOT NULL, v varchar(3));
GO 2
create table [x] ( [select] int )`;
    const all = layoutsFromDdl(sql);
    expect(all.map((t) => `${t.schema}.${t.name}`)).toEqual(['Sales.Line "A"', 'dbo.x']);
    expect(all[0]!.columns.map((c) => c.name)).toEqual(['Qty', 'v']);
  });

  it('parses IF NOT EXISTS … BEGIN CREATE TABLE … END and skips procedures and views', () => {
    const sql = `IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = 'a')
BEGIN
  CREATE TABLE a (id int)
END
GO
CREATE PROCEDURE p AS BEGIN CREATE TABLE #tmp (x int); SELECT 1 END
GO
CREATE VIEW v AS SELECT id FROM a
GO
INSERT INTO a (id) VALUES (1)
CREATE TABLE b (id int NOT NULL PRIMARY KEY, n nvarchar(10) MASKED WITH (FUNCTION = 'default()') NULL,
  s datetime2 GENERATED ALWAYS AS ROW START HIDDEN NOT NULL, e datetime2 GENERATED ALWAYS AS ROW END NOT NULL,
  PERIOD FOR SYSTEM_TIME (s, e), INDEX ix_n NONCLUSTERED (n))
WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = dbo.b_history))`;
    const all = layoutsFromDdl(sql);
    expect(all.map((t) => t.name)).toEqual(['a', 'b']);
    expect(all[1]!.indexId).toBe(1);
  });

  it('column-level FOREIGN KEY / REFERENCES / CHECK / DEFAULT forms and SPARSE / FILESTREAM options', () => {
    const t = one(`CREATE TABLE t (
      a int CONSTRAINT fk FOREIGN KEY REFERENCES o(id) ON DELETE SET NULL,
      b int REFERENCES o,
      c int CHECK (c > 0) DEFAULT -1,
      d nvarchar(10) DEFAULT N'x' COLLATE Latin1_General_BIN2,
      e int SPARSE NULL,
      f varbinary(max) FILESTREAM NULL,
      g int DEFAULT NEXT VALUE FOR dbo.seq)`);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(t.columns.find((c) => c.name === 'e')!.isSparse).toBe(true);
  });

  it('tokenizer: strings with quotes, N-strings, binary and decimal literals, GO only when alone', () => {
    const toks = tokenize("SELECT N'it''s', 0x0aFF, 1.5e3, go_table FROM x\n  go  \n");
    expect(toks.map((t) => `${t.kind}:${t.text}`)).toEqual([
      'ident:SELECT', "string:it's", 'punct:,', 'binary:0x0aFF', 'punct:,', 'number:1.5e3', 'punct:,', 'ident:go_table',
      'ident:FROM', 'ident:x', 'go:GO', 'eof:',
    ]);
  });
});

describe('DDL errors', () => {
  const parseErrors: { name: string; sql: string; line: number; text: string }[] = [
    { name: 'missing closing parenthesis', sql: 'CREATE TABLE t (\n  a int,\n  b int\n', line: 4, text: "expected ')'" },
    { name: 'unterminated string', sql: "CREATE TABLE t (a int DEFAULT 'x)", line: 1, text: 'unterminated string' },
    { name: 'unterminated bracket', sql: 'CREATE TABLE [t (a int)', line: 1, text: 'unterminated [identifier]' },
    { name: 'unterminated block comment', sql: 'CREATE TABLE t (a int) /* /* */', line: 1, text: 'unterminated /* comment' },
    { name: 'garbage in a column definition', sql: 'CREATE TABLE t (\n a int FROB)', line: 2, text: 'unexpected token in the definition of column a' },
    { name: 'unbalanced CHECK before GO', sql: 'CREATE TABLE t (a int CHECK (a > (0)\nGO', line: 2, text: 'before GO' },
  ];
  for (const c of parseErrors) {
    it(`SCHEMA_DDL_PARSE: ${c.name} (line and column in the message)`, () => {
      const e = schemaError(() => layoutsFromDdl(c.sql));
      expect(e.code).toBe('SCHEMA_DDL_PARSE');
      expect(e.location.line).toBe(c.line);
      expect(e.message).toMatch(new RegExp(`^line ${c.line}, column \\d+: `));
      expect(e.message).toContain(c.text);
    });
  }

  const invalid: { name: string; sql: string; code: string; text: string }[] = [
    { name: 'two clustered indexes', sql: 'CREATE TABLE t (a int PRIMARY KEY CLUSTERED, b int); CREATE CLUSTERED INDEX c ON t(b)', code: 'SCHEMA_DDL_INVALID', text: 'more than one clustered index' },
    { name: 'clustered key names an unknown column', sql: 'CREATE TABLE t (a int); CREATE CLUSTERED INDEX c ON t(zz)', code: 'SCHEMA_DDL_INVALID', text: 'zz is not a column' },
    { name: 'index on a table the script does not create', sql: 'CREATE TABLE t (a int); CREATE INDEX c ON other(a)', code: 'SCHEMA_DDL_INVALID', text: 'dbo.other' },
    { name: 'duplicate column', sql: 'CREATE TABLE t (a int, A int)', code: 'SCHEMA_DDL_INVALID', text: 'defined twice' },
    { name: 'decimal precision out of range', sql: 'CREATE TABLE t (a decimal(39,2))', code: 'SCHEMA_DDL_INVALID', text: 'out of range' },
    { name: 'persisted computed column without a CAST', sql: 'CREATE TABLE t (a int, b AS a * 2 PERSISTED)', code: 'SCHEMA_DDL_UNSUPPORTED', text: 'CAST' },
  ];
  for (const c of invalid) {
    it(`${c.code}: ${c.name}`, () => {
      const e = schemaError(() => layoutsFromDdl(c.sql));
      expect(e.code).toBe(c.code);
      expect(e.message).toContain(c.text);
    });
  }

  it('DROP TABLE lets a later CREATE TABLE start over; keys of the dropped table go with it', () => {
    const t = one(`DROP TABLE IF EXISTS dbo.t, dbo.never_created
      CREATE TABLE t (a int, b varchar(5)); CREATE CLUSTERED INDEX cx ON t (b)
      GO
      DROP TABLE t
      CREATE TABLE dbo.t (a int, b varchar(5), c bit)`);
    expect([t.indexId, t.columns.map((c) => c.name)]).toEqual([0, ['a', 'b', 'c']]);
    const e = schemaError(() => layoutsFromDdl('CREATE TABLE t (a int)\nCREATE TABLE dbo.T (b int)'));
    expect(e.message).toContain('created twice');
  });

  it('CREATE SCHEMA s AUTHORIZATION o CREATE TABLE t …: t belongs to s until the batch ends', () => {
    const all = layoutsFromDdl('CREATE SCHEMA sales AUTHORIZATION dbo\n  CREATE TABLE Orders (id int)\n  CREATE TABLE audit.Log (id int)\nGO\nCREATE TABLE Other (id int)');
    expect(all.map((t) => `${t.schema}.${t.name}`)).toEqual(['sales.Orders', 'audit.Log', 'dbo.Other']);
  });

  it('a script without CREATE TABLE gives no layouts', () => {
    expect(layoutsFromDdl('SET NOCOUNT ON; SELECT 1')).toEqual([]);
  });
});

describe('a collation whose code page is unknown', () => {
  it('every row of the table says its varchar text is read as code page 1252; known collations and nvarchar columns say nothing', () => {
    const [t] = layoutsFromDdl(
      'CREATE TABLE dbo.T (A varchar(10) COLLATE Klingon_CI_AS, B varchar(10) COLLATE Welsh_100_CI_AS, C nvarchar(10) COLLATE Klingon_CI_AS);',
    );
    expect(t.warnings).toEqual([
      'dbo.T: column A has collation Klingon_CI_AS, whose code page rowback does not know: its varchar text is read as code page 1252 (Western European); other scripts would show wrong characters',
    ]);
    // A 'abc', B and C NULL: status 0x30, fixed end 4, 3 columns, null bitmap 0b110, one variable
    // column ending at 14 (SYNTHETIC bytes, written by hand)
    const row = decodeRow(parseHex('3000040003000601000e00616263'), t);
    expect(row.values.A).toBe('abc');
    expect(row.warnings).toContain(t.warnings![0]);
  });
});


describe('COLLATE DATABASE_DEFAULT / CATALOG_DEFAULT', () => {
  it('is the database default collation (--collation, else SQL_Latin1_General_CP1_CI_AS), not a collation of unknown code page', () => {
    const ddl = 'CREATE TABLE dbo.T (A varchar(10) COLLATE DATABASE_DEFAULT NULL, B varchar(10) COLLATE catalog_default NULL, C nvarchar(10) COLLATE Database_Default NULL);';
    const [t] = layoutsFromDdl(ddl);
    expect(t.warnings ?? []).toEqual([]);
    expect(t.columns.map((c) => [c.collation, c.codePage])).toEqual([['SQL_Latin1_General_CP1_CI_AS', 1252], ['SQL_Latin1_General_CP1_CI_AS', 1252], ['SQL_Latin1_General_CP1_CI_AS', null]]);
    const [j] = layoutsFromDdl(ddl, { defaultCollation: 'Japanese_CI_AS' });
    expect(j.columns.map((c) => c.codePage)).toEqual([932, 932, null]);
    // ALTER COLUMN … COLLATE DATABASE_DEFAULT likewise
    const [a] = layoutsFromDdl('CREATE TABLE dbo.T (A varchar(10) NULL); ALTER TABLE dbo.T ALTER COLUMN A varchar(20) COLLATE DATABASE_DEFAULT NULL;', { defaultCollation: 'Japanese_CI_AS' });
    expect([a.columns[0].collation, a.columns[0].codePage, a.warnings ?? []]).toEqual(['Japanese_CI_AS', 932, []]);
  });
});
