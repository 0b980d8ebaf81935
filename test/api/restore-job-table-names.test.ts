/**
 * A restore job's `table` / `tables` names are read at creation, as diff reads its --table: a name that
 * cannot name a table ('bad..name', an unterminated bracket) was accepted (201, job queued) and the job
 * failed when it ran, as a table the backup lacks, naming no field. Now 400 INPUT_BAD_IDENTIFIER naming
 * the field (`tables.1`, `table`), no job created. Real files: RestoreTimeClean.
 */
import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs: table names read at creation, refusals naming the field', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: { kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], ...payload } });

  it('a bad name among tables, or as table: 400 naming its field, nothing created', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const several = await post({ tables: ['dbo.steps', 'bad..name'] });
    expect([several.statusCode, several.json().code, several.json().field], several.body).toEqual([400, 'INPUT_BAD_IDENTIFIER', 'tables.1']);
    expect(several.json().message).toContain("tables.1 'bad..name'");
    const one = await post({ table: '[dbo].[steps' });
    expect([one.statusCode, one.json().code, one.json().field], one.body).toEqual([400, 'INPUT_BAD_IDENTIFIER', 'table']);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
    // a database-qualified name: no table is read yet, so none is named (it was told "names the
    // table dbo.Nope", a table the backup lacks)
    for (const bad of ['[RestoreTimeClean].[dbo].[Nope]', 'RestoreTimeClean..Nope']) {
      const r = await post({ table: bad });
      expect([r.statusCode, r.json().code, r.json().field], r.body).toEqual([400, 'INPUT_BAD_IDENTIFIER', 'table']);
      expect(r.json().message).toContain("is not a one- or two-part table name: a database part");
      expect(r.json().message).not.toContain('dbo.Nope');
    }
    // names that parse are still taken (a one-part name, brackets)
    const ok = await post({ tables: ['steps', '[dbo].[table1]'] });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('plain dotted text of three parts is taken, as diff --table and a files job take it (the backup\'s tables decide which table it is)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    // the name of a table dbo.[Order.Items] written without brackets: it was 400 INPUT_BAD_IDENTIFIER "not a one- or two-part table name"
    const dotted = await post({ tables: ['dbo.Order.Items'] });
    expect(dotted.statusCode, dotted.body).toBe(201);
    // still refused: an empty part, a comma (a list), a bracket left open
    for (const bad of ['dbo..Items', 'dbo.Order,dbo.Items', 'dbo.[Order.Items']) {
      const r = await post({ table: bad });
      expect([r.statusCode, r.json().code], `${bad}: ${r.body}`).toEqual([400, 'INPUT_BAD_IDENTIFIER']);
    }
  });
});
