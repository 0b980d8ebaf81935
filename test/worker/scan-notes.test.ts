import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { JobSpec } from '../../src/worker/job-spec.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A staged job is told what `rowback scan` says on stderr beside the rows (job.notes, shown on
 * the review page): committed TRUNCATE TABLE / DROP TABLE transactions, whose rows no log scan
 * gives back, and the deletes left out because their own transaction took them back. Before, the
 * worker staged the rows and said neither: a reviewer approving a job never learnt of a TRUNCATE.
 * SYNTHETIC .ldf (synthetic-log.ts): transaction 5 named TRUNCATE TABLE, 9 DROPOBJ; every tenth
 * transaction inserts the same row it later deletes.
 */
const DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);';
let dir: string;
let ldf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-worker-notes-'));
  ldf = join(dir, 'notes_log.ldf');
  writeSyntheticLdf(
    ldf,
    { targetBytes: 512 * 1024, row: (t, r) => contactRow(t, r === 1000 ? 0 : r), rollbackShare: 0.1, finishAtEnd: true, transactionName: (t) => (t === 5 ? 'TRUNCATE TABLE' : t === 9 ? 'DROPOBJ' : 'DELETE') },
    { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a files job notes the TRUNCATE TABLE / DROP TABLE transactions and the deletes taken back, as scan does', async () => {
  const store = new StagingStore(join(dir, 'staging.db'));
  try {
    const w = new JobWorker({ store });
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: DDL, allocUnit: CONTACT_AU } }, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect(done.error).toBeNull();
    expect(done.rowsStaged).toBeGreaterThan(100);
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toEqual([
      "metadata.ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Contact.Email) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database's default collation; if it is another, give it with the job's metadata.collation",
      expect.stringMatching(/^a TRUNCATE TABLE transaction 0000:00001005 committed \(began .*\): it removes rows without logging them one by one, .* `rowback dump --bak .* --stop-before-lsn [0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}` \(docs\/restore\.md\)$/),
      expect.stringMatching(/^a DROP TABLE transaction 0000:00001009 committed/),
      expect.stringMatching(/^\d+ delete\(s\) not printed: their own transaction took them back/),
    ]);
  } finally {
    store.close();
  }
});

it('a job that stages no rows says why, as scan does', async () => {
  const store = new StagingStore(join(dir, 'staging2.db'));
  try {
    const w = new JobWorker({ store });
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: DDL, allocUnit: CONTACT_AU }, from: '2300-01-01' }, 'op');
    await w.idle();
    expect(store.requireJob(job.id).rowsStaged).toBe(0);
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toContainEqual(expect.stringMatching(/^why no rows: .*outside the window/));
  } finally {
    store.close();
  }
});

it('a job whose every row the layout check held back says so in "why no rows", as scan does', async () => {
  const store = new StagingStore(join(dir, 'staging3.db'));
  try {
    const w = new JobWorker({ store });
    // Wrong layout: the variable-length columns declared as fixed ints, so the rows do not decode.
    const wrong = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name int NULL, Email int NULL, Balance int NULL, Extra1 bigint NOT NULL, Extra2 bigint NOT NULL);';
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: wrong, allocUnit: CONTACT_AU } }, 'op');
    await w.idle();
    expect(store.requireJob(job.id).rowsStaged).toBe(0);
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toContainEqual(expect.stringMatching(/^why no rows: .*; the rows of dbo\.Contact were decoded but not printed: the layout does not fit them \(RECOVER_LAYOUT_MISMATCH among the job's skipped items\)$/));
    // rows left out: the job is not complete (it was: 0 rows staged, complete, nothing said)
    expect(notes).toContainEqual("INCOMPLETE: the rows of dbo.Contact were decoded but not staged: the table layout does not fit them (why, and what to do: the RECOVER_LAYOUT_MISMATCH item among the job's skipped items)");
    expect(store.requireJob(job.id)).toMatchObject({ complete: false, incomplete: [expect.stringMatching(/^INCOMPLETE: the rows of dbo\.Contact were decoded but not staged/)] });
  } finally {
    store.close();
  }
});

it('a job whose rows its layout could not decode counts them in "why no rows", as scan does (SYNTHETIC: a DDL giving partition 2 its own compression)', async () => {
  const store = new StagingStore(join(dir, 'staging-unreadable.db'));
  try {
    const w = new JobWorker({ store });
    const perPartition = DDL.replace(/;$/, ' WITH (DATA_COMPRESSION = PAGE ON PARTITIONS (2));');
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: perPartition, allocUnit: CONTACT_AU } }, 'op');
    await w.idle();
    expect(store.requireJob(job.id).rowsStaged).toBe(0);
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toContainEqual(expect.stringMatching(/^why no rows: .*; [\d,]+ row operation\(s\) of dbo\.Contact were not decoded into rows: DECODE_NO_COLUMNS ×[\d,]+ \(among the job's skipped items\)$/));
  } finally {
    store.close();
  }
});

it('metadata.collation gives a DDL job the database default collation (as scan --collation): used for the columns without COLLATE, no assumption noted', async () => {
  const store = new StagingStore(join(dir, 'staging4.db'));
  try {
    const w = new JobWorker({ store });
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: DDL, allocUnit: CONTACT_AU, collation: 'Cyrillic_General_CI_AS' } }, 'op');
    await w.idle();
    expect(store.requireJob(job.id).error).toBeNull();
    const email = store.jobTables(job.id)[0]!.columns.find((c) => c.name === 'Email')!;
    expect([email.collation, email.codePage]).toEqual(['Cyrillic_General_CI_AS', 1251]);
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes.filter((n) => n.startsWith('metadata.ddl:'))).toEqual([]);
  } finally {
    store.close();
  }
});

it('metadata.collation without ddl is refused, naming the field', () => {
  const r = JobSpec.safeParse({ kind: 'files', ldf, metadata: { catalog: [], collation: 'Cyrillic_General_CI_AS' } });
  expect(r.success).toBe(false);
  expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['metadata.collation', "collation is for ddl (the database default collation of a CREATE TABLE script); catalog JSON names each column's collation"]);
  expect(JobSpec.safeParse({ kind: 'files', ldf, metadata: { ddl: DDL, collation: 'Cyrillic_General_CI_AS' } }).success).toBe(true);
});

it('a job window bound in a daylight-saving fold of the service\'s zone is said in its notes, as scan warns of it (TZ=Europe/Berlin)', async () => {
  const tz = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
  const store = new StagingStore(join(dir, 'staging-dst.db'));
  try {
    const w = new JobWorker({ store });
    const job = w.submit({ kind: 'files', ldf, metadata: { ddl: DDL, allocUnit: CONTACT_AU }, from: '1900-01-01', to: '2026-10-25 02:30' }, 'op');
    await w.idle();
    const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toContainEqual(
      "to '2026-10-25 02:30' is ambiguous in Europe/Berlin: the clocks went back that night, so 02:30 happened twice, at 2026-10-25T00:30:59.999Z (UTC+02:00) and at 2026-10-25T01:30:59.999Z (UTC+01:00); log times carry no zone, so they are compared with it as written and the two cannot be told apart (Europe/Berlin is the rowback service's time zone, TZ; the SQL Server's may differ)",
    );
    expect(notes.filter((n) => n.includes('daylight') || n.includes('Europe/Berlin'))).toHaveLength(1);
  } finally {
    store.close();
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

describeCorpus('a job over damaged corpus files', () => it('a job over a data file whose catalog is damaged, and over a damaged log, says INCOMPLETE in its notes, as scan does (corpus AngularJs_CRUD copies)', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  // page 1:161 of sys.sysschobjs (where the two tables are named) zeroed in a copy
  const mdf = join(dir, 'Database1_zeroed161.mdf');
  writeFileSync(mdf, Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'))).fill(0, 161 * 8192, 162 * 8192));
  const ldf0 = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  const badLdf = join(dir, 'Database1_bad_log.ldf');
  const b = Buffer.from(readFileSync(ldf0));
  b.fill(0, 300_032, 300_032 + 4096);
  writeFileSync(badLdf, b);
  const store = new StagingStore(join(dir, 'staging-incomplete.db'));
  try {
    const w = new JobWorker({ store });
    const cut = w.submit({ kind: 'files', mdf, ldf: ldf0 }, 'op');
    const torn = w.submit({ kind: 'files', mdf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), ldf: badLdf }, 'op');
    // page 1:57 (sys.syscolpars, the two tables' column rows) zeroed: the tables are named but have no columns (DECODE_NO_COLUMNS)
    const noCols = join(dir, 'Database1_syscolpars.mdf');
    const z = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')));
    z.fill(0, 57 * 8192, 58 * 8192);
    writeFileSync(noCols, z);
    const cols = w.submit({ kind: 'files', mdf: noCols, ldf: ldf0 }, 'op');
    await w.idle();
    const notesOf = (id: number) => store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(store.requireJob(cut.id).state).toBe('succeeded');
    expect(notesOf(cut.id)).toContainEqual(expect.stringMatching(/^INCOMPLETE: the data file's catalog is damaged \(sys\.sysschobjs\): 16 row operation\(s\)/));
    expect(notesOf(torn.id)).toContainEqual(expect.stringMatching(/^INCOMPLETE: parts of the log could not be read \(FORMAT_/));
    expect(notesOf(cols.id)).toContainEqual(expect.stringMatching(/^INCOMPLETE: the data file's catalog is damaged \(sys\.syscolpars\): 16 row operation\(s\) of tables it names could not be decoded/));
  } finally {
    store.close();
  }
}));

it("a job with a window over a log whose clock was set back (a daylight-saving fold) says the window may be ambiguous, as scan does", async () => {
  // SYNTHETIC: transaction n at 02:00 + n minutes local time, an hour less from n = 40 (synthetic-log.ts `second`)
  const folded = join(dir, 'folded_log.ldf');
  writeSyntheticLdf(folded, { targetBytes: 256 * 1024, row: (t, r) => contactRow(t, r), rollbackShare: 0, finishAtEnd: true, second: (n) => 7200 + n * 60 - (n >= 40 ? 3600 : 0) }, { allocUnitId: CONTACT_AU, vlfSize: 128 * 1024 });
  const store = new StagingStore(join(dir, 'staging-fold.db'));
  try {
    const w = new JobWorker({ store });
    const notesOf = async (spec: Record<string, unknown>) => {
      const job = w.submit({ kind: 'files', ldf: folded, metadata: { ddl: DDL, allocUnit: CONTACT_AU }, ...spec } as JobSpec, 'op');
      await w.idle();
      expect(store.requireJob(job.id).error).toBeNull();
      return store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    };
    expect(await notesOf({ from: '2025-12-11 01:50', to: '2025-12-11 02:10' })).toContainEqual(expect.stringMatching(/^WARNING: the log's commit times run backwards by 59 minutes: the transaction committed at LSN [0-9a-f:]+ ended 2025-12-11T01:4\d:00\.000, after \(in the log\) the one at LSN [0-9a-f:]+ that ended 2025-12-11T02:[34]\d:00\.000: .* the job's window from\/to may be ambiguous: compare the rows' times and LSNs with the window$/));
    // no window: nothing to be ambiguous
    expect((await notesOf({})).some((x) => x.includes('run backwards'))).toBe(false);
  } finally {
    store.close();
  }
});
