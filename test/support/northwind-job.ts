/**
 * A files job of NORTHWND.MDF (real bytes: SessionShoppingCart/App_Data, read from ROWBACK_CORPUS)
 * staged in a test app: the data file opened and its catalog read, the job created running with the
 * layouts of `tables` (each through `layoutOf`, to drop or change what a test needs), and the row
 * a test stages as deleted (SYNTHETIC: the deletion; the values are the file's). The set-up the
 * re-insert note and table-order tests each wrote out.
 */
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath } from './corpus.js';
import type { TestApp } from '../api/helpers.js';

/** The job, the opened pages and catalog (for readTableRows), the path of NORTHWND.MDF. */
export function northwindJob(t: TestApp, tables: string[], layoutOf: (l: TableLayout, table: string) => TableLayout = (l) => l) {
  const mdf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
  const pages = openDataFiles([mdf]);
  const md = readDataFileMetadata(pages);
  const job = t.store.createJob({ kind: 'files', spec: { mdf: [mdf] }, description: 'northwind', createdBy: 'olga' });
  t.store.setJobState(job.id, 'running');
  t.store.saveJobTables(job.id, tables.map((x) => layoutOf(md.details.get(x)!.layout, x)));
  return { mdf, pages, md, jobId: job.id };
}

/** A staged row deleted in one transaction (LSN 00000027:00000f00:n, 2024-03-01 09:00) of `table` holding `values`. */
export function deletedRow(n: number, table: string, values: Record<string, unknown>) {
  return {
    table, lsn: `00000027:00000f00:${String(n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
    beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: null, sid: null, spid: 53,
    transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values, raw: '0x00', warnings: [],
  };
}
