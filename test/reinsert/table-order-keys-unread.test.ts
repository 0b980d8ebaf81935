/**
 * No target: a table of the script whose layout carries no foreign keys read from the source's
 * catalog (a layout given in the job's metadata over a data file's, e.g. the table before an ALTER)
 * is named in the head's table order line. Before: over NORTHWND.MDF with dbo.Orders' layout given
 * apart (no foreign keys on it), the head said 'parents first by the foreign keys of the source data
 * file's catalog' (and, tableOrder given, 'checked against the foreign keys of the source data file's
 * catalog only, which it does not go against'), as if dbo.Orders' keys had been read and checked.
 *
 * Real bytes: NORTHWND.MDF's catalog and rows (staged as deleted rows: their deletion SYNTHETIC);
 * dbo.Orders' layout without its foreignKeys stands for one a job's metadata.ddl gives.
 */
import { expect, it } from 'vitest';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp } from '../api/helpers.js';

describeCorpus('a table whose source foreign keys were not read is named in the table order line', () => {
  it('dbo.Orders\' layout from metadata, dbo.Order Details\' and dbo.Customers\' from NORTHWND.MDF', async () => {
    const mdf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
    const t = await testApp();
    try {
      const pages = openDataFiles([mdf]);
      const md = readDataFileMetadata(pages);
      const tables = ['dbo.Order Details', 'dbo.Orders', 'dbo.Customers'];
      const job = t.store.createJob({ kind: 'files', spec: { mdf: [mdf] }, description: 'northwind', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, tables.map((x) => {
        const l = md.details.get(x)!.layout;
        if (x !== 'dbo.Orders') return l;
        const { foreignKeys: _f, ...rest } = l;
        return rest;
      }));
      let n = 0;
      t.store.stageBatch(job.id, tables.flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => ({
        table: tbl, lsn: `00000027:00000f00:${String(++n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
        beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: null, sid: null, spid: 53,
        transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values: row.values, raw: '0x00', warnings: [],
      }))) as never);
      t.store.setJobState(job.id, 'succeeded');
      await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      const line = (sql: string) => sql.split('\n').find((l) => l.startsWith('-- table order')) ?? '';
      const plain = line((await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body);
      expect(plain).toContain("parents first by the foreign keys of the source data file's catalog (not known for dbo.Orders: its layout carries no foreign keys read from that catalog");
      const given = line((await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved&tableOrder=dbo.Customers,dbo.Orders`, headers: bearer(t.tokens.operator) })).body);
      expect(given).toContain("checked against the foreign keys of the source data file's catalog only (not known for dbo.Orders: ");
      expect(given).not.toContain('not known for dbo.Customers');
    } finally {
      await t.close();
    }
  });
});
