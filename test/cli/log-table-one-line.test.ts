/**
 * `rowback log`'s default table format (stdout, for a person) is one line per log record, and names
 * a table as every other message does (util/identifier-text.ts tableText: `dbo.[Order Details]`).
 * Before, its AllocUnitName cell was the raw `schema.name`: a table whose name holds a line break
 * printed a second, forged line (`LOP_DELETE_ROWS …` that is no record), and a name with a space or a
 * dot read as two words or three parts. REAL log (AngularJs_CRUD's Database1_log.ldf, its two tables'
 * deletes); SYNTHETIC catalog JSON naming those allocation units (the log command names records by
 * allocation unit id only), as test/cli/log.test.ts does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { suiteTempDir } from '../support/temp-dir.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { CONTEXT_NAMES, OPERATION_NAMES } from '../../src/logreader/ldf/constants.js';

const run = captureCli();
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const dir = suiteTempDir('rowback-log-table-');

const catalogRow = (table: string, au: string, objectId: number) => ({
  schema_name: 'dbo', table_name: table, object_id: objectId, index_id: 1, partition_id: String(72057594000000000 + objectId), partition_number: 1,
  in_row_alloc_unit_id: au, partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'int', max_length: 4, precision: 10, scale: 0,
  collation_name: null, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, is_dropped: false, is_sparse: false, is_uniqueifier: false,
});

describeCorpus('rowback log, table format: one line per record, tables named as one name each', () => {
  it('a table named with a line break, a space or a dot prints one line per record, the name bracketed', async () => {
    const all = (await run('log', LDF, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const aus = [...new Set(all.map((x) => x.AllocUnitId))];
    expect(aus.length).toBe(2);
    const forged = 'P\n00000023:00000099:0001 LOP_DELETE_ROWS';
    const schema = join(dir(), 'names.json');
    writeFileSync(schema, JSON.stringify([catalogRow(forged, aus[0]!, 1), catalogRow('Order Details.x', aus[1]!, 2)]));
    const r = await run('log', LDF, '--schema', schema, '--operation', 'LOP_DELETE_ROWS', '--quiet');
    expect(r.code).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    // the header, then one line per delete record, in LSN order
    expect(lines.length).toBe(1 + all.length);
    expect(lines.slice(1).map((l) => l.slice(0, 22))).toEqual(all.map((x) => x['Current LSN']));
    const byAu = (au: string) => lines.slice(1).filter((l) => l.includes(au));
    expect(byAu(aus[0]!).length).toBeGreaterThan(0);
    for (const l of byAu(aus[0]!)) expect(l).toContain('dbo.[P\\u{a}00000023:00000099:0001 LOP_DELETE_ROWS]');
    for (const l of byAu(aus[1]!)) expect(l).toContain('dbo.[Order Details.x]');
    // csv and ndjson carry the name as data, unchanged
    const nd = (await run('log', LDF, '--schema', schema, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(new Set(nd.map((x) => x.AllocUnitName))).toEqual(new Set([`dbo.${forged}`, 'dbo.Order Details.x']));
  });

  it('a transaction name holding a line break (BEGIN TRAN @name takes any text) prints one line per record', async () => {
    // SYNTHETIC .ldf (synthetic-log.ts): transaction 1 named with a line break and a forged record after it
    const ldf = join(dir(), 'crm_log.ldf');
    const forged = 'DEL\n00000099:00000001:0001 LOP_DELETE_ROWS';
    writeSyntheticLdf(ldf, { targetBytes: 300_000, row: contactRow, rollbackShare: 0, concurrency: 1, finishAtEnd: true, transactionName: (t) => (t === 1 ? forged : 'DELETE') }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
    const begins = (await run('log', ldf, '--operation', 'LOP_BEGIN_XACT', '--format', 'ndjson', '--quiet')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(begins.map((b) => b['Transaction Name'])).toContain(forged);
    const r = await run('log', ldf, '--operation', 'LOP_BEGIN_XACT', '--quiet');
    expect(r.code).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    expect(lines.length).toBe(1 + begins.length);
    expect(lines.slice(1).map((l) => l.slice(0, 22))).toEqual(begins.map((x) => x['Current LSN']));
    expect(lines.filter((l) => l.includes('DEL\\u{a}00000099:00000001:0001 LOP_DELETE_ROWS'))).toHaveLength(1);
  });

  // The header named `Transaction ID` (14 characters) over values of 13: every header after it
  // stood one column right of its cells (`AllocUnitId` over the id's second digit), misleading a
  // reader lining values up by eye. REAL log and data file (AngularJs_CRUD).
  it('each header starts where its cells start (the header named over its own values)', async () => {
    const r = await run('log', LDF, '--mdf', MDF, '--quiet');
    expect(r.code).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    const header = lines[0]!;
    const at = (name: string) => {
      const p = `${header} `.indexOf(`${name} `);
      expect(p, name).toBeGreaterThan(-1);
      return p;
    };
    const nd = (await run('log', LDF, '--mdf', MDF, '--format', 'ndjson', '--quiet')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string | number | null>);
    const del = nd.find((x) => x.Operation === 'LOP_DELETE_ROWS')!;
    const begin = nd.find((x) => x.Operation === 'LOP_BEGIN_XACT')!;
    const lineOf = (x: Record<string, unknown>) => lines.find((l) => l.startsWith(`${String(x['Current LSN'])} `))!;
    const cells: Array<[Record<string, string | number | null>, string, string]> = [
      [del, 'Transaction ID', String(del['Transaction ID'])],
      [del, 'AllocUnitId', String(del.AllocUnitId)],
      [del, 'AllocUnitName', 'dbo.Employee'],
      [del, 'Page ID', String(del['Page ID'])],
      [del, 'Slot ID', String(del['Slot ID'])],
      [begin, 'Begin Time', String(begin['Begin Time'])],
      [begin, 'Transaction Name', String(begin['Transaction Name'])],
      [begin, 'SPID', String(begin.SPID)],
      [begin, 'Transaction SID', String(begin['Transaction SID Text'])],
      // the row image stood under `Transaction SID`, the empty SID cell taking no width
      [del, 'RowLog Contents 0', String(del['RowLog Contents 0']).slice(0, 50)],
    ];
    expect(del.AllocUnitName).toBe('dbo.Employee');
    for (const [x, column, value] of cells) expect(lineOf(x).slice(at(column), at(column) + value.length), column).toBe(value);
  });

  // A context or operation name longer than its column (LCX_RESTORE_BAD_UNALLOC_PAGE, 28 characters,
  // in a column of 18) pushed that line's later cells right of their headers. The columns are as wide
  // as the longest name rowback knows. REAL log (AngularJs_CRUD) for the header.
  it('the Operation and Context columns hold the longest names rowback knows', async () => {
    const header = (await run('log', LDF, '--quiet')).stdout.split('\n')[0]!;
    const width = (name: string, next: string) => header.indexOf(` ${next}`) - header.indexOf(name);
    expect(width('Operation', 'Context')).toBeGreaterThanOrEqual(Math.max(...[...OPERATION_NAMES.values()].map((n) => n.length)));
    expect(width('Context', 'Transaction ID')).toBeGreaterThanOrEqual('LCX_RESTORE_BAD_UNALLOC_PAGE'.length);
    expect(width('Context', 'Transaction ID')).toBeGreaterThanOrEqual(Math.max(...[...CONTEXT_NAMES.values()].map((n) => n.length)));
  });
});
