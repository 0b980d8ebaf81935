import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';

/**
 * A job of operations delete,insert,update showed one count of rows in the job list and the blast
 * radius: reviewers took its inserts and update before-images for deleted rows. The job routes
 * answer the rows per operation (`rowsByOperation`), the blast radius per operation with the rows
 * per status, and per table and operation; the older fields stay as they were.
 */
describeCorpus('rows per operation in the job list and the blast radius', () => {
  it('GET /api/jobs, /api/jobs/:id and the blast radius count each operation (and each status per operation)', async () => {
    const t = await testApp();
    try {
      const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'ops', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
      const base = corpusRows(1)[0]!;
      const stage = (ops: ('delete' | 'insert' | 'update')[], from: number) => t.store.stageBatch(job.id, ops.map((operation, i) => ({
        ...base, lsn: `0000002a:00000100:${String(from + i).padStart(4, '0')}`, operation, values: { Id: from + i, Name: `n${from + i}` },
        ...(operation === 'update' ? { after: { Id: from + i, Name: 'after' } } : {}),
      })));
      stage(['delete', 'insert', 'update', 'delete', 'delete'], 1);
      const get = (url: string, who: 'viewer' | 'reviewer' = 'viewer') => t.app.inject({ url, headers: bearer(t.tokens[who]) });

      const listed = () => get('/api/jobs').then((r) => r.json().items.find((j: { id: number }) => j.id === job.id));
      expect((await listed()).rowsByOperation).toEqual({ delete: 3, insert: 1, update: 1 });
      // rows staged since the last poll are counted too (the list is polled while a job runs)
      stage(['insert', 'delete'], 6);
      t.store.setJobState(job.id, 'succeeded');
      expect((await listed()).rowsByOperation).toEqual({ delete: 4, insert: 2, update: 1 });
      const one = (await get(`/api/jobs/${job.id}`)).json();
      expect(one.rowsByOperation).toEqual({ delete: 4, insert: 2, update: 1 });
      expect(one.rowsStaged).toBe(7);

      // the reviewer approves the inserted rows: the blast radius tells them from the deletes
      const ids = (await get(`/api/jobs/${job.id}/rows?operation=insert`)).json().items.map((r: { id: number }) => r.id);
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'side table', ids } });
      expect(d.statusCode).toBe(200);
      const b = (await get(`/api/jobs/${job.id}/blast-radius`)).json();
      expect(b.total).toBe(7);
      expect(b.byStatus).toEqual([{ status: 'approved', rows: 2 }, { status: 'pending', rows: 5 }]);
      expect(b.byOperation).toEqual([
        { operation: 'delete', rows: 4, byStatus: { pending: 4, approved: 0, rejected: 0, reinserted: 0, conflict: 0 } },
        { operation: 'insert', rows: 2, byStatus: { pending: 0, approved: 2, rejected: 0, reinserted: 0, conflict: 0 } },
        { operation: 'update', rows: 1, byStatus: { pending: 1, approved: 0, rejected: 0, reinserted: 0, conflict: 0 } },
      ]);
      expect(b.byTable).toEqual([{ table: 'dbo.T', rows: 7, byOperation: { delete: 4, insert: 2, update: 1 } }]);
      expect(b.byMinute).toEqual([{ minute: expect.any(String), rows: 7, byOperation: { delete: 4, insert: 2, update: 1 } }]);
      // the older fields are all still there
      expect(Object.keys(b).sort()).toEqual(['byLogin', 'byMinute', 'byOperation', 'byStatus', 'byTable', 'byTransaction', 'jobId', 'total', 'withoutTransaction']);
      expect(b.byLogin.length).toBeGreaterThan(0);

      const doc = (await t.app.inject({ url: '/docs/json' })).json();
      expect(doc.paths['/api/jobs'].get.responses['200'].content['application/json'].schema.properties.items.items.properties.rowsByOperation.properties).toHaveProperty('update');
      expect(doc.paths['/api/jobs/{id}'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('rowsByOperation');
      expect(doc.paths['/api/jobs/{id}/blast-radius'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('byOperation');
    } finally {
      await t.close();
    }
  });
});
