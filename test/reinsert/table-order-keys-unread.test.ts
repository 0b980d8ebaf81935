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
import { readTableRows } from '../../src/datafile/table-rows.js';
import { describeCorpus } from '../support/corpus.js';
import { deletedRow, northwindJob } from '../support/northwind-job.js';
import { bearer, testApp } from '../api/helpers.js';

describeCorpus('a table whose source foreign keys were not read is named in the table order line', () => {
  it('dbo.Orders\' layout from metadata, dbo.Order Details\' and dbo.Customers\' from NORTHWND.MDF', async () => {
    const t = await testApp();
    try {
      const tables = ['dbo.Order Details', 'dbo.Orders', 'dbo.Customers'];
      const { pages, md, jobId } = northwindJob(t, tables, (l, x) => {
        if (x !== 'dbo.Orders') return l;
        const { foreignKeys: _f, ...rest } = l;
        return rest;
      });
      const job = { id: jobId };
      let n = 0;
      t.store.stageBatch(job.id, tables.flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => deletedRow(++n, tbl, row.values))) as never);
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
