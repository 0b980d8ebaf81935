/**
 * `restore plan` with neither --as nor --replace-original is refused INPUT_RESTORE_OVER_ORIGINAL:
 * it read every backup of --backups (headers and, for commit times, their log) or queried msdb, then
 * refused. The refusal is argument validation: one line before any backup file is opened or any
 * server queried. Likewise an --as naming the one --database given (the original) or a system
 * database, which renderRestore refused only once the chain was planned.
 */
import { describe, expect, it } from 'vitest';
import { planRestore, runRestoreRun } from '../../src/cli/commands/restore.js';
import type { SqlRunner } from '../../src/logreader/live/runner.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

/** A runner factory that fails the test if the plan reaches the server (msdb was queried before the refusal). */
const noServer = () => (): SqlRunner => {
  throw new Error('msdb was queried before the option refusal');
};

describe('restore plan: --as refused before any backup is read', () => {
  it('no --as and no --replace-original: refused naming both, before the --backups folder is opened (it does not exist here)', async () => {
    const e = expectOneLineError(await run('restore', 'plan', '--backups', '/nonexistent/rowback-backups', '--stop-at', '2020-05-12T13:30:00'), 'INPUT_RESTORE_OVER_ORIGINAL');
    expect(e).toMatch(/^rowback: INPUT_RESTORE_OVER_ORIGINAL: restore plan without --as would restore over the original database and its files: give --as NEW_NAME .* or --replace-original to overwrite the original database deliberately; no backup was read \(option --as\)\n$/);
  });

  it('from msdb: refused before the server is asked (the runner is never made)', async () => {
    await expect(planRestore({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', format: 'sql' }, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_RESTORE_OVER_ORIGINAL', message: expect.stringContaining('would restore over Shop and its files') });
  });

  it('--as naming the --database given, or a system database: refused before the server is asked', async () => {
    await expect(planRestore({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'shop ', format: 'sql' }, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_RESTORE_OVER_ORIGINAL' });
    await expect(planRestore({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'MSDB', format: 'sql' }, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_RESTORE_SYSTEM_DATABASE', message: expect.stringContaining("names SQL Server's own msdb database") });
    // restore run: the same, before its plan reads anything (and so before any connection)
    await expect(runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'tempdb' }, undefined, undefined, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_RESTORE_SYSTEM_DATABASE' });
  });

  it('restore run --table with a database part: refused before any backup is read or the server asked, naming no table', async () => {
    // the restored database's tables are read only after the restore: a name kept for them to judge
    // (as dump and scan keep it) would be refused after a long restore; it was refused up front naming
    // 'the table dbo.T' and 'the table CRM.dbo', neither known to be anywhere
    for (const t of ['[CRM].[dbo].[T]', 'CRM..T', '[SRV].[CRM].[dbo].[T]']) {
      const e = expectOneLineError(await run('restore', 'run', '--backups', '/nonexistent/rowback-backups', '--stop-at', '2020-05-12T13:30:00', '--as', 'Side', '--server', 'Server=nowhere', '--table', t), 'INPUT_BAD_IDENTIFIER');
      expect(e).toContain(`--table '${t}': '${t}' is not a one- or two-part table name: a ${t.startsWith('[SRV]') ? 'server or ' : ''}database part`);
      expect(e).not.toContain('names the table');
      await expect(runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'Side', table: [t] }, undefined, undefined, { runner: noServer() }))
        .rejects.toMatchObject({ code: 'INPUT_BAD_IDENTIFIER' });
    }
  });

  it('restore run --table of three plain dotted parts (RestoreTimeClean.dbo.steps): refused up front, saying both readings; it was accepted and refused only after the restore ran', async () => {
    const t = 'RestoreTimeClean.dbo.steps';
    const e = expectOneLineError(await run('restore', 'run', '--backups', '/nonexistent/rowback-backups', '--stop-at', '2020-05-12T13:30:00', '--as', 'Side', '--server', 'Server=nowhere', '--table', t), 'INPUT_BAD_IDENTIFIER');
    expect(e).toContain(`--table '${t}': a name of 3 dotted parts, which only the restored database's tables could decide`);
    expect(e).toContain('give schema.name without the database (dbo.steps), or bracket a name that holds a dot ([RestoreTimeClean].[dbo.steps])');
    await expect(runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'Side', table: ['dbo.Order.Items'] }, undefined, undefined, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_BAD_IDENTIFIER', message: expect.stringContaining('([dbo].[Order.Items])') });
    // the bracketed form of a dotted table name is one table: not refused up front (the server is asked, and fails)
    await expect(runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'Side', table: ['[dbo].[Order.Items]'] }, undefined, undefined, { runner: noServer() }))
      .rejects.not.toMatchObject({ code: 'INPUT_BAD_IDENTIFIER' });
  });

  it('--replace-original with --as Shop --database Shop is the one way over the original: not refused up front (excluded together, as before)', async () => {
    await expect(planRestore({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'Shop', replaceOriginal: true, format: 'sql' }, { runner: noServer() }))
      .rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', message: '--as and --replace-original exclude each other' });
  });
});

describeCorpus('restore plan: --as refused before the backups are read (REAL RestoreTimeClean)', () => {
  it('no stop point and no --as: one line saying both, the range the backups reach read for it (the stop point refusal reads them to say so)', async () => {
    const e = expectOneLineError(await run('restore', 'plan', '--backups', corpusPath('appveyor-lab', 'RestoreTimeClean')), 'INPUT_BAD_OPTION');
    expect(e).toContain('a stop point is needed: --stop-at TIME');
    expect(e).toMatch(/; RestoreTimeClean: reachable with these backups: 2017-06-01T12:59:13\.000 to .*; give --as NEW_NAME \(a side database, recommended\) or --replace-original as well \(option --stop-at\)\n$/);
  });

  it('a stop point of the wrong form, or two: refused as before, before the --as one (neither needs a backup read)', async () => {
    expectOneLineError(await run('restore', 'plan', '--backups', '/nonexistent/rowback-backups', '--stop-at', '2020-13-01'), 'INPUT_BAD_TIME');
    expectOneLineError(await run('restore', 'plan', '--stop-at', '2020-01-01'), 'INPUT_BAD_OPTION');
  });

  it('with --as the plan is made as before', async () => {
    const r = await run('restore', 'plan', '--backups', corpusPath('appveyor-lab', 'RestoreTimeClean'), '--stop-at', '2017-06-01 13:06', '--as', 'RestoreTimeClean_side', '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RESTORE DATABASE [RestoreTimeClean_side] WITH RECOVERY;');
  });
});
