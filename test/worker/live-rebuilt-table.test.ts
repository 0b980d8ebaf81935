/**
 * A live job (and `scan --server`: the same verdict, incomplete-verdict.ts) over a table rebuilt
 * after its rows were deleted. The scan query reads the log records of the allocation units the
 * tables have NOW (sql.ts scanSql: sys.allocation_units joined to sys.partitions); ALTER INDEX …
 * REBUILD gives the clustered index new ones, so the deletes of before it are filtered out by the
 * server and never seen: 0 rows of that table, and the job complete. The table's
 * sys.objects.modify_date (the catalog query's modify_date) at or after the window's start, or,
 * without one, where the log read begins (probed: the first LOP_BEGIN_XACT of fn_dblog) is now
 * INCOMPLETE (rebuilt-tables.ts). SYNTHETIC answers shaped like the server's
 * (test/worker/live-window-before-log.test.ts); no server here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { LiveSource } from '../../src/recover/sources/live.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { customersCatalog, customersDeleteRow, FakeLiveRunner, SERVER_INFO } from '../support/fake-live-customers.js';

const catalog = customersCatalog;
const row = customersDeleteRow;

/** `logStart`: the first LOP_BEGIN_XACT of the online log (every TOP (1) probe's answer), or an Error the probe fails with. */
class Runner extends FakeLiveRunner {
  readonly sent: string[] = [];
  constructor(private readonly modified: string, private readonly logStart: string | Error) { super(); }
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    const t = stmt.text;
    this.sent.push(t);
    if (t.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (t.includes('sys.dm_db_log_info')) yield { vlf_sequence_number: 42, vlf_active: 1, vlf_first_lsn: '0000002a:000001f0:0001' };
    else if (t.includes('SELECT TOP (1) l.[Current LSN], l.[Begin Time]')) {
      if (this.logStart instanceof Error) throw this.logStart;
      yield { 'Current LSN': '0000002a:00000010:0001', 'Begin Time': this.logStart };
    } else if (t.includes('SELECT TOP (1) l.[Current LSN], l.[End Time]')) {
      // the window probe: the first commit, taken to end when the log's first transaction began
      if (this.logStart instanceof Error) throw this.logStart;
      yield { 'Current LSN': '0000002a:00000010:0002', 'End Time': this.logStart };
    } else if (t.includes('system_internals_partition_columns')) yield* catalog(this.modified);
    else if (t.includes('[xact]')) yield* [row(1, 'LOP_BEGIN_XACT'), row(2, 'LOP_DELETE_ROWS'), row(3, 'LOP_COMMIT_XACT')];
    else if (t.includes('dm_exec_sessions')) return;
    else throw new Error(`unexpected statement: ${t.slice(0, 60)}`);
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-rebuilt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rebuilt = (notes: string[] | null | undefined) => (notes ?? []).filter((n) => n.includes('altered or rebuilt'));

async function runJob(runner: Runner, over: Record<string, unknown>): Promise<{ complete: boolean | null; incomplete: string[] | null; rows: number }> {
  const store = new StagingStore(join(dir, `staging-${Math.random().toString(36).slice(2)}.db`));
  try {
    const w = new JobWorker({ store, openSource: async () => new LiveSource({ database: 'CRM', runner }) });
    const job = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', ...over } as never, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect(done.error).toBeNull();
    return { complete: done.complete, incomplete: done.incomplete, rows: store.countRows(job.id, {}) };
  } finally {
    store.close();
  }
}

describe('a live job over a table rebuilt inside the stretch asked for', () => {
  it('from before the rebuild: INCOMPLETE in the job\'s words; from after it: complete', async () => {
    const early = await runJob(new Runner('2024-03-05T13:00:00.447', '2024/03/05 11:00:00:000'), { from: '2024-03-05T12:00' });
    expect(early.rows).toBe(1);
    expect(early.complete).toBe(false);
    expect(rebuilt(early.incomplete)).toEqual([
      expect.stringMatching(/^INCOMPLETE: a table was altered or rebuilt at or after the window's start \(from 2024-03-05T12:00:00\.000\): dbo\.Customers at 2024-03-05T13:00:00\.447 .*which this live scan does not read .*missing from this job.*; run a files job on the log instead.*metadata on a live job does not help/),
    ]);
    const late = await runJob(new Runner('2024-03-05T13:00:00.447', '2024/03/05 11:00:00:000'), { from: '2024-03-05T13:30' });
    expect(rebuilt(late.incomplete)).toEqual([]);
    expect(late.complete).toBe(true);
  }, 60_000);

  it('no from: where the online log begins (its first LOP_BEGIN_XACT, probed) decides; a failed probe falls back to the first transaction returned', async () => {
    const runner = new Runner('2024-03-05T13:00:00.447', '2024/03/05 12:30:00:000');
    const inside = await runJob(runner, {});
    expect(rebuilt(inside.incomplete)).toEqual([expect.stringContaining("at or after the start of the log read (its first transaction began at 2024-03-05T12:30:00.000): dbo.Customers at 2024-03-05T13:00:00.447")]);
    // the probe reads the online log from its start (fn_dblog(@start = NULL, NULL))
    expect(runner.sent.filter((t) => t.includes('SELECT TOP (1)'))).toHaveLength(1);
    // the log read begins after the rebuild: every delete it holds is on the new units
    expect(rebuilt((await runJob(new Runner('2024-03-05T13:00:00.447', '2024/03/05 13:30:00:000'), {})).incomplete)).toEqual([]);
    // the probe fails: compared with the transaction returned (begun 14:07), a rebuild after it is said, one before it not
    const failed = new Error('probe refused');
    expect(rebuilt((await runJob(new Runner('2024-03-05T14:30:00.000', failed), {})).incomplete)).toEqual([expect.stringContaining('its first transaction began at 2024-03-05T14:07:09.123')]);
    expect(rebuilt((await runJob(new Runner('2024-03-05T13:00:00.447', failed), {})).incomplete)).toEqual([]);
  }, 60_000);

  it('LiveSource.catalogChanges: the tables read with their modify_date, null before a scan', async () => {
    const src = new LiveSource({ database: 'CRM', runner: new Runner('2024-03-05T13:00:00', '2024/03/05 12:30:00:000') });
    expect(src.catalogChanges()).toBeNull();
    for await (const _ of src.candidates({ operations: ['delete'] })) { /* drain */ }
    expect(src.catalogChanges()).toEqual({ tables: [{ table: 'dbo.Customers', modified: '2024-03-05T13:00:00.000' }], logReadFrom: '2024-03-05T12:30:00.000' });
  });
});
