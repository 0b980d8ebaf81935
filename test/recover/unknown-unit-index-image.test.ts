import { describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats, unknownTablesClause } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/**
 * SYNTHETIC log records. An update (LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS) logs in RowLog Contents 0
 * the changed bytes of the row (a before image of a column, at an offset), not a whole record:
 * its first byte is a column's value, not a record header. An update of a table the data file's
 * catalog does not name whose first changed byte happened to read as an index record header
 * (0x06, 0x0A, 0x16, 0x19, 0x1A, 0x1D, … : roughly one byte value in five) was counted as a
 * nonclustered index's row, left out of the INCOMPLETE count: `"complete": true` for a table's
 * updates missing from the result.
 */
const known: TableLayout = {
  schema: 'dbo', name: 'Customers', indexId: 1, compression: 'NONE', columns: [],
  allocUnits: [{ allocUnitId: '72057594043367424', type: 'IN_ROW_DATA' }],
};
const catalog = catalogFromLayouts([known]);
const UNKNOWN = '72057594043629568';
function rec(lsn: string, op: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': '0000:1', ...extra };
}

describe('updates on a unit the catalog does not name are never taken for index rows', () => {
  it.each([
    ['LOP_MODIFY_ROW', 0x06], ['LOP_MODIFY_ROW', 0x0a], ['LOP_MODIFY_ROW', 0x19], ['LOP_MODIFY_COLUMNS', 0x16], ['LOP_MODIFY_COLUMNS', 0x1d],
  ])('%s whose changed bytes begin 0x%s: counted as the unknown table\'s, and INCOMPLETE', async (op, first) => {
    const records: LogRecord[] = [
      rec('1:1:1', 'LOP_BEGIN_XACT', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      rec('1:1:2', op, { Context: 'LCX_CLUSTERED', AllocUnitId: UNKNOWN, 'RowLog Contents 0': new Uint8Array([first, 0, 0, 0]), 'RowLog Contents 1': new Uint8Array([7, 0, 0, 0]) }),
      rec('1:1:3', 'LOP_COMMIT_XACT', { 'End Time': '2026/11/20 10:00:01:000' }),
    ];
    const stats = emptyStats();
    for await (const _ of committedCandidates(async function* () { yield* records; }, { operations: ['update'] }, catalog, { stats })) void _;
    expect(stats.indexRowOps ?? 0).toBe(0);
    expect(stats.unknownAllocUnitRowOps).toBe(1);
    expect(unknownTablesClause(stats, ['update'], 'printed')).toContain('1 committed update(s) on allocation units the data file\'s or backup\'s catalog does not name');
  });

  it('a delete whose image is an index record (a nonclustered index\'s row) is still counted apart', async () => {
    const records: LogRecord[] = [
      rec('1:1:1', 'LOP_BEGIN_XACT', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      rec('1:1:2', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: UNKNOWN, 'RowLog Contents 0': new Uint8Array([0x16, 0, 0, 0]) }),
      rec('1:1:3', 'LOP_COMMIT_XACT', { 'End Time': '2026/11/20 10:00:01:000' }),
    ];
    const stats = emptyStats();
    for await (const _ of committedCandidates(async function* () { yield* records; }, { operations: ['delete'] }, catalog, { stats })) void _;
    expect(stats.indexRowOps).toBe(1);
    expect(stats.unknownAllocUnitRowOps).toBe(0);
  });
});
