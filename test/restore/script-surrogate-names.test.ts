import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { assertReadOnly } from '../../src/logreader/live/read-only.js';
import type { RunOptions, SqlRunner } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { runRestorePlan, type PlanOptions } from '../../src/cli/commands/restore.js';

/**
 * `restore plan` of a database whose name, or a file's logical name, holds an unpaired UTF-16
 * surrogate (msdb's nvarchar keeps UTF-16 code units unchecked: a name cut between the halves of a
 * pair). The script is UTF-8, which has no form for one: `RESTORE DATABASE [Sales\ud800]` was
 * written `[Sales\ufffd]`, another database's name, and `MOVE N'Data\udc00'` a logical file the
 * backup does not hold, with no word. Now no script is printed: one INPUT_RESTORE_UNSCRIPTABLE line
 * (exit 2, bad input) naming the name with its code unit escaped (\u{d800}). The JSON plan, whose
 * text escapes the unit (\ud800), is still printed; `restore run` sends UTF-16 through the driver.
 * SYNTHETIC msdb rows (the shape of test/restore/msdb.test.ts).
 */
class FakeRunner implements SqlRunner {
  readonly description = 'fake-server';
  private n = 0;
  constructor(private readonly answers: Row[][]) {}
  async query(stmt: SqlStatement, _o?: RunOptions): Promise<Row[]> {
    assertReadOnly(stmt.text);
    return this.answers[this.n++] ?? [];
  }
  stream(): AsyncIterable<Row> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}

const guid = (c: string) => `${c.repeat(8)}-1111-2222-3333-444444444444`;
function history(db: string, logical: string): Row[][] {
  const base = { media_set_id: 5, is_copy_only: false, is_damaged: false, database_name: db, server_name: 'SQL1', position: 1, differential_base_lsn: null, differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001' };
  const sets: Row[] = [
    { ...base, backup_set_id: 10, type: 'D', first_lsn: '41000000012300001', last_lsn: '41000000015600001', checkpoint_lsn: '41000000012300001', database_backup_lsn: '0', backup_set_uuid: guid('a'), backup_start_date: '2024-05-01T10:00:00', backup_finish_date: '2024-05-01T10:00:05' },
    { ...base, backup_set_id: 11, media_set_id: 6, type: 'L', first_lsn: '41000000011000001', last_lsn: '41000000017000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', backup_set_uuid: guid('b'), backup_start_date: '2024-05-01T11:00:00', backup_finish_date: '2024-05-01T11:00:01' },
  ];
  const devices: Row[] = [
    { media_set_id: 5, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\full.bak' },
    { media_set_id: 6, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\log.trn' },
  ];
  const files: Row[] = [
    { backup_set_id: 10, logical_name: logical, physical_name: 'E:\\Data\\Sales.mdf', file_type: 'D', file_number: 1 },
    { backup_set_id: 10, logical_name: 'Sales_log', physical_name: 'E:\\Logs\\Sales_log.ldf', file_type: 'L', file_number: 2 },
  ];
  return [sets, devices, files];
}

async function plan(db: string, logical: string, o: Partial<PlanOptions>): Promise<{ out: string; err: string; error: unknown }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o1 = '';
  let e1 = '';
  out.on('data', (c) => { o1 += String(c); });
  err.on('data', (c) => { e1 += String(c); });
  let error: unknown = null;
  try {
    await runRestorePlan({ server: 'fake', database: db, stopAt: '2024-05-01 10:30', format: 'sql', ...o }, out, err, { runner: () => new FakeRunner(history(db, logical)) });
  } catch (e) {
    error = e;
  }
  return { out: o1, err: e1, error };
}

describe('restore plan: names holding an unpaired surrogate', () => {
  it('the database name (restored over itself): no script, one refusal naming [Sales\\u{d800}]', async () => {
    for (const format of ['sql', 'text'] as const) {
      const r = await plan('Sales\ud800', 'Sales', { replaceOriginal: true, format });
      expect(r.error).toMatchObject({ code: 'INPUT_RESTORE_UNSCRIPTABLE' });
      const message = (r.error as Error).message;
      expect(message).toMatch(/^the database name \[Sales\\u\{d800\}\] holds an unpaired UTF-16 surrogate \(U\+D800\), which the UTF-8 script would write as U\+FFFD \(naming another database\): no script is printed/);
      expect(message).not.toMatch(/[\ud800-\udfff\ufffd]/);
      expect(r.out).toBe('');
      // the refusal is the one thing said: not the plan's WARNING of overwriting first
      expect(r.err).toBe('');
    }
  });

  it("a file's logical name (MOVE N'…'): refused, naming it", async () => {
    const r = await plan('Sales', 'Data\udc00', { as: 'Sales_side' });
    expect(r.error).toMatchObject({ code: 'INPUT_RESTORE_UNSCRIPTABLE' });
    expect((r.error as Error).message).toMatch(/^the file's logical name N'Data\\u\{dc00\}' holds an unpaired UTF-16 surrogate \(U\+DC00\)/);
    expect(r.out).toBe('');
  });

  it('the JSON plan (the unit escaped by JSON) and a name with a paired surrogate are printed', async () => {
    const json = await plan('Sales\ud800', 'Sales', { replaceOriginal: true, format: 'json' });
    expect(json.error).toBeNull();
    expect(json.out).toContain('Sales\\ud800');
    const emoji = await plan('Sales\ud83d\ude00', 'Sales', { as: 'Side' });
    expect(emoji.error).toBeNull();
    expect(emoji.out).toMatch(/^RESTORE DATABASE \[Side\] FROM DISK = N'F:\\bk\\full\.bak' WITH FILE = 1, MOVE N'Sales' TO /);
  });
});
