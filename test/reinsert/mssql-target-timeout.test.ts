import sql from 'mssql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REQUEST_TIMEOUT_MS, MssqlTarget, targetPoolConfig, timeoutError } from '../../src/reinsert/mssql-target.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { InputError, ReinsertError } from '../../src/errors.js';
import { statusFor } from '../../src/api/plugins/errors.js';

/**
 * MssqlTarget kept mssql's default request timeout, 15 s (mssql lib/tedious/connection-pool.js
 * `requestTimeout ?? … ?? 15000`): a batch waiting on another session's lock, or a large batch,
 * failed the run ("Timeout: Request failed to complete in 15000ms", naming neither what nor how to
 * raise it). Connection strings and values here are SYNTHETIC; no server is reached (the driver's
 * request is stubbed: the live server cannot run here).
 */

describe('a re-insert target\'s request timeout', () => {
  it('is 10 minutes when the connection string sets none (not mssql\'s 15 s)', () => {
    const config = targetPoolConfig('Server=db1;Database=CRM;User Id=u;Password=p');
    expect(config.requestTimeout).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(600_000);
    // what the driver's pool is configured with (its tedious connections take config.requestTimeout)
    expect((new sql.ConnectionPool(config) as unknown as { config: { requestTimeout?: number } }).config.requestTimeout).toBe(600_000);
  });

  it('is the string\'s own Request Timeout (milliseconds, mssql\'s key, any case) when it sets one; 0 is none', () => {
    expect(targetPoolConfig('Server=db1;Request Timeout=120000').requestTimeout).toBe(120_000);
    expect(targetPoolConfig('Server=db1;request timeout=5000').requestTimeout).toBe(5_000);
    expect(targetPoolConfig('Server=db1;Request Timeout=0').requestTimeout).toBe(0);
    // the rest of the string as mssql reads it, useUTC still forced on
    expect(targetPoolConfig('Server=db1,1444;Database=CRM;Request Timeout=120000;UseUTC=false')).toMatchObject({ server: 'db1', port: 1444, database: 'CRM', options: { useUTC: true } });
  });

  it('a Request Timeout that is no number is refused, not taken for the driver\'s 15 s', () => {
    let err: unknown;
    try { targetPoolConfig('Server=db1;Request Timeout=ten minutes'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_BAD_OPTION');
    expect((err as InputError).message).toMatch(/Request Timeout .*milliseconds/);
  });

  it('a Request Timeout parseInt would cut short is refused: \'30s\' was 30 ms, \'1.5\' and \'1e6\' 1 ms (SYNTHETIC strings)', () => {
    for (const v of ['30s', '1.5', '1e6', '2 minutes', '600000ms', '"10 min"']) {
      let err: unknown;
      try { targetPoolConfig(`Server=db1;Request Timeout=${v}`); } catch (e) { err = e; }
      expect(err, v).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('INPUT_BAD_OPTION');
    }
    // whole numbers as written, quoted or spaced as mssql reads them, still taken
    expect(targetPoolConfig('Server=db1;Request Timeout= 120000 ').requestTimeout).toBe(120_000);
    expect(targetPoolConfig("Server=db1;Request Timeout='90000'").requestTimeout).toBe(90_000);
    expect(targetPoolConfig('Server=db1;Request Timeout=-1').requestTimeout).toBe(-1);
    // a Password holding the key's text is the password's, not the key
    expect(targetPoolConfig('Server=db1;Password="x;Request Timeout=5s";Request Timeout=5000').requestTimeout).toBe(5_000);
  });

  it("SqlClient's Command Timeout (seconds) is read, as mssql does not: a pasted .NET string's Command Timeout=0 kept the 10 minutes (SYNTHETIC strings)", () => {
    expect(targetPoolConfig('Server=db1;Command Timeout=0').requestTimeout).toBe(0);
    expect(targetPoolConfig('Server=db1;command timeout=30').requestTimeout).toBe(30_000);
    expect(targetPoolConfig("Server=db1;Command Timeout='1800'").requestTimeout).toBe(1_800_000);
    // both: which was meant cannot be told; not whole seconds: refused
    for (const s of ['Server=db1;Command Timeout=30;Request Timeout=5000', 'Server=db1;Command Timeout=1.5', 'Server=db1;Command Timeout=-1', 'Server=db1;Command Timeout=30s']) {
      let err: unknown;
      try { targetPoolConfig(s); } catch (e) { err = e; }
      expect(err, s).toBeInstanceOf(InputError);
      expect((err as InputError).message, s).toMatch(/Command Timeout/);
    }
    // a password holding the key's text is the password's
    expect(targetPoolConfig('Server=db1;Password="x;Command Timeout=5"').requestTimeout).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
  });

  it('a driver timeout becomes REINSERT_TIMEOUT saying what timed out, after how long and how to raise it (504 in the API)', () => {
    const driver = new sql.RequestError('Timeout: Request failed to complete in 600000ms', 'ETIMEOUT');
    const e = timeoutError(driver, 'the INSERT of row 12 into dbo.T', 600_000) as ReinsertError;
    expect(e).toBeInstanceOf(ReinsertError);
    expect(e.code).toBe('REINSERT_TIMEOUT');
    expect(e.message).toMatch(/^the INSERT of row 12 into dbo\.T did not finish within 10 minute\(s\) \(the request timeout, 600000 ms\)/);
    expect(e.message).toContain('Request Timeout=<milliseconds>');
    expect(e.cause).toBe(driver);
    expect(statusFor(e)).toBe(504);
    expect((timeoutError(driver, 'x', 30_000) as Error).message).toContain('within 30 s');
    // anything else passes unchanged: another error, and a new pooled connection's connect timeout
    const other = new sql.RequestError('Violation of PRIMARY KEY constraint', 'EREQUEST');
    expect(timeoutError(other, 'x', 600_000)).toBe(other);
    const connect = new sql.ConnectionError('Failed to connect to db1:1433 in 15000ms', 'ETIMEOUT');
    expect(timeoutError(connect, 'x', 600_000)).toBe(connect);
  });
});

describe('MssqlTarget names the statement that timed out (driver stubbed)', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  const c = (name: string, type: TargetColumn['type']): TargetColumn =>
    ({ name, type, maxLength: 4, precision: 10, scale: 0, nullable: true, identity: false, computed: false });

  it('an INSERT that outlasts the timeout fails as REINSERT_TIMEOUT naming the row and table and the string\'s own timeout', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { return this; } as never);
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockResolvedValue(undefined as never);
    vi.spyOn(sql.Request.prototype, 'query').mockImplementation(async () => { throw new sql.RequestError('Timeout: Request failed to complete in 45000ms', 'ETIMEOUT'); });
    const t: TargetTable = { schema: 'dbo', name: 'T', keyColumns: ['id'], columns: [c('id', 'int')] };
    const plan = planReinsert([{ id: 7, table: 'dbo.T', lsn: '0001', values: { id: 1 } }], new Map([['dbo.T', t]]), []);
    const row = plan.batches[0]!.rows[0]!;
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM;Request Timeout=45000' });
    const session = await target.session();
    const err = await session.insert(row).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ReinsertError);
    expect((err as ReinsertError).code).toBe('REINSERT_TIMEOUT');
    expect((err as ReinsertError).message).toMatch(/^the INSERT of row 7 into dbo\.T did not finish within 45 s \(the request timeout, 45000 ms\)/);
    await target.close();
  });

  it('a catalog read that timed out says no batch had begun, not that one rolled back', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { return this; } as never);
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockResolvedValue(undefined as never);
    vi.spyOn(sql.Request.prototype, 'query').mockImplementation(async () => { throw new sql.RequestError('Timeout: Request failed to complete in 600000ms', 'ETIMEOUT'); });
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM' });
    const err = await target.loadTables(['dbo.T']).then(() => undefined, (e: unknown) => e) as ReinsertError;
    expect(err.code).toBe('REINSERT_TIMEOUT');
    expect(err.message).toMatch(/^reading the target's columns \(sys\.columns\) did not finish within 10 minute\(s\)/);
    expect(err.message).toContain('no batch had begun: nothing was inserted');
    expect(err.message).not.toContain('batch rolled back');
    await target.close();
  });

  it('a COMMIT that timed out (cancelled: its connection may still hold the open transaction, and mssql hands it back to the pool) closes the pool; the next batch gets a new one', async () => {
    const pools: sql.ConnectionPool[] = [];
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { pools.push(this); return this; } as never);
    const closed: sql.ConnectionPool[] = [];
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockImplementation(async function (this: sql.ConnectionPool) { closed.push(this); } as never);
    vi.spyOn(sql.Transaction.prototype, 'begin').mockImplementation(async function (this: sql.Transaction) { return this; } as never);
    vi.spyOn(sql.Transaction.prototype, 'commit').mockImplementation(async () => { throw new sql.TransactionError(new sql.RequestError('Timeout: Request failed to complete in 600000ms', 'ETIMEOUT') as never); });
    const rollback = vi.spyOn(sql.Transaction.prototype, 'rollback').mockResolvedValue(undefined as never);
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM' });
    const session = await target.session();
    await session.begin();
    const err = await session.commit().then(() => undefined, (e: unknown) => e);
    expect((err as ReinsertError).code).toBe('REINSERT_TIMEOUT');
    expect((err as ReinsertError).message).toContain('which may have committed');
    // the pool that lent the connection is closed, and a new one is connected for what follows
    expect(closed).toEqual([pools[0]]);
    expect(pools).toHaveLength(2);
    // runBatch's rollback after it: nothing left to roll back on this side
    await session.rollback();
    expect(rollback).not.toHaveBeenCalled();
    await target.close();
  });

  it('a ROLLBACK that failed (timed out) closes the pool too; one mssql says had nothing to end (EABORT) does not', async () => {
    const pools: sql.ConnectionPool[] = [];
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { pools.push(this); return this; } as never);
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockResolvedValue(undefined as never);
    vi.spyOn(sql.Transaction.prototype, 'begin').mockImplementation(async function (this: sql.Transaction) { return this; } as never);
    const rollback = vi.spyOn(sql.Transaction.prototype, 'rollback');
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM' });
    const session = await target.session();
    rollback.mockImplementationOnce(async () => { throw new sql.TransactionError('Transaction has been aborted.', 'EABORT'); });
    await session.begin();
    await session.rollback().catch(() => undefined);
    expect(pools).toHaveLength(1);
    rollback.mockImplementationOnce(async () => { throw new sql.TransactionError(new sql.RequestError('Timeout: Request failed to complete in 600000ms', 'ETIMEOUT') as never); });
    await session.begin();
    await session.rollback().catch(() => undefined);
    expect(pools).toHaveLength(2);
    await target.close();
  });
});
