// SYNTHETIC log records over REAL pages: `diff --bak FULL DIFF` / `--after-bak FULL DIFF` (a side
// read as the backups hold it, no replay; the service's restore jobs compare the same way,
// compareTableStates) of appveyor-lab
// RestoreTimeClean.bak + a copy of RestoreTimeClean2.bak whose page 1:153 (dbo.steps' data page)
// has its m_lsn moved from 19:ac:2 into the differential's own log (19:b0:5; rows unchanged, the
// checksum computed again: test/support/page-lsn-copy.ts), with the differential's own log (the log
// RESTORE redoes over its copied pages) replaced by records built here as plain objects (row images
// made by the test encoder, test/support/synthetic-encoder.ts, with the table's real layout; no byte
// of them comes from a SQL Server). No corpus backup's own
// log holds a row change of a user table, so this path is pinned here only: a committed insert
// logged after its page was copied (RESTORE redoes it: the pages lack it) and an uncommitted delete
// the copy holds (RESTORE … WITH RECOVERY undoes it: the pages show it done).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { compareTableStates, comparisonNotes } from '../../src/replay/compare.js';
import { doubtfulNotes } from '../../src/staging/job-completeness.js';
import { diffCaptured } from '../support/run-diff.js';
import { openBackupPages } from '../../src/backup/open.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { parsePageHeader } from '../../src/datafile/page.js';
import { findTable } from '../../src/datafile/table-rows.js';
import { formatLsn, parseLsn } from '../../src/logreader/lsn.js';
import { readPageById } from '../../src/recover/page-model-anchor.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';
import { pageLsnCopy } from '../support/page-lsn-copy.js';

/** The own log the differential is read with: SYNTHETIC records, and items the reader would have skipped. */
const ownLog = vi.hoisted(() => ({ file: null as string | null, records: [] as LogRecord[], skipped: [] as SkippedItem[] }));
vi.mock('../../src/backup/log-stream.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/backup/log-stream.js')>();
  return {
    ...real,
    openBackupLogStream: (...a: Parameters<typeof real.openBackupLogStream>) => {
      const stream = real.openBackupLogStream(...a);
      if (a[0] !== ownLog.file) return stream;
      return {
        ...stream,
        async *records(opts: { onSkipped?: (x: SkippedItem) => void } = {}) {
          for (const x of ownLog.skipped) opts.onSkipped?.(x);
          for (const r of ownLog.records) yield r;
        },
      };
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'rowback-own-log-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  ownLog.file = null;
  ownLog.records = [];
  process.exitCode = undefined;
});

describeCorpus("diff and restore jobs: a side read from backups as they are, and the backups' own log (SYNTHETIC records over REAL pages)", () => {
  const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
  const FULL = () => RTC('RestoreTimeClean.bak');
  const LAST = '00000019:000000be:0001'; // RestoreTimeClean2.bak's last LSN (inspect)
  const PAGE = '0001:00000099'; // dbo.steps' data page 1:153
  const PAGE_LSN = '00000019:000000b0:0005'; // its m_lsn in the copy: inside the differential's own log
  let diff: string | undefined;
  const DIFF = () => (diff ??= pageLsnCopy(RTC('RestoreTimeClean2.bak'), join(dir, 'RestoreTimeClean2-page-lsn.bak'), 1, 153, '00000019:000000ac:0002', PAGE_LSN));
  const at = (slot: number) => formatLsn({ ...parseLsn(PAGE_LSN), slot });

  /** The differential's own log: a committed insert after page 1:153 was copied, and a delete it copied, its transaction open at the backup's end. */
  function syntheticOwnLog(differential = DIFF()) {
    const pages = openBackupPages([FULL(), differential]);
    let layout;
    try {
      layout = findTable(readDataFileMetadata(pages, new PageReader(pages)), 'dbo.steps')!.layout;
      expect(parsePageHeader(readPageById(pages, PAGE)!).lsn).toBe(PAGE_LSN);
    } finally {
      pages.close();
    }
    const au = layout.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
    const rec = (lsn: string, op: string, txn: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': txn, ...extra }) as LogRecord;
    const row = (lsn: string, op: string, txn: string, values: Record<string, unknown>) => rec(lsn, op, txn, { Context: 'LCX_HEAP', AllocUnitId: au, 'Page ID': PAGE, 'Slot ID': 30, 'RowLog Contents 0': encodeFixedVar(layout, values as never) });
    ownLog.file = differential;
    ownLog.records = [
      rec(at(1), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'DELETE' }),
      row(at(5), 'LOP_DELETE_ROWS', '0000:00009001', { step: 101, dt: '2017-06-01T13:14:00.0000000' }),
      rec(at(6), 'LOP_BEGIN_XACT', '0000:00009002', { 'Transaction Name': 'INSERT' }),
      row(at(7), 'LOP_INSERT_ROWS', '0000:00009002', { step: 100, dt: '2017-06-01T13:14:01.0000000' }),
      rec(at(8), 'LOP_COMMIT_XACT', '0000:00009002', { 'End Time': '2017/06/01 13:14:01:000' }),
    ];
  }

  it('diff: the earlier state read from the backups: a WARNING (even with --quiet; exit 3 with --strict) naming the table, the row operations and the replay (--trn, --stop-before-lsn); the comparison itself unchanged', async () => {
    const later = { afterBak: [FULL(), RTC('RestoreTimeClean2.bak')], afterTrn: [RTC('RestoreTimeClean2_1.trn')], afterStopBeforeLsn: '00000019:000000c7:0001' };
    const plain = await diffCaptured({ bak: [FULL(), DIFF()], ...later, table: 'dbo.steps', format: 'ndjson', quiet: true });
    expect(plain.err).not.toContain('WARNING');
    syntheticOwnLog();
    const d = await diffCaptured({ bak: [FULL(), DIFF()], ...later, table: 'dbo.steps', format: 'ndjson', quiet: true, strict: true });
    expect(d.lines).toEqual(plain.lines);
    const w = d.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`rowback diff: WARNING (earlier state, ${FULL()} + ${DIFF()}): dbo.steps: ${DIFF()}'s own log (LSN `);
    expect(w[0]).toContain(`holds 2 row operation(s) of dbo.steps (LSN ${at(5)} to ${at(7)}): 1 committed after the page was copied, which the rows compared lack and RESTORE redoes (insert at LSN ${at(7)}); 1 of transactions still open at the backup's end, which the rows compared show and RESTORE … WITH RECOVERY undoes (delete at LSN ${at(5)})`);
    expect(w[0]).toContain(`replay it to the backup's end: --trn <the log backup taken after ${DIFF()}> --stop-before-lsn ${LAST} (or, with no log backup after it, \`rowback dump --bak ${FULL()} ${DIFF()} --stop-before-lsn ${LAST} --table dbo.steps\` prints that table`);
    expect(process.exitCode).toBe(3);
  }, 120_000);

  it("diff: the later state read from the backups: the WARNING in the later state's words (--after-trn, --after-stop-before-lsn)", async () => {
    syntheticOwnLog();
    const d = await diffCaptured({ bak: [FULL()], afterBak: [FULL(), DIFF()], table: 'dbo.steps', format: 'ndjson', quiet: true });
    const w = d.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`rowback diff: WARNING (later state, ${FULL()} + ${DIFF()}): dbo.steps: ${DIFF()}'s own log`);
    expect(w[0]).toContain(`--after-trn <the log backup taken after ${DIFF()}> --after-stop-before-lsn ${LAST}`);
    // the dump that prints the restored table with no log backup after it: a dump's own flags, not the later side's
    expect(w[0]).toContain(`(or, with no log backup after it, \`rowback dump --bak ${FULL()} ${DIFF()} --stop-before-lsn ${LAST} --table dbo.steps\` prints that table: its own log replayed to its end)`);
  }, 120_000);

  it("diff: the later state's words leave a file's name alone (a differential named `diff --trn copy.bak` was said `diff --after-trn copy.bak`, no such file)", async () => {
    const named = pageLsnCopy(RTC('RestoreTimeClean2.bak'), join(dir, 'diff --trn copy.bak'), 1, 153, '00000019:000000ac:0002', PAGE_LSN);
    syntheticOwnLog(named);
    const d = await diffCaptured({ bak: [FULL()], afterBak: [FULL(), named], table: 'dbo.steps', format: 'ndjson', quiet: true });
    const w = d.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`rowback diff: WARNING (later state, ${FULL()} + ${named}): dbo.steps: ${named}'s own log`);
    expect(w[0]).toContain(`--after-trn <the log backup taken after ${named}> --after-stop-before-lsn ${LAST}`);
  }, 120_000);

  it('diff: the later state given differential first (--after-bak DIFF FULL, layered all the same): the differential\'s own log is read, the same WARNING', async () => {
    syntheticOwnLog();
    const d = await diffCaptured({ bak: [FULL()], afterBak: [DIFF(), FULL()], table: 'dbo.steps', format: 'ndjson', quiet: true });
    const w = d.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`dbo.steps: ${DIFF()}'s own log`);
    expect(w[0]).toContain('1 committed after the page was copied');
  }, 120_000);

  it("a restore job's comparison (compareTableStates, as the worker runs it): the WARNING among its notes, counted among the job's warnings (doubtfulNotes)", async () => {
    syntheticOwnLog();
    const r = await compareTableStates({ bak: [FULL()], afterBak: [FULL(), DIFF()], table: 'dbo.steps', keyName: 'key' });
    const notes = comparisonNotes(r).notes;
    const doubtful = doubtfulNotes(notes);
    expect(doubtful).toHaveLength(1);
    expect(doubtful[0]).toMatch(/^WARNING \(later state, .*\): dbo\.steps: .*holds 2 row operation\(s\) of dbo\.steps/);
  }, 120_000);
});
