import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sink } from '../support/text-sink.js';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runDump, type DumpOptions } from '../../src/cli/commands/dump.js';
import { buildProgram } from '../../src/cli/main.js';
import { InputError } from '../../src/errors.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';


const NORTHWND = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');

async function dump(opts: Partial<DumpOptions>) {
  const out = new Sink();
  const err = new Sink();
  const res = await runDump({ table: 'dbo.Shippers', format: 'ndjson', ...opts } as DumpOptions, out, err);
  return { ...res, out: out.text, err: err.text };
}

describe('rowback dump: arguments', () => {
  it('is registered with its options', async () => {
    const cmd = (await buildProgram(['dump'])).commands.find((c) => c.name() === 'dump')!;
    const flags = cmd.options.map((o) => o.long);
    expect(flags).toEqual(expect.arrayContaining(['--mdf', '--bak', '--table', '--include-ghosts', '--format', '--out', '--quiet']));
  });

  it('needs exactly one of --mdf / --bak, and a readable file', async () => {
    await expect(runDump({ table: 'x', format: 'ndjson' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ mdf: 'a', bak: 'b', table: 'x', format: 'ndjson' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ mdf: '/nonexistent.mdf', table: 'x', format: 'ndjson' })).rejects.toBeInstanceOf(InputError);
  });
});

describeCorpus('rowback dump on the corpus', () => {
  it('NDJSON: one object per row with table, page, slot, ghost and values; summary on stderr', async () => {
    const r = await dump({ mdf: NORTHWND(), table: 'dbo.Shippers' });
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      table: 'dbo.Shippers',
      page: '1:289',
      slot: 0,
      ghost: false,
      values: { ShipperID: 1, CompanyName: 'Speedy Express', Phone: '(503) 555-9831' },
    });
    expect(r.err).toContain('rowback dump: dbo.Shippers: 3 row(s)');
    expect(r.skipped).toEqual([]);
  });

  it('CSV (csv-stringify) with a header of the visible columns, then page and slot, ghost column with --include-ghosts', async () => {
    const r = await dump({ mdf: NORTHWND(), table: 'Region', format: 'csv', includeGhosts: true });
    const rows = parse(r.out) as string[][];
    expect(rows[0]).toEqual(['RegionID', 'RegionDescription', 'page', 'slot', 'ghost', 'warnings']);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual(['1', 'Eastern'.padEnd(50), expect.stringMatching(/^1:\d+$/), '0', '0', '']);
  });

  it('JSON array to --out FILE; --quiet prints nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rowback-dump-')), 'orders.json');
    const r = await dump({ mdf: NORTHWND(), table: 'dbo.Orders', format: 'json', out: file, quiet: true });
    expect(r.out).toBe('');
    expect(r.err).toBe('');
    const arr = JSON.parse(readFileSync(file, 'utf8')) as Array<{ values: Record<string, unknown> }>;
    expect(arr).toHaveLength(830);
    expect(arr[0].values).toMatchObject({ OrderID: 10248, CustomerID: 'VINET', ShipCity: 'Reims', OrderDate: '1996-07-04T00:00:00.000' });
  });

  it('--mdf with the primary files of two databases (both file id 1) is refused as two databases, not as one database\'s files with a repeated id', async () => {
    await expect(dump({ mdf: [NORTHWND(), corpusPath('sql-practice-asp', 'App_Data', 'School.mdf')] })).rejects.toMatchObject({ code: 'INPUT_MIXED_DATABASES' });
  });

  it('--include-remnants: deleted records carved from the page bodies, flagged remnant with their offset', async () => {
    const r = await dump({ mdf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), table: 'dbo.tblDept', includeRemnants: true });
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const remnants = lines.filter((l) => l.remnant);
    expect(lines.length - remnants.length).toBe(8);
    expect(remnants.length).toBeGreaterThanOrEqual(13);
    expect(remnants[0]).toMatchObject({ table: 'dbo.tblDept', slot: -1, remnant: true });
    expect(typeof remnants[0].offset).toBe('number');
    expect(r.err).toMatch(/remnant\(s\) carved/);
  });

  it('--include-ghosts --include-remnants: the rows flagged ghost are the summary\'s ghosts; a remnant is never ghost, its record status is recordStatus', async () => {
    const r = await dump({ mdf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), table: 'dbo.Employee', includeGhosts: true, includeRemnants: true });
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const ghosts = lines.filter((l) => l.ghost).length;
    const remnants = lines.filter((l) => l.remnant);
    expect(r.tables[0]).toMatchObject({ rows: lines.length, ghosts, remnants: remnants.length });
    expect(r.err).toContain(`${lines.length} row(s), ${ghosts} of them ghost (deleted, not yet cleaned up), ${remnants.length} remnant(s)`);
    expect(remnants.length).toBeGreaterThan(0);
    for (const x of remnants) expect(x).toMatchObject({ ghost: false, slot: -1, recordStatus: expect.stringMatching(/^(ghost|primary)$/), offset: expect.any(Number) });
    expect(remnants.some((x) => x.recordStatus === 'ghost')).toBe(true);
  });

  it('CSV --include-remnants: page, slot, offset and recordStatus trace each remnant; NULL values are empty unquoted cells (read back as null), as the NDJSON says', async () => {
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const csv = await dump({ mdf, table: 'dbo.Employee', includeRemnants: true, format: 'csv' });
    const nd = (await dump({ mdf, table: 'dbo.Employee', includeRemnants: true })).out.trim().split('\n').map((l) => JSON.parse(l));
    const recs = parse(csv.out, { columns: true, cast: (v: string, ctx: { quoting: boolean; header: boolean }) => (ctx.header || ctx.quoting || v !== '' ? v : null) }) as Array<Record<string, string | null>>;
    expect(Object.keys(recs[0])).toEqual(['Emp_Id', 'Emp_Name', 'Emp_City', 'Emp_Age', 'page', 'slot', 'ghost', 'remnant', 'offset', 'recordStatus', 'warnings']);
    expect(recs).toHaveLength(nd.length);
    recs.forEach((c, i) => {
      const n = nd[i];
      expect(c).toMatchObject({ page: n.page, slot: String(n.slot), ghost: n.ghost ? '1' : '0', remnant: n.remnant ? '1' : '0', offset: n.remnant ? String(n.offset) : null, recordStatus: n.recordStatus ?? null });
      for (const k of ['Emp_Name', 'Emp_City']) expect(c[k]).toBe(n.values[k]);
    });
    const ten = recs.find((c) => c.Emp_Id === '10' && c.remnant === '1')!;
    expect(ten).toMatchObject({ Emp_Name: null, Emp_City: null, Emp_Age: null });
  });

  it('an unknown table is a usage error naming the known ones', async () => {
    await expect(dump({ mdf: NORTHWND(), table: 'dbo.Nope' })).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
  });

  it('a file that is not a data file is refused (INPUT_NOT_A_DATA_FILE)', async () => {
    await expect(dump({ mdf: corpusPath('northwind-script', 'instnwnd.sql') })).rejects.toMatchObject({ code: 'INPUT_NOT_A_DATA_FILE' });
  });

  it('--bak: the data pages of a full backup (RestoreTimeClean.bak, SQL Server 2008 R2, dbi_version 661)', async () => {
    const r = await dump({ bak: corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), table: 'dbo.steps' });
    // the full backup was taken right after the table was created: no rows yet
    expect(r.rows).toBe(0);
    expect(r.skipped).toEqual([]);
    expect(r.err).toContain('dbo.steps: 0 row(s)');
  });

  it('--bak FULL DIFF: the differential over its full backup gives the rows as of the differential', async () => {
    const dir = ['appveyor-lab', 'RestoreTimeClean'];
    const r = await dump({ bak: [corpusPath(...dir, 'RestoreTimeClean.bak'), corpusPath(...dir, 'RestoreTimeClean2.bak')], table: 'dbo.steps' });
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l).values);
    // the corpus README's truth: one row every 30 s from (0, 2017-06-01 12:59:12.970)
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({ step: 0, dt: '2017-06-01T12:59:12.9700000' });
    expect(rows[1]).toEqual({ step: 1, dt: '2017-06-01T12:59:42.9730000' });
    rows.forEach((v, i) => expect(v.step).toBe(i));
    expect(r.skipped).toEqual([]);
  });
});
