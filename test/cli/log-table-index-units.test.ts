/**
 * `rowback log --table T` lists the records on T's nonclustered indexes too (their allocation units
 * from the data file's or backup's catalog: datafile/metadata.ts indexAllocUnits), and AllocUnitName
 * names such a unit as fn_dblog does, `schema.table.index`. Before, --table listed the table's heap
 * or clustered units alone: a table's index rows (LCX_INDEX_LEAF inserts and deletes) went unlisted,
 * without a word, and unfiltered their AllocUnitName was empty. REAL NORTHWND.MDF (its catalog);
 * SYNTHETIC .ldf (synthetic-log.ts) whose records are on the allocation unit of dbo.[Order Details]'
 * index OrderID, as no log of the corpus holds records on an index unit of its own data file's
 * tables (checked: every .mdf/.ldf pair and every .bak read with its own catalog). A catalog JSON
 * (`--schema`) lists heaps and clustered indexes only: with --table that is said.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { suiteTempDir } from '../support/temp-dir.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { indexUnitNames } from '../../src/cli/commands/log.js';

const run = captureCli();
const MDF = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
const dir = suiteTempDir('rowback-log-index-');
type Rec = Record<string, string | null>;
const ndjson = (text: string): Rec[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);

describeCorpus('log --table: a table\'s nonclustered index records, named schema.table.index', () => {
  let ldf: string;
  let unit: string;
  // every record of the log, read in the first test that asks (captureCli's capture runs in tests, not in beforeAll)
  let all: Rec[] | undefined;
  const allRecords = async (): Promise<Rec[]> => (all ??= ndjson((await run('log', ldf, '--format', 'ndjson', '--quiet')).stdout));
  beforeAll(() => {
    const source = new MdfPageSource(MDF);
    try {
      unit = readDataFileMetadata(source).indexAllocUnits.find((u) => u.name === 'Order Details' && u.indexName === 'OrderID')!.allocUnitId;
    } finally {
      source.close();
    }
    ldf = join(dir(), 'nw_log.ldf');
    writeSyntheticLdf(ldf, { targetBytes: 600_000, row: contactRow, rollbackShare: 0, concurrency: 1, finishAtEnd: true }, { allocUnitId: unit, vlfSize: 256 * 1024 });
  });

  it('--table dbo.[Order Details] lists the records on its index OrderID, named dbo.Order Details.OrderID', async () => {
    const onUnit = (await allRecords()).filter((r) => r.AllocUnitId === unit);
    expect(onUnit.length).toBeGreaterThan(100);
    const r = await run('log', ldf, '--mdf', MDF, '--table', 'dbo.[Order Details]', '--format', 'ndjson', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const got = ndjson(r.stdout);
    // before: none of them
    expect(got.map((x) => x['Current LSN'])).toEqual(onUnit.map((x) => x['Current LSN']));
    expect(new Set(got.map((x) => x.AllocUnitName))).toEqual(new Set(['dbo.Order Details.OrderID']));
    // another table's filter takes none of them
    const other = await run('log', ldf, '--mdf', MDF, '--table', 'dbo.Orders', '--format', 'ndjson', '--quiet');
    expect(ndjson(other.stdout)).toEqual([]);
  });

  it('the table format names the unit as messages name a table, then the index: dbo.[Order Details].OrderID', async () => {
    const r = await run('log', ldf, '--mdf', MDF, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').slice(1).filter((l) => l.includes(unit));
    expect(lines.length).toBe((await allRecords()).filter((x) => x.AllocUnitId === unit).length);
    for (const l of lines) expect(l).toContain(` ${unit}   dbo.[Order Details].OrderID `);
  });

  it('with --schema (heaps and clustered indexes only) and --table, the note says index records are not listed', async () => {
    // SYNTHETIC catalog JSON naming the unit of the CONTACT table (synthetic-contact.ts), no index
    const schema = join(dir(), 'contact.json');
    writeFileSync(schema, JSON.stringify([{
      schema_name: 'dbo', table_name: 'Contact', index_id: 1, partition_id: '72057594000000001', partition_number: 1,
      in_row_alloc_unit_id: CONTACT_AU, partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'int', max_length: 4, precision: 10, scale: 0,
      collation_name: null, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, is_dropped: false, is_sparse: false, is_uniqueifier: false,
    }]));
    const r = await run('log', ldf, '--schema', schema, '--table', 'dbo.Contact', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("rowback log: note: --schema's catalog JSON names no allocation unit of a table's nonclustered indexes: records on them (LCX_INDEX_LEAF) are not listed for dbo.Contact; --mdf or --bak names them");
  });
});

describe('indexUnitNames: a nonclustered index unit\'s AllocUnitName, as data and as the table format shows it', () => {
  it.each([
    [{ schema: 'dbo', name: 'Orders', indexId: 2, indexName: 'CustomerID' }, 'dbo.Orders.CustomerID', 'dbo.Orders.CustomerID'],
    [{ schema: 'dbo', name: 'Order Details', indexId: 2, indexName: 'OrderID' }, 'dbo.Order Details.OrderID', 'dbo.[Order Details].OrderID'],
    [{ schema: 'dbo', name: 'T', indexId: 3, indexName: 'IX a\nb' }, 'dbo.T.IX a\nb', 'dbo.T.[IX a\\u{a}b]'],
    // a real index may be named `index_id 5` or `(index_id 5)`: an unnamed one is null as data, and
    // shown in a form no name takes (a name holding a space or a parenthesis is bracketed)
    [{ schema: 'dbo', name: 'T', indexId: 5, indexName: null }, null, 'dbo.T.(index_id 5)'],
    [{ schema: 'dbo', name: 'T', indexId: 5, indexName: '(index_id 5)' }, 'dbo.T.(index_id 5)', 'dbo.T.[(index_id 5)]'],
    [{ schema: 'dbo', name: 'T', indexId: 5, indexName: 'index_id 5' }, 'dbo.T.index_id 5', 'dbo.T.[index_id 5]'],
  ])('%j → %j, %j', (u, data, shown) => {
    expect(indexUnitNames(u)).toEqual({ data, shown });
  });
});
