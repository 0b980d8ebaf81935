/**
 * `scan --export FILE --ddl SCRIPT` (and an export job's metadata.ddl): a CREATE TABLE script's
 * char/varchar/text columns without COLLATE take the database's default collation, and the export's
 * header did not carry it, so they were read as SQL_Latin1_General_CP1_CI_AS (code page 1252),
 * "assumed": for a Turkish_CI_AS database (code page 1254) a deleted row's 'ş' printed as 'þ'. Now
 * sql/export-log-records.sql writes it (databaseCollation: DATABASEPROPERTYEX(DB_NAME(),
 * 'Collation'), in the JSON header and the CSV #meta), and the reader takes it as the default, said
 * in a note naming the file; an older export without the key is read as before (the assumed default
 * and its note) with a note that it names none; a header value that is not a collation name is not
 * refused (readers before the key ignored it).
 *
 * Everything here is SYNTHETIC: hand-built export files (records, row image, catalog) shaped like
 * what the script writes, the script (dbo.Users as SSMS scripts it, COLLATE left out), and the row
 * image (int UserId = 1, varchar Name = the one byte 0xFE: 'ş' in code page 1254, 'þ' in 1252).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExportText } from '../../src/logreader/export/export-file.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { csvSectionLines, customersCatalogRow, exportRecord } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-collation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const USERS_AU = '72057594043301888';
const SCRIPT = 'CREATE TABLE [dbo].[Users]([UserId] [int] IDENTITY(1,1) NOT NULL, [Name] [varchar](50) NULL, PRIMARY KEY CLUSTERED ([UserId]));\n';
const ddl = join(dir, 'users.sql');
writeFileSync(ddl, SCRIPT);
const IMAGE = '0x3000080001000000020000010010' + '00FE';
const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: USERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': IMAGE }),
  exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const users = (over: Record<string, unknown>) => customersCatalogRow({ table_name: 'Users', object_id: 917578307, partition_id: '72057594042449920', in_row_alloc_unit_id: USERS_AU, ...over });
const CATALOG = [
  users({ partition_column_id: 1, column_id: 1, column_name: 'UserId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, is_identity: true, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1 }),
  users({ partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'varchar', system_type_id: 167, max_length: 50, precision: 0, scale: 0, collation_name: 'Turkish_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 }),
];
const LOG_READ = { firstLsn: '0000002a:000001f0:0001', lastLsn: '0000002a:000001f0:0003', firstBeginTime: '2024/03/05 14:07:09:123', lastBeginTime: '2024/03/05 14:07:09:123', firstEndTime: '2024/03/05 14:07:10:500', lastEndTime: '2024/03/05 14:07:10:500' };
const HEADER = {
  format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+03:00', exportedAt: '2024-03-05T15:00:00.1234567+03:00',
  window: { from: null, to: null }, tables: 'dbo.Users', operations: 'delete', logSource: 'fn_dblog', logBackup: null, logBackupSet: null, logRead: LOG_READ,
};

/** The JSON form; `collation`: the header's databaseCollation (undefined: the key left out, as a script before it wrote). */
function jsonExport(name: string, collation?: unknown): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ ...HEADER, ...(collation === undefined ? {} : { databaseCollation: collation }), records: RECORDS, catalog: CATALOG }));
  return f;
}

/** The CSV form as the script writes it, databaseCollation (when given) last in #meta. */
function csvExport(name: string, collation?: string): string {
  const f = join(dir, `${name}.csv`);
  const keys: Record<string, string | null> = {
    server: 'SQL01', database: 'CRM', serverTimeZone: '+03:00', exportedAt: HEADER.exportedAt, 'window.from': null, 'window.to': null, tables: 'dbo.Users', operations: 'delete',
    logSource: 'fn_dblog', logBackup: null, logBackupSet: null, ...Object.fromEntries(Object.entries(LOG_READ).map(([k, v]) => [`logRead.${k}`, v])),
    ...(collation === undefined ? {} : { databaseCollation: collation }),
  };
  writeFileSync(f, [
    '#rowback-export,2,csv', '#meta', '"key","value"', ...Object.entries(keys).map(([k, v]) => `"${k}",${v === null ? '' : `"${v}"`}`),
    '#records', ...csvSectionLines(RECORDS), '#catalog', ...csvSectionLines(CATALOG), '#end', '"records","catalog"', `"${RECORDS.length}","${CATALOG.length}"`, '',
  ].join('\r\n'));
  return f;
}

const names = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { values: { Name: string } }).values.Name);

describe('scan --export --ddl takes the database\'s default collation from the export\'s header (SYNTHETIC exports)', () => {
  for (const form of ['json', 'csv'] as const) {
    it(`${form}: databaseCollation Turkish_CI_AS: the varchar byte 0xFE prints ş (code page 1254), said so`, async () => {
      const f = form === 'json' ? jsonExport('turkish', 'Turkish_CI_AS') : csvExport('turkish', 'Turkish_CI_AS');
      const r = await cli('scan', '--export', f, '--ddl', ddl, '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(names(r.stdout), r.stderr).toEqual(['ş']);
      expect(r.stderr).toContain(`--ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (the header of ${f} (databaseCollation))`);
      expect(r.stderr).not.toContain('assumed as the database');
    }, 60_000);
  }

  it('--collation given: that one wins, no note', async () => {
    const r = await cli('scan', '--export', jsonExport('given', 'Turkish_CI_AS'), '--ddl', ddl, '--collation', 'Latin1_General_CI_AS', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout), r.stderr).toEqual(['þ']);
    expect(r.stderr).not.toContain('char/varchar/text column(s) without COLLATE');
  }, 60_000);

  it('an export written before databaseCollation (no key): read as before, the assumed default, and a note that the header names none', async () => {
    for (const f of [jsonExport('older'), csvExport('older')]) {
      const r = await cli('scan', '--export', f, '--ddl', ddl, '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database\'s default collation');
      expect(r.stderr).toContain(`${f}: the database's default collation, which a --ddl script's char/varchar/text columns without COLLATE take, is not known: the export's header does not name it (written by sql/export-log-records.sql before databaseCollation was added); SELECT DATABASEPROPERTYEX(N'CRM', 'Collation') on its server gives it for --collation`);
    }
  }, 60_000);

  it('a header databaseCollation that is no collation name is not refused (readers before the key ignored it): read as absent', async () => {
    for (const v of [42, { a: 1 }, 'Turkish CI; DROP']) {
      const parsed = await parseExportText(readFileSync(jsonExport('odd', v), 'utf8'), 'odd.json');
      expect(parsed.header.databaseCollation, JSON.stringify(v)).toBeUndefined();
    }
    expect((await parseExportText(readFileSync(jsonExport('null', null), 'utf8'), 'null.json')).header.databaseCollation).toBeNull();
    expect((await parseExportText(readFileSync(csvExport('csv', 'Arabic_CI_AS'), 'utf8'), 'csv.csv')).header.databaseCollation).toBe('Arabic_CI_AS');
  });

  it('an export job with metadata.ddl: the same default, the same note (job.notes), the row staged as ş', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const f = jsonExport('job', 'Turkish_CI_AS');
      const job = w.submit({ kind: 'export', file: f, metadata: { ddl: SCRIPT } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContain(`metadata.ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (the header of ${f} (databaseCollation)); if the table's columns were made under another, give it with the job's metadata.collation`);
      expect(JSON.stringify(store.listRows(job.id, {}))).toContain('ş');
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('sql/export-log-records.sql writes databaseCollation with functions every supported version has', () => {
  const script = readFileSync(new URL('../../sql/export-log-records.sql', import.meta.url), 'utf8');
  it('in the JSON header and the CSV #meta, from DATABASEPROPERTYEX(DB_NAME(), \'Collation\') (SQL Server 2005 on)', () => {
    expect(script).toContain("CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')) AS [databaseCollation]");
    expect(script).toMatch(/UNION ALL SELECT N'"databaseCollation",' \+ ISNULL\(N'"' \+ REPLACE\(CONVERT\(nvarchar\(max\), CONVERT\(nvarchar\(128\), DATABASEPROPERTYEX\(DB_NAME\(\), 'Collation'\)\)\), N'"', N'""'\) \+ N'"', N''\), 22\)/);
  });
});
