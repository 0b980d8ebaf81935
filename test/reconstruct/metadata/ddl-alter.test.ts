/**
 * ALTER TABLE replay in the DDL path (ddl.ts applyAlteration): the placement rules are proven on
 * SQL Server's own catalog rows in the field case rusanu-2011-table-columns-under-the-hood-layouts
 * (test/reconstruct/field-cases.test.ts); the tables here pin each statement kind. Expected layouts
 * follow the rules in docs/metadata.md; the records are SYNTHETIC (bytes built by hand from those rules).
 */
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';

function one(sql: string): TableLayout {
  const all = layoutsFromDdl(sql);
  expect(all).toHaveLength(1);
  return all[0]!;
}
const slots = (t: TableLayout) => t.columns.map((c) => [c.name, c.leafOffset, c.leafNullBit]);

function schemaError(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SchemaError) return e;
    throw e;
  }
  throw new Error('expected a SchemaError');
}

describe('ALTER TABLE ADD after DROP COLUMN', () => {
  it('a fixed column added after trailing fixed columns were dropped reuses their space (rusanu 2011, physical-table-fixed-8)', () => {
    const t = one('CREATE TABLE t (id int NOT NULL, v varchar(10) NULL)\nALTER TABLE t ADD a char(50) NULL\nALTER TABLE t ADD b char(25) NULL\nALTER TABLE t DROP COLUMN a\nALTER TABLE t DROP COLUMN b\nALTER TABLE t ADD m char(100) NULL');
    expect(slots(t)).toEqual([['id', 4, 1], ['v', -1, 2], ['$dropped_3', 8, 3], ['$dropped_4', 58, 4], ['m', 8, 5]]);
  });
  it('a dropped fixed column before a live one keeps its space', () => {
    const t = one('CREATE TABLE t (a int NULL, b int NULL)\nALTER TABLE t DROP COLUMN a\nALTER TABLE t ADD c smallint NULL');
    expect(slots(t)).toEqual([['$dropped_1', 4, 1], ['b', 8, 2], ['c', 12, 3]]);
  });
  it('SYNTHETIC rows before and after the ADD decode (default for the older row)', () => {
    const t = one('CREATE TABLE t (id int NOT NULL, v int NULL)\nALTER TABLE t DROP COLUMN v\nALTER TABLE t ADD w int NOT NULL DEFAULT 42');
    // before the ADD: id 1, v 9 (now dropped), 2 columns; after: id 2, w 7 at offset 8.
    const before = decodeRow(parseHex('10000c00 01000000 09000000 0200 00'), t);
    expect(before.values).toEqual({ id: 1, w: 42 });
    expect(before.warnings).toEqual([expect.stringContaining('column w is not in this record')]);
    const after = decodeRow(parseHex('10000c00 02000000 07000000 0300 00'), t); // w reuses the dropped v's space (fixed-8 rule)
    expect(after.values).toEqual({ id: 2, w: 7 });
    expect(after.warnings).toEqual([]);
  });
});

describe('keys, indexes and rebuilds', () => {
  it('DROP CONSTRAINT of the clustered primary key rebuilds the table as a heap; a new clustered index reorders', () => {
    const t = one('CREATE TABLE t (a int NOT NULL, b int NULL, CONSTRAINT pk PRIMARY KEY CLUSTERED (b))\nALTER TABLE t DROP CONSTRAINT pk');
    expect(t.indexId).toBe(0);
    expect(slots(t)).toEqual([['a', 4, 1], ['b', 8, 2]]);
    const u = one('CREATE TABLE t (a int NOT NULL, b int NULL)\nCREATE UNIQUE CLUSTERED INDEX cx ON t (b)\nDROP INDEX cx ON t');
    expect(u.indexId).toBe(0);
    expect(slots(u)).toEqual([['a', 4, 1], ['b', 8, 2]]);
  });
  it('a clustered index created after a DROP COLUMN rebuilds: the dropped column is gone', () => {
    const t = one('CREATE TABLE t (a int NULL, b int NULL, c int NOT NULL)\nALTER TABLE t DROP COLUMN a\nALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (c)');
    expect(slots(t)).toEqual([['b', 8, 2], ['c', 4, 1]]);
    expect(t.columns.map((c) => c.columnId)).toEqual([2, 3]);
  });
  it('ALTER TABLE REBUILD reclaims dropped columns and takes WITH (DATA_COMPRESSION = …)', () => {
    const t = one('CREATE TABLE t (a int NULL, b int NULL)\nALTER TABLE t DROP COLUMN a\nALTER TABLE t REBUILD WITH (DATA_COMPRESSION = ROW)');
    expect(slots(t)).toEqual([['b', 4, 1]]);
    expect(t.compression).toBe('ROW');
  });
  it('dropping a foreign key or default constraint changes nothing', () => {
    const sql = 'CREATE TABLE t (a int NOT NULL PRIMARY KEY, b int NULL CONSTRAINT df DEFAULT 1)';
    expect(slots(one(`${sql}\nALTER TABLE t DROP CONSTRAINT df`))).toEqual(slots(one(sql)));
  });
});

describe('ENABLE CHANGE_TRACKING and sp_rename', () => {
  it('ENABLE CHANGE_TRACKING adds the hidden bigint after the last live fixed column, never output, with a warning', () => {
    const t = one('CREATE TABLE t (a int NOT NULL PRIMARY KEY, v varchar(5) NULL)\nALTER TABLE t ENABLE CHANGE_TRACKING');
    const h = t.columns.find((c) => c.isHidden)!;
    expect([h.leafOffset, h.leafNullBit, h.partitionColumnId, h.type]).toEqual([8, 3, 134217730, 'bigint']);
    // SYNTHETIC row: a 1, hidden 5, v 'x'.
    const row = decodeRow(parseHex('30001000 01000000 0500000000000000 0300 00 0100 1800 78'), t);
    expect(row.values).toEqual({ a: 1, v: 'x' });
    expect(row.warnings).toEqual([expect.stringContaining('$hidden_134217730')]);
  });
  it('EXEC sp_rename renames a column (any quoting, named arguments) or a table; the layout stays', () => {
    const base = 'CREATE TABLE dbo.t (a int NOT NULL, b int NULL)\nGO\n';
    for (const rename of [
      "EXEC sp_rename 'dbo.t.b', 'c', 'COLUMN'",
      "EXECUTE sys.sp_rename @objname = N'[dbo].[t].[b]', @newname = N'c', @objtype = 'COLUMN'",
      "exec sp_rename 't.b', 'c', 'column';",
    ]) {
      const t = one(base + rename);
      expect(t.columns.map((c) => c.name)).toEqual(['a', 'c']);
      expect(slots(t)).toEqual([['a', 4, 1], ['c', 8, 2]]);
    }
    const r = one(`${base}EXEC sp_rename 'dbo.t', 'u'\nALTER TABLE dbo.u ADD x int NULL`);
    expect([r.name, r.columns.map((c) => c.name)]).toEqual(['u', ['a', 'b', 'x']]);
  });
  it('sp_rename of objects the script does not create (a procedure, another table) changes nothing', () => {
    const t = one("CREATE TABLE t (a int)\nGO\nEXEC sp_rename 'dbo.usp_Old', 'usp_New'\nEXEC sp_rename 'other.c', 'd', 'COLUMN'\nEXEC sp_rename N'PK_t', N'PK_t2', N'OBJECT'");
    expect(slots(t)).toEqual([['a', 4, 1]]);
  });
  it('renaming a missing column or onto an existing one is SCHEMA_DDL_INVALID with the line', () => {
    const e1 = schemaError(() => layoutsFromDdl("CREATE TABLE t (a int)\nEXEC sp_rename 't.zz', 'c', 'COLUMN'"));
    expect([e1.code, e1.location.line]).toEqual(['SCHEMA_DDL_INVALID', 2]);
    const e2 = schemaError(() => layoutsFromDdl("CREATE TABLE t (a int, b int)\nEXEC sp_rename 't.a', 'b', 'COLUMN'"));
    expect(e2.code).toBe('SCHEMA_DDL_INVALID');
  });
});

describe('partitions given their own layout (one --ddl layout cannot say which allocation unit is which partition)', () => {
  const PS = 'CREATE PARTITION FUNCTION pf (int) AS RANGE RIGHT FOR VALUES (100)\nCREATE PARTITION SCHEME ps AS PARTITION pf ALL TO ([PRIMARY])\n';
  const refused = (t: TableLayout, where: RegExp) => {
    expect(t.unreadable).toMatch(where);
    expect(t.unreadable).toMatch(/catalog JSON .*--mdf\/--bak/);
    let code = '';
    try {
      decodeRow(parseHex('10000c00 01000000 05000000 0200 00'), t);
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('DECODE_NO_COLUMNS');
  };

  it('DATA_COMPRESSION = ROW ON PARTITIONS (2): the table was taken as ROW everywhere (partition 1 is NONE); now refused naming the line', () => {
    const t = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nWITH (DATA_COMPRESSION = ROW ON PARTITIONS (2))`);
    refused(t, /line 4: DATA_COMPRESSION = ROW ON PARTITIONS \(2\)/);
  });

  it('a clustered index WITH (DATA_COMPRESSION = PAGE ON PARTITIONS (1 TO 2)) is refused the same way', () => {
    const t = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nCREATE CLUSTERED INDEX cx ON t (id) WITH (DATA_COMPRESSION = PAGE ON PARTITIONS (1 TO 2)) ON ps(id)`);
    refused(t, /DATA_COMPRESSION = PAGE ON PARTITIONS \(1 TO 2\)/);
  });

  it('REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = PAGE): partition 1 stays NONE (it was taken as PAGE everywhere)', () => {
    const t = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nALTER TABLE t REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = PAGE)`);
    refused(t, /line 4: ALTER TABLE … REBUILD PARTITION = 2 WITH \(DATA_COMPRESSION = PAGE\) makes that partition PAGE, the others stay NONE/);
  });

  it('DROP COLUMN then REBUILD PARTITION = 2: partition 1 keeps the dropped slot; SYNTHETIC row of partition 1 read c from the dropped b (99 for 5)', () => {
    const sql = `${PS}CREATE TABLE t (a int NOT NULL, b int NULL, c int NULL) ON ps(a)\nALTER TABLE t DROP COLUMN b\nALTER TABLE t REBUILD PARTITION = 2`;
    const t = one(sql);
    expect(t.unreadable).toMatch(/line 5: .*REBUILD PARTITION = 2 reclaims dropped columns in that partition only/);
    // partition 1's record: a 1, b (dropped) 99, c 5 — three physical columns
    const p1 = parseHex('10001000 01000000 63000000 05000000 0300 00');
    const withoutRebuild = one(`${PS}CREATE TABLE t (a int NOT NULL, b int NULL, c int NULL) ON ps(a)\nALTER TABLE t DROP COLUMN b`);
    expect(decodeRow(p1, withoutRebuild).values).toEqual({ a: 1, c: 5 });
    expect(() => decodeRow(p1, t)).toThrow(/different layouts/);
  });

  it('what stays as it was: REBUILD PARTITION = n that changes nothing, PARTITION = ALL, and a full REBUILD WITH (DATA_COMPRESSION) after a per-partition one', () => {
    const plain = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)`);
    const same = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nALTER TABLE t REBUILD PARTITION = 2`);
    expect(same.unreadable).toBeUndefined();
    expect(slots(same)).toEqual(slots(plain));
    const all = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nALTER TABLE t REBUILD PARTITION = ALL WITH (DATA_COMPRESSION = ROW)`);
    expect([all.unreadable, all.compression]).toEqual([undefined, 'ROW']);
    const again = one(`${PS}CREATE TABLE t (id int NOT NULL, c int NULL) ON ps(id)\nALTER TABLE t REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = PAGE)\nALTER TABLE t REBUILD WITH (DATA_COMPRESSION = NONE)`);
    expect([again.unreadable, again.compression]).toEqual([undefined, 'NONE']);
  });
});

describe('statements without a closing ;', () => {
  it('ALTER TABLE … REBUILD [WITH (…)] followed by ALTER TABLE on the next line: the second statement is applied (it was taken as the rest of the REBUILD)', () => {
    for (const rebuild of ['ALTER TABLE t REBUILD', 'ALTER TABLE t REBUILD WITH (DATA_COMPRESSION = NONE)', 'ALTER TABLE t REBUILD PARTITION = ALL']) {
      const bare = one(`CREATE TABLE t (id int NOT NULL, x int NULL)\n${rebuild}\nALTER TABLE t ALTER COLUMN x bigint NULL`);
      const closed = one(`CREATE TABLE t (id int NOT NULL, x int NULL)\n${rebuild};\nALTER TABLE t ALTER COLUMN x bigint NULL`);
      expect(bare.columns.find((c) => c.name === 'x')?.type, rebuild).toBe('bigint');
      expect(slots(bare), rebuild).toEqual(slots(closed));
    }
  });
});

describe('ALTER INDEX … REBUILD', () => {
  const T = 'CREATE TABLE t (a int NULL, b int NOT NULL, CONSTRAINT pk PRIMARY KEY CLUSTERED (b))';
  it('of the clustered index (by name or ALL) takes WITH (DATA_COMPRESSION = …) and reclaims dropped columns (it was ignored: rows read as uncompressed)', () => {
    for (const stmt of ['ALTER INDEX pk ON t REBUILD WITH (DATA_COMPRESSION = PAGE)', 'ALTER INDEX ALL ON dbo.t REBUILD WITH (DATA_COMPRESSION = PAGE, ONLINE = ON)', 'ALTER INDEX [pk] ON [dbo].[t] REBUILD PARTITION = ALL WITH (DATA_COMPRESSION = PAGE)']) {
      const t = one(`${T}\nALTER TABLE t DROP COLUMN a\n${stmt}`);
      expect(t.compression, stmt).toBe('PAGE');
      expect(slots(t), stmt).toEqual([['b', 4, 1]]);
    }
  });
  it('ALTER TABLE … REBUILD WITH (DATA_COMPRESSION) on a table whose clustered key was created WITH (DATA_COMPRESSION = ROW) takes the new compression', () => {
    const t = one('CREATE TABLE t (a int NOT NULL, CONSTRAINT pk PRIMARY KEY CLUSTERED (a) WITH (DATA_COMPRESSION = ROW))\nALTER TABLE t REBUILD WITH (DATA_COMPRESSION = NONE)');
    expect(t.compression).toBe('NONE');
  });
  it('of a nonclustered index, REORGANIZE, DISABLE, and ALL on a heap change nothing; an index of a table the script does not create is no error', () => {
    const base = one(`${T}\nCREATE INDEX ix ON t (a)`);
    for (const stmt of ['ALTER INDEX ix ON t REBUILD WITH (DATA_COMPRESSION = PAGE)', 'ALTER INDEX pk ON t REORGANIZE', 'ALTER INDEX ix ON t DISABLE', 'ALTER INDEX ALL ON other REBUILD WITH (DATA_COMPRESSION = ROW)']) {
      const t = one(`${T}\nCREATE INDEX ix ON t (a)\n${stmt}\nALTER TABLE t ADD c int NULL`);
      expect([t.compression, slots(t)], stmt).toEqual([base.compression, [...slots(base), ['c', 12, 3]]]);
    }
    const heap = one('CREATE TABLE h (a int NULL)\nALTER INDEX ALL ON h REBUILD WITH (DATA_COMPRESSION = ROW)');
    expect(heap.compression).toBe('NONE');
  });
  it('ALTER INDEX pk ON t REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = ROW): per partition, refused like ALTER TABLE', () => {
    const t = one(`${T} ON ps(b)\nALTER INDEX pk ON t REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = ROW)`);
    expect(t.unreadable).toMatch(/ALTER INDEX pk ON … REBUILD PARTITION = 2 .*makes that partition ROW/);
  });
});

describe('ALTER TABLE ADD of a computed column, then another statement', () => {
  // The expression ran on past ';' (or the next ALTER): the next statement's PRIMARY KEY CLUSTERED
  // was read as this column's options and '(' failed the script (SCHEMA_DDL_PARSE) (breaker).
  const base = 'CREATE TABLE dbo.t (a int NOT NULL, b int NULL)';
  for (const [what, sep] of [['with ;', ';\n'], ['without ;', '\n']] as const) {
    it(`ends at the next ALTER TABLE ${what}`, () => {
      const t = one(`${base};\nALTER TABLE dbo.t ADD e AS (a*2)${sep}ALTER TABLE dbo.t ADD CONSTRAINT pk PRIMARY KEY CLUSTERED (b)`);
      expect(t.columns.filter((c) => !c.isUniquifier && !c.isDropped).map((c) => c.name).sort()).toEqual(['a', 'b']);
      expect(t.columns.find((c) => c.name === 'b')!.keyOrdinal).toBe(1);
    });
  }
  it('a PERSISTED one too', () => {
    const t = one(`${base};\nALTER TABLE dbo.t ADD e AS CAST(a*2 AS bigint) PERSISTED;\nALTER TABLE dbo.t ADD CONSTRAINT pk PRIMARY KEY CLUSTERED (a)`);
    expect(t.columns.map((c) => c.name)).toContain('e');
  });
});
