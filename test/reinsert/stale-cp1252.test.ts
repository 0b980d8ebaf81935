import { describe, expect, it } from 'vitest';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { ReinsertService, staleCp1252Text } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * Before 2026-12-03 rowback decoded code page 1252's bytes 0x80–0x9F as the C1 controls
 * U+0080–U+009F (Node 20.20's TextDecoder('windows-1252')), so a row staged then holds U+0093 where
 * SQL Server held “. A 1252 value decoded right never holds those (but the five bytes 1252 leaves
 * undefined), so such a staged row is held back from a re-insert, named, rather than written back
 * with the control character. SYNTHETIC values on the fixtures' layouts.
 */
const with1252 = (l: TableLayout): TableLayout => ({ ...l, columns: l.columns.map((c) => (c.type === 'varchar' ? { ...c, collation: 'SQL_Latin1_General_CP1_CI_AS', codePage: 1252 } : c)) });

describe('staleCp1252Text', () => {
  const layout = with1252(LAYOUTS['dbo.LogTestTrailNull']!);
  const row = (id: number, ColA: unknown) => ({ id, table: 'dbo.LogTestTrailNull', values: { Id: id, ColA, ColB: null } });
  it('names the first column and character of rows holding a control no 1252 byte decodes to', () => {
    const rows = [row(1, 'plain'), row(2, 'say \u0093hi\u0094'), row(3, '\u20ac 5 \u201cok\u201d'), row(4, 'undefined bytes \u0081\u008d\u008f\u0090\u009d'), row(5, 'x\u0080')];
    expect(staleCp1252Text(rows, [layout]).map((x) => [x.row.id, x.column, x.char])).toEqual([[2, 'ColA', 0x93], [5, 'ColA', 0x80]]);
    // another code page's column, or no layout: not judged
    expect(staleCp1252Text([row(2, 'say \u0093hi')], [LAYOUTS['dbo.LogTestTrailNull']!])).toEqual([]);
    expect(staleCp1252Text([{ ...row(2, '\u0093'), table: 'dbo.Other' }], [layout])).toEqual([]);
  });
});

describeCorpus('a re-insert holds back rows of stale 1252 text', () => {
  const env = storeAndTarget('rowback-stale-1252-');

  it('the dry run and the run leave the row out with REINSERT_STALE_TEXT; the others go in', async () => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    rows[0] = { ...rows[0]!, values: { ...rows[0]!.values, ColA: 'said \u0093yes\u0094' } };
    env.store.stageBatch(job.id, rows);
    env.store.saveJobTables(job.id, Object.values(LAYOUTS).map(with1252));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(job.id, 'rev', {});
    const stale = dry.plan.problems.filter((p) => p.code === 'REINSERT_STALE_TEXT');
    expect(stale).toHaveLength(1);
    expect(stale[0]!.message).toMatch(/^row \d+'s column ColA \(code page 1252 text\) holds U\+0093, a control character no 1252 byte decodes to/);
    expect(dry.script).toContain('NOT INCLUDED: row');
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(rows.length - 1);
    expect(env.target.counts().rows).toBe(rows.length - 1);
  });
});
