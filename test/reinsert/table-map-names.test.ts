import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTableMap } from '../../src/reinsert/plan.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A tableMap key was looked up verbatim against the rows' exact `schema.name`: a key the API
 * accepts (`dbo.STEPS` on a case-insensitive database, `[dbo].[steps]`, `steps`) or a typo matched
 * nothing, and the rows were planned INTO THEIR OWN TABLE, not the side table asked for, with no word.
 */
describeCorpus('re-insert tableMap: keys name the job\'s tables as other names do (RestoreTimeClean job)', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-tablemap-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('another case, brackets or no schema: the side table; a key naming no table of the job: refused, not ignored', async () => {
    const d = corpusPath('appveyor-lab', 'RestoreTimeClean');
    const w = new JobWorker({ store, batchSize: 7 });
    const job = w.submit({ kind: 'files', bak: join(d, 'RestoreTimeClean.bak'), trn: [join(d, 'RestoreTimeClean_1.trn')], operations: ['insert'] }, 'op');
    await w.idle();
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'test', all: true });
    const svc = new ReinsertService(store);
    for (const key of ['dbo.STEPS', '[dbo].[steps]', 'steps', '"dbo"."Steps"']) {
      const dry = await svc.dryRun(job.id, 'rev', { operations: ['insert'], tableMap: { [key]: '[recovery].[steps_copy]' } });
      expect(dry.plan.problems).toEqual([]);
      expect(dry.script).toMatch(/INSERT INTO \[recovery\]\.\[steps_copy\] \(\[step\], \[dt\]\)/);
      expect(dry.script).not.toMatch(/INSERT INTO \[dbo\]\.\[steps\]/);
    }
    await expect(svc.dryRun(job.id, 'rev', { operations: ['insert'], tableMap: { 'dbo.stpes': 'recovery.steps_copy' } })).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
  });
});

describe('resolveTableMap (SYNTHETIC names)', () => {
  it('exact first, another case only when one table has it; two keys for one table refused', () => {
    expect(resolveTableMap({ 'dbo.t': 'x.side_t' }, ['dbo.T', 'dbo.t'])).toEqual({ 'dbo.t': 'x.side_t' });
    expect(() => resolveTableMap({ 'dbo.TT': 'x.y' }, ['dbo.T', 'dbo.t', 'dbo.Tt', 'dbo.tT'])).toThrow(/differ only in letter case/);
    expect(() => resolveTableMap({ 'dbo.a': 'x.y', '[dbo].[A]': 'x.z' }, ['dbo.A'])).toThrow(/twice/);
    expect(resolveTableMap(undefined, ['dbo.A'])).toBeUndefined();
  });
});
