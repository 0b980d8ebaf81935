import { describe, expect, it } from 'vitest';
import type { RunOptions, SqlRunner } from '../../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../../src/logreader/live/sql.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import { LiveSource } from '../../../src/recover/sources/live.js';

// SYNTHETIC answers shaped like the server's (catalog query, fn_dblog scan rows); no server here.
const AU = '72057594043236352';
const CATALOG: Row[] = [{
  schema_name: 'dbo', table_name: 'Customers', object_id: 901578250, index_id: 1, partition_id: '72057594042384384',
  partition_number: 1, data_compression_desc: 'NONE', in_row_alloc_unit_id: AU, lob_alloc_unit_id: null,
  row_overflow_alloc_unit_id: null, modify_date: '2024-01-02T09:00:00', user_type_name: null, is_identity: false, is_computed: false,
  is_persisted: null, is_rowguidcol: false, is_column_set: false, is_dropped: false, is_sparse: false, is_uniqueifier: false,
  default_value: null, partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4,
  precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1,
}];
const scanRow = (n: number): Row => ({
  log_input: 0, 'Current LSN': `0000002a:000001f0:${n.toString(16).padStart(4, '0')}`, Operation: 'LOP_DELETE_ROWS', Context: 'LCX_MARK_AS_GHOST',
  'Transaction ID': '0000:000003e8', AllocUnitId: AU, 'Page ID': '0001:00000123', 'Slot ID': n, 'Offset in Row': 0, 'Modify Size': 0, Description: '',
  'RowLog Contents 0': Buffer.from('10000800' + n.toString(16).padStart(2, '0') + '000000' + '0100' + '00', 'hex'), 'RowLog Contents 1': null,
  'Begin Time': '2024/03/05 14:07:09:123', 'End Time': '2024/03/05 14:07:10:000', 'Transaction Name': 'DELETE',
  'Transaction SID': Buffer.from('01', 'hex'), Login: 'batchjob', SPID: 61,
});

class Runner implements SqlRunner {
  readonly description = 'fake:1433/CRM';
  constructor(private readonly scan: Row[]) {}
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    const t = stmt.text;
    if (t.includes('SYSDATETIMEOFFSET')) yield { product_version: '16.0', tz_offset: '+08:00', server_now: 'x', database_name: 'CRM', is_sysadmin: 1, recovery_model: 'FULL' };
    else if (t.includes('system_internals_partition_columns')) yield* CATALOG;
    else if (t.includes('[xact]')) yield* this.scan;
    else throw new Error(`unexpected statement: ${t.slice(0, 60)}`);
  }
  async query(stmt: SqlStatement, o?: RunOptions): Promise<Row[]> {
    const out: Row[] = [];
    for await (const r of this.stream(stmt, o)) out.push(r);
    return out;
  }
  async close() {}
}

/** The scan query's begin or commit row of a transaction (sql.ts scanSql returns them with its rows). */
const xactRow = (n: number, id: string, op: 'LOP_BEGIN_XACT' | 'LOP_COMMIT_XACT'): Row => ({
  ...scanRow(n), 'Transaction ID': id, Operation: op, Context: 'LCX_NULL', AllocUnitId: null, 'Page ID': null, 'Slot ID': null, 'RowLog Contents 0': null,
});
const inTxn = (n: number, id: string): Row => ({ ...scanRow(n), 'Transaction ID': id });

describe('live source progress', () => {
  it('counts the rows streamed by the scan query; one pass, no bytes, no total', async () => {
    // two committed transactions: rows go out at each commit (commit order, as from files)
    const scan = [
      xactRow(1, '0000:000003e8', 'LOP_BEGIN_XACT'), inTxn(2, '0000:000003e8'), inTxn(3, '0000:000003e8'), xactRow(4, '0000:000003e8', 'LOP_COMMIT_XACT'),
      xactRow(5, '0000:000003e9', 'LOP_BEGIN_XACT'), inTxn(6, '0000:000003e9'), inTxn(7, '0000:000003e9'), inTxn(8, '0000:000003e9'), xactRow(9, '0000:000003e9', 'LOP_COMMIT_XACT'),
    ];
    const src = new LiveSource({ database: 'CRM', runner: new Runner(scan) });
    expect(src.progress()).toEqual({ bytesRead: 0, recordsRead: 0 });
    const during: number[] = [];
    for await (const _ of src.candidates({ operations: ['delete'] })) during.push(src.progress().recordsRead);
    expect(during).toEqual([4, 4, 9, 9, 9]);
    expect(src.progress()).toEqual({ bytesRead: 0, recordsRead: 9 });
  });
});
