import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';

/**
 * The blast radius of a restore job (newcomer B's find, on RestoreTimeClean: 12 rows missing from
 * the later state): its rows carry no transaction (transactionId '', read from two table states,
 * not a transaction's log records), and they were grouped as one transaction '' of 12 rows, so
 * the page read "12 rows in 1 table(s), 1 transaction(s)". Rows of no transaction are now in no
 * transaction, counted apart (`withoutTransaction`); a job mixing both counts each. Row images: the
 * corpus examples (test/staging/fixtures.ts); the comparison rows are shaped as a restore job
 * stages them (state: LSNs, no transaction, no times).
 */
describeCorpus('the blast radius of rows of no transaction', () => {
  it('counts them apart, not as one transaction', async () => {
    const t = await testApp();
    try {
      const base = corpusRows(1)[0]!;
      const compared = (n: number) => Array.from({ length: n }, (_, i) => ({ ...base, lsn: `state:${String(i + 1).padStart(8, '0')}`, transactionId: '', beginTime: null, endTime: null, login: null, spid: null, transactionName: null, values: { Id: i + 1, Name: `n${i + 1}` } }));
      const job = t.store.createJob({ kind: 'restore', spec: { table: 'dbo.T' }, description: 'dbo.T at 13:20 against the later state', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
      t.store.stageBatch(job.id, compared(12));
      t.store.setJobState(job.id, 'succeeded');
      const b = (await t.app.inject({ url: `/api/jobs/${job.id}/blast-radius`, headers: bearer(t.tokens.viewer) })).json();
      expect([b.total, b.byTransaction, b.withoutTransaction, b.byMinute]).toEqual([12, [], 12, []]);

      // a job of both: the log's transactions listed, the others counted apart
      const mixed = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'both', createdBy: 'olga' });
      t.store.setJobState(mixed.id, 'running');
      t.store.saveJobTables(mixed.id, [LAYOUTS['dbo.T']!]);
      t.store.stageBatch(mixed.id, [...compared(2), { ...base, lsn: '0000002a:00000100:0001', transactionId: '0000:000003e8', values: { Id: 9, Name: 'n9' } }]);
      t.store.setJobState(mixed.id, 'succeeded');
      const m = (await t.app.inject({ url: `/api/jobs/${mixed.id}/blast-radius`, headers: bearer(t.tokens.viewer) })).json();
      expect(m.byTransaction.map((x: { transactionId: string; rows: number }) => [x.transactionId, x.rows])).toEqual([['0000:000003e8', 1]]);
      expect(m.withoutTransaction).toBe(2);
      const doc = (await t.app.inject({ url: '/docs/json' })).json();
      expect(doc.paths['/api/jobs/{id}/blast-radius'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('withoutTransaction');
    } finally {
      await t.close();
    }
  });
});
