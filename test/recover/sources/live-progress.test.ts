import { describe, expect, it } from 'vitest';
import type { RunOptions } from '../../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../../src/logreader/live/sql.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import { LiveSource } from '../../../src/recover/sources/live.js';
import { customersCatalog, customersDeleteRow, FakeLiveRunner, SERVER_INFO } from '../../support/fake-live-customers.js';

// SYNTHETIC answers shaped like the server's (catalog query, fn_dblog scan rows); no server here.
const CATALOG = customersCatalog('2024-01-02T09:00:00');
const scanRow = (n: number): Row => customersDeleteRow(n, 'LOP_DELETE_ROWS');

class Runner extends FakeLiveRunner {
  constructor(private readonly scan: Row[]) { super(); }
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    const t = stmt.text;
    if (t.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (t.includes('system_internals_partition_columns')) yield* CATALOG;
    else if (t.includes('[xact]')) yield* this.scan;
    else throw new Error(`unexpected statement: ${t.slice(0, 60)}`);
  }
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
