/**
 * A re-insert without a target (a dry run with no target, the SQL export) of a job whose source has a
 * data file or backup orders its tables parents first by the foreign keys of the source's catalog
 * (read from its system base tables: src/datafile/foreign-keys.ts, carried on the job's layouts).
 * Before, they came by name: Production.Categories, Production.Products, Production.Suppliers, a
 * product (child) before its supplier, whose INSERT fails (Msg 547). The script's head says where the
 * order came from and that it is not checked against the target; `tableOrder` given still wins.
 *
 * Real bytes: TSQLV4.bak (a files job over it saves its catalog's layouts, foreign keys on them); rows
 * of Production.Products, Categories and Suppliers read from the backup's pages and staged as deleted
 * rows (the rows are real, their deletion SYNTHETIC). Products references Categories and Suppliers
 * (FK_Products_Categories, FK_Products_Suppliers in Itzik Ben-Gan's public TSQLV4 script). HR.Employees
 * (FK_Employees_Employees, mgrid -> empid) staged in descending empid, each report before its
 * manager: the source's self-reference puts managers first (in LSN order before: employee 9 first,
 * its manager 5 not yet in). A restore job's saved layouts carry the foreign keys too (the restore
 * case fails on the datafile reader before syssingleobjrefs was read, not on the re-insert's).
 */
import { stageTsqlv4Employees } from '../support/staged-employees.js';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp } from './helpers.js';

describeCorpus('re-insert without a target: the source backup\'s foreign keys order the tables', () => {
  it('a files job over TSQLV4.bak, rows of Production.Products, Categories and Suppliers: parents first, said in the head; tableOrder wins', async () => {
    const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
    const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    try {
      // the layouts a files job over the backup saves carry its catalog's foreign keys
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', bak: [bak] } });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const saved = t.store.jobTables(r.json().id);
      const products = saved.find((l) => l.schema === 'Production' && l.name === 'Products')!;
      expect(products.foreignKeys?.map((k) => `${k.name}: ${k.columns.join(',')} -> ${k.referencedSchema}.${k.referencedTable}(${k.referencedColumns.join(',')})`).sort())
        .toEqual(['FK_Products_Categories: categoryid -> Production.Categories(categoryid)', 'FK_Products_Suppliers: supplierid -> Production.Suppliers(supplierid)']);

      // a job of those layouts with deleted rows of the three tables (real rows, read from the backup)
      const wanted = ['Production.Products', 'Production.Categories', 'Production.Suppliers'];
      const job = t.store.createJob({ kind: 'files', spec: { bak: [bak] }, description: 'tsqlv4', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, saved.filter((l) => wanted.includes(`${l.schema}.${l.name}`)));
      const pages = openBackupPageSource(bak);
      const md = readDataFileMetadata(pages);
      let n = 0;
      const staged = wanted.flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => ({
        table: tbl, lsn: `00000027:00000f00:${String(++n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
        beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: 'TSQL\\batch', sid: null, spid: 53,
        transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values: row.values, raw: '0x00', warnings: [],
      })));
      expect(staged).toHaveLength(6);
      t.store.stageBatch(job.id, staged as never);
      t.store.setJobState(job.id, 'succeeded');
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      expect(d.statusCode, d.body).toBe(200);

      const insertsOf = (script: string) => [...new Set([...script.matchAll(/INSERT INTO \[Production\]\.\[(\w+)\]/g)].map((m) => m[1]))];
      const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } });
      expect(dry.statusCode, dry.body).toBe(200);
      const script = dry.json().script as string;
      expect(insertsOf(script)).toEqual(['Categories', 'Suppliers', 'Products']);
      expect(script).toContain("-- table order (parents first by the foreign keys of the source backup's catalog, not of the target: not checked against the target");
      const exported = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) });
      expect(exported.statusCode, exported.body).toBe(200);
      expect(insertsOf(exported.body)).toEqual(['Categories', 'Suppliers', 'Products']);
      expect(exported.body).toContain("foreign keys of the source backup's catalog, not of the target: not checked against the target");
      // tableOrder given by the DBA still wins
      const given = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableOrder: ['Production.Suppliers', 'Production.Products', 'Production.Categories'] } });
      expect(given.statusCode, given.body).toBe(200);
      expect(insertsOf(given.json().script)).toEqual(['Suppliers', 'Products', 'Categories']);
      expect(given.json().script).toContain('-- table order (as tableOrder gives it');
    } finally {
      await t.close();
    }
  });

  it('a restore job (the backup against a copy of it: nothing deleted) saves the two tables\' layouts with the catalog\'s foreign keys', async () => {
    const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-fk-restore-'));
    const copy = join(dir, 'TSQLV4-copy.bak');
    copyFileSync(bak, copy);
    const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    try {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [bak], afterBak: [copy], tables: ['Production.Products', 'Production.Categories'] } });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      expect(t.store.requireJob(r.json().id).state).toBe('succeeded');
      const saved = t.store.jobTables(r.json().id);
      expect(saved.map((l) => [`${l.schema}.${l.name}`, (l.foreignKeys ?? []).map((k) => `${k.name} -> ${k.referencedSchema}.${k.referencedTable}`)])).toEqual([
        ['Production.Categories', []],
        ['Production.Products', ['FK_Products_Categories -> Production.Categories', 'FK_Products_Suppliers -> Production.Suppliers']],
      ]);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a table referencing itself (HR.Employees.mgrid -> empid): rows staged reports first go in managers first by the source\'s foreign key', async () => {
    const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
    const t = await testApp();
    try {
      const { jobId, rows } = stageTsqlv4Employees(t.store, { reverse: true, login: 'TSQL\\batch' });
      const job = { id: jobId };
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      expect(d.statusCode, d.body).toBe(200);
      const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } });
      expect(dry.statusCode, dry.body).toBe(200);
      const script = dry.json().script as string;
      // each employee's INSERT after its manager's: the ledger line after each INSERT names the row by its LSN
      const order = [...new Set([...script.matchAll(/N'hr\.employees\|00000027:00000f10:(\d{4})'/g)].map((m) => Number(rows[Number(m[1]) - 1]!.values.empid)))];
      expect(order).toHaveLength(9);
      const mgr = new Map(rows.map((r) => [Number(r.values.empid), r.values.mgrid === null ? null : Number(r.values.mgrid)]));
      for (const [emp, m] of mgr) if (m !== null) expect(order.indexOf(m), `employee ${emp} after manager ${m}`).toBeLessThan(order.indexOf(emp));
      expect(script).toContain("foreign keys of the source backup's catalog, not of the target");
    } finally {
      await t.close();
    }
  });
});
