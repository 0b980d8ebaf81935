import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (type: TargetColumn['type'], maxLength: number, name = 'X'): TargetColumn =>
  ({ name, type, maxLength, precision: 0, scale: 0, nullable: true, identity: false, computed: false });

/**
 * A string or binary value longer than the target column (a target altered since, a side table or
 * another database's table of narrower columns) was planned with the column's length: the script's
 * `DECLARE @r1_p2 nvarchar(5) = N'abcdefgh'` keeps 'abcde' without an error, and its INSERT put the
 * cut value in, looking right. Now the row is refused (REINSERT_BAD_VALUE naming the column), as a
 * decimal the column would round is. Values SYNTHETIC.
 */
describe('a string or binary value longer than the target column is refused, not cut', () => {
  const refused = (col: TargetColumn, v: string) => {
    let err: unknown;
    try { planParam(col, v); } catch (e) { err = e; }
    expect((err as { code?: string })?.code).toBe('REINSERT_BAD_VALUE');
    expect(String((err as Error).message)).toMatch(/column X \(\w+\(\d+\)\) holds at most \d+ (character|byte)\(s\): the value has \d+/);
  };
  it('nvarchar/nchar (byte-pairs), varchar/char (bytes, sent as Unicode), binary/varbinary (bytes)', () => {
    refused(c('nvarchar', 10), 'abcdef'); // nvarchar(5)
    refused(c('nchar', 6), 'abcd'); // nchar(3)
    refused(c('sysname', 256), 'n'.repeat(129));
    refused(c('varchar', 3), 'abcd');
    refused(c('char', 2), 'abc');
    refused(c('varchar', 6000), 'v'.repeat(6001)); // declared nvarchar(max) in the script, still too long for the column
    refused(c('varbinary', 2), '0x010203');
    refused(c('binary', 2), '0x010203');
  });
  it('values that fit, (max) columns and text/ntext/image are planned as before', () => {
    expect(planParam(c('nvarchar', 10), 'abcde').literal).toBe("N'abcde'");
    expect(planParam(c('nvarchar', 4), '\u{1F600}').literal).toBe('CONVERT(nvarchar(max), 0x3DD800DE)'); // a pair: 2 units in nvarchar(2)
    expect(planParam(c('varchar', 4), 'abcd').literal).toBe("N'abcd'");
    expect(planParam(c('varchar', -1), 'x'.repeat(9000)).type).toEqual({ name: 'NVarChar', length: -1 });
    expect(planParam(c('nvarchar', -1), 'x'.repeat(9000)).type).toEqual({ name: 'NVarChar', length: -1 });
    expect(planParam(c('varbinary', -1), `0x${'00'.repeat(9000)}`).literal).toMatch(/^0x0000/);
    expect(planParam(c('binary', 3), '0x010203').literal).toBe('0x010203');
    // char/nchar padding beyond the target's length is padding: the column keeps the same value
    expect(planParam(c('nchar', 10), 'ab        ').literal).toBe("N'ab   '"); // nchar(5)
    expect(planParam(c('char', 5), 'ab        ').type).toEqual({ name: 'NChar', length: 5 });
    // and sent cut to the column's length (breaker M): tedious refuses an NChar(5) parameter of 10
    // characters ("invalid data length"), so the run's batch failed where the script went in
    expect(planParam(c('char', 5), 'ab        ')).toMatchObject({ value: 'ab   ', literal: "N'ab   '" });
    expect(planParam(c('nchar', 6), 'abc      ')).toMatchObject({ value: 'abc', literal: "N'abc'" });
    expect(() => planParam(c('varchar', 5), 'ab        ')).toThrow('holds at most 5 byte(s): the value has 10 character(s)'); // varchar keeps its spaces
    expect(planParam(c('text', 16), 'x'.repeat(100)).type).toEqual({ name: 'NText' });
    expect(planParam(c('image', 16), '0x0102').literal).toBe('0x0102');
    // a sql_variant's own MaxLength gives its type: never shorter than its value
    expect(planParam(c('sql_variant', 8016), { baseType: 'nvarchar', maxLength: 10, value: 'abcde' }).type).toEqual({ name: 'NVarChar', length: 5 });
  });
  it('the script holds no DECLARE that would cut the value: the row is NOT INCLUDED, naming the column', () => {
    const t: TargetTable = { schema: 'dbo', name: 'T', keyColumns: ['id'], columns: [c('int', 4, 'id'), c('nvarchar', 10, 'name')] };
    const plan = planReinsert([{ id: 1, table: 'dbo.T', lsn: '00000021:00000010:0002', values: { id: 1, name: 'abcdefgh' } }], new Map([['dbo.T', t]]), []);
    expect(plan.batches).toEqual([]);
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatchObject({ rowId: 1, code: 'REINSERT_BAD_VALUE' });
    expect(plan.problems[0]!.message).toContain('column name (nvarchar(5)) holds at most 5 character(s): the value has 8');
    const script = renderScript(plan);
    expect(script).not.toContain("N'abcdefgh'");
    expect(script).toContain('NOT INCLUDED: row 1');
  });
});
