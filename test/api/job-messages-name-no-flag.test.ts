/**
 * A scan job's messages (its error, skipped items' reasons, notes, INCOMPLETE and WARNING sentences,
 * row warnings, a refusal at creation) must name what its request can hold, not `rowback scan`'s
 * flags: the library writes them for the CLI ("left out of --ddl/--schema", "--accept-schema-drift
 * with their old layout in --schema/--ddl decodes them", "the layout given with --ddl/--schema lists
 * …"), and the worker passed them on as they were (only a restore job's were rewritten,
 * restoreJobWording). Every text these jobs surface through the API is read here and none may hold
 * a `--flag` outside backticks (a command in backticks is advice to run it).
 *
 * Real bytes: AngularJs_CRUD's Database1.mdf and Database1_log.ldf (13 deleted dbo.tblDept rows,
 * allocation unit 72057594043629568; 3 deleted dbo.Employee rows), and its log records as `rowback
 * log` prints them for the export. SYNTHETIC: the export file around those records and its catalog
 * (dbo.Employee's, modify_date moved to 2099 so every row is after an ALTER: schema drift), the
 * CREATE TABLE scripts (tblDept's columns as the data file has them, and in another order); a live
 * job's server answers (test/support/fake-live-customers.ts: dbo.Customers altered after its one
 * delete), no server here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { catalogRows, LOG_DB } from '../support/employee-catalog.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { LiveSource } from '../../src/recover/sources/live.js';
import { CustomersScanRunner, customersDeleteRow } from '../support/fake-live-customers.js';

/** A CLI flag outside backticks: `--ddl` in "pass --ddl …", not in "`rowback log --alloc-unit ID`". */
function flagsOutsideBackticks(text: string): string[] {
  return text.split('`').filter((_, i) => i % 2 === 0).flatMap((p) => [...p.matchAll(/(^|[^\w`-])(--[a-z][a-z-]*)/g)].map((m) => m[2]!));
}

const LDF = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const MDF = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const DEPT = 'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);';
const DEPT_REORDERED = 'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptDesc] VARCHAR (500) NULL, [DeptName] VARCHAR (150) NULL);';

/** Every text the API answers of a job (or of its refused creation): [where, text]. */
async function surfacedOf(t: TestApp, spec: Record<string, unknown>): Promise<Array<[string, string]>> {
  const h = bearer(t.tokens.operator);
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: spec });
  if (r.statusCode !== 201) return [['POST /api/jobs', String(r.json().message)]];
  await t.app.worker.idle();
  const id = r.json().id as number;
  const out: Array<[string, string]> = [];
  const job = (await t.app.inject({ url: `/api/jobs/${id}`, headers: h })).json();
  if (job.error) out.push(['error', String(job.error.message)]);
  for (const s of [...(job.incomplete ?? []), ...(job.warnings ?? [])]) out.push(['job', s]);
  for (const s of (await t.app.inject({ url: `/api/jobs/${id}/skipped?limit=1000`, headers: h })).json().items) out.push([`skipped ${s.code}`, String(s.reason)]);
  for (const a of (await t.app.inject({ url: `/api/audit?jobId=${id}&limit=1000`, headers: h })).json().items) {
    for (const n of (a.details?.notes ?? []) as string[]) out.push(['note', n]);
    if (a.action === 'job.failed') out.push(['audit job.failed', String(a.details.message)]);
  }
  for (const row of (await t.app.inject({ url: `/api/jobs/${id}/rows?limit=1000`, headers: h })).json().items) for (const w of row.warnings ?? []) out.push(['row warning', w]);
  return out;
}
const flagged = (texts: Array<[string, string]>) => texts.filter(([, s]) => flagsOutsideBackticks(s).length).map(([w, s]) => `${w}: ${s}`);

const cli = captureCli();

describeCorpus('a scan job says its messages in its fields, never a CLI flag outside backticks (real worker, real files)', () => {
  let t: TestApp | undefined;
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-job-wording-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const open = async () => (t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 }));

  const surfaced = (spec: Record<string, unknown>) => surfacedOf(t!, spec);

  it('a files job of the .ldf alone with one table\'s CREATE TABLE: the other tables\' rows are noted in metadata\'s words', async () => {
    await open();
    const texts = await surfaced({ kind: 'files', ldf: LDF(), metadata: { ddl: DEPT, allocUnit: '72057594043629568' } });
    expect(texts.length).toBeGreaterThan(0);
    expect(flagged(texts)).toEqual([]);
    expect(texts.map(([, s]) => s).join('\n')).toContain('metadata.ddl/metadata.catalog');
  });

  it('a files job whose CREATE TABLE lists the data file\'s columns in another order: refused in the job\'s fields', async () => {
    await open();
    const texts = await surfaced({ kind: 'files', mdf: MDF(), ldf: LDF(), metadata: { ddl: DEPT_REORDERED } });
    expect(texts.length).toBeGreaterThan(0);
    expect(flagged(texts)).toEqual([]);
    expect(texts.map(([, s]) => s).join('\n')).toContain('acceptLayoutDrift: true');
  });

  it('an export job whose catalog was altered after every row (schema drift): the way on is acceptSchemaDrift with the old layout, and it stages the rows the CLI recovers', async () => {
    await open();
    const records = await angularJsExportRecords(cli);
    const file = join(dir, 'drift.json');
    const catalog = catalogRows({ extra: { database_name: 'Database1', database_guid: LOG_DB, family_guid: null, modify_date: '2099-01-01T00:00:00' } });
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog, records }));
    const texts = await surfaced({ kind: 'export', file });
    expect(texts.some(([w]) => w === 'skipped SOURCE_SCHEMA_DRIFT')).toBe(true);
    expect(flagged(texts)).toEqual([]);
    const all = texts.map(([, s]) => s).join('\n');
    expect(all).toContain('a new job with acceptSchemaDrift: true and their old layout in metadata.catalog or metadata.ddl decodes them');
    // the job's own metadata alone does not lift the check (the export source checks its own
    // catalog's modify_date): the rows stay held back, and said so
    const old = catalogRows({ extra: { database_name: 'Database1', database_guid: LOG_DB, family_guid: null, modify_date: '2018-01-01T00:00:00' } });
    const given = await surfaced({ kind: 'export', file, metadata: { catalog: old } });
    expect(given.filter(([w]) => w === 'skipped SOURCE_SCHEMA_DRIFT')).toHaveLength(3);
    expect(flagged(given)).toEqual([]);
    // the way on as said: the 3 dbo.Employee rows staged, their values those of
    // `rowback scan --export F --accept-schema-drift --schema OLD.json` (there was no job field for it)
    const h = bearer(t!.tokens.operator);
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'export', file, acceptSchemaDrift: true, metadata: { catalog: old } } });
    expect(r.statusCode).toBe(201);
    await t!.app.worker.idle();
    const id = r.json().id as number;
    const job = (await t!.app.inject({ url: `/api/jobs/${id}`, headers: h })).json();
    expect(job.state).toBe('succeeded');
    expect(job.description).toContain('acceptSchemaDrift');
    expect((await t!.app.inject({ url: `/api/jobs/${id}/skipped?limit=1000`, headers: h })).json().items.filter((x: { code: string }) => x.code === 'SOURCE_SCHEMA_DRIFT')).toEqual([]);
    const staged = (await t!.app.inject({ url: `/api/jobs/${id}/rows?limit=1000`, headers: h })).json().items as Array<{ table: string; lsn: string; values: Record<string, unknown> }>;
    const oldFile = join(dir, 'old.json');
    writeFileSync(oldFile, JSON.stringify(old));
    const printed = await cli('scan', '--export', file, '--accept-schema-drift', '--schema', oldFile, '--quiet', '--format', 'ndjson');
    const rows = printed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { table: string; lsn: string; values: Record<string, unknown> });
    expect(rows).toHaveLength(3);
    expect(staged.map((x) => [x.table, x.lsn, x.values])).toEqual(rows.map((x) => [x.table, x.lsn, x.values]));
  });

  it('acceptSchemaDrift without the old layout in metadata is refused at creation, naming the field; a files job has no such field', async () => {
    await open();
    const h = bearer(t!.tokens.operator);
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'export', file: join(dir, 'drift.json'), acceptSchemaDrift: true } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('acceptSchemaDrift decodes the rows of tables altered after their transaction began with the layout the job gives: give it in metadata.catalog');
    expect(JSON.stringify(r.json())).toContain('acceptSchemaDrift');
    const files = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'files', mdf: MDF(), ldf: LDF(), acceptSchemaDrift: true } });
    expect(files.statusCode).toBe(400);
    expect(files.json().message).toContain('acceptSchemaDrift');
  });
});

describe('a live job says its messages in its fields (SYNTHETIC server answers, real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  // dbo.Customers altered (modify_date) after its one delete, begun 2024-03-05 14:07:09.123
  const open = async () => (t = await testApp({ openSource: async (o) => new LiveSource({ database: 'CRM', acceptSchemaDrift: o.acceptSchemaDrift, runner: new CustomersScanRunner([customersDeleteRow(1, 'LOP_BEGIN_XACT'), customersDeleteRow(2, 'LOP_DELETE_ROWS'), customersDeleteRow(3, 'LOP_COMMIT_XACT')], '2024-06-01T00:00:00') }), recover: undefined }));

  it('schema drift of its rows (skipped items, notes) and of the table it names (the job\'s error): the command to run, no flag', async () => {
    await open();
    const rows = await surfaced({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM' });
    expect(rows.some(([w]) => w === 'skipped SOURCE_SCHEMA_DRIFT')).toBe(true);
    expect(flagged(rows)).toEqual([]);
    const named = await surfaced({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', from: '2024-03-01T00:00', tables: ['dbo.Customers'] });
    expect(named.some(([w, s]) => w === 'error' && s.includes('a new job with acceptSchemaDrift: true and that layout in metadata.catalog'))).toBe(true);
    expect(flagged(named)).toEqual([]);
  });

  it('acceptSchemaDrift with the old CREATE TABLE in metadata: the drifted row is staged, decoded with that layout', async () => {
    await open();
    const h = bearer(t!.tokens.operator);
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', acceptSchemaDrift: true, metadata: { ddl: 'CREATE TABLE dbo.Customers (CustomerId int NOT NULL PRIMARY KEY);' } } });
    expect(r.statusCode).toBe(201);
    await t!.app.worker.idle();
    const id = r.json().id as number;
    expect((await t!.app.inject({ url: `/api/jobs/${id}/skipped?limit=1000`, headers: h })).json().items.map((x: { code: string }) => x.code)).not.toContain('SOURCE_SCHEMA_DRIFT');
    const rows = (await t!.app.inject({ url: `/api/jobs/${id}/rows?limit=1000`, headers: h })).json().items as Array<{ table: string; values: Record<string, unknown> }>;
    expect(rows.map((x) => [x.table, x.values])).toEqual([['dbo.Customers', { CustomerId: 2 }]]);
  });
  const surfaced = (spec: Record<string, unknown>) => surfacedOf(t!, spec);
});
