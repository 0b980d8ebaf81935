/**
 * The restored side database against the live one (restore run --table): the SELECT each side is
 * read with (every type in rowback's output form, every name quoted), and the comparison and
 * staging through a fake runner that answers as SQL Server would for those statements. The real
 * server path is test/integration/restore.test.ts (runs where a container runtime exists).
 * The rows below are SYNTHETIC (hand-written driver results, not from a server).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareRestored } from '../../src/cli/commands/restore.js';
import { assertReadOnly } from '../../src/logreader/live/read-only.js';
import type { RunOptions, SqlRunner } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { compareLiveTables, liveColumnExpression, liveTableSql, readLiveTable } from '../../src/replay/compare-live.js';
import { decodeReal } from '../../src/reconstruct/types/float.js';
import { StagingStore } from '../../src/staging/store.js';
import { tokenizeTsql } from '../support/tsql-tokenizer.js';
import { catalogRowsOf } from '../support/catalog-rows.js';

const DDL = `CREATE TABLE [sa]]les].[Or'ders] (Id int NOT NULL PRIMARY KEY CLUSTERED, Big bigint, Amount decimal(9,2), Fee money, Born date, At datetime, At2 datetime2(3), Zoned datetimeoffset(0),
  Tick time(2), Small smalldatetime, G uniqueidentifier, Bin varbinary(10), Rv rowversion, Note nvarchar(50), Flag bit, Ratio float)`;

describe('the SELECT of a live comparison', () => {
  const layout = layoutsFromDdl(DDL)[0]!;
  it('gives every type its output-form expression', () => {
    const expr = Object.fromEntries(layout.columns.filter((c) => !c.isDropped).map((c) => [c.name, liveColumnExpression(c)]));
    expect(expr).toMatchObject({
      Id: '[Id]', Big: 'CONVERT(varchar(20), [Big])', Amount: 'CONVERT(varchar(50), [Amount])', Fee: 'CONVERT(varchar(30), [Fee], 2)',
      Born: 'CONVERT(char(10), [Born], 23)', At: "REPLACE(CONVERT(char(23), [At], 121), ' ', 'T')", At2: "REPLACE(CONVERT(varchar(27), [At2], 121), ' ', 'T')",
      Zoned: "REPLACE(CONVERT(varchar(27), CONVERT(datetime2(0), [Zoned]), 121), ' ', 'T') + DATENAME(TZOFFSET, [Zoned])",
      Tick: 'CONVERT(varchar(16), [Tick])', Small: "REPLACE(CONVERT(char(19), [Small], 120), ' ', 'T')", G: 'CONVERT(char(36), [G])',
      Bin: 'CONVERT(varchar(max), CONVERT(varbinary(max), [Bin]), 1)', Rv: 'CONVERT(varchar(max), CONVERT(varbinary(max), [Rv]), 1)',
      Note: '[Note]', Flag: '[Flag]', Ratio: '[Ratio]',
    });
    expect(() => liveColumnExpression({ ...layout.columns[0]!, name: 'V', type: 'sql_variant' })).toThrow(expect.objectContaining({ code: 'INPUT_UNSUPPORTED_COLUMN' }));
  });

  it('quotes the database, schema and table names and reads only', () => {
    const stmt = liveTableSql(layout, "Rb'Shop]_side");
    expect(stmt.text.endsWith(" FROM [Rb'Shop]]_side].[sa]]les].[Or'ders];")).toBe(true);
    expect(() => assertReadOnly(stmt.text)).not.toThrow();
    // one statement: SELECT … FROM, identifiers bracketed, no literal but the REPLACE/style arguments
    const toks = tokenizeTsql(stmt.text);
    const words = [...new Set(toks.flatMap((t) => (t.kind === 'word' ? [t.text.toUpperCase()] : [])))].sort();
    expect(words).toEqual(['AS', 'CHAR', 'CONVERT', 'DATENAME', 'DATETIME2', 'FROM', 'MAX', 'REPLACE', 'SELECT', 'TZOFFSET', 'VARBINARY', 'VARCHAR']);
    // every identifier is a name we gave: columns, aliases, database, schema, table
    const idents = new Set(toks.flatMap((t) => (t.kind === 'ident' ? [t.value] : [])));
    expect([...idents].filter((v) => !/^c\d+$/.test(v)).sort()).toEqual(['At', 'At2', 'Amount', 'Big', 'Bin', 'Born', 'Fee', 'Flag', 'G', 'Id', 'Note', "Or'ders", 'Ratio', "Rb'Shop]_side", 'Rv', 'Small', 'Tick', 'Zoned', 'sa]les'].sort());
  });
});

/** The database the restored backups are of (SYNTHETIC identities). */
const SHOP = { name: 'Shop', bindingId: '11111111-2222-3333-4444-555555555555', familyGuid: '66666666-7777-8888-9999-AAAAAAAAAAAA' };

/** Answers the catalog of the side database and each database's SELECT. */
class FakeServer implements SqlRunner {
  readonly description = 'fake:1433 as sa';
  sent: string[] = [];
  constructor(private readonly catalog: Record<string, unknown>[], private readonly tables: Record<string, Record<string, unknown>[]>) {}
  async *stream(stmt: SqlStatement, _o?: RunOptions): AsyncIterable<Record<string, unknown>> {
    assertReadOnly(stmt.text);
    this.sent.push(stmt.text);
    if (stmt.text.includes('SYSDATETIMEOFFSET')) { yield { product_version: '16.0.4135.4', tz_offset: '+00:00', server_now: '2024-03-05T15:00:00.0000000+00:00', database_name: 'Shop_side', is_sysadmin: 1, recovery_model: 'FULL' }; return; }
    if (stmt.text.includes('system_internals_partition_columns')) { yield* this.catalog; return; }
    const db = /FROM \[([^\]]+)\]\./.exec(stmt.text)?.[1];
    if (db && this.tables[db]) { yield* this.tables[db]!; return; }
    throw new Error(`unexpected statement: ${stmt.text.slice(0, 80)}`);
  }
  async query(stmt: SqlStatement, o?: RunOptions) { const out = []; for await (const r of this.stream(stmt, o)) out.push(r); return out; }
  async close() {}
}

describe('restore run --table: side database against the live one', () => {
  const layout = layoutsFromDdl('CREATE TABLE dbo.Items (Id int NOT NULL PRIMARY KEY CLUSTERED, Name nvarchar(50), Price decimal(9,2))')[0]!;
  const catalog = catalogRowsOf(layout, { allocUnit: '72057594043629568' });
  const row = (id: number, name: string, price: string) => ({ c0: id, c1: name, c2: price });
  const side = [row(1, 'a', '1.50'), row(2, 'b', '2.00'), row(3, 'c', '3.25'), row(4, 'd', '4.00')];
  const live = [row(1, 'a', '1.50'), row(3, 'c', '9.99'), row(5, 'e', '5.00')];

  it('finds the rows the live database lacks (by the clustered key) and the changed ones, and stages them as a restore job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cmp-'));
    try {
      const server = new FakeServer(catalog, { Shop_side: side, Shop: live });
      const out = new PassThrough();
      let text = '';
      out.on('data', (d) => (text += d));
      const r = await compareRestored(server, { side: 'Shop_side', live: 'Shop', tables: ['dbo.Items'], stage: join(dir, 's.db'), description: 'Shop restored as Shop_side', backup: '/b/full.bak', sourceDatabase: SHOP }, out);
      expect(r).toEqual([{ table: 'dbo.Items', missing: 2, changed: 1, jobId: 1 }]);
      expect(text).toBe('dbo.Items: Shop_side 4 row(s), Shop 3; 2 missing from Shop, 1 changed, 1 only in Shop, 1 unchanged; matched on the clustered index key (Id); staged as restore job 1 in ' + join(dir, 's.db') + '\n');
      const store = new StagingStore(join(dir, 's.db'));
      try {
        const rows = store.listRows(1, {}, { limit: 10 }).items;
        expect(rows.map((x) => [x.operation, x.values])).toEqual([
          ['delete', { Id: 2, Name: 'b', Price: '2.00' }],
          ['delete', { Id: 4, Name: 'd', Price: '4.00' }],
          ['update', { Id: 3, Name: 'c', Price: '3.25' }],
        ]);
        expect(rows[2]!.after).toEqual({ Id: 3, Name: 'c', Price: '9.99' });
        expect(rows[0]!.warnings).toEqual(['missing from the later state (rowback diff)', 'earlier state: database Shop_side (Shop restored as Shop_side)']);
        expect(store.requireJob(1)).toMatchObject({ kind: 'restore', state: 'succeeded' });
        // the restored backups' database is the job's source database (it was null: not known, and a
        // re-insert into another tenant's database went without the WARNING or acceptOtherDatabase)
        expect(store.requireJob(1).sourceDatabase).toEqual(SHOP);
      } finally {
        store.close();
      }
      expect(server.sent.filter((t) => t.startsWith('SELECT [Id] AS [c0]'))).toEqual([
        'SELECT [Id] AS [c0], [Name] AS [c1], CONVERT(varchar(50), [Price]) AS [c2] FROM [Shop_side].[dbo].[Items];',
        'SELECT [Id] AS [c0], [Name] AS [c1], CONVERT(varchar(50), [Price]) AS [c2] FROM [Shop].[dbo].[Items];',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nothing missing or changed: no job of 0 rows is staged (one was, waiting for review), and the line says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cmp-same-'));
    try {
      const server = new FakeServer(catalog, { Shop_side: side, Shop: [...side, row(9, 'new', '1.00')] });
      const out = new PassThrough();
      let text = '';
      out.on('data', (d) => (text += d));
      const r = await compareRestored(server, { side: 'Shop_side', live: 'Shop', tables: ['dbo.Items'], stage: join(dir, 's.db'), description: 'Shop restored as Shop_side', backup: '/b/full.bak', sourceDatabase: SHOP }, out);
      expect(r).toEqual([{ table: 'dbo.Items', missing: 0, changed: 0, jobId: null }]);
      expect(text).toBe('dbo.Items: Shop_side 4 row(s), Shop 5; 0 missing from Shop, 0 changed, 1 only in Shop, 4 unchanged; matched on the clustered index key (Id); nothing staged in ' + join(dir, 's.db') + '\n');
      expect(existsSync(join(dir, 's.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a real column comes back in the decoder\'s form: the shortest decimal of the float32, not the driver\'s widened double', async () => {
    const rl = layoutsFromDdl('CREATE TABLE dbo.R (Id int NOT NULL PRIMARY KEY CLUSTERED, Ratio real, Wide float)')[0]!;
    // what tedious hands back for real 0.1 / 3.14159 (float32 read as a double) and for float 0.1
    const server = new FakeServer([], { Shop: [{ c0: 1, c1: Math.fround(0.1), c2: 0.1 }, { c0: 2, c1: Math.fround(3.14159), c2: 1 / 3 }, { c0: 3, c1: null, c2: null }] });
    const t = await readLiveTable(server, 'Shop', rl);
    expect(t.rows.map((r) => r.values)).toEqual([{ Id: 1, Ratio: 0.1, Wide: 0.1 }, { Id: 2, Ratio: 3.14159, Wide: 1 / 3 }, { Id: 3, Ratio: null, Wide: null }]);
    // the same values decoded from row bytes (reconstruct/types/float.ts)
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, 0.1, true);
    expect(decodeReal(b, 0)).toBe(t.rows[0]!.values.Ratio);
  });

  it('columns named __proto__ and constructor are compared and staged like any other (not lost as prototypes)', async () => {
    const pl = layoutsFromDdl('CREATE TABLE dbo.P (Id int NOT NULL PRIMARY KEY CLUSTERED, [__proto__] int, [constructor] nvarchar(10))')[0]!;
    const server = new FakeServer([], { Side: [{ c0: 1, c1: 5, c2: 'x' }, { c0: 2, c1: 6, c2: 'y' }], Live: [{ c0: 1, c1: 9, c2: 'x' }] });
    const side = await readLiveTable(server, 'Side', pl);
    expect(JSON.stringify(side.rows[0]!.values)).toBe('{"Id":1,"__proto__":5,"constructor":"x"}');
    const { diff } = await compareLiveTables(server, { sideDatabase: 'Side', liveDatabase: 'Live', layout: pl });
    expect(diff.missing.map((m) => JSON.stringify(m.values))).toEqual(['{"Id":2,"__proto__":6,"constructor":"y"}']);
    expect(diff.changed.map((c) => c.columns)).toEqual([['__proto__']]);
  });

  it('a table the restored database does not have is refused, naming the ones it has', async () => {
    const server = new FakeServer(catalog, {});
    await expect(compareRestored(server, { side: 'Shop_side', live: 'Shop', tables: ['dbo.Gone'], description: 'x', backup: 'b', sourceDatabase: null }, new PassThrough()))
      .rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE', message: expect.stringContaining('known tables: dbo.Items') });
  });
});
