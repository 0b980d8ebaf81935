import { expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Row operations on allocation units the data file's catalog does not name.
 *
 * REAL files: Tractis_aspnet_demo aspnetdb.mdf / aspnetdb_log.ldf. Its 2 row operations on unit
 * 72057594042908672 that no table of the catalog owns were counted as "other tables (missing from
 * the metadata)" and said in a note; their images are index records (status 0x36/0x16: FixedVar
 * type 3), rows of a nonclustered index, not table data: counted apart now, neither a note nor a
 * loss.
 *
 * AngularJs_CRUD Database1.mdf / Database1_log.ldf with the data file's catalog made to lack
 * dbo.Employee (as a backup written before the table was created or rebuilt): its 3 deletes were
 * a note not said with --quiet, exit 0 and `"complete": true`; now INCOMPLETE, exit 3 with --strict.
 */
let dropEmployee = false;
vi.mock('../../src/recover/open-source.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/open-source.js')>();
  return {
    ...real,
    openSource: async (...args: Parameters<typeof real.openSource>) => {
      const opened = await real.openSource(...args);
      const { withTableDropped } = await import('../support/table-dropped.js');
      return dropEmployee ? withTableDropped(opened, 'Employee') : opened;
    },
  };
});

const cli = captureCli();
describeCorpus('scan: row operations on allocation units the catalog does not name', () => {
  const d = (f: string) => corpusPath('Tractis_aspnet_demo', 'App_Data', f);
  it('index records on a unit no table owns are nonclustered index rows: no note, no loss; "why no rows" counts them apart', async () => {
    dropEmployee = false;
    const r = await cli('scan', '--mdf', d('aspnetdb.mdf'), '--ldf', d('aspnetdb_log.ldf'), '--op', 'delete,insert,update', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).not.toContain('are not in this result');
    expect(r.stderr).not.toContain('INCOMPLETE');
    const none = await cli('scan', '--mdf', d('aspnetdb.mdf'), '--ldf', d('aspnetdb_log.ldf'));
    expect(none.stderr).toContain("why no rows: the log's transactions began from 2011-02-19T14:50:12.290 to 2011-02-19T14:51:12.130; it holds 26 deletes on table data rows: all on SQL Server's own system tables");
    expect(none.stderr).toContain('; 2 more on index rows of indexes the metadata does not know (nonclustered indexes: not table data');
  });

  it('deletes of a table the data file does not name: INCOMPLETE naming the count and unit, said with --quiet, exit 3 with --strict, "complete": false', async () => {
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    dropEmployee = false;
    const whole = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--strict', '--quiet');
    expect(whole.code, whole.stderr).toBe(0);
    dropEmployee = true;
    try {
      const { mkdtempSync, readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const report = join(mkdtempSync(join(tmpdir(), 'rowback-unknown-')), 'r.json');
      const r = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--strict', '--quiet', '--report', report);
      expect(r.code).toBe(3);
      expect(r.stdout.trim().split('\n')).toHaveLength(13);
      expect(r.stderr).toContain("rowback scan: INCOMPLETE: 3 committed delete(s) on allocation units the data file's catalog does not name (not SQL Server's own system tables, not index rows) are not printed: rows of a table created, rebuilt (a new clustered index, ALTER TABLE … REBUILD) or dropped after that file was written: AllocUnitId 72057594043432960 ×3, listed by rowback log --alloc-unit ID; give a data file or backup as of the log's end");
      expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(false);
      // the note that said it before is not said twice
      const loud = await cli('scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'));
      expect(loud.stderr).not.toContain('rowback scan: note: 3 committed');
      expect(loud.stderr.match(/INCOMPLETE/g)).toHaveLength(1);
    } finally {
      dropEmployee = false;
    }
  });
});
