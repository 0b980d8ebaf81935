/**
 * A user table whose sys.sysschobjs status has bit 0x1 (is_ms_shipped) set is SQL Server's own table
 * to the table list, which lists type U objects not so marked (replication and change data capture
 * tables are marked). One changed bit of dbo.Customers' status on NORTHWND.MDF's sysschobjs page 1:372
 * (torn-page bits only, so no check sees it) made `dump --all --strict` print 12 tables, exit 0, its
 * 91 rows (instnwnd.sql) gone without a word, and `--table Customers` said it "is not in" the file.
 * Found by flipping single bits of the fixed part of each user table's sysschobjs record. Now such a
 * table holding rows is named: a note of dump --all, and --table's refusal says it is marked.
 * Healthy files are not refused (a note, exit 0 with --strict): no data file or backup of the
 * corpus holds a table so marked with rows, so none prints the note.
 *
 * SYNTHETIC damage on REAL bytes: a copy of NORTHWND.MDF in a temporary folder; the corpus file is
 * not changed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { slotOffset } from '../../src/datafile/page.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/** dbo.Customers' object id in NORTHWND.MDF (the intact metadata gives it). */
const CUSTOMERS = 2073058421;
const SYSSCHOBJS_PAGE = 372;

/**
 * A copy of NORTHWND.MDF in a temporary folder (`prefix`) with dbo.Customers' sysschobjs record on
 * page 1:372 changed by `edit` (the page, the record's offset); the corpus file is not changed.
 */
function customersRecordCopy(prefix: string, edit: (page: Buffer, at: number) => void): string {
  const b = Buffer.from(readFileSync(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF')));
  const page = b.subarray(SYSSCHOBJS_PAGE * 8192, (SYSSCHOBJS_PAGE + 1) * 8192);
  let found = false;
  for (let s = 0; s < page.readUInt16LE(22); s++) {
    const at = slotOffset(page, s);
    if (page.readUInt32LE(at + 4) !== CUSTOMERS) continue;
    edit(page, at);
    found = true;
  }
  expect(found).toBe(true);
  const f = join(mkdtempSync(join(tmpdir(), prefix)), 'NORTHWND.MDF');
  writeFileSync(f, b);
  return f;
}

describeCorpus('a user table marked is_ms_shipped by one changed bit (NORTHWND.MDF, dbo.Customers)', () => {
  const mdfPath = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
  /** A copy with bit 0x1 of dbo.Customers' sysschobjs status set (record: status, 0x00, fixed end u16, id int @4, nsid int @8, nsclass @12, status int @13). */
  const damagedCopy = (): string =>
    customersRecordCopy('rowback-shipped-', (page, at) => {
      expect(page[at + 13]! & 1).toBe(0);
      page[at + 13]! |= 1;
    });

  it('metadata: the intact file has none; the damaged one names dbo.Customers with its 91 rows', () => {
    const intact = readDataFileMetadata(new MdfPageSource(mdfPath()));
    expect(intact.rowCounts['dbo.Customers']).toBe(91);
    expect(intact.shippedTables).toBeUndefined();
    const damaged = readDataFileMetadata(new MdfPageSource(damagedCopy()));
    expect(damaged.tables.map((t) => `${t.schema}.${t.name}`)).not.toContain('dbo.Customers');
    expect(damaged.shippedTables).toEqual([{ table: 'dbo.Customers', objectId: CUSTOMERS, rows: 91 }]);
  });

  it('dump --all: a note names dbo.Customers and its 91 rows (was 12 tables, exit 0, not a word)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-shipped-out-')), 'rows.ndjson');
    const r = await run('dump', '--strict', '--mdf', damagedCopy(), '--all', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("rowback dump: note: 1 table(s) holding rows are marked as SQL Server's own (sys.sysschobjs status 0x1, is_ms_shipped: replication, change data capture) and not dumped: dbo.Customers (object id 2073058421, 91 row(s)); if one is a table of yours, that bit of its catalog row is damaged");
  });

  it('inspect: a warning line names dbo.Customers (was 12 tables listed, not a word)', async () => {
    const r = await run('inspect', damagedCopy());
    expect(r.stdout).toContain("warning: dbo.Customers (object id 2073058421, 91 row(s)) is marked as SQL Server's own (is_ms_shipped: replication, change data capture) and not listed");
  });

  it('dump --table Customers: refused saying it is marked, not "not in" the file', async () => {
    const r = await run('dump', '--quiet', '--mdf', damagedCopy(), '--table', 'Customers');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback: INPUT_UNKNOWN_TABLE: table dbo\.Customers \(object id 2073058421, 91 row\(s\) in sys\.sysrowsets\) is marked in .*'s catalog as SQL Server's own/);
  });
});

describeCorpus('a user table whose sysschobjs record lost its name (NORTHWND.MDF, dbo.Customers, record status 0x30 -> 0x10)', () => {
  // One bit of the record's status byte (0x20, "has variable-length columns") cleared: the record
  // reads with no name. SYNTHETIC damage on REAL bytes, in a copy. A table's identifier is required,
  // of 1 to 128 characters (Microsoft Learn, "Database identifiers"). Before: its 91 rows printed as
  // table "dbo.", exit 0 with --strict, not a word.
  const damagedCopy = (): string =>
    customersRecordCopy('rowback-nameless-', (page, at) => {
      expect(page[at]).toBe(0x30);
      page[at] = 0x10;
    });

  it('dump --all --strict: INCOMPLETE, exit 3, the rows printed under dbo.object_<id> and an item of sys.sysschobjs naming it', async () => {
    const mdf = damagedCopy();
    const md = readDataFileMetadata(new MdfPageSource(mdf));
    const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
    expect(said).toHaveLength(1);
    expect(said[0]!.location).toEqual({ table: 'sys.sysschobjs' });
    expect(said[0]!.reason).toMatch(/^sys\.sysschobjs names 1 user table\(s\) with no name .*: object id 2073058421 \(printed as dbo\.object_2073058421\)/);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-nameless-out-')), 'rows.ndjson');
    const r = await run('dump', '--quiet', '--strict', '--mdf', mdf, '--all', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: 1 item\(s\) could not be read \(FORMAT_CATALOG_MISMATCH\), the catalog among them; 3308 row\(s\) printed/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('"dbo.object_2073058421"'))).toHaveLength(91);
  });
});

describeCorpus('a table marked is_ms_shipped whose name starts with a bracket is named as that table (NORTHWND.MDF, dbo.Customers renamed [Custome])', () => {
  // SYNTHETIC damage on REAL bytes, in a copy: status bit 0x1 set as above, and the record's name
  // `Customers` (9 UTF-16 code units) made `[Custome]` (9 too: a name whose brackets are its own, as
  // CREATE TABLE [[Custome]]] makes it). shippedTables[].table was the plain text `dbo.[Custome]`,
  // which the note (util/tsql.ts tableNameText) read as T-SQL does, brackets quoting: it named
  // `dbo.Custome`, a table of another name. It is now stagedTableName's `[dbo].[[Custome]]]`.
  const damagedCopy = (): string =>
    customersRecordCopy('rowback-shipped-bracket-', (page, at) => {
      page[at + 13]! |= 1;
      const name = page.indexOf(Buffer.from('Customers', 'utf16le'), at);
      expect(name).toBeGreaterThan(at);
      Buffer.from('[Custome]', 'utf16le').copy(page, name);
    });

  it('metadata and dump --all name [dbo].[[Custome]]] / dbo.[[Custome]]], not dbo.Custome', async () => {
    const mdf = damagedCopy();
    const md = readDataFileMetadata(new MdfPageSource(mdf));
    expect(md.shippedTables).toEqual([{ table: '[dbo].[[Custome]]]', objectId: CUSTOMERS, rows: 91 }]);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-shipped-bracket-out-')), 'rows.ndjson');
    const r = await run('dump', '--mdf', mdf, '--all', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not dumped: dbo.[[Custome]]] (object id 2073058421, 91 row(s))');
    expect(r.stderr).not.toContain('dbo.Custome ');
  });
});
