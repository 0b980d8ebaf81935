import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { planReinsert } from '../../src/reinsert/plan.js';
import { existingRowValues } from '../../src/reinsert/mssql-target.js';
import { liveColumnExpression } from '../../src/replay/compare-live.js';
import { decodeReal } from '../../src/reconstruct/types/float.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A run that meets a row already holding the key records that row (a conflict) and the review page
 * shows it beside the recovered one for the reviewer to compare. It was read with `SELECT *`, the
 * values as the driver (tedious) reads them: decimal and money as doubles, datetime2/time to the
 * millisecond, binary as a Buffer, real widened to a double. So decimal(38,10)
 * 1234567890123456789.1234567890 showed as 1234567890123456800, datetime2(7) …00.1234567 as a Date
 * of …00.123Z, varbinary as {"type":"Buffer","data":[…]}: an existing row equal to the recovered one
 * looked different, and one differing past the 15th digit looked the same. No SQL Server runs here:
 * the select list is checked to be the live comparison's (compare-live.ts), whose expressions give
 * rowback's output forms, and the driver-side mapping is checked on the values tedious hands over.
 */
const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const table: TargetTable = {
  schema: 'dbo', name: 'Ledger', keyColumns: ['Id'],
  columns: [
    c('Id', 'int'), c('Big', 'bigint'), c('Amount', 'decimal', { precision: 38, scale: 10, maxLength: 17 }), c('Fee', 'money'),
    c('At', 'datetime2', { scale: 7 }), c('Day', 'date', { maxLength: 3 }), c('Tick', 'datetime'), c('Span', 'time', { scale: 7, maxLength: 5 }),
    c('Off', 'datetimeoffset', { scale: 7, maxLength: 10 }), c('Guid', 'uniqueidentifier', { maxLength: 16 }), c('Bytes', 'varbinary', { maxLength: -1 }),
    c('Ver', 'timestamp'), c('Ratio', 'real', { maxLength: 4 }), c('Var', 'sql_variant', { maxLength: 8016 }), c('we]ird', 'decimal', { precision: 10, scale: 2, maxLength: 9 }),
  ],
};

describe("a conflict's existing row is read in rowback's output forms", () => {
  const plan = planReinsert([{ id: 1, table: 'dbo.Ledger', lsn: '00000010:00000020:0001', operation: 'delete', values: { Id: 1, Amount: '1234567890123456789.1234567890' } }], new Map([['dbo.Ledger', table]]), []);
  const row = plan.batches[0]!.rows[0]!;

  it('the existence check selects every column through its output-form expression, aliased with its own name', () => {
    const list = row.existsSql!.slice('SELECT TOP (1) '.length, row.existsSql!.indexOf(' FROM [dbo].[Ledger]'));
    for (const col of table.columns) {
      const q = `[${col.name.replace(/]/g, ']]')}]`;
      expect(list).toContain(col.type === 'sql_variant' ? q : `${liveColumnExpression(col)} AS ${q}`);
    }
    expect(row.existsSql).toContain('CONVERT(varchar(50), [Amount]) AS [Amount]');
    expect(row.existsSql).toContain("REPLACE(CONVERT(varchar(27), [At], 121), ' ', 'T') AS [At]");
    expect(row.existsSql).toContain('CONVERT(varchar(30), [Fee], 2) AS [Fee]');
    expect(row.existsSql).not.toContain('SELECT TOP (1) *');
    expect(row.existsSql).toMatch(/WITH \(UPDLOCK, HOLDLOCK\) WHERE \[Id\] = @p1;$/);
    // the script's own check needs no values: unchanged
    expect(row.script.exists).toBe('SELECT TOP (1) * FROM [dbo].[Ledger] WITH (UPDLOCK, HOLDLOCK) WHERE [Id] = @r1_p1;');
  });

  it('real as the shortest decimal of its float32 and a Buffer as 0x… hex; the rest as given', () => {
    const b = new Uint8Array(new Float32Array([0.1]).buffer);
    const widened = new Float32Array([0.1])[0]!; // what tedious hands over: 0.10000000149011612
    expect(widened).not.toBe(0.1);
    const got = existingRowValues(
      { Id: 1, Ratio: widened, Var: Buffer.from([0xde, 0xad]), Amount: '1234567890123456789.1234567890', __proto__x: 1 },
      { Id: { type: sql.Int }, Ratio: { type: sql.Real }, Var: { type: sql.Variant }, Amount: { type: sql.VarChar } },
    );
    expect(got).toEqual({ Id: 1, Ratio: decodeReal(b, 0), Var: '0xDEAD', Amount: '1234567890123456789.1234567890', __proto__x: 1 });
    expect(got.Ratio).toBe(0.1);
    const proto = existingRowValues(JSON.parse('{"__proto__": 5}') as Record<string, unknown>, {});
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});
