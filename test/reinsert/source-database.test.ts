import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { compareDatabases, sourceDatabaseOf } from '../../src/reinsert/source-database.js';
import { JobWorker } from '../../src/worker/worker.js';
import { describeCorpus, corpusPath } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { fakeRecover, fakeSource } from '../worker/fake-source.js';
import { storeAndTarget } from './fake-target.js';
import { isRowbackError } from '../../src/errors.js';

/**
 * Re-insert never compared the target database with the one the job's rows were read from: rows of
 * tenant A's database went into tenant B's (same tables, every check passed) without a word. The job
 * now records its source database (name, binding id, family GUID) and a dry run, a run and an SQL
 * export compare it with the target's: the same database is silent, another is a WARNING naming both
 * (a real run needs acceptOtherDatabase: true), an unrecorded source is said as not known.
 * SYNTHETIC GUIDs; the target is the fake (SQLite) one, whose loadTables says what a server's
 * DB_NAME() and sys.database_recovery_status would (the server's side: test/integration/reinsert.test.ts).
 */
const A = '0F3C2B6E-0000-4000-8000-00000000000A';
const B = '0F3C2B6E-0000-4000-8000-00000000000B';
const FAMILY = '0F3C2B6E-0000-4000-8000-0000000000FF';

describe('compareDatabases', () => {
  it('binding ids decide; names only where a binding id is not known; an unrecorded side is unknown', () => {
    expect(compareDatabases({ name: 'CRM', bindingId: A, familyGuid: null }, { name: 'CRM', bindingId: A, familyGuid: null }, 1).verdict).toBe('same');
    expect(compareDatabases({ name: null, bindingId: A, familyGuid: null }, { name: 'CRM_copy', bindingId: A, familyGuid: null }, 1).verdict).toBe('same');
    expect(compareDatabases({ name: 'CRM', bindingId: A, familyGuid: null }, { name: 'CRM', bindingId: B, familyGuid: null }, 1).verdict).toBe('different');
    expect(compareDatabases({ name: 'CRM', bindingId: A, familyGuid: null }, { name: 'CRM', bindingId: null, familyGuid: null }, 1).verdict).toBe('same');
    expect(compareDatabases({ name: 'CRM', bindingId: null, familyGuid: null }, { name: 'TenantB', bindingId: B, familyGuid: null }, 1).verdict).toBe('different');
    // names compared exactly: a case-sensitive server holds crm and CRM as two databases
    expect(compareDatabases({ name: 'CRM', bindingId: null, familyGuid: null }, { name: 'crm', bindingId: null, familyGuid: null }, 1).verdict).toBe('different');
    expect(compareDatabases(null, { name: 'CRM', bindingId: A, familyGuid: null }, 7)).toMatchObject({ verdict: 'unknown', message: expect.stringMatching(/^the database job 7's rows were read from is not recorded/) });
    expect(compareDatabases({ name: null, bindingId: A, familyGuid: null }, { name: 'CRM', bindingId: null, familyGuid: null }, 1)).toMatchObject({ verdict: 'unknown', message: `rows were read from database (name not known) (binding id ${A}); this re-insert puts them into database CRM: the source states no name and the target no binding id, so rowback cannot check that they are one database; check it yourself` });
    expect(compareDatabases({ name: 'CRM', bindingId: A, familyGuid: null }, null, 1)).toMatchObject({ verdict: 'unknown', message: expect.stringContaining('rows were read from database CRM (binding id') });
  });

  it('one binding id under another name (a copy attached from copies of the files keeps the binding id) is another database, not the same', () => {
    // Microsoft Learn, sys.database_recovery_status.database_guid: "duplicates can be created by
    // copying and attaching databases": CRM_Test attached from copies of CRM's files (or a tenant
    // made from a template's files) has CRM's binding id; it was said to be "the database they were
    // read from" and a real run went without acknowledgement
    const c = compareDatabases({ name: 'CRM', bindingId: A, familyGuid: FAMILY }, { name: 'CRM_Test', bindingId: A, familyGuid: FAMILY }, 1);
    expect(c.verdict).toBe('different');
    expect(c.message).toMatch(/^WARNING: rows were read from database CRM \(binding id .*0A.*\); this re-insert puts them into database CRM_Test \(binding id .*0A.*\), another name with the same binding id \(a database attached from copies of the source's files keeps its binding id.*a real run into it needs acceptOtherDatabase: true$/);
  });

  it('a name-only "same" says which side\'s binding id was not known', () => {
    const name = (s: string | null, t: string | null) => compareDatabases({ name: 'CRM', bindingId: s, familyGuid: null }, { name: 'CRM', bindingId: t, familyGuid: null }, 1).message;
    expect(name(A, null)).toMatch(/\(binding id of the target not known: the name alone was compared\)$/);
    expect(name(null, A)).toMatch(/\(binding id of the source not known: the name alone was compared\)$/);
    // neither states one: it was said of the source alone
    expect(name(null, null)).toMatch(/\(binding ids of both not known: the name alone was compared\)$/);
  });

  it('a copy restored from the source (one family GUID) is named as such', () => {
    const c = compareDatabases({ name: 'CRM', bindingId: A, familyGuid: FAMILY }, { name: 'CRM_restored', bindingId: B, familyGuid: FAMILY }, 1);
    expect(c.verdict).toBe('different');
    expect(c.message).toMatch(/^WARNING: rows were read from database CRM \(binding id 0F3C.*0A, family GUID .*FF\); this re-insert puts them into database CRM_restored \(binding id .*0B, family GUID .*FF\), another database of the same family \(a copy restored from it/);
  });

  it('one name and family, another binding id: the source restored since (WITH REPLACE, another server) is not called a new copy', () => {
    // the source restored over itself keeps its name and family GUID; the copy-as-a-new-database words did not fit it
    const c = compareDatabases({ name: 'CRM', bindingId: A, familyGuid: FAMILY }, { name: 'CRM', bindingId: B, familyGuid: FAMILY }, 1);
    expect(c.verdict).toBe('different');
    expect(c.message).toMatch(/another database of the same name and family \(the source database restored since, over itself WITH REPLACE or onto this server from its backups, or a copy made from those backups: rowback cannot tell which;/);
    expect(c.message).not.toMatch(/as a new database/);
    expect(c.message).toMatch(/a real run into it needs acceptOtherDatabase: true$/);
  });

  it('sourceDatabaseOf: the first binding id with the name and family GUID of the files of that database', () => {
    expect(sourceDatabaseOf([
      { file: 'a.mdf', role: 'mdf', bindingId: A.toLowerCase(), databaseName: null },
      { file: 'a.trn', role: 'trn', bindingId: A.toLowerCase(), databaseName: 'CRM', familyGuid: FAMILY },
    ])).toEqual({ name: 'CRM', bindingId: A, familyGuid: FAMILY });
    expect(sourceDatabaseOf([{ file: 'x.mdf', role: 'mdf', bindingId: null, databaseName: null }])).toBeNull();
    expect(sourceDatabaseOf([])).toBeNull();
  });
});

describeCorpus('re-insert compares the job\'s source database with the target\'s', () => {
  const env = storeAndTarget('rowback-source-db-');
  const approved = (source: { name: string | null; bindingId: string | null; familyGuid: string | null } | null) => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    env.store.stageBatch(job.id, corpusRows(20));
    env.store.saveJobTables(job.id, Object.values(LAYOUTS));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    env.store.setJobSourceDatabase(job.id, source);
    return job.id;
  };
  const target = (name: string | null, guid: string | null, family: string | null = null) => {
    env.target.database = name;
    env.target.databaseGuid = guid;
    env.target.familyGuid = family;
  };
  const lines = (script: string) => script.split('\n');

  it('the same database (one binding id): no warning, the run goes without acknowledgement', async () => {
    const jobId = approved({ name: 'CRM', bindingId: A, familyGuid: null });
    target('CRM', A);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(dry.databaseCheck.verdict).toBe('same');
    expect(dry.script).not.toContain('WARNING: rows were read from');
    expect(lines(dry.script)[0]).toMatch(/^-- database check: rows go back into the database they were read from: CRM \(binding id 0F3C/);
    // the undo preview says the same first line (it had none)
    expect(lines(dry.undoScript)[0]).toBe(lines(dry.script)[0]);
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
  });

  it('another database (another name, its binding id not known): warned in the dry run, its script, the run refused without acceptOtherDatabase, and the audit', async () => {
    const jobId = approved({ name: 'CRM', bindingId: A, familyGuid: null });
    target('CRM_TenantB', null);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(dry.databaseCheck.verdict).toBe('different');
    expect(lines(dry.script)[0]).toBe(`-- WARNING: rows were read from database CRM (binding id ${A}); this re-insert puts them into database CRM_TenantB, another name (a binding id not known: the names were compared): re-inserting into a side or restored copy is legitimate, into another tenant's database it is not; a real run into it needs acceptOtherDatabase: true`);
    // the undo preview, whose deletes go to the same target, warns first too (it had no check line),
    // in an undo's words: what its deletes would do there, not the re-insert's acceptOtherDatabase
    expect(lines(dry.undoScript)[0]).toBe(lines(dry.script)[0]!.replace('a real run into it needs acceptOtherDatabase: true', "this undo deletes the rows it names by key there: run it only in the database the re-insert went into (in another tenant's database it deletes that tenant's rows)"));
    expect(lines(dry.undoScript)[0]).not.toContain('acceptOtherDatabase');
    expect((env.store.db.prepare('SELECT undo_script FROM reinsert_runs WHERE id = ?').get(dry.run.id) as { undo_script: string }).undo_script.split('\n')[0]).toMatch(/^-- WARNING: rows were read from database CRM/);
    expect(dry.run.summary).toMatchObject({ databaseCheck: { verdict: 'different', source: { name: 'CRM', bindingId: A }, target: { name: 'CRM_TenantB' } } });
    const dryAudit = env.store.audit({ jobId }).find((e) => e.action === 'reinsert.dry-run')!;
    expect(dryAudit.details).toMatchObject({ databaseCheck: { verdict: 'different' } });

    const refused = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } }).then(() => null, (e: unknown) => e);
    expect(isRowbackError(refused) && refused.code).toBe('REINSERT_OTHER_DATABASE');
    expect((refused as Error).message).toMatch(/^rows were read from database CRM \(binding id .*\); this re-insert puts them into database CRM_TenantB.*Nothing was inserted: send acceptOtherDatabase: true/);
    expect(env.target.db.prepare('SELECT COUNT(*) AS n FROM target_rows').get()).toEqual({ n: 0 });
    expect(svc.listRuns(jobId).filter((r) => !r.dryRun)).toEqual([]);

    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' }, acceptOtherDatabase: true });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    expect(svc.getRun(run.id)!.summary).toMatchObject({ acceptOtherDatabase: true, databaseCheck: { verdict: 'different' } });
    const start = env.store.audit({ jobId }).find((e) => e.action === 'reinsert.start')!;
    expect(start.details).toMatchObject({ acceptOtherDatabase: true, databaseCheck: { verdict: 'different', message: expect.stringContaining('CRM_TenantB') } });
    expect((env.store.db.prepare('SELECT script FROM reinsert_runs WHERE id = ?').get(run.id) as { script: string }).script.split('\n')[0]).toMatch(/^-- WARNING: rows were read from database CRM .*into another tenant's database it is not; this run was started with acceptOtherDatabase: true$/);
  });

  it('the same name but another binding id (another server\'s CRM, a restore) is another database', async () => {
    const jobId = approved({ name: 'CRM', bindingId: A, familyGuid: FAMILY });
    target('CRM', B, FAMILY);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(dry.databaseCheck.verdict).toBe('different');
    expect(lines(dry.script)[0]).toMatch(/^-- WARNING: rows were read from database CRM \(binding id .*0A.*\); this re-insert puts them into database CRM \(binding id .*0B.*\), another database of the same name and family \(the source database restored since/);
  });

  it('the target\'s name is compared as the server spells it (DB_NAME()), not as the request typed `database`', async () => {
    const jobId = approved({ name: 'CRM', bindingId: A, familyGuid: null });
    // a case-insensitive server: `database: crm` is its CRM, DB_NAME() there says so
    target('CRM', null);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake', database: 'crm' } });
    expect(dry.databaseCheck).toMatchObject({ verdict: 'same', target: { name: 'CRM' } });
  });

  it('a job staged before its source database was recorded: said as not known, not warned as another, the run goes', async () => {
    const jobId = approved(null);
    target('CRM_TenantB', B);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(dry.databaseCheck.verdict).toBe('unknown');
    expect(dry.script).not.toMatch(/^-- WARNING: rows were read/m);
    expect(lines(dry.undoScript)[0]).toBe(lines(dry.script)[0]);
    expect(lines(dry.script)[0]).toBe(`-- database check: the database job ${jobId}'s rows were read from is not recorded (a job staged before rowback recorded it, or a source that states no database name or binding id): rowback cannot check that database CRM_TenantB is that database; check it yourself`);
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
  });

  it('names with quotes, brackets, line breaks and $( stay inside one comment line', async () => {
    const jobId = approved({ name: "CRM']\r\nGO\r\n:!! calc", bindingId: null, familyGuid: null });
    target("Tenant$(B)]'\nDROP TABLE x", null);
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(dry.databaseCheck.verdict).toBe('different');
    const ls = lines(dry.script);
    // each name one name (identifierText: bracketed, `]` doubled), in one comment line
    expect(ls[0]).toMatch(/^-- WARNING: rows were read from database \[CRM'\]\]\\u\{d\}\\u\{a\}GO\\u\{d\}\\u\{a\}:!! calc\]; this re-insert puts them into database \[Tenant\$\\u\{28\}B\)\]\]'\\u\{a\}DROP TABLE x\], another name/);
    // the API's and the audit's sentence (no comment escaping there): one line, each name whole
    expect(dry.databaseCheck.message).toMatch(/^WARNING: rows were read from database \[CRM'\]\]\\u\{d\}\\u\{a\}GO\\u\{d\}\\u\{a\}:!! calc\]; this re-insert puts them into database \[Tenant\$\(B\)\]\]'\\u\{a\}DROP TABLE x\], another name/);
    expect(ls.some((l) => /^(GO|:!!|DROP TABLE)/.test(l))).toBe(false);
    expect(dry.script).not.toContain('$(');
  });

  it('without a target (an offline dry run): the source database is named, the script cannot check it', async () => {
    const jobId = approved({ name: 'CRM', bindingId: A, familyGuid: null });
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'rev', {});
    expect(dry.databaseCheck.verdict).toBe('unknown');
    expect(lines(dry.script)[0]).toMatch(/^-- database check: rows were read from database CRM \(binding id .*\); this script was not planned against a target/);
    expect(lines(dry.undoScript)[0]).toBe(lines(dry.script)[0]);
  });
});

describe('the worker records the source database of a job', () => {
  const env = storeAndTarget('rowback-source-db-worker-');

  it('from the identities its source reads; a source without them leaves it not known', async () => {
    const withIds = new JobWorker({
      store: env.store,
      openSource: async () => ({ ...fakeSource(), fileIdentities: async () => [{ file: 'crm.bak', role: 'bak' as const, bindingId: A, databaseName: 'CRM', familyGuid: FAMILY }] }),
      recover: fakeRecover({ rows: 3 }),
    });
    const job = withIds.submit({ kind: 'files', ldf: '/evidence/crm.ldf' }, 'op');
    expect(env.store.requireJob(job.id).sourceDatabase).toBeNull();
    await withIds.idle();
    expect(env.store.requireJob(job.id).state).toBe('succeeded');
    expect(env.store.requireJob(job.id).sourceDatabase).toEqual({ name: 'CRM', bindingId: A, familyGuid: FAMILY });

    const without = new JobWorker({ store: env.store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    const old = without.submit({ kind: 'files', ldf: '/evidence/crm.ldf' }, 'op');
    await without.idle();
    expect(env.store.requireJob(old.id).sourceDatabase).toBeNull();
  });
});

describe('recording the source database never fails a job', () => {
  const env = storeAndTarget('rowback-source-db-record-fails-');

  it('a source whose identities cannot be read, and a store that cannot record them: the job succeeds, its source database not known', async () => {
    const failing = new JobWorker({
      store: env.store,
      openSource: async () => ({ ...fakeSource(), fileIdentities: async () => { throw new Error('page 0 unreadable'); } }),
      recover: fakeRecover({ rows: 3 }),
    });
    const a = failing.submit({ kind: 'files', ldf: '/evidence/crm.ldf' }, 'op');
    await failing.idle();
    expect(env.store.requireJob(a.id)).toMatchObject({ state: 'succeeded', rowsStaged: 3, sourceDatabase: null });

    const record = env.store.setJobSourceDatabase.bind(env.store);
    env.store.setJobSourceDatabase = () => { throw new Error('SQLITE_BUSY'); };
    try {
      const w = new JobWorker({
        store: env.store,
        openSource: async () => ({ ...fakeSource(), fileIdentities: async () => [{ file: 'crm.bak', role: 'bak' as const, bindingId: A, databaseName: 'CRM', familyGuid: FAMILY }] }),
        recover: fakeRecover({ rows: 3 }),
      });
      const b = w.submit({ kind: 'files', ldf: '/evidence/crm.ldf' }, 'op');
      await w.idle();
      expect(env.store.requireJob(b.id)).toMatchObject({ state: 'succeeded', rowsStaged: 3, sourceDatabase: null });
    } finally {
      env.store.setJobSourceDatabase = record;
    }
  });
});

describeCorpus('a real files job records the database of its backup', () => {
  const env = storeAndTarget('rowback-source-db-real-');

  it('RestoreTimeClean.bak + .trn: the backup header\'s database name and binding id', async () => {
    const d = corpusPath('appveyor-lab', 'RestoreTimeClean');
    const w = new JobWorker({ store: env.store });
    const job = w.submit({ kind: 'files', bak: join(d, 'RestoreTimeClean.bak'), trn: [join(d, 'RestoreTimeClean_1.trn')], operations: ['insert'] }, 'op');
    await w.idle();
    const done = env.store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.sourceDatabase?.name).toBe('RestoreTimeClean');
    expect(done.sourceDatabase?.bindingId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('a data file and its log: the file header\'s binding id, and the boot page\'s name (an attached user-instance database: its path, as DB_NAME() says it)', async () => {
    const d = corpusPath('AngularJs_CRUD', 'App_Data');
    const w = new JobWorker({ store: env.store });
    const job = w.submit({ kind: 'files', mdf: join(d, 'Database1.mdf'), ldf: join(d, 'Database1_log.ldf') }, 'op');
    await w.idle();
    const done = env.store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.sourceDatabase).toEqual({ name: 'F:\\MVC LEARNNG\\ANGULARCRUD\\ANGULARCRUD\\APP_DATA\\DATABASE1.MDF', bindingId: '97C13D95-088B-43ED-85E5-F9F10FED2D16', familyGuid: null });
  });
});
