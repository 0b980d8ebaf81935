import { describe, expect, it } from 'vitest';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { ReinsertService, undefinedBytesText } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * Bytes a code page does not define (0xAA, 0xD2, 0xFF of 1253: Microsoft's CP1253.TXT marks them
 * UNDEFINED; a DBCS lead byte without its trail) are stored by SQL Server unchecked and decoded by
 * rowback as U+FFFD, with a row warning (types/string.ts undefinedBytesWarning). A staged row holding
 * one in a char/varchar/text column of a code page other than UTF-8 went back with '?' there (the
 * value goes as nvarchar, and no Windows code page has U+FFFD), changed and unsaid: it is held back,
 * REINSERT_UNDEFINED_BYTES, from the run, the dry run and the SQL export. A UTF-8 column is not
 * judged (U+FFFD is a character there). SYNTHETIC values on the fixtures' layouts.
 */
const withCollation = (collation: string, codePage: number) => (l: TableLayout): TableLayout => ({
  ...l,
  columns: l.columns.map((c) => (c.type === 'varchar' ? { ...c, collation, codePage } : c)),
});
const greek = withCollation('Greek_CI_AS', 1253);

describe('undefinedBytesText', () => {
  const row = (id: number, ColA: unknown) => ({ id, table: 'dbo.LogTestTrailNull', values: { Id: id, ColA, ColB: null } });
  it('names the first column, position and count of U+FFFD in non-UTF-8 char/varchar/text values', () => {
    const rows = [row(1, 'Αθήνα'), row(2, 'Α\ufffdΒ\ufffd'), row(3, null), row(4, '\ufffd')];
    expect(undefinedBytesText(rows, [greek(LAYOUTS['dbo.LogTestTrailNull']!)]).map((x) => [x.row.id, x.column, x.codePage, x.at, x.count])).toEqual([[2, 'ColA', 1253, 1, 2], [4, 'ColA', 1253, 0, 1]]);
  });
  it('a UTF-8 column is not judged (U+FFFD is a character there); rows of tables with no layout are not judged', () => {
    const utf8 = withCollation('Latin1_General_100_CI_AS_SC_UTF8', 65001)(LAYOUTS['dbo.LogTestTrailNull']!);
    expect(undefinedBytesText([row(2, 'a\ufffd')], [utf8])).toEqual([]);
    expect(undefinedBytesText([{ ...row(2, '\ufffd'), table: 'dbo.Other' }], [greek(LAYOUTS['dbo.LogTestTrailNull']!)])).toEqual([]);
  });
});

describeCorpus('a re-insert holds back rows holding bytes their code page does not define', () => {
  const env = storeAndTarget('rowback-undefined-bytes-');

  it('the dry run and the run leave the row out with REINSERT_UNDEFINED_BYTES; the others go in', async () => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    expect(rows.length).toBeGreaterThan(1);
    rows[0] = { ...rows[0]!, values: { ...rows[0]!.values, ColA: 'Α\ufffdΒ' } };
    env.store.stageBatch(job.id, rows);
    env.store.saveJobTables(job.id, Object.values(LAYOUTS).map(greek));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(job.id, 'rev', {});
    const held = dry.plan.problems.filter((p) => p.code === 'REINSERT_UNDEFINED_BYTES');
    expect(held).toHaveLength(1);
    expect(held[0]!.message).toMatch(/^row \d+'s column ColA \(code page 1253 text\) holds U\+FFFD at character 2: bytes code page 1253 does not define, .* re-insert it by hand/);
    expect(dry.script).toContain(`NOT INCLUDED: row ${held[0]!.rowId}`);
    expect(dry.script).not.toContain('\ufffd');
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(rows.length - 1);
    expect(env.target.counts().rows).toBe(rows.length - 1);
  });
});
