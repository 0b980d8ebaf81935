import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * `dump --stop-* --table A --table B` reads the backup chain once, whatever the number of tables:
 * the log streams opened (the base backup's own log, every log backup, the commit-time and VLF
 * boundary reads of the chain) and the backups' pages opened are as many for two tables as for one.
 * Each table was replayed on its own, the chain read once per table: N tables, N times the wait on
 * GBs of log backups. Counted by wrapping the log-stream and page openers (every caller reaches them
 * through these modules); the rows are checked too.
 */
const opened = vi.hoisted(() => ({ logs: [] as string[], pages: [] as string[] }));
vi.mock('../../src/backup/log-stream.js', async (original) => {
  const m = await original<typeof import('../../src/backup/log-stream.js')>();
  return {
    ...m,
    openBackupLogStream: (...a: Parameters<typeof m.openBackupLogStream>) => {
      opened.logs.push(String(a[0]));
      return m.openBackupLogStream(...a);
    },
  };
});
vi.mock('../../src/backup/open.js', async (original) => {
  const m = await original<typeof import('../../src/backup/open.js')>();
  return {
    ...m,
    openBackupPages: (...a: Parameters<typeof m.openBackupPages>) => {
      opened.pages.push(String(a[0]));
      return m.openBackupPages(...a);
    },
  };
});

describeCorpus('a point-in-time dump of several tables reads the chain once', () => {
  const cli = captureCli();
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-pit-one-pass-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (name: string, ...argv: string[]) => {
    opened.logs.length = 0;
    opened.pages.length = 0;
    const out = join(dir, `${name}.ndjson`);
    const r = await cli('dump', ...argv, '--quiet', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const tables = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { table: string }).table);
    return { logs: [...opened.logs], pages: [...opened.pages], tables };
  };

  it('TSQLV4.bak through its own log: two tables open its log stream and its pages as often as one', async () => {
    const BAK = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
    const at = ['--bak', BAK, '--stop-before-lsn', '00000027:00000ea8:0001'];
    const one = await run('one', ...at, '--table', 'HR.Employees');
    const two = await run('two', ...at, '--table', 'HR.Employees', '--table', 'Sales.Customers');
    expect(one.logs.length).toBeGreaterThan(0);
    expect(one.pages.length).toBeGreaterThan(0);
    expect(two.logs).toEqual(one.logs);
    expect(two.pages).toEqual(one.pages);
    expect(two.tables).toEqual([...Array(9).fill('HR.Employees'), ...Array(91).fill('Sales.Customers')]);
  });

  it('RestoreTimeClean, full + differential + two log backups: every log backup opened as often for two table names (looked up each) as for one', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    const at = ['--bak', FULL, DIFF, '--trn', ...LOGS, '--stop-at', '2017-06-01 13:21'];
    const one = await run('rtc1', ...at, '--table', 'dbo.steps');
    // the corpus chain holds one user table: a name differing in letter case is looked up as a table
    // of its own (a case-sensitive database may hold both), replayed, and printed once when it finds the same table
    const two = await run('rtc2', ...at, '--table', 'dbo.steps', '--table', 'DBO.Steps');
    for (const f of [LOGS[3]!, LOGS[4]!]) expect(one.logs).toContain(f);
    expect(two.logs).toEqual(one.logs);
    expect(two.pages).toEqual(one.pages);
    expect(two.tables).toEqual(one.tables);
    expect(one.tables).toHaveLength(44);
  });
});
