import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `dump … --stop-before-lsn --table dbo.T --table dbo.t` of a case-sensitive database holding both
 * tables (its names are looked up exactly first: reconstruct/metadata/names.ts NameIndex): the
 * point-in-time dump dropped every name that differed from an earlier one only in letter case before
 * looking it up, so dbo.t was never replayed nor printed, exit 0 with no word. Names that find one
 * table (a case-insensitive database) are printed once after they are looked up, as `dump --bak`
 * does. Real bytes: TSQLV4.bak through its own log; the second table, `hr.employees`, is a
 * SYNTHETIC twin of HR.Employees (the corpus holds no case-sensitive database with two such
 * tables): the replay's module wrapped, its result renamed, every other step real.
 */
vi.mock('../../src/replay/point-in-time.js', async (original) => {
  const m = await original<typeof import('../../src/replay/point-in-time.js')>();
  return {
    ...m,
    // the dump replays its tables in one read of the chain (replayTablesAt): the twin's name is read as HR.Employees, its result renamed
    replayTablesAt: async (o: Parameters<typeof m.replayTablesAt>[0]) => {
      const rs = await m.replayTablesAt({ ...o, tables: o.tables.map((t) => (t === 'hr.employees' ? 'HR.Employees' : t)) });
      return rs.map((r, i) => (o.tables[i] === 'hr.employees' ? { ...r, table: 'hr.employees', layout: { ...r.layout, schema: 'hr', name: 'employees' } } : r));
    },
  };
});

describeCorpus('point-in-time dump of two tables whose names differ only in letter case (SYNTHETIC twin)', () => {
  const cli = captureCli();
  const BAK = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  const END = '00000027:00000ea8:0001';
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-pit-case-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays and prints both, each under its own name (the second was dropped unread)', async () => {
    const file = join(dir, 'both.ndjson');
    const r = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--table', 'hr.employees', '--quiet', '--out', file);
    expect(r.code).toBe(0);
    const tables = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { table: string }).table);
    expect(tables).toEqual([...Array(9).fill('HR.Employees'), ...Array(9).fill('hr.employees')]);
    // a name given twice exactly is still one table, replayed once
    const again = join(dir, 'again.ndjson');
    expect((await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--table', 'HR.Employees', '--quiet', '--out', again)).code).toBe(0);
    expect(readFileSync(again, 'utf8').trim().split('\n')).toHaveLength(9);
  });
});
