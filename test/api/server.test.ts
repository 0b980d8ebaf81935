import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startServer } from '../../src/api/server.js';
import { silentLogger } from '../../src/util/logger.js';

it('serve on a busy port: INPUT_PORT_IN_USE (exit 2) and no stale staging lock left behind', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as AddressInfo).port;
  const db = join(mkdtempSync(join(tmpdir(), 'rowback-busy-')), 'staging.db');
  try {
    await expect(startServer({ port, host: '127.0.0.1', dbPath: db, logger: silentLogger })).rejects.toMatchObject({ code: 'INPUT_PORT_IN_USE', exitCode: 2 });
    expect(existsSync(`${db}.lock`)).toBe(false);
    // the staging file it had just created is gone too (a refused start leaves nothing behind) …
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
  } finally {
    blocker.close();
  }
});

it('serve on a busy port with an existing staging file keeps that file (only one it created is removed)', async () => {
  const { StagingStore } = await import('../../src/staging/store.js');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as AddressInfo).port;
  const db = join(mkdtempSync(join(tmpdir(), 'rowback-busy-')), 'staging.db');
  new StagingStore(db).close();
  try {
    await expect(startServer({ port, host: '127.0.0.1', dbPath: db, logger: silentLogger })).rejects.toMatchObject({ code: 'INPUT_PORT_IN_USE' });
    expect(existsSync(db)).toBe(true);
  } finally {
    blocker.close();
  }
});
