import { afterEach, expect, it, vi } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A restore job of several tables (`tables`): a delete that took customers and their contacts, the
 * log gone, is staged from backups into one job, so that its re-insert orders the tables parents
 * first; a job per table (the only way before: `table` was one) is re-inserted job by job, a child
 * table's job run first failing on its foreign key. Each table is compared on its own at the same
 * points, all before anything is staged; a refusal of one fails the job whole.
 *
 * Real bytes: RestoreTimeClean (one table, dbo.steps) at 13:20 against the differential. The corpus
 * holds no backup chain of two tables, so the two-table staging is shown with a SYNTHETIC twin:
 * `dbo.steps_archive` is compared as dbo.steps is (the comparison's module wrapped, its result
 * renamed), every other step real.
 */
vi.mock('../../src/replay/compare.js', async (original) => {
  const m = await original<typeof import('../../src/replay/compare.js')>();
  return {
    ...m,
    compareTableStates: async (o: Parameters<typeof m.compareTableStates>[0]) => {
      if (o.table !== 'dbo.steps_archive') return m.compareTableStates(o);
      const r = await m.compareTableStates({ ...o, table: 'dbo.steps' });
      // its rows are not the same log records as dbo.steps' (a staged row is one LSN of a job): untagged, as a whole-state comparison's are
      return { ...r, layout: { ...r.layout, name: 'steps_archive' }, diff: { ...r.diff, table: 'dbo.steps_archive', missing: r.diff.missing.map(({ tag: _t, ...x }) => x) } };
    },
  };
});

describeCorpus('restore jobs of several tables (API)', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const realApp = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
  const post = (payload: unknown) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: payload as Record<string, unknown> });
  const at1320 = { kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], acceptOlderLater: true };

  it('stages every table into the one job, each compared on its own: rows, layouts, the job\'s tables and notes of each, the chain said once (SYNTHETIC twin)', async () => {
    t = await realApp();
    const r = await post({ ...at1320, tables: ['dbo.steps', 'dbo.steps_archive'] });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'restore', tables: ['dbo.steps', 'dbo.steps_archive'] });
    expect(r.json().description).toMatch(/^dbo\.steps, dbo\.steps_archive at 2017-06-01 13:20 /);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged, job.tables]).toEqual(['succeeded', 24, ['dbo.steps', 'dbo.steps_archive']]);
    expect(t.store.jobTables(job.id).map((l) => `${l.schema}.${l.name}`)).toEqual(['dbo.steps', 'dbo.steps_archive']);
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ table: string }>;
    expect(rows.filter((x) => x.table === 'dbo.steps')).toHaveLength(12);
    expect(rows.filter((x) => x.table === 'dbo.steps_archive')).toHaveLength(12);
    const notes = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')!.details.notes as string[];
    expect(notes.filter((n) => /^earlier state: chain: /.test(n))).toHaveLength(1);
    // each table's own replay counts, named (alike for the twin, the second was dropped as said once)
    expect(notes.filter((n) => /row\(s\) in the base backup; redone /.test(n))).toHaveLength(2);
    expect(notes.filter((n) => /^earlier state: dbo\.steps: \d+ row\(s\) in the base backup; redone /.test(n))).toHaveLength(1);
    expect(notes.filter((n) => /^earlier state: dbo\.steps_archive: \d+ row\(s\) in the base backup; redone /.test(n))).toHaveLength(1);
    expect(notes.filter((n) => /^dbo\.steps(_archive)?: earlier 42 row\(s\), later 30; 12 missing/.test(n))).toHaveLength(2);
    const done = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.succeeded')!.details;
    expect(done).toMatchObject({ rows: 24, missing: 24, tables: [{ table: 'dbo.steps', missing: 12 }, { table: 'dbo.steps_archive', missing: 12 }] });
  });

  it('rows read from pages (no LSN) of two tables are all staged: each table numbers its own (state:<table>:<n>), where the second table\'s state:00000000… were dropped as staged already (SYNTHETIC twin)', async () => {
    t = await realApp();
    // the differential's 30 rows against the full backup's 0 (older, compared as asked): every row read from pages
    const r = await post({ kind: 'restore', bak: [FULL, DIFF], afterBak: [FULL], acceptOlderLater: true, tables: ['dbo.steps', 'dbo.steps_archive'] });
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 60]);
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ table: string; lsn: string }>;
    expect(rows.filter((x) => x.table === 'dbo.steps_archive').map((x) => x.lsn).sort()).toEqual([...Array(30).keys()].map((n) => `state:dbo.steps_archive:${String(n).padStart(8, '0')}`));
    expect(rows.filter((x) => x.table === 'dbo.steps').every((x) => x.lsn.startsWith('state:dbo.steps:'))).toBe(true);
  });

  it('names that find one table are compared and staged once, the job listed under the table\'s own name (real)', async () => {
    t = await realApp();
    const r = await post({ ...at1320, tables: ['dbo.steps', '[DBO].[STEPS]'] });
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged, job.tables]).toEqual(['succeeded', 12, ['dbo.steps']]);
    expect(job.description).toMatch(/^dbo\.steps at 2017-06-01 13:20 /);
  });

  it('a table the comparison refuses fails the job whole, nothing staged, naming it (real)', async () => {
    t = await realApp();
    const r = await post({ ...at1320, tables: ['dbo.steps', 'dbo.nope'] });
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id)).toMatchObject({ state: 'failed', rowsStaged: 0, error: { code: 'INPUT_UNKNOWN_TABLE', message: expect.stringContaining('dbo.nope') } });
  });

  it('table and tables together, neither, or key with several tables: 400 naming the field', async () => {
    t = await realApp();
    const both = await post({ ...at1320, table: 'dbo.steps', tables: ['dbo.steps'] });
    expect([both.statusCode, both.json().message]).toEqual([400, expect.stringContaining('give table (one table) or tables (several), exactly one of them')]);
    const neither = await post({ ...at1320 });
    expect(neither.statusCode).toBe(400);
    const key = await post({ ...at1320, tables: ['dbo.steps', 'dbo.steps_archive'], key: ['step'] });
    expect([key.statusCode, key.json().message]).toEqual([400, expect.stringContaining("key names one table's columns")]);
  });
});
