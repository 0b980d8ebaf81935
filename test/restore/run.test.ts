import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { assertRestoreOnly, runRestore, type RestoreExecutor } from '../../src/restore/run.js';
import { runRestoreRun } from '../../src/cli/commands/restore.js';
import { renderRestore } from '../../src/restore/tsql.js';
import { planChain } from '../../src/restore/chain.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { healthy } from './synthetic-history.js';

/** A fake server: records statements, answers DB_ID from `existing`, emits STATS messages, can hang until cancelled. */
class FakeExecutor implements RestoreExecutor {
  executed: string[] = [];
  closed = false;
  constructor(private readonly o: { existing?: string[]; hangAt?: number; failAt?: number } = {}) {}
  async databaseExists(name: string): Promise<boolean> {
    return (this.o.existing ?? []).includes(name);
  }
  async execute(statement: string, o: { signal?: AbortSignal; onMessage?: (m: string) => void }): Promise<void> {
    assertRestoreOnly(statement);
    const n = this.executed.length;
    if (n === this.o.failAt) throw Object.assign(new Error('Cannot open backup device'), { number: 3201 });
    if (n === this.o.hangAt) {
      await new Promise<void>((_, reject) => o.signal?.addEventListener('abort', () => reject(new SourceError('SOURCE_CANCELLED', 'cancelled')), { once: true }));
    }
    o.onMessage?.('50 percent processed.');
    o.onMessage?.('100 percent processed.');
    this.executed.push(statement);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const chain = () => planChain(healthy(), { kind: 'time', time: '2024-03-01T11:30:00.000' });
const render = (replaceExisting: boolean) => renderRestore(chain(), { as: 'Shop_side', stats: 10, replaceExisting }).statements;

describe('restore run (SYNTHETIC history, fake executor)', () => {
  it('runs every statement in order with STATS progress', async () => {
    const ex = new FakeExecutor();
    const progress: string[] = [];
    const r = await runRestore(ex, render, { as: 'Shop_side', onProgress: (p) => progress.push(`${p.step}/${p.steps} ${p.message ?? 'start'}`) });
    expect(r.executed).toBe(4);
    expect(ex.executed).toEqual(render(false));
    expect(ex.executed[0]).toMatch(/WITH FILE = 1, MOVE .*, NORECOVERY, STATS = 10;$/);
    expect(ex.executed.join('\n')).not.toMatch(/REPLACE/);
    expect(progress.slice(0, 3)).toEqual(['1/4 start', '1/4 50 percent processed.', '1/4 100 percent processed.']);
  });

  it('an existing target database is refused before anything runs; with overwriteExisting the full restore gets REPLACE', async () => {
    const ex = new FakeExecutor({ existing: ['Shop_side'] });
    await expect(runRestore(ex, render, { as: 'Shop_side' })).rejects.toMatchObject({ code: 'INPUT_RESTORE_TARGET_EXISTS' });
    expect(ex.executed).toEqual([]);
    await runRestore(ex, render, { as: 'Shop_side', overwriteExisting: true });
    expect(ex.executed[0]).toMatch(/, REPLACE, NORECOVERY, STATS = 10;$/);
  });

  it('cancellation stops the running statement and sends no more; the error says how far it got', async () => {
    const ex = new FakeExecutor({ hangAt: 2 });
    const ac = new AbortController();
    const p = runRestore(ex, render, { as: 'Shop_side', signal: ac.signal, onProgress: (x) => x.step === 3 && !x.message && setTimeout(() => ac.abort(), 5) });
    await expect(p).rejects.toMatchObject({ code: 'SOURCE_CANCELLED', message: expect.stringMatching(/2 of 4 statements ran: database Shop_side is left RESTORING/) });
    expect(ex.executed).toHaveLength(2);
  });

  it('a failing step is a typed error naming the step and the state left', async () => {
    const ex = new FakeExecutor({ failAt: 1 });
    await expect(runRestore(ex, render, { as: 'Shop_side' })).rejects.toMatchObject({ message: expect.stringMatching(/restore step 2 of 4.*Cannot open backup device.*1 of 4 statements ran/) });
  });

  it('the guard refuses anything but one RESTORE of the renderer\'s words', () => {
    expect(() => assertRestoreOnly("RESTORE DATABASE [x] FROM DISK = N'a' WITH FILE = 1, NORECOVERY;")).not.toThrow();
    for (const bad of ['DROP DATABASE [x];', "RESTORE DATABASE [x] FROM DISK = N'a'; DROP DATABASE [y];", 'RESTORE DATABASE [x] WITH RECOVERY; RESTORE DATABASE [y] WITH RECOVERY;', "RESTORE FILELISTONLY FROM DISK = N'a'; EXEC xp_cmdshell 'dir'"]) {
      expect(() => assertRestoreOnly(bad)).toThrow(expect.objectContaining({ code: 'SOURCE_NOT_RESTORE' }));
    }
    // hostile text inside names and literals is not code
    expect(() => assertRestoreOnly("RESTORE DATABASE [a]]; DROP DATABASE x] FROM DISK = N'x''; SHUTDOWN --' WITH FILE = 1, RECOVERY;")).not.toThrow();
  });
});

describeCorpus('rowback restore run (CLI function, fake executor, appveyor-lab history)', () => {
  it('plans from --backups and runs on the fake server; a summary on stdout, progress on stderr', async () => {
    const ex = new FakeExecutor();
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    let e = '';
    out.on('data', (c) => (o += c));
    err.on('data', (c) => (e += c));
    const r = await runRestoreRun({ server: 'fake', backups: [corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt')], stopAt: '2020-05-12 13:30', as: 'StopAt_side' }, out, err, { executor: () => ex });
    expect(r.executed).toBe(4);
    expect(ex.closed).toBe(true);
    expect(o).toBe('restored StopAt as StopAt_side: 4 statements\n');
    expect(e).toMatch(/rowback restore run: restore step 3\/4: 100 percent processed\./);
    await expect(runRestoreRun({ server: 'fake', backups: ['x'], stopAt: '2020-05-12 13:30' }, out, err, { executor: () => ex })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
  });

  it('SIGTERM cancels the running statement as Ctrl-C does (it killed the process without a word)', async () => {
    const ex = new FakeExecutor({ hangAt: 1 });
    const before = process.listenerCount('SIGTERM');
    // the command's own listener (the newest) only: process.emit would also reach the test runner's
    const poll = setInterval(() => {
      if (ex.executed.length < 1 || process.listenerCount('SIGTERM') <= before) return;
      clearInterval(poll);
      (process.listeners('SIGTERM').at(-1) as (s: NodeJS.Signals) => void)('SIGTERM');
    }, 1);
    try {
      await expect(runRestoreRun({ server: 'fake', backups: [corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt')], stopAt: '2020-05-12 13:30', as: 'StopAt_side' }, new PassThrough(), new PassThrough(), { executor: () => ex }))
        .rejects.toMatchObject({ code: 'SOURCE_CANCELLED', message: expect.stringMatching(/1 of 4 statements ran: database StopAt_side is left RESTORING/) });
    } finally {
      clearInterval(poll);
    }
    expect(ex.executed).toHaveLength(1);
    expect(ex.closed).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  }, 15_000);

  it('--key, --stage and --table are checked before any RESTORE is sent (not after a long restore)', async () => {
    const StopAt = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt');
    const base = { server: 'fake', backups: [StopAt], stopAt: '2020-05-12 13:30', as: 'StopAt_side' };
    const dir = mkdtempSync(join(tmpdir(), 'rowback-run-'));
    try {
      for (const [extra, code, re] of [
        [{ table: ['dbo.T'], key: '' }, 'INPUT_BAD_OPTION', /--key '' must be/],
        [{ table: ['dbo.T'], key: 'Id,,Name' }, 'INPUT_BAD_OPTION', /none empty/],
        [{ table: ['dbo.T'], key: 'Id,Id' }, 'INPUT_BAD_OPTION', /Id twice/],
        [{ key: 'Id' }, 'INPUT_BAD_OPTION', /give --table/],
        [{ stage: join(dir, 's.db') }, 'INPUT_BAD_OPTION', /give --table/],
        [{ table: ['dbo.T'], stage: join(dir, 'missing-folder', 's.db') }, 'STAGING_OPEN_FAILED', /missing-folder/],
        [{ table: ['dbo.T'], stage: dir }, 'STAGING_OPEN_FAILED', /cannot open staging file/],
      ] as const) {
        const ex = new FakeExecutor();
        await expect(runRestoreRun({ ...base, ...extra } as Parameters<typeof runRestoreRun>[0], new PassThrough(), new PassThrough(), { executor: () => ex }), JSON.stringify(extra)).rejects.toMatchObject({ code, message: expect.stringMatching(re) });
        expect(ex.executed, JSON.stringify(extra)).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
