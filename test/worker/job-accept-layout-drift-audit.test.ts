/**
 * A job created with acceptLayoutDrift: true (the layout check relaxed: rows holding fewer columns
 * than the layout are staged, the columns they lack filled) says so in its description, which the
 * jobs list and the audit log's job.create entry keep. Before: the audit entry held kind and
 * description only, and the description named the files and the metadata, not the flag: nothing in
 * the audit trail said the check was relaxed.
 */
import { expect, it, describe } from 'vitest';
import { describeSpec, JobSpec } from '../../src/worker/job-spec.js';
import { bearer, testApp } from '../api/helpers.js';

describe('acceptLayoutDrift in the job description and its audit entry', () => {
  it('describeSpec names it, and only when given', () => {
    const spec = JobSpec.parse({ kind: 'files', ldf: '/data/x_log.ldf', metadata: { ddl: 'CREATE TABLE dbo.T (a int);' } });
    expect(describeSpec(spec)).toBe('/data/x_log.ldf (metadata: DDL)');
    expect(describeSpec({ ...spec, acceptLayoutDrift: true } as JobSpec)).toBe('/data/x_log.ldf (metadata: DDL) (acceptLayoutDrift: rows older than columns added since staged)');
    expect(describeSpec({ ...spec, acceptLayoutDrift: false } as JobSpec)).toBe('/data/x_log.ldf (metadata: DDL)');
  });

  it('POST /api/jobs with acceptLayoutDrift: true: the job.create audit entry says it', async () => {
    const t = await testApp();
    try {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/data/x_log.ldf', acceptLayoutDrift: true } });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().id as number;
      await t.app.worker.idle();
      const created = t.store.audit({ jobId: id }).find((a) => a.action === 'job.create');
      expect(JSON.stringify(created?.details)).toContain('acceptLayoutDrift');
      // a viewer or reviewer cannot create it
      for (const role of ['viewer', 'reviewer'] as const) {
        const no = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens[role]), payload: { kind: 'files', ldf: '/data/x_log.ldf', acceptLayoutDrift: true } });
        expect(no.statusCode, role).toBe(403);
      }
    } finally {
      await t.close();
    }
  });
});
