/**
 * A files job over TSQLV4.bak (the corpus's compressed backup) staging every row of HR.Employees
 * as deleted: the rows and the table's layout (with its foreign key mgrid -> empid, a table
 * referencing itself) are real, read from the backup's pages; their deletion (LSNs, transaction,
 * times) is SYNTHETIC. The job ends succeeded. Test support for the re-insert order tests.
 */
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { StagingStore } from '../../src/staging/store.js';
import { corpusPath } from './corpus.js';

/** A row as readTableRows reads it. */
type TableRow = ReturnType<typeof readTableRows> extends Iterable<infer R> ? R : never;

/**
 * Stages HR.Employees in `store`, in empid order or (`reverse`) reports first, the n-th row staged
 * at LSN 00000027:00000f10:n; `login` is each row's login (null when not given). Answers the job's
 * id and the rows in the order staged (their values as read). Needs the corpus.
 */
export function stageTsqlv4Employees(store: StagingStore, o: { reverse?: boolean; login?: string | null } = {}): { jobId: number; rows: TableRow[] } {
  const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
  const pages = openBackupPageSource(bak);
  const md = readDataFileMetadata(pages);
  const job = store.createJob({ kind: 'files', spec: { bak: [bak] }, description: 'tsqlv4 employees', createdBy: 'olga' });
  store.setJobState(job.id, 'running');
  store.saveJobTables(job.id, [md.details.get('HR.Employees')!.layout]);
  const read = [...readTableRows(pages, md, 'HR.Employees')];
  const rows = o.reverse ? read.reverse() : read;
  store.stageBatch(job.id, rows.map((row, i) => ({
    table: 'HR.Employees', lsn: `00000027:00000f10:${String(i + 1).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e9',
    beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: o.login ?? null, sid: null, spid: 53,
    transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values: row.values, raw: '0x00', warnings: [],
  })) as never);
  store.setJobState(job.id, 'succeeded');
  return { jobId: job.id, rows };
}
