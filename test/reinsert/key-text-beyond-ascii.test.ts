/**
 * Text keys beyond ASCII, compared as a case-insensitive key compares them (breaker). The plan's
 * duplicate-key check (refuseSharedKeys), the self-reference order (parentsFirst) and the run's
 * same-key test of a batch (execute.ts sharesKey) compared each key value's script literal in lower
 * case with its trailing spaces cut. A value beyond ASCII is written in the literal as its UTF-16LE
 * bytes (`CONVERT(nvarchar(max), 0xC400…)`, util/tsql.ts scriptLiteral), whose hex digits have no
 * letter case of the text: 'ÄRGER' and 'ärger' (one key under the default CI collations), or
 * 'Zoë ' and 'Zoë', were two keys there. So two deleted versions of one key went unnamed: the
 * older went back and the newest, the state just before the last delete, became a "conflict" with
 * it, the dry run naming no problem (what REINSERT_DUPLICATE_KEY exists for, with 'ACME ' and
 * 'acme' alone tested); a report whose manager's key differs from its reference only in such a
 * letter was put back before the manager (Msg 547, the batch failing on every resume).
 * SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';
import { sharesKey } from '../../src/reinsert/execute.js';
import type { ForeignKey, TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 80, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const lsn = (n: number) => `0000002a:00000100:${n.toString(16).padStart(4, '0')}`;

const people: TargetTable = { schema: 'dbo', name: 'People', keyColumns: ['Name'], columns: [c('Name', 'nvarchar', { nullable: false }), c('City', 'nvarchar'), c('Boss', 'nvarchar')] };
const targets = new Map([['dbo.People', people]]);
const person = (id: number, name: string, city: string, boss: string | null = null): PlanInputRow =>
  ({ id, table: 'dbo.People', lsn: lsn(id), values: { Name: name, City: city, Boss: boss }, operation: 'delete' });

describe('text keys beyond ASCII', () => {
  for (const [a, b] of [['ÄRGER', 'ärger'], ['ИВАНОВ', 'Иванов'], ['Zoë ', 'Zoë'], ['ŁÓDŹ  ', 'łódź']]) {
    it(`'${a}' and '${b}' are one key: both versions named REINSERT_DUPLICATE_KEY, as 'ACME ' and 'acme' are`, () => {
      const plan = planReinsert([person(1, a, 'old'), person(2, b, 'newest'), person(3, 'other', 'x')], targets, []);
      expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
      expect(plan.batches.flatMap((x) => x.rows.map((r) => r.rowId))).toEqual([3]);
    });
  }

  it("a batch holding 'ÄRGER' and 'ärger' shares a key (looked for one by one, never bulk-loaded together)", () => {
    // the same values but the key's case: one row in two spellings (no plan problem), a batch the run must not bulk-load
    const plan = planReinsert([person(1, 'ÄRGER', 'x'), person(2, 'other', 'x')], targets, []);
    const other = planReinsert([person(3, 'ärger', 'x')], targets, []);
    expect(sharesKey([...plan.batches[0]!.rows, ...other.batches[0]!.rows])).toBe(true);
  });

  it('a report whose boss is named in another case beyond ASCII goes back after the boss', () => {
    const selfFk: ForeignKey = { name: 'FK_People_Boss', child: 'dbo.People', parent: 'dbo.People', columns: [{ child: 'Boss', parent: 'Name' }] };
    // deleted in this (LSN) order: the report first
    const plan = planReinsert([person(1, 'report', 'x', 'élodie'), person(2, 'ÉLODIE', 'y')], targets, [selfFk]);
    expect(plan.problems).toEqual([]);
    expect(plan.batches.flatMap((x) => x.rows.map((r) => r.rowId))).toEqual([2, 1]);
  });
});

describe('binary keys', () => {
  const files: TargetTable = { schema: 'dbo', name: 'Files', keyColumns: ['Hash'], columns: [c('Hash', 'varbinary', { maxLength: 32, nullable: false }), c('Note', 'nvarchar')] };
  const t = new Map([['dbo.Files', files]]);
  const file = (id: number, hash: string, note: string): PlanInputRow => ({ id, table: 'dbo.Files', lsn: lsn(id), values: { Hash: hash, Note: note }, operation: 'delete' });

  it('0x01 and 0x0100 are one key (`=` ignores trailing zero bytes), 0x01 and 0x0001 two', () => {
    const plan = planReinsert([file(1, '0x01', 'old'), file(2, '0x0100', 'new'), file(3, '0x0001', 'other')], t, []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
    expect(plan.batches.flatMap((x) => x.rows.map((r) => r.rowId))).toEqual([3]);
  });
});
