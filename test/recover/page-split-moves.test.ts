/**
 * A page split moves the rows after the split point to a new page in a system transaction of its own
 * (`SplitPage`): each moved row is logged as LOP_INSERT_ROWS LCX_CLUSTERED on the new page, their
 * removal from the old page as LOP_DELETE_SPLIT. Those rows were inserted before, by another
 * transaction, so a scan for inserts must not print them: it printed each as an insert with the
 * split's Begin Time and SPID (a DBA undoing "what was inserted in the window" would delete rows that
 * were there long before it). replay/point-in-time.ts already left them out of a replay.
 *
 * Real bytes: NORTHWND_log.ldf holds 40 such inserts (on system tables, which a scan never prints;
 * here a catalog names their allocation units as tables, so the filter's rule shows on real records:
 * 23 of the 40 are byte for byte a row image an earlier INSERT of the same unit logged).
 * SYNTHETIC: a split whose LOP_BEGIN_XACT is not in the log read (told by its LOP_DELETE_SPLIT).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats, explainNoRows, scanStatsNotes } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { readLdfRecordBatches } from '../../src/logreader/ldf/reader.js';
import type { RecordKeep } from '../../src/logreader/ldf/reader.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const layout = (name: string, au: string): TableLayout => ({
  schema: 'dbo', name, indexId: 1, compression: 'NONE', columns: [], allocUnits: [{ allocUnitId: au, type: 'IN_ROW_DATA' }],
});

describeCorpus('page split inserts on real log records (NORTHWND_log.ldf)', () => {
  // the allocation units SplitPage transactions of this log inserted moved rows on (LCX_CLUSTERED), with how many
  const SPLIT_UNITS: Record<string, number> = {
    '281474976776192': 1, '281474976907264': 2, '281474976841728': 1, '281474979397632': 7, '281474978938880': 1,
    '281474981625856': 1, '281474980315136': 2, '281474980249600': 1, '281474980642816': 13,
  };
  const catalog = catalogFromLayouts(Object.keys(SPLIT_UNITS).map((au, i) => layout(`T${i}`, au)));
  const ldf = corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf');
  // the .ldf's records in LSN order, built only where the filter's keep asks (as the file source reads them)
  const open = (keep?: RecordKeep) => (async function* () {
    for await (const b of readLdfRecordBatches(ldf, { vlfOrder: 'sequence' }, undefined, keep)) yield b.records;
  })();

  it('returns no insert of a SplitPage transaction, and counts them', async () => {
    const stats = emptyStats();
    const got = await all(committedCandidates(open, { operations: ['insert'] }, catalog, { stats }));
    expect(got.length).toBeGreaterThan(2000); // the other inserts on those units are still returned
    expect(got.filter((c) => c.txn.name === 'SplitPage')).toEqual([]);
    expect(stats.pageMoveRowOps).toBe(Object.values(SPLIT_UNITS).reduce((a, b) => a + b, 0));
    expect(scanStatsNotes(stats, ['insert'], false).notes.join('\n')).toContain('29 insert(s) not printed: rows a page split moved to a new page');
  });

  it('told by their LOP_DELETE_SPLIT (kept by the reader\'s record filter) when their LOP_BEGIN_XACT is not read', async () => {
    // the same real records, every SplitPage begin left out: as a log read starting inside them
    const withoutSplitBegins = (keep?: RecordKeep) => (async function* () {
      for await (const b of readLdfRecordBatches(ldf, { vlfOrder: 'sequence' }, undefined, keep)) {
        yield b.records.filter((r) => !(r.Operation === 'LOP_BEGIN_XACT' && r['Transaction Name'] === 'SplitPage'));
      }
    })();
    const stats = emptyStats();
    const got = await all(committedCandidates(withoutSplitBegins, { operations: ['insert'] }, catalog, { stats }));
    expect(got.filter((c) => c.txn.name === null)).toEqual([]);
    // every one of the 29 is in a transaction holding a LOP_DELETE_SPLIT
    expect(stats.pageMoveRowOps).toBe(29);
  });

  it('a delete scan is unchanged (a split logs no LOP_DELETE_ROWS for the rows it moves)', async () => {
    const stats = emptyStats();
    await all(committedCandidates(open, { operations: ['delete'] }, catalog, { stats }));
    expect(stats.pageMoveRowOps ?? 0).toBe(0);
  });
});

describe('page split inserts (SYNTHETIC records)', () => {
  const AU = '72057594043367424';
  const catalog = catalogFromLayouts([layout('Customers', AU)]);
  const rec = (lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra });
  const row = new Uint8Array([0x30, 0, 8, 0, 1, 0, 0, 0, 2, 0, 0]);

  it('told by LOP_DELETE_SPLIT when the split\'s LOP_BEGIN_XACT is not in the log read', async () => {
    const log = [
      rec('1:1:1', 'LOP_INSERT_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      rec('1:1:2', 'LOP_DELETE_SPLIT', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000123' }),
      rec('1:1:3', 'LOP_COMMIT_XACT', '0000:9', { 'End Time': '2024/03/05 15:00:00:000' }),
      rec('1:2:1', 'LOP_BEGIN_XACT', '0000:a', { 'Begin Time': '2024/03/05 15:01:00:000', 'Transaction Name': 'INSERT', SPID: 61 }),
      rec('1:2:2', 'LOP_INSERT_ROWS', '0000:a', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      rec('1:2:3', 'LOP_COMMIT_XACT', '0000:a', { 'End Time': '2024/03/05 15:01:00:000' }),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* log; }, { operations: ['insert'] }, catalog, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:2:2']);
    expect(stats.pageMoveRowOps).toBe(1);
  });

  it('only a split\'s inserts are left out, in memory and spilled to temporary files alike (SYNTHETIC: a delete in it)', async () => {
    const del = new Uint8Array([0x30, 0, 8, 0, 7, 0, 0, 0, 2, 0, 0]);
    const log = [
      rec('1:1:1', 'LOP_BEGIN_XACT', '0000:9', { 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
      rec('1:1:2', 'LOP_INSERT_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      rec('1:1:3', 'LOP_DELETE_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000123', 'RowLog Contents 0': del }),
      rec('1:1:4', 'LOP_INSERT_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      rec('1:1:5', 'LOP_DELETE_SPLIT', '0000:9', { Context: 'LCX_CLUSTERED' }),
      rec('1:1:6', 'LOP_COMMIT_XACT', '0000:9', { 'End Time': '2024/03/05 15:00:00:000' }),
    ];
    const spillDir = mkdtempSync(join(tmpdir(), 'rowback-split-spill-'));
    try {
      for (const holdBudgetBytes of [undefined, 1]) {
        const stats = emptyStats();
        const got = await all(committedCandidates(async function* () { yield* log; }, { operations: ['delete', 'insert'] }, catalog, { stats, holdBudgetBytes, spillDir }));
        expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:1:3']);
        expect(stats.pageMoveRowOps).toBe(2);
      }
    } finally {
      rmSync(spillDir, { recursive: true, force: true });
    }
  });

  it('"why no rows" counts them', async () => {
    const log = [
      rec('1:1:1', 'LOP_BEGIN_XACT', '0000:9', { 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
      rec('1:1:2', 'LOP_INSERT_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      // (told by it, not by the name: a user's transaction may be named SplitPage)
      rec('1:1:3', 'LOP_DELETE_SPLIT', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000123' }),
      rec('1:1:4', 'LOP_COMMIT_XACT', '0000:9', { 'End Time': '2024/03/05 15:00:00:000' }),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* log; }, { operations: ['insert'] }, catalog, { stats }));
    expect(got).toEqual([]);
    expect(explainNoRows(stats, ['insert'])).toContain('1 rows a page split moved to a new page (SplitPage; not inserts)');
  });
  it('a transaction named SplitPage without a LOP_DELETE_SPLIT: its note counts the rows printed, not those its own transaction took back (SYNTHETIC)', async () => {
    // a user's BEGIN TRAN SplitPage deletes a row and inserts it again: nothing printed; the note said
    // '1 row operation(s) printed are in transaction(s) named SplitPage' beside "why no rows"
    const log = [
      rec('1:1:1', 'LOP_BEGIN_XACT', '0000:9', { 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
      rec('1:1:2', 'LOP_DELETE_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': row }),
      rec('1:1:3', 'LOP_INSERT_ROWS', '0000:9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': row }),
      rec('1:1:4', 'LOP_COMMIT_XACT', '0000:9', { 'End Time': '2024/03/05 15:00:00:000' }),
      rec('1:2:1', 'LOP_BEGIN_XACT', '0000:a', { 'Begin Time': '2024/03/05 15:01:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
      rec('1:2:2', 'LOP_DELETE_ROWS', '0000:a', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'Slot ID': 1, 'RowLog Contents 0': row }),
      rec('1:2:3', 'LOP_COMMIT_XACT', '0000:a', { 'End Time': '2024/03/05 15:01:00:000' }),
    ];
    const stats = emptyStats();
    const got = await all(committedCandidates(async function* () { yield* log; }, { operations: ['delete'] }, catalog, { stats }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['1:2:2']);
    expect(stats.splitNamedRowOps).toBe(1);
    expect(stats.splitNamedFirstLsn).toBe('1:2:1');
    expect(scanStatsNotes(stats, ['delete'], false).notes.join('\n')).toContain('1 row operation(s) printed are in transaction(s) named SplitPage');
  });
  it('the note names the first 5 splits, with \'…\' only when there are more (5 splits said \'…\' too) (SYNTHETIC)', async () => {
    const split = (k: number) => [
      rec(`2:${k}:1`, 'LOP_BEGIN_XACT', `0000:s${k}`, { 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
      rec(`2:${k}:2`, 'LOP_INSERT_ROWS', `0000:s${k}`, { Context: 'LCX_CLUSTERED', AllocUnitId: AU, 'Page ID': '0001:00000140', 'RowLog Contents 0': row }),
      rec(`2:${k}:3`, 'LOP_DELETE_SPLIT', `0000:s${k}`, { Context: 'LCX_CLUSTERED' }),
      rec(`2:${k}:4`, 'LOP_COMMIT_XACT', `0000:s${k}`, { 'End Time': '2024/03/05 15:00:00:000' }),
    ];
    const note = async (splits: number) => {
      const log = [1, 2, 3, 4, 5, 6].slice(0, splits).flatMap(split);
      const stats = emptyStats();
      await all(committedCandidates(async function* () { yield* log; }, { operations: ['insert'] }, catalog, { stats }));
      return scanStatsNotes(stats, ['insert'], false).notes.find((x) => x.includes('page split'))!;
    };
    expect(await note(5)).toContain('(transaction 0000:s1, 0000:s2, 0000:s3, 0000:s4, 0000:s5)');
    expect(await note(6)).toContain('(transaction 0000:s1, 0000:s2, 0000:s3, 0000:s4, 0000:s5, …)');
  });
});
