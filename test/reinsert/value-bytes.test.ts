import { describe, expect, it } from 'vitest';
import { planReinsert } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * char(n)/varchar(n) count bytes, and the length check counted UTF-16 units: 'Mülle' (5 characters,
 * 6 bytes in UTF-8) passed for a varchar(5) column of a _UTF8 collation, and 'ＡＢＣＤＥＦ' (6
 * characters, 12 bytes in code page 932) for a Japanese varchar(10) one. The server converts the
 * nvarchar value into the column's code page on INSERT and refuses it (Msg 2628), rolling back the
 * row's whole batch on every resume and stopping the script at that row. Now a row problem
 * (REINSERT_BAD_VALUE) naming the bytes. SYNTHETIC values.
 */
const col = (o: Partial<TargetColumn> = {}): TargetColumn => ({
  name: 'Name', type: 'varchar', maxLength: 5, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o,
});
const UTF8 = { collation: 'Latin1_General_100_CI_AS_SC_UTF8', codePage: 65001 };
const JAPANESE = { collation: 'Japanese_CI_AS', codePage: 932 };

const refusal = (f: () => unknown): { code: string; message: string } => {
  try { f(); } catch (e) { return e as { code: string; message: string }; }
  throw new Error('not refused');
};

describe('re-insert: a char/varchar value whose bytes in the target code page exceed the column', () => {
  it('UTF-8 varchar(5): 5 characters of 6 bytes are refused, naming both counts', () => {
    const r = refusal(() => planParam(col(UTF8), 'Mülle'));
    expect(r.code).toBe('REINSERT_BAD_VALUE');
    expect(r.message).toBe('column Name (varchar(5), collation Latin1_General_100_CI_AS_SC_UTF8, code page 65001) holds at most 5 byte(s): the value has 5 character(s) but takes 6 byte(s) in code page 65001, so the server would refuse its INSERT (Msg 2628, string or binary data would be truncated) and roll back its whole batch, or cut the value with no error where only trailing spaces pass the length or ANSI_WARNINGS is OFF: re-insert the row into a column wide enough (a side table, tableMap)');
    expect(planParam(col(UTF8), 'Müll').value).toBe('Müll');
  });

  it('code page 932 varchar(10): 6 double-byte characters are refused, 5 fit; char(6) padding does not count', () => {
    expect(refusal(() => planParam(col({ ...JAPANESE, maxLength: 10 }), 'ＡＢＣＤＥＦ')).message).toContain('takes 12 byte(s) in code page 932');
    expect(planParam(col({ ...JAPANESE, maxLength: 10 }), 'ＡＢＣＤＥ').value).toBe('ＡＢＣＤＥ');
    expect(planParam(col({ ...JAPANESE, type: 'char', maxLength: 6 }), 'ＡＢＣ   ').value).toBe('ＡＢＣ   ');
  });

  it('no target code page (planned from the layout without a target): not judged', () => {
    expect(planParam(col(), 'Mülle').value).toBe('Mülle');
  });

  it('in a plan: a row problem, the other rows planned', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Contacts', keyColumns: ['Id'], columns: [col({ name: 'Id', type: 'int', maxLength: 4 }), col(UTF8)] };
    const plan = planReinsert([
      { id: 1, table: 'dbo.Contacts', lsn: '0000002a:000001f0:0003', values: { Id: 1, Name: 'Mülle' } },
      { id: 2, table: 'dbo.Contacts', lsn: '0000002a:000001f0:0004', values: { Id: 2, Name: 'Müll' } },
    ], new Map([['dbo.Contacts', t]]), []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_BAD_VALUE']]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2]);
  });
});
