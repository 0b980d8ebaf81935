/**
 * A LOP_BEGIN_XACT read whose Begin Time cannot be read (none: the .ldf reader gives null for a
 * datetime out of SQL Server's range, or a record too short for it, as damage in a block without a
 * log block checksum leaves it; an export row with the field empty) was taken, with a window, as a
 * transaction begun outside it: its rows left out, "why no rows" saying they "began outside the
 * window", exit 0 under --strict. Where it began is not known: it is now placed by its commit as one
 * whose begin was not read (committed before --from: outside; no --from and committed by --to:
 * inside; else INCOMPLETE), and a note names it.
 * SYNTHETIC records (committedCandidates) and a hand-built export file (scan --export).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats, scanStatsNotes } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const AU = '72057594043367424';
const table: TableLayout = { schema: 'dbo', name: 'Customers', indexId: 1, compression: 'NONE', columns: [], allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' }] };
const catalog = catalogFromLayouts([table]);
const rec = (lsn: string, op: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': '0000:1', ...extra });
const log: LogRecord[] = [
  rec('1:1:1', 'LOP_BEGIN_XACT', { 'Begin Time': null, 'Transaction Name': 'DELETE', SPID: 55 }),
  rec('1:1:2', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU }),
  rec('1:1:3', 'LOP_COMMIT_XACT', { 'End Time': '2026/11/20 10:00:01:000' }),
];
const open = async function* () {
  yield* log;
};

describe('a LOP_BEGIN_XACT with no Begin Time, with a window', () => {
  it('committed inside the window: not "outside", but whose begin is not known (INCOMPLETE)', async () => {
    const stats = emptyStats();
    const got = await all(committedCandidates(open, { operations: ['delete'], from: '2026-11-20T09:00:00.000', to: '2026-11-20T11:00:00.000' }, catalog, { stats }));
    expect(got).toEqual([]);
    expect(stats.outsideWindowRowOps).toBe(0);
    expect(stats.beginUnreadRowOps).toBe(1);
    expect(stats.beginTimeUnknownTransactions).toBe(1);
    expect(scanStatsNotes(stats, ['delete'], true).notes.join('\n')).toContain('1 transaction(s) of the log read have a LOP_BEGIN_XACT with no Begin Time that can be read (the first at LSN 1:1:1)');
  });

  it('committed by --to with no --from: it began by then, returned', async () => {
    const got = await all(committedCandidates(open, { operations: ['delete'], to: '2026-11-20T11:00:00.000' }, catalog));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:1:2']);
  });

  it('committed before --from: outside', async () => {
    const stats = emptyStats();
    await all(committedCandidates(open, { operations: ['delete'], from: '2026-11-20T10:30:00.000' }, catalog, { stats }));
    expect(stats.outsideWindowRowOps).toBe(1);
    expect(stats.beginUnreadRowOps ?? 0).toBe(0);
  });
});

describe('scan --export', () => {
  const cli = captureCli();
  const dir = mkdtempSync(join(tmpdir(), 'rowback-begin-time-unknown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is INCOMPLETE (exit 3 under --strict), not "began outside the window" with exit 0', async () => {
    const f = join(dir, 'x.json');
    const records = [
      exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Transaction Name': 'DELETE', SPID: 61 }),
      exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
      exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'delete', records, catalog: customersCatalog() }));
    const r = await cli('scan', '--export', f, '--from', '2024-03-05T14:00', '--to', '2024-03-05T15:00', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('rowback scan: INCOMPLETE: 1 committed delete(s) of 1 transaction(s) whose LOP_BEGIN_XACT is not in the log read');
    expect(r.stderr).not.toContain('began outside the window');
  });
});

describe('a TRUNCATE TABLE whose LOP_BEGIN_XACT has no Begin Time, with a window (SYNTHETIC records)', () => {
  const truncate = (end: string): LogRecord[] => [
    rec('1:1:1', 'LOP_BEGIN_XACT', { 'Transaction ID': '0000:7', 'Begin Time': null, 'Transaction Name': 'TRUNCATE TABLE', SPID: 55 }),
    rec('1:1:2', 'LOP_COMMIT_XACT', { 'Transaction ID': '0000:7', 'End Time': end }),
  ];
  const scan = async (records: LogRecord[]) => {
    const stats = emptyStats();
    await all(committedCandidates(async function* () { yield* records; }, { operations: ['delete'], from: '2026-11-20T10:00:00.000', to: '2026-11-20T11:00:00.000' }, catalog, { stats }));
    return stats;
  };

  it('committed before --from: it began outside the window, and is not said as a removal in it', async () => {
    // (its begin was read, so it was said: "began before this log", with a window it may lie far from)
    const s = await scan(truncate('2026/11/20 09:00:00:000'));
    expect(s.rowlessRemovals).toBe(0);
  });

  it('committed in the window: said, its begin named by LSN, not as begun before the log read', async () => {
    const s = await scan(truncate('2026/11/20 10:30:00:000'));
    expect(s.rowlessRemovals).toBe(1);
    const said = scanStatsNotes(s, ['delete'], true).removals.join('\n');
    expect(said).toContain('a TRUNCATE TABLE transaction 0000:7 committed (began at LSN 1:1:1, its Begin Time not readable, SPID 55)');
    expect(said).not.toContain('before this log');
  });
});
