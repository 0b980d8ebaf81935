import tedious from 'tedious';
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { datetimeTickMs } from '../../src/reinsert/datetime-params.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { type ParamPlan, type SourceText } from '../../src/reinsert/param-type.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * datetime holds 1/300 s ticks; rowback stages a datetime as SQL Server shows it, three digits
 * (.333 is tick 100, 1/3 s). Values SYNTHETIC.
 *  - A datetime source value into a datetime2 (or datetimeoffset) column went as the text .333, so
 *    the column got .3330000, where SQL Server's own conversion of that datetime (ALTER COLUMN, a
 *    CAST) gives .3333333 at database compatibility level 130 and later (Microsoft Learn, "datetime
 *    (Transact-SQL)"). It now goes as a typed datetime converted by the server in the statement.
 *  - The other way, a datetime2 value into a datetime column was taken when within half a
 *    millisecond of a tick: .0034 went in as tick 1 (.003), changed with no error; and its script
 *    literal kept every digit ('….3330000'), which a datetime literal refuses (Msg 241, more than 3
 *    fractional digits), failing the script where the run went in.
 */

const col = (type: TargetColumn['type'], scale = 0, name = 'At'): TargetColumn =>
  ({ name, type, maxLength: 8, precision: 0, scale, nullable: true, identity: false, computed: false });
const dt: SourceText = { codePage: 0, collation: null, type: 'datetime' };
const dt2: SourceText = { codePage: 0, collation: null, type: 'datetime2' };

function refusal(f: () => unknown): Error & { code?: string; location?: { column?: string } } {
  try { f(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('not refused');
}

const TYPES = (tedious as unknown as { TYPES: Record<string, { validate(v: unknown, coll?: unknown, o?: unknown): unknown; generateParameterData(p: object, o: object): Iterable<Buffer> }> }).TYPES;
/** The datetime tick tedious sends for a planned parameter (MssqlTarget's useUTC). */
function wireTicks(p: ParamPlan): number {
  const t = TYPES[p.type.name]!;
  const value = t.validate(p.value, undefined, { useUTC: true });
  return Buffer.concat([...t.generateParameterData({ value, ...(p.type as object) }, { useUTC: true })]).readUInt32LE(4);
}

describe('a datetime source value into a datetime2 or datetimeoffset column', () => {
  it('goes as a typed datetime converted by the server in the statement (its own conversion, at the target\'s compatibility level)', () => {
    const p = planParam(col('datetime2', 7), '2024-01-02T10:00:00.333', dt);
    expect(p).toMatchObject({ type: { name: 'DateTime' }, wrap: 'CONVERT(datetime2(7), @)', literal: "'2024-01-02T10:00:00.333'" });
    // tick 100 of the second 10:00:00 (36000 s * 300)
    expect(wireTicks(p)).toBe(36000 * 300 + 100);
    expect(planParam(col('datetimeoffset', 7), '2024-01-02T10:00:00.123', dt)).toMatchObject({ type: { name: 'DateTime' }, wrap: 'CONVERT(datetimeoffset(7), @)', literal: "'2024-01-02T10:00:00.123'" });
    expect(wireTicks(planParam(col('datetime2', 3), '2024-01-02T23:59:59.997', dt)) % 300).toBe(299);
    // whole hundredths hold exactly in a datetime2(2)
    expect(planParam(col('datetime2', 2), '2024-01-02T10:00:00.990', dt)).toMatchObject({ wrap: 'CONVERT(datetime2(2), @)' });
  });

  it('is refused where the column\'s scale would round it (.997 into datetime2(2): the next second)', () => {
    const e = refusal(() => planParam(col('datetime2', 2), '2024-01-02T23:59:59.997', dt));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.message).toContain('column At (datetime2(2)) keeps 2 fractional digit(s)');
    expect(e.location?.column).toBe('At');
  });

  it('in the script: DECLARE … datetime and the CONVERT in the INSERT and the undo, as the run', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Ev', keyColumns: ['Id'], columns: [{ ...col('int', 0, 'Id'), maxLength: 4 }, col('datetime2', 7)] };
    const plan = planReinsert([{ id: 1, table: 'dbo.Ev', lsn: '0000002a:000001f0:0003', values: { Id: 1, At: '2024-01-02T10:00:00.333' } }],
      new Map([['dbo.Ev', t]]), [], { sourceText: new Map([['dbo.Ev', new Map([['At', dt]])]]) });
    const row = plan.batches[0]!.rows[0]!;
    expect(row.insertSql).toContain('VALUES (@p1, CONVERT(datetime2(7), @p2))');
    const script = renderScript(plan);
    expect(script).toContain("@r1_p2 datetime = '2024-01-02T10:00:00.333'");
    expect(script).toContain('CONVERT(datetime2(7), @r1_p2)');
  });

  it('a value whose source type is not known and may be a datetime\'s is refused where the two readings differ', () => {
    const e = refusal(() => planParam(col('datetime2', 7), '2024-01-02T10:00:00.333'));
    expect(e.message).toContain('may be a datetime\'s');
    expect(refusal(() => planParam(col('datetimeoffset', 7), '2024-01-02T10:00:00.007')).message).toContain('may be a datetime\'s');
    // the same either way: whole hundredths, a scale of 3, seven digits (no datetime is staged so), a datetime2 source
    expect(planParam(col('datetime2', 7), '2024-01-02T10:00:00.120')).toMatchObject({ literal: "'2024-01-02T10:00:00.120'" });
    expect(planParam(col('datetime2', 3), '2024-01-02T10:00:00.333')).toMatchObject({ literal: "'2024-01-02T10:00:00.333'" });
    expect(planParam(col('datetime2', 7), '2024-01-02T10:00:00.3330000')).toMatchObject({ literal: "'2024-01-02T10:00:00.3330000'" });
    expect(planParam(col('datetime2', 7), '2024-01-02T10:00:00.333', dt2)).toMatchObject({ type: { name: 'DateTime2', scale: 7 }, literal: "'2024-01-02T10:00:00.333'" });
    expect(planParam(col('datetimeoffset', 7), '2024-01-02T10:00:00.333', dt2)).toMatchObject({ value: '2024-01-02T10:00:00.333+00:00' });
  });

  it('a datetime inside a sql_variant keeps its own type', () => {
    expect(planParam(col('sql_variant'), { baseType: 'datetime', value: '2024-01-02T10:00:00.333' } as never)).toMatchObject({ type: { name: 'DateTime' }, literal: "'2024-01-02T10:00:00.333'" });
  });
});

describe('a value into a datetime column', () => {
  it('takes only a fraction that names a tick: as shown (.333) or its exact value at its own digits (.3333333, .0033)', () => {
    for (const [f, ms] of [['000', 0], ['003', 3], ['007', 7], ['333', 333], ['3330000', 333], ['3333333', 333], ['3333', 333], ['0033', 3], ['9966667', 997], ['5', 500], ['50', 500]] as const) expect(datetimeTickMs(f)).toBe(ms);
    for (const f of ['002', '0034', '3334999', '999', '998', '9999999', '0015']) expect(datetimeTickMs(f)).toBeNull();
  });

  it('a datetime2 value not on a tick is refused, naming the column (.0034 went in as .003)', () => {
    const e = refusal(() => planParam(col('datetime'), '2024-01-02T10:00:00.0034', dt2));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.message).toContain('column At (datetime) keeps 1/300 s ticks');
    expect(refusal(() => planParam(col('datetime'), '2024-01-02T10:00:00.3334999', dt2)).code).toBe('REINSERT_BAD_VALUE');
  });

  it('its literal has at most 3 fractional digits (a datetime literal of more fails, Msg 241), the tick the driver sends', () => {
    const p = planParam(col('datetime'), '2024-01-02T10:00:00.3330000', dt2);
    expect(p.literal).toBe("'2024-01-02T10:00:00.333'");
    expect(wireTicks(p) % 300).toBe(100);
    const q = planParam(col('datetime'), '2024-01-02T10:00:00.3333333', dt2);
    expect(q.literal).toBe("'2024-01-02T10:00:00.333'");
    expect(wireTicks(q) % 300).toBe(100);
    expect(planParam(col('datetime'), '2024-01-02T10:00:00.0000000', dt2).literal).toBe("'2024-01-02T10:00:00.000'");
    expect(planParam(col('smalldatetime'), '2024-01-02T10:01:00.0000000', dt2).literal).toBe("'2024-01-02T10:01:00'");
  });
});
