import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MssqlRunner } from '../../../src/logreader/live/runner.js';
import { serverInfoSql } from '../../../src/logreader/live/sql.js';
import { resolveConnection } from '../../../src/util/connection.js';
import { createLogger } from '../../../src/util/logger.js';

/**
 * The real mssql/tedious path up to the network, without a SQL Server: a port nobody listens
 * on, and a TCP server that accepts and then hangs up (a server that dies mid-login).
 */
let closedPort = 0;
let hangUp: Server;
let hangUpPort = 0;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  hangUp = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => hangUp.listen(0, '127.0.0.1', r));
  hangUpPort = (hangUp.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => hangUp.close(() => r())));

const settings = (port: number) => resolveConnection(`Server=127.0.0.1,${port};Database=CRM;User Id=ro;Password=S3cret-Pw!;Connect Timeout=5`, {});

describe('MssqlRunner without a server', () => {
  it('refuses a writing statement before touching the network', () => {
    const r = new MssqlRunner(settings(closedPort));
    expect(() => r.stream({ text: 'DELETE FROM dbo.Customers', params: [] })).toThrow(expect.objectContaining({ code: 'SOURCE_NOT_READ_ONLY' }));
  });

  it('reports a refused connection as SOURCE_CONNECT after retrying it as transient', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug' }, { write: (l: string) => lines.push(l) });
    const r = new MssqlRunner(settings(closedPort), { logger, maxAttempts: 2 });
    // named by the connection it could not make, not by the query's internal label
    const err = await r.query(serverInfoSql(), { label: 'server facts' }).then(() => null, (e: Error & { code: string }) => e);
    expect(err?.code).toBe('SOURCE_CONNECT');
    expect(err?.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${closedPort}/CRM as ro \\(SQL login\\) over TLS: cannot connect: `));
    // tedious's "Could not connect (sequence)" is replaced by the reasons it kept
    expect(err?.message).toContain(`no address answered (connect ECONNREFUSED 127.0.0.1:${closedPort})`);
    expect(err?.message).not.toContain('(sequence)');
    expect(err?.message).not.toContain('server facts');
    expect(err?.message).not.toContain('S3cret-Pw!');
    await r.close();
    expect(lines.filter((l) => l.includes('transient error, retrying'))).toHaveLength(1);
    // The password never reaches a log line, the connection description names no secret.
    expect(lines.join('\n')).not.toContain('S3cret-Pw!');
    expect(r.description).toBe(`127.0.0.1:${closedPort}/CRM as ro (SQL login) over TLS`);
  }, 30_000);

  it('reports a server that hangs up during login as SOURCE_CONNECT, without retrying past the limit', async () => {
    const r = new MssqlRunner(settings(hangUpPort), { maxAttempts: 1 });
    await expect(r.query(serverInfoSql())).rejects.toMatchObject({ code: expect.stringMatching(/^SOURCE_(CONNECT|TIMEOUT)$/) });
    await r.close();
  }, 30_000);

  it('cancels while waiting, with SOURCE_CANCELLED', async () => {
    const r = new MssqlRunner(settings(closedPort), { maxAttempts: 1 });
    const ac = new AbortController();
    ac.abort();
    await expect(r.query(serverInfoSql(), { signal: ac.signal })).rejects.toMatchObject({ code: 'SOURCE_CANCELLED' });
  });
});
