import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { orderTables } from '../../src/reinsert/order.js';
import { planReinsert, renderScript, renderUndoScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { declaration, paramTypeFor, toMssqlType } from '../../src/reinsert/param-type.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { decodeSqlVariant } from '../../src/reconstruct/types/variant.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { buildLayout, encodeFixedVar } from '../support/synthetic-encoder.js';
import { fromLayout, insertableColumns, type TargetColumn, type TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const customers: TargetTable = {
  schema: 'crm', name: 'Customers', keyColumns: ['CustomerId'],
  columns: [c('CustomerId', 'int', { identity: true, nullable: false }), c('Name', 'nvarchar', { maxLength: 200 }), c('RowVer', 'timestamp', { maxLength: 8 }), c('NameLen', 'int', { computed: true })],
};
const orders: TargetTable = {
  schema: 'crm', name: 'Orders', keyColumns: ['OrderId'],
  columns: [c('OrderId', 'int', { identity: true, nullable: false }), c('CustomerId', 'int'), c('Total', 'decimal', { precision: 18, scale: 2, maxLength: 9 }), c('PlacedAt', 'datetime2', { scale: 7, maxLength: 8 })],
};
const lines: TargetTable = {
  schema: 'crm', name: 'OrderLines', keyColumns: ['OrderId', 'LineNo'],
  columns: [c('OrderId', 'int'), c('LineNo', 'smallint', { maxLength: 2 }), c('Sku', 'varchar', { maxLength: 20 }), c('Qty', 'int')],
};
const weird: TargetTable = { schema: 'we]ird', name: 'ta]ble', keyColumns: [], columns: [c('co]l', 'nvarchar', { maxLength: -1 }), c('n', 'int')] };
const fks = [
  { name: 'FK_Orders_Customers', child: 'crm.Orders', parent: 'crm.Customers' },
  { name: 'FK_Lines_Orders', child: 'crm.OrderLines', parent: 'crm.Orders' },
];
const targets = new Map([customers, orders, lines, weird].map((t) => [`${t.schema}.${t.name}`, t]));

describe('re-insert planning (T-SQL, parameter types, order)', () => {
  it('orders parents before children, reports cycles', () => {
    expect(orderTables(['crm.OrderLines', 'crm.Orders', 'crm.Customers'], fks).order).toEqual(['crm.Customers', 'crm.Orders', 'crm.OrderLines']);
    const cyc = orderTables(['a.A', 'a.B', 'a.C', 'a.D'], [
      { name: 'f1', child: 'a.A', parent: 'a.B' }, { name: 'f2', child: 'a.B', parent: 'a.A' }, { name: 'f3', child: 'a.C', parent: 'a.D' }, { name: 'self', child: 'a.D', parent: 'a.D' },
    ]);
    expect(cyc.order).toEqual(['a.D', 'a.C', 'a.A', 'a.B']);
    expect(cyc.cycles).toEqual([['a.A', 'a.B']]);
  });

  it('plans a cascade delete back parents-first, identity insert on, computed and rowversion left out', () => {
    const rows: PlanInputRow[] = [
      { id: 3, table: 'crm.OrderLines', lsn: '0000002a:00000100:0003', values: { OrderId: 10, LineNo: 1, Sku: 'A-1', Qty: 2 } },
      { id: 2, table: 'crm.Orders', lsn: '0000002a:00000100:0002', values: { OrderId: 10, CustomerId: 7, Total: '12.50', PlacedAt: '2024-03-01T09:00:00.1234567' } },
      { id: 1, table: 'crm.Customers', lsn: '0000002a:00000100:0001', values: { CustomerId: 7, Name: "O'Brien 张三", RowVer: '0x00000000000007D1', NameLen: 10 } },
    ];
    const plan = planReinsert(rows, targets, fks, { batchSize: 100 });
    expect(plan.batches.map((b) => b.table)).toEqual(['crm.Customers', 'crm.Orders', 'crm.OrderLines']);
    expect(plan.batches.map((b) => b.identityInsert)).toEqual([true, true, false]);
    const cust = plan.batches[0].rows[0];
    expect(cust.insertSql).toBe('INSERT INTO [crm].[Customers] ([CustomerId], [Name]) VALUES (@p1, @p2);');
    // every column in rowback's output form (existing-row-form.test.ts); the script's check keeps *
    expect(cust.existsSql).toBe('SELECT TOP (1) [CustomerId] AS [CustomerId], [Name] AS [Name], CONVERT(varchar(max), CONVERT(varbinary(max), [RowVer]), 1) AS [RowVer], [NameLen] AS [NameLen] FROM [crm].[Customers] WITH (UPDLOCK, HOLDLOCK) WHERE [CustomerId] = @p1;');
    expect(cust.params.map((p) => [p.name, declaration(p.type), p.value])).toEqual([['p1', 'int', 7], ['p2', 'nvarchar(100)', "O'Brien 张三"]]);
    const line = plan.batches[2].rows[0];
    expect(line.undoSql).toBe('DELETE FROM [crm].[OrderLines] WHERE [OrderId] = @p1 AND [LineNo] = @p2;');
    const ord = plan.batches[1].rows[0];
    expect(ord.params.map((p) => declaration(p.type))).toEqual(['int', 'int', 'decimal(18,2)', 'datetime2(7)']);
    const placed = ord.params[3].value as Date & { nanosecondDelta?: number };
    expect(placed.toISOString()).toBe('2024-03-01T09:00:00.123Z');
    expect(placed.nanosecondDelta).toBeCloseTo(0.0004567, 10);

    const script = renderScript(plan, { header: ['job 1'] });
    // text beyond ASCII as its UTF-16LE bytes: the script's values are ASCII (util/tsql.ts scriptLiteral)
    expect(script).toContain("DECLARE @r1_p1 int = 7,\n        @r1_p2 nvarchar(100) = CAST(N'O''Brien ' AS nvarchar(max)) + CONVERT(nvarchar(max), 0x205F094E);");
    expect(script).toContain('SET IDENTITY_INSERT [crm].[Customers] ON;');
    expect(script).toContain('IF EXISTS (SELECT TOP (1) * FROM [crm].[Customers] WITH (UPDLOCK, HOLDLOCK) WHERE [CustomerId] = @r1_p1)');
    expect(script).toContain("    INSERT INTO [crm].[Customers] ([CustomerId], [Name]) VALUES (@r1_p1, @r1_p2);");
    expect(script).toContain("DECLARE @r2_p1 int = 10,\n        @r2_p2 int = 7,\n        @r2_p3 decimal(18,2) = 12.50,\n        @r2_p4 datetime2(7) = '2024-03-01T09:00:00.1234567';");
    expect(script).not.toContain('RowVer');
    expect(script).not.toContain('NameLen');
    expect(script.indexOf('[crm].[Customers] ON')).toBeLessThan(script.indexOf('[crm].[Orders] ON'));
    expect(script.match(/BEGIN TRANSACTION;/g)).toHaveLength(3);

    const undo = renderUndoScript(plan);
    // children's DELETEs first (the head's INSTEAD OF DELETE trigger check names every table before them)
    expect(undo.indexOf('DELETE FROM [crm].[OrderLines]')).toBeGreaterThan(0);
    expect(undo.indexOf('DELETE FROM [crm].[OrderLines]')).toBeLessThan(undo.indexOf('DELETE FROM [crm].[Customers]'));
    expect(undo).toContain('DELETE FROM [crm].[Customers] WHERE [CustomerId] = @r1_p1;');
  });

  it('quotes hostile identifiers and keeps values out of the SQL text', () => {
    const plan = planReinsert([{ id: 9, table: 'we]ird.ta]ble', lsn: 'x', values: { 'co]l': "'); DROP TABLE x; --", n: null } }], targets, [], { database: 'Side]DB' });
    const r = plan.batches[0].rows[0];
    expect(r.insertSql).toBe('INSERT INTO [Side]]DB].[we]]ird].[ta]]ble] ([co]]l], [n]) VALUES (@p1, @p2);');
    expect(r.insertSql).not.toContain('DROP');
    expect(r.existsSql).toBeNull();
    expect(r.undoSql).toBe("DELETE TOP (1) FROM [Side]]DB].[we]]ird].[ta]]ble] WHERE (CONVERT(nvarchar(max), [co]]l]) + N'.') COLLATE Latin1_General_BIN2 = (CONVERT(nvarchar(max), @p1) + N'.') AND [n] IS NULL;");
    expect(renderScript(plan)).toContain("N'''); DROP TABLE x; --'");
    // no key: inserted with no conflict check, and the script says so (it gave a plain INSERT with no word)
    expect(renderScript(plan)).toContain('-- WARNING: 1 row(s) of [we]]ird].[ta]]ble] have no key to look for (no primary key or clustered index key in the table metadata, or a key column NULL): they are inserted with no conflict check');
  });

  it('side tables: rows go to the mapped target', () => {
    const plan = planReinsert([{ id: 1, table: 'crm.Orders', lsn: 'a', values: { OrderId: 1 } }], new Map([['recovery.Orders_back', { ...orders, schema: 'recovery', name: 'Orders_back' }]]), [], { tableMap: { 'crm.Orders': 'recovery.Orders_back' } });
    expect(plan.batches[0].rows[0].insertSql).toBe('INSERT INTO [recovery].[Orders_back] ([OrderId]) VALUES (@p1);');
  });

  it('rows that cannot go back are problems, not silently dropped', () => {
    const plan = planReinsert([
      { id: 1, table: 'crm.Customers', lsn: 'a', values: { CustomerId: 1, Name: { offRow: { page: '1:200', slot: 0, kind: 'lob-root' } } } },
      { id: 2, table: 'crm.Nope', lsn: 'b', values: {} },
      { id: 3, table: 'crm.Customers', lsn: 'c', values: { CustomerId: 'x' } },
      { id: 4, table: 'crm.Customers', lsn: 'd', values: { CustomerId: 4, Extra: 1 } },
    ], targets, fks);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_OFFROW_VALUE'], [2, 'REINSERT_UNKNOWN_TABLE'], [3, 'REINSERT_BAD_VALUE'], [4, 'REINSERT_COLUMN_MISSING']]);
    expect(plan.batches).toEqual([]);
    expect(renderScript(plan)).toContain('-- NOT INCLUDED: row 1 (crm.Customers, LSN a): REINSERT_OFFROW_VALUE');
  });

  it('only rows recovered from deletes go back unless other operations are asked for', () => {
    const rows: PlanInputRow[] = [
      { id: 1, table: 'crm.OrderLines', lsn: 'a', operation: 'delete', values: { OrderId: 1, LineNo: 1, Sku: 's', Qty: 1 } },
      { id: 2, table: 'crm.OrderLines', lsn: 'b', operation: 'insert', values: { OrderId: 1, LineNo: 2, Sku: 's', Qty: 1 } },
      { id: 3, table: 'crm.OrderLines', lsn: 'c', operation: 'update', values: { OrderId: 1, LineNo: 3, Sku: 's', Qty: 1 } },
    ];
    const plan = planReinsert(rows, targets, []);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([1]);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[2, 'REINSERT_NOT_A_DELETE'], [3, 'REINSERT_NOT_A_DELETE']]);
    expect(planReinsert(rows, targets, [], { operations: ['delete', 'update'] }).batches[0].rows.map((r) => r.rowId)).toEqual([1, 3]);
  });

  it('batches split per table at the batch size', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, table: 'crm.OrderLines', lsn: String(i).padStart(4, '0'), values: { OrderId: 1, LineNo: i, Sku: 's', Qty: 1 } }));
    expect(planReinsert(rows, targets, [], { batchSize: 3 }).batches.map((b) => b.rows.length)).toEqual([3, 3, 1]);
  });
});

describe('parameter types: exact SQL type per column', () => {
  const table: [TargetColumn, unknown, string, string][] = [
    [c('a', 'tinyint'), 200, 'tinyint', '200'],
    [c('a', 'bigint', { maxLength: 8 }), '9223372036854775807', 'bigint', '9223372036854775807'],
    [c('a', 'bit', { maxLength: 1 }), true, 'bit', '1'],
    [c('a', 'money', { maxLength: 8 }), '123456.7890', 'varchar(50)', "'123456.7890'"],
    [c('a', 'decimal', { precision: 38, scale: 10, maxLength: 17 }), '1234567890123456789012345678.1234567890', 'varchar(50)', "'1234567890123456789012345678.1234567890'"],
    [c('a', 'date', { maxLength: 3 }), '2026-05-17', 'date', "'2026-05-17'"],
    [c('a', 'datetime', { maxLength: 8 }), '2026-05-17T13:45:30.123', 'datetime', "'2026-05-17T13:45:30.123'"],
    [c('a', 'time', { scale: 3, maxLength: 4 }), '13:45:30.123', 'time(3)', "'13:45:30.123'"],
    [c('a', 'datetimeoffset', { scale: 7, maxLength: 10 }), '2026-05-17T13:45:30.1234567+08:00', 'varchar(40)', "'2026-05-17T13:45:30.1234567+08:00'"],
    // char/varchar go as Unicode: the server converts to the column's collation (tedious would use the database's)
    [c('a', 'char', { maxLength: 5 }), 'ab   ', 'nchar(5)', "N'ab   '"],
    [c('a', 'varchar', { maxLength: -1 }), 'x', 'nvarchar(max)', "N'x'"],
    [c('a', 'varchar', { maxLength: 50, collation: 'Chinese_PRC_CI_AS' } as Partial<TargetColumn>), '张三', 'nvarchar(50)', 'CONVERT(nvarchar(max), 0x205F094E)'],
    [c('a', 'text', { maxLength: 16 }), 'long', 'ntext', "N'long'"],
    [c('a', 'nchar', { maxLength: 10 }), 'xy   ', 'nchar(5)', "N'xy   '"],
    [c('a', 'varbinary', { maxLength: 16 }), '0xDEADBEEF', 'varbinary(16)', '0xDEADBEEF'],
    [c('a', 'uniqueidentifier', { maxLength: 16 }), '12345678-1234-5678-9abc-123456789abc', 'uniqueidentifier', "'12345678-1234-5678-9ABC-123456789ABC'"],
    [c('a', 'geography', { maxLength: -1 }), '0xE6100000', 'varbinary(max)', '0xE6100000'],
    [c('a', 'sql_variant', { maxLength: 8016 }), { baseType: 'nvarchar(20)', value: 'v' }, 'nvarchar(20)', "N'v'"],
  ];
  it.each(table)('%o %j → %s', (col, v, decl, literal) => {
    const p = planParam(col, v as never);
    expect(declaration(p.type)).toBe(decl);
    expect(p.literal).toBe(literal);
  });

  it('a sql_variant decimal/time goes in with the precision and scale it was stored with (SYNTHETIC variant bytes through the decoder)', () => {
    // decimal(10,4) 123.4567: base type 0x6a, version 1, precision 10, scale 4, sign 1, 8-byte magnitude 1234567
    const dec = decodeSqlVariant(Buffer.from('6a010a040187d6120000000000', 'hex'), 0, 13)!;
    expect(dec).toEqual({ baseType: 'decimal', precision: 10, scale: 4, value: '123.4567' });
    const p = planParam(c('v', 'sql_variant', { maxLength: 8016 }), dec);
    // before: parseBaseType('decimal') = decimal(18,0), and the driver rounded 123.4567 to 123
    expect(declaration(p.type)).toBe('decimal(10,4)');
    expect([p.value, p.literal]).toEqual([123.4567, '123.4567']);
    const big = planParam(c('v', 'sql_variant', { maxLength: 8016 }), { baseType: 'numeric', precision: 38, scale: 10, value: '1234567890123456789012345678.1234567890' });
    expect(big.wrap).toBe('CONVERT(numeric(38,10), @)');
    // datetime2(3) 2026-05-17T13:45:30.123: scale byte 3, 4-byte time units, 3-byte date
    const dt = decodeSqlVariant(Buffer.from('2a0103' + '0bc5f302' + 'a8490b', 'hex'), 0, 10)!;
    expect(dt).toEqual({ baseType: 'datetime2', scale: 3, value: '2026-05-17T13:45:30.123' });
    expect(declaration(planParam(c('v', 'sql_variant', { maxLength: 8016 }), dt).type)).toBe('datetime2(3)');
  });

  it('big decimals and datetimeoffset go as text converted by the server with the exact type', () => {
    expect(planParam(c('a', 'decimal', { precision: 38, scale: 10 }), '1234567890123456789012345678.1234567890').wrap).toBe('CONVERT(decimal(38,10), @)');
    expect(planParam(c('a', 'datetimeoffset', { scale: 7 }), '2026-05-17T13:45:30.1234567+08:00').wrap).toBe('CONVERT(datetimeoffset(7), @)');
    expect(planParam(c('a', 'decimal', { precision: 18, scale: 4 }), '12345678901.2345').value).toBe(12345678901.2345);
    // 16 significant digits no longer survive a double: text + CONVERT
    expect(planParam(c('a', 'decimal', { precision: 18, scale: 4 }), '123456789012.3456').wrap).toBe('CONVERT(decimal(18,4), @)');
  });

  it('builds the matching mssql driver types', () => {
    const t = toMssqlType(paramTypeFor(c('a', 'nvarchar', { maxLength: 100 }))) as unknown as { type: unknown; length: number };
    expect(t.type).toBe(sql.NVarChar);
    expect(t.length).toBe(50);
    const d = toMssqlType(paramTypeFor(c('a', 'decimal', { precision: 18, scale: 4 }))) as unknown as { type: unknown; precision: number; scale: number };
    expect([d.type, d.precision, d.scale]).toEqual([sql.Decimal, 18, 4]);
    const m = toMssqlType(paramTypeFor(c('a', 'varbinary', { maxLength: -1 }))) as unknown as { type: unknown; length: number };
    expect([m.type, m.length]).toEqual([sql.VarBinary, sql.MAX]);
    const dt = toMssqlType(paramTypeFor(c('a', 'datetime2', { scale: 3 }))) as unknown as { type: unknown; scale: number };
    expect([dt.type, dt.scale]).toEqual([sql.DateTime2, 3]);
    expect((toMssqlType({ name: 'UniqueIdentifier' }) as unknown as { type: unknown }).type).toBe(sql.UniqueIdentifier);
  });

  it('a sql_variant binary/char value goes in at its own length, not padded to 8000 (SYNTHETIC variant bytes through the decoder)', () => {
    const col = c('v', 'sql_variant', { maxLength: 8016 });
    // binary(4) 0x01020304: base type 0xad, version 1, max length 4 (2 bytes), the value
    const bin = decodeSqlVariant(Buffer.from('ad01040001020304', 'hex'), 0, 8)!;
    expect(bin).toEqual({ baseType: 'binary', maxLength: 4, value: '0x01020304' });
    // before: binary(8000): the parameter pads 0x01020304 with 7,996 zero bytes
    expect(declaration(planParam(col, bin).type)).toBe('binary(4)');
    expect(declaration(planParam(col, { baseType: 'char', value: 'ab ' }).type)).toBe('char(3)');
    expect(declaration(planParam(col, { baseType: 'nchar', value: 'xyz' }).type)).toBe('nchar(3)');
    expect(declaration(planParam(col, { baseType: 'varchar', value: 'abc' }).type)).toBe('varchar(3)');
    expect(declaration(planParam(col, { baseType: 'varbinary', value: '0x' }).type)).toBe('varbinary(1)');
  });

  // A char/varchar value inside a sql_variant went in as nchar/nvarchar (the route plain char/varchar
  // columns take): the value kept, its base type changed (SQL_VARIANT_PROPERTY BaseType nvarchar).
  describe('a sql_variant char/varchar value keeps its base type', () => {
    const col = c('v', 'sql_variant', { maxLength: 8016 });
    it('varchar/char (SYNTHETIC variant bytes through the decoder): a varchar/char parameter, the mssql VarChar/Char type, a plain literal', () => {
      // varchar 'abc': base type 0xa7, version 1, 6 property bytes (max length, collation id; types/variant.ts), the value
      const vc = decodeSqlVariant(Buffer.from('a701' + '0800' + '08d00034' + '616263', 'hex'), 0, 11)!;
      expect(vc).toEqual({ baseType: 'varchar', maxLength: 8, collation: 'SQL_Latin1_General_CP1_CI_AS', value: 'abc' });
      // its own length and collation kept: varchar(8) in SQL_Latin1_General_CP1_CI_AS, whatever the database's
      const own = planParam(col, vc);
      expect([declaration(own.type), own.value, own.literal, own.wrap]).toEqual(['nvarchar(8)', 'abc', "N'abc'", 'CONVERT(varchar(8), @ COLLATE SQL_Latin1_General_CP1_CI_AS)']);
      // staged before rowback read them: a varchar parameter of the value's length
      const p = planParam(col, { baseType: 'varchar', value: 'abc' });
      expect([declaration(p.type), p.value, p.literal, p.wrap]).toEqual(['varchar(3)', 'abc', "'abc'", undefined]);
      const t = toMssqlType(p.type) as unknown as { type: unknown; length: number };
      expect([t.type, t.length]).toEqual([sql.VarChar, 3]);
      const ch = planParam(col, { baseType: 'char(5)', value: "it's" });
      expect([declaration(ch.type), ch.literal]).toEqual(['char(5)', "'it''s'"]);
      expect((toMssqlType(ch.type) as unknown as { type: unknown }).type).toBe(sql.Char);
      expect(declaration(planParam(col, { baseType: 'varchar', value: '' }).type)).toBe('varchar(1)');
    });
    it('text beyond ASCII with its own collation: converted to that collation\'s code page by the server, its type and collation kept (SYNTHETIC variant bytes through the decoder)', () => {
      // varchar(20) in Cyrillic_General_CI_AS (id 0xd015), 'Привет' in code page 1251
      const ru = decodeSqlVariant(Buffer.from('a701' + '1400' + '15d00000' + 'cff0e8e2e5f2', 'hex'), 0, 14)!;
      expect(ru).toEqual({ baseType: 'varchar', maxLength: 20, collation: 'Cyrillic_General_CI_AS', value: 'Привет' });
      const p = planParam(col, ru);
      expect([declaration(p.type), p.value, p.literal, p.wrap]).toEqual(['nvarchar(20)', 'Привет', 'CONVERT(nvarchar(max), 0x1F0440043804320435044204)', 'CONVERT(varchar(20), @ COLLATE Cyrillic_General_CI_AS)']);
      const ch = planParam(col, { baseType: 'char', maxLength: 5, collation: 'Latin1_General_CI_AS', value: 'Ärger' });
      expect([declaration(ch.type), ch.wrap]).toEqual(['nvarchar(5)', 'CONVERT(char(5), @ COLLATE Latin1_General_CI_AS)']);
      const n = planParam(col, { baseType: 'nvarchar', maxLength: 40, collation: 'Turkish_CI_AS', value: 'İş' });
      expect([declaration(n.type), n.literal, n.wrap]).toEqual(['nvarchar(20)', 'CONVERT(nvarchar(max), 0x30015F01)', 'CONVERT(nvarchar(20), @ COLLATE Turkish_CI_AS)']);
      // a byte its code page does not define (U+FFFD) or a C1 control: refused, not sent as '?'
      for (const value of ['a\ufffdb', 'a\u0081b']) {
        expect(() => planParam(col, { baseType: 'varchar', maxLength: 10, collation: 'Latin1_General_CI_AS', value })).toThrow(/^column v: a varchar value inside a sql_variant \(collation Latin1_General_CI_AS\) holds U\+(FFFD|0081) at 1/);
      }
      // a collation whose code page rowback does not know: refused beyond ASCII, as without one
      expect(() => planParam(col, { baseType: 'varchar', maxLength: 10, collation: 'Klingon_CI_AS', value: 'é' })).toThrow(/its own collation Klingon_CI_AS has no code page rowback knows/);
      // a name that is not a collation name never reaches the statement
      expect(planParam(col, { baseType: 'nvarchar', maxLength: 4, collation: 'x]; DROP TABLE t--', value: 'ab' }).wrap).toBeUndefined();
    });
    it('text beyond ASCII cannot be sent as varchar exactly: REINSERT_VARIANT_TEXT naming the column, the row a plan problem', () => {
      let err: { code?: string; message?: string } = {};
      try {
        planParam(col, { baseType: 'varchar', value: 'café' });
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code).toBe('REINSERT_VARIANT_TEXT');
      expect(err.message).toBe("column v: a varchar value inside a sql_variant holds characters beyond ASCII ('café', U+00E9 at 3); its own collation is not known (not one rowback can name, or staged before rowback read it), so it cannot be sent as varchar exactly, and sending it as nvarchar would change its base type: re-insert this row by hand");
      const t: TargetTable = { schema: 'dbo', name: 'V', columns: [c('id', 'int'), col], keyColumns: ['id'] };
      const plan = planReinsert([
        { id: 1, table: 'dbo.V', lsn: '0001', values: { id: 1, v: { baseType: 'varchar', value: 'plain' } } },
        { id: 2, table: 'dbo.V', lsn: '0002', values: { id: 2, v: { baseType: 'char', value: 'Ärger' } } },
        { id: 3, table: 'dbo.V', lsn: '0003', values: { id: 3, v: { baseType: 'nvarchar', value: 'Ärger' } } },
      ], new Map([['dbo.V', t]]), []);
      expect(plan.batches.flatMap((b) => b.rows.map((r) => [r.rowId, declaration(r.params[1].type)]))).toEqual([[1, 'varchar(5)'], [3, 'nvarchar(5)']]);
      expect(plan.problems).toMatchObject([{ rowId: 2, code: 'REINSERT_VARIANT_TEXT' }]);
      expect(renderScript(plan)).toContain("DECLARE @r1_p1 int = 1,\n        @r1_p2 varchar(5) = 'plain';");
      expect(renderScript(plan)).toContain('-- NOT INCLUDED: row 2 (dbo.V, LSN 0002): REINSERT_VARIANT_TEXT: column v: a char value inside a sql_variant holds characters beyond ASCII');
    });
  });

  it('an xml value recovered as binary XML hex is refused, not inserted as the text of the hex (SYNTHETIC bytes)', () => {
    // FixedVar record: id 1, x = 0xDFFF01B004… (binary XML is shown as hex, decode-row warns)
    const layout = buildLayout('X', [{ name: 'id', type: 'int' }, { name: 'x', type: 'xml' }]);
    const hex = '0xDFFF01B00401610000000000';
    const row = decodeRow(encodeFixedVar(layout, { id: 1, x: hex }), layout);
    expect(row.values.x).toBe(hex);
    let code = '';
    try {
      planParam(c('x', 'xml', { maxLength: -1 }), row.values.x);
    } catch (e) {
      code = (e as { code: string }).code;
    }
    // before: { type: Xml, literal: N'0xDFFF01B0…' }: a document holding the hex digits as text
    expect(code).toBe('REINSERT_UNSUPPORTED_TYPE');
    expect(() => planParam(c('x', 'xml', { maxLength: -1 }), '0x')).toThrow(/binary XML/);
    // xml text (a restore job's side database gives it so) still goes in
    expect(planParam(c('x', 'xml', { maxLength: -1 }), '<a>0x12</a>').literal).toBe("N'<a>0x12</a>'");
  });

  it('refuses values that do not fit their column type', () => {
    expect(() => planParam(c('a', 'int'), 'x')).toThrow(/REINSERT|int/);
    expect(() => planParam(c('a', 'varbinary'), 'zz')).toThrow();
    expect(() => planParam(c('a', 'datetime2', { scale: 7 }), '2024-13')).toThrow();
  });
});

describeCorpus('re-insert planning from staged corpus rows and their layouts', () => {
  it('plans every corpus example, script typed per layout', () => {
    const rows = corpusRows(6).map((r, i) => ({ id: i + 1, table: r.table, lsn: r.lsn, values: r.values }));
    const targets = new Map(Object.entries(LAYOUTS).map(([k, l]) => [k, fromLayout(l)]));
    const plan = planReinsert(rows, targets, []);
    expect(plan.problems).toEqual([]);
    const script = renderScript(plan);
    expect(script).toContain("@r1_p2 nvarchar(50) = N'hi'");
    expect(script).toContain("@r3_p2 decimal(5,2) = 123.45");
    expect(script).toContain("@r4_p3 varchar(50) = '-123456789012.3456'");
    expect(script).toContain("VALUES (@r4_p1, @r4_p2, CONVERT(decimal(18,4), @r4_p3));");
    expect(script).toContain("@r6_p3 datetime2(7) = '2026-09-30T12:34:56.1234567'");
    expect(script).toContain('SET IDENTITY_INSERT [dbo].[Dt2ScaleTest] ON;');
    expect(script).toContain('@r5_p3 varchar(50) = NULL');
  });
});

describe('target catalog rows → target tables', () => {
  it('groups columns per table, resolves the key in key order, keeps flags', async () => {
    const { tablesFromCatalog, targetColumnsSql, targetFksSql } = await import('../../src/reinsert/mssql-target.js');
    const r = (table: string, column: string, type_name: string, key_ordinal = 0, extra: Record<string, unknown> = {}) => ({
      schema: 'crm', table, column, column_id: 0, type_name, max_length: 4, precision: 10, scale: 0, is_nullable: false, is_identity: false, is_computed: false, key_ordinal, ...extra,
    });
    const t = tablesFromCatalog([
      r('OrderLines', 'OrderId', 'int', 1), r('OrderLines', 'Line]No', 'smallint', 2), r('OrderLines', 'Sku', 'varchar', 0, { max_length: 20 }),
      r('Customers', 'CustomerId', 'int', 1, { is_identity: true }), r('Customers', 'RowVer', 'timestamp'), r('Customers', 'NameLen', 'int', 0, { is_computed: true }),
    ]);
    expect(t.get('crm.OrderLines')!.keyColumns).toEqual(['OrderId', 'Line]No']);
    expect(t.get('crm.Customers')!.columns.map((c) => [c.name, c.identity, c.computed])).toEqual([['CustomerId', true, false], ['RowVer', false, false], ['NameLen', false, true]]);
    expect(insertableColumns(t.get('crm.Customers')!).map((c) => c.name)).toEqual(['CustomerId']);
    // the catalog queries take their table list as parameters, never as text (no OPENJSON: test/reinsert/target-catalog-sql.test.ts)
    expect(targetColumnsSql(2)).toContain('IN (@n0, @n1)');
    expect(targetFksSql(1)).toContain('fk.parent_object_id');
  });
});

/**
 * A case-sensitive target database (collation *_CS_* or *_BIN2) may hold tables crm.Contact and
 * crm.contact, and columns Name and name. Names were matched lowercased: a row of one table was
 * planned into the other, both tables were one node of the FK order (one never ordered), and a row's
 * NAME filled both Name and name. SYNTHETIC tables.
 */
describe('re-insert planning: names that differ only in case', () => {
  const upperT: TargetTable = { schema: 'crm', name: 'Contact', keyColumns: [], columns: [c('Name', 'varchar', { maxLength: 20 }), c('name', 'int')] };
  const lowerT: TargetTable = { schema: 'crm', name: 'contact', keyColumns: [], columns: [c('Email', 'varchar', { maxLength: 50 })] };
  const cs = new Map([upperT, lowerT].map((t) => [`${t.schema}.${t.name}`, t]));

  it('each row goes into its own table; both tables are ordered', () => {
    const plan = planReinsert([
      { id: 1, table: 'crm.Contact', lsn: 'a', values: { Name: 'x', name: 1 } },
      { id: 2, table: 'crm.contact', lsn: 'b', values: { Email: 'e' } },
    ], cs, []);
    expect(plan.problems).toEqual([]);
    expect(plan.tableOrder).toEqual(['crm.Contact', 'crm.contact']);
    const byTable = Object.fromEntries(plan.batches.map((b) => [b.table, b.rows.map((r) => r.params.map((p) => [p.column, p.value]))]));
    expect(byTable).toEqual({ 'crm.Contact': [[['Name', 'x'], ['name', 1]]], 'crm.contact': [[['Email', 'e']]] });
  });

  it('a value whose name matches two columns only by case, or a table name matching two: a problem, not a guess', () => {
    const plan = planReinsert([
      { id: 3, table: 'crm.Contact', lsn: 'c', values: { NAME: 'x' } },
      { id: 4, table: 'crm.CONTACT', lsn: 'd', values: { Email: 'e' } },
    ], cs, []);
    expect(plan.batches).toEqual([]);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[3, 'REINSERT_COLUMN_AMBIGUOUS'], [4, 'REINSERT_AMBIGUOUS_TABLE']]);
  });

  it('orderTables keeps two tables differing only in case apart', () => {
    expect(orderTables(['crm.contact', 'crm.Contact'], []).order).toEqual(['crm.Contact', 'crm.contact']);
  });
});

