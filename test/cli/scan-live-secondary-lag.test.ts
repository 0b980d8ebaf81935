/**
 * rowback's default ApplicationIntent=ReadOnly is routed to a readable secondary replica behind an
 * availability group listener. A secondary's log is the primary's as far as it has received it: an
 * asynchronous one lags, one whose data movement is suspended or disconnected (NOT SYNCHRONIZING)
 * stops where it was. A live scan there printed the deletes up to that point as the whole window,
 * complete. Now a window running past the secondary's last commit (sys.dm_hadr_database_replica_states
 * last_commit_time, read with the sessions) is INCOMPLETE, naming it and the way on; a SYNCHRONIZED
 * replica, the primary, and a window ending before that commit are not.
 *
 * SYNTHETIC answers shaped like a SQL Server's (test/support/fake-live-customers.ts: one delete begun
 * 2024-03-05 14:07:09.123); the sessions read answers one row with the replica state under test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import type { RunOptions } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';

const state = vi.hoisted(() => ({ replica: null as null | Record<string, unknown> }));

vi.mock('../../src/recover/sources/live.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/sources/live.js')>();
  const { OneDeleteLiveRunner } = await import('../support/fake-live-customers.js');
  class Runner extends OneDeleteLiveRunner {
    override async *stream(stmt: SqlStatement, o?: RunOptions): AsyncIterable<Row> {
      if (stmt.text.includes('sys.dm_exec_sessions') && state.replica) {
        yield { session_id: 99, login_time: '2024-03-05 16:00:00.000', host_name: 'APP02', program_name: 'reports', security_id: Buffer.from('02', 'hex'), is_in_standby: false, ...state.replica };
        return;
      }
      yield* super.stream(stmt, o);
    }
  }
  return { ...real, openLiveSource: (o: ConstructorParameters<typeof real.LiveSource>[0]) => new real.LiveSource({ ...o, runner: new Runner() }) };
});

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-secondary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(to: string): Promise<{ incomplete: string[]; complete: boolean; rows: number }> {
  const report = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--from', '2024-03-05T14:07:09.123', '--to', to, '--format', 'ndjson', '--quiet', '--report', report);
  return {
    incomplete: r.stderr.split('\n').filter((l) => l.includes('INCOMPLETE')),
    complete: (JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete,
    rows: r.stdout.trim().split('\n').filter(Boolean).length,
  };
}

describe('a live scan read on an availability group secondary replica (SYNTHETIC server answers)', () => {
  it('not synchronized, the window past its last commit: INCOMPLETE naming that commit and the way on', async () => {
    state.replica = { replica_role: 'SECONDARY', sync_state: 'NOT SYNCHRONIZING', last_commit_time: '2024-03-05 14:30:00.000' };
    const r = await scan('2024-03-05T15:00');
    expect(r.rows).toBe(1);
    expect(r.complete).toBe(false);
    expect(r.incomplete).toHaveLength(1);
    expect(r.incomplete).toContainEqual(expect.stringContaining("this server holds database CRM as a secondary replica of an availability group that is not synchronized (NOT SYNCHRONIZING): its log holds the primary's commits up to 2024-03-05T14:30:00.000"));
    expect(r.incomplete.join('\n')).toContain('scan the primary (ApplicationIntent=ReadWrite');
  }, 60_000);

  it('a window ending before its last commit, a SYNCHRONIZED secondary, the primary: complete as before', async () => {
    for (const [replica, to] of [
      [{ replica_role: 'SECONDARY', sync_state: 'SYNCHRONIZING', last_commit_time: '2024-03-05 14:30:00.000' }, '2024-03-05T14:20'],
      [{ replica_role: 'SECONDARY', sync_state: 'SYNCHRONIZED', last_commit_time: '2024-03-05 14:30:00.000' }, '2024-03-05T15:00'],
      [{ replica_role: 'PRIMARY', sync_state: 'SYNCHRONIZED', last_commit_time: null }, '2024-03-05T15:00'],
    ] as const) {
      state.replica = replica;
      const r = await scan(to);
      expect(r.incomplete, JSON.stringify(replica)).toEqual([]);
      expect(r.complete).toBe(true);
    }
  }, 60_000);
});
