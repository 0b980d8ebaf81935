import { describe, expect, it } from 'vitest';
import { mapScanRow } from '../../../src/logreader/live/map-row.js';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';
import type { LogInput } from '../../../src/logreader/live/sql.js';

const inputs: LogInput[] = [{ kind: 'backup', file: 'D:\\bak\\crm_1.trn', position: 1 }, { kind: 'online' }];

/** A row as mssql delivers one from scanSql(): bigint as string, binary as Buffer. */
const row = {
  log_input: 1,
  'Current LSN': '0000002a:000001f0:0003',
  Operation: 'LOP_DELETE_ROWS',
  Context: 'LCX_MARK_AS_GHOST',
  'Transaction ID': '0000:000003e8',
  AllocUnitId: '72057594043236352',
  'Page ID': '0001:00000123',
  'Slot ID': 4,
  'Offset in Row': 0,
  'Modify Size': 0,
  Description: '',
  'RowLog Contents 0': Buffer.from('30000800010000000200', 'hex'),
  'RowLog Contents 1': null,
  'Begin Time': '2024/03/05 14:07:09:123',
  'End Time': '2024/03/05 14:07:11:500',
  'Transaction Name': 'DELETE',
  'Transaction SID': Buffer.from('0105000000000005150000001', 'hex'),
  Login: 'CORP\\batchjob',
  SPID: 57,
};

describe('mapScanRow', () => {
  it('maps a fn_dblog row to a candidate with its transaction facts', () => {
    const m = mapScanRow(row, inputs);
    expect(m.kind).toBe('candidate');
    if (m.kind !== 'candidate') return;
    expect(m.candidate.record).toMatchObject({
      'Current LSN': '0000002a:000001f0:0003', Operation: 'LOP_DELETE_ROWS', Context: 'LCX_MARK_AS_GHOST',
      AllocUnitId: '72057594043236352', 'Page ID': '0001:00000123', 'Slot ID': 4, source: { kind: 'fn_dblog' },
    });
    expect(Buffer.from(m.candidate.record['RowLog Contents 0']!).toString('hex')).toBe('30000800010000000200');
    expect(m.candidate.txn).toEqual({
      transactionId: '0000:000003e8', beginTime: '2024/03/05 14:07:09:123', endTime: '2024/03/05 14:07:11:500',
      name: 'DELETE', sid: row['Transaction SID'], login: 'CORP\\batchjob', spid: 57,
    });
  });

  it('names the log backup a record came from', () => {
    const m = mapScanRow({ ...row, log_input: 0 }, inputs);
    expect(m.kind === 'candidate' && m.candidate.record.source).toEqual({ kind: 'fn_dump_dblog', file: 'D:\\bak\\crm_1.trn' });
  });

  it.each([
    [{ 'Begin Time': '2024-03-05 14:07:09.123' }, 'Begin Time'],
    [{ 'End Time': '2024/02/30 00:00:00:000' }, 'End Time'],
    [{ Operation: null }, 'Operation'],
    [{ 'RowLog Contents 0': '0x3000' }, 'RowLog Contents 0'],
    // the after image of an update and the login's SID: read as "none" they printed an update with no
    // after values and a transaction of no login (a SID given as text by a driver or a fake)
    [{ 'RowLog Contents 1': '0x3000' }, 'RowLog Contents 1'],
    [{ 'Transaction SID': '0x0105' }, 'Transaction SID'],
    [{ 'Slot ID': 'four' }, 'Slot ID'],
    [{ SPID: '57x' }, 'SPID'],
    [{ 'Modify Size': '' }, 'Modify Size'],
  ])('skips a malformed row (%j) naming LSN and field', (patch, field) => {
    const m = mapScanRow({ ...row, ...patch }, inputs);
    expect(m).toMatchObject({ kind: 'skipped', item: { code: 'SOURCE_BAD_ROW', location: { lsn: '0000002a:000001f0:0003', column: field } } });
  });
});

describe('readShippedSql', () => {
  it('finds sql/table-metadata.sql from the source tree', () => {
    expect(readShippedSql('table-metadata.sql')).toContain('sys.system_internals_partition_columns');
  });
  it('fails with SOURCE_SQL_MISSING when it is absent', () => {
    expect(() => readShippedSql('no-such.sql')).toThrow(expect.objectContaining({ code: 'SOURCE_SQL_MISSING' }));
  });
});
