import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type sql from 'mssql';
import type { StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { MssqlTarget } from '../../src/reinsert/mssql-target.js';
import { ReinsertService, type TargetSpec } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { adminPool, SA_PASSWORD, settingsFor, startSqlServer } from './support/mssql.js';
import { announceSkip, detectContainerRuntime } from './support/runtime.js';

/**
 * Re-insert into tables with INSTEAD OF triggers, on SQL Server 2022: the catalog query
 * (targetInsteadOfTriggersSql) reads the enabled INSTEAD OF INSERT and DELETE triggers (a disabled
 * one and an AFTER trigger left out); a row of the table with an INSTEAD OF INSERT trigger (one that
 * swallows the row) is refused by the plan, never sent, never called reinserted; the rows of the
 * table whose INSTEAD OF trigger is disabled go in; the run's undo script warns of the INSTEAD OF
 * DELETE trigger. SYNTHETIC values (no row image).
 */
const runtime = await detectContainerRuntime();
if (!runtime.available) announceSkip('re-insert INSTEAD OF trigger integration tests (mssql against SQL Server 2022)', runtime);

const SCHEMA = `
CREATE SCHEMA crm;
GO
CREATE TABLE crm.Notes (NoteId int NOT NULL CONSTRAINT PK_Notes PRIMARY KEY, Body nvarchar(200) NULL);
CREATE TABLE crm.Tasks (TaskId int NOT NULL CONSTRAINT PK_Tasks PRIMARY KEY, Title nvarchar(200) NULL);
CREATE TABLE crm.Audit (Id int IDENTITY PRIMARY KEY, What nvarchar(100) NOT NULL);
GO
CREATE TRIGGER crm.trg_Notes_swallow ON crm.Notes INSTEAD OF INSERT AS BEGIN SET NOCOUNT ON; INSERT crm.Audit (What) SELECT N'note swallowed' FROM inserted; END;
GO
CREATE TRIGGER crm.trg_Tasks_keep ON crm.Tasks INSTEAD OF DELETE AS BEGIN SET NOCOUNT ON; INSERT crm.Audit (What) SELECT N'task kept' FROM deleted; END;
GO
CREATE TRIGGER crm.trg_Tasks_off ON crm.Tasks INSTEAD OF INSERT AS BEGIN SET NOCOUNT ON; END;
GO
DISABLE TRIGGER crm.trg_Tasks_off ON crm.Tasks;
GO
CREATE TRIGGER crm.trg_Tasks_after ON crm.Tasks AFTER INSERT AS BEGIN SET NOCOUNT ON; END;`;

function row(table: string, i: number, values: RecoveredRow['values']): RecoveredRow {
  return {
    table, lsn: `00000031:00000100:${i.toString(16).padStart(4, '0')}`, operation: 'delete', transactionId: '0000:00000500', beginTime: '2024-03-01T09:00:00.000',
    endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', spid: 55, transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null,
    values, raw: '', warnings: ['synthetic values for the INSTEAD OF trigger integration test (no row image)'], source: { kind: 'fn_dblog' },
  };
}

describe.skipIf(!runtime.available)('re-insert against SQL Server 2022: INSTEAD OF triggers', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let dir: string;
  let store: StagingStore;
  let target: TargetSpec;
  let jobId: number;

  beforeAll(async () => {
    container = await startSqlServer();
    admin = await adminPool(settingsFor(container));
    await admin.request().batch('CREATE DATABASE TriggerTarget;');
    for (const batch of SCHEMA.split(/^GO$/m)) await admin.request().batch(`USE TriggerTarget;\n${batch}`);
    dir = mkdtempSync(join(tmpdir(), 'rowback-reinsert-trigger-it-'));
    store = new StagingStore(join(dir, 'staging.db'));
    jobId = store.createJob({ kind: 'live', spec: {}, description: 'INSTEAD OF triggers', createdBy: 'op' }).id;
    store.stageBatch(jobId, [
      row('crm.Notes', 1, { NoteId: 1, Body: 'call back' }),
      row('crm.Notes', 2, { NoteId: 2, Body: 'sent offer' }),
      row('crm.Tasks', 3, { TaskId: 3, Title: 'renew contract' }),
    ]);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'integration', all: true });
    const s = settingsFor(container);
    target = { connectionString: `Server=${s.server},${s.port};Database=TriggerTarget;User Id=sa;Password=${SA_PASSWORD};Encrypt=true;TrustServerCertificate=true` };
  });

  afterAll(async () => {
    await admin?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await container?.stop();
  });

  it('the catalog query reads the enabled INSTEAD OF triggers, and the AFTER INSERT ones apart', async () => {
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.Notes', 'crm.Tasks']);
    await t.close();
    expect(tables.get('crm.Notes')!.insteadOfTriggers).toEqual({ insert: ['trg_Notes_swallow'], delete: [] });
    expect(tables.get('crm.Tasks')!.insteadOfTriggers).toEqual({ insert: [], delete: ['trg_Tasks_keep'] });
    // the enabled AFTER INSERT trigger is read too (said in the script's head and the run's summary, not refused)
    expect(tables.get('crm.Tasks')!.afterInsertTriggers).toEqual(['trg_Tasks_after']);
    expect(tables.get('crm.Notes')!.afterInsertTriggers).toEqual([]);
  });

  it('a real run: the Notes rows refused and never sent, the Tasks row in, its undo script warning of the DELETE trigger', async () => {
    const svc = new ReinsertService(store);
    const dry = await svc.dryRun(jobId, 'rev', { target });
    expect(dry.plan.problems.filter((p) => p.code === 'REINSERT_INSTEAD_OF_TRIGGER').map((p) => p.rowId).sort()).toHaveLength(2);
    const run = await svc.start(jobId, 'op', { dryRun: false, target, batchSize: 500 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 1, conflict: 0, error: 0 });
    const audit = await admin.request().query('USE TriggerTarget; SELECT What FROM crm.Audit');
    expect(audit.recordset).toEqual([]);
    const tasks = await admin.request().query('USE TriggerTarget; SELECT TaskId FROM crm.Tasks');
    expect(tasks.recordset.map((x: { TaskId: number }) => x.TaskId)).toEqual([3]);
    expect(svc.script(run.id)?.undoScript ?? '').toContain('has an enabled INSTEAD OF DELETE trigger ([trg_Tasks_keep])');
  });
});
