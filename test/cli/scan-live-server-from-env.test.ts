/**
 * `rowback scan --database CRM` with no --server is a live scan: the server comes from the MSSQL_*
 * variables (util/connection.ts resolveConnection; --server's help says so), and open-source.ts picks
 * the live source for --database alone. scan.ts told the verdict the source's kind by `opts.server`
 * only, so such a scan was judged as one of FILES: the online log's start was not checked (a window
 * starting before the online log begins, its earlier transactions only in log backups, printed the
 * rows as whole: no INCOMPLETE, `complete: true`), and transactions whose LOP_BEGIN_XACT the server
 * did not return were placed by the read's start as a log read from files is (2e9a9560), which a live
 * read does not allow. The kind is now the source's own (open-source.ts sourceKind).
 *
 * SYNTHETIC answers shaped like a SQL Server's (test/support/fake-live-customers.ts): the online
 * log's oldest VLF's first transaction began 2024-03-05 14:07:09.123; no server here (the live
 * source is built with the fake runner in place of the one the variables would connect).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';

vi.mock('../../src/recover/sources/live.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/sources/live.js')>();
  const { OneDeleteLiveRunner } = await import('../support/fake-live-customers.js');
  return { ...real, openLiveSource: (o: ConstructorParameters<typeof real.LiveSource>[0]) => new real.LiveSource({ ...o, runner: new OneDeleteLiveRunner() }) };
});

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --database with the server from MSSQL_* variables (no --server) is judged as a live scan (SYNTHETIC server answers)', () => {
  it('a window starting before the online log begins is INCOMPLETE, as with --server', async () => {
    for (const server of [['--server', 'Server=fake;Database=CRM'], []]) {
      const report = join(dir, `r${server.length}.json`);
      const r = await cli('scan', ...server, '--database', 'CRM', '--from', '2024-03-05T14:00', '--format', 'ndjson', '--quiet', '--report', report);
      expect(r.stdout.trim().split('\n').filter(Boolean), `${server.join(' ')}: ${r.stderr}`).toHaveLength(1);
      expect(r.stderr.split('\n').filter((l) => l.includes('INCOMPLETE')), `${server.join(' ')}: ${r.stderr}`).toContainEqual(expect.stringContaining('before the online log begins'));
      expect((JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete, server.join(' ')).toBe(false);
    }
  }, 60_000);
});
