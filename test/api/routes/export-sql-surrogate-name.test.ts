/**
 * The SQL export of a job whose table name holds an unpaired UTF-16 surrogate (SYNTHETIC name on
 * real corpus rows): the UTF-8 script wrote `INSERT INTO [dbo].[T\ufffd]`, another table's name,
 * and said nothing. Now the row is NOT SCRIPTED, the script's head says so naming the table, and
 * the answer's `x-rowback-not-scripted` header counts it. Rows: test/staging/fixtures.ts.
 */
import { expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { corpusRows, LAYOUTS } from '../../staging/fixtures.js';
import { appPerTest, bearer } from '../helpers.js';

describeCorpus('SQL export: a table name holding an unpaired surrogate', () => {
  const env = appPerTest({ maxAuthFailures: 1000 });

  it('leaves its rows out of the script, says which name, and counts them in a header', async () => {
    const { t } = env;
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'surrogates', operations: ['delete'], createdBy: 'test' });
    const [a, b] = corpusRows(2);
    expect(a!.table).toBe('dbo.T');
    t.store.stageBatch(job.id, [{ ...a!, table: 'dbo.T\ud83d' }, b!]);
    t.store.saveJobTables(job.id, [{ ...LAYOUTS['dbo.T']!, name: 'T\ud83d' }, LAYOUTS[b!.table]!]);
    const r = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['x-rowback-not-scripted']).toBe('1');
    expect(r.body).not.toContain('\ufffd');
    expect(r.body).toMatch(/^-- WARNING: 1 row\(s\) planned but NOT SCRIPTED \(the table name \[dbo\]\.\[T\\u\{d83d\}\] holds an unpaired UTF-16 surrogate/m);
    expect(r.body).toMatch(/INSERT INTO \[dbo\]\.\[T2\]/);
    // the dry run (POST …/reinsert, no target: planned from the layouts) answers the same rows in
    // notScripted, with why, beside its script
    const ok = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/json' }, payload: JSON.stringify({ decision: 'approve', reason: 'restore', all: true }) });
    expect(ok.statusCode, ok.body).toBe(200);
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    const answer = dry.json() as { notScripted: { rowId: number; table: string; why: string }[]; script: string; run: { summary: { notScripted?: unknown[] } } };
    expect(answer.notScripted).toHaveLength(1);
    expect(answer.notScripted[0]).toMatchObject({ table: 'dbo.T\ud83d', why: expect.stringMatching(/^the table name \[dbo\]\.\[T\\u\{d83d\}\] holds an unpaired UTF-16 surrogate/) });
    expect(answer.script).not.toContain('\ufffd');
  });
});
