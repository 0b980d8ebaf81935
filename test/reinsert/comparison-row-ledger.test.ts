import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

/**
 * Never twice for a backup comparison's rows too. A row of `diff --stage` / `restore run --stage`
 * (no transaction, `lsn` a tag or `state:<n>`) had no row-ledger key: a second staging file holding
 * the same comparison, or its script run by hand after a run, put a key-less table's rows in again.
 * Now keyed by its values and which copy of them it is in its job (comparison-keys.ts).
 * Rows: the corpus example of dbo.LogTestTrailNull (no key; every copy holds the same values), staged
 * as a comparison stages them (test data around REAL row values: test/staging/fixtures.ts).
 */
describeCorpus("a comparison's rows in the target's row ledger", () => {
  const env = storeAndTarget('rowback-cmp-ledger-');
  const connect = env.connect;
  const store = env.storeNamed;
  const target = { connectionString: 'Server=crm-sql;Password=x', database: 'crm' };
  /** `copies` rows of dbo.LogTestTrailNull missing from a later state, as a comparison stages them. */
  const compared = (copies: number): RecoveredRow[] =>
    corpusRows(6 * copies).filter((r) => r.table === 'dbo.LogTestTrailNull').map((r, n) => ({ ...r, lsn: `state:${String(n + 1).padStart(8, '0')}`, transactionId: '', beginTime: null, endTime: null, login: null, spid: null, transactionName: null, pageId: null, slotId: null, warnings: ['missing from the later state'] }));

  it('two copies put back from one staging file; the same comparison of three copies in another puts back the third alone', async () => {
    const a = store('a.db');
    const svcA = new ReinsertService(a, { connect });
    const runA = await svcA.start(approvedTrailJob(a, compared(2)), 'op', { dryRun: false, target, batchSize: 1 });
    await svcA.wait(runA.id);
    const check = connect();
    expect(check.counts().rows).toBe(2);
    expect(svcA.getRun(runA.id)!.state).toBe('succeeded');

    const b = store('b.db');
    const svcB = new ReinsertService(b, { connect });
    const runB = await svcB.start(approvedTrailJob(b, compared(3)), 'op', { dryRun: false, target, batchSize: 1 });
    await svcB.wait(runB.id);
    // the old code put all three in: five copies of two deleted rows (and one more)
    expect(check.counts().rows).toBe(3);
    const states = svcB.batches(runB.id).map((x) => x.state);
    expect(states).toEqual(['failed', 'failed', 'committed']);
    const detail = JSON.parse((b.db.prepare("SELECT detail FROM reinsert_outcomes WHERE run_id = ? AND outcome = 'error' ORDER BY row_id LIMIT 1").get(runB.id) as { detail: string }).detail) as { code: string; message: string };
    expect(detail.code).toBe('REINSERT_ALREADY_REINSERTED');
    expect(detail.message).toMatch(/^batch 1 of run 1 not run: row \d+ \(the same values \(copy 1 of them in its job\)\) was already put back into dbo\.LogTestTrailNull by rowback batch rowback-1-1-[0-9a-f]+/);
  });

  it("the dry run's script checks and records each comparison row by its values and copy", async () => {
    const a = store('a.db');
    const svc = new ReinsertService(a, { connect: () => { throw new Error('no target in a dry run'); } });
    const rows = compared(2);
    const d = await svc.dryRun(approvedTrailJob(a, rows), 'rev', {});
    const vals = (a.db.prepare("SELECT vals FROM rows WHERE tbl = 'dbo.LogTestTrailNull' ORDER BY id LIMIT 1").get() as { vals: string }).vals;
    const hash = createHash('sha1').update(vals).digest('hex');
    for (const k of [1, 2]) {
      expect(d.script).toContain(`IF EXISTS (SELECT 1 FROM [dbo].[rowback_reinsert_ledger_rows] WITH (UPDLOCK, HOLDLOCK) WHERE row_key = N'dbo.logtesttrailnull|values:${hash}#${k}')`);
      expect(d.script).toContain(`(the row ledger holds the same values (copy ${k} of them in its job)): not inserted again';`);
    }
    // its undo, run after the script by hand, deletes only copies the ledger says were put back
    expect(d.undoScript).toContain(`WHERE row_key = N'dbo.logtesttrailnull|values:${hash}#2')\nBEGIN\n    DELETE`);
    // and says which entry it did not find by the row's values, not by its staging tag (LSN state:00000002)
    expect(d.undoScript).toMatch(/PRINT N'row \d+: not deleted: the row ledger holds no entry for it \(the same values \(copy 2 of them in its job\)\)/);
    expect(d.undoScript).not.toContain('holds no entry for it (LSN state:');
  });
});
