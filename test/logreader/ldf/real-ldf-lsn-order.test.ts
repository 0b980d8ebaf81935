/**
 * The corpus's real .ldf files, scanned alone now that an .ldf is read in LSN order (its VLFs by
 * sequence number, stale blocks at their own LSNs, each LSN once): four of them wrapped around the
 * file (their oldest VLF is not the first), and each still gives the rows it gave when read in file
 * order (counts from `rowback scan --op delete --op insert` before the change), with nothing
 * reported lost and no log held twice.
 */
import { expect, it } from 'vitest';
import { readLdfLayout } from '../../../src/logreader/ldf/reader.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { logLoss } from '../../../src/recover/source.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

const cases = [
  { ldf: 'AngularJs_CRUD/App_Data/Database1_log.ldf', mdf: 'AngularJs_CRUD/App_Data/Database1.mdf', rows: 38, wrapped: true },
  { ldf: 'CRUD-.NET/App_Data/Database_log.ldf', mdf: 'CRUD-.NET/App_Data/Database.mdf', rows: 5, wrapped: true },
  { ldf: 'CRUD-.NET/App_Data/Database2_log.ldf', mdf: 'CRUD-.NET/App_Data/Database2.mdf', rows: 9, wrapped: true },
  { ldf: 'sql-practice-asp/App_Data/School_Log.ldf', mdf: 'sql-practice-asp/App_Data/School.mdf', rows: 0, wrapped: true },
  { ldf: 'Tractis_aspnet_demo/App_Data/aspnetdb_log.ldf', mdf: 'Tractis_aspnet_demo/App_Data/aspnetdb.mdf', rows: 3, wrapped: false },
  { ldf: 'SessionShoppingCart/App_Data/NORTHWND_log.ldf', mdf: 'SessionShoppingCart/App_Data/NORTHWND.MDF', rows: 0, wrapped: false },
];

describeCorpus('real .ldf files scanned alone in LSN order', () => {
  it.each(cases)('$ldf: the same rows as in file order, no loss, no log held twice', async ({ ldf, mdf, rows, wrapped }) => {
    const layout = await readLdfLayout(corpusPath(ldf), { allowUnsupportedVersion: true });
    const seqs = layout.vlfs.map((v) => v.seq);
    expect(seqs.some((s, i) => i > 0 && s < seqs[i - 1]), seqs.join(',')).toBe(wrapped);
    const files = openFileSource({ ldf: corpusPath(ldf), mdf: corpusPath(mdf) });
    let n = 0;
    const seen = new Set<string>();
    for await (const ev of recoverRows(files, { operations: ['delete', 'insert'] })) {
      if (ev.kind !== 'row') continue;
      n++;
      seen.add(`${ev.row.lsn}`);
    }
    await files.close();
    expect(n).toBe(rows);
    expect(seen.size).toBe(n);
    expect(logLoss(files.skipped())).toEqual([]);
    expect(files.notes.filter((x) => x.includes('held twice'))).toEqual([]);
  });
});
