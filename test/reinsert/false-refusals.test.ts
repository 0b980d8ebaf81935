import { describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { sourceTextColumns } from '../../src/reinsert/service.js';
import { exactDecimalOfDouble } from '../../src/reinsert/numeric-params.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { type SourceText } from '../../src/reinsert/param-type.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * Values that would go in exactly were refused (a target column altered since, a side table of
 * other types): a decimal or bigint value (decimal text) into a float/real column, a bit into an
 * int, a datetime2 (no offset) into a datetimeoffset were refused 'got …'. Each now goes in where
 * the value stays as it is, and stays refused, naming the column, where it would change. All values
 * SYNTHETIC.
 */

const col = (type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name: 'X', type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

function refusal(f: () => unknown): Error & { code?: string; location?: { column?: string } } {
  try { f(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('not refused');
}

describe('decimal or bigint text into a float or real column', () => {
  it('goes in when a double holds it exactly, as that number and its float constant', () => {
    expect(planParam(col('float'), '2.5')).toEqual({ type: { name: 'Float' }, value: 2.5, literal: '2.5E0' });
    expect(planParam(col('float'), '-1234.125000')).toMatchObject({ value: -1234.125, literal: '-1234.125E0' });
    expect(planParam(col('float'), '9007199254740992')).toMatchObject({ value: 2 ** 53 }); // a bigint's 2^53
    expect(planParam(col('float'), '1152921504606846976')).toMatchObject({ value: 2 ** 60, literal: '1152921504606847000E0' }); // 2^60: the shortest text of that double
    const zero = planParam(col('float'), '-0.00');
    expect(Object.is(zero.value, 0)).toBe(true); // a decimal has no negative zero
    expect(planParam(col('real'), '0.375')).toMatchObject({ type: { name: 'Real' }, value: 0.375 });
  });

  it('is refused, naming the column and the nearest value, when no double (float32 for real) holds it', () => {
    const e = refusal(() => planParam(col('float'), '0.1'));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.message).toBe('column X (float) holds binary floating-point values: 0.1 is not one exactly, and would go in as the nearest double, 0.1000000000000000055511151231257827021181…: re-insert the row into a column of type decimal or numeric (a side table, tableMap)');
    expect(refusal(() => planParam(col('float'), '9007199254740993')).message).toContain('would go in as the nearest double, 9007199254740992:');
    expect(refusal(() => planParam(col('float'), '19.99')).code).toBe('REINSERT_BAD_VALUE'); // a money value
    expect(refusal(() => planParam(col('real'), '16777217')).message).toContain('column X (real) holds a 4-byte float: 16777217 is not one exactly, and would go in rounded to 16777216');
    expect(refusal(() => planParam(col('real'), '0.1')).message).toContain('nearest 4-byte float, 0.100000001490116119384765625');
    expect(exactDecimalOfDouble(-0.375)).toBe('-0.375');
    expect(exactDecimalOfDouble(2 ** -3)).toBe('0.125');
  });
});

describe('a bit into an integer column', () => {
  it('is 1 or 0, as SQL Server converts bit', () => {
    for (const t of ['tinyint', 'smallint', 'int'] as const) {
      expect(planParam(col(t), true)).toMatchObject({ value: 1, literal: '1' });
      expect(planParam(col(t), false)).toMatchObject({ value: 0, literal: '0' });
    }
    expect(planParam(col('bigint'), true)).toMatchObject({ value: '1', literal: '1' });
  });
  it('and into decimal, money and float columns', () => {
    expect(planParam(col('decimal', { precision: 5, scale: 2 }), true)).toMatchObject({ value: 1, literal: '1' });
    expect(planParam(col('money'), false)).toMatchObject({ wrap: 'CONVERT(money, @)', value: '0', literal: "'0'" });
    expect(planParam(col('float'), true)).toEqual({ type: { name: 'Float' }, value: 1, literal: '1E0' });
    expect(planParam(col('real'), false)).toMatchObject({ type: { name: 'Real' }, value: 0, literal: '0E0' });
  });
});

describe('a value without an offset into a datetimeoffset column', () => {
  const dto = col('datetimeoffset', { scale: 7, maxLength: 10 });
  const dt2: SourceText = { codePage: 0, collation: null, type: 'datetime2' };
  const dt: SourceText = { codePage: 0, collation: null, type: 'datetime' };

  it('a datetime2 or date value goes in with +00:00, as the server converts one, its digits unchanged', () => {
    expect(planParam(dto, '2024-01-02T10:00:00.1234567', dt2)).toMatchObject({ wrap: 'CONVERT(datetimeoffset(7), @)', value: '2024-01-02T10:00:00.1234567+00:00', literal: "'2024-01-02T10:00:00.1234567+00:00'" });
    expect(planParam(dto, '2024-01-02T10:00:00.120', dt2)).toMatchObject({ value: '2024-01-02T10:00:00.120+00:00' });
    expect(planParam(dto, '2024-01-02', { codePage: 0, collation: null, type: 'date' })).toMatchObject({ value: '2024-01-02T00:00:00+00:00' });
    // a datetime's whole seconds are exact; so is a fraction of more digits than a datetime writes
    expect(planParam(dto, '2024-01-02T10:00:00.000', dt)).toMatchObject({ wrap: 'CONVERT(datetimeoffset(7), @)', literal: "'2024-01-02T10:00:00.000'" });
    expect(planParam(dto, '2024-01-02T10:00:00.1234567')).toMatchObject({ value: '2024-01-02T10:00:00.1234567+00:00' });
    // a value with its own offset as before
    expect(planParam(dto, '2024-01-02T10:00:00.1234567+08:00')).toMatchObject({ value: '2024-01-02T10:00:00.1234567+08:00' });
  });

  it('a datetime fraction (1/300 s ticks) is converted by the server (datetime-ticks.test.ts); one that may be a datetime\'s is refused; rounding to the column\'s scale too', () => {
    expect(planParam(dto, '2024-01-02T10:00:00.123', dt)).toMatchObject({ type: { name: 'DateTime' }, wrap: 'CONVERT(datetimeoffset(7), @)' });
    const e = refusal(() => planParam(dto, '2024-01-02T10:00:00.123'));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.message).toContain('column X (datetimeoffset(7)) got 2024-01-02T10:00:00.123, a value whose source column type is not known');
    expect(refusal(() => planParam(col('datetimeoffset', { scale: 3 }), '2024-01-02T10:00:00.1234567', dt2)).message).toContain('would go in rounded');
  });

  it('the plan takes the source column type from the job layout (sourceTextColumns)', () => {
    const [layout] = layoutsFromDdl('CREATE TABLE dbo.Ev (Id int NOT NULL PRIMARY KEY, At datetime2(7) NULL, Old datetime NULL);');
    const src = sourceTextColumns([layout!]);
    expect(src.get('dbo.Ev')?.get('At')).toEqual({ codePage: 0, collation: null, type: 'datetime2' });
    const t: TargetTable = { schema: 'dbo', name: 'Ev', keyColumns: ['Id'], columns: [col('int', { name: 'Id', maxLength: 4 }), { ...dto, name: 'At' }, { ...dto, name: 'Old' }] };
    const plan = planReinsert([
      { id: 1, table: 'dbo.Ev', lsn: '0000002a:000001f0:0003', values: { Id: 1, At: '2024-01-02T10:00:00.123', Old: null } },
      { id: 2, table: 'dbo.Ev', lsn: '0000002a:000001f0:0004', values: { Id: 2, At: null, Old: '2024-01-02T10:00:00.123' } },
    ], new Map([['dbo.Ev', t]]), [], { sourceText: src });
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([1, 2]);
    expect(renderScript(plan)).toContain("'2024-01-02T10:00:00.123+00:00'");
    // the datetime's: a typed datetime the server converts (datetime-ticks.test.ts)
    expect(renderScript(plan)).toContain("datetime = '2024-01-02T10:00:00.123'");
    expect(plan.problems).toEqual([]);
  });
});
