import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { captureCli } from '../support/cli.js';
import { catalogRowsOf } from '../support/catalog-rows.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { ALTER_TXN, writeTblDeptAlterLdf } from '../support/alter-ldf.js';

/**
 * `rowback scan --mdf` with a log that holds an ALTER TABLE the data file's catalog predates, end to
 * end: the catalog is AngularJs_CRUD's real Database1.mdf (dbo.tblDept: its partition id and layout,
 * last checkpoint 00000025:00000036:0002); the log is a SYNTHETIC .ldf (VLFs from sequence 0x28 on,
 * so every record is after that checkpoint) whose transactions delete rows of dbo.tblDept, one of
 * them in the middle inserting and deleting dbo.tblDept's rows of sys.sysrscols as an ALTER COLUMN
 * does (rowset id at record offset 4, as NORTHWND_log.ldf's sysrscols inserts hold it). The rows
 * deleted before it are printed; those deleted after it are SOURCE_SCHEMA_DRIFT skipped items, the
 * scan INCOMPLETE; before, they were printed as the older layout reads them, exit 0.
 */
const cli = captureCli();
let dir: string;
let ldf: string;
let out: string;
let tblDept: TableLayout;

beforeAll(() => {
  if (!process.env.ROWBACK_CORPUS && !corpusPath()) return;
  dir = mkdtempSync(join(tmpdir(), 'rowback-alter-after-catalog-'));
  ldf = join(dir, 'alter_log.ldf');
  out = join(dir, 'rows.ndjson');
  tblDept = writeTblDeptAlterLdf(ldf, { targetBytes: 1024 * 1024, vlfSize: 512 * 1024 });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeCorpus('scan --mdf: rows logged after an ALTER the data file\'s catalog predates (SYNTHETIC .ldf beside Database1.mdf)', () => {
  it('prints the rows deleted before the change, refuses those after it as SOURCE_SCHEMA_DRIFT naming file, LSN, table and the change, INCOMPLETE', async () => {
    const r = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', ldf, '--out', out, '--format', 'ndjson');
    const rows = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { table: string; values: Record<string, unknown> });
    // transactions 0..11 deleted before the change; every row printed is of one of them
    expect(rows.length).toBe(ALTER_TXN);
    expect(rows.every((x) => Number(Object.values(x.values)[0]) < ALTER_TXN * 100)).toBe(true);
    expect(r.stderr).toContain('SOURCE_SCHEMA_DRIFT');
    expect(r.stderr).toContain("dbo.tblDept's columns were changed at LSN");
    expect(r.stderr).toContain("('user_transaction'");
    // the summary says the change once for all the rows it refused (it printed 20 lines of one reason)
    const driftLines = r.stderr.split('\n').filter((l) => l.startsWith('  SOURCE_SCHEMA_DRIFT: '));
    expect(driftLines).toHaveLength(1);
    expect(driftLines[0]).toMatch(/; and 2,196 more row\(s\) of dbo\.tblDept logged after that change, up to LSN 00000028:[0-9a-f]{8}:[0-9a-f]{4}, each a skipped item of its own$/);
    expect(r.stderr).not.toContain('more (use --report FILE for all)');
    // the rows refused are missing from the result: INCOMPLETE (it was exit 0, no word but the skipped list)
    expect(r.stderr).toMatch(/INCOMPLETE: 2,\d{3} row operation\(s\) of dbo\.tblDept were left out, not decoded with a layout they were not written in \(SOURCE_SCHEMA_DRIFT ×2,\d{3}\)/);
    const strict = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', ldf, '--out', out, '--format', 'ndjson', '--strict', '--quiet');
    expect(strict.code).toBe(3);
  });
  it('the INCOMPLETE sentence (stderr and --report incomplete) names the change, its LSN, transaction and commit time, and the way on', async () => {
    const report = join(dir, 'report.json');
    const r = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', ldf, '--out', out, '--format', 'ndjson', '--report', report, '--quiet');
    const line = r.stderr.split('\n').find((l) => l.includes('INCOMPLETE: 2,')) ?? '';
    // it said only 'each is a skipped item with its LSN, reason and row image (in --report, …)': the
    // change and what to do were in each skipped item's reason, not in the sentence a script reads
    expect(line).toMatch(/dbo\.tblDept's columns were changed at LSN 00000028:[0-9a-f]{8}:[0-9a-f]{4} \(transaction 0000:[0-9a-f]{8}, committed at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}, the SQL Server's local time\), which the catalog read predates/);
    expect(line).toContain("a data file or full backup taken after the change (--mdf/--bak), or the table's layout after it as catalog JSON or a CREATE TABLE script (--schema/--ddl), decodes them");
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { incomplete: string[]; skipped: Array<{ code: string; layoutChange?: { lsn: string } }> };
    expect(rep.incomplete.some((s) => s.includes("dbo.tblDept's columns were changed at LSN 00000028:"))).toBe(true);
    expect(rep.skipped.find((s) => s.code === 'SOURCE_SCHEMA_DRIFT')?.layoutChange?.lsn).toMatch(/^00000028:/);
  });
  it('with --schema (catalog JSON of no known time naming the object and partition ids, saved before the change): the same rows refused, since it lacks the column id the change added', async () => {
    const au = tblDept.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
    const schema = join(dir, 'catalog.json');
    writeFileSync(schema, JSON.stringify(catalogRowsOf(tblDept, { allocUnit: au }).map((r) => ({ ...r, object_id: tblDept.objectId, partition_id: tblDept.partitionId }))));
    const r = await cli('scan', '--ldf', ldf, '--schema', schema, '--out', out, '--format', 'ndjson');
    const rows = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean);
    expect(rows.length).toBe(ALTER_TXN);
    expect(r.stderr).toContain('after the catalog given with --schema was taken (it lacks the column ids the change added)');
    expect(r.stderr).toMatch(/INCOMPLETE: 2,\d{3} row operation\(s\) of dbo\.tblDept were left out/);
  });
});
