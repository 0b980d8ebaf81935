/**
 * docs/service.md's "After a run: rows left out as conflicts" is what a DBA copies once a run left
 * rows out (the app had re-created stubs): the walk-through stopped at the SQL export, and the way to
 * decide a conflict row again (name it: a filter without status conflict leaves it) was one clause of
 * the API table. Its block, as written, against the API over a fake target: the rows read with
 * count=true, the decision by filter status conflict with that page's asOf, the answer it shows.
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids and names are test data.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { dboTTarget, openReviewStore, reviewApp, stagedJob } from '../support/review-desk.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(join(repo, 'docs', 'service.md'), 'utf8');
const block = /\*\*After a run: rows left out as conflicts\.\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
const commands = block.replace(/\\\n\s*/g, ' ').split('\n').filter((c) => c && !c.startsWith('#'));

describeCorpus("docs/service.md's conflict rows after a run", () => {
  it('its commands, as written, read the conflict rows and approve them again, the answer as the block shows it', async () => {
    expect(commands).toHaveLength(3);
    const { dir, store, reviewer, operator } = openReviewStore('rowback-conflict-doc-');
    const target = dboTTarget(dir);
    const base = corpusRows(1)[0]!;
    const jobId = stagedJob(store, [1, 2].map((i) => ({ ...base, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `contact ${i}` } })), { layouts: [LAYOUTS['dbo.T']!] });
    expect(jobId).toBe(1); // the block's job 1
    target.seed('dbo.T', [1], { Id: 1, Name: 'stub re-created by the app' });
    const app = await reviewApp(store, { targets: { crm: { connectionString: 'Server=crm-sql;Database=CRM' } }, connectTarget: () => target });
    try {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      await app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
      const run = await app.inject({ method: 'POST', url: '/api/jobs/1/reinsert', headers: auth(operator), payload: { dryRun: false, targetName: 'crm' } });
      await app.reinsert.wait(run.json().id);
      // a filter not naming the status leaves the conflict row, and says so
      const left = await app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: auth(reviewer), payload: { decision: 'approve', reason: 'again', filter: { table: 'dbo.T' } } });
      expect([left.json().rows, left.json().conflictsLeft]).toEqual([0, 1]);
      // the block: read (the URL as written), then the decision with that page's asOf
      const read = /^curl -s "\$API(\/jobs\/1\/rows\?[^"]+)" -H "Authorization: Bearer \$RV" > conflicts\.json$/.exec(commands[0]!);
      expect(read, commands[0]).not.toBeNull();
      const page = await app.inject({ method: 'GET', url: `/api${read![1]}`, headers: auth(reviewer) });
      expect(page.json().total).toBe(1);
      expect(commands[1]).toBe(`ASOF=$(sed -n 's/.*"asOf":"\\([^"]*\\)".*/\\1/p' conflicts.json)`);
      const asOf = /.*"asOf":"([^"]*)".*/.exec(page.body)![1]!;
      const body = /-d "(.*)"$/.exec(commands[2]!)![1]!.replace(/\\"/g, '"').replace('$ASOF', asOf);
      expect(commands[2]).toMatch(/^curl -s -X POST \$API\/jobs\/1\/decisions -H "Authorization: Bearer \$RV" -H 'content-type: application\/json' +-d /);
      const d = await app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: { ...auth(reviewer), 'content-type': 'application/json' }, payload: body });
      expect(d.statusCode, d.body).toBe(200);
      expect(d.json()).toMatchObject({ rows: 1, conflictsDecided: 1 });
      expect(d.json().note).toMatch(/^1 of the rows approved was a conflict/);
      expect(store.countRows(1, { status: 'conflict' })).toBe(0);
    } finally {
      await app.close();
      target.dispose();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
