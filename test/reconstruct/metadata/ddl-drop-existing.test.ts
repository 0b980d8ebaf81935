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
});
