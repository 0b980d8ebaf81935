import sql from 'mssql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MssqlTarget } from '../../src/reinsert/mssql-target.js';
import { ReinsertError } from '../../src/errors.js';

/**
 * A target the driver could not connect to was answered `REINSERT_CONNECT_FAILED: cannot connect to
 * the target: Failed to connect to 127.0.0.1:1 - Could not connect (sequence)` (a dry run against a
 * target, a run, a resume; 502): what is wrong in the driver's words, and nothing of what to do. The
 * message now says, by the driver's error code, what to check (server and port, the login, the TLS
 * certificate, the time allowed) and that the connection string is the place. Connection strings
 * here are SYNTHETIC; the refused port is a closed local port, the other failures a stubbed driver.
 */

async function failure(cs: string): Promise<ReinsertError> {
  try {
    await new MssqlTarget({ connectionString: cs }).loadTables(['dbo.T']);
  } catch (e) {
    return e as ReinsertError;
  }
  throw new Error('connected');
}

describe('a re-insert target rowback cannot connect to', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('a server that does not answer: names the server and port to check, never the password', async () => {
    const e = await failure('Server=127.0.0.1,1;Database=CRM;User Id=sa;Password=Secret-pw-1;Connection Timeout=5');
    expect(e).toBeInstanceOf(ReinsertError);
    expect(e.code).toBe('REINSERT_CONNECT_FAILED');
    expect(e.message).toMatch(/^cannot connect to the target: Failed to connect to 127\.0\.0\.1:1/);
    expect(e.message).toMatch(/no SQL Server answered.*check the connection string's Server \(host,port or host\\instance;/);
    expect(e.message).not.toContain('Secret-pw-1');
  });

  it('a login the server refused: says to check the login and password', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockRejectedValue(new sql.ConnectionError("Login failed for user 'rowback'.", 'ELOGIN'));
    const e = await failure('Server=db1;Database=CRM;User Id=rowback;Password=Secret-pw-1');
    expect(e.message).toMatch(/Login failed for user 'rowback'\..*the server refused the login: check User Id and Password/);
    expect(e.message).not.toContain('Secret-pw-1');
  });

  it('an untrusted TLS certificate: names TrustServerCertificate for a server whose certificate is its own', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockRejectedValue(new sql.ConnectionError('Failed to connect to db1:1433 - self-signed certificate', 'ESOCKET'));
    const e = await failure('Server=db1;Database=CRM;User Id=rowback;Password=p');
    expect(e.message).toMatch(/TLS certificate.*TrustServerCertificate=true/);
  });

  it('a connection that timed out: names the time allowed (Connection Timeout, seconds)', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockRejectedValue(new sql.ConnectionError('Failed to connect to db1:1433 in 15000ms', 'ETIMEOUT'));
    const e = await failure('Server=db1;Database=CRM;User Id=rowback;Password=p');
    expect(e.message).toMatch(/did not answer in time.*Connection Timeout=60/);
  });
});
