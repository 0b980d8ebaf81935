/**
 * A real run (ReinsertService over the fake target) into a table with a unique index beside its key:
 * the row whose e-mail another row now holds was inserted, refused by the index (Msg 2601), and its
 * whole batch failed, on every resume; now it is a conflict, stored with the existing row and the
 * index it collides on (`detail.index`, `detail.indexColumns`: readers of `detail.existing` alone
 * read it as before), the other rows of the batch go in, and the run's undo says why the row was
 * not touched. The dry run against the target checks the index in its script; without a target the
 * script says unique indexes were not read. SYNTHETIC rows (values only, no row image).
 */
import { expect, it, describe } from 'vitest';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { fromLayout, type TargetTable } from '../../src/reinsert/target-table.js';
import { col, table } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

const layout = table('crm.Contacts', [col('ContactId', 'int', { nullable: false, keyOrdinal: 1 }), col('Email', 'nvarchar', { maxLength: 400 })]);
const tables = (): Map<string, TargetTable> => new Map([['crm.Contacts', { ...fromLayout(layout), uniqueKeys: [{ name: 'UX_Contacts_Email', columns: ['Email'] }] }]]);

function row(i: number, values: RecoveredRow['values']): RecoveredRow {
  return {
    table: 'crm.Contacts', lsn: `00000030:00000100:${i.toString(16).padStart(4, '0')}`, operation: 'delete', transactionId: '0000:00000400', beginTime: '2024-03-01T09:00:00.000',
    endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', sid: null, spid: 55, transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null,
    values, raw: '', warnings: ['synthetic values (no row image)'], source: { kind: 'fn_dblog' },
  };
}

describe('re-insert run: a unique index other than the key', () => {
  const env = storeAndTarget('rowback-unique-run-', tables, [], [{ table: 'crm.Contacts', name: 'UX_Contacts_Email', columns: ['Email'] }]);

  const job = (): number => {
    const id = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
    env.store.stageBatch(id, [row(1, { ContactId: 1, Email: 'ann@example.test' }), row(2, { ContactId: 2, Email: 'bob@example.test' }), row(3, { ContactId: 3, Email: 'cy@example.test' })]);
    env.store.saveJobTables(id, [layout]);
    env.store.decide(id, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    return id;
  };

  it('the row is a conflict stored with the existing row and the index; the other rows go in; the undo says why it was not touched', async () => {
    const jobId = job();
    // the contact was re-created under a new id with the same e-mail after the delete
    env.target.seed('crm.Contacts', [40], { ContactId: 40, Email: 'ann@example.test' });
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' }, batchSize: 500 });
    await svc.wait(run.id);
    const done = svc.getRun(run.id)!;
    expect(done.state).toBe('succeeded');
    expect(done.outcomes).toEqual({ inserted: 2, conflict: 1, error: 0 });
    const conflict = svc.outcomes(run.id).find((o) => o.outcome === 'conflict')!;
    expect(conflict.rowId).toBe(1);
    expect(conflict.detail).toEqual({ existing: { ContactId: 40, Email: 'ann@example.test' }, index: 'UX_Contacts_Email', indexColumns: ['Email'] });
    expect(env.store.countRows(jobId, { status: 'conflict' })).toBe(1);
    expect(env.store.countRows(jobId, { status: 'reinserted' })).toBe(2);
    const undo = (env.store.db.prepare('SELECT undo_script FROM reinsert_runs WHERE id = ?').get(run.id) as { undo_script: string }).undo_script;
    expect(undo).toContain('-- NOT TOUCHED: row 1 (crm.Contacts, LSN 00000030:00000100:0001): another row of the target already held its value of unique index UX_Contacts_Email (conflict): nothing was inserted, nothing to undo');
  });

  it('the dry run against the target looks for the index in its script; without a target it says unique indexes were not read', async () => {
    const jobId = job();
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const withTarget = await svc.dryRun(jobId, 'op', { target: { connectionString: 'Server=fake' } });
    expect(withTarget.script).toContain('ELSE IF EXISTS (SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [Email] = @r1_p2)');
    expect(withTarget.script).toContain("PRINT N'row 1: crm.Contacts''s unique index [UX_Contacts_Email] (Email) already holds its value in another row: conflict, not inserted';");
    expect(withTarget.script).not.toContain('unique indexes: not read');
    const offline = await svc.dryRun(jobId, 'op', {});
    expect(offline.script).toContain("-- unique indexes: not read for crm.Contacts (planned without the target's catalog)");
    expect(offline.script).not.toContain('[Email] = @r1_p2)');
  });
});
