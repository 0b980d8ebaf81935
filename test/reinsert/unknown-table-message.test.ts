import { describe, expect, it } from 'vitest';
import { planReinsert } from '../../src/reinsert/plan.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A tableMap side table that does not exist yet in the target database was a row problem
 * `REINSERT_UNKNOWN_TABLE: no metadata for target table recovery.Contacts_back`, which told a newcomer
 * neither that the table was missing there nor how to make it. It now says so and how. SYNTHETIC.
 */
describe('REINSERT_UNKNOWN_TABLE says what is missing and what to do', () => {
  const t: TargetTable = { schema: 'dbo', name: 'Contacts', keyColumns: ['Id'], columns: [
    { name: 'Id', type: 'int', maxLength: 4, precision: 10, scale: 0, nullable: false, identity: true, computed: false },
  ] };
  const row = { id: 1, table: 'dbo.Contacts', lsn: '0000002a:000001f0:0003', values: { Id: 1 } };

  it('a side table (tableMap) missing from the target database', () => {
    const plan = planReinsert([row], new Map([['dbo.Contacts', t]]), [], { tableMap: { 'dbo.Contacts': 'recovery.Contacts_back' }, database: 'CRM_side' });
    expect(plan.problems[0]!.code).toBe('REINSERT_UNKNOWN_TABLE');
    expect(plan.problems[0]!.message).toBe('database CRM_side has no table recovery.Contacts_back (tableMap maps dbo.Contacts to it): its catalog lists no such table (or, planned without a target, the job has no layout of dbo.Contacts); create it there first (a side table with the columns of dbo.Contacts: SELECT TOP (0) * INTO recovery.Contacts_back FROM dbo.Contacts, run in the source database with the side table named by its database, copies them, identity included) or correct tableMap');
  });

  it('the table itself missing', () => {
    const plan = planReinsert([row], new Map(), []);
    expect(plan.problems[0]!.message).toBe('the target database has no table dbo.Contacts: its catalog lists no such table (or, planned without a target, the job has no layout of dbo.Contacts); create it there first or correct the target (targetName, target.database)');
  });
});
