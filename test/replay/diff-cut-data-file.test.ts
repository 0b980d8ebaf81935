import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DiffOptions } from '../../src/cli/commands/diff.js';
import { diffCaptured } from '../support/run-diff.js';
import { backupAsDataFile } from '../support/backup-as-data-file.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * `diff --after-mdf` of a data file cut short (AK's left-out, session 49): RestoreTimeClean's data
 * file as of the differential, laid out from its REAL backups' pages as RESTORE writes them
 * (test/support/backup-as-data-file.ts), then cut. dbo.steps' pages are 1:153 and 1:154.
 * - Cut past the table's pages: the comparison is whole, the copy is not. diff said nothing of the
 *   cut (dump, scan and log say it as a note); it now says it, for the later state, naming the pages
 *   missing and a newer backup (--after-bak) as what to read instead.
 * - Cut before them: the state is refused (its rows would read as missing), naming the cut and, as
 *   the backup to read instead, --after-bak (it said --bak, which is diff's earlier state).
 */
describeCorpus('diff --after-mdf: a data file cut short', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let dir: string;
  let pastTable: string;
  let beforeTable: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-cut-mdf-'));
    pastTable = join(dir, 'cut-past-table.mdf');
    beforeTable = join(dir, 'cut-before-table.mdf');
    expect(backupAsDataFile([FULL, DIFF], pastTable)).toBe(288);
    backupAsDataFile([FULL, DIFF], beforeTable);
    truncateSync(pastTable, 200 * 8192);
    truncateSync(beforeTable, 150 * 8192 + 100);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (afterMdf: string) => diffCaptured({ bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:05', table: 'dbo.steps', format: 'ndjson', afterMdf: [afterMdf] } as DiffOptions);

  it('cut past the table: compared as the whole copy compares (18 added, 12 unchanged), and the cut is said as a note of the later state', async () => {
    const { r, lines, err } = await run(pastTable);
    expect(lines).toEqual([]);
    expect([r.missing.length, r.changed.length, r.added, r.same]).toEqual([0, 0, 18, 12]);
    expect(err).toContain(`rowback diff: note (later state, ${pastTable}): data file ${pastTable} is cut short: its file header page (page 1:0) says it has 288 pages, the file holds 1638400 bytes (200 whole pages), so pages 1:200 to 1:287 are missing: the copy is not whole (the comparison read no page past the cut: one it needed would have refused it); copy the whole file again (with SQL Server stopped or the database detached), or use a backup of the database (--after-bak)\n`);
  });

  it('cut before the table\'s pages: refused, naming the cut, never compared (its rows would read as missing)', async () => {
    const e = await run(beforeTable).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'INPUT_UNREADABLE_STATE' });
    expect((e as Error).message).toMatch(/^2 row\(s\) or page\(s\) of dbo\.steps in \S+cut-before-table\.mdf could not be read \(first: page 1:154 in data file \S+: FORMAT_PAGE_MISSING: data file \S+ does not hold page 1:154: the file is cut short: its file header page \(page 1:0\) says it has 288 pages \(2359296 bytes\), the file holds 1228900 bytes \(150 whole pages\), so pages 1:150 to 1:287 \(1130396 bytes\) are missing; copy the whole file again \(with SQL Server stopped or the database detached\), or use a backup of the database \(--after-bak\)\); /);
    expect((e as Error).message).toContain('a comparison would call them missing, so none is made');
  });
});
