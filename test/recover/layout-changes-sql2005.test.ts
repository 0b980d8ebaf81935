/**
 * Real bytes: SQL Server 2005 (aspnetdb.mdf, dbi_version 611) keeps no sysrscols; a partition's
 * columns are in sysrowsetcolumns (allocation unit 262144) and its physical columns in
 * syshobtcolumns (851968). aspnetdb_log.ldf holds aspnet_regsql's CREATE TABLEs as inserts there,
 * the rowset (= hobt) id at offset 4 and the rowset / hobt column id at offset 12. The layout watch
 * read only sysrscols and syscolpars, so on a 2005 database an ALTER COLUMN (a new physical column:
 * a syshobtcolumns insert) was passed by and the rows after it decoded with the older layout
 * (test/recover/layout-changes.test.ts, SYNTHETIC). Here: the watch keys the real records to the
 * data file's tables, and the data file's catalog holds what they added.
 */
import { expect, it } from 'vitest';
import { readLdfRecordBatches } from '../../src/logreader/ldf/reader.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { LayoutChangeWatch, SYSCOLPARS_ALLOC_UNIT, watchedTables, type LayoutChange } from '../../src/recover/layout-changes.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('layout watch on a SQL Server 2005 log (aspnetdb_log.ldf)', () => {
  async function changes(withKeys: boolean): Promise<LayoutChange[]> {
    const md = readDataFileMetadata(openDataFiles([corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb.mdf')]));
    expect(md.database.version).toBe(611);
    const tables = watchedTables(catalogFromLayouts(md.partitionLayouts)).map((t) => (withKeys ? t : { ...t, columnKeys: undefined }));
    // every change counts (no checkpoint); syscolpars left out: only the 2005 column tables judged
    const watch = new LayoutChangeWatch(tables, null, false, true);
    const out: LayoutChange[] = [];
    for await (const b of readLdfRecordBatches(corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb_log.ldf'), { vlfOrder: 'sequence', logFormat2IsSql2005: true })) {
      for (const r of b.records) {
        if ((r.Operation === 'LOP_INSERT_ROWS' || r.Operation === 'LOP_DELETE_ROWS') && r.AllocUnitId !== SYSCOLPARS_ALLOC_UNIT && watch.watches(r)) watch.see(r, r.Operation === 'LOP_INSERT_ROWS');
        else if (r.Operation === 'LOP_COMMIT_XACT') out.push(...watch.commit(r['Transaction ID'], { name: null, endTime: null, pageMove: false }));
        else if (r.Operation === 'LOP_ABORT_XACT') watch.abort(r['Transaction ID']);
      }
    }
    return out;
  }

  it("keys sysrowsetcolumns/syshobtcolumns inserts to the data file's tables by the rowset id at offset 4", async () => {
    const seen = [...new Set((await changes(false)).map((c) => c.table))].sort();
    // the tables aspnet_regsql created inside the log read
    expect(seen).toEqual(['dbo.aspnet_Profile', 'dbo.aspnet_Roles', 'dbo.aspnet_UsersInRoles']);
  });

  it('finds every rowset column id they added (offset 12) in the data file\'s catalog: none is a change the catalog lacks', async () => {
    expect(await changes(true)).toEqual([]);
  });
});
