import { expect } from 'vitest';
import type { captureCli } from './cli.js';
import { corpusPath } from './corpus.js';

/** The fn_dblog columns an export file's records carry (sql/export-log-records.sql). */
export const EXPORT_COLUMNS = ['Current LSN', 'Operation', 'Context', 'Transaction ID', 'AllocUnitId', 'Page ID', 'Slot ID', 'Offset in Row', 'Modify Size', 'Begin Time', 'End Time', 'Transaction Name', 'Transaction SID', 'SPID', 'RowLog Contents 0', 'RowLog Contents 1'];

/**
 * REAL export records: AngularJs_CRUD's Database1_log.ldf as `rowback log --format ndjson` prints
 * it (fn_dblog's columns), without the records of no transaction, each cut to EXPORT_COLUMNS, with
 * Description and Login (which `log` does not print) NULL. Call
 * it inside a test: captureCli's spies are installed around each test, not around beforeAll.
 */
export async function angularJsExportRecords(cli: ReturnType<typeof captureCli>): Promise<Record<string, unknown>[]> {
  const r = await cli('log', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--format', 'ndjson', '--quiet');
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((x) => x['Transaction ID'] !== '0000:00000000')
    .map((x) => ({
      ...Object.fromEntries(EXPORT_COLUMNS.filter((k) => k in x).map((k) => [k, x[k]])),
      // the two columns the server computes, which `log` does not print: NULL, as the script writes an
      // unknown value (a record lacking a column is refused: docs/live.md)
      Description: null,
      Login: null,
    }));
}
