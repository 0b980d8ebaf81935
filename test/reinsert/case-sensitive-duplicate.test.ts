/**
 * The plan refuses two deleted rows of one table holding one key or unique value (REINSERT_DUPLICATE_KEY,
 * REINSERT_DUPLICATE_UNIQUE_KEY), comparing text in any letter case. Under a case-sensitive or binary
 * collation 'Ann@x.test' and 'ann@x.test' are two values: both rows were refused, the message saying
 * the server would refuse the second, which it would not. Such a column's text now keeps its case;
 * a case-insensitive column's is still folded. SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'nvarchar' ? 400 : 4, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const table = (key: 'Id' | 'Email', collation: string): Map<string, TargetTable> => new Map([['crm.Contacts', {
  schema: 'crm', name: 'Contacts', keyColumns: [key], keyIndex: { name: 'PK_Contacts', primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Email', 'nvarchar', { nullable: false, collation })],
  uniqueKeys: key === 'Id' ? [{ name: 'UX_Email', columns: ['Email'] }] : [],
}]]);
const row = (id: number, email: string): PlanInputRow => ({ id, table: 'crm.Contacts', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Email: email }, operation: 'delete', fromLog: true });

describe('plan: one key or unique value, letter case as the column\'s collation compares it', () => {
  for (const collation of ['Latin1_General_CS_AS', 'SQL_Latin1_General_CP1_CS_AS', 'Latin1_General_BIN2', 'Latin1_General_100_CS_AS_SC_UTF8']) {
    it(`${collation}: 'Ann@x.test' and 'ann@x.test' both go back (unique index and key)`, () => {
      expect(planReinsert([row(1, 'Ann@x.test'), row(2, 'ann@x.test')], table('Id', collation), []).problems).toEqual([]);
      expect(planReinsert([row(1, 'Ann@x.test'), row(2, 'ann@x.test')], table('Email', collation), []).problems).toEqual([]);
    });
  }
  it('Latin1_General_CI_AS: still refused, both rows; trailing blanks still one value under a binary collation', () => {
    expect(planReinsert([row(1, 'Ann@x.test'), row(2, 'ann@x.test')], table('Id', 'Latin1_General_CI_AS'), []).problems.map((p) => p.code)).toEqual(['REINSERT_DUPLICATE_UNIQUE_KEY', 'REINSERT_DUPLICATE_UNIQUE_KEY']);
    expect(planReinsert([row(1, 'Ann@x.test'), row(2, 'ann@x.test')], table('Email', 'Latin1_General_CI_AS'), []).problems.map((p) => p.code)).toEqual(['REINSERT_DUPLICATE_KEY', 'REINSERT_DUPLICATE_KEY']);
    expect(planReinsert([row(1, 'ann@x.test '), row(2, 'ann@x.test')], table('Id', 'Latin1_General_BIN2'), []).problems.map((p) => p.code)).toEqual(['REINSERT_DUPLICATE_UNIQUE_KEY', 'REINSERT_DUPLICATE_UNIQUE_KEY']);
  });
});
