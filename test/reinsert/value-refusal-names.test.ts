/**
 * A re-insert refusal names its column as one T-SQL name (util/identifier-text.ts identifierText):
 * bare when a regular identifier, else bracketed with `]` doubled and a control character escaped
 * (`\u{a}`). The value refusals (numeric-params.ts, datetime-params.ts, sql-types.ts) and the plan's
 * column refusals (plan.ts REINSERT_COLUMN_MISSING / REINSERT_COLUMN_AMBIGUOUS) wrote the name bare:
 * a column `a) got 5, column b (int` made `column a) got 5, column b (int (tinyint) holds …` read as
 * two columns, and a name holding a line break split the one-line refusal in two. The structured
 * field (`location.column`, a problem's `table`) keeps the raw name. SYNTHETIC columns and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, resolveTableMap, type PlanInputRow } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { uniqueKeyText } from '../../src/reinsert/unique-keys.js';
import { otherJobMessage } from '../../src/reinsert/other-jobs.js';
import { sideTableWhere } from '../../src/reinsert/side-tables.js';
import type { RowbackError } from '../../src/errors.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/** Each name and how a refusal writes it (literal: not computed by the code under test). */
const NAMES: { name: string; shown: string }[] = [
  { name: 'Qty', shown: 'Qty' },
  { name: 'Unit Price', shown: '[Unit Price]' },
  { name: 'X]y', shown: '[X]]y]' },
  { name: 'A\nb', shown: '[A\\u{a}b]' },
  { name: 'A) got 5, column b (int', shown: '[A) got 5, column b (int]' },
];

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: 4, precision: 10, scale: 0, nullable: true, identity: false, computed: false, ...o,
});
/** The refusal `f` throws: its code, message and the raw column its location names. */
const refusal = (f: () => unknown): { text: string; column: unknown } => {
  try { f(); } catch (e) { return { text: `${(e as RowbackError).code}: ${(e as Error).message}`, column: (e as RowbackError).location?.column }; }
  throw new Error('not refused');
};

describe('a re-insert value refusal names its column as one T-SQL name', () => {
  for (const { name, shown } of NAMES) {
    const label = JSON.stringify(name);
    it(`numeric: ${label}`, () => {
      expect(refusal(() => planParam(column(name, 'tinyint'), 300))).toEqual({
        text: `REINSERT_BAD_VALUE: column ${shown} (tinyint) holds 0 to 255: 300 does not fit, and its INSERT would fail (arithmetic overflow, Msg 220 or 8115) with its whole batch: re-insert the row into a column of a wider integer type (a side table, tableMap)`,
        column: name,
      });
      expect(refusal(() => planParam(column(name, 'decimal', { precision: 5, scale: 2 }), '1.234')).text).toBe(
        `REINSERT_BAD_VALUE: column ${shown} (decimal(5,2)) keeps 2 decimal place(s): 1.234 would go in rounded: re-insert the row into a column of 3 decimal place(s) or more (a side table, tableMap)`,
      );
    });

    it(`datetime: ${label}`, () => {
      expect(refusal(() => planParam(column(name, 'date'), 'not a date'))).toEqual({ text: `REINSERT_BAD_VALUE: column ${shown} (date) got "not a date"`, column: name });
      expect(refusal(() => planParam(column(name, 'time', { scale: 7 }), 'noon')).text).toBe(`REINSERT_BAD_VALUE: column ${shown} (time) got "noon"`);
    });

    it(`string and binary: ${label}`, () => {
      expect(refusal(() => planParam(column(name, 'nvarchar', { maxLength: 6 }), 'abcd'))).toEqual({
        text: `REINSERT_BAD_VALUE: column ${shown} (nvarchar(3)) holds at most 3 character(s): the value has 4, and would go in cut to its first 3: re-insert the row into a column wide enough (a side table, tableMap)`,
        column: name,
      });
      expect(refusal(() => planParam(column(name, 'bit'), 'maybe')).text).toBe(`REINSERT_BAD_VALUE: column ${shown} (bit) got "maybe"`);
      expect(refusal(() => planParam(column(name, 'varbinary', { maxLength: 8 }), 'zz')).text).toBe(`REINSERT_BAD_VALUE: column ${shown} (varbinary) got "zz"`);
    });
  }
});

const table = (columns: TargetColumn[]): Map<string, TargetTable> => new Map([['crm.Order Lines', { schema: 'crm', name: 'Order Lines', keyColumns: [], columns }]]);
const row = (values: Record<string, unknown>): PlanInputRow => ({ id: 1, table: 'crm.Order Lines', lsn: '0000002a:00000100:0001', values: values as PlanInputRow['values'] });
const problem = (targets: Map<string, TargetTable>, values: Record<string, unknown>): { code: string; message: string; table: string } => {
  const [p, ...more] = planReinsert([row(values)], targets, []).problems;
  expect(more).toEqual([]);
  return { code: p!.code, message: p!.message, table: p!.table };
};

describe('the plan\'s column refusals name the column and the table as T-SQL names', () => {
  for (const { name, shown } of NAMES) {
    const label = JSON.stringify(name);
    it(`missing: ${label}`, () => {
      expect(problem(table([column('Id', 'int')]), { Id: 1, [name]: 2 })).toEqual({
        code: 'REINSERT_COLUMN_MISSING', message: `the target table crm.[Order Lines] has no column ${shown}`, table: 'crm.Order Lines',
      });
      expect(problem(table([column('Id', 'int'), column(name, 'int', { nullable: false, hasDefault: false })]), { Id: 1 }).message).toBe(
        `row 1 has no value for the target table crm.[Order Lines]'s column ${shown}, which is NOT NULL and has no default: its INSERT would be refused (Msg 515, "Cannot insert the value NULL into column") with its whole batch: give the column a default, re-insert into a table without it (a side table, tableMap), or put the row back by hand`,
      );
    });

    it(`ambiguous: ${label}`, () => {
      // the target's two columns differ from the row's only in letter case: Qty → QTY and qty
      const upper = name.toUpperCase();
      const lower = name.toLowerCase();
      const shownOf = (s: string) => (s === upper ? shown.toUpperCase().replace('\\U{A}', '\\u{a}') : shown.toLowerCase());
      expect(problem(table([column('Id', 'int'), column(upper, 'int'), column(lower, 'int')]), { Id: 1, [name]: 2 })).toEqual({
        code: 'REINSERT_COLUMN_AMBIGUOUS',
        message: `the row's column ${shown} matches the target table crm.[Order Lines]'s ${shownOf(upper)} and ${shownOf(lower)}, which differ only in letter case: which one it is cannot be told`,
        table: 'crm.Order Lines',
      });
      expect(problem(table([column('Id', 'int'), column(name, 'int')]), { Id: 1, [upper]: 2, [lower]: 3 }).message).toBe(
        `the row's columns ${shownOf(upper)} and ${shownOf(lower)} both match the target table crm.[Order Lines]'s column ${shown}: which value it takes cannot be told`,
      );
    });
  }
});

describe('the plan\'s duplicate-key refusals name the key columns as T-SQL names', () => {
  for (const { name, shown } of NAMES) {
    it(`key: ${JSON.stringify(name)}`, () => {
      const targets = new Map([['crm.Order Lines', {
        schema: 'crm', name: 'Order Lines', keyColumns: [name], keyIndex: { name: 'PK_Lines', primaryKey: true },
        columns: [column(name, 'int', { nullable: false }), column('Note', 'int')],
      } as TargetTable]]);
      const rows = [1, 2].map((id): PlanInputRow => ({ id, table: 'crm.Order Lines', lsn: `0000002a:00000100:000${id}`, values: { [name]: 7, Note: id }, operation: 'delete', fromLog: true }));
      const messages = planReinsert(rows, targets, []).problems.map((p) => p.message);
      expect(messages[0]).toBe(`row 1 holds the same key (${shown} = 7) as approved row(s) 2 (LSN 0000002a:00000100:0002) of crm.[Order Lines]: only one version can go back; reject the others (the latest delete holds the state just before it)`);
      expect(messages).toHaveLength(2);
      expect(messages.join('\n').split('\n')).toHaveLength(2);
    });
  }
});

describe('uniqueKeyText names its columns as T-SQL names', () => {
  it('each column through identifierText, the index through QUOTENAME', () => {
    expect(uniqueKeyText({ index: 'UX_Lines', columns: ['Code', 'Unit Price', 'A\nb'] })).toBe('unique index [UX_Lines] (Code, [Unit Price], [A\\u{a}b])');
  });
});

describe('the plan\'s table refusals name each table as one T-SQL name', () => {
  const contacts: TargetTable = { schema: 'crm', name: 'Order Lines', keyColumns: [], columns: [column('Id', 'int')] };
  const lines = (table: string): PlanInputRow => ({ id: 1, table, lsn: '0000002a:00000100:0001', values: { Id: 1 } });

  it('REINSERT_UNKNOWN_TABLE: the table, the side table and the database', () => {
    expect(planReinsert([lines('crm.Order Lines')], new Map(), []).problems.map((p) => p.message)).toEqual([
      'the target database has no table crm.[Order Lines]: its catalog lists no such table (or, planned without a target, the job has no layout of crm.[Order Lines]); create it there first or correct the target (targetName, target.database)',
    ]);
    const mapped = planReinsert([lines('crm.Order Lines')], new Map([['crm.Order Lines', contacts]]), [], { tableMap: { 'crm.Order Lines': 'side.[Lines\nBack]' }, database: 'CRM side' });
    expect(mapped.problems[0]!.message).toMatch(/^database \[CRM side\] has no table side\.\[Lines\\u\{a\}Back\] \(tableMap maps crm\.\[Order Lines\] to it\): .* SELECT TOP \(0\) \* INTO side\.\[Lines\\u\{a\}Back\] FROM crm\.\[Order Lines\], /);
    expect(mapped.problems[0]!.message).not.toContain('\n');
  });

  it('tableMap keys: a name of no table lists the job\'s tables, each one name', () => {
    let message = '';
    try { resolveTableMap({ 'crm.Nothing': 'side.X' }, ['crm.Order Lines', 'crm.a,b']); } catch (e) { message = (e as Error).message; }
    expect(message).toBe("tableMap key 'crm.Nothing' names no table of the job (its tables: crm.[Order Lines], crm.[a,b]): its rows would go back to their own table, not to side.X");
  });
});

describe('the already-re-inserted refusals name the table a run put the row in as one T-SQL name', () => {
  it('another job\'s run, and a side table', () => {
    const place = { server: null, database: 'CRM' };
    expect(otherJobMessage(3, { jobId: 7, runId: 2, rowId: 9, state: 'inserted', runState: 'succeeded', table: 'dbo.Order Lines', place, targetName: null }))
      .toMatch(/^row 3 is the deleted row that job 7's row 9 also holds, and re-insert run 2 of job 7 already put it back into dbo\.\[Order Lines\] in database CRM: never twice/);
    expect(sideTableWhere({ table: 'dbo.Lines\nCheck', place, targetName: 'crm' })).toBe("side table dbo.[Lines\\u{a}Check] in database CRM of target 'crm'");
  });

  it('the database as one name too: a space or a line break in it', () => {
    // before: `in database CRM Side` (two words) and a line break splitting the refusal
    const place = { server: null, database: 'CRM Side\nrowback: note: x' };
    const message = otherJobMessage(3, { jobId: 7, runId: 2, rowId: 9, state: 'inserted', runState: 'succeeded', table: 'dbo.T', place, targetName: null });
    expect(message).toContain('put it back into dbo.T in database [CRM Side\\u{a}rowback: note: x]: never twice');
    expect(sideTableWhere({ table: 'dbo.T', place, targetName: null })).toBe('side table dbo.T in database [CRM Side\\u{a}rowback: note: x]');
  });
});
