import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/errors.js';
import { assertReadOnly } from '../../../src/logreader/live/read-only.js';
import type { RunOptions, SqlRunner } from '../../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../../src/logreader/live/sql.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import { sessionsSql } from '../../../src/logreader/live/sessions.js';
import { INACTIVE_LOG_WARNING, LiveSource } from '../../../src/recover/sources/live.js';
import { JobWorker } from '../../../src/worker/worker.js';
import { storeAndTarget } from '../../reinsert/fake-target.js';
import { fakeRecover } from '../../worker/fake-source.js';
import type { RowCandidate } from '../../../src/recover/source.js';

const AU = '72057594043236352';

/** Catalog rows as sql/table-metadata.sql returns them: dbo.Customers (id int, name nvarchar(50)). */
function catalogRows(modifyDate = '2024-01-02T09:00:00'): Row[] {
  const base = {
    schema_name: 'dbo', table_name: 'Customers', object_id: 901578250, index_id: 1, partition_id: '72057594042384384',
    partition_number: 1, data_compression_desc: 'NONE', in_row_alloc_unit_id: AU, lob_alloc_unit_id: null,
    row_overflow_alloc_unit_id: null, modify_date: modifyDate, user_type_name: null, is_identity: false, is_computed: false,
    is_persisted: null, is_rowguidcol: false, is_column_set: false, is_dropped: false, is_sparse: false, is_uniqueifier: false,
    default_value: null,
  };
  return [
    { ...base, partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1, is_identity: true },
    { ...base, partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'nvarchar', system_type_id: 231, max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 },
  ];
}

function scanRow(lsn: string, begin = '2024/03/05 14:07:09:123'): Row {
  return {
    log_input: 0, 'Current LSN': lsn, Operation: 'LOP_DELETE_ROWS', Context: 'LCX_MARK_AS_GHOST', 'Transaction ID': '0000:000003e8',
    AllocUnitId: AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'Offset in Row': 0, 'Modify Size': 0, Description: '',
    // SYNTHETIC row image (hand-built FixedVar record, not from a server): CustomerId 1, Name N'Ada'.
    'RowLog Contents 0': Buffer.from('3000080001000000020000010015004100640061' + '00', 'hex'), 'RowLog Contents 1': null,
    'Begin Time': begin, 'End Time': '2024/03/05 14:07:10:000', 'Transaction Name': 'DELETE',
    'Transaction SID': Buffer.from('01', 'hex'), Login: 'batchjob', SPID: 61,
  };
}

/**
 * What the scan query returns for one committed transaction (sql.ts scanSql): its LOP_BEGIN_XACT,
 * its row operations, its LOP_COMMIT_XACT, in LSN order, each row carrying the transaction's facts.
 * The begin and commit take LSNs just before the first and after the last row's.
 */
function committedTxn(rows: Row[]): Row[] {
  const first = rows[0]!;
  const lsnAt = (lsn: string, slot: number) => `${lsn.slice(0, 18)}${slot.toString(16).padStart(4, '0')}`;
  const at = (r: Row) => parseInt(String(r['Current LSN']).slice(18), 16);
  const facts = { 'Transaction ID': first['Transaction ID'], 'Begin Time': first['Begin Time'], 'End Time': first['End Time'], 'Transaction Name': first['Transaction Name'], 'Transaction SID': first['Transaction SID'], Login: first.Login, SPID: first.SPID, log_input: 0 };
  const bare = { AllocUnitId: null, 'Page ID': null, 'Slot ID': null, 'Offset in Row': null, 'Modify Size': null, Description: '', 'RowLog Contents 0': null, 'RowLog Contents 1': null };
  return [
    { ...bare, ...facts, 'Current LSN': lsnAt(String(first['Current LSN']), at(first) - 1), Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL' },
    ...rows,
    { ...bare, ...facts, 'Current LSN': lsnAt(String(rows[rows.length - 1]!['Current LSN']), at(rows[rows.length - 1]!) + 1), Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL' },
  ];
}

const CRM_GUID = '8E0F9E64-3C2B-4E59-9C61-2B2F1F4A7C10';
/** One row of RESTORE HEADERONLY (the columns rowback reads; mssql gives uniqueidentifier as text). */
function headerRow(position: number, o: Partial<Record<string, unknown>> = {}): Row {
  return { BackupName: null, BackupType: 2, Position: position, DatabaseName: 'CRM', BindingID: CRM_GUID.toLowerCase(), FamilyGUID: 'f0f0f0f0-0000-0000-0000-000000000001', ...o };
}

/** Answers each statement the source sends by what it reads, and records them all. */
class FakeRunner implements SqlRunner {
  readonly description = 'fake:1433/CRM as sa (SQL login) over TLS';
  sent: Array<{ stmt: SqlStatement; options: RunOptions }> = [];
  closed = false;
  constructor(private readonly answers: { catalog?: Row[]; vlfs?: Row[] | Error; probe?: (start: string) => Row[]; scan?: Row[]; recovery?: string; sessions?: Row[] | Error; headers?: Record<string, Row[] | Error>; productVersion?: string }) {}
  private answer(stmt: SqlStatement): Row[] {
    const t = stmt.text;
    if (t.startsWith('RESTORE HEADERONLY')) {
      // a file's sets as RESTORE HEADERONLY lists them; by default one log backup set of the database
      const h = this.answers.headers?.[String(stmt.params[0]!.value)] ?? [headerRow(1)];
      if (h instanceof Error) throw h;
      return h;
    }
    if (t.includes('SYSDATETIMEOFFSET')) return [{ product_version: this.answers.productVersion ?? '16.0.4135.4', tz_offset: '+08:00', server_now: '2024-03-05T15:00:00.0000000+08:00', database_name: 'CRM', is_sysadmin: 1, recovery_model: this.answers.recovery ?? 'FULL' }];
    if (t.includes('system_internals_partition_columns')) return this.answers.catalog ?? catalogRows();
    if (t.includes('dm_db_log_info')) {
      if (this.answers.vlfs instanceof Error) throw this.answers.vlfs;
      return this.answers.vlfs ?? [];
    }
    if (t.startsWith('SELECT TOP (1)')) return this.answers.probe?.(String(stmt.params[0].value)) ?? [];
    if (t.includes('[xact]')) return this.answers.scan ?? [];
    if (t.includes('dm_exec_sessions')) {
      if (this.answers.sessions instanceof Error) throw this.answers.sessions;
      // before SQL Server 2012 (major version 11) there are no sys.dm_hadr_* views: the name does not resolve
      if (Number.parseInt(this.answers.productVersion ?? '16', 10) < 11 && t.includes('sys.dm_hadr_')) throw new SourceError('SOURCE_QUERY', "Invalid object name 'sys.dm_hadr_database_replica_states'.");
      return this.answers.sessions ?? [];
    }
    throw new Error(`unexpected statement: ${t.slice(0, 60)}`);
  }
  async *stream(stmt: SqlStatement, options: RunOptions = {}): AsyncIterable<Row> {
    assertReadOnly(stmt.text, { allowInactiveLogTraceFlag: options.allowInactiveLogTraceFlag, allowHeaderOnly: options.allowHeaderOnly });
    this.sent.push({ stmt, options });
    yield* this.answer(stmt);
  }
  async query(stmt: SqlStatement, options?: RunOptions): Promise<Row[]> {
    const out: Row[] = [];
    for await (const r of this.stream(stmt, options)) out.push(r);
    return out;
  }
  async close() {
    this.closed = true;
  }
}

async function collect(it: AsyncIterable<RowCandidate>): Promise<RowCandidate[]> {
  const out: RowCandidate[] = [];
  for await (const c of it) out.push(c);
  return out;
}

const filter = { from: '2024-03-05T14:00:00.000', to: '2024-03-05T14:59:59.999', tables: ['dbo.Customers'], operations: ['delete' as const] };

describe('LiveSource: the host of the deleting session (sys.dm_exec_sessions)', () => {
  const vlfs = [{ vlf_sequence_number: 42, vlf_active: true, vlf_first_lsn: '0000002a:00000010:0001' }];
  const probe = () => [{ 'Current LSN': 'x', 'Begin Time': '2024/03/05 13:00:00:000' }];
  const session = (o: Partial<Record<string, unknown>> = {}) => ({ session_id: 61, login_time: '2024-03-05 14:02:00.000', host_name: 'BATCH01', program_name: 'nightly-cleanup', security_id: Buffer.from('01', 'hex'), ...o });

  it('names host and program only when SPID, SID and "logged in before it began" all agree', async () => {
    const cases: Array<[string, Row[], string | undefined]> = [
      ['the same session', [session()], 'BATCH01'],
      ['SPID reused by a later login', [session({ login_time: '2024-03-05 14:30:00.000' })], undefined],
      ['another login on that SPID', [session({ security_id: Buffer.from('0105', 'hex') })], undefined],
      ['another SPID', [session({ session_id: 62 })], undefined],
      ['no sessions visible', [], undefined],
    ];
    for (const [what, sessions, host] of cases) {
      const runner = new FakeRunner({ vlfs, probe, scan: committedTxn([scanRow('0000002a:000001f0:0003')]), sessions });
      const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
      const [c] = await collect(src.candidates(filter));
      expect(c!.txn.host ?? undefined, what).toBe(host);
      expect(c!.txn.program ?? undefined, what).toBe(host ? 'nightly-cleanup' : undefined);
      await src.close();
    }
  });

  // ApplicationIntent=ReadOnly (rowback's default) is routed to a readable secondary behind an
  // availability group listener: its log is the primary's, its sessions its own readers'. An
  // application's pooled read session there with the writer's login and SPID, logged in before the
  // delete began, was named as its host and program. SYNTHETIC rows as tedious gives them.
  it.each([
    ['an availability group secondary replica', { replica_role: 'SECONDARY', is_in_standby: false }, 'as a secondary replica of an availability group'],
    ['a replica resolving its role', { replica_role: 'RESOLVING', is_in_standby: false }, 'as a replica in role RESOLVING'],
    ['a log shipping secondary in STANDBY', { replica_role: null, is_in_standby: true }, 'log shipping secondary in STANDBY'],
  ])('on %s no session is taken for the writer, with a note', async (_what, where, said) => {
    const runner = new FakeRunner({ vlfs, probe, scan: committedTxn([scanRow('0000002a:000001f0:0003')]), sessions: [session(where)] });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    const [c] = await collect(src.candidates(filter));
    expect(c!.txn.host).toBeUndefined();
    expect(c!.txn.program).toBeUndefined();
    expect(src.notes.join('\n')).toContain(`host and program names are not shown: `);
    expect(src.notes.join('\n')).toContain(said);
    // and the log's times are the primary's clock, not this server's (SYNTHETIC: the server answers UTC+08:00)
    if (where.replica_role) expect(src.notes.join('\n')).toContain("the log's Begin and End Times (and --from/--to, compared with them) are the primary replica's local clock, not this server's (UTC+08:00 now)");
    await src.close();
  });

  it('on the primary replica (or outside any availability group) the session is named as before', async () => {
    for (const where of [{ replica_role: 'PRIMARY', is_in_standby: false }, { replica_role: null, is_in_standby: false }]) {
      const runner = new FakeRunner({ vlfs, probe, scan: committedTxn([scanRow('0000002a:000001f0:0003')]), sessions: [session(where)] });
      const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
      const [c] = await collect(src.candidates(filter));
      expect(c!.txn.host).toBe('BATCH01');
      expect(src.notes.join('\n')).not.toContain("primary replica's local clock");
      await src.close();
    }
  });

  // SQL Server 2008 and 2008 R2 have no sys.dm_hadr_* views (2012 on): the sessions query read them
  // unconditionally, failed there (Msg 208) and every host name was lost, with a note blaming
  // sys.dm_exec_sessions. SYNTHETIC: the fake server answers ProductVersion 10.50 and refuses the names.
  it('on SQL Server 2008 R2 the session is named: the availability group views (2012 on) are not read there', async () => {
    const runner = new FakeRunner({ vlfs, probe, scan: committedTxn([scanRow('0000002a:000001f0:0003')]), sessions: [session({ replica_role: null, sync_state: null, last_commit_time: null, is_in_standby: false })], productVersion: '10.50.6000.34' });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    const [c] = await collect(src.candidates(filter));
    expect(c!.txn.host).toBe('BATCH01');
    expect(src.notes.join('\n')).not.toContain('host and program names are not shown');
    const sent = runner.sent.find((x) => x.stmt.text.includes('dm_exec_sessions'))!.stmt.text;
    expect(sent).not.toContain('dm_hadr');
    expect(sent).toContain('CAST(NULL AS nvarchar(60)) AS [replica_role]');
    await src.close();
    // and from 2012 on they are read
    expect(sessionsSql('11.0.7001.0').text).toContain('sys.dm_hadr_database_replica_states');
    expect(sessionsSql(undefined).text).toContain('sys.dm_hadr_database_replica_states');
  });

  it('a login that may not read sys.dm_exec_sessions loses only the host names, with a note', async () => {
    const runner = new FakeRunner({ vlfs, probe, scan: committedTxn([scanRow('0000002a:000001f0:0003')]), sessions: new SourceError('SOURCE_QUERY', 'VIEW SERVER STATE permission was denied') });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    const got = await collect(src.candidates(filter));
    expect(got).toHaveLength(1);
    expect(got[0]!.txn.host).toBeUndefined();
    expect(src.notes.join('\n')).toContain('host and program names are not shown: sys.dm_exec_sessions could not be read (VIEW SERVER STATE permission was denied)');
    await src.close();
  });
});

describe('LiveSource', () => {
  it('loads the catalog with the shipped query and states the server time zone', async () => {
    const runner = new FakeRunner({});
    const src = new LiveSource({ database: 'CRM', runner });
    const cat = await src.metadata();
    expect(cat.byAllocUnit(AU)?.name).toBe('Customers');
    expect(cat.byName('dbo.customers')?.columns.map((c) => c.name)).toEqual(['CustomerId', 'Name']);
    expect(src.description).toBe('live fake:1433/CRM as sa (SQL login) over TLS (server time zone UTC+08:00)');
    expect(src.notes.join('\n')).toContain('UTC+08:00');
  });

  it('finds the start LSN by probing VLFs, then scans once with the bound, and maps candidates', async () => {
    const vlfs = [40, 41, 42, 43, 44].map((n) => ({ vlf_sequence_number: n, vlf_active: true, vlf_first_lsn: `000000${n.toString(16)}:00000010:0001` }));
    const times: Record<string, string> = {
      '40:16:1': '2024/03/05 12:00:00:000', '41:16:1': '2024/03/05 13:00:00:000', '42:16:1': '2024/03/05 13:30:00:000',
      '43:16:1': '2024/03/05 14:30:00:000', '44:16:1': '2024/03/05 15:00:00:000',
    };
    // the window probe reads the first commit's End Time (bounds.ts), the log read start probe the first begin's Begin Time
    const runner = new FakeRunner({ vlfs, probe: (s) => [{ 'Current LSN': 'x', 'Begin Time': times[s], 'End Time': times[s] }], scan: committedTxn([scanRow('0000002a:000001f0:0003'), scanRow('0000002a:000001f0:0004')]) });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    const got = await collect(src.candidates(filter));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['0000002a:000001f0:0003', '0000002a:000001f0:0004']);
    expect(got[0].txn).toMatchObject({ login: 'batchjob', spid: 61, beginTime: '2024/03/05 14:07:09:123' });
    const scans = runner.sent.filter((s) => s.stmt.text.includes('[xact]'));
    expect(scans).toHaveLength(1);
    // Last VLF whose first commit ended before 14:00 is 42; one VLF of margin → 41.
    expect(scans[0].stmt.params.find((p) => p.name === 'start')?.value).toBe('41:16:1');
    expect(scans[0].stmt.params.find((p) => p.name === 'table0')?.value).toBe('[dbo].[Customers]');
    expect(scans[0].options.allowInactiveLogTraceFlag).toBeFalsy();
    await src.close();
    expect(runner.closed).toBe(true);
  });

  // SYNTHETIC row image (hand-built FixedVar record, not from a server): CustomerId 2, Name N'Bob'.
  const BOB = Buffer.from('30000800020000000200000100150042006200' + '6F00', 'hex');
  const ids = (got: RowCandidate[]) => got.map((c) => c.record['Current LSN']);

  it('leaves out a delete its own transaction took back (a savepoint rolled back: the compensation insert of the same row), with a note', async () => {
    // the delete logs the row as a ghost record (status byte A 0x3C: record type bits 5); the rollback's
    // compensation record inserts the same row as a primary record again (0x30): only the type bits differ
    const bob = { ...scanRow('0000002a:000001f0:0004'), 'RowLog Contents 0': Buffer.from([0x3c, ...BOB.subarray(1)]) };
    const clr = { ...bob, 'Current LSN': '0000002a:000001f0:0005', Operation: 'LOP_INSERT_ROWS', Context: 'LCX_CLUSTERED', Description: 'COMPENSATION', 'RowLog Contents 0': BOB };
    const runner = new FakeRunner({ scan: committedTxn([scanRow('0000002a:000001f0:0003'), bob, clr]) });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    expect(ids(await collect(src.candidates({ operations: ['delete'] })))).toEqual(['0000002a:000001f0:0003']);
    const { scanStatsNotes } = await import('../../../src/recover/committed.js');
    expect(scanStatsNotes(src.committedStats(), ['delete'], false).notes).toEqual([expect.stringMatching(/^1 delete\(s\) not printed: their own transaction took them back/)]);
    // the query returns the inserts beside a delete scan, and the transactions' begin and commit
    const scan = runner.sent.find((x) => x.stmt.text.includes('[xact]'))!.stmt.text;
    expect(scan).toContain("l.[Operation] IN (N'LOP_DELETE_ROWS', N'LOP_INSERT_ROWS')");
    expect(scan).toContain("x.[Operation] IN (N'LOP_DELETE_ROWS', N'LOP_INSERT_ROWS', N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT')");
  });

  it('pairs the same row deleted and inserted again by one transaction (no compensation mark); an insert of another row leaves the delete, with a warning', async () => {
    const again = { ...scanRow('0000002a:000001f0:0004'), Operation: 'LOP_INSERT_ROWS', Context: 'LCX_CLUSTERED' };
    const runner = new FakeRunner({ scan: committedTxn([scanRow('0000002a:000001f0:0003'), again]) });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    expect(await collect(src.candidates({ operations: ['delete'] }))).toHaveLength(0);
    expect(src.committedStats().undoneInTransactionRowOps).toBe(1);

    const { recoverRows } = await import('../../../src/recover/recover-rows.js');
    const other = { ...again, 'RowLog Contents 0': BOB };
    const rows = [];
    for await (const e of recoverRows(new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: committedTxn([scanRow('0000002a:000001f0:0003'), other]) }) }), { operations: ['delete'] })) rows.push(e);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'row', row: { values: { CustomerId: 1, Name: 'Ada' }, warnings: [expect.stringContaining('its transaction also inserted 1 row(s) of this table')] } });
  });

  it('says a committed TRUNCATE TABLE the query returned, and why no rows, in the counts a scan of files gives (serverFiltered)', async () => {
    const { explainNoRows, scanStatsNotes } = await import('../../../src/recover/committed.js');
    const [begin, , commit] = committedTxn([{ ...scanRow('0000002a:000001f0:0004'), 'Transaction ID': '0000:000003f0', 'Transaction Name': 'TRUNCATE TABLE' }]);
    const runner = new FakeRunner({ scan: [begin!, commit!] });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    expect(await collect(src.candidates({ operations: ['delete'] }))).toHaveLength(0);
    const stats = src.committedStats();
    expect(stats).toMatchObject({ serverFiltered: true, rowlessRemovals: 1, rowOps: 0 });
    expect(scanStatsNotes(stats, ['delete'], true).removals).toEqual([expect.stringMatching(/^a TRUNCATE TABLE transaction 0000:000003f0 committed \(began 2024-03-05T14:07:09\.123, SPID 61, SID 0x01\): it removes rows without logging them/)]);
    expect(explainNoRows(stats, ['delete'])).toBe(
      "the server's log read (fn_dblog / fn_dump_dblog, which, given a window, keeps only the committed transactions begun in it or whose LOP_BEGIN_XACT it did not read, and counts the row operations of the others) returned no deletes on the tables' data rows; but 1 committed TRUNCATE TABLE / DROP TABLE transaction(s) in it, whose rows no log record holds (see the notes above; only a backup has them)",
    );
    // a pairing that took every row back: counted, and said in "why no rows"
    const again = { ...scanRow('0000002a:000001f0:0004'), Operation: 'LOP_INSERT_ROWS', Context: 'LCX_CLUSTERED' };
    const src2 = new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: committedTxn([scanRow('0000002a:000001f0:0003'), again]) }), server: 'ignored' });
    await collect(src2.candidates({ operations: ['delete'] }));
    expect(explainNoRows(src2.committedStats(), ['delete'])).toMatch(/returned 1 deletes on the tables' data rows: 1 taken back by their own transaction/);
  });

  it('holds a transaction\'s rows within holdBudgetBytes, spilling to spillDir (--hold-memory / --temp-dir), with the same result and nothing left behind', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const spill = mkdtempSync(join(tmpdir(), 'rowback-live-spill-'));
    try {
      const rows = committedTxn(Array.from({ length: 200 }, (_, i) => scanRow(`0000002a:000001f0:${(i + 3).toString(16).padStart(4, '0')}`)));
      const plain = await collect(new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: rows }), server: 'ignored' }).candidates({ operations: ['delete'] }));
      const held = await collect(new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: rows }), server: 'ignored', holdBudgetBytes: 1, spillDir: spill }).candidates({ operations: ['delete'] }));
      expect(held).toHaveLength(200);
      // rows released from the spill still carry their transaction's login (kept until the record after the commit)
      expect(new Set(held.map((c) => c.txn.login))).toEqual(new Set(['batchjob']));
      expect(held.map((c) => [c.record['Current LSN'], Buffer.from(c.record['RowLog Contents 0']!).toString('hex')])).toEqual(plain.map((c) => [c.record['Current LSN'], Buffer.from(c.record['RowLog Contents 0']!).toString('hex')]));
      expect(readdirSync(spill)).toEqual([]);
    } finally {
      rmSync(spill, { recursive: true, force: true });
    }
  });

  it('gives the rows in commit order, each with its own transaction\'s facts; a transaction with no commit row is not returned', async () => {
    // T1 begins first and commits last; T2 begins and commits inside it; T3's commit is not in the result
    const t1a = scanRow('0000002a:000001f0:0003');
    const t2 = { ...scanRow('0000002a:000001f0:0006', '2024/03/05 14:07:09:500'), 'RowLog Contents 0': BOB, 'Transaction ID': '0000:000003e9', Login: 'alice', SPID: 62 };
    const t1b = { ...scanRow('0000002a:000001f0:0009'), 'RowLog Contents 0': BOB };
    const [b1, , c1] = committedTxn([t1a]).map((r) => r);
    const t2rows = committedTxn([t2]);
    const c1late = { ...c1, 'Current LSN': '0000002a:000001f0:000a' };
    // (its begin at :000b: each LSN once, in rising order, as the query returns them; LsnOrder refuses a repeat)
    const t3 = { ...scanRow('0000002a:000001f0:000c'), 'Transaction ID': '0000:000003ea' };
    const runner = new FakeRunner({ scan: [b1!, t1a, ...t2rows, t1b, c1late!, committedTxn([t3])[0]!, t3] });
    const src = new LiveSource({ database: 'CRM', runner, server: 'ignored' });
    const got = await collect(src.candidates({ operations: ['delete'] }));
    expect(ids(got)).toEqual(['0000002a:000001f0:0006', '0000002a:000001f0:0003', '0000002a:000001f0:0009']);
    expect(got.map((c) => [c.txn.transactionId, c.txn.login, c.txn.spid])).toEqual([['0000:000003e9', 'alice', 62], ['0000:000003e8', 'batchjob', 61], ['0000:000003e8', 'batchjob', 61]]);
  });

  it('falls back to an unbounded read (and says so) where sys.dm_db_log_info is missing', async () => {
    const { SourceError } = await import('../../../src/errors.js');
    const runner = new FakeRunner({ vlfs: new SourceError('SOURCE_QUERY', "Invalid object name 'sys.dm_db_log_info'"), scan: [] });
    const src = new LiveSource({ database: 'CRM', runner });
    await collect(src.candidates(filter));
    expect(src.notes.join('\n')).toContain('2016 SP2');
    const scan = runner.sent.find((s) => s.stmt.text.includes('[xact]'))!;
    expect(scan.stmt.params.find((p) => p.name === 'start')?.value).toBeNull();
  });

  it('falls back to an unbounded read when the server refuses a probe', async () => {
    const { SourceError } = await import('../../../src/errors.js');
    const vlfs = [40, 41, 42].map((n) => ({ vlf_sequence_number: n, vlf_active: true, vlf_first_lsn: `000000${n.toString(16)}:00000010:0001` }));
    const runner = new FakeRunner({ vlfs, probe: () => { throw new SourceError('SOURCE_QUERY', 'window probe failed (SQL error 9005): invalid LSN'); }, scan: [] });
    const src = new LiveSource({ database: 'CRM', runner });
    await collect(src.candidates(filter));
    expect(src.notes.join('\n')).toContain('the whole online log is read instead');
    const scan = runner.sent.find((s) => s.stmt.text.includes('[xact]'))!;
    expect(scan.stmt.params.find((p) => p.name === 'start')?.value).toBeNull();
  });

  it('refuses a named table altered inside the window with SOURCE_SCHEMA_DRIFT', async () => {
    const runner = new FakeRunner({ catalog: catalogRows('2024-03-05T14:30:00') });
    const src = new LiveSource({ database: 'CRM', runner });
    await expect(collect(src.candidates(filter))).rejects.toMatchObject({ code: 'SOURCE_SCHEMA_DRIFT', message: expect.stringContaining('--schema') });
    expect(runner.sent.some((s) => s.stmt.text.includes('[xact]'))).toBe(false);
  });

  it('without named tables, skips rows of a table altered after their transaction, reporting why', async () => {
    const runner = new FakeRunner({ catalog: catalogRows('2024-03-05T14:07:09.500'), scan: [...committedTxn([scanRow('0000002a:000001f0:0003')]), ...committedTxn([{ ...scanRow('0000002a:000001f0:0009', '2024/03/05 14:08:00:000'), 'Transaction ID': '0000:000003e9' }])] });
    const src = new LiveSource({ database: 'CRM', runner });
    const got = await collect(src.candidates({ ...filter, tables: [] }));
    expect(got.map((c) => c.record['Current LSN'])).toEqual(['0000002a:000001f0:0009']);
    expect(src.skipped()).toMatchObject([{ code: 'SOURCE_SCHEMA_DRIFT', location: { lsn: '0000002a:000001f0:0003', table: 'dbo.Customers' } }]);
  });

  it('checks a named table per row when there is no window', async () => {
    const runner = new FakeRunner({ catalog: catalogRows('2024-03-05T14:07:09.500'), scan: committedTxn([scanRow('0000002a:000001f0:0003')]) });
    const src = new LiveSource({ database: 'CRM', runner });
    const got = await collect(src.candidates({ ...filter, from: undefined, to: undefined }));
    expect(got).toHaveLength(0);
    expect(src.skipped()).toMatchObject([{ code: 'SOURCE_SCHEMA_DRIFT', location: { table: 'dbo.Customers' } }]);
    // "why no rows" names them: it said 'returned 1 deletes on the tables' data rows: none kept'
    const { explainNoRows } = await import('../../../src/recover/committed.js');
    expect(src.committedStats().schemaDriftRowOps).toBe(1);
    expect(explainNoRows(src.committedStats(), ['delete'])).toMatch(/returned 1 deletes on the tables' data rows: 1 on tables altered after their transaction began, left out \(SOURCE_SCHEMA_DRIFT/);
    expect(explainNoRows(src.committedStats(), ['delete'])).not.toContain('none kept');
  });

  it('decodes anyway when told the layout is right (acceptSchemaDrift)', async () => {
    const runner = new FakeRunner({ catalog: catalogRows('2024-03-05T14:30:00'), scan: committedTxn([scanRow('0000002a:000001f0:0003')]) });
    const src = new LiveSource({ database: 'CRM', runner, acceptSchemaDrift: true });
    expect(await collect(src.candidates(filter))).toHaveLength(1);
  });

  it('sends DBCC TRACEON(2537) only with --inactive-log, and warns what it means', async () => {
    const runner = new FakeRunner({ scan: [] });
    const src = new LiveSource({ database: 'CRM', runner, inactiveLog: true });
    await collect(src.candidates(filter));
    const scan = runner.sent.find((s) => s.stmt.text.includes('[xact]'))!;
    expect(scan.stmt.text.startsWith('DBCC TRACEON(2537) WITH NO_INFOMSGS;')).toBe(true);
    expect(scan.options.allowInactiveLogTraceFlag).toBe(true);
    expect(src.notes).toContain(INACTIVE_LOG_WARNING);
    const plain = new FakeRunner({ scan: [] });
    await collect(new LiveSource({ database: 'CRM', runner: plain }).candidates(filter));
    expect(plain.sent.every((s) => !s.stmt.text.includes('TRACEON'))).toBe(true);
  });

  it('reads log backups and the online log in the same pass, every backup set of each file', async () => {
    // a file BACKUP LOG appended three log backups to (no WITH INIT), and a file of one
    const catalog = catalogRows().map((r) => ({ ...r, database_name: 'CRM', database_guid: CRM_GUID, family_guid: 'F0F0F0F0-0000-0000-0000-000000000001' }));
    const many = '/var/opt/mssql/backup/crm_logs.trn';
    const one = '/var/opt/mssql/backup/crm_1.trn';
    const runner = new FakeRunner({ catalog, scan: [], headers: { [many]: [headerRow(2), headerRow(1), headerRow(3)], [one]: [headerRow(1)] } });
    const src = new LiveSource({ database: 'CRM', runner, logBackups: [many, one] });
    await collect(src.candidates({ ...filter, from: undefined, to: undefined }));
    const headers = runner.sent.filter((s) => s.stmt.text.startsWith('RESTORE HEADERONLY'));
    expect(headers.map((h) => [h.stmt.params[0]!.value, h.options.allowHeaderOnly])).toEqual([[many, true], [one, true]]);
    const scans = runner.sent.filter((s) => s.stmt.text.includes('[xact]'));
    expect(scans).toHaveLength(1);
    expect(scans[0]!.stmt.text.match(/fn_dump_dblog\(/g)).toHaveLength(4);
    expect(scans[0]!.stmt.params.filter((p) => p.name.startsWith('backup')).map((p) => p.value)).toEqual([many, 1, many, 2, many, 3, one, 1]);
    expect(scans[0]!.stmt.text).toContain('fn_dblog(@start, @end)');
    expect(src.notes).toContain(`${many} holds 3 log backup sets (BACKUP … WITH NOINIT appends them): each is read (fn_dump_dblog, sets 1, 2, 3)`);
    expect(src.notes.join('\n')).not.toContain(one);
    // the identities checked: the live database, then each set (named by set only in a file of several)
    expect((await src.fileIdentities()).map((i) => [i.role, i.file, i.set, i.bindingId])).toEqual([
      ['server', 'CRM on fake:1433/CRM as sa (SQL login) over TLS', undefined, CRM_GUID],
      ['trn', many, 1, CRM_GUID], ['trn', many, 2, CRM_GUID], ['trn', many, 3, CRM_GUID], ['trn', one, undefined, CRM_GUID],
    ]);
    // headers are listed once, whatever asks again
    expect(runner.sent.filter((s) => s.stmt.text.startsWith('RESTORE HEADERONLY'))).toHaveLength(2);
    const online = new FakeRunner({ scan: [] });
    await collect(new LiveSource({ database: 'CRM', runner: online }).candidates({ ...filter, from: undefined, to: undefined }));
    expect(online.sent.some((s) => s.stmt.text.startsWith('RESTORE'))).toBe(false);
  });

  it('without a window start, probes where the log read begins: the online log from its start, and the log backup set with the lowest FirstLSN (rebuilt-tables.ts)', async () => {
    const catalog = catalogRows('2024-03-05T02:00:00').map((r) => ({ ...r, database_name: 'CRM', database_guid: CRM_GUID, family_guid: 'F0F0F0F0-0000-0000-0000-000000000001' }));
    const many = '/var/opt/mssql/backup/crm_logs.trn';
    const one = '/var/opt/mssql/backup/crm_1.trn';
    // SYNTHETIC FirstLSNs (numeric(25,0) as text): set 2 of `many` holds the earliest log
    const first = (n: string) => ({ FirstLSN: n });
    const begins: Record<string, string> = { null: '2024/03/05 09:00:00:000', [many]: '2024/03/04 21:00:00:000', [one]: '2024/03/05 06:00:00:000' };
    const runner = new FakeRunner({ catalog, scan: [], probe: (s) => [{ 'Current LSN': 'x', 'Begin Time': begins[s] }], headers: { [many]: [headerRow(1, first('42000000012000001')), headerRow(2, first('41000000001000001'))], [one]: [headerRow(1, first('43000000001000001'))] } });
    const src = new LiveSource({ database: 'CRM', runner, logBackups: [many, one] });
    await collect(src.candidates({ ...filter, tables: undefined, from: undefined, to: undefined }));
    const probes = runner.sent.filter((s) => s.stmt.text.startsWith('SELECT TOP (1)'));
    expect(probes.map((p) => [p.stmt.text.includes('fn_dump_dblog') ? 'backup' : 'online', ...p.stmt.params.map((x) => x.value)])).toEqual([['online', null], ['backup', many, 2]]);
    expect(probes.every((p) => !p.options.allowInactiveLogTraceFlag)).toBe(true);
    expect(src.catalogChanges()).toEqual({ tables: [{ table: 'dbo.Customers', modified: '2024-03-05T02:00:00.000' }], logReadFrom: '2024-03-04T21:00:00.000' });
    // with --from, no probe: the window's start is the one compared with
    const windowed = new FakeRunner({ catalog, scan: [] });
    const w = new LiveSource({ database: 'CRM', runner: windowed, startLsn: { vlf: 0x2a, block: 0x10, slot: 1 } });
    await collect(w.candidates({ ...filter, tables: undefined }));
    expect(windowed.sent.some((s) => s.stmt.text.startsWith('SELECT TOP (1)'))).toBe(false);
  });

  it('names the backup set of a row read from a file of several sets', async () => {
    const file = '/var/opt/mssql/backup/crm_logs.trn';
    const rows = committedTxn([{ ...scanRow('0000002a:000001f0:0003'), log_input: 1 }]);
    const runner = new FakeRunner({ scan: rows, headers: { [file]: [headerRow(1), headerRow(2)] } });
    const got = await collect(new LiveSource({ database: 'CRM', runner, logBackups: [file], onlineLog: false }).candidates({ ...filter, from: undefined, to: undefined }));
    expect(got.map((c) => c.record.source)).toEqual([{ kind: 'fn_dump_dblog', file, position: 2 }]);
  });

  it('refuses a log backup set of another database, naming the file and the set', async () => {
    const catalog = catalogRows().map((r) => ({ ...r, database_name: 'CRM', database_guid: CRM_GUID, family_guid: 'F0F0F0F0-0000-0000-0000-000000000001' }));
    const file = '/var/opt/mssql/backup/all_logs.trn';
    // BACKUP LOG CRM TO DISK = 'all_logs.trn'; BACKUP LOG Billing TO DISK = 'all_logs.trn' (NOINIT)
    const runner = new FakeRunner({ catalog, scan: [], headers: { [file]: [headerRow(1), headerRow(2, { DatabaseName: 'Billing', BindingID: '11111111-2222-3333-4444-555555555555' })] } });
    const src = new LiveSource({ database: 'CRM', runner, logBackups: [file] });
    await expect(collect(src.candidates(filter))).rejects.toMatchObject({
      code: 'INPUT_MIXED_DATABASES',
      message: expect.stringMatching(/^live database CRM on fake:1433\/CRM as sa \(SQL login\) over TLS \(database CRM\) and log backup \/var\/opt\/mssql\/backup\/all_logs\.trn \(backup set 2\) \(database Billing\) belong to different databases/),
    });
    // refused before the log was read
    expect(runner.sent.some((s) => s.stmt.text.includes('[xact]'))).toBe(false);
  });

  it('says when the log backups could not be checked against the database (no database_guid)', async () => {
    const file = '/var/opt/mssql/backup/crm_1.trn';
    const src = new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: [], headers: { [file]: [headerRow(1)] } }), logBackups: [file] });
    await collect(src.candidates({ ...filter, from: undefined, to: undefined }));
    expect(src.notes.join('\n')).toContain('rowback could not check that the log backups are of CRM');
  });

  it('reads only the log backup sets of a file that holds a full backup too (BACKUP DATABASE and BACKUP LOG to one file)', async () => {
    // BACKUP DATABASE CRM TO DISK = 'crm.bak'; BACKUP LOG CRM TO DISK = 'crm.bak' (NOINIT); BACKUP DATABASE … WITH DIFFERENTIAL; BACKUP LOG …
    const file = '/var/opt/mssql/backup/crm.bak';
    const runner = new FakeRunner({ scan: [], headers: { [file]: [headerRow(1, { BackupType: 1 }), headerRow(2), headerRow(3, { BackupType: 5 }), headerRow(4)] } });
    const src = new LiveSource({ database: 'CRM', runner, logBackups: [file] });
    await collect(src.candidates({ ...filter, from: undefined, to: undefined }));
    const scans = runner.sent.filter((s) => s.stmt.text.includes('[xact]'));
    // fn_dump_dblog is given sets 2 and 4 only: the full backup's log part is in the log backup after it too
    expect(scans[0]!.stmt.params.filter((p) => p.name.startsWith('backup')).map((p) => p.value)).toEqual([file, 2, file, 4]);
    expect(src.notes).toContain(`${file}: backup sets 1 (database backup, BackupType 1), 3 (differential database backup, BackupType 5) not read: not a log backup (--log-backup reads the file's log backup sets, 2, 4)`);
    expect((await src.fileIdentities()).filter((i) => i.role === 'trn').map((i) => i.set)).toEqual([2, 4]);
  });

  it('names the set of a row read from the one log backup set of a file that holds a full backup too', async () => {
    const file = '/var/opt/mssql/backup/crm.bak';
    const rows = committedTxn([{ ...scanRow('0000002a:000001f0:0003'), log_input: 0 }]);
    const runner = new FakeRunner({ scan: rows, headers: { [file]: [headerRow(1, { BackupType: 1 }), headerRow(2)] } });
    const got = await collect(new LiveSource({ database: 'CRM', runner, logBackups: [file], onlineLog: false }).candidates({ ...filter, from: undefined, to: undefined }));
    // fn_dump_dblog read set 2: the source says so, not the bare file (set 1 is the full backup)
    expect(got.map((c) => c.record.source)).toEqual([{ kind: 'fn_dump_dblog', file, position: 2 }]);
  });

  it('refuses a --log-backup file that holds no log backup, naming its sets', async () => {
    const file = '/var/opt/mssql/backup/crm_full.bak';
    const runner = new FakeRunner({ scan: [], headers: { [file]: [headerRow(1, { BackupType: 1 })] } });
    await expect(collect(new LiveSource({ database: 'CRM', runner, logBackups: [file] }).candidates(filter))).rejects.toMatchObject({
      code: 'INPUT_NOT_A_LOG_BACKUP',
      message: expect.stringContaining(`${file} holds no log backup (RESTORE HEADERONLY on fake:1433/CRM as sa (SQL login) over TLS lists set 1: database backup, BackupType 1)`),
    });
    expect(runner.sent.some((s) => s.stmt.text.includes('[xact]'))).toBe(false);
  });

  it('refuses a file the server lists no set of, naming it', async () => {
    const file = '/var/opt/mssql/backup/empty.trn';
    const src = new LiveSource({ database: 'CRM', runner: new FakeRunner({ scan: [], headers: { [file]: [] } }), logBackups: [file] });
    await expect(collect(src.candidates(filter))).rejects.toMatchObject({ code: 'SOURCE_QUERY', message: expect.stringContaining(`RESTORE HEADERONLY of ${file}`) });
  });

  it('names an unknown table and notes SIMPLE recovery', async () => {
    const runner = new FakeRunner({ recovery: 'SIMPLE' });
    const src = new LiveSource({ database: 'CRM', runner });
    await expect(collect(src.candidates({ ...filter, tables: ['dbo.Nope'] }))).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    expect(src.notes.join('\n')).toContain('SIMPLE');
  });

  it('takes the database from --database and refuses a conflicting connection string', () => {
    expect(LiveSource.settings({ database: 'CRM', server: 'Server=db1;User Id=u;Password=p', env: {} })).toMatchObject({ server: 'db1', database: 'CRM' });
    expect(() => LiveSource.settings({ database: 'CRM', server: 'Server=db1;Database=Other', env: {} })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
  });

  it('feeds recoverRows: the candidate decodes to the row with login and local times', async () => {
    const { recoverRows } = await import('../../../src/recover/recover-rows.js');
    const runner = new FakeRunner({ scan: committedTxn([scanRow('0000002a:000001f0:0003')]) });
    const events = [];
    for await (const e of recoverRows(new LiveSource({ database: 'CRM', runner }), filter)) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'row',
      row: {
        table: 'dbo.Customers', operation: 'delete', lsn: '0000002a:000001f0:0003', values: { CustomerId: 1, Name: 'Ada' },
        login: 'batchjob', beginTime: '2024-03-05T14:07:09.123', endTime: '2024-03-05T14:07:10.000', spid: 61, source: { kind: 'fn_dblog' },
      },
    });
  });

  it('needs --database', () => {
    expect(() => new LiveSource({ database: '', runner: new FakeRunner({}) })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
  });
});

describe('LiveSource: a --schema catalog is checked against the database scanned (its database_guid)', () => {
  // the identity columns sql/table-metadata.sql returns on every catalog row (SYNTHETIC GUIDs)
  const GUID = '8E0F9E64-3C2B-4E59-9C61-2B2F1F4A7C10';
  const other = { databaseName: 'Billing', databaseGuid: '11111111-2222-3333-4444-555555555555', familyGuid: null };
  const withIdentity = (guid: string | null) => catalogRows().map((r) => ({ ...r, database_name: 'CRM', database_guid: guid, family_guid: 'F0F0F0F0-0000-0000-0000-000000000001' }));

  it('the live database is a source identity (role server) carrying the catalog rows\' database_guid', async () => {
    const src = new LiveSource({ database: 'CRM', runner: new FakeRunner({ catalog: withIdentity(GUID) }) });
    expect(await src.fileIdentities()).toEqual([{ file: 'CRM on fake:1433/CRM as sa (SQL login) over TLS', role: 'server', bindingId: GUID, databaseName: 'CRM', familyGuid: 'F0F0F0F0-0000-0000-0000-000000000001' }]);
  });

  it('a catalog of another database is refused naming the live database; the override says so; the same database is silent (it was never checked: rows named after the wrong tables, unsaid)', async () => {
    const { checkCatalogDatabase } = await import('../../../src/recover/source-identity.js');
    const { jobCatalogDatabaseNotes } = await import('../../../src/worker/job-spec.js');
    const src = new LiveSource({ database: 'CRM', runner: new FakeRunner({ catalog: withIdentity(GUID) }) });
    const ids = await src.fileIdentities();
    const opts = { overrideName: '--catalog-any-database' };
    expect(() => checkCatalogDatabase({ name: '--schema billing.json', identity: other }, ids, opts)).toThrow(/^--schema billing\.json is of database Billing \(database_guid 11111111-2222-3333-4444-555555555555\), and live database CRM on fake:1433\/CRM as sa \(SQL login\) over TLS \(database CRM\) of another database \(binding id 8E0F9E64-3C2B-4E59-9C61-2B2F1F4A7C10\)/);
    expect(checkCatalogDatabase({ name: '--schema billing.json', identity: other }, ids, { ...opts, anyDatabase: true })[0]).toMatch(/read with that catalog all the same \(--catalog-any-database\)/);
    expect(checkCatalogDatabase({ name: '--schema crm.json', identity: { databaseName: 'CRM', databaseGuid: GUID, familyGuid: null } }, ids, opts)).toEqual([]);
    // a live job's metadata.catalog, when the job runs (worker.ts: its opened source)
    const catalog = catalogRows().map((r) => ({ ...r, database_name: 'Billing', database_guid: other.databaseGuid }));
    const spec = { kind: 'live', server: 'Server=fake;User Id=sa;Password=x', database: 'CRM', metadata: { catalog } } as never;
    await expect(jobCatalogDatabaseNotes(spec, src)).rejects.toMatchObject({ code: 'INPUT_CATALOG_OTHER_DATABASE' });
    // a log-backup job's too (it was not checked at all), against the database and its log backups' sets
    const logSpec = { kind: 'log-backup', server: 'Server=fake;User Id=sa;Password=x', database: 'CRM', logBackups: ['/b/crm.trn'], metadata: { catalog } } as never;
    const logSrc = new LiveSource({ database: 'CRM', runner: new FakeRunner({ catalog: withIdentity(GUID) }), logBackups: ['/b/crm.trn'] });
    await expect(jobCatalogDatabaseNotes(logSpec, logSrc)).rejects.toMatchObject({ code: 'INPUT_CATALOG_OTHER_DATABASE' });
    // a database with no user tables returns no catalog row: said not checked
    const empty = new LiveSource({ database: 'CRM', runner: new FakeRunner({ catalog: [] }) });
    expect((await empty.fileIdentities())[0]!.bindingId).toBeNull();
    expect(checkCatalogDatabase({ name: '--schema billing.json', identity: other }, await empty.fileIdentities(), opts)[0]).toMatch(/so rowback could not check that they are of that database$/);
  });
});

describe('a live job records the database it reads (its DB_NAME and database_guid), for re-insert to compare with its target\'s', () => {
  const env = storeAndTarget('rowback-live-source-db-');
  const GUID = '8E0F9E64-3C2B-4E59-9C61-2B2F1F4A7C10';
  const withIdentity = (guid: string) => catalogRows().map((r) => ({ ...r, database_name: 'CRM', database_guid: guid.toLowerCase(), family_guid: 'f0f0f0f0-0000-0000-0000-000000000001' }));

  it('the catalog rows\' database_guid and family GUID; a database with no catalog row: its name alone', async () => {
    const worker = (runner: FakeRunner) => new JobWorker({ store: env.store, openSource: async () => new LiveSource({ database: 'CRM', runner }), recover: fakeRecover({ rows: 2 }) });
    const w = worker(new FakeRunner({ catalog: withIdentity(GUID) }));
    const job = w.submit({ kind: 'live', server: 'Server=fake;User Id=sa;Password=x', database: 'CRM' }, 'op');
    await w.idle();
    expect(env.store.requireJob(job.id).state).toBe('succeeded');
    expect(env.store.requireJob(job.id).sourceDatabase).toEqual({ name: 'CRM', bindingId: GUID, familyGuid: 'F0F0F0F0-0000-0000-0000-000000000001' });
    const w2 = worker(new FakeRunner({ catalog: [] }));
    const empty = w2.submit({ kind: 'live', server: 'Server=fake;User Id=sa;Password=x', database: 'CRM' }, 'op');
    await w2.idle();
    expect(env.store.requireJob(empty.id).sourceDatabase).toEqual({ name: 'CRM', bindingId: null, familyGuid: null });
  });
});
