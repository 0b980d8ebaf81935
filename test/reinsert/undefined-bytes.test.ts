import { describe, expect, it } from 'vitest';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { ReinsertService, undefinedBytesText, undefinedBytesWarned } from '../../src/reinsert/service.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, storeAndTarget, targetTables } from './fake-target.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';
import { join } from 'node:path';

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

/**
 * The hold message says what the server would write for U+FFFD in the *target's* column: '?' for a
 * char/varchar one; for an nvarchar one (a side table retyped at the target) the character U+FFFD
 * itself, where it said '?'; planned without a target, that the target's type is not known.
 * SYNTHETIC values on the fixtures' layouts; the target tables are the fixtures' with ColA retyped.
 */
describeCorpus('REINSERT_UNDEFINED_BYTES says what would be written for the target column\'s type', () => {
  const env = storeAndTarget('rowback-undefined-bytes-type-');
  const heldMessage = async (target: FakeTarget | null): Promise<string> => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    rows[0] = { ...rows[0]!, values: { ...rows[0]!.values, ColA: 'Α\ufffdΒ' } };
    env.store.stageBatch(job.id, rows);
    env.store.saveJobTables(job.id, Object.values(LAYOUTS).map(greek));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const svc = new ReinsertService(env.store, { connect: () => target! });
    const dry = await svc.dryRun(job.id, 'rev', target ? { target: { connectionString: 'Server=fake' } } : {});
    const held = dry.plan.problems.filter((p) => p.code === 'REINSERT_UNDEFINED_BYTES');
    expect(held).toHaveLength(1);
    return held[0]!.message;
  };
  const retyped = (type: 'nvarchar' | 'varchar', name: string, more: Partial<TargetColumn> = {}) => {
    const tables = targetTables();
    const t = tables.get('dbo.LogTestTrailNull')!;
    tables.set('dbo.LogTestTrailNull', { ...t, columns: t.columns.map((c) => (c.name === 'ColA' ? { ...c, type, maxLength: type === 'nvarchar' ? c.maxLength * 2 : c.maxLength, ...more } : c)) });
    return new FakeTarget(join(env.target.path + '.' + name), tables);
  };

  it('an nvarchar target column: U+FFFD itself is stored, not \'?\'', async () => {
    const t = retyped('nvarchar', 'n');
    try {
      const m = await heldMessage(t);
      expect(m).toContain("re-inserted into the target's column ColA (nvarchar), the server would store the character U+FFFD there");
      expect(m).not.toContain("'?'");
      // and what to do is one that can be done: the original bytes cannot go into an nvarchar column
      // (it said 're-insert it by hand with the original bytes' into it)
      expect(m).toContain("re-insert it by hand; the target's nvarchar column cannot hold the original bytes (no character stands for them), so keep them in a varchar column of the source column's collation");
      expect(m).not.toContain('with the original bytes');
    } finally {
      t.dispose();
    }
  });

  // the target's catalog gives each column's collation and code page (mssql-target.ts
  // targetColumnsSql): the message names them, and says EF BF BD for a UTF-8 one; a target that
  // does not give them (absent) is told both
  it('a varchar target column: \'?\' in its code page, EF BF BD under a UTF-8 collation, both when not said', async () => {
    const cases: [string, Partial<TargetColumn>, string][] = [
      ['v1252', { collation: 'Latin1_General_CI_AS', codePage: 1252 }, "re-inserted into the target's column ColA (varchar, collation Latin1_General_CI_AS, code page 1252), the server would write '?' there"],
      ['v65001', { collation: 'Latin1_General_100_CI_AS_SC_UTF8', codePage: 65001 }, "re-inserted into the target's column ColA (varchar, collation Latin1_General_100_CI_AS_SC_UTF8, UTF-8), the server would write U+FFFD's own bytes EF BF BD there"],
      ['vnone', { collation: undefined, codePage: undefined }, "re-inserted into the target's column ColA (varchar), the server would write '?' there (U+FFFD's own bytes EF BF BD if its collation is UTF-8: the target did not say the column's collation)"],
    ];
    for (const [name, more, said] of cases) {
      const t = retyped('varchar', name, more);
      try {
        expect(await heldMessage(t)).toContain(said);
      } finally {
        t.dispose();
      }
    }
  });

  it('no target (an offline dry run, an SQL export): the target\'s type is said not known, with what each kind would get', async () => {
    const m = await heldMessage(null);
    expect(m).toContain("the target's column type is not known here (planned without a target");
    expect(m).toContain('into nchar/nvarchar/ntext the character U+FFFD');
  });
});

/**
 * The layouts leave out UTF-8 columns (U+FFFD is a character there) and tables the job has no
 * layout of; a value of invalid UTF-8 printed U+FFFD and went back as EF BF BD, changed, with only
 * a row warning. The warning says what the bytes were: a row carrying it is held too. The warnings
 * here are decodeRow's own on SYNTHETIC row images (test/support/synthetic-encoder.ts, the
 * placeholder's bytes replaced).
 */
describe('undefinedBytesWarned: rows whose warning names bytes that are no character', () => {
  const warningsOf = (cols: Parameters<typeof buildLayout>[1], values: Record<string, unknown>, placeholder: string, hex: string): string[] => {
    const layout = buildLayout('W', cols);
    const image = Buffer.from(encodeRow(layout, values as Record<string, string | number>));
    const at = image.indexOf(Buffer.from(placeholder, 'latin1'));
    Buffer.from(hex, 'hex').copy(image, at);
    return decodeRow(image, layout).warnings;
  };
  it('invalid UTF-8 in a UTF-8 column, and bytes 1253 does not define, are named; text inside a sql_variant is left to REINSERT_VARIANT_TEXT', () => {
    const utf8 = warningsOf([{ name: 'Id', type: 'int' }, { name: 'U', type: 'varchar', maxLength: 10, collation: 'Latin1_General_100_CI_AS_SC_UTF8' }], { Id: 1, U: 'UU' }, 'UU', '41c3');
    const greek = warningsOf([{ name: 'Id', type: 'int' }, { name: 'G', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' }], { Id: 2, G: 'QQ' }, 'QQ', 'c1aa');
    const variant = warningsOf([{ name: 'Id', type: 'int' }, { name: 'V', type: 'sql_variant' }], { Id: 3, V: { baseType: 'varchar', maxLength: 10, collation: 'Chinese_PRC_CI_AS', value: 'QQQ' } }, 'QQQ', 'b1b181');
    expect([utf8.length, greek.length, variant.length]).toEqual([1, 1, 1]);
    const rows = [{ id: 1, warnings: utf8 }, { id: 2, warnings: greek }, { id: 3, warnings: variant }, { id: 4, warnings: ['column X is not in this record (stored column count 1; row predates the column): NULL'] }];
    expect(undefinedBytesWarned(rows).map((x) => [x.row.id, x.column, x.codePage])).toEqual([[1, 'U', null], [2, 'G', 1253]]);
  });
});

describeCorpus('a re-insert holds back a UTF-8 row whose warning names invalid UTF-8', () => {
  const env = storeAndTarget('rowback-undefined-utf8-');
  it('the dry run leaves it out with REINSERT_UNDEFINED_BYTES (EF BF BD would have gone back); the others go in', async () => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    const warning = "column ColA: 0xC3 at offset 1 of its 2-byte value are not valid UTF-8 (its collation is UTF-8): printed as U+FFFD '\ufffd', which is not the stored bytes; a re-insert would write U+FFFD's own bytes (EF BF BD) there, so put the original bytes back by hand (CONVERT(varbinary, …) of the value in a backup)";
    rows[0] = { ...rows[0]!, values: { ...rows[0]!.values, ColA: 'A\ufffd' }, warnings: [warning] };
    env.store.stageBatch(job.id, rows);
    env.store.saveJobTables(job.id, Object.values(LAYOUTS).map(withCollation('Latin1_General_100_CI_AS_SC_UTF8', 65001)));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(job.id, 'rev', {});
    const held = dry.plan.problems.filter((p) => p.code === 'REINSERT_UNDEFINED_BYTES');
    expect(held).toHaveLength(1);
    expect(held[0]!.message).toMatch(/^row \d+'s column ColA held bytes that are not UTF-8 .*EF BF BD.*re-insert it by hand/);
    expect(dry.script).toContain(`NOT INCLUDED: row ${held[0]!.rowId}`);
    expect(dry.script).not.toContain('\ufffd');
  });
});
