// SYNTHETIC log records over REAL pages: `dump --bak FULL DIFF` (no --trn) of appveyor-lab
// RestoreTimeClean.bak + a copy of RestoreTimeClean2.bak whose page 1:153 (dbo.steps' data page)
// has its m_lsn moved from 19:ac:2 into the differential's own log (19:b0:5; rows unchanged, the
// checksum computed again: test/support/page-lsn-copy.ts), with the differential's own log (the log
// RESTORE redoes over its copied pages) replaced by records built here as plain objects (row images
// made by the test encoder, test/support/synthetic-encoder.ts, with the table's real layout; no byte
// of them comes from a SQL Server). No corpus backup's own
// log holds a row change of a user table, so this path is pinned here only: a committed insert
// logged after its page was copied (RESTORE redoes it: the pages lack it) and an uncommitted delete
// the copy holds (RESTORE … WITH RECOVERY undoes it: the pages show it done).
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sink } from '../support/text-sink.js';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { FormatError } from '../../src/errors.js';
import { runDump, type DumpOptions } from '../../src/cli/commands/dump.js';
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
import { shellWordsOf } from '../support/shell-words.js';

/** The own log the differential is read with: SYNTHETIC records, and items the reader would have skipped. */
const ownLog = vi.hoisted(() => ({ file: null as string | null, records: [] as LogRecord[], skipped: [] as SkippedItem[], fail: null as Error | null }));
vi.mock('../../src/backup/log-stream.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/backup/log-stream.js')>();
  return {
    ...real,
    openBackupLogStream: (...a: Parameters<typeof real.openBackupLogStream>) => {
      if (a[0] === ownLog.file && ownLog.fail) throw ownLog.fail;
      const stream = real.openBackupLogStream(...a);
      if (a[0] !== ownLog.file) return stream;
      return {
        ...stream,
        async *records(opts: { onSkipped?: (x: SkippedItem) => void } = {}, stats?: Parameters<typeof stream.records>[1]) {
          // the real stream read for the reader's counts (where it starts and ends: the replay checks
          // them against the header); its records (no row change of a user table) replaced by these
          if (stats) for await (const _ of stream.records({}, stats)) void _;
          for (const x of ownLog.skipped) opts.onSkipped?.(x);
          for (const r of ownLog.records) yield r;
        },
      };
    },
  };
});


const dir = mkdtempSync(join(tmpdir(), 'rowback-own-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  ownLog.file = null;
  ownLog.records = [];
  ownLog.skipped = [];
  ownLog.fail = null;
  process.exitCode = undefined;
});

async function dump(opts: Partial<DumpOptions>) {
  const out = new Sink();
  const err = new Sink();
  const res = await runDump({ format: 'ndjson', all: true, ...opts } as DumpOptions, out, err);
  return { ...res, out: out.text, err: err.text, exitCode: process.exitCode };
}

describeCorpus('dump --bak without --trn: the backup\'s own log (SYNTHETIC records over REAL pages)', () => {
  const FULL = () => corpusPath('appveyor-lab/RestoreTimeClean', 'RestoreTimeClean.bak');
  const FIRST = '00000019:000000ad:0026'; // RestoreTimeClean2.bak's first LSN (inspect)
  const LAST = '00000019:000000be:0001'; // its last LSN
  const PAGE = '0001:00000099'; // dbo.steps' data page 1:153, as dump prints its rows
  const PAGE_LSN = '00000019:000000b0:0005'; // its m_lsn in the copy: inside the own log
  let diff: string | undefined;
  const DIFF = () => (diff ??= pageLsnCopy(corpusPath('appveyor-lab/RestoreTimeClean', 'RestoreTimeClean2.bak'), join(dir, 'RestoreTimeClean2-page-lsn.bak'), 1, 153, '00000019:000000ac:0002', PAGE_LSN));

  /** dbo.steps' layout and data allocation unit, and page 1:153's m_lsn, read from the two backups. */
  function steps() {
    const pages = openBackupPages([FULL(), DIFF()]);
    try {
      const md = readDataFileMetadata(pages, new PageReader(pages));
      const layout = findTable(md, 'dbo.steps')!.layout;
      const au = layout.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
      return { layout, au, pageLsn: parsePageHeader(readPageById(pages, PAGE)!).lsn };
    } finally {
      pages.close();
    }
  }

  /** LSN `n` slots after `base`, inside its block. */
  const near = (base: string, n: number): string => {
    const l = parseLsn(base);
    return formatLsn({ ...l, slot: l.slot + n });
  };

  function ownLogOf(records: (s: ReturnType<typeof steps>) => LogRecord[]) {
    const s = steps();
    ownLog.file = DIFF();
    ownLog.records = records(s);
    return s;
  }

  const rec = (lsn: string, op: string, txn: string, extra: Partial<LogRecord> = {}): LogRecord =>
    ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': txn, ...extra }) as LogRecord;
  const row = (s: ReturnType<typeof steps>, lsn: string, op: string, txn: string, values: Record<string, unknown>) =>
    rec(lsn, op, txn, { Context: 'LCX_HEAP', AllocUnitId: s.au, 'Page ID': PAGE, 'Slot ID': 30, 'RowLog Contents 0': encodeFixedVar(s.layout, values as never) });
  /** A delete copied while its transaction was open (LSN ≤ the page's m_lsn, no commit) and an insert committed after the page was copied. */
  const scenario = (s: ReturnType<typeof steps>): LogRecord[] => [
    rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'DELETE', 'Begin Time': '2017/06/01 13:14:00:000' }),
    row(s, s.pageLsn, 'LOP_DELETE_ROWS', '0000:00009001', { step: 101, dt: '2017-06-01T13:14:00.0000000' }),
    rec(near(s.pageLsn, 1), 'LOP_BEGIN_XACT', '0000:00009002', { 'Transaction Name': 'INSERT', 'Begin Time': '2017/06/01 13:14:01:000' }),
    row(s, near(s.pageLsn, 2), 'LOP_INSERT_ROWS', '0000:00009002', { step: 100, dt: '2017-06-01T13:14:01.0000000' }),
    rec(near(s.pageLsn, 3), 'LOP_COMMIT_XACT', '0000:00009002', { 'End Time': '2017/06/01 13:14:01:000' }),
  ];

  it('the replay the WARNING names is a command line: a backup named with a space or a line break is one shell word (REAL copy linked under such a name)', async () => {
    if (process.platform === 'win32') return;
    // it was `rowback dump --bak FULL …/my diff.bak --stop-before-lsn …`: pasted, `…/my` and `diff.bak`
    ownLogOf(scenario);
    for (const name of ['my diff.bak', 'line\nbreak diff.bak']) {
      const link = join(dir, name);
      symlinkSync(DIFF(), link);
      ownLog.file = link;
      const d = await dump({ bak: [FULL(), link], quiet: true });
      const said = /that table: (rowback dump .*?) \(the backup's own log replayed to its end/.exec(d.err)?.[1];
      expect(said, d.err).toBeDefined();
      expect(shellWordsOf(said!)).toEqual(['rowback', 'dump', '--bak', FULL(), link, '--stop-before-lsn', LAST, '--table', 'dbo.steps']);
      process.exitCode = undefined;
    }
  });

  it('a committed insert after the page was copied and an uncommitted delete it copied: the pages are printed as copied, with a WARNING naming the table, the counts, the LSNs and the replay that gives the restored table (even with --quiet; exit 3 with --strict; in --report)', async () => {
    const plain = await dump({ bak: [FULL(), DIFF()] });
    expect(plain.err).not.toContain('WARNING');
    expect(plain.skipped).toEqual([]); // the copy's page 1:153 verifies
    const s = ownLogOf(scenario);
    // the page's m_lsn as the dump reads it; the synthetic LSNs lie inside the differential's own log
    expect(s.pageLsn).toBe(PAGE_LSN);
    expect(parseLsn(FIRST).block < parseLsn(PAGE_LSN).block && parseLsn(PAGE_LSN).block < parseLsn(LAST).block).toBe(true);
    const report = join(dir, 'r.json');
    const d = await dump({ bak: [FULL(), DIFF()], quiet: true, strict: true, report });
    // the rows are the pages' (30 of dbo.steps), unchanged
    expect(d.out).toBe(plain.out);
    expect(d.rows).toBe(30);
    const warnings = d.err.split('\n').filter((l) => l.startsWith('rowback dump: WARNING: '));
    expect(warnings).toHaveLength(1);
    const w = warnings[0]!;
    expect(w).toContain(`rowback dump: WARNING: dbo.steps: ${DIFF()}'s own log (LSN `);
    expect(w).toContain(`to ${LAST}`);
    expect(w).toContain(`holds 2 row operation(s) of dbo.steps (LSN ${s.pageLsn} to ${near(s.pageLsn, 2)})`);
    expect(w).toContain(`1 committed after the page was copied, which the rows printed lack and RESTORE redoes (insert at LSN ${near(s.pageLsn, 2)})`);
    expect(w).toContain(`1 of transactions still open at the backup's end, which the rows printed show and RESTORE … WITH RECOVERY undoes (delete at LSN ${s.pageLsn})`);
    expect(w).toContain(`that table: rowback dump --bak ${FULL()} ${DIFF()} --stop-before-lsn ${LAST} --table dbo.steps (the backup's own log replayed to its end; no log backup is needed)`);
    expect(d.err).not.toContain('dbo.table1:');
    expect(d.exitCode).toBe(3);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; complete: boolean };
    expect(r.warnings).toEqual([w.slice('rowback dump: WARNING: '.length)]);
    // one table named: the same WARNING; another table: none
    expect((await dump({ bak: [FULL(), DIFF()], all: undefined, table: 'dbo.steps' })).err).toContain(w);
    process.exitCode = undefined;
    expect((await dump({ bak: [FULL(), DIFF()], all: undefined, table: 'dbo.table1', strict: true })).err).not.toContain('WARNING');
    expect(process.exitCode).toBeUndefined();
  }, 60_000);

  it('the command the WARNING names gives the restored table with no log backup after the backup (the last one taken): the own log replayed to its end, the open delete undone, the insert committed after the copy redone; any other stop point without --trn is refused naming the end', async () => {
    ownLogOf(scenario);
    const pages = await dump({ bak: [FULL(), DIFF()], all: undefined, table: 'dbo.steps' });
    const printed = pages.out.trim().split('\n').map((l) => (JSON.parse(l) as { values: { step: number } }).values.step);
    expect(printed).toHaveLength(30);
    // the command, as the WARNING words it (no --trn)
    const cmd = /that table: rowback dump (--bak .*) --stop-before-lsn (\S+) --table (\S+)/.exec(pages.err)!;
    expect(cmd[1]).toBe(`--bak ${FULL()} ${DIFF()}`);
    const restored = await dump({ bak: [FULL(), DIFF()], all: undefined, stopBeforeLsn: cmd[2], table: cmd[3] });
    expect(restored.exitCode).toBeUndefined();
    const steps = restored.out.trim().split('\n').map((l) => (JSON.parse(l) as { values: { step: number } }).values.step).sort((a, b) => a - b);
    // RESTORE … WITH RECOVERY: the copied rows, the delete of 101 (open at the end) undone, 100 (committed after the copy) redone
    expect(steps).toEqual([...printed].concat([100, 101]).sort((a, b) => a - b));
    expect(restored.err).toContain('redone 1 insert(s)');
    expect(restored.err).toContain(`chain: full ${FULL()} → differential ${DIFF()}`);
    // another stop point without --trn: refused, naming the backup's end
    await expect(dump({ bak: [FULL(), DIFF()], all: undefined, stopBeforeLsn: FIRST, table: 'dbo.steps' })).rejects.toThrow(`without --trn the replay reaches only the end of ${DIFF()} (--stop-before-lsn ${LAST}`);
  }, 60_000);

  it('the differential given before its full backup (--bak DIFF FULL, which the pages layer all the same): its own log is the one read, the WARNING and the command it names the same as in order', async () => {
    ownLogOf(scenario);
    const inOrder = await dump({ bak: [FULL(), DIFF()], all: undefined, table: 'dbo.steps' });
    const reversed = await dump({ bak: [DIFF(), FULL()], all: undefined, table: 'dbo.steps' });
    expect(reversed.out).toBe(inOrder.out);
    const w = reversed.err.split('\n').filter((l) => l.startsWith('rowback dump: WARNING: '));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`dbo.steps: ${DIFF()}'s own log (LSN `);
    expect(w[0]).toContain('1 committed after the page was copied');
    const cmd = /that table: rowback dump (--bak .*) --stop-before-lsn (\S+) --table (\S+)/.exec(w[0]!)!;
    expect(cmd[2]).toBe(LAST);
    // the command, files in the order given: the restored table (32 rows, as in order)
    const restored = await dump({ bak: cmd[1]!.replace(/^--bak /, '').split(' '), all: undefined, stopBeforeLsn: cmd[2], table: cmd[3] });
    expect(restored.out.trim().split('\n')).toHaveLength(32);
  }, 60_000);

  it('row operations the copied pages already show as RESTORE leaves them (committed, on the page; open, not on it): no WARNING, a note (not with --quiet)', async () => {
    const s = ownLogOf((s) => [
      rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'INSERT' }),
      row(s, s.pageLsn, 'LOP_INSERT_ROWS', '0000:00009001', { step: 5, dt: '2017-06-01T13:01:42.9830000' }),
      rec(near(s.pageLsn, 1), 'LOP_COMMIT_XACT', '0000:00009001', { 'End Time': '2017/06/01 13:14:01:000' }),
      rec(near(s.pageLsn, 2), 'LOP_BEGIN_XACT', '0000:00009002', { 'Transaction Name': 'INSERT' }),
      row(s, near(s.pageLsn, 3), 'LOP_INSERT_ROWS', '0000:00009002', { step: 200, dt: '2017-06-01T13:14:01.0000000' }),
    ]);
    const d = await dump({ bak: [FULL(), DIFF()], strict: true });
    expect(d.err).not.toContain('WARNING');
    expect(d.err).toContain(`rowback dump: note: dbo.steps: ${DIFF()}'s own log`);
    expect(d.err).toContain(`holds 2 row operation(s) of dbo.steps (LSN ${s.pageLsn} to ${near(s.pageLsn, 3)}); by their page LSNs each is already as RESTORE leaves it`);
    expect(d.exitCode).toBeUndefined();
    expect((await dump({ bak: [FULL(), DIFF()], quiet: true })).err).not.toContain('note:');
  }, 60_000);

  it('a change of the table the replay cannot tell (an unknown operation on its data pages), and own log that could not be read: a WARNING each', async () => {
    const s = ownLogOf((s) => [
      rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'UPDATE' }),
      rec(s.pageLsn, 'LOP_MODIFY_KEY', '0000:00009001', { Context: 'LCX_HEAP', AllocUnitId: s.au, 'Page ID': PAGE }),
    ]);
    const d = await dump({ bak: [FULL(), DIFF()], quiet: true });
    expect(d.err).toContain(`rowback dump: WARNING: dbo.steps: ${DIFF()}'s own log`);
    expect(d.err).toContain(`holds a change of dbo.steps whose effect on its rows rowback cannot tell (REPLAY_UNSUPPORTED_OPERATION: LSN ${s.pageLsn} LOP_MODIFY_KEY`);
    expect(d.err).not.toContain('so it is not printed');

    ownLog.records = [];
    ownLog.skipped = [{ code: 'FORMAT_BAD_LOG_BLOCK', reason: 'log block checksum mismatch', location: { file: DIFF(), offset: 123904, lsn: s.pageLsn } }];
    const u = await dump({ bak: [FULL(), DIFF()], quiet: true, strict: true });
    expect(u.err).toContain(`rowback dump: WARNING: ${DIFF()}'s own log (LSN `);
    expect(u.err).toContain('could not be read whole (FORMAT_BAD_LOG_BLOCK: log block checksum mismatch (offset 123904))');
    expect(u.exitCode).toBe(3);

    // the log stream of one stripe of a striped backup (log-stream.ts refuses it: the log may be spread over the stripes)
    ownLog.skipped = [];
    ownLog.fail = new FormatError('FORMAT_INCOMPLETE_MEDIA_SET', 'this backup is striped over 2 files', { file: DIFF() });
    const striped = await dump({ bak: [FULL(), DIFF()], quiet: true });
    expect(striped.rows).toBe(30); // the rows are printed all the same
    expect(striped.err).toContain(`could not be read whole (FORMAT_INCOMPLETE_MEDIA_SET: ${DIFF()} is one stripe of a striped backup, whose own log rowback does not read)`);
  }, 60_000);

  it('a record of an operation the reader does not know (LOP_UNKNOWN_n: header only, no allocation unit or page): a WARNING per table dumped, not passed by as no table\'s', async () => {
    // it was passed by (its allocation unit unknown, no table's): the pages printed as a restore gives them, not a word
    const s = ownLogOf(() => [
      rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'user_transaction' }),
      rec(near(PAGE_LSN, 1), 'LOP_UNKNOWN_255', '0000:00009001', { Context: 'LCX_HEAP' }),
      rec(near(PAGE_LSN, 2), 'LOP_COMMIT_XACT', '0000:00009001', { 'End Time': '2017/06/01 13:14:01:000' }),
    ]);
    void s;
    const d = await dump({ bak: [FULL(), DIFF()], quiet: true, strict: true });
    expect(d.rows).toBe(30);
    const warnings = d.err.split('\n').filter((l) => l.startsWith('rowback dump: WARNING: '));
    expect(warnings.some((w) => w.startsWith(`rowback dump: WARNING: dbo.steps: ${DIFF()}'s own log`) && w.includes(`whose effect on its rows rowback cannot tell (REPLAY_UNSUPPORTED_OPERATION: LSN ${near(PAGE_LSN, 1)} LOP_UNKNOWN_255 (LCX_HEAP): an operation rowback does not know`))).toBe(true);
    expect(d.exitCode).toBe(3);
  }, 60_000);

  it("DDL in the own log whose catalog rows name the table, though no record carries its allocation unit: a WARNING (the replay's refusal); DDL naming other ids only: nothing", async () => {
    const auBytes = (au: string) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(au));
      return [...b];
    };
    // a catalog row (sysallocunits' allocation unit 458752 in the log) holding dbo.steps' allocation unit id
    const s = ownLogOf((s) => [
      rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'ALTER TABLE' }),
      rec(near(FIRST, 5), 'LOP_MODIFY_ROW', '0000:00009001', { Context: 'LCX_CLUSTERED', AllocUnitId: '458752', 'Page ID': '0001:00000010', 'RowLog Contents 0': new Uint8Array([0x10, 0x00, 0x20, 0x00, ...auBytes(s.au), 1, 0, 0, 0]) }),
      rec(near(FIRST, 6), 'LOP_COMMIT_XACT', '0000:00009001', { 'End Time': '2017/06/01 13:14:01:000' }),
    ]);
    const d = await dump({ bak: [FULL(), DIFF()], quiet: true });
    const w = d.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`rowback dump: WARNING: dbo.steps: ${DIFF()}'s own log`);
    expect(w[0]).toContain(`holds a change of dbo.steps whose effect on its rows rowback cannot tell (REPLAY_UNSUPPORTED_OPERATION: LSN ${near(FIRST, 5)} LOP_MODIFY_ROW`);
    expect(w[0]).toContain("transaction 'ALTER TABLE' (0000:00009001) changes catalog rows naming dbo.steps");
    // the same DDL naming no id of the tables dumped
    ownLog.records = ownLog.records.map((r) => (r.Operation === 'LOP_MODIFY_ROW' ? { ...r, 'RowLog Contents 0': new Uint8Array([0x10, 0x00, 0x20, 0x00, 9, 9, 9, 9, 9, 9, 9, 9, 1, 0, 0, 0]) } : r));
    expect(s.au).not.toBe('651061555542690057'); // 0x0909090909090909: not the table's id
    expect((await dump({ bak: [FULL(), DIFF()], quiet: true })).err).not.toContain('WARNING');
  }, 60_000);

  it("a DDL or bulk transaction on another table whose rows hold dbo.steps' object id by chance (a 4-byte int): no WARNING for dbo.steps (those records are dbo.table1's rows, not catalog rows); the same bytes in a catalog row still warn", async () => {
    const pages = openBackupPages([FULL(), DIFF()]);
    let objectId: number;
    let otherAu: string;
    try {
      const md = readDataFileMetadata(pages, new PageReader(pages));
      objectId = findTable(md, 'dbo.steps')!.layout.objectId!;
      otherAu = findTable(md, 'dbo.table1')!.layout.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
    } finally {
      pages.close();
    }
    const id = Buffer.alloc(4);
    id.writeInt32LE(objectId);
    // a row of dbo.table1 whose int column holds the same 4 bytes, inserted by an index rebuild (FULL recovery logs the rows)
    const records = (au: string, context: string) => [
      rec(near(FIRST, 4), 'LOP_BEGIN_XACT', '0000:00009001', { 'Transaction Name': 'ALTER INDEX' }),
      rec(near(FIRST, 5), 'LOP_INSERT_ROWS', '0000:00009001', { Context: context, AllocUnitId: au, 'Page ID': '0001:000000a0', 'Slot ID': 0, 'RowLog Contents 0': new Uint8Array([0x10, 0x00, 0x0c, 0x00, ...id, 0, 0, 0, 0, 2, 0, 0]) }),
      rec(near(FIRST, 6), 'LOP_COMMIT_XACT', '0000:00009001', { 'End Time': '2017/06/01 13:14:01:000' }),
    ];
    ownLogOf(() => records(otherAu, 'LCX_HEAP'));
    const d = await dump({ bak: [FULL(), DIFF()], quiet: true });
    // dbo.table1's own row operation under the rebuild: warned of, as before (its table)
    expect(d.err).toContain('rowback dump: WARNING: dbo.table1: ');
    expect(d.err).not.toContain('WARNING: dbo.steps');
    // the replay to the backup's end (the point-in-time path, the same LogReplay): not refused, the 30 rows
    const replayed = await dump({ bak: [FULL(), DIFF()], all: undefined, stopBeforeLsn: LAST, table: 'dbo.steps' });
    expect(replayed.out.trim().split('\n')).toHaveLength(30);
    // the same bytes in a catalog row (sysschobjs' allocation unit 262144): the table is named there
    ownLog.records = records('262144', 'LCX_CLUSTERED');
    expect((await dump({ bak: [FULL(), DIFF()], quiet: true })).err).toContain(`rowback dump: WARNING: dbo.steps: ${DIFF()}'s own log`);
  }, 60_000);
});
