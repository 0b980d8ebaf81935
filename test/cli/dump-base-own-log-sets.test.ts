// SYNTHETIC log records over REAL pages: `dump --bak StDb2Sql.bak --position 2` (StDb2005: a file of
// two full backup sets, appended WITH NOINIT) with set 2's own log replaced by records built here as
// plain objects (a committed insert into dbo.Users' data page 1:93 logged after the page was copied;
// the row image made by the test encoder, test/support/synthetic-encoder.ts, with the table's real
// layout; no byte of it comes from a SQL Server). The WARNING's way to the restored table named
// `rowback dump --bak FILE --stop-before-lsn END --table T`, which the point-in-time dump refuses for
// a file of several backup sets (INPUT_SEVERAL_BACKUP_SETS: it read files of one set each): the
// advice was a dead end. It named the RESTORE … WITH FILE = n that gives that table; now that the
// replay takes --position, it names `rowback dump --bak FILE --position N --stop-before-lsn END`, and
// that command prints the table with the row the own log added.
import { Sink } from '../support/text-sink.js';
import { afterEach, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
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
import { diffCaptured } from '../support/run-diff.js';

/** Set 2's own log: SYNTHETIC records (set 1's is read as it is). */
const ownLog = vi.hoisted(() => ({ file: null as string | null, records: [] as LogRecord[] }));
vi.mock('../../src/backup/log-stream.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/backup/log-stream.js')>();
  return {
    ...real,
    openBackupLogStream: (...a: Parameters<typeof real.openBackupLogStream>) => {
      const stream = real.openBackupLogStream(...a);
      if (a[0] !== ownLog.file || a[3] !== 2) return stream;
      return {
        ...stream,
        // the real stream read first, for the reader's counts (what the replay checks the stream's
        // coverage by), its records dropped; then the SYNTHETIC ones
        async *records(...args: Parameters<typeof stream.records>) {
          for await (const _ of stream.records(...args)) void _;
          for (const r of ownLog.records) yield r;
        },
      };
    },
  };
});


afterEach(() => {
  ownLog.file = null;
  ownLog.records = [];
  process.exitCode = undefined;
});

async function dump(opts: Partial<DumpOptions>) {
  const out = new Sink();
  const err = new Sink();
  await runDump({ format: 'ndjson', ...opts } as DumpOptions, out, err);
  return { out: out.text, err: err.text };
}

describeCorpus("dump --bak --position N of a file of several backup sets: the own-log WARNING's way to the restored table (SYNTHETIC records over REAL pages)", () => {
  const BAK = () => corpusPath('StDb2005/StDb2EFRP', 'StDb2Sql.bak');
  const FIRST = '00000025:000001e0:0025'; // set 2's first LSN (inspect --position 2)
  const LAST = '00000026:00000010:0001'; // its last LSN

  it('names the dump command with --position 2, which replays set 2 through its own log', async () => {
    const pages = openBackupPages([BAK()], 2);
    let layout;
    let pageLsn: string;
    try {
      const md = readDataFileMetadata(pages, new PageReader(pages));
      layout = findTable(md, 'dbo.Users')!.layout;
      pageLsn = parsePageHeader(readPageById(pages, '0001:0000005d')!).lsn;
    } finally {
      pages.close();
    }
    const au = layout.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
    // the page was copied before the own log began: a change logged there is not on it
    expect(parseLsn(pageLsn).vlf <= parseLsn(FIRST).vlf).toBe(true);
    const at = (slot: number) => formatLsn({ ...parseLsn(FIRST), block: parseLsn(FIRST).block + 1, slot });
    ownLog.file = BAK();
    ownLog.records = [
      { 'Current LSN': at(1), Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00009001', 'Transaction Name': 'INSERT', 'Begin Time': '2010/12/02 23:08:33:000' },
      { 'Current LSN': at(2), Operation: 'LOP_INSERT_ROWS', Context: 'LCX_CLUSTERED', 'Transaction ID': '0000:00009001', AllocUnitId: au, 'Page ID': '0001:0000005d', 'Slot ID': 18, 'RowLog Contents 0': encodeFixedVar(layout, { Username: 'Zed', Password: 'x' } as never) },
      { 'Current LSN': at(3), Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00009001', 'End Time': '2010/12/02 23:08:33:000' },
    ] as LogRecord[];
    const d = await dump({ bak: [BAK()], position: 2, table: 'dbo.Users' });
    const w = d.err.split('\n').filter((l) => l.startsWith('rowback dump: WARNING: '));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('1 committed after the page was copied, which the rows printed lack and RESTORE redoes (insert at LSN');
    expect(w[0]).toContain(`that table: rowback dump --bak ${BAK()} --position 2 --stop-before-lsn ${LAST} --table dbo.Users (the backup's own log replayed to its end; no log backup is needed)`);
    expect(w[0]).not.toContain('reads files of one backup set each');
    // the command named: set 2 replayed through its own log, the row it added there
    const replayed = await dump({ bak: [BAK()], position: 2, stopBeforeLsn: LAST, table: 'dbo.Users' });
    const users = replayed.out.trim().split('\n').map((l) => JSON.parse(l) as { values: { Username: string }; origin: string });
    expect(users.find((u) => u.values.Username === 'Zed')?.origin).toBe(`log ${at(2)}`);
    expect(users.filter((u) => u.origin === 'backup')).toHaveLength(d.out.trim().split('\n').length);
    // diff's later side (set 2, set 1 the earlier) read as it is: the same way, in diff's words
    const df = await diffCaptured({ bak: [BAK()], position: 1, afterBak: [BAK()], afterPosition: 2, table: 'dbo.Users', format: 'ndjson', quiet: true });
    const dw = df.err.split('\n').filter((l) => l.includes('WARNING'));
    expect(dw).toHaveLength(1);
    expect(dw[0]).toContain(`replay it to the backup's end: --after-position 2 --after-trn <the log backup taken after ${BAK()} (FILE = 2)> --after-stop-before-lsn ${LAST}`);
    expect(dw[0]).toContain(`\`rowback dump --bak ${BAK()} --position 2 --stop-before-lsn ${LAST} --table dbo.Users\``);
    // without --position: refused for this file, naming the option
    await expect(dump({ bak: [BAK()], stopBeforeLsn: LAST, table: 'dbo.Users' })).rejects.toThrow(/holds 2 backup sets; choose one with --position N/);
  }, 60_000);
});
