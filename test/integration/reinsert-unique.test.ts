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
 * Re-insert into a table with unique indexes and a UNIQUE constraint beside its primary key, on SQL
 * Server 2022: the catalog query (targetUniqueKeysSql) reads them (key columns only, in key order;
 * filters; IGNORE_DUP_KEY; a disabled one left out), and a recovered row whose value another row
 * holds is a conflict naming the index while the batch's other rows go in: NULL equal to NULL in
 * the UNIQUE constraint, a filtered index only where both rows satisfy its filter, an IGNORE_DUP_KEY
 * index (which would have dropped the row unsaid) a conflict too. The dry-run script, run as-is in a
 * copy of the database, gives the same rows. An indexed view reading the table is named in the
 * script's head (its unique clustered index, keyed so that no row collides there). SYNTHETIC values
 * (no row image).
 */
const runtime = await detectContainerRuntime();
if (!runtime.available) announceSkip('re-insert unique-index integration tests (mssql against SQL Server 2022)', runtime);

const SCHEMA = `
CREATE SCHEMA crm;
GO
CREATE TABLE crm.Contacts (
  ContactId int NOT NULL CONSTRAINT PK_Contacts PRIMARY KEY,
  Email nvarchar(200) NULL,
  Active bit NOT NULL CONSTRAINT DF_Contacts_Active DEFAULT 1,
  Code varchar(20) NULL,
  Region varchar(10) NULL,
  CodeUpper AS UPPER(Code),
  CONSTRAINT UQ_Contacts_Code UNIQUE (Code)
);
CREATE UNIQUE INDEX UX_Contacts_Email ON crm.Contacts (Email) INCLUDE (Active) WHERE Email IS NOT NULL;
CREATE UNIQUE INDEX UX_Contacts_Region_Active ON crm.Contacts (Region) WHERE Active = 1 WITH (IGNORE_DUP_KEY = ON);
CREATE UNIQUE INDEX UX_Contacts_Region_Code ON crm.Contacts (Region, Code);
ALTER INDEX UX_Contacts_Region_Code ON crm.Contacts DISABLE;
CREATE UNIQUE INDEX UX_Contacts_CodeUpper ON crm.Contacts (CodeUpper);
GO
CREATE VIEW crm.ContactCodes WITH SCHEMABINDING AS SELECT ContactId, Code FROM crm.Contacts;
GO
CREATE UNIQUE CLUSTERED INDEX UX_ContactCodes ON crm.ContactCodes (ContactId);
GO
INSERT crm.Contacts (ContactId, Email, Active, Code, Region) VALUES (40, N'ann@example.test', 1, 'C40', 'EU'), (41, NULL, 1, NULL, NULL);`;

function row(i: number, values: RecoveredRow['values']): RecoveredRow {
  return {
    table: 'crm.Contacts', lsn: `00000031:00000100:${i.toString(16).padStart(4, '0')}`, operation: 'delete', transactionId: '0000:00000500', beginTime: '2024-03-01T09:00:00.000',
    endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', spid: 55, transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null,
    values, raw: '', warnings: ['synthetic values for the unique-index integration test (no row image)'], source: { kind: 'fn_dblog' },
  };
}

describe.skipIf(!runtime.available)('re-insert against SQL Server 2022: unique indexes other than the key', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let dir: string;
  let store: StagingStore;
  let target: TargetSpec;
  let jobId: number;

  beforeAll(async () => {
    container = await startSqlServer();
    admin = await adminPool(settingsFor(container));
    await admin.request().batch('CREATE DATABASE UniqueTarget; CREATE DATABASE UniqueScript;');
    for (const db of ['UniqueTarget', 'UniqueScript']) {
      for (const batch of SCHEMA.split(/^GO$/m)) await admin.request().batch(`USE ${db};\n${batch}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'rowback-reinsert-unique-it-'));
    store = new StagingStore(join(dir, 'staging.db'));
    jobId = store.createJob({ kind: 'live', spec: {}, description: 'unique indexes', createdBy: 'op' }).id;
    store.stageBatch(jobId, [
      row(1, { ContactId: 1, Email: 'ann@example.test', Active: true, Code: 'C1', Region: 'US' }), // UX_Contacts_Email: 40 holds it
      row(2, { ContactId: 2, Email: null, Active: true, Code: 'C2', Region: 'APAC' }), // a NULL e-mail is outside the filtered index: in
      row(3, { ContactId: 3, Email: 'cy@example.test', Active: true, Code: null, Region: 'LATAM' }), // UQ_Contacts_Code: 41's NULL equals it
      row(4, { ContactId: 4, Email: 'dee@example.test', Active: true, Code: 'C4', Region: 'EU' }), // IGNORE_DUP_KEY index: 40 holds EU among Active = 1
      row(5, { ContactId: 5, Email: 'eve@example.test', Active: false, Code: 'C5', Region: 'EU' }), // Active = 0: outside that filter: in
    ]);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'integration', all: true });
    const s = settingsFor(container);
    target = { connectionString: `Server=${s.server},${s.port};Database=UniqueTarget;User Id=sa;Password=${SA_PASSWORD};Encrypt=true;TrustServerCertificate=true` };
  });

  afterAll(async () => {
    await admin?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await container?.stop();
  });

  it('the catalog query reads the unique keys: key columns in key order, filters, IGNORE_DUP_KEY; the disabled one and the primary key left out', async () => {
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.Contacts']);
    await t.close();
    const c = tables.get('crm.Contacts')!;
    expect(c.keyColumns).toEqual(['ContactId']);
    expect(c.keyIndex).toEqual({ name: 'PK_Contacts', primaryKey: true });
    expect(c.uniqueKeys).toEqual([
      { name: 'UQ_Contacts_Code', columns: ['Code'], constraint: true },
      { name: 'UX_Contacts_Email', columns: ['Email'], filter: '([Email] IS NOT NULL)' },
      { name: 'UX_Contacts_Region_Active', columns: ['Region'], filter: '([Active]=(1))', ignoreDupKey: true },
      { name: 'UX_Contacts_CodeUpper', columns: ['CodeUpper'] },
    ]);
    // an indexed view reading the table: its unique clustered index, named (targetViewUniqueKeysSql), never checked
    expect(c.viewUniqueKeys).toEqual([{ view: 'crm.ContactCodes', index: 'UX_ContactCodes', columns: ['ContactId'] }]);
  });

  it('the dry-run script, run as-is in a copy of the database, skips the same rows and names their indexes', async () => {
    const svc = new ReinsertService(store);
    const scriptTarget = { connectionString: target.connectionString.replace('Database=UniqueTarget', 'Database=UniqueScript') };
    const { script } = await svc.dryRun(jobId, 'rev', { target: scriptTarget });
    expect(script).toContain('NOT CHECKED against its unique index or constraint [UX_Contacts_CodeUpper]: its key includes the computed column CodeUpper');
    expect(script).toContain('-- NOTE: 5 row(s) of crm.Contacts are NOT CHECKED against the unique index of indexed views reading it: [UX_ContactCodes] of view [crm].[ContactCodes] ([ContactId])');
    const printed: string[] = [];
    const r = admin.request();
    r.on('info', (m: { message: string }) => printed.push(m.message));
    await r.batch(`USE UniqueScript;\n${script}`);
    const ids = await admin.request().query('USE UniqueScript; SELECT ContactId FROM crm.Contacts ORDER BY ContactId');
    expect(ids.recordset.map((x: { ContactId: number }) => x.ContactId)).toEqual([2, 5, 40, 41]);
    expect(printed.filter((m) => m.includes('conflict, not inserted'))).toEqual([
      "row 1: crm.Contacts's unique index [UX_Contacts_Email] (Email) already holds its value in another row: conflict, not inserted",
      "row 3: crm.Contacts's UNIQUE constraint [UQ_Contacts_Code] (Code) already holds its value in another row: conflict, not inserted",
      "row 4: crm.Contacts's unique index [UX_Contacts_Region_Active] (Region) already holds its value in another row: conflict, not inserted",
    ]);
    expect(printed.join('\n')).not.toContain('Duplicate key was ignored');
  });

  it('a real run: each colliding row a conflict naming its index, the batch\'s other rows in, nothing dropped unsaid', async () => {
    const svc = new ReinsertService(store);
    const run = await svc.start(jobId, 'op', { dryRun: false, target, batchSize: 500 });
    await svc.wait(run.id);
    const done = svc.getRun(run.id)!;
    expect(done.error).toBeNull();
    expect(done.outcomes).toEqual({ inserted: 2, conflict: 3, error: 0 });
    const conflicts = svc.outcomes(run.id).filter((o) => o.outcome === 'conflict').map((o) => [o.rowId, (o.detail as { index?: string }).index, (o.detail as { existing: { ContactId: number } }).existing.ContactId]);
    expect(conflicts).toEqual([[1, 'UX_Contacts_Email', 40], [3, 'UQ_Contacts_Code', 41], [4, 'UX_Contacts_Region_Active', 40]]);
    const ids = await admin.request().query('USE UniqueTarget; SELECT ContactId FROM crm.Contacts ORDER BY ContactId');
    // every row recorded inserted is there (IGNORE_DUP_KEY dropped none of them)
    expect(ids.recordset.map((x: { ContactId: number }) => x.ContactId)).toEqual([2, 5, 40, 41]);
  });
});
