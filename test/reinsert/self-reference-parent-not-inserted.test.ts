/**
 * No target: a row of a self-referencing table whose referenced row the job staged deleted but the
 * script does not insert (rejected) is said in the head. Before: HR.Employees' rows (TSQLV4.bak,
 * FK_Employees_Employees mgrid -> empid) approved but manager 5's rejected went into the script with
 * no word; the INSERTs of employees 6, 7 and 9 fail (Msg 547) unless employee 5 is in the target,
 * XACT_ABORT stopping the script. The note of f4268310 said it of another table only.
 *
 * Real bytes: TSQLV4.bak's HR.Employees rows and catalog, staged as deleted rows (their deletion SYNTHETIC).
 */
import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { stageTsqlv4Employees } from '../support/staged-employees.js';
import { bearer, testApp } from '../api/helpers.js';

describeCorpus('a self-referencing table\'s row whose referenced row the script leaves out', () => {
  it('HR.Employees, manager 5 rejected: the export and the dry run name its reports and its row', async () => {
    const t = await testApp();
    try {
      const { jobId, rows } = stageTsqlv4Employees(t.store);
      const job = { id: jobId };
      await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      const staged = [...t.store.iterateRows(job.id, { table: 'HR.Employees' })];
      const idOf = (emp: number) => staged.find((r) => Number(r.values.empid) === emp)!.id;
      const reports = staged.filter((r) => r.values.mgrid !== null && Number(r.values.mgrid) === 5).map((r) => r.id).sort((a, b) => a - b);
      expect(reports.length).toBeGreaterThan(0);
      // all approved: nothing to say
      const all = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body;
      expect(all).not.toContain('references itself');
      const rej = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'kept out', ids: [idOf(5)] } });
      expect(rej.statusCode, rej.body).toBe(200);
      const note = (s: string) => s.split('\n').filter((l) => l.includes('references itself'));
      const sql = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body;
      const lines = note(sql);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^-- note: HR\\.Employees references itself in the source backup's catalog \\(FK_Employees_Employees\\), and this script inserts ${reports.length} row\\(s\\) of it \\(rows [^)]*\\) referencing a HR\\.Employees row the job staged deleted but this script does not insert \\(rows ${idOf(5)}\\): .*Msg 547`));
      for (const id of reports) expect(lines[0]).toMatch(new RegExp(`rows [^)]*\\b${id}\\b`));
      // the dry run without a target, and with tableOrder, say it too
      for (const payload of [{ dryRun: true }, { dryRun: true, tableOrder: ['HR.Employees'] }]) {
        const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload });
        expect(dry.statusCode, dry.body).toBe(200);
        expect(note(dry.json().script as string), JSON.stringify(payload)).toEqual(lines);
      }
      // rows sent to a side table (tableMap): the source's table is the one that references itself, the side table named as where they go
      const side = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableMap: { 'HR.Employees': 'recovery.Employees_back' } } });
      expect(side.statusCode, side.body).toBe(200);
      const sideNote = note(side.json().script as string);
      expect(sideNote).toHaveLength(1);
      expect(sideNote[0]).toMatch(/^-- note: HR\.Employees references itself in the source backup's catalog \(FK_Employees_Employees\), and this script inserts \d+ row\(s\) of it \(into recovery\.Employees_back, tableMap\) .*must be in recovery\.Employees_back in the target already, if recovery\.Employees_back declares that foreign key, else/);
      expect(sideNote[0]).not.toContain('recovery.Employees_back references');
    } finally {
      await t.close();
    }
  });
});
