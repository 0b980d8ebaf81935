/**
 * A user table sys.sysschobjs names but of which sys.sysrowsets holds no heap or clustered partition
 * (Microsoft Learn "sys.partitions (Transact-SQL)": "All tables and indexes contain at least one
 * partition"): its pages cannot be found. It was left out of the table list with a metadata warning
 * no command prints, so `dump --all --strict` of NORTHWND.MDF with dbo.Orders' sysrowsets record
 * ghosted printed 12 tables and 2,478 rows, exit 0, `inspect` listed 12 tables, exit 0, and
 * `--table Orders` said the table "is not in" the file: the 830 orders (instnwnd.sql) gone without a
 * word. Now one FORMAT_CATALOG_MISMATCH item of sys.sysrowsets names the table (INCOMPLETE), and
 * `--table` refuses naming the missing partition.
 *
 * SYNTHETIC damage on REAL bytes: NORTHWND.MDF's page 1:18 (sysrowsets; torn-page bits only, so no
 * check sees a changed byte) with the status byte of dbo.Orders' rowset record changed from 0x10
 * (primary) to 0x1C (ghost data), in memory or in a copy in a temporary folder; the corpus file is
 * not changed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { slotOffset } from '../../src/datafile/page.js';
import { catalogDamage } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { damagedCopy as editedCopy } from '../support/damaged-copy.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/** dbo.Orders' object id in NORTHWND.MDF (its sysschobjs row; the intact metadata gives it). */
const ORDERS = 21575115;
const SYSROWSETS_PAGE = 18;

/**
 * Page 1:18 of `file` with the status byte of the sysrowsets record of object `objectId`, index 1 (the
 * record: status, 0x00, fixed end u16, rowsetid bigint, ownertype tinyint, idmajor int @13, idminor
 * int @17) set to 0x1C, a ghost data record; throws when no slot holds it.
 */
function ghostedRowsetPage(file: Buffer, objectId: number): Buffer {
  return editedRowsetPage(file, objectId, (page, at) => (page[at] = 0x1c));
}

/** Page 1:18 of `file` with `edit` applied to the sysrowsets record of object `objectId`, index 1, at offset `at` of the page. */
function editedRowsetPage(file: Buffer, objectId: number, edit: (page: Buffer, at: number) => void): Buffer {
  const page = Buffer.from(file.subarray(SYSROWSETS_PAGE * 8192, (SYSROWSETS_PAGE + 1) * 8192));
  const slots = page.readUInt16LE(22);
  for (let s = 0; s < slots; s++) {
    const at = slotOffset(page, s);
    if (page[at] === 0x10 && page.readUInt32LE(at + 13) === objectId && page.readUInt32LE(at + 17) === 1) {
      edit(page, at);
      return page;
    }
  }
  throw new Error(`no sysrowsets record of object ${objectId} on page 1:${SYSROWSETS_PAGE}`);
}

describeCorpus('a user table with no partition in sys.sysrowsets (NORTHWND.MDF, dbo.Orders\' rowset record ghosted)', () => {
  const mdfPath = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
  /**
   * A copy of NORTHWND.MDF (SYNTHETIC damage, in a temp folder named from `prefix`) with `edit` applied
   * to object `id`'s sys.sysschobjs record on page 1:372 (`at`: the record's offset in the page).
   */
  const schobjsRecordCopy = (prefix: string, id: number, edit: (page: Buffer, at: number) => void): string =>
    editedCopy(mdfPath(), join(mkdtempSync(join(tmpdir(), prefix)), 'NORTHWND.MDF'), (b) => {
      const page = b.subarray(372 * 8192, 373 * 8192);
      let at = -1;
      for (let s = 0; s < page.readUInt16LE(22); s++) if (page.readUInt32LE(slotOffset(page, s) + 4) === id) at = slotOffset(page, s);
      expect(at).toBeGreaterThan(0);
      edit(page, at);
    });
  const damagedCopy = (): string => {
    const b = Buffer.from(readFileSync(mdfPath()));
    ghostedRowsetPage(b, ORDERS).copy(b, SYSROWSETS_PAGE * 8192);
    const f = join(mkdtempSync(join(tmpdir(), 'rowback-no-partition-')), 'NORTHWND.MDF');
    writeFileSync(f, b);
    return f;
  };

  it('metadata: one FORMAT_CATALOG_MISMATCH item of sys.sysrowsets naming the table, counted as catalog damage', () => {
    const intact = new MdfPageSource(mdfPath());
    try {
      const md = readDataFileMetadata(intact);
      // instnwnd.sql inserts 830 orders; the catalog counts them on the intact file
      expect(md.details.get('dbo.Orders')?.layout.objectId).toBe(ORDERS);
      expect(md.rowCounts['dbo.Orders']).toBe(830);
      expect(md.skipped).toEqual([]);
      expect(md.unlocatedTables).toBeUndefined();

      const page = ghostedRowsetPage(Buffer.from(readFileSync(mdfPath())), ORDERS);
      const damaged = readDataFileMetadata(new OverlayPageSource(new MdfPageSource(mdfPath()), new Map([[`1:${SYSROWSETS_PAGE}`, new Uint8Array(page)]])));
      expect(damaged.tables.map((t) => `${t.schema}.${t.name}`)).not.toContain('dbo.Orders');
      expect(damaged.tables).toHaveLength(12);
      expect(damaged.unlocatedTables).toEqual([{ table: 'dbo.Orders', objectId: ORDERS, indexId: 1 }]);
      const said = damaged.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
      expect(said).toHaveLength(1);
      expect(said[0].location).toEqual({ table: 'sys.sysrowsets' });
      expect(said[0].reason).toMatch(/^sys\.sysschobjs names 1 user table\(s\) of which sys\.sysrowsets holds no heap or clustered partition: dbo\.Orders \(object id 21575115, clustered index in sys\.sysidxstats\); their pages cannot be found/);
      expect(catalogDamage(damaged.skipped)).toContain(said[0]);
    } finally {
      intact.close();
    }
  });

  it('dump --all --strict: INCOMPLETE naming dbo.Orders, exit 3 (was 12 tables, 2,478 rows, exit 0, not a word)', async () => {
    const mdf = damagedCopy();
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-no-partition-out-')), 'rows.ndjson');
    const r = await run('dump', '--quiet', '--strict', '--mdf', mdf, '--all', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'rowback dump: INCOMPLETE: dbo.Orders: sys.sysschobjs names it but sys.sysrowsets holds no partition of it, so its pages cannot be found and no row of it is printed (FORMAT_CATALOG_MISMATCH); 2478 row(s) printed, of the tables the damaged catalog still names\n',
    );
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2478);
  });

  it('dump --table Orders: refused FORMAT_CATALOG_MISMATCH naming the missing partition, not "not in" the file', async () => {
    const r = await run('dump', '--quiet', '--mdf', damagedCopy(), '--table', 'Orders');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback: FORMAT_CATALOG_MISMATCH: table dbo\.Orders is named in .*NORTHWND\.MDF's catalog \(sys\.sysschobjs, object id 21575115\), but sys\.sysrowsets holds no heap or clustered partition of it, so its pages cannot be found and none of its rows is printed/);
    // a memory-optimized table's rows are on no page (Microsoft Learn, "Indexes on Memory-Optimized
    // Tables": "no partitions or allocation units" give them): "damaged" is not said as certain
    expect(r.stderr).toContain('unless it is a memory-optimized table (SQL Server 2014 and later), whose rows are on no page at all');
  });

  it('inspect: INCOMPLETE, exit 3 (was 12 tables listed and a warning line, exit 0)', async () => {
    const r = await run('inspect', damagedCopy());
    expect(r.code).toBe(3);
    // not in the tables section (its foreign keys are still listed: sysschobjs and syssingleobjrefs name them)
    expect(r.stdout).toMatch(/^ {2}dbo\.\[Order Details\] +2155 /m);
    expect(r.stdout).not.toMatch(/^ {2}dbo\.Orders +\d+ /m);
    expect(r.stderr).toMatch(/^rowback inspect: INCOMPLETE: 1 item\(s\) of .* damaged or not read \(FORMAT_CATALOG_MISMATCH\); first: FORMAT_CATALOG_MISMATCH: sys\.sysschobjs names 1 user table\(s\) of which sys\.sysrowsets holds no heap or clustered partition: dbo\.Orders/);
  });

  it('a partition number missing below the highest (numpart 1 -> 2, @21 of the record): an item naming partition 1, the rows of the partition read still printed', async () => {
    const b = Buffer.from(readFileSync(mdfPath()));
    editedRowsetPage(b, ORDERS, (page, at) => {
      expect(page.readUInt32LE(at + 21)).toBe(1);
      page.writeUInt32LE(2, at + 21);
    }).copy(b, SYSROWSETS_PAGE * 8192);
    const f = join(mkdtempSync(join(tmpdir(), 'rowback-partition-gap-')), 'NORTHWND.MDF');
    writeFileSync(f, b);
    const md = readDataFileMetadata(new MdfPageSource(f));
    expect(md.details.get('dbo.Orders')?.partitions.map((p) => p.partitionNumber)).toEqual([2]);
    const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
    expect(said).toHaveLength(1);
    expect(said[0].reason).toMatch(/^dbo\.Orders \(object id 21575115\): sys\.sysrowsets holds its partition\(s\) 2 but not 1: .* the rows of partition\(s\) 1 are not printed/);
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-partition-gap-out-')), 'rows.ndjson');
    const r = await run('dump', '--quiet', '--strict', '--mdf', f, '--table', 'dbo.Orders', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: 1 item\(s\) could not be read \(FORMAT_CATALOG_MISMATCH\), the catalog among them; 830 row\(s\) printed/);
  });

  it('a table in a schema id sys.sysclsobjs does not name (dbo.Shippers\' nsid, one bit, sysschobjs page 1:372): an item of sys.sysclsobjs naming it', async () => {
    // dbo.Shippers' sysschobjs record on page 1:372 (m_objId 34): status, 0x00, fixed end u16, id int @4, nsid int @8
    const SHIPPERS = 2105058535;
    const f = schobjsRecordCopy('rowback-unnamed-schema-', SHIPPERS, (page, at) => {
      expect(page.readUInt32LE(24)).toBe(34);
      expect(page.readUInt32LE(at + 8)).toBe(1);
      page[at + 10] ^= 0x40; // nsid 1 -> 4194305
    });
    const md = readDataFileMetadata(new MdfPageSource(f));
    expect(md.rowCounts['schema_4194305.Shippers']).toBe(3);
    const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
    expect(said).toHaveLength(1);
    expect(said[0].location).toEqual({ table: 'sys.sysclsobjs' });
    expect(said[0].reason).toMatch(/^sys\.sysschobjs puts 1 user table\(s\) in a schema id no sys\.sysclsobjs schema row names: schema_4194305\.Shippers \(object id 2105058535\); their schema is not known/);
    const r = await run('dump', '--quiet', '--strict', '--mdf', f, '--all', '--out', join(mkdtempSync(join(tmpdir(), 'rowback-unnamed-schema-out-')), 'rows.ndjson'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: 1 item\(s\) could not be read \(FORMAT_CATALOG_MISMATCH\), the catalog among them; 3308 row\(s\) printed/);
  });

  it('a table whose sysschobjs type byte changed (dbo.Customers \'U\' 0x55 -> 0x15, page 1:372): an item naming it (was 12 tables, exit 0)', async () => {
    // dbo.Customers' sysschobjs record: id int @4, nsid int @8, nsclass tinyint @12, status int @13, type char(2) @17
    const CUSTOMERS = 2073058421;
    const f = schobjsRecordCopy('rowback-type-byte-', CUSTOMERS, (page, at) => {
      expect(page.subarray(at + 17, at + 19).toString('latin1')).toBe('U ');
      page[at + 17] ^= 0x40;
    });
    const md = readDataFileMetadata(new MdfPageSource(f));
    expect(md.tables).toHaveLength(12);
    const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
    expect(said).toHaveLength(1);
    expect(said[0].location).toEqual({ table: 'sys.sysschobjs' });
    // 91 rows: instnwnd.sql's customers, as the rowset counts them
    expect(said[0].reason).toMatch(/^sys\.sysrowsets names 1 heap or clustered partition\(s\) holding 91 row\(s\) of 1 object\(s\) that sys\.sysschobjs names as no user table \(a type that holds no rows, or a user table's nsclass\/pclass other than 0\/1\): Customers \(object id 2073058421, type 0x1520, nsclass 0, pclass 1\)/);
    const r = await run('dump', '--quiet', '--strict', '--mdf', f, '--all', '--out', join(mkdtempSync(join(tmpdir(), 'rowback-type-byte-out-')), 'rows.ndjson'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rowback dump: INCOMPLETE: 1 item\(s\) could not be read \(FORMAT_CATALOG_MISMATCH\), the catalog among them; 3217 row\(s\) printed/);
  });

  it('a table whose sysschobjs nsclass changed (dbo.Employees 0 -> 0x40, @12 of its record, page 1:372): an item naming it (was 12 tables, exit 0)', () => {
    const EMPLOYEES = 1977058079;
    const f = schobjsRecordCopy('rowback-nsclass-', EMPLOYEES, (page, at) => {
      expect(page[at + 12]).toBe(0);
      page[at + 12] ^= 0x40;
    });
    const md = readDataFileMetadata(new MdfPageSource(f));
    expect(md.tables.map((t) => t.name)).not.toContain('Employees');
    const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
    expect(said).toHaveLength(1);
    // 9 rows: instnwnd.sql's employees
    expect(said[0].reason).toMatch(/holding 9 row\(s\) of 1 object\(s\) that sys\.sysschobjs names as no user table .*: Employees \(object id 1977058079, type 0x5520, nsclass 64, pclass 1\)/);
  });
});
