/**
 * A clustered columnstore table keeps its rows in compressed rowgroups (a delete there only marks the
 * row in the index's delete bitmap: no row image is logged) and in delta store rowgroups, whose
 * rowsets are internal partitions (sys.internal_partitions), not the sys.partitions heap or clustered
 * index rowset the live scan and sql/export-log-records.sql choose log records by. So no delete of
 * such a table ever comes back, and `scan --table` of one printed "0 row(s)" as if nothing had been
 * deleted, complete. Now a live or export scan that reads such a table is INCOMPLETE naming it.
 *
 * SYNTHETIC answers shaped like a SQL Server's (test/support/fake-live-customers.ts), dbo.Customers'
 * catalog row marked data_compression_desc COLUMNSTORE; the server returns no record of it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import type { RunOptions } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';

const state = vi.hoisted(() => ({ compression: 'COLUMNSTORE' }));

vi.mock('../../src/recover/sources/live.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/sources/live.js')>();
  const { OneDeleteLiveRunner, customersCatalog } = await import('../support/fake-live-customers.js');
  class Runner extends OneDeleteLiveRunner {
    override async *stream(stmt: SqlStatement, o?: RunOptions): AsyncIterable<Row> {
      if (stmt.text.includes('system_internals_partition_columns')) {
        yield* customersCatalog('2024-01-02T09:00:00').map((r) => ({ ...r, data_compression_desc: state.compression }));
        return;
      }
      // the server returns no record of the table's deletes (they are not on the rowset chosen)
      if (stmt.text.includes('[xact]')) return;
      yield* super.stream(stmt, o);
    }
  }
  return { ...real, openLiveSource: (o: ConstructorParameters<typeof real.LiveSource>[0]) => new real.LiveSource({ ...o, runner: new Runner() }) };
});

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-cci-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(): Promise<{ incomplete: string[]; complete: boolean }> {
  const report = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--table', 'dbo.Customers', '--from', '2024-03-05T14:07:09.123', '--to', '2024-03-05T15:00', '--format', 'ndjson', '--quiet', '--report', report);
  return { incomplete: r.stderr.split('\n').filter((l) => l.includes('INCOMPLETE')), complete: (JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete };
}

describe('a live scan of a clustered columnstore table (SYNTHETIC server answers)', () => {
  it('is INCOMPLETE naming the table: none of its deletes can come back', async () => {
    state.compression = 'COLUMNSTORE';
    const r = await scan();
    expect(r.complete).toBe(false);
    expect(r.incomplete).toHaveLength(1);
    expect(r.incomplete[0]).toContain('a table read is a clustered columnstore table (dbo.Customers): its rows are kept in compressed rowgroups');
    expect(r.incomplete[0]).toContain('no delete of it is in this result');
  }, 60_000);

  it('a rowstore table with no deletes returned stays complete', async () => {
    state.compression = 'NONE';
    const r = await scan();
    expect(r.incomplete).toEqual([]);
    expect(r.complete).toBe(true);
  }, 60_000);
});

describe('the sentence for an export (SYNTHETIC table names)', () => {
  it('names the script as what chose the records, and counts past ten tables', async () => {
    const { columnstoreTablesClause } = await import('../../src/recover/rebuilt-tables.js');
    expect(columnstoreTablesClause([], 'export', 'this result')).toBe('');
    const many = Array.from({ length: 12 }, (_, i) => `dbo.Fact${i}`);
    const s = columnstoreTablesClause(many, 'export', 'this job');
    expect(s).toContain('12 tables read are clustered columnstore tables (dbo.Fact0, dbo.Fact1');
    expect(s).toContain('and 2 more)');
    expect(s).toContain('sql/export-log-records.sql chose');
    expect(s).toContain('no delete of them is in this job');
  });
});
