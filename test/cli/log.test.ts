import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { inspectFile } from '../../src/cli/commands/inspect.js';
import { ABSENT_EXPORT_COLUMNS, EXPORT_COLUMNS, compileLogFilter, logColumns } from '../../src/cli/commands/log.js';
import { InputError } from '../../src/errors.js';

const run = captureCli();
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const ANGULAR_LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const ANGULAR_MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const NORTHWIND_LDF = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
const TRN = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
const PUBS_BAK = corpusPath('pubs-2012', 'pubs.bak');

function ndjson(text: string): Array<Record<string, unknown>> {
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function countOps(rows: Array<Record<string, unknown>>): Record<string, number> {
  const c: Record<string, number> = {};
  for (const r of rows) c[r.Operation as string] = (c[r.Operation as string] ?? 0) + 1;
  return c;
}

describe('log: columns', () => {
  it('are the export script\'s columns in its order, minus the two the parser cannot fill', () => {
    // The #records SELECT of sql/export-log-records.sql, read from the script itself.
    const sql = readFileSync(join(repo, 'sql', 'export-log-records.sql'), 'utf8');
    const header = /N'"Current LSN",[^']*'/.exec(sql)![0];
    const scriptColumns = header.slice(2, -1).split(',').map((c) => c.replace(/"/g, ''));
    expect(scriptColumns.filter((c) => !(ABSENT_EXPORT_COLUMNS as readonly string[]).includes(c))).toEqual([...EXPORT_COLUMNS]);
    expect(logColumns(false).slice(0, EXPORT_COLUMNS.length)).toEqual([...EXPORT_COLUMNS]);
    expect(logColumns(true).at(-1)).toBe('AllocUnitName');
  });
});

describeCorpus('rowback log on corpus logs', () => {
  it.each([
    ['.ldf', ANGULAR_LDF],
    ['.trn', TRN],
    ['.bak', PUBS_BAK],
  ])('%s: every record, counts per operation equal inspect\'s', async (_kind, file) => {
    const r = await run('log', file, '--format', 'ndjson', '--quiet');
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    const inspected = await inspectFile(file);
    expect(rows.length).toBe(inspected.kind === 'data-file' ? -1 : inspected.log!.records);
    expect(countOps(rows)).toEqual(inspected.kind === 'data-file' ? {} : inspected.log!.countsByOperation);
  });

  it('.ldf: records in LSN order, as fn_dblog lists them, though the log wrapped around the file (VLFs 37, 35, 36 in file order)', async () => {
    // before: file order, the newest VLF (37) first
    const rows = ndjson((await run('log', ANGULAR_LDF, '--format', 'ndjson', '--quiet')).stdout);
    const lsns = rows.map((x) => x['Current LSN'] as string);
    expect(lsns[0]).toBe('00000023:00000010:0001');
    expect([...lsns].sort()).toEqual(lsns);
    expect(new Set(lsns.map((l) => l.slice(0, 8)))).toEqual(new Set(['00000023', '00000024', '00000025']));
  });

  it('--operation/--table/--from-lsn filter; AllocUnitName from --mdf; the same table named three ways', async () => {
    const all = ndjson((await run('log', ANGULAR_LDF, '--format', 'ndjson', '--quiet')).stdout);
    const deletes = all.filter((x) => x.Operation === 'LOP_DELETE_ROWS');
    expect(deletes.length).toBeGreaterThan(0);
    const onlyDeletes = ndjson((await run('log', ANGULAR_LDF, '--format', 'ndjson', '--quiet', '--operation', 'delete_rows')).stdout);
    expect(onlyDeletes.map((x) => x['Current LSN'])).toEqual(deletes.map((x) => x['Current LSN']));

    const outs: string[] = [];
    for (const name of ['dbo.Employee', '[dbo].[Employee]', '"dbo"."Employee"']) {
      const r = await run('log', ANGULAR_LDF, '--mdf', ANGULAR_MDF, '--table', name, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet');
      expect(r.code).toBe(0);
      outs.push(r.stdout);
    }
    expect(new Set(outs).size).toBe(1);
    const employee = ndjson(outs[0]);
    expect(employee.length).toBeGreaterThan(0);
    expect(employee.length).toBeLessThan(deletes.length); // tblDept's deletes are left out
    for (const e of employee) expect(e.AllocUnitName).toBe('dbo.Employee');
    const au = employee[0].AllocUnitId as string;
    expect(employee.map((x) => x['Current LSN'])).toEqual(deletes.filter((x) => x.AllocUnitId === au).map((x) => x['Current LSN']));

    const from = deletes[1]['Current LSN'] as string;
    const to = deletes[2]['Current LSN'] as string;
    const window = ndjson((await run('log', ANGULAR_LDF, '--operation', 'LOP_DELETE_ROWS', '--from-lsn', from, '--to-lsn', to, '--format', 'ndjson', '--quiet')).stdout);
    expect(window.map((x) => x['Current LSN'])).toEqual([from, to]);
  });

  it('--table with --schema: every partition of the table (catalog JSON has one layout per partition), not only the first', async () => {
    const deletes = ndjson((await run('log', ANGULAR_LDF, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet')).stdout);
    const aus = [...new Set(deletes.map((x) => x.AllocUnitId as string))];
    expect(aus.length).toBe(2);
    // SYNTHETIC catalog JSON: a two-partition table dbo.P whose partitions are the allocation units
    // of the corpus log's two tables (the log command filters by allocation unit id only).
    const row = (partition: number, au: string) => ({
      schema_name: 'dbo', table_name: 'P', index_id: 1, partition_id: String(72057594000000000 + partition), partition_number: partition,
      in_row_alloc_unit_id: au, partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'int', max_length: 4, precision: 10, scale: 0,
      collation_name: null, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, is_dropped: false, is_sparse: false, is_uniqueifier: false,
    });
    const dir = mkdtempSync(join(tmpdir(), 'rowback-log-parts-'));
    const schema = join(dir, 'p.json');
    writeFileSync(schema, JSON.stringify([row(1, aus[0]), row(2, aus[1])]));
    const r = await run('log', ANGULAR_LDF, '--schema', schema, '--table', 'dbo.P', '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet');
    expect(r.code).toBe(0);
    const got = ndjson(r.stdout);
    // before: only partition 1's records (aus[0]) were listed
    expect(got.map((x) => x['Current LSN'])).toEqual(deletes.map((x) => x['Current LSN']));
    expect(new Set(got.map((x) => x.AllocUnitName))).toEqual(new Set(['dbo.P']));
  });

  it('--transaction keeps that transaction\'s records; Windows SIDs get their S-1-… text', async () => {
    const all = ndjson((await run('log', ANGULAR_LDF, '--format', 'ndjson', '--quiet')).stdout);
    const begin = all.find((x) => x.Operation === 'LOP_BEGIN_XACT' && x['Transaction SID'])!;
    expect(begin['Transaction SID Text']).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
    const id = begin['Transaction ID'] as string;
    const r = ndjson((await run('log', ANGULAR_LDF, '--transaction', id.toUpperCase(), '--format', 'ndjson', '--quiet')).stdout);
    expect(r.map((x) => x['Current LSN'])).toEqual(all.filter((x) => x['Transaction ID'] === id).map((x) => x['Current LSN']));
  });

  it('CSV: header is the column list, rows parse back to the ndjson values', async () => {
    const r = await run('log', ANGULAR_LDF, '--format', 'CSV', '--operation', 'LOP_DELETE_ROWS', '--quiet', '--csv-raw');
    expect(r.code).toBe(0);
    const lines = parse(r.stdout) as string[][];
    expect(lines[0]).toEqual(logColumns(false));
    const j = ndjson((await run('log', ANGULAR_LDF, '--format', 'ndjson', '--operation', 'LOP_DELETE_ROWS', '--quiet')).stdout);
    expect(lines.length - 1).toBe(j.length);
    const raw0 = lines[0].indexOf('RowLog Contents 0');
    expect(lines.slice(1).map((l) => l[raw0])).toEqual(j.map((x) => x['RowLog Contents 0']));
  });

  it('--out writes the file; the summary goes to stderr', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-log-')), 'log.csv');
    const r = await run('log', TRN, '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const rows = parse(readFileSync(out, 'utf8')) as string[][];
    expect(r.stderr).toContain(`rowback log: ${rows.length - 1} of ${rows.length - 1} record(s) printed`);
  });

  it('a log backup given twice is printed once (its records counted as held by two copies, not as repeated at a boundary)', async () => {
    const once = await run('log', TRN, '--format', 'ndjson', '--quiet');
    const twice = await run('log', TRN, TRN, '--format', 'ndjson');
    expect(twice.stdout).toBe(once.stdout);
    const n = ndjson(once.stdout).length;
    expect(twice.stderr).toContain(`rowback log: ${n} of ${2 * n} record(s) printed; ${n} held by more than one copy of a log backup printed once`);
    expect(twice.stderr).not.toContain('repeated at a log-backup boundary');
  });

  it('refusals are one line with nothing on stdout', async () => {
    expectOneLineError(await run('log', corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.LDF')), 'FORMAT_UNSUPPORTED_LOG_VERSION');
    expectOneLineError(await run('log', ANGULAR_LDF, '--table', 'dbo.Employee'), 'INPUT_NO_METADATA');
    expectOneLineError(await run('log', ANGULAR_LDF, '--mdf', ANGULAR_MDF, '--table', 'dbo.Nope'), 'INPUT_UNKNOWN_TABLE');
    expectOneLineError(await run('log', ANGULAR_LDF, '--format', 'xml'), 'INPUT_BAD_OPTION');
    expectOneLineError(await run('log', ANGULAR_LDF, '--from-lsn', 'zz'), 'INPUT_BAD_LSN');
    // fn_dblog's decimal parameter form or its printed hex cut short: two records, so refused
    expect(expectOneLineError(await run('log', ANGULAR_LDF, '--from-lsn', '19:99:2'), 'INPUT_AMBIGUOUS_LSN')).toContain('give 00000019:00000099:0002 or dec:19:99:2');
    expectOneLineError(await run('log', ANGULAR_LDF, '--transaction', '12'), 'INPUT_BAD_OPTION');
    expectOneLineError(await run('log', ANGULAR_MDF), 'INPUT_BAD_OPTION');
    expectOneLineError(await run('log', NORTHWIND_LDF, '--mdf', ANGULAR_MDF), 'INPUT_MIXED_DATABASES');
  });

  it('streams: on a 3 MB log it waits for a slow reader instead of reading ahead, and prints every record', async () => {
    const inspected = await inspectFile(NORTHWIND_LDF);
    const expected = inspected.kind === 'log' ? inspected.log!.records : -1;
    expect(expected).toBeGreaterThan(10_000);
    const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), 'log', NORTHWIND_LDF, '--format', 'ndjson', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let exited = false;
    const done = new Promise<number>((res) => child.on('exit', (c) => ((exited = true), res(c ?? -1))));
    // Read the first chunk, then stop reading: the output (MBs) is far beyond a pipe's buffer,
    // so a streaming writer must block on backpressure and still be running.
    const first = await new Promise<Buffer>((res) => child.stdout.once('data', res));
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 1500));
    expect(exited).toBe(false);
    let lines = first.toString('utf8').split('\n').length - 1;
    child.stdout.on('data', (b: Buffer) => {
      for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
    });
    child.stdout.resume();
    expect(await done).toBe(0);
    expect(lines).toBe(expected);
  }, 60_000);
});

describe('log: not a file', () => {
  it('a missing file is one line', async () => {
    expectOneLineError(await run('log', '/nonexistent/x.ldf'), 'INPUT_FILE_UNREADABLE');
  });
});

describe('rowback log --operation/--context names', () => {
  it('a name fn_dblog never prints is refused (a typo would print 0 records as if the log had none)', () => {
    const base = { allocUnit: [] as string[], transaction: [] as string[] };
    expect(() => compileLogFilter({ ...base, operation: ['LOP_DELETE_ROW'], context: [] }, null)).toThrow(/--operation 'LOP_DELETE_ROW'.*LOP_DELETE_ROWS/);
    expect(() => compileLogFilter({ ...base, operation: ['FOO'], context: [] }, null)).toThrow(InputError);
    expect(() => compileLogFilter({ ...base, operation: [], context: ['LCX_CLUSTER'] }, null)).toThrow(/--context 'LCX_CLUSTER'.*LCX_CLUSTERED/);
    const f = compileLogFilter({ ...base, operation: ['delete_rows', 'LOP_UNKNOWN_200'], context: ['heap'] }, null);
    expect([...f.operations!]).toEqual(['LOP_DELETE_ROWS', 'LOP_UNKNOWN_200']);
    expect([...f.contexts!]).toEqual(['LCX_HEAP']);
  });
});
