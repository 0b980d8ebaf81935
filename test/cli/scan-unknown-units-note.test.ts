import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Rows printed, and row operations on allocation units the metadata does not know that are not
 * SQL Server's own system tables: said in a note (newcomer: aspnetdb's 2 row operations on one
 * such unit were only in --report's counts; "why no rows" says it only when no row is printed).
 * REAL files: Tractis_aspnet_demo aspnetdb.mdf / aspnetdb_log.ldf.
 */
const cli = captureCli();
describeCorpus('scan: rows of tables the metadata lacks, beside printed rows', () => {
  const d = (f: string) => corpusPath('Tractis_aspnet_demo', 'App_Data', f);
  it('a note names the count and the unit (system tables\' units left out of it)', async () => {
    const r = await cli('scan', '--mdf', d('aspnetdb.mdf'), '--ldf', d('aspnetdb_log.ldf'), '--op', 'delete,insert,update');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain("rowback scan: note: 2 committed row operation(s) (delete/insert/update) on allocation units the table metadata does not know (not SQL Server's own system tables) are not in this result: rows of tables the metadata lacks (created, re-created or rebuilt after it was read, dropped, or left out of --ddl/--schema): AllocUnitId 72057594042908672 ×2, listed by rowback log --alloc-unit ID\n");
    // no rows printed: "why no rows" says it, not this note
    const none = await cli('scan', '--mdf', d('aspnetdb.mdf'), '--ldf', d('aspnetdb_log.ldf'));
    expect(none.stderr).toContain('why no rows');
    expect(none.stderr).not.toContain('are not in this result');
  });
});
