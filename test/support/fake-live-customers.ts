/**
 * SYNTHETIC answers shaped like a SQL Server's for the live worker tests' fake runners: the catalog
 * query's one row of dbo.Customers (sql/table-metadata.sql's columns; one int column, clustered) and
 * the scan query's rows of one transaction deleting a row of it at 14:07 (fn_dblog's columns). No
 * server here; written once for test/worker/live-window-before-log.test.ts,
 * live-rebuilt-table.test.ts and test/recover/sources/live-progress.test.ts, which wrote them out
 * each, with the fake runner's parts every one of them had (FakeLiveRunner, SERVER_INFO).
 */
import type { RunOptions, SqlRunner } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';

/** The server facts query's answer (sql.ts serverInfoSql: SYSDATETIMEOFFSET …): SQL Server 2022, UTC+8, database CRM, sysadmin, FULL recovery. */
export const SERVER_INFO: Row = { product_version: '16.0', tz_offset: '+08:00', server_now: 'x', database_name: 'CRM', is_sysadmin: 1, recovery_model: 'FULL' };

/** A fake SqlRunner: each test's `stream` answers the statements it expects; `query` collects it. */
export abstract class FakeLiveRunner implements SqlRunner {
  readonly description: string = 'fake:1433/CRM';
  abstract stream(stmt: SqlStatement, o?: RunOptions): AsyncIterable<Row>;
  async query(stmt: SqlStatement, o?: RunOptions): Promise<Row[]> {
    const out: Row[] = [];
    for await (const r of this.stream(stmt, o)) out.push(r);
    return out;
  }
  async close(): Promise<void> {}
}

/** dbo.Customers' in-row allocation unit (its clustered index's). */
export const CUSTOMERS_AU = '72057594043236352';

/** The catalog query's row of dbo.Customers, its sys.objects.modify_date `modified` (server local time). */
export function customersCatalog(modified: string): Row[] {
  return [{
    schema_name: 'dbo', table_name: 'Customers', object_id: 901578250, index_id: 1, partition_id: '72057594042384384',
    partition_number: 1, data_compression_desc: 'NONE', in_row_alloc_unit_id: CUSTOMERS_AU, lob_alloc_unit_id: null,
    row_overflow_alloc_unit_id: null, modify_date: modified, user_type_name: null, is_identity: false, is_computed: false,
    is_persisted: null, is_rowguidcol: false, is_column_set: false, is_dropped: false, is_sparse: false, is_uniqueifier: false,
    default_value: null, partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4,
    precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1,
  }];
}

/** The scan query's row `n` (its slot) of operation `op`: LOP_BEGIN_XACT, LOP_DELETE_ROWS of dbo.Customers or LOP_COMMIT_XACT, begun 2024/03/05 14:07:09:123. */
export function customersDeleteRow(n: number, op: string): Row {
  return {
    log_input: 0, 'Current LSN': `0000002a:000001f0:${n.toString(16).padStart(4, '0')}`, Operation: op, Context: op === 'LOP_DELETE_ROWS' ? 'LCX_MARK_AS_GHOST' : 'LCX_NULL',
    'Transaction ID': '0000:000003e8', AllocUnitId: op === 'LOP_DELETE_ROWS' ? CUSTOMERS_AU : null, 'Page ID': op === 'LOP_DELETE_ROWS' ? '0001:00000123' : null, 'Slot ID': op === 'LOP_DELETE_ROWS' ? n : null, 'Offset in Row': 0, 'Modify Size': 0, Description: '',
    'RowLog Contents 0': op === 'LOP_DELETE_ROWS' ? Buffer.from('10000800' + n.toString(16).padStart(2, '0') + '000000' + '0100' + '00', 'hex') : null, 'RowLog Contents 1': null,
    'Begin Time': '2024/03/05 14:07:09:123', 'End Time': '2024/03/05 14:07:10:000', 'Transaction Name': 'DELETE',
    'Transaction SID': Buffer.from('01', 'hex'), Login: 'batchjob', SPID: 61,
  };
}

/**
 * A live server whose log holds one committed transaction deleting a row of dbo.Customers (begun
 * 14:07:09.123) in one active VLF (42, first LSN 2a:1f0:1): the server facts, the window probe
 * (sys.dm_db_log_info, the first transaction's begin time and its commit's end time), the catalog (modified 2024-01-02) and the
 * scan's three records; the session, recovery-status and RESTORE HEADERONLY queries answer no row;
 * any other statement throws. Written out alike in test/worker/live-window-before-log.test.ts and
 * test/cli/scan-live-server-from-env.test.ts.
 */
export class OneDeleteLiveRunner extends FakeLiveRunner {
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    const t = stmt.text;
    if (t.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (t.includes('sys.dm_db_log_info')) yield { vlf_sequence_number: 42, vlf_active: 1, vlf_first_lsn: '0000002a:000001f0:0001' };
    else if (t.includes('SELECT TOP (1) l.[Current LSN], l.[Begin Time]')) yield { 'Current LSN': '0000002a:000001f0:0001', 'Begin Time': '2024/03/05 14:07:09:123' };
    else if (t.includes('SELECT TOP (1) l.[Current LSN], l.[End Time]')) yield { 'Current LSN': '0000002a:000001f0:0003', 'End Time': '2024/03/05 14:07:10:000' };
    else if (t.includes('system_internals_partition_columns')) yield* customersCatalog('2024-01-02T09:00:00');
    else if (t.includes('[xact]')) yield* [customersDeleteRow(1, 'LOP_BEGIN_XACT'), customersDeleteRow(2, 'LOP_DELETE_ROWS'), customersDeleteRow(3, 'LOP_COMMIT_XACT')];
    else if (t.includes('sys.dm_exec_sessions') || t.includes('sys.database_recovery_status') || t.includes('RESTORE HEADERONLY')) return;
    else throw new Error(`unexpected statement: ${t.slice(0, 80)}`);
  }
}

/**
 * A live server answering the server facts, dbo.Customers' catalog (modified `modified`, default
 * 2024-01-02T09:00) and, for the scan ([xact]), the given `rows`; every other statement answers no
 * row. The runner the live scan tests of left-out transactions and LSN order each wrote out.
 */
export class CustomersScanRunner extends FakeLiveRunner {
  constructor(private readonly rows: Row[], private readonly modified = '2024-01-02T09:00:00') {
    super();
  }
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    const t = stmt.text;
    if (t.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (t.includes('system_internals_partition_columns')) yield* customersCatalog(this.modified);
    else if (t.includes('[xact]')) yield* this.rows;
  }
}
