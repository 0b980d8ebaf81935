import { describe, expect, it } from 'vitest';
import { isTransient, toSourceError } from '../../../src/logreader/live/errors.js';
import { runRestore, type RestoreExecutor } from '../../../src/restore/run.js';

/**
 * An error as mssql 12 (lib/tedious/request.js, a request that does not stream) throws it when the
 * server sent several: the LAST error, with the ones before it, in order, as `precedingErrors`. A
 * failed RESTORE always ends with Msg 3013 (level 16) "RESTORE … is terminating abnormally.", the
 * cause coming before it (e.g. Msg 3201 / 4305 / 3154 / 262).
 */
function mssqlError(errors: Array<{ number: number; message: string }>): Error {
  const made = errors.map((x) => Object.assign(new Error(x.message), { name: 'RequestError', code: 'EREQUEST', number: x.number, class: 16, state: 1 }));
  const last = made.pop()!;
  return Object.assign(last, { precedingErrors: made });
}

const CANNOT_OPEN = "Cannot open backup device 'F:\\bk\\gone.trn'. Operating system error 2(The system cannot find the file specified.).";

describe('driver errors: the errors the server sent before the last one (mssql precedingErrors)', () => {
  it('a failed RESTORE is said with its cause, not only "terminating abnormally"', () => {
    const e = toSourceError(mssqlError([{ number: 3201, message: CANNOT_OPEN }, { number: 3013, message: 'RESTORE LOG is terminating abnormally.' }]), 'restore step 2 of 3');
    expect(e.code).toBe('SOURCE_QUERY');
    expect(e.message).toBe(`restore step 2 of 3 failed (SQL error 3201): ${CANNOT_OPEN}; then RESTORE LOG is terminating abnormally. (SQL error 3013)`);
  });

  it('classifies by the cause: a permission error before 3013 is SOURCE_PERMISSION, told with RESTORE\'s rights in a restore', async () => {
    const denied = () => mssqlError([{ number: 262, message: "CREATE DATABASE permission denied in database 'master'." }, { number: 3013, message: 'RESTORE DATABASE is terminating abnormally.' }]);
    const e = toSourceError(denied(), 'restore step 1 of 2');
    expect(e.code).toBe('SOURCE_PERMISSION');
    expect(e.message).toContain('CREATE DATABASE permission denied');
    const exec: RestoreExecutor = { databaseExists: async () => false, execute: async () => { throw denied(); }, close: async () => undefined };
    const got = await runRestore(exec, () => ["RESTORE DATABASE [X] FROM DISK = N'a.bak' WITH FILE = 1, NORECOVERY;"], { as: 'X' }).then(() => null, (x: Error & { code: string }) => x);
    expect(got?.code).toBe('SOURCE_PERMISSION');
    expect(got?.message).toContain('RESTORE of a new database needs CREATE DATABASE permission');
    expect(got?.message).not.toContain('Reading the log');
  });

  it('a deadlock reported before a later error is still transient', () => {
    expect(isTransient(mssqlError([{ number: 1205, message: 'Transaction (Process ID 61) was deadlocked …' }, { number: 3621, message: 'The statement has been terminated.' }]))).toBe(true);
  });

  it('one error: said as before', () => {
    const e = toSourceError(Object.assign(new Error('Invalid object name'), { number: 208, precedingErrors: [] }), 'q');
    expect(e.message).toBe('q failed (SQL error 208): Invalid object name');
  });

  it('runRestore names the cause of the failing step', async () => {
    const exec: RestoreExecutor = {
      databaseExists: async () => false,
      execute: async (s) => {
        if (s.startsWith('RESTORE LOG')) throw mssqlError([{ number: 4305, message: 'The log in this backup set begins at LSN 41000000017000001, which is too recent to apply to the database.' }, { number: 3013, message: 'RESTORE LOG is terminating abnormally.' }]);
      },
      close: async () => undefined,
    };
    await expect(runRestore(exec, () => ['RESTORE DATABASE [X] FROM DISK = N\'a.bak\' WITH FILE = 1, NORECOVERY;', 'RESTORE LOG [X] FROM DISK = N\'b.trn\' WITH FILE = 1, NORECOVERY;'], { as: 'X' }))
      .rejects.toThrow(/restore step 2 of 2 failed \(SQL error 4305\): The log in this backup set begins at LSN 41000000017000001, which is too recent .*; then RESTORE LOG is terminating abnormally\. \(SQL error 3013\); 1 of 2 statements ran/);
  });
});
