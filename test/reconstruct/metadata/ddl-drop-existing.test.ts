/**
 * `CREATE … INDEX name ON t (…) WITH (DROP_EXISTING = ON)` replaces the table's index of that name
 * (MS Learn "CREATE INDEX": DROP_EXISTING rebuilds an existing index with another key, compression
 * or kind, and is how a clustered columnstore table is made rowstore again). Before, the replaced
 * index stayed in the script's list beside the new one, so a clustered index rebuilt this way, the
 * usual way to change its key or compression, had the whole script refused: "table dbo.t has more
 * than one clustered index". SYNTHETIC scripts, compared with the same layout written directly.
 */
import { describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';

/** What places a row's values: compression, and each column's slot, null bit, bit and key role. */
const shape = (t: TableLayout) => ({
  compression: t.compression,
  unreadable: t.unreadable,
  columns: t.columns.map((c) => [c.name, c.type, c.leafOffset, c.leafNullBit, c.leafBitPosition, c.isUniquifier, c.keyOrdinal ?? 0, c.nullable]),
});

describe('WITH (DROP_EXISTING = ON) in a --ddl script (SYNTHETIC)', () => {
  it('a clustered index rebuilt on another, non-unique key: the layout of that index (uniquifier and all)', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int, s varchar(10));\nCREATE CLUSTERED INDEX cix ON dbo.t (id);\nCREATE CLUSTERED INDEX cix ON dbo.t (a) WITH (DROP_EXISTING = ON);');
    const [direct] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int, s varchar(10));\nCREATE CLUSTERED INDEX cix ON dbo.t (a);');
    expect(shape(t!)).toEqual(shape(direct!));
    expect(t!.columns.some((c) => c.isUniquifier)).toBe(true);
  });

  it('a primary key\'s clustered index rebuilt with DATA_COMPRESSION = PAGE: page-compressed, still the key', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int, CONSTRAINT PK_t PRIMARY KEY CLUSTERED (id));\nCREATE UNIQUE CLUSTERED INDEX PK_t ON dbo.t (id) WITH (DROP_EXISTING = ON, DATA_COMPRESSION = PAGE);');
    const [direct] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int, CONSTRAINT PK_t PRIMARY KEY CLUSTERED (id) WITH (DATA_COMPRESSION = PAGE));');
    expect(t!.compression).toBe('PAGE');
    expect(shape(t!)).toEqual(shape(direct!));
  });

  it('a clustered columnstore table converted to rowstore by a clustered index of the same name: readable', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int);\nCREATE CLUSTERED COLUMNSTORE INDEX cci ON dbo.t;\nCREATE CLUSTERED INDEX cci ON dbo.t (id) WITH (DROP_EXISTING = ON);');
    const [direct] = layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int);\nCREATE CLUSTERED INDEX cci ON dbo.t (id);');
    expect(t!.compression).toBe('NONE');
    expect(shape(t!)).toEqual(shape(direct!));
  });

  it('without DROP_EXISTING a second clustered index is still refused; DROP_EXISTING = OFF likewise', () => {
    expect(() => layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int);\nCREATE CLUSTERED INDEX cix ON dbo.t (id);\nCREATE CLUSTERED INDEX cix2 ON dbo.t (a);')).toThrow(/more than one clustered index/);
    expect(() => layoutsFromDdl('CREATE TABLE dbo.t (id int NOT NULL, a int);\nCREATE CLUSTERED INDEX cix ON dbo.t (id);\nCREATE CLUSTERED INDEX cix ON dbo.t (a) WITH (DROP_EXISTING = OFF);')).toThrow(/more than one clustered index/);
  });

  // SQL Server refuses these statements (MS Learn "CREATE INDEX", DROP_EXISTING; error 7999 for a
  // name the table has no index of), so the table keeps the index it had: applied as written they
  // gave a layout the table never had, which decodes its rows wrong.
  const T = 'CREATE TABLE dbo.t (id int NOT NULL, a int, s varchar(10), b bigint NOT NULL);\n';
  const PK = 'CREATE TABLE dbo.t (id int NOT NULL, a int, b bigint NOT NULL, CONSTRAINT PK_t PRIMARY KEY CLUSTERED (b));\n';
  it.each([
    ['a clustered index made nonclustered', `${T}CREATE CLUSTERED INDEX cix ON dbo.t (b);\nCREATE NONCLUSTERED INDEX cix ON dbo.t (b) WITH (DROP_EXISTING = ON);`, /line 3: .*clustered index \[cix\] nonclustered/],
    ['a heap given a clustered index of a name it has no index of', `${T}CREATE CLUSTERED INDEX cix ON dbo.t (b) WITH (DROP_EXISTING = ON);`, /line 2: .*no index named \[cix\]/],
    ['a clustered index of another name than the table\'s', `${T}CREATE CLUSTERED INDEX cix ON dbo.t (b);\nCREATE CLUSTERED INDEX cix2 ON dbo.t (a) WITH (DROP_EXISTING = ON);`, /line 3: .*no index named \[cix2\]/],
    ['a primary key\'s index rebuilt not unique (it would get a uniquifier)', `${PK}CREATE CLUSTERED INDEX PK_t ON dbo.t (b) WITH (DROP_EXISTING = ON);`, /PRIMARY KEY \[PK_t\] not UNIQUE/],
    ['a primary key\'s index rebuilt on other columns', `${PK}CREATE UNIQUE CLUSTERED INDEX PK_t ON dbo.t (id) WITH (DROP_EXISTING = ON);`, /PRIMARY KEY \[PK_t\] on \(\[id\]\), not the key's \(\[b\]\)/],
    ['a clustered UNIQUE constraint\'s index rebuilt not unique (it would get a uniquifier)', 'CREATE TABLE dbo.t (id int NOT NULL, b bigint NOT NULL, CONSTRAINT UQ_t UNIQUE CLUSTERED (b));\nCREATE CLUSTERED INDEX UQ_t ON dbo.t (b) WITH (DROP_EXISTING = ON);', /UNIQUE constraint \[UQ_t\] not UNIQUE/],
    ['a primary key\'s clustered index rebuilt nonclustered', `${PK}CREATE UNIQUE NONCLUSTERED INDEX PK_t ON dbo.t (b) WITH (DROP_EXISTING = ON);`, /clustered index \[PK_t\] nonclustered/],
  ])('refused, naming the line: %s', (_, sql, why) => {
    expect(() => layoutsFromDdl(sql)).toThrow(why);
  });

  it('a nonclustered index of a name the table has none of changes no layout: not refused', () => {
    const [t] = layoutsFromDdl(`${T}CREATE NONCLUSTERED INDEX ix ON dbo.t (b) WITH (DROP_EXISTING = ON);`);
    expect(shape(t!)).toEqual(shape(layoutsFromDdl(T)[0]!));
  });

  it('the backward compatible WITH DROP_EXISTING (no parentheses, beside FILLFACTOR): the index replaced, as with (DROP_EXISTING = ON)', () => {
    const [t] = layoutsFromDdl(`${T}CREATE CLUSTERED INDEX cix ON dbo.t (b);\nCREATE CLUSTERED INDEX cix ON dbo.t (a) WITH FILLFACTOR = 80, DROP_EXISTING ON [PRIMARY];`);
    expect(shape(t!)).toEqual(shape(layoutsFromDdl(`${T}CREATE CLUSTERED INDEX cix ON dbo.t (a);`)[0]!));
  });
});
