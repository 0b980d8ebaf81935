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
import { col, table } from '../staging/fixtures.js';
import { announceSkip, detectContainerRuntime } from './support/runtime.js';

/**
 * Re-insert through mssql into SQL Server 2022: identity insert, computed and rowversion columns
 * left out, parents before children (FKs read from sys.foreign_keys), conflicts, exact types, the
 * ledger that makes a second run insert nothing, and the dry-run script run as-is.
 * The staged rows carry values only (re-insert never reads row images): raw is empty, labelled.
 */
const runtime = await detectContainerRuntime();
if (!runtime.available) announceSkip('re-insert integration tests (mssql against SQL Server 2022)', runtime);

const SCHEMA = `
CREATE SCHEMA crm;
GO
CREATE TABLE crm.Customers (
  CustomerId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  Name nvarchar(100) NOT NULL,
  NameZh varchar(50) COLLATE Chinese_PRC_CI_AS NULL,
  Balance money NOT NULL,
  Exact decimal(38,10) NULL,
  CreatedAt datetime2(7) NOT NULL,
  SeenAt datetimeoffset(7) NULL,
  ExternalId uniqueidentifier NULL,
  Photo varbinary(max) NULL,
  IsVip bit NOT NULL,
  NameLen AS LEN(Name),
  RowVer rowversion
);
CREATE TABLE crm.Orders (
  OrderId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  CustomerId int NOT NULL REFERENCES crm.Customers(CustomerId) ON DELETE CASCADE,
  Total decimal(18,2) NOT NULL
);
CREATE TABLE crm.AuditTrail (
  At datetime2(3) NOT NULL,
  Who nvarchar(50) NOT NULL,
  What varchar(200) NULL
);
CREATE TABLE crm.OrderLines (
  OrderId int NOT NULL REFERENCES crm.Orders(OrderId) ON DELETE CASCADE,
  [Line]]No] smallint NOT NULL,
  Sku varchar(20) NOT NULL,
  CONSTRAINT PK_OrderLines PRIMARY KEY (OrderId, [Line]]No])
);`;

function row(i: number, table: string, values: RecoveredRow['values']): RecoveredRow {
  return {
    table, lsn: `00000030:00000100:${i.toString(16).padStart(4, '0')}`, operation: 'delete', transactionId: '0000:00000400', beginTime: '2024-03-01T09:00:00.000',
    endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', spid: 55, transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null,
    values, raw: '', warnings: ['synthetic values for the re-insert integration test (no row image)'], source: { kind: 'fn_dblog' },
  };
}

describe.skipIf(!runtime.available)('re-insert against SQL Server 2022', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let dir: string;
  let store: StagingStore;
  let target: TargetSpec;

  beforeAll(async () => {
    container = await startSqlServer();
    admin = await adminPool(settingsFor(container));
    await admin.request().batch('CREATE DATABASE RecoveryTarget; CREATE DATABASE ScriptTarget;');
    for (const db of ['RecoveryTarget', 'ScriptTarget']) {
      for (const batch of SCHEMA.split(/^GO$/m)) await admin.request().batch(`USE ${db};\n${batch}`);
    }
    // an existing customer whose key a recovered row also has: a conflict
    await admin.request().batch(`USE RecoveryTarget; SET IDENTITY_INSERT crm.Customers ON;
      INSERT crm.Customers (CustomerId, Name, Balance, CreatedAt, IsVip) VALUES (3, N'Existing', 0, '2020-01-01', 0);
      SET IDENTITY_INSERT crm.Customers OFF;`);
    dir = mkdtempSync(join(tmpdir(), 'rowback-reinsert-it-'));
    store = new StagingStore(join(dir, 'staging.db'));
    const job = store.createJob({ kind: 'live', spec: {}, description: 'integration', createdBy: 'op' });
    // children staged first on purpose: the planner must put parents first
    store.stageBatch(job.id, [
      row(1, 'crm.OrderLines', { OrderId: 10, 'Line]No': 1, Sku: 'A-1' }),
      row(2, 'crm.Orders', { OrderId: 10, CustomerId: 7, Total: '12.50' }),
      row(3, 'crm.Customers', {
        CustomerId: 7, Name: "O'Brien", NameZh: '张三', Balance: '123456.7890', Exact: '1234567890123456789012345678.1234567890',
        CreatedAt: '2024-03-01T09:00:00.1234567', SeenAt: '2024-03-01T09:00:00.1234567+08:00', ExternalId: '12345678-1234-5678-9ABC-123456789ABC',
        Photo: '0xDEADBEEF', IsVip: true, NameLen: 7, RowVer: '0x00000000000007D1',
      }),
      row(4, 'crm.Customers', { CustomerId: 3, Name: 'Recovered three', Balance: '1.0000', CreatedAt: '2024-03-01T09:00:00.0000000', IsVip: false }),
    ]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'integration', all: true });
    const s = settingsFor(container);
    target = { connectionString: `Server=${s.server},${s.port};Database=RecoveryTarget;User Id=sa;Password=${SA_PASSWORD};Encrypt=true;TrustServerCertificate=true` };
  });

  afterAll(async () => {
    await admin?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await container?.stop();
  });

  it('reads the catalog, orders parents first, inserts with exact types, reports the conflict', async () => {
    const svc = new ReinsertService(store);
    const { plan } = await svc.plan(1, { target });
    expect(plan.tableOrder).toEqual(['crm.Customers', 'crm.Orders', 'crm.OrderLines']);
    const run = await svc.start(1, 'op', { dryRun: false, target, batchSize: 10 });
    await svc.wait(run.id);
    const done = svc.getRun(run.id)!;
    expect(done.error).toBeNull();
    expect(done.outcomes).toEqual({ inserted: 3, conflict: 1, error: 0 });
    const c = await admin.request().query(`USE RecoveryTarget; SELECT CustomerId, Name, NameZh, CONVERT(varchar(30), Balance, 2) AS Balance,
      CONVERT(varchar(50), Exact) AS Exact, CONVERT(varchar(27), CreatedAt, 126) AS CreatedAt, CONVERT(varchar(40), SeenAt, 127) AS SeenAt,
      CONVERT(char(36), ExternalId) AS ExternalId, Photo, IsVip, NameLen FROM crm.Customers WHERE CustomerId = 7`);
    expect(c.recordset[0]).toMatchObject({
      CustomerId: 7, Name: "O'Brien", NameZh: '张三', Balance: '123456.7890', Exact: '1234567890123456789012345678.1234567890',
      CreatedAt: '2024-03-01T09:00:00.1234567', SeenAt: '2024-03-01T09:00:00.1234567+08:00', ExternalId: '12345678-1234-5678-9ABC-123456789ABC', IsVip: true, NameLen: 7,
    });
    expect(Buffer.from(c.recordset[0].Photo).toString('hex')).toBe('deadbeef');
    const lines = await admin.request().query('USE RecoveryTarget; SELECT count(*) AS n FROM crm.OrderLines WHERE OrderId = 10');
    expect(lines.recordset[0].n).toBe(1);
    const conflict = svc.outcomes(run.id).find((o) => o.outcome === 'conflict')!;
    expect((conflict.detail as { existing: { Name: string } }).existing.Name).toBe('Existing');
    const ledger = await admin.request().query('USE RecoveryTarget; SELECT count(*) AS n FROM dbo.rowback_reinsert_ledger');
    expect(ledger.recordset[0].n).toBe(3);
  });

  it('the dry-run script runs as-is in SQL Server and gives the same rows', async () => {
    const svc = new ReinsertService(store);
    const s = settingsFor(container);
    const scriptTarget = { connectionString: target.connectionString.replace('Database=RecoveryTarget', 'Database=ScriptTarget') };
    // plan against the catalog, but the rows are now reinserted/conflict: plan them explicitly
    const { plan } = await svc.plan(1, { target: scriptTarget }, { rowIds: [1, 2, 3, 4], anyStatus: true });
    const { renderScript } = await import('../../src/reinsert/plan.js');
    await admin.request().batch(`USE ScriptTarget;\n${renderScript(plan)}`);
    const n = await admin.request().query('USE ScriptTarget; SELECT (SELECT count(*) FROM crm.Customers) AS c, (SELECT count(*) FROM crm.Orders) AS o, (SELECT count(*) FROM crm.OrderLines) AS l');
    expect(n.recordset[0]).toEqual({ c: 2, o: 1, l: 1 });
    expect(s.server).toBeTruthy();
  });

  it('a second run over the same target finds the keys and inserts nothing twice', async () => {
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.Customers']);
    await t.close();
    expect(tables.get('crm.Customers')!.keyColumns).toEqual(['CustomerId']);
    const svc = new ReinsertService(store);
    store.db.prepare("UPDATE rows SET status = 'approved'").run(); // as if a reviewer approved them again
    const run = await svc.start(1, 'op', { dryRun: false, target, batchSize: 10 });
    await svc.wait(run.id);
    // the row ledger holds the deletes of the three rows the first run put back: the batch is
    // refused whole (REINSERT_ALREADY_REINSERTED) before any key is looked up
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 0, conflict: 0, error: 4 });
    expect(svc.batches(run.id)[0]!.state).toBe('failed');
    const rl = await admin.request().query('USE RecoveryTarget; SELECT count(*) AS n FROM dbo.rowback_reinsert_ledger_rows');
    expect(rl.recordset[0].n).toBe(3);
    const n = await admin.request().query('USE RecoveryTarget; SELECT count(*) AS c FROM crm.Customers');
    expect(n.recordset[0].c).toBe(2);
  });

  it('large batches of a table without identity go through bulk insert', async () => {
    const job = store.createJob({ kind: 'live', spec: {}, description: 'bulk', createdBy: 'op' });
    const rows = Array.from({ length: 1500 }, (_, i) => row(100 + i, 'crm.AuditTrail', { At: `2024-03-01T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}`, Who: `user${i}`, What: i % 7 === 0 ? null : `event ${i}` }));
    store.stageBatch(job.id, rows);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'bulk', all: true });
    const svc = new ReinsertService(store, { bulkThreshold: 1000 });
    const run = await svc.start(job.id, 'op', { dryRun: false, target, batchSize: 1500 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 1500, conflict: 0, error: 0 });
    const n = await admin.request().query("USE RecoveryTarget; SELECT count(*) AS c, sum(CASE WHEN What IS NULL THEN 1 ELSE 0 END) AS nulls FROM crm.AuditTrail");
    expect(n.recordset[0]).toEqual({ c: 1500, nulls: 215 });
  });

  it('a sql_variant text value goes back with its own base type, max length and collation (run and dry-run script)', async () => {
    await admin.request().batch('USE RecoveryTarget; CREATE TABLE crm.Props (Id int NOT NULL PRIMARY KEY, V sql_variant NULL);');
    await admin.request().batch('USE ScriptTarget; CREATE TABLE crm.Props (Id int NOT NULL PRIMARY KEY, V sql_variant NULL);');
    const job = store.createJob({ kind: 'live', spec: {}, description: 'variant collation', createdBy: 'op' });
    // the values the decoder gives a varchar(20) in Cyrillic_General_CI_AS and an nvarchar(10) in Turkish_CI_AS (types/variant.ts)
    store.stageBatch(job.id, [
      row(0xa00, 'crm.Props', { Id: 1, V: { baseType: 'varchar', maxLength: 20, collation: 'Cyrillic_General_CI_AS', value: 'Привет' } }),
      row(0xa01, 'crm.Props', { Id: 2, V: { baseType: 'nvarchar', maxLength: 20, collation: 'Turkish_CI_AS', value: 'İş' } }),
    ]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'variant', all: true });
    const svc = new ReinsertService(store);
    const { script } = await svc.dryRun(job.id, 'rev', { target });
    await admin.request().batch(`USE ScriptTarget;\n${script}`);
    const run = await svc.start(job.id, 'op', { dryRun: false, target, batchSize: 10 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 2, conflict: 0, error: 0 });
    for (const db of ['RecoveryTarget', 'ScriptTarget']) {
      const r = await admin.request().query(`USE ${db}; SELECT Id, CAST(SQL_VARIANT_PROPERTY(V, 'BaseType') AS sysname) AS t, CAST(SQL_VARIANT_PROPERTY(V, 'MaxLength') AS int) AS n, CAST(SQL_VARIANT_PROPERTY(V, 'Collation') AS sysname) AS c, CONVERT(varchar(80), CAST(V AS varbinary(40)), 1) AS b FROM crm.Props ORDER BY Id`);
      expect(r.recordset).toEqual([
        { Id: 1, t: 'varchar', n: 20, c: 'Cyrillic_General_CI_AS', b: '0xCFF0E8E2E5F2' },
        { Id: 2, t: 'nvarchar', n: 20, c: 'Turkish_CI_AS', b: '0x30015F01' },
      ]);
    }
  });

  it('the dry-run script refuses to run in another database than its target\'s (DB_NAME() check, SET NOEXEC), inserting nothing there', async () => {
    const job = store.createJob({ kind: 'live', spec: {}, description: 'database check', createdBy: 'op' });
    store.stageBatch(job.id, [row(0x950, 'crm.AuditTrail', { At: '2024-03-02T11:00:00.000', Who: 'dbcheck', What: 'row' })]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'database check', all: true });
    const svc = new ReinsertService(store);
    const { script } = await svc.dryRun(job.id, 'rev', { target });
    expect(script).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'RecoveryTarget'");
    // ScriptTarget holds the same tables: the script ran there before, and put the row in
    await expect(admin.request().batch(`USE ScriptTarget;\n${script}`)).rejects.toThrow(/re-inserts into database RecoveryTarget/);
    const there = await admin.request().query("USE ScriptTarget; SELECT count(*) AS c FROM crm.AuditTrail WHERE Who = 'dbcheck'");
    expect(there.recordset[0].c).toBe(0);
    // the session is left with NOEXEC OFF: the script's last line ran
    expect((await admin.request().query('SELECT 1 AS one')).recordset[0].one).toBe(1);
    await admin.request().batch(`USE RecoveryTarget;\n${script}`);
    const here = await admin.request().query("USE RecoveryTarget; SELECT count(*) AS c FROM crm.AuditTrail WHERE Who = 'dbcheck'");
    expect(here.recordset[0].c).toBe(1);
  });

  it('the target\'s binding id (sys.database_recovery_status) is read and compared with the job\'s source database: another tenant\'s is refused without acceptOtherDatabase, its own is silent', async () => {
    const job = store.createJob({ kind: 'live', spec: {}, description: 'source database check', createdBy: 'op' });
    store.stageBatch(job.id, [row(0x960, 'crm.AuditTrail', { At: '2024-03-02T12:00:00.000', Who: 'srcdb', What: 'row' })]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'source database check', all: true });
    const guid = async (db: string) => String((await admin.request().query(`SELECT CONVERT(nvarchar(36), database_guid) AS g FROM sys.database_recovery_status WHERE database_id = DB_ID(N'${db}')`)).recordset[0].g).toUpperCase();
    const svc = new ReinsertService(store);
    // rows read from ScriptTarget (another database with the same tables), going into RecoveryTarget
    store.setJobSourceDatabase(job.id, { name: 'ScriptTarget', bindingId: await guid('ScriptTarget'), familyGuid: null });
    const dry = await svc.dryRun(job.id, 'rev', { target });
    expect(dry.databaseCheck).toMatchObject({ verdict: 'different', target: { name: 'RecoveryTarget', bindingId: await guid('RecoveryTarget') } });
    expect(dry.script.split('\n')[0]).toMatch(/^-- WARNING: rows were read from database ScriptTarget/);
    await expect(svc.start(job.id, 'op', { dryRun: false, target })).rejects.toMatchObject({ code: 'REINSERT_OTHER_DATABASE' });
    // read from RecoveryTarget itself: the same binding id
    store.setJobSourceDatabase(job.id, { name: 'RecoveryTarget', bindingId: await guid('RecoveryTarget'), familyGuid: null });
    expect((await svc.dryRun(job.id, 'rev', { target })).databaseCheck.verdict).toBe('same');
  });

  it('the row ledger: a script run twice by hand puts key-less rows in once, a run after it none; the undo script frees them for a run', async () => {
    const job = store.createJob({ kind: 'live', spec: {}, description: 'row ledger', createdBy: 'op' });
    store.stageBatch(job.id, [0, 1, 2].map((i) => row(0x900 + i, 'crm.AuditTrail', { At: `2024-03-02T10:00:0${i}.000`, Who: 'ledger', What: `row ${i}` })));
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'row ledger', all: true });
    const svc = new ReinsertService(store);
    const count = async () => (await admin.request().query("USE RecoveryTarget; SELECT count(*) AS c FROM crm.AuditTrail WHERE Who = 'ledger'")).recordset[0].c as number;
    const { script, undoScript } = await svc.dryRun(job.id, 'rev', { target });
    await admin.request().batch(`USE RecoveryTarget;\n${script}`);
    await admin.request().batch(`USE RecoveryTarget;\n${script}`);
    expect(await count()).toBe(3);
    const run = await svc.start(job.id, 'op', { dryRun: false, target, batchSize: 10 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 0, conflict: 0, error: 3 });
    expect(await count()).toBe(3);
    await admin.request().batch(`USE RecoveryTarget;\n${undoScript}`);
    expect(await count()).toBe(0);
    const left = await admin.request().query("USE RecoveryTarget; SELECT count(*) AS n FROM dbo.rowback_reinsert_ledger_rows WHERE batch_key LIKE N'script%'");
    expect(left.recordset[0].n).toBe(0);
    const again = await svc.start(job.id, 'op', { dryRun: false, target, batchSize: 10 });
    await svc.wait(again.id);
    expect(svc.getRun(again.id)!.outcomes).toEqual({ inserted: 3, conflict: 0, error: 0 });
    expect(await count()).toBe(3);
  });
  it('a target database at compatibility level 110 with hierarchyid/geography columns: the catalog is read (no OPENJSON, TYPE_NAME of CLR types); a failed identity batch sets IDENTITY_INSERT OFF, so the next identity table goes in', async () => {
    await admin.request().batch('CREATE DATABASE OldCompat; ALTER DATABASE OldCompat SET COMPATIBILITY_LEVEL = 110;');
    await admin.request().batch(`USE OldCompat;
      CREATE TABLE dbo.A (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, Qty int NOT NULL CHECK (Qty > 0), Node hierarchyid NULL, Place geography NULL);
      CREATE TABLE dbo.B (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, Name nvarchar(20) NOT NULL);`);
    const old = { connectionString: target.connectionString.replace('Database=RecoveryTarget', 'Database=OldCompat') };
    const t = new MssqlTarget(old);
    const { tables } = await t.loadTables(['dbo.A', 'dbo.B']);
    await t.close();
    expect(tables.get('dbo.A')!.columns.map((c) => c.type)).toEqual(['int', 'int', 'hierarchyid', 'geography']);
    const job = store.createJob({ kind: 'live', spec: {}, description: 'old compat', createdBy: 'op' });
    // dbo.A's row breaks its CHECK: its batch fails after SET IDENTITY_INSERT dbo.A ON
    store.stageBatch(job.id, [row(0xb00, 'dbo.A', { Id: 5, Qty: -1 }), row(0xb01, 'dbo.B', { Id: 8, Name: 'b' })]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'old compat', all: true });
    const svc = new ReinsertService(store);
    const run = await svc.start(job.id, 'op', { dryRun: false, target: old, batchSize: 10 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 1, conflict: 0, error: 1 });
    const b = await admin.request().query('USE OldCompat; SELECT Id, Name FROM dbo.B');
    expect(b.recordset).toEqual([{ Id: 8, Name: 'b' }]);
  });
  it('the dry-run script and its undo run as-is for a table with text, ntext and image columns (no such local variables: declared as the (max) types)', async () => {
    await admin.request().batch('USE ScriptTarget; CREATE TABLE crm.Docs (Id int NOT NULL PRIMARY KEY, Memo text NULL, Old ntext NULL, Pic image NULL);');
    const job = store.createJob({ kind: 'live', spec: {}, description: 'lob script', createdBy: 'op' });
    store.stageBatch(job.id, [row(0xc00, 'crm.Docs', { Id: 1, Memo: 'memo', Old: 'old ß', Pic: '0x0102' })]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'lob script', all: true });
    const svc = new ReinsertService(store);
    const scriptTarget = { connectionString: target.connectionString.replace('Database=RecoveryTarget', 'Database=ScriptTarget') };
    const { script, undoScript } = await svc.dryRun(job.id, 'rev', { target: scriptTarget });
    await admin.request().batch(`USE ScriptTarget;\n${script}`);
    const r = await admin.request().query('USE ScriptTarget; SELECT CONVERT(varchar(10), Memo) AS m, CONVERT(nvarchar(10), Old) AS o, CONVERT(varbinary(10), Pic) AS p FROM crm.Docs');
    expect(r.recordset[0]).toMatchObject({ m: 'memo', o: 'old ß' });
    await admin.request().batch(`USE ScriptTarget;\n${undoScript}`);
    const n = await admin.request().query('USE ScriptTarget; SELECT count(*) AS c FROM crm.Docs');
    expect(n.recordset[0].c).toBe(0);
  });
  it('the dry-run script runs in a session an earlier stopped run left with IDENTITY_INSERT ON for another table (its OFF lines first; no error 8107)', async () => {
    const svc = new ReinsertService(store);
    const scriptTarget = { connectionString: target.connectionString.replace('Database=RecoveryTarget', 'Database=ScriptTarget') };
    const { plan } = await svc.plan(1, { target: scriptTarget }, { rowIds: [1, 2, 3, 4], anyStatus: true });
    const { renderScript } = await import('../../src/reinsert/plan.js');
    // one batch, so one session: crm.Orders left ON, then the script, whose first identity table is crm.Customers
    await admin.request().batch(`USE ScriptTarget;\nSET IDENTITY_INSERT crm.Orders ON;\n${renderScript(plan)}`);
  });
  it('the key is the primary key alone when a unique clustered index on other columns is beside it', async () => {
    await admin.request().batch(`USE RecoveryTarget; CREATE TABLE crm.TwoKeys (A int NOT NULL, D int NOT NULL, C int NOT NULL, B int NOT NULL,
      CONSTRAINT PK_TwoKeys PRIMARY KEY NONCLUSTERED (A, B), CONSTRAINT UQ_TwoKeys UNIQUE CLUSTERED (C, D));`);
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.TwoKeys']);
    await t.close();
    expect(tables.get('crm.TwoKeys')!.keyColumns).toEqual(['A', 'B']);
  });

  it("a system-versioned temporal table: its period columns (GENERATED ALWAYS) are read as such and left out of the INSERT (else Msg 13536)", async () => {
    await admin.request().batch(`USE RecoveryTarget; CREATE TABLE crm.Policy (PolicyId int NOT NULL PRIMARY KEY, Holder nvarchar(50) NOT NULL,
      ValidFrom datetime2 GENERATED ALWAYS AS ROW START NOT NULL, ValidTo datetime2 GENERATED ALWAYS AS ROW END NOT NULL,
      PERIOD FOR SYSTEM_TIME (ValidFrom, ValidTo)) WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = crm.PolicyHistory));`);
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.Policy']);
    const { planReinsert } = await import('../../src/reinsert/plan.js');
    const plan = planReinsert([{ id: 1, table: 'crm.Policy', lsn: '00000030:00000100:0001', values: { PolicyId: 1, Holder: 'Ann', ValidFrom: '2024-03-01T09:00:00.0000000', ValidTo: '9999-12-31T23:59:59.9999999' } }], tables, []);
    expect(plan.problems).toEqual([]);
    const s = await t.session();
    await s.insert(plan.batches[0]!.rows[0]!);
    await s.close();
    await t.close();
    const got = await admin.request().query('USE RecoveryTarget; SELECT Holder FROM crm.Policy WHERE PolicyId = 1');
    expect(got.recordset[0].Holder).toBe('Ann');
  });

  it("a varchar target column whose collation's code page lacks a character refuses the row (Latin1_General, Cyrillic_General); the source's Polish_CI_AS takes it byte for byte", async () => {
    await admin.request().batch(`USE RecoveryTarget;
      CREATE TABLE crm.PlacesLatin (Id int NOT NULL PRIMARY KEY, City varchar(50) COLLATE Latin1_General_CI_AS NULL, CityN nvarchar(50) COLLATE Latin1_General_CI_AS NULL);
      CREATE TABLE crm.PlacesCyr (Id int NOT NULL PRIMARY KEY, City varchar(50) COLLATE Cyrillic_General_CI_AS NULL, CityN nvarchar(50) NULL);
      CREATE TABLE crm.PlacesPl (Id int NOT NULL PRIMARY KEY, City varchar(50) COLLATE Polish_CI_AS NULL, CityN nvarchar(50) NULL);
      CREATE TABLE crm.PlacesUtf8 (Id int NOT NULL PRIMARY KEY, City varchar(50) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NULL, CityN nvarchar(50) NULL);`);
    // what rowback would otherwise have written: the server converts without an error (best fit or '?')
    const silent = await admin.request().query("SELECT CONVERT(nvarchar(10), CONVERT(varchar(10), N'Łódź' COLLATE Latin1_General_CI_AS)) AS v");
    expect(silent.recordset[0].v).not.toBe('Łódź');
    // the catalog as the server gives it (COLLATIONPROPERTY 'CodePage', an int)
    const t = new MssqlTarget(target);
    const { tables } = await t.loadTables(['crm.PlacesLatin', 'crm.PlacesCyr', 'crm.PlacesPl', 'crm.PlacesUtf8']);
    await t.close();
    const city = (name: string) => tables.get(name)!.columns.find((c) => c.name === 'City')!;
    expect([city('crm.PlacesLatin'), city('crm.PlacesCyr'), city('crm.PlacesPl'), city('crm.PlacesUtf8')].map((c) => [c.collation, c.codePage])).toEqual([
      ['Latin1_General_CI_AS', 1252], ['Cyrillic_General_CI_AS', 1251], ['Polish_CI_AS', 1250], ['Latin1_General_100_CI_AS_SC_UTF8', 65001],
    ]);
    expect(tables.get('crm.PlacesLatin')!.columns.find((c) => c.name === 'Id')!.codePage).toBeNull();
    // the source: crm.Places, City varchar(50) in Polish_CI_AS (code page 1250)
    const layout = table('crm.Places', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('City', 'varchar', { maxLength: 50, collation: 'Polish_CI_AS', codePage: 1250 }), col('CityN', 'nvarchar', { maxLength: 100 })]);
    const jobInto = (k: number) => {
      const job = store.createJob({ kind: 'live', spec: {}, description: `code page ${k}`, createdBy: 'op' });
      store.stageBatch(job.id, [
        row(0xb00 + k * 2, 'crm.Places', { Id: 1, City: 'Łódź', CityN: 'Łódź' }),
        row(0xb01 + k * 2, 'crm.Places', { Id: 2, City: 'Lodz', CityN: 'Łódź' }),
      ]);
      store.saveJobTables(job.id, [layout]);
      store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'code page', all: true });
      return job.id;
    };
    const svc = new ReinsertService(store);
    for (const [k, side, collation, cp] of [[0, 'crm.PlacesLatin', 'Latin1_General_CI_AS', 1252], [1, 'crm.PlacesCyr', 'Cyrillic_General_CI_AS', 1251]] as const) {
      const jobId = jobInto(k);
      const tableMap = { 'crm.Places': side };
      const dry = await svc.dryRun(jobId, 'rev', { target, tableMap });
      expect(dry.plan.problems.map((p) => p.code)).toEqual(['REINSERT_BAD_VALUE']);
      expect(dry.plan.problems[0]!.message).toContain(`column City (varchar(50), collation ${collation}, code page ${cp}) cannot hold 'Ł' (U+0141) at character 1 of the value`);
      const run = await svc.start(jobId, 'op', { dryRun: false, target, tableMap });
      await svc.wait(run.id);
      expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 1, conflict: 0, error: 0 });
      const got = await admin.request().query(`USE RecoveryTarget; SELECT Id, City FROM ${side} ORDER BY Id`);
      expect(got.recordset).toEqual([{ Id: 2, City: 'Lodz' }]);
    }
    for (const [k, side] of [[2, 'crm.PlacesPl'], [3, 'crm.PlacesUtf8']] as const) {
      const jobId = jobInto(k);
      const tableMap = { 'crm.Places': side };
      const { script } = await svc.dryRun(jobId, 'rev', { target, tableMap });
      expect(script).not.toContain('NOT INCLUDED');
      const run = await svc.start(jobId, 'op', { dryRun: false, target, tableMap });
      await svc.wait(run.id);
      expect(svc.getRun(run.id)!.outcomes).toEqual({ inserted: 2, conflict: 0, error: 0 });
      const got = await admin.request().query(`USE RecoveryTarget; SELECT City, CONVERT(varchar(20), CONVERT(varbinary(20), City), 1) AS b FROM ${side} WHERE Id = 1`);
      // 1250: Ł A3, ó F3, d 64, ź 9F; UTF-8: C5 81, C3 B3, 64, C5 BA
      expect(got.recordset[0]).toEqual({ City: 'Łódź', b: side === 'crm.PlacesPl' ? '0xA3F3649F' : '0xC581C3B364C5BA' });
    }
  });
});
