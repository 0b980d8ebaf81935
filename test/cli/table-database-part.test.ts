/**
 * A DBA names a table as in SSMS, with its database: `--table Database1.dbo.tblDept`. Plain dotted
 * text of three parts is kept as text (it may be the `schema.name` text of a table holding a dot), so
 * it was refused INPUT_UNKNOWN_TABLE listing the tables, and `[Database1].[dbo].[tblDept]` INPUT_BAD_IDENTIFIER
 * "not a one- or two-part table name", neither saying that the database part is the matter or what to
 * give. Now every such refusal names the table meant (names.ts unknownTableHint, util/tsql.ts
 * splitQualifiedName), as it names a table of the name in another schema (`--table Customers`,
 * TSQLV4's Sales.Customers); and the name it gives works. REAL: AngularJs_CRUD Database1.mdf / .ldf
 * (dbo.tblDept: 13 deletes in the log), TSQLV4-compressed TSQLV4.bak (Sales.Customers: 91 rows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';

describeCorpus('a table named with its database (real files): the refusal names the table meant', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-db-part-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const captured = captureCli();
  const cli = cliWithOutFile(captured, () => dir);
  const mdf = () => corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const meant = 'so give the table as dbo.tblDept';

  it('dump and scan: three and four parts, plain or bracketed, name dbo.tblDept; following the advice gives its rows', async () => {
    for (const t of ['Database1.dbo.tblDept', 'SRV.Database1.dbo.tblDept']) {
      const d = expectOneLineError(await cli('dump', '--mdf', mdf(), '--table', t), 'INPUT_UNKNOWN_TABLE');
      expect(d).toContain(`${t} names a ${t.startsWith('SRV') ? 'server and a ' : ''}database too: rowback reads the tables of the files or database given, ${meant}`);
      const s = expectOneLineError(await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', t), 'INPUT_UNKNOWN_TABLE');
      expect(s).toContain(meant);
    }
    // bracketed, quoted and `..` forms were refused before the tables were read, naming a table
    // the files may lack (`Database1.dbo` for [Database1].[dbo].[tblDept]); now the tables decide
    for (const t of ['Database1..tblDept', '[Database1]..[tblDept]', '[Database1].[dbo].[tblDept]', '"Database1"."dbo"."tblDept"', '[SRV].[Database1].[dbo].[tblDept]']) {
      const d = expectOneLineError(await cli('dump', '--mdf', mdf(), '--table', t), 'INPUT_UNKNOWN_TABLE');
      expect(d).toContain(`${t} names a ${t.startsWith('[SRV]') ? 'server and a ' : ''}database too: rowback reads the tables of the files or database given, ${meant}`);
      expect(d).not.toContain('Database1.dbo ');
    }
    const scan = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', 'dbo.tblDept', '--quiet');
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout.trim().split('\n')).toHaveLength(13);
  }, 60_000);

  it('dump: a database part naming another database than the backup\'s is said, not dropped (REAL TSQLV4.bak)', async () => {
    // 'Northwind.Sales.Customers' against TSQLV4.bak was told 'give the table as Sales.Customers': the rows of another database
    const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
    const other = expectOneLineError(await cli('dump', '--bak', bak, '--table', 'Northwind.Sales.Customers'), 'INPUT_UNKNOWN_TABLE');
    expect(other).toContain('Northwind.Sales.Customers names the database Northwind, and the tables read are of the database TSQLV4: check that the file given is the one meant (its table of that name is Sales.Customers)');
    expect(expectOneLineError(await cli('dump', '--bak', bak, '--table', '[TSQLV4].[Sales].[Customers]'), 'INPUT_UNKNOWN_TABLE')).toContain('names a database too: rowback reads the tables of the files or database given, so give the table as Sales.Customers');
  }, 60_000);

  it('scan and log: a database part naming another database than the files\' is said too (REAL TSQLV4.bak, RestoreTimeClean); they advised dropping it', async () => {
    const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
    const other = 'Northwind.Sales.Customers names the database Northwind, and the tables read are of the database TSQLV4: check that the file given is the one meant (its table of that name is Sales.Customers)';
    expect(expectOneLineError(await cli('scan', '--bak', bak, '--table', 'Northwind.Sales.Customers'), 'INPUT_UNKNOWN_TABLE')).toContain(other);
    // its own name (any letter case): the part is dropped, as before
    expect(expectOneLineError(await cli('scan', '--bak', bak, '--table', 'tsqlv4.Sales.Customers'), 'INPUT_UNKNOWN_TABLE')).toContain('names a database too: rowback reads the tables of the files or database given, so give the table as Sales.Customers');
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const log = expectOneLineError(await cli('log', rtc('RestoreTimeClean_1.trn'), '--bak', rtc('RestoreTimeClean.bak'), '--table', 'Other.dbo.steps'), 'INPUT_UNKNOWN_TABLE');
    expect(log).toContain('Other.dbo.steps names the database Other, and the tables read are of the database RestoreTimeClean: check that the file given is the one meant (its table of that name is dbo.steps)');
    // a database attached by its file names itself by its path (Database1.mdf): no claim of another database
    expect(expectOneLineError(await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', 'CRM.dbo.tblDept'), 'INPUT_UNKNOWN_TABLE')).toContain(meant);
  }, 60_000);

  it('dump --trn (the replay): the table meant is named as dump of the pages names it (REAL RestoreTimeClean)', async () => {
    // the replay's refusal listed the tables only: no word of the database part or of the index's table
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const replay = (t: string) => cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:03', '--table', t);
    expect(expectOneLineError(await replay('RestoreTimeClean.dbo.steps'), 'INPUT_UNKNOWN_TABLE')).toContain('RestoreTimeClean.dbo.steps names a database too: rowback reads the tables of the files or database given, so give the table as dbo.steps');
    expect(expectOneLineError(await replay('dbo.steps.PK_steps'), 'INPUT_UNKNOWN_TABLE')).toContain("dbo.steps.PK_steps is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as dbo.steps");
    expect(expectOneLineError(await replay('Other.dbo.steps'), 'INPUT_UNKNOWN_TABLE')).toContain('Other.dbo.steps names the database Other, and the tables read are of the database RestoreTimeClean');
  }, 60_000);

  it("fn_dblog's AllocUnitName of an index (schema.table.index) names its table: dump, scan, log", async () => {
    // dbo.tblDept.PK_tblDept was refused listing the tables only; [dbo].[tblDept].[PK_tblDept]
    // 'names a database too … give the table as tblDept.PK_tblDept'
    const said = "dbo.tblDept.PK_tblDept is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as dbo.tblDept";
    expect(expectOneLineError(await cli('dump', '--mdf', mdf(), '--table', 'dbo.tblDept.PK_tblDept'), 'INPUT_UNKNOWN_TABLE')).toContain(said);
    expect(expectOneLineError(await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', 'dbo.tblDept.PK_tblDept'), 'INPUT_UNKNOWN_TABLE')).toContain(said);
    expect(expectOneLineError(await cli('log', ldf(), '--mdf', mdf(), '--table', 'dbo.tblDept.PK_tblDept'), 'INPUT_UNKNOWN_TABLE')).toContain(said);
    // bracketed, it was refused naming both readings, tblDept.PK_tblDept a table that is nowhere
    const b = expectOneLineError(await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', '[dbo].[tblDept].[PK_tblDept]'), 'INPUT_UNKNOWN_TABLE');
    expect(b).toContain(said.replace('dbo.tblDept.PK_tblDept', '[dbo].[tblDept].[PK_tblDept]'));
    expect(b).not.toContain('tblDept.PK_tblDept,');
  }, 60_000);

  it('a database-qualified name whose table is not there: said plainly, no table named that the files lack (dump, scan, log)', async () => {
    // '[Database1].[dbo].[Nope]' was told 'it names the table dbo.Nope … the table Database1.dbo', and
    // 'Database1..Nope' 'give the table as dbo.Nope': neither is a table of Database1.mdf
    const cases: Array<[string, string]> = [
      ['[Database1].[dbo].[Nope]', "read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), [Database1].[dbo].[Nope] would be dbo.Nope or Database1.dbo, neither of which is among the tables read"],
      ['Database1..Nope', 'read as database.schema.table, Database1..Nope would be dbo.Nope, which is not among the tables read'],
      ['[SRV].[Database1].[dbo].[Nope]', 'read as server.database.schema.table, [SRV].[Database1].[dbo].[Nope] would be dbo.Nope, which is not among the tables read'],
      // a schema that is not there: the table of that name in the schema that is
      ['[Database1].[Sales].[tblDept]', "read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), [Database1].[Sales].[tblDept] would be Sales.tblDept or Database1.Sales, neither of which is among the tables read; dbo.tblDept has the name tblDept: give it as dbo.tblDept"],
      ['Database1.Sales.tblDept', "read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), Database1.Sales.tblDept would be Sales.tblDept or Database1.Sales, neither of which is among the tables read; dbo.tblDept has the name tblDept: give it as dbo.tblDept"],
    ];
    for (const [t, said] of cases) {
      for (const args of [['dump', '--mdf', mdf()], ['scan', '--mdf', mdf(), '--ldf', ldf()], ['log', ldf(), '--mdf', mdf()]]) {
        const r = expectOneLineError(await cli(...args, '--table', t), 'INPUT_UNKNOWN_TABLE');
        expect(r).toContain('known tables: dbo.Employee, dbo.tblDept; ' + said);
        expect(r).not.toContain('give the table as');
      }
    }
  }, 120_000);

  it('a table of that name in another schema is named (TSQLV4.bak: Customers is Sales.Customers)', async () => {
    const bak = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
    const r = expectOneLineError(await cli('dump', '--bak', bak, '--table', 'Customers'), 'INPUT_UNKNOWN_TABLE');
    expect(r).toContain('Sales.Customers has the name Customers in another schema: give it as Sales.Customers');
    const both = expectOneLineError(await cli('dump', '--bak', bak, '--table', 'Sales.Employees'), 'INPUT_UNKNOWN_TABLE');
    expect(both).toContain('dbo.Employees, HR.Employees have the name Employees in other schemas: give the one meant with its schema');
    const three = expectOneLineError(await cli('dump', '--bak', bak, '--table', 'TSQLV4.Sales.Customers'), 'INPUT_UNKNOWN_TABLE');
    expect(three).toContain('so give the table as Sales.Customers');
    const ok = await cli('dump', '--bak', bak, '--table', 'Sales.Customers', '--quiet');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(91);
  }, 60_000);

  describeCorpus('the API', () => {
    let t: TestApp | undefined;
    afterEach(async () => { await t?.close(); t = undefined; });
    it('a files job naming the table with its database: 400 naming the field and the table meant, nothing created', async () => {
      t = await testApp({ validateJob: validateJobSpec, fileRoots: [CORPUS_DIR] });
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf: mdf(), ldf: ldf(), tables: ['Database1.dbo.tblDept'] } });
      expect([r.statusCode, r.json().code, r.json().field], r.body).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'tables']);
      expect(r.json().message).toContain(meant);
      expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
      // bracketed, and a table the files lack: the same, no table named that is not there
      const b = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf: mdf(), ldf: ldf(), tables: ['[Database1].[dbo].[tblDept]', '[Database1].[dbo].[Nope]'] } });
      expect([b.statusCode, b.json().code, b.json().field], b.body).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'tables']);
      expect(b.json().message).toContain(meant);
      const n = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf: mdf(), ldf: ldf(), tables: ['[Database1].[dbo].[Nope]'] } });
      expect([n.statusCode, n.json().code], n.body).toEqual([400, 'INPUT_UNKNOWN_TABLE']);
      expect(n.json().message).toContain('would be dbo.Nope or Database1.dbo, neither of which is among the tables read');
      // another database's name against a backup: said, not advised away
      const o = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', bak: [corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak')], trn: [corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')], tables: ['Other.dbo.steps'] } });
      expect([o.statusCode, o.json().code], o.body).toEqual([400, 'INPUT_UNKNOWN_TABLE']);
      expect(o.json().message).toContain('Other.dbo.steps names the database Other, and the tables read are of the database RestoreTimeClean');
      expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
    }, 60_000);
  });
});
