import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * The API's NDJSON export is the row `rowback scan --format ndjson` prints, plus the staged row's
 * `id` and review `status`: it was the store's record (jobId; sid, allocUnitId, page, slot and
 * source under `meta`; no dbUser), so a parser written for the CLI's NDJSON broke on it (newcomer).
 * REAL files: AngularJs_CRUD Database1.mdf / Database1_log.ldf, scanned by the CLI and by a job.
 */
const cli = captureCli();
describeCorpus('export?format=ndjson against scan --format ndjson', () => {
  let t: TestApp;
  beforeAll(async () => { t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined }); });
  afterAll(async () => t?.close());

  it('every row: the CLI row, with id first and status last', async () => {
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
    const scan = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--quiet');
    expect(scan.code).toBe(0);
    const fromCli = scan.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const nd = await t.app.inject({ url: `/api/jobs/${r.json().id}/export?format=ndjson`, headers: bearer(t.tokens.viewer) });
    const exported = nd.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(exported).toHaveLength(16);
    const byLsn = new Map(fromCli.map((x) => [x.lsn, x]));
    for (const e of exported) {
      const { id, status, ...row } = e;
      expect(typeof id).toBe('number');
      expect(status).toBe('pending');
      expect(Object.keys(e)[0]).toBe('id');
      expect(Object.keys(e).at(-1)).toBe('status');
      expect(row).toEqual(byLsn.get(row.lsn));
    }
  });
});
