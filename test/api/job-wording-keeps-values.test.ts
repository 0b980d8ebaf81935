/**
 * A job's messages are the library's CLI wording with its flags said as the request's fields
 * (worker/job-wording.ts), but the values they quote must never be rewritten: a row warning quotes
 * data a DBA may re-insert, an error names a file path, a table or a login, and any of them may hold
 * `--ddl`, `rowback scan --x` or a backtick. Before, jobWording rewrote the whole text: a quoted
 * value `'a --ddl b'` read `'a metadata.ddl b'`, a path `/x --trn/db.trn` read `/x trn/db.trn`,
 * `rowback scan --x` inside a value was put in backticks, `[x --from]` read `[x from]`, and a
 * backtick in a value flipped which parts were taken as commands.
 *
 * Real bytes: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints it (the export's records).
 * SYNTHETIC: the export file around them, its catalog (dbo.Employee's, Emp_Name declared nvarchar and named
 * `Emp --ddl Name`, so its varchar text draws the "two one-byte text characters" warning quoting it), the
 * dbo.Employee DELETE_ROWS records (three), whose row images are replaced by FixedVar records built here
 * holding `--ddl`, `rowback scan --x` and `--trn`, and an empty log file in a folder named
 * `inc --trn`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { jobWording } from '../../src/worker/job-wording.js';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { catalogRows, EMPLOYEE_COLS, EMPLOYEE_UNIT, LOG_DB } from '../support/employee-catalog.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describe('jobWording keeps the values a message quotes (SYNTHETIC texts)', () => {
  const kinds = ['files', 'live', 'log-backup', 'export', 'restore'] as const;
  it.each(kinds)('%s: quoted values, bracketed names and the values given are not rewritten; the flags around them are', (kind) => {
    const said = jobWording(kind, `column Note holds 'a --ddl b' and "see rowback scan --x \`y\` --trn"; table dbo.[x --from]: give it with --ddl`);
    expect(said).toContain(`'a --ddl b'`);
    expect(said).toContain(`"see rowback scan --x \`y\` --trn"`);
    expect(said).toContain('dbo.[x --from]');
    expect(said).not.toMatch(/give it with --ddl$/);
    expect(jobWording(kind, 'cannot read /data/inc --trn/db.trn: EACCES; give the layout with --schema', ['/data/inc --trn/db.trn'])).toMatch(/^cannot read \/data\/inc --trn\/db\.trn: EACCES; give the layout with metadata\.catalog/);
  });
  it.each(kinds)('%s: a value that is a flag, or a piece of one (a row value "--"), does not keep the message\'s own flags from being reworded (SYNTHETIC)', (kind) => {
    const text = 'column Emp_City (varchar(max)) holds text in code page 1252; give its collation with --collation, or its layout with --ddl';
    const plain = jobWording(kind, text);
    expect(plain).not.toMatch(/--collation|--ddl/);
    // a varchar value "--" (a placeholder in the data), a request string "--ddl", "--co": the same words
    for (const values of [['--'], ['--ddl'], ['--co'], ['-- n/a'], ['x --', '--coll']]) expect(jobWording(kind, text, values)).toBe(plain);
    // a value holding a flag and more is still kept verbatim
    expect(jobWording(kind, 'table dbo.Dept --to.DeptName has no layout: give it with --ddl', ['dbo.Dept --to'])).toMatch(/^table dbo\.Dept --to\.DeptName has no layout: give it with (?!--ddl)/);
    // … also where the text goes on with a flag of its own right after it (a run `--mdf/--bak`)
    expect(jobWording(kind, 'cannot read /d/x --mdf/--bak: give the layout with --ddl', ['/d/x --mdf'])).toMatch(/^cannot read \/d\/x --mdf\/[^-]/);
  });
  it('a backtick inside a quoted value does not turn the template\'s flags after it into a command (SYNTHETIC)', () => {
    expect(jobWording('files', `value 'a\`b' is cut: give the table layout with --ddl`)).toBe(`value 'a\`b' is cut: give the table layout with metadata.ddl`);
  });
});

const cli = captureCli();

/** A FixedVar record of dbo.Employee (Emp_Id int @4, Emp_Age int @8, Emp_Name and Emp_City variable): SYNTHETIC. */
function employeeRecord(id: number, name: Buffer, city: string, age: number): string {
  const n = name;
  const c = Buffer.from(city, 'latin1');
  const head = Buffer.alloc(21);
  head.writeUInt16LE(0x0030, 0); // status A: null bitmap and variable columns
  head.writeUInt16LE(12, 2); // end of the fixed part
  head.writeInt32LE(id, 4);
  head.writeInt32LE(age, 8);
  head.writeUInt16LE(4, 12); // columns
  head[14] = 0; // null bitmap: none NULL
  head.writeUInt16LE(2, 15); // variable columns
  head.writeUInt16LE(21 + n.length, 17);
  head.writeUInt16LE(21 + n.length + c.length, 19);
  return `0x${Buffer.concat([head, n, c]).toString('hex').toUpperCase()}`;
}

describeCorpus('a job\'s row warnings and errors keep the values they quote (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-job-values-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const open = async () => (t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 }));

  it('an export job\'s row warning quoting a value holding --ddl, rowback scan --x and --trn stages it as the CLI prints it', async () => {
    await open();
    const records = await angularJsExportRecords(cli);
    const dels = records.filter((r) => r.Operation === 'LOP_DELETE_ROWS' && String(r.AllocUnitId) === EMPLOYEE_UNIT);
    expect(dels).toHaveLength(3);
    const del = dels[0]!;
    // even length, read as nvarchar: 17 characters of two one-byte ones (the warning's reading takes
    // letters, digits, spaces and . , - ' @ _ & / ( ) : only: a backtick is the unit tests' above)
    const name = 'a --ddl b rowback scan --x --trn c';
    expect(name.length % 2).toBe(0);
    // every dbo.Employee row image (its three deletes) replaced: the first holds the varchar bytes of
    // `name`, the others true UTF-16 text (were all three one-byte text, the layout check would hold
    // the table back as not fitting)
    dels.forEach((d, i) => { d['RowLog Contents 0'] = employeeRecord(7 + i, i === 0 ? Buffer.from(name, 'latin1') : Buffer.from(`José ${i}`, 'utf16le'), '--from', 30); });
    // Emp_Name declared nvarchar, and named `Emp --ddl Name`: the warning names the column too
    const cols = EMPLOYEE_COLS.map((c) => (c[0] === 'Emp_Name' ? (['Emp --ddl Name', 'nvarchar', -1, -1, true] as typeof c) : c));
    const catalog = catalogRows({ cols, extra: { database_name: 'Database1', database_guid: LOG_DB, family_guid: null, modify_date: '2018-01-01T00:00:00' } });
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog, records }));
    const printed = await cli('scan', '--export', file, '--quiet', '--format', 'ndjson', '--table', 'dbo.Employee');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout, printed.stderr).not.toBe('');
    const cliRow = printed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { lsn: string; warnings: string[]; values: Record<string, unknown> }).find((r) => r.lsn === del['Current LSN'])!;
    expect(cliRow, printed.stderr).toBeDefined();
    const quoting = cliRow.warnings.find((w) => w.includes(JSON.stringify(name)));
    expect(quoting, cliRow.warnings.join('\n')).toBeDefined();

    const h = bearer(t!.tokens.operator);
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'export', file, tables: ['dbo.Employee'] } });
    expect(r.statusCode).toBe(201);
    await t!.app.worker.idle();
    const id = r.json().id as number;
    const staged = (await t!.app.inject({ url: `/api/jobs/${id}/rows?limit=1000`, headers: h })).json().items as Array<{ lsn: string; warnings: string[]; values: Record<string, unknown> }>;
    const row = staged.find((x) => x.lsn === del['Current LSN'])!;
    expect(row.values).toEqual(cliRow.values);
    expect(row.values.Emp_City).toBe('--from');
    expect(row.warnings).toContain(quoting);
    // the column named as one name (identifierText), its `--ddl` kept as the value it is
    expect(quoting).toMatch(/^column \[Emp --ddl Name\] \(nvarchar\(max\)\) holds/);
    expect(row.warnings).toEqual(cliRow.warnings);
  });

  it('a files job\'s notes name its table `dbo.Dept --to` (a CREATE TABLE of the job) as it is', async () => {
    await open();
    const h = bearer(t!.tokens.operator);
    // tblDept's columns under another name, on an allocation unit no row of the log is on: the note of a likely mistyped id names the table
    const ddl = 'CREATE TABLE [dbo].[Dept --to] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);';
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'files', ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), metadata: { ddl, allocUnit: '72057594043629569' } } });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    const id = r.json().id as number;
    const notes = (await t!.app.inject({ url: `/api/audit?jobId=${id}&limit=1000`, headers: h })).json().items.flatMap((a: { details?: { notes?: string[] } }) => a.details?.notes ?? []) as string[];
    const naming = notes.filter((n) => n.includes('dbo.Dept'));
    expect(naming.length, notes.join('\n')).toBeGreaterThan(0);
    for (const n of naming) expect(n).toContain('dbo.Dept --to');
  });

  it('a files job refused at creation for an empty log in a folder named `inc --trn` names the path as it is', async () => {
    await open();
    const sub = join(dir, 'inc --trn');
    mkdirSync(sub, { recursive: true });
    const ldf = join(sub, 'db --ddl.ldf');
    writeFileSync(ldf, Buffer.alloc(0));
    const h = bearer(t!.tokens.operator);
    const r = await t!.app.inject({ method: 'POST', url: '/api/jobs', headers: h, payload: { kind: 'files', ldf } });
    expect(r.statusCode).toBe(400);
    expect(String(r.json().message)).toContain(ldf);
  });
});
