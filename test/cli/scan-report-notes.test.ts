/**
 * `scan --report`'s `notes` hold the notes of the result stderr says, with --quiet or without
 * (docs/scripting.md: "notes: what stderr says as notes"). Before, they held the source's notes and
 * the lost-log one alone: a window that caught 4 of the 63 inserts of a chain said on stderr
 * "59 more insert(s) on table data rows are in transactions that began outside the window (…)",
 * and the report a script reads said `notes: [...]` without it (so did a TRUNCATE TABLE's note,
 * said even with --quiet, and rows their own transaction took back).
 *
 * REAL files: appveyor-lab sql2008-backups/StopAt (full StopAt.bak, StopAt_1.trn, _21, _23 with
 * StopAt_2.trn left out: a chain gap from 13:b7:1 to 13:c1:1; one row inserted every 5 s, the
 * first at 2020-05-12 13:28:44.450); AngularJs_CRUD Database1.mdf + Database1_log.ldf (16 deletes,
 * 7 of them on 2018-08-29). The UNCHECKED case is SYNTHETIC: the source's stats are made to say it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// UNCHECKED needs more than 32 MB of pair keys in open transactions: the source's stats are made to
// say it (as test/worker/worker.test.ts does for a job), for the one test that sets `unchecked`
const fake = vi.hoisted(() => ({ unchecked: 0 }));
vi.mock('../../src/recover/open-source.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/recover/open-source.js')>();
  return {
    ...m,
    openSource: async (...a: Parameters<typeof m.openSource>) => {
      const o = await m.openSource(...a);
      const s = o.source;
      const own = s.committedStats?.bind(s);
      if (fake.unchecked && own) s.committedStats = () => { const st = own(); return st && { ...st, undoneUncheckedTransactions: fake.unchecked }; };
      return o;
    },
  };
});

const cli = captureCli();
const STOPAT = (f: string) => corpusPath('appveyor-lab/sql2008-backups/StopAt', f);
const ANGULAR = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);

describeCorpus('scan --report: notes are the notes stderr says', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-report-notes-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = async (args: string[], quiet: boolean) => {
    const report = join(dir, 'report.json');
    const r = await cli('scan', ...args, '--strict', '--out', join(dir, 'rows.ndjson'), '--report', report, ...(quiet ? ['--quiet'] : []));
    const said = r.stderr.split('\n').filter((l) => l.startsWith('rowback scan: note: ')).map((l) => l.slice('rowback scan: note: '.length));
    return { ...r, said, report: JSON.parse(readFileSync(report, 'utf8')) as { rows: number; complete: boolean; notes: string[] } };
  };

  it('a window over a chain with a log backup left out: the rows outside the window and the stretch outside it', async () => {
    const args = ['--bak', STOPAT('StopAt.bak'), '--trn', STOPAT('StopAt_1.trn'), STOPAT('StopAt_21.trn'), STOPAT('StopAt_23.trn'), '--op', 'insert', '--to', '2020-05-12T13:29:00'];
    for (const quiet of [false, true]) {
      const r = await scan(args, quiet);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report.rows).toBe(4);
      expect(r.report.complete).toBe(true);
      expect(r.report.notes).toEqual([
        'parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP) (LSNs 00000013:000000b7:0001 up to 00000013:000000c1:0001, in no file given), and the window asked for lies wholly outside that stretch (by its LSNs, the times of the backups on each side and of the first transaction read past it): no row asked for can be there; add the missing log backups with --trn to read that stretch',
        "59 more insert(s) on table data rows are in transactions that began outside the window (they began from 2020-05-12T13:29:04.467 to 2020-05-12T13:34:34.763, the SQL Server's local time, as --from/--to are): not in this result; widen the window (or drop it) to see them",
      ].sort());
      // stderr without --quiet says the same notes (its times in fn_dblog's form)
      if (!quiet) expect(r.said.map((n) => n.replace(/(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d):(\d{3})/g, '$1-$2-$3T$4.$5')).sort()).toEqual([...r.report.notes].sort());
    }
  });

  it('UNCHECKED (exit 3 under --strict) is in the report\'s warnings: a script read complete true, no warnings, and exit 3', async () => {
    fake.unchecked = 2;
    try {
      const r = await scan(['--mdf', ANGULAR('Database1.mdf'), '--ldf', ANGULAR('Database1_log.ldf')], true);
      expect(r.stderr).toMatch(/^rowback scan: UNCHECKED: 2 transaction\(s\) also logged more of the opposite operation/m);
      expect(r.code, r.stderr).toBe(3);
      expect(r.report.complete).toBe(true);
      expect((r.report as { warnings?: string[] }).warnings).toEqual([expect.stringMatching(/^UNCHECKED: 2 transaction\(s\) also logged more of the opposite operation .* check those rows against the database before re-inserting them$/)]);
    } finally {
      fake.unchecked = 0;
    }
  });

  it('a day of an .mdf + .ldf pair: the deletes of the other days', async () => {
    const r = await scan(['--mdf', ANGULAR('Database1.mdf'), '--ldf', ANGULAR('Database1_log.ldf'), '--from', '2018-08-29', '--to', '2018-08-29'], true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.rows).toBe(7);
    expect(r.report.notes).toEqual([
      // (some began before the day, some after it: each side said, not one span holding the day itself)
      "9 more delete(s) on table data rows are in transactions that began outside the window (4 began before the window's start, from 2018-08-28T18:37:18.200 to 2018-08-28T21:56:07.133; 5 after its end, from 2018-08-30T16:53:47.560 to 2018-08-30T18:08:42.293; the SQL Server's local time, as --from/--to are): not in this result; widen the window (or drop it) to see them",
    ]);
  });
});
