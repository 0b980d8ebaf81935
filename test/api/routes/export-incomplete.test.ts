import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * An export of an INCOMPLETE job said nothing: a job of a damaged log (corpus AngularJs_CRUD, 4 KB
 * zeroed at 300,032, as test/api/job-complete.test.ts makes it) exported CSV, NDJSON and SQL with no
 * marker, so a script that only exports never learnt rows were missing. Every format now answers
 * X-Rowback-Complete (true, false, unknown) and X-Rowback-Incomplete (the count of INCOMPLETE
 * sentences); the SQL script's header quotes the first sentence. CSV and NDJSON bodies stay rows alone.
 */
describeCorpus('exports say whether the job is complete (corpus AngularJs_CRUD, a damaged log)', () => {
  let t: TestApp;
  let torn: number;
  let whole: number;
  const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  beforeAll(async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined });
    const badLdf = join(t.dir, 'Database1_bad_log.ldf');
    const b = Buffer.from(readFileSync(ldf));
    b.fill(0, 300_032, 300_032 + 4096);
    writeFileSync(badLdf, b);
    const create = async (spec: Record<string, unknown>) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: spec });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    torn = await create({ kind: 'files', mdf, ldf: badLdf });
    whole = await create({ kind: 'files', mdf, ldf });
    await t.app.worker.idle();
  });
  afterAll(async () => t?.close());
  const exp = (id: number, format: string) => t.app.inject({ url: `/api/jobs/${id}/export?format=${format}`, headers: bearer(t.tokens.viewer) });

  it('the INCOMPLETE job: X-Rowback-Complete false and the count of its sentences in every format; the SQL header quotes the sentence; CSV and NDJSON bodies hold rows only', async () => {
    const job = (await t.app.inject({ url: `/api/jobs/${torn}`, headers: bearer(t.tokens.viewer) })).json();
    expect(job.complete).toBe(false);
    const n = (job.incomplete as string[]).length;
    expect(n).toBeGreaterThan(0);
    for (const format of ['csv', 'ndjson', 'sql', 'undo-sql']) {
      const r = await exp(torn, format);
      expect([format, r.statusCode]).toEqual([format, 200]);
      expect([format, r.headers['x-rowback-complete'], r.headers['x-rowback-incomplete']]).toEqual([format, 'false', String(n)]);
    }
    const sql = (await exp(torn, 'sql')).body;
    const first = (job.incomplete[0] as string).replace(/^INCOMPLETE:\s*/, '');
    const line = sql.split('\n').find((l) => l.startsWith('-- WARNING: INCOMPLETE job: '));
    expect(line).toBeDefined();
    expect(line).toContain(first.slice(0, 80));
    expect(line).toContain(n === 1 ? '(1 INCOMPLETE sentence)' : `${n} in all`);
    expect(sql.indexOf('-- WARNING: INCOMPLETE job')).toBeLessThan(sql.indexOf('SET XACT_ABORT ON;'));
    const nd = (await exp(torn, 'ndjson')).body.trim().split('\n');
    for (const l of nd) expect(() => JSON.parse(l)).not.toThrow();
    const csv = (await exp(torn, 'csv')).body;
    expect(csv).not.toContain('INCOMPLETE');
    expect(csv.split('\n')[0]).toMatch(/^id,/);
  });

  it('the whole job: X-Rowback-Complete true, X-Rowback-Incomplete 0, no INCOMPLETE line; a job that runs: unknown, no count', async () => {
    for (const format of ['csv', 'ndjson', 'sql']) {
      const r = await exp(whole, format);
      expect([format, r.headers['x-rowback-complete'], r.headers['x-rowback-incomplete']]).toEqual([format, 'true', '0']);
    }
    expect((await exp(whole, 'sql')).body).not.toContain('INCOMPLETE job');
    t.store.setJobState(whole, 'running');
    for (const format of ['csv', 'ndjson', 'sql']) {
      const r = await exp(whole, format);
      expect([format, r.headers['x-rowback-complete'], r.headers['x-rowback-incomplete']]).toEqual([format, 'unknown', undefined]);
    }
    expect((await exp(whole, 'sql')).body).toMatch(/^-- WARNING: whether job \d+'s result is complete is not known \(state running/m);
  });
});
