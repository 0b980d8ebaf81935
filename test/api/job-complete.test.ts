import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobResponse } from '../../src/api/routes/schemas.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A job's result completeness in the API: `GET /api/jobs/:id` said `succeeded` with rows staged
 * and a count of skipped items, and nothing said the result was INCOMPLETE (that was only in the
 * audit log's `job.notes`), where `scan --report` says `"complete": false` and `--strict` exits 3.
 * Corpus AngularJs_CRUD: the log whole, and a copy with 4 KB zeroed at 300,032 (as
 * test/worker/scan-notes.test.ts damages it), each with the undamaged data file, real sources.
 */
describeCorpus('complete / incomplete of a files job (corpus AngularJs_CRUD)', () => {
  let t: TestApp;
  const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  let badLdf: string;
  beforeAll(async () => {
    // the real sources, and the real spec check (no fileRoots: any file the process can read)
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined });
    badLdf = join(t.dir, 'Database1_bad_log.ldf');
    const b = Buffer.from(readFileSync(ldf));
    b.fill(0, 300_032, 300_032 + 4096);
    writeFileSync(badLdf, b);
  });
  afterAll(async () => t?.close());

  const create = async (spec: Record<string, unknown>) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: spec });
    expect(r.statusCode, r.body).toBe(201);
    // a queued job's completeness is not known yet
    expect(r.json()).toMatchObject({ complete: null, incomplete: null });
    return r.json().id as number;
  };
  const get = async (id: number) => (await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(t.tokens.viewer) })).json();

  it('the damaged log: complete false with the INCOMPLETE sentence of its notes; the whole log: complete true, no sentences; the job list says the same', async () => {
    const torn = await create({ kind: 'files', mdf, ldf: badLdf });
    const whole = await create({ kind: 'files', mdf, ldf });
    await t.app.worker.idle();

    const tornJob = await get(torn);
    expect(tornJob).toMatchObject({ state: 'succeeded', complete: false });
    expect(tornJob.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: parts of the log could not be read \(FORMAT_.*; rows in those LSN ranges are missing from this job/)]);
    // the same sentence the audit log's job.notes carries
    const notes = t.store.audit({ jobId: torn }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(notes).toEqual(expect.arrayContaining(tornJob.incomplete));

    expect(await get(whole)).toMatchObject({ state: 'succeeded', complete: true, incomplete: [] });

    const list = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json() as { items: { id: number; complete: boolean | null }[] };
    expect(Object.fromEntries(list.items.map((j) => [j.id, j.complete]))).toEqual({ [torn]: false, [whole]: true });
  });

  it('a data file whose catalog is damaged (page 1:161 of sys.sysschobjs, where the tables are named, zeroed in a copy): complete false with the damaged-catalog sentence', async () => {
    const cut = join(t.dir, 'Database1_zeroed161.mdf');
    writeFileSync(cut, Buffer.from(readFileSync(mdf)).fill(0, 161 * 8192, 162 * 8192));
    const id = await create({ kind: 'files', mdf: cut, ldf });
    await t.app.worker.idle();
    const job = await get(id);
    expect(job).toMatchObject({ state: 'succeeded', complete: false });
    expect(job.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: the data file's catalog is damaged \(sys\.sysschobjs\): 16 row operation\(s\)/)]);
  });

  it('deletes of a table the data file does not name (its catalog made to lack dbo.Employee, as a backup from before the table): complete false, the unknown-tables sentence', async () => {
    const { openSource } = await import('../../src/recover/open-source.js');
    const { withTableDropped } = await import('../support/table-dropped.js');
    const u = await testApp({ recover: undefined, validateJob: undefined, openSource: async (o, logger) => withTableDropped(await openSource(o, logger), 'Employee') });
    try {
      const r = await u.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(u.tokens.operator), payload: { kind: 'files', mdf, ldf } });
      expect(r.statusCode, r.body).toBe(201);
      await u.app.worker.idle();
      const job = (await u.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(u.tokens.viewer) })).json();
      expect(job).toMatchObject({ state: 'succeeded', rowsStaged: 13, complete: false });
      expect(job.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: 3 committed delete\(s\) on allocation units the data file's catalog does not name \(not SQL Server's own system tables, not index rows\) are not staged: .*AllocUnitId 72057594043432960 ×3/)]);
    } finally {
      await u.close();
    }
  });

  it('a resumed job has no completeness while it runs again', async () => {
    const id = await create({ kind: 'files', mdf, ldf: badLdf });
    await t.app.worker.idle();
    expect((await get(id)).complete).toBe(false);
    t.store.setJobState(id, 'running');
    expect(await get(id)).toMatchObject({ complete: null, incomplete: null });
  });
});

it('the OpenAPI document describes complete and incomplete of GET /api/jobs/:id and GET /api/jobs; the response schema names every field of a job record', async () => {
  const t = await testApp();
  try {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const one = doc.paths['/api/jobs/{id}'].get.responses['200'].content['application/json'].schema;
    expect(one.properties.complete).toMatchObject({ description: expect.stringContaining('INCOMPLETE') });
    expect(one.properties.incomplete).toBeDefined();
    const list = doc.paths['/api/jobs'].get.responses['200'].content['application/json'].schema;
    expect(list.properties.items.items.properties.complete).toBeDefined();
    // the serializer sends only the fields the schema names: a field added to JobRecord and not here would vanish
    const job = t.store.createJob({ kind: 'files', spec: {}, description: 'x', createdBy: 'op' });
    expect(Object.keys(JobResponse.shape).sort()).toEqual(Object.keys(job).sort());
  } finally {
    await t.close();
  }
});
