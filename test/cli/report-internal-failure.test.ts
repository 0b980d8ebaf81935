import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A run that fails with an error that is not rowback's own (a bug: `rowback: INTERNAL: …`, exit 1)
 * left the previous run's `--report` as it was: a script reading `complete` (docs/scripting.md:
 * "written for refused and failed runs too … so a stale report from an earlier run is never read as
 * this one's") read that run's `"complete": true` and its rows count (newcomer E). Now the report
 * says `complete: false, failed: { code: 'INTERNAL', message }`. The failure is forced (a TypeError
 * thrown by the source opener / the replay once `fake.fail` is set) on REAL files: AngularJs_CRUD, TSQLV4.bak.
 */
const fake = vi.hoisted(() => ({ fail: false }));
vi.mock('../../src/recover/open-source.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/recover/open-source.js')>();
  return {
    ...m,
    openSource: async (...a: Parameters<typeof m.openSource>) => {
      if (fake.fail) throw new TypeError("Cannot read properties of undefined (reading 'pages')");
      return m.openSource(...a);
    },
  };
});
vi.mock('../../src/replay/point-in-time.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/replay/point-in-time.js')>();
  return {
    ...m,
    replayTableAt: async (...a: Parameters<typeof m.replayTableAt>) => {
      if (fake.fail) throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      return m.replayTableAt(...a);
    },
    // a dump of several tables replays them in one pass
    replayTablesAt: async (...a: Parameters<typeof m.replayTablesAt>) => {
      if (fake.fail) throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      return m.replayTablesAt(...a);
    },
  };
});

const cli = captureCli();
describeCorpus('--report of a run that fails INTERNAL', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-report-internal-')); });
  afterAll(() => { fake.fail = false; rmSync(dir, { recursive: true, force: true }); });

  it('scan: the previous run\'s complete report is replaced by complete false, failed INTERNAL', async () => {
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    const report = join(dir, 'scan.json');
    const args = ['scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet', '--strict'];
    fake.fail = false;
    expect((await cli(...args)).code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: true, rows: 16 });
    fake.fail = true;
    const r = await cli(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rowback: INTERNAL: ');
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j).toMatchObject({ complete: false, incomplete: [], failed: { code: 'INTERNAL', message: expect.stringContaining("reading 'pages'") } });
    expect(j.rows).toBeUndefined();
  });

  it('dump --stop-before-lsn of several tables: the same', async () => {
    const report = join(dir, 'dump.json');
    const args = ['dump', '--bak', corpusPath('TSQLV4-compressed', 'TSQLV4.bak'), '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'HR.Employees', '--table', 'Sales.Customers', '--out', join(dir, 'd.ndjson'), '--report', report, '--quiet', '--strict'];
    fake.fail = false;
    expect((await cli(...args)).code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: true, rows: 100 });
    fake.fail = true;
    const r = await cli(...args);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'INTERNAL' } });
  });

  it('never over a file that is not a report', async () => {
    const mine = join(dir, 'mine.json');
    writeFileSync(mine, '{"rows": 5, "mine": true}');
    fake.fail = true;
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    expect((await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--out', join(dir, 'rows2.ndjson'), '--report', mine, '--quiet')).code).toBe(1);
    expect(readFileSync(mine, 'utf8')).toBe('{"rows": 5, "mine": true}');
  });
});
