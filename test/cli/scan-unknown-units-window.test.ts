import { describe, expect, it, vi } from 'vitest';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { committedCandidates, emptyStats, unknownTablesClause } from '../../src/recover/committed.js';
import type { LogRecord } from '../../src/logreader/log-record.js';

/**
 * Row operations on allocation units the catalog does not name were counted as the record was read,
 * before its transaction was known to commit, before the window and before compensation: rolled-back,
 * never-committed and out-of-window operations, and a rollback's compensation records, were said
 * "N committed delete(s) on allocation units the data file's or backup's catalog does not name are
 * not printed", an INCOMPLETE (exit 3 with --strict, "complete": false) for rows that are in no
 * result. Counted now at the commit, in the window, as a known table's are.
 *
 * REAL files: AngularJs_CRUD Database1.mdf / Database1_log.ldf with the catalog made to lack
 * dbo.Employee (as scan-unknown-units-note.test.ts does); its 3 deletes began 2018-08-28 18:37 and
 * 2018-08-29 16:38/16:39, tblDept's last five on 2018-08-30.
 */
let dropEmployee = false;
vi.mock('../../src/recover/open-source.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/open-source.js')>();
  return {
    ...real,
    openSource: async (...args: Parameters<typeof real.openSource>) => {
      const opened = await real.openSource(...args);
      const { withTableDropped } = await import('../support/table-dropped.js');
      return dropEmployee ? withTableDropped(opened, 'Employee') : opened;
    },
  };
});

const UNKNOWN = '72057594043629568';
const rec = (lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra });
const del = (lsn: string, xid: string, extra: Partial<LogRecord> = {}) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_CLUSTERED', AllocUnitId: UNKNOWN, 'RowLog Contents 0': new Uint8Array([0x30, 0, 8, 0]), ...extra });

describe('operations on units the catalog does not name: counted only when committed in the window (SYNTHETIC records)', () => {
  const records: LogRecord[] = [
    // rolled back
    rec('1:1:1', 'LOP_BEGIN_XACT', '0000:1', { 'Begin Time': '2026/11/20 10:00:00:000' }),
    del('1:1:2', '0000:1'),
    rec('1:1:3', 'LOP_INSERT_ROWS', '0000:1', { Context: 'LCX_CLUSTERED', AllocUnitId: UNKNOWN, Description: 'COMPENSATION' }),
    rec('1:1:4', 'LOP_ABORT_XACT', '0000:1'),
    // committed, before the window
    rec('1:2:1', 'LOP_BEGIN_XACT', '0000:2', { 'Begin Time': '2026/11/20 09:00:00:000' }),
    del('1:2:2', '0000:2'),
    rec('1:2:3', 'LOP_COMMIT_XACT', '0000:2', { 'End Time': '2026/11/20 09:00:01:000' }),
    // a compensation record inside a committed transaction (a rolled-back statement)
    rec('1:3:1', 'LOP_BEGIN_XACT', '0000:3', { 'Begin Time': '2026/11/20 10:30:00:000' }),
    del('1:3:2', '0000:3', { Description: 'COMPENSATION' }),
    rec('1:3:3', 'LOP_COMMIT_XACT', '0000:3', { 'End Time': '2026/11/20 10:30:01:000' }),
    // never committed in this log
    rec('1:4:1', 'LOP_BEGIN_XACT', '0000:4', { 'Begin Time': '2026/11/20 11:00:00:000' }),
    del('1:4:2', '0000:4'),
  ];
  const scan = async (extra: LogRecord[] = []) => {
    const stats = emptyStats();
    for await (const _ of committedCandidates(async function* () { yield* extra; yield* records; }, { operations: ['delete'], from: '2026-11-20T09:30:00.000' }, catalogFromLayouts([]), { stats })) void _;
    return stats;
  };
  it('none of them is a committed delete the result lacks', async () => {
    const stats = await scan();
    expect(stats.unknownAllocUnitRowOps).toBe(0);
    expect(unknownTablesClause(stats, ['delete'], 'printed')).toBe('');
    expect(stats).toMatchObject({ rolledBackRowOps: 1, outsideWindowRowOps: 1, compensationRowOps: 1, uncommittedRowOps: 2 });
  });
  it('a committed one in the window still is, by unit', async () => {
    const stats = await scan([
      rec('0:1:1', 'LOP_BEGIN_XACT', '0000:9', { 'Begin Time': '2026/11/20 10:00:00:000' }),
      del('0:1:2', '0000:9'),
      rec('0:1:3', 'LOP_COMMIT_XACT', '0000:9', { 'End Time': '2026/11/20 10:00:01:000' }),
    ]);
    expect(stats.unknownAllocUnitRowOps).toBe(1);
    expect(Object.fromEntries(stats.unknownAllocUnits!)).toEqual({ [UNKNOWN]: 1 });
    expect(unknownTablesClause(stats, ['delete'], 'printed')).toContain(`1 committed delete(s) on allocation units the data file's or backup's catalog does not name`);
  });
});

const cli = captureCli();
describeCorpus('scan --from past a table\'s deletes the catalog does not name (REAL log)', () => {
  it('no INCOMPLETE for deletes outside the window; inside it, still INCOMPLETE', async () => {
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    dropEmployee = true;
    try {
      const r = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--from', '2018-08-30', '--strict', '--quiet');
      expect(r.stderr).not.toContain('INCOMPLETE');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(5);
      const inside = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--from', '2018-08-29', '--strict', '--quiet');
      expect(inside.code).toBe(3);
      expect(inside.stderr).toContain("INCOMPLETE: 2 committed delete(s) on allocation units the data file's catalog does not name");
    } finally {
      dropEmployee = false;
    }
  });
});
