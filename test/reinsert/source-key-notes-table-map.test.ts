/**
 * The head's sentences about the source catalog's foreign keys (without a target) name the source's
 * tables as its catalog does, and a tableMap side table as where the rows go. Before: with tableMap
 * {dbo.Orders: recovery.Orders_side} (and dbo.Customers' rows rejected), the export's head said
 * '-- note: recovery.Orders_side references dbo.Customers in the source data file's catalog
 * (FK_Orders_Customers)', and with dbo.Customers mapped too '… the job staged deleted recovery.Cust
 * rows' (it staged dbo.Customers rows; the source has no such table), and '-- WARNING: tableOrder puts
 * recovery.Orders_side before dbo.Employees, which it references in the source data file's catalog'.
 *
 * Real bytes: NORTHWND.MDF's catalog and rows (read from its pages and staged as deleted rows: the
 * rows are real, their deletion SYNTHETIC). A parent's rows already put back by a run (status
 * reinserted) were still said as left out, the note advising to approve them: not said now.
 */
import { expect, it } from 'vitest';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { describeCorpus } from '../support/corpus.js';
import { deletedRow, northwindJob } from '../support/northwind-job.js';
import { bearer, testApp } from '../api/helpers.js';

describeCorpus('the source catalog\'s foreign keys named with tableMap', () => {
  it('dbo.Orders into recovery.Orders_side, dbo.Customers rejected (NORTHWND.MDF): the note and the WARNING name dbo.Orders as what references', async () => {
    const t = await testApp();
    try {
      const tables = ['dbo.Orders', 'dbo.Customers', 'dbo.Employees'];
      const { pages, md, jobId } = northwindJob(t, tables);
      const job = { id: jobId };
      let n = 0;
      t.store.stageBatch(job.id, tables.flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => deletedRow(++n, tbl, row.values))) as never);
      t.store.setJobState(job.id, 'succeeded');
      await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      const ids = [...t.store.iterateRows(job.id, { table: 'dbo.Customers' })].map((r) => r.id);
      await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'kept out', ids } });
      const head = async (payload: object) => {
        const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, ...payload } });
        expect(dry.statusCode, dry.body).toBe(200);
        return (dry.json().script as string).split('\n').filter((l) => /^-- (note|WARNING: (tableOrder|this order) puts)/.test(l));
      };
      const one = await head({ tableMap: { 'dbo.Orders': 'recovery.Orders_side' } });
      expect(one).toEqual([expect.stringMatching(/^-- note: dbo\.Orders references dbo\.Customers in the source data file's catalog \(FK_Orders_Customers\), its rows going into recovery\.Orders_side \(tableMap\), and this script inserts no dbo\.Customers row though the job staged deleted dbo\.Customers rows: each dbo\.Orders row's dbo\.Customers row must be in the target already, if recovery\.Orders_side declares that foreign key, else its INSERT fails \(Msg 547\)/)]);
      const two = await head({ tableMap: { 'dbo.Orders': 'recovery.Orders_side', 'dbo.Customers': 'recovery.Cust' }, tableOrder: ['dbo.Orders', 'dbo.Employees'] });
      expect(two.join('\n')).not.toMatch(/recovery\.\w+ references|staged deleted recovery|, which it references/);
      expect(two).toContainEqual(expect.stringMatching(/^-- note: dbo\.Orders references dbo\.Customers .*this script inserts no dbo\.Customers row \(into recovery\.Cust\) though the job staged deleted dbo\.Customers rows: each dbo\.Orders row's dbo\.Customers row must be in recovery\.Cust in the target already/));
      expect(two).toContainEqual(expect.stringMatching(/^-- WARNING: tableOrder puts recovery\.Orders_side \(rows of dbo\.Orders\) before dbo\.Employees, and dbo\.Orders references dbo\.Employees in the source data file's catalog \(FK_Orders_Employees\): /));
      // the customers' rows put back by an earlier run (status reinserted, set here: SYNTHETIC): they
      // are in the target, and the note (which advised approving them) is not said
      t.store.db.prepare(`UPDATE rows SET status = 'reinserted' WHERE job_id = ? AND id IN (${ids.map(() => '?').join(', ')})`).run(job.id, ...ids);
      expect(await head({})).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
