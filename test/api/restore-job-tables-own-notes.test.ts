import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A restore job of several tables: a note of one table's comparison that the others' do not say
 * alike names its table (after its `note (side, where): ` head, which a WARNING's doubt is told by). The pages read without a page checksum are counted per table (the catalog's
 * and that table's own), so a job of three tables over one backup said "none of the 33 pages read
 * carries a page checksum", "…32…", "…30…" of the same backup set, unnamed: which count is whose could
 * not be told, and they read as contradicting each other. A note every table says alike (the later
 * state's 31 here) is said once, unnamed, as before.
 *
 * Real bytes: StDb2Sql.bak (SQL Server 2005, torn-page bits only), its two full backups (2009 and
 * 2010) compared set 1 against set 2, three of its tables.
 */
describeCorpus('restore job of several tables: a note of one table names it', () => {
  const BAK = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('the earlier state\'s unchecked-pages notes, one count per table, each named; the later state\'s, alike for all, once', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [BAK], position: 1, afterBak: [BAK], afterPosition: 2, acceptOlderLater: true, tables: ['dbo.Enrollment', 'dbo.Students', 'dbo.Users'] } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state).toBe('succeeded');
    const notes = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')!.details.notes as string[];
    const earlier = notes.filter((n) => n.includes('(earlier state, ') && n.includes('pages read carries a page checksum'));
    expect(earlier.map((n) => /^note \(earlier state, .*\(backup set 1\)\): (dbo\.\w+): none of the (\d+) pages read/.exec(n)?.slice(1, 3))).toEqual([['dbo.Enrollment', '34'], ['dbo.Students', '33'], ['dbo.Users', '31']]);
    const later = notes.filter((n) => n.includes('(later state, ') && n.includes('pages read carries a page checksum'));
    expect(later).toHaveLength(1);
    expect(later[0]).toMatch(/^note \(later state, .*\(backup set 2\)\): none of the 32 pages read/);
  }, 120_000);
});
