import { describe, expect, it } from 'vitest';
import { tablesFromCatalog } from '../../src/reinsert/mssql-target.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';

/**
 * A temporal table's period columns (GENERATED ALWAYS AS ROW START / END) are left out of the INSERT
 * (the server sets them: Msg 13536 otherwise), so the values the
 * reviewer saw in them (ValidFrom 2024-05-01…) do not go back: the re-inserted row's period starts at
 * the re-insert. The script said nothing of it; its head now names those columns per table. SYNTHETIC.
 */
describe('re-insert script: columns whose recovered values do not go back', () => {
  const row = (table: string, column: string, type_name: string, extra: Record<string, unknown> = {}) => ({
    schema: 'dbo', table, column, column_id: 0, type_name, max_length: 8, precision: 27, scale: 7, is_nullable: false, is_identity: false, is_computed: false, key_ordinal: 0, generated_always_type: 0, ...extra,
  });
  const tables = tablesFromCatalog([
    row('Policy', 'PolicyId', 'int', { max_length: 4, precision: 10, scale: 0, key_ordinal: 1 }),
    row('Policy', 'Holder', 'nvarchar', { max_length: 100, precision: 0, scale: 0 }),
    row('Policy', 'ValidFrom', 'datetime2', { generated_always_type: 1 }),
    row('Policy', 'ValidTo', 'datetime2', { generated_always_type: 2 }),
    row('Note', 'NoteId', 'int', { max_length: 4, precision: 10, scale: 0, key_ordinal: 1 }),
    row('Note', 'RV', 'timestamp', { precision: 0, scale: 0 }),
  ]);

  it('the head names the period columns left out, with the rows they drop values of (not rowversion: never insertable)', () => {
    const plan = planReinsert([
      { id: 1, table: 'dbo.Policy', lsn: '0000002a:000001f0:0003', values: { PolicyId: 7, Holder: 'Ann', ValidFrom: '2024-05-01T10:00:00.0000000', ValidTo: '9999-12-31T23:59:59.9999999' } },
      { id: 2, table: 'dbo.Policy', lsn: '0000002a:000001f0:0004', values: { PolicyId: 8, Holder: 'Bo', ValidFrom: '2024-05-02T10:00:00.0000000', ValidTo: '9999-12-31T23:59:59.9999999' } },
      { id: 3, table: 'dbo.Note', lsn: '0000002a:000001f0:0005', values: { NoteId: 1, RV: '0x00000000000007D1' } },
    ], tables, []);
    expect(plan.problems).toEqual([]);
    const script = renderScript(plan);
    const head = script.slice(0, script.indexOf('SET XACT_ABORT ON;'));
    expect(head).toContain("-- NOTE: dbo.Policy's ValidFrom, ValidTo are GENERATED ALWAYS (a temporal table's period): left out of the INSERT, the server sets them, so the recovered value(s) of 2 row(s) do not go back (the period starts at the re-insert's transaction)");
    expect(head).not.toContain('RV');
    expect(script).toContain('INSERT INTO [dbo].[Policy] ([PolicyId], [Holder]) VALUES (@r1_p1, @r1_p2);');
  });

  it('a table without such columns, or rows holding none of their values, gets no note', () => {
    const plan = planReinsert([{ id: 1, table: 'dbo.Policy', lsn: '0000002a:000001f0:0003', values: { PolicyId: 7, Holder: 'Ann' } }], tables, []);
    expect(renderScript(plan)).not.toContain('-- NOTE:');
  });
});
