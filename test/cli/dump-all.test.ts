/** `rowback dump --all` and several --table: every user table from one metadata read, rows as a per-table dump prints them. */
import { Sink } from '../support/text-sink.js';
import { describe, expect, it } from 'vitest';
import { runDump, type DumpOptions } from '../../src/cli/commands/dump.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';


async function dump(opts: Partial<DumpOptions>) {
  const out = new Sink();
  const err = new Sink();
  const res = await runDump({ format: 'ndjson', quiet: true, ...opts } as DumpOptions, out, err);
  return { ...res, out: out.text, err: err.text };
}

const PUBS = () => corpusPath('pubs-2012', 'pubs.bak');
const TSQLV4 = () => corpusPath('TSQLV4-compressed', 'TSQLV4.bak');

describe('dump --all / several --table: arguments', () => {
  it('needs --table or --all, not both; CSV takes one table', async () => {
    await expect(runDump({ bak: 'x.bak', format: 'ndjson' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ bak: 'x.bak', all: true, table: 'dbo.T', format: 'ndjson' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ bak: 'x.bak', all: true, format: 'csv' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(runDump({ bak: 'x.bak', table: ['dbo.A', 'dbo.B'], format: 'csv' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
  });
});

describeCorpus('dump --all on corpus backups', () => {
  it('pubs-2012: every user table, each exactly as its own --table dump prints it', async () => {
    const all = await dump({ bak: PUBS(), all: true });
    expect(all.tables.map((t) => [t.table, t.rows])).toEqual([
      ['dbo.authors', 26], ['dbo.bookstock', 108], ['dbo.discounts', 3], ['dbo.employee', 43], ['dbo.EstadosMexicanos', 32],
      ['dbo.jobs', 14], ['dbo.pub_info', 8], ['dbo.publishers', 8], ['dbo.roysched', 86], ['dbo.sales', 23], ['dbo.stores', 6],
      ['dbo.sysdiagrams', 0], ['dbo.titleauthor', 26], ['dbo.titles', 19], ['dbo.Usuarios', 1],
    ]);
    expect(all.rows).toBe(403);
    let joined = '';
    for (const t of all.tables) joined += (await dump({ bak: PUBS(), table: t.table })).out;
    expect(all.out).toBe(joined);
  }, 60_000);

  it('pubs-2012: several --table in the order given, a repeated one once', async () => {
    const two = await dump({ bak: PUBS(), table: ['titles', 'dbo.authors', 'dbo.titles'] });
    expect(two.tables.map((t) => [t.table, t.rows])).toEqual([['dbo.titles', 19], ['dbo.authors', 26]]);
    const lines = two.out.trim().split('\n').map((l) => JSON.parse(l) as { table: string });
    expect(lines.length).toBe(45);
    expect(lines[0].table).toBe('dbo.titles');
    expect(lines[44].table).toBe('dbo.authors');
    await expect(dump({ bak: PUBS(), table: ['dbo.titles', 'dbo.nope'] })).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
  }, 60_000);

  it("TSQLV4 (compressed backup): 16 tables, the sample database's known row counts, one JSON array", async () => {
    const out = new Sink();
    const res = await runDump({ bak: TSQLV4(), all: true, format: 'json', quiet: true }, out, new Sink());
    const counts = Object.fromEntries(res.tables.map((t) => [t.table, t.rows]));
    expect(res.tables.length).toBe(16);
    expect(counts).toMatchObject({ 'Sales.Orders': 830, 'Sales.OrderDetails': 2155, 'Sales.Customers': 91, 'Production.Products': 77, 'HR.Employees': 9, 'Sales.Shippers': 3, 'Production.Categories': 8, 'Production.Suppliers': 29, 'dbo.Nums': 100000 });
    const rows = JSON.parse(out.text) as Array<{ table: string }>;
    expect(rows.length).toBe(res.rows);
    expect(rows.filter((r) => r.table === 'Sales.Orders').length).toBe(830);
  }, 120_000);
});
