import { describe, expect, it } from 'vitest';
import { transactionDrift } from '../../../src/logreader/live/drift.js';
import { LiveSource } from '../../../src/recover/sources/live.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import type { SqlStatement } from '../../../src/logreader/live/sql.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import type { ScanFilter } from '../../../src/recover/source.js';
import { FakeLiveRunner, SERVER_INFO, customersCatalog, customersDeleteRow } from '../../support/fake-live-customers.js';

/**
 * A live or export scan decodes row images with the table's columns as the catalog has them now,
 * and refuses a row whose table was altered (sys.objects.modify_date) at or after its transaction
 * began. A transaction whose LOP_BEGIN_XACT is not in the log read (it began before the read: a
 * delete spanning the checkpoint and log backup that truncated its start) has no Begin Time, and the
 * check was skipped: its rows were decoded with a layout changed after they were deleted, printed as
 * values with no word. It ended at its commit's End Time, and began before it: a table altered at or
 * after that End Time was altered after the rows were written.
 */
const table = { schema: 'dbo', name: 'Customers', modifyDate: '2024-03-05T15:00:00' } as TableLayout;

describe('transactionDrift: the table altered at or after the transaction began, or, its begin unread, ended', () => {
  it.each([
    ['begun before the change', '2024/03/05 14:07:09:123', '2024/03/05 14:07:10:000', '2024-03-05T15:00:00.000', '2024-03-05T14:07:09.123'],
    ['begun after the change', '2024/03/05 15:30:00:000', '2024/03/05 15:30:01:000', null, null],
    ['begin unread, ended before the change', null, '2024/03/05 14:07:10:000', '2024-03-05T15:00:00.000', '2024-03-05T14:07:10.000 (the commit of its transaction, whose LOP_BEGIN_XACT is not in the log read)'],
    ['begin unread, ended after the change', null, '2024/03/05 15:30:01:000', null, null],
    ['neither time', null, null, null, null],
  ] as const)('%s', (_, begin, end, modified, since) => {
    const d = transactionDrift(table, begin, end);
    expect(d?.modified ?? null).toBe(modified);
    expect(d?.since ?? null).toBe(since);
  });
});

class Runner extends FakeLiveRunner {
  async *stream(stmt: SqlStatement): AsyncIterable<Row> {
    const t = stmt.text;
    if (t.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (t.includes('system_internals_partition_columns')) yield* customersCatalog('2024-03-05T15:00:00');
    // SYNTHETIC: a delete and its commit, the transaction's LOP_BEGIN_XACT not in the log read (no Begin Time)
    else if (t.includes('[xact]')) yield* [2, 3].map((n) => ({ ...customersDeleteRow(n, n === 2 ? 'LOP_DELETE_ROWS' : 'LOP_COMMIT_XACT'), 'Begin Time': null }));
  }
}

it('a live scan without a window refuses the rows of a transaction begun before the log read, its table altered after it committed', async () => {
  const src = new LiveSource({ database: 'CRM', runner: new Runner() });
  const rows = [];
  for await (const c of src.candidates({ operations: ['delete'] } as ScanFilter)) rows.push(c);
  expect(rows).toHaveLength(0);
  expect(src.skipped()).toEqual([expect.objectContaining({ code: 'SOURCE_SCHEMA_DRIFT', location: expect.objectContaining({ lsn: '0000002a:000001f0:0002', table: 'dbo.Customers' }) })]);
  expect(src.skipped()[0]!.reason).toContain('at or after 2024-03-05T14:07:10.000 (the commit of its transaction, whose LOP_BEGIN_XACT is not in the log read)');
});
