import { describe, expect, it } from 'vitest';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { tablesFromCatalog, targetColumnsSql } from '../../src/reinsert/mssql-target.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { fromLayout, type TargetColumn, type TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, storeAndTarget } from './fake-target.js';

/**
 * A char/varchar/text value is sent as nvarchar (a parameter, or the script's N'…' /
 * CONVERT(nvarchar(max), 0x…) literal) and the server converts it into the target column's code page
 * on INSERT: a character that code page lacks becomes '?' or a look-alike ('Ł' → 'L' in 1252, Windows'
 * "best fit"), with no error. The target column's collation was not read, so where it is not the
 * source's (a side table in another database, a database of another default collation, a column
 * re-collated since) 'Łódź' went in as '?ódz' or 'Lódz', a wrong value that looks right. The catalog
 * now reads each column's collation and code page (COLLATIONPROPERTY 'CodePage'), and planParam
 * refuses such a value (REINSERT_BAD_VALUE) naming the column, the character, its position, the
 * column's collation and code page. SYNTHETIC values; the service cases use the corpus examples'
 * rows and layouts (test/staging/fixtures.ts) with their varchar column's collation changed.
 */
const col = (o: Partial<TargetColumn> = {}): TargetColumn => ({
  name: 'City', type: 'varchar', maxLength: 50, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o,
});
const LATIN1 = { collation: 'Latin1_General_CI_AS', codePage: 1252 };
const POLISH = { collation: 'Polish_CI_AS', codePage: 1250 };
const CYRILLIC = { collation: 'Cyrillic_General_CI_AS', codePage: 1251 };
const UTF8 = { collation: 'Latin1_General_100_CI_AS_SC_UTF8', codePage: 65001 };

const refusal = (f: () => unknown): { code: string; message: string; column?: string } => {
  try {
    f();
  } catch (e) {
    const x = e as { code: string; message: string; details?: { column?: string } };
    return { code: x.code, message: x.message, column: x.details?.column };
  }
  throw new Error('not refused');
};

describe("planParam: a char/varchar/text value the target column's code page cannot hold", () => {
  it("a 1252 (Latin1_General) column refuses 'Łódź', naming column, character, position, collation and code page", () => {
    const r = refusal(() => planParam(col(LATIN1), 'Łódź'));
    expect(r.code).toBe('REINSERT_BAD_VALUE');
    expect(r.message).toBe("column City (varchar(50), collation Latin1_General_CI_AS, code page 1252) cannot hold 'Ł' (U+0141) at character 1 of the value: code page 1252 has no such character, and the server would write '?' or a look-alike character in its place on INSERT, with no error: re-insert the row into a column that holds it (nvarchar, a _UTF8 collation, or the source's collation)");
    // the first character the code page lacks: 'ó' is in 1252, 'ź' is not
    expect(refusal(() => planParam(col(LATIN1), 'Lódź')).message).toContain("cannot hold 'ź' (U+017A) at character 4 of the value");
    // the source's code page is named when known
    expect(refusal(() => planParam(col(LATIN1), 'Łódź', { codePage: 1250, collation: 'Polish_CI_AS' })).message)
      .toContain('with no error; the value was decoded from code page 1250 (collation Polish_CI_AS): re-insert the row');
  });

  it("char and text columns too; a 1251 (Cyrillic) column refuses it, a 1250 (Polish) one takes it", () => {
    expect(refusal(() => planParam(col({ ...LATIN1, type: 'char', maxLength: 10 }), 'Łódź')).message).toContain('column City (char(10), collation Latin1_General_CI_AS, code page 1252) cannot hold');
    expect(refusal(() => planParam(col({ ...LATIN1, type: 'text', maxLength: 16 }), 'Łódź')).message).toContain('column City (text, collation Latin1_General_CI_AS, code page 1252) cannot hold');
    expect(refusal(() => planParam(col(CYRILLIC), 'Łódź')).message).toContain("(varchar(50), collation Cyrillic_General_CI_AS, code page 1251) cannot hold 'Ł' (U+0141) at character 1");
    const p = planParam(col(POLISH), 'Łódź');
    expect(p.value).toBe('Łódź');
    expect(p.type).toEqual({ name: 'NVarChar', length: 50 });
  });

  it('a UTF-8 collation takes every character (but an unpaired surrogate, which it writes as \'?\')', () => {
    for (const v of ['Łódź', 'Москва', '東京', 'naïve 😀', '\ufffd']) expect(planParam(col(UTF8), v).value).toBe(v);
    expect(refusal(() => planParam(col(UTF8), 'ab\ud83d')).message).toContain('code page 65001) cannot hold (U+D83D) at character 3 of the value');
    // the same characters into a 1252 column: the first one beyond it
    expect(refusal(() => planParam(col(LATIN1), 'naïve 😀')).message).toContain("cannot hold '😀' (U+1F600) at character 7 of the value");
  });

  it("ASCII passes into every code page; U+FFFD (bytes no code page defines) fits none but UTF-8", () => {
    const ascii = 'Lodz, O\'Hara & Co. ~ 100%';
    for (const cp of [437, 850, 874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258, 65001, 0]) {
      expect(planParam(col({ collation: 'X', codePage: cp }), ascii).value).toBe(ascii);
    }
    // U+FFFD: iconv-lite's own tables would give it back (they decode undefined bytes as U+FFFD)
    expect(refusal(() => planParam(col(LATIN1), 'a\ufffdb')).message).toContain('code page 1252) cannot hold \'\ufffd\' (U+FFFD) at character 2');
    // a code page rowback cannot check: nothing beyond ASCII is claimed to fit
    expect(refusal(() => planParam(col({ collation: 'Indic_General_90_CI_AS', codePage: 0 }), 'é')).message).toContain('code page 0) cannot hold \'é\' (U+00E9) at character 1 of the value: rowback cannot check code page 0 for characters beyond ASCII');
  });

  it('nchar/nvarchar/ntext columns hold UTF-16 whatever their collation: unaffected', () => {
    for (const type of ['nvarchar', 'nchar', 'ntext'] as const) {
      expect(planParam(col({ ...LATIN1, type, maxLength: 100 }), 'Łódź 😀').value).toBe('Łódź 😀');
    }
    // the same column as varchar refuses it
    expect(refusal(() => planParam(col(LATIN1), 'Łódź 😀')).code).toBe('REINSERT_BAD_VALUE');
  });

  it("a value decoded from the target column's own code page is not judged (every character decoded from it is one it holds)", () => {
    // 1252's byte 0x81, which Microsoft's table leaves undefined, is read as U+0081 (collation.ts
    // CP1252_80_9F) and goes back as that byte; iconv-lite's table lacks it
    const v = '€\u0081“”';
    expect(planParam(col(LATIN1), v, { codePage: 1252, collation: 'SQL_Latin1_General_CP1_CI_AS' }).value).toBe(v);
    // from another code page's column (1250's 0x81 is U+0081 too) it is judged: iconv-lite cannot say it fits
    expect(refusal(() => planParam(col(LATIN1), v, { codePage: 1250, collation: 'Polish_CI_AS' })).message).toContain('(U+0081) at character 2 of the value');
    // a code page not known for the target (absent: a catalog that does not say): not judged
    expect(planParam(col(), 'Łódź').value).toBe('Łódź');
  });

  it('the driver path and the script path are planned from the same refusal: the row is a problem, in neither', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Cities', keyColumns: ['Id'], columns: [col({ name: 'Id', type: 'int', maxLength: 4, nullable: false }), col(LATIN1)] };
    const plan = planReinsert([
      { id: 1, table: 'dbo.Cities', lsn: '0000002a:00000100:0001', values: { Id: 1, City: 'Łódź' } },
      { id: 2, table: 'dbo.Cities', lsn: '0000002a:00000100:0002', values: { Id: 2, City: 'Köln' } },
    ], new Map([['dbo.Cities', t]]), []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_BAD_VALUE']]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2]);
    const script = renderScript(plan);
    expect(script).toContain("NOT INCLUDED: row 1 (dbo.Cities, LSN 0000002a:00000100:0001): REINSERT_BAD_VALUE: column City (varchar(50), collation Latin1_General_CI_AS, code page 1252) cannot hold 'Ł' (U+0141) at character 1");
    expect(script).not.toContain('@r1_p');
    // 'Köln' fits 1252: the driver's value and the script's literal are the same text
    const p = plan.batches[0]!.rows[0]!.params.find((x) => x.column === 'City')!;
    expect(p.value).toBe('Köln');
    expect(script).toContain(`@r2_p2 nvarchar(50) = ${p.literal};`);
  });
});

describe('sql_variant: its char/varchar value keeps its own collation (variantTextParam), whatever the column says', () => {
  it("a varchar value of Polish_CI_AS inside a sql_variant goes back in that collation; a varchar column of a 1252 collation beside it refuses the same text", () => {
    const variant = { baseType: 'varchar', maxLength: 10, collation: 'Polish_CI_AS', value: 'Łódź' };
    // a sql_variant column is not character-based (sys.columns.collation_name NULL); even a code page
    // given for it is not the variant's: the server converts the text into the variant's own collation
    for (const v of [col({ name: 'V', type: 'sql_variant', collation: null, codePage: null }), col({ name: 'V', type: 'sql_variant', ...LATIN1 })]) {
      const p = planParam(v, variant);
      expect(p.wrap).toBe('CONVERT(varchar(10), @ COLLATE Polish_CI_AS)');
      expect(p.value).toBe('Łódź');
    }
    const t: TargetTable = { schema: 'dbo', name: 'Mixed', keyColumns: [], columns: [col({ name: 'V', type: 'sql_variant', collation: null, codePage: null }), col(LATIN1)] };
    const plan = planReinsert([{ id: 1, table: 'dbo.Mixed', lsn: '0000002a:00000100:0001', values: { V: variant, City: 'Łódź' } }], new Map([['dbo.Mixed', t]]), []);
    expect(plan.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^column City \(varchar\(50\), collation Latin1_General_CI_AS, code page 1252\) cannot hold 'Ł'/)]);
  });
});

describe("the target catalog reads each column's collation and code page", () => {
  it('the query reads collation_name and COLLATIONPROPERTY(…, \'CodePage\') as an int', () => {
    expect(targetColumnsSql(1)).toContain("c.collation_name, CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'CodePage')) AS code_page,");
  });

  it('tablesFromCatalog takes them from rows in the shape tedious gives (nvarchar → string, int → number, NULL → null)', () => {
    const row = (column: string, type_name: string, max_length: number, collation_name: string | null, code_page: number | null) => ({
      schema: 'dbo', table: 'Cities', column, column_id: 0, type_name, max_length, precision: 0, scale: 0, is_nullable: true, is_identity: false, is_computed: false, key_ordinal: 0, generated_always_type: 0, collation_name, code_page,
    });
    const t = tablesFromCatalog([
      row('Id', 'int', 4, null, null),
      row('City', 'varchar', 50, 'Latin1_General_CI_AS', 1252),
      row('CityN', 'nvarchar', 100, 'Latin1_General_CI_AS', 1252),
      row('CityU', 'varchar', 50, 'Latin1_General_100_CI_AS_SC_UTF8', 65001),
    ]).get('dbo.Cities')!;
    expect(t.columns.map((c) => [c.name, c.collation, c.codePage])).toEqual([
      ['Id', null, null], ['City', 'Latin1_General_CI_AS', 1252], ['CityN', 'Latin1_General_CI_AS', 1252], ['CityU', 'Latin1_General_100_CI_AS_SC_UTF8', 65001],
    ]);
    const plan = planReinsert([{ id: 1, table: 'dbo.Cities', lsn: '0000002a:00000100:0001', values: { Id: 1, City: 'Łódź', CityN: 'Łódź', CityU: 'Łódź' } }], new Map([['dbo.Cities', t]]), []);
    expect(plan.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^column City \(varchar\(50\), collation Latin1_General_CI_AS, code page 1252\) cannot hold 'Ł'/)]);
  });
});

/** The fixtures' layouts with dbo.LogTestTrailNull's varchar columns in `collation` (code page `codePage`). */
const collated = (collation: string, codePage: number) => (l: TableLayout): TableLayout => ({
  ...l,
  columns: l.columns.map((c) => (c.type === 'varchar' ? { ...c, collation, codePage } : c)),
});

describeCorpus("re-insert into a target column of another collation (the service, a FakeTarget's catalog)", () => {
  const env = storeAndTarget('rowback-target-codepage-');

  /** A job of the corpus rows with dbo.LogTestTrailNull's ColA in Polish_CI_AS, its first row holding 'Łódź', approved. */
  const polishJob = (): { jobId: number; lodz: number; count: number } => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    rows[0] = { ...rows[0]!, values: { ...rows[0]!.values, ColA: 'Łódź' } };
    env.store.stageBatch(job.id, rows);
    env.store.saveJobTables(job.id, Object.values(LAYOUTS).map(collated('Polish_CI_AS', 1250)));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const lodz = [...env.store.iterateRows(job.id, { status: 'approved' }, undefined)].find((r) => r.values.ColA === 'Łódź')!.id;
    return { jobId: job.id, lodz, count: rows.length };
  };
  /** A connection to the test's target whose tables (and `extra` side tables, copies of a table) have the fixtures' columns, varchar ones in `collation`. */
  const targetIn = (collation: string, codePage: number, extra: [string, string][] = []): FakeTarget => {
    const tables = new Map<string, TargetTable>(Object.entries(LAYOUTS).map(([k, l]) => [k, fromLayout(collated(collation, codePage)(l))]));
    for (const [key, from] of extra) {
      const [schema, name] = key.split('.') as [string, string];
      tables.set(key, { ...tables.get(from)!, schema, name });
    }
    return env.connectWith(tables);
  };
  const dryRunInto = (jobId: number, target: FakeTarget, tableMap?: Record<string, string>) =>
    new ReinsertService(env.store, { connect: () => target }).dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' }, ...(tableMap ? { tableMap } : {}) });

  it('a Latin1_General target column: the dry run and the run both refuse the row, naming it; the others go in', async () => {
    const { jobId, lodz, count } = polishJob();
    const target = targetIn('Latin1_General_CI_AS', 1252);
    const svc = new ReinsertService(env.store, { connect: () => target });
    const dry = await svc.dryRun(jobId, 'rev', { target: { connectionString: 'Server=fake' } });
    const held = dry.plan.problems.filter((p) => p.code === 'REINSERT_BAD_VALUE');
    expect(held.map((p) => p.rowId)).toEqual([lodz]);
    expect(held[0]!.message).toBe("column ColA (varchar(50), collation Latin1_General_CI_AS, code page 1252) cannot hold 'Ł' (U+0141) at character 1 of the value: code page 1252 has no such character, and the server would write '?' or a look-alike character in its place on INSERT, with no error; the value was decoded from code page 1250 (collation Polish_CI_AS): re-insert the row into a column that holds it (nvarchar, a _UTF8 collation, or the source's collation)");
    expect(dry.script).toContain(`NOT INCLUDED: row ${lodz} (dbo.LogTestTrailNull, LSN`);
    expect(dry.script).not.toMatch(/0x4101F300|Łódź/);
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    const vals = (target.db.prepare('SELECT row_id, vals FROM target_rows WHERE row_id IS NOT NULL').all() as { row_id: number; vals: string }[]);
    expect(vals).toHaveLength(count - 1);
    expect(vals.map((v) => v.row_id)).not.toContain(lodz);
  });

  it("a Polish_CI_AS target column (the source's collation) takes it, which a Latin1_General one refuses", async () => {
    const { jobId, lodz } = polishJob();
    expect((await dryRunInto(jobId, targetIn('Latin1_General_CI_AS', 1252))).plan.problems.map((p) => p.rowId)).toEqual([lodz]);
    const target = targetIn('Polish_CI_AS', 1250);
    expect((await dryRunInto(jobId, target)).plan.problems).toEqual([]);
    const svc = new ReinsertService(env.store, { connect: () => target });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    const got = target.db.prepare('SELECT vals FROM target_rows WHERE row_id = ?').get(lodz) as { vals: string };
    expect(JSON.parse(got.vals).ColA).toBe('Łódź');
  });

  it('a UTF-8 target column takes it, which a Cyrillic_General one refuses', async () => {
    const { jobId, lodz } = polishJob();
    expect((await dryRunInto(jobId, targetIn('Cyrillic_General_CI_AS', 1251))).plan.problems.map((p) => p.rowId)).toEqual([lodz]);
    expect((await dryRunInto(jobId, targetIn('Latin1_General_100_CI_AS_SC_UTF8', 65001))).plan.problems).toEqual([]);
  });

  it('a tableMap side table of a Cyrillic collation refuses it too', async () => {
    const { jobId, lodz } = polishJob();
    const target = targetIn('Cyrillic_General_CI_AS', 1251, [['recovery.LogTestTrailNull_back', 'dbo.LogTestTrailNull']]);
    const dry = await dryRunInto(jobId, target, { 'dbo.LogTestTrailNull': 'recovery.LogTestTrailNull_back' });
    expect(dry.plan.problems.map((p) => [p.rowId, p.code])).toEqual([[lodz, 'REINSERT_BAD_VALUE']]);
    expect(dry.plan.problems[0]!.message).toContain("column ColA (varchar(50), collation Cyrillic_General_CI_AS, code page 1251) cannot hold 'Ł' (U+0141) at character 1");
    expect(dry.plan.batches.length).toBeGreaterThan(0);
    expect(dry.plan.batches.every((b) => b.table === 'recovery.LogTestTrailNull_back')).toBe(true);
  });

  it('planned without a target, the source\'s collation is assumed: nothing refused, and the script says the collations were not read', async () => {
    const { jobId } = polishJob();
    const svc = new ReinsertService(env.store);
    const dry = await svc.dryRun(jobId, 'rev', {});
    expect(dry.plan.problems).toEqual([]);
    expect(dry.script).toContain("-- collations: not read without a target connection; each char/varchar/text column's is taken to be the source column's");
  });
});
