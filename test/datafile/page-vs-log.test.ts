import { expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { decodeLob, readTableRows } from '../../src/datafile/table-rows.js';
import { parseLobFragment } from '../../src/datafile/record.js';
import { readLdfRecords } from '../../src/logreader/ldf/reader.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { isPagedOffRow, type SqlValue } from '../../src/reconstruct/values.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Two independent sources for the same rows: the data pages (this module) and the INSERT log
 * records of the database's own .ldf (the log reader). A row inserted in the log and not modified
 * or deleted afterwards (no later LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS / LOP_DELETE_ROWS at its
 * page and slot) must decode to the same values from both. Off-row text values on the log side
 * are taken from the LOB fragments the same log inserted (LOP_INSERT_ROWS on the LOB unit).
 */
const PAIRS = [
  { mdf: ['AngularJs_CRUD', 'App_Data', 'Database1.mdf'], ldf: ['AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'], minSame: 7 },
  { mdf: ['CRUD-.NET', 'App_Data', 'Database.mdf'], ldf: ['CRUD-.NET', 'App_Data', 'Database_log.ldf'], minSame: 5 },
  { mdf: ['CRUD-.NET', 'App_Data', 'Database2.mdf'], ldf: ['CRUD-.NET', 'App_Data', 'Database2_log.ldf'], minSame: 9 },
];

describeCorpus('rows on the pages = rows inserted in the log', () => {
  it.each(PAIRS)('$mdf.2 vs $ldf.2', async ({ mdf, ldf, minSame }) => {
    const src = new MdfPageSource(corpusPath(...mdf));
    const md = readDataFileMetadata(src);
    const log: LogRecord[] = [];
    for await (const r of readLdfRecords(corpusPath(...ldf))) log.push(r);

    let same = 0;
    const differences: string[] = [];
    for (const t of md.tables) {
      const key = t.columns.filter((c) => (c.keyOrdinal ?? 0) > 0).sort((a, b) => a.keyOrdinal! - b.keyOrdinal!);
      const keyOf = (v: Record<string, SqlValue>) => JSON.stringify(key.map((c) => v[c.name]));
      const onPages = new Map([...readTableRows(src, md, `${t.schema}.${t.name}`)].map((r) => [keyOf(r.values), r]));
      const inRow = t.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
      const lob = t.allocUnits!.find((a) => a.type === 'LOB_DATA')?.allocUnitId;
      // LOB fragments the log inserted, by `file:page:slot`
      const fragments = new Map<string, Uint8Array>();
      for (const r of log) {
        if (r.Operation === 'LOP_INSERT_ROWS' && lob && r.AllocUnitId === lob && r['RowLog Contents 0']) {
          const [file, page] = (r['Page ID'] ?? '').split(':').map((x) => parseInt(x, 16));
          fragments.set(`${file}:${page}:${r['Slot ID']}`, r['RowLog Contents 0']);
        }
      }
      log.forEach((r, i) => {
        if (r.Operation !== 'LOP_INSERT_ROWS' || r.AllocUnitId !== inRow || !['LCX_CLUSTERED', 'LCX_HEAP'].includes(r.Context)) return;
        const changedLater = log
          .slice(i + 1)
          .some((x) => x.AllocUnitId === inRow && x['Page ID'] === r['Page ID'] && x['Slot ID'] === r['Slot ID'] && ['LOP_MODIFY_ROW', 'LOP_MODIFY_COLUMNS', 'LOP_DELETE_ROWS'].includes(x.Operation));
        if (changedLater) return;
        const fromLog = { ...decodeRow(r['RowLog Contents 0']!, t).values };
        for (const c of t.columns) {
          const v = fromLog[c.name];
          if (!isPagedOffRow(v)) continue;
          const frag = fragments.get(`${v.offRow.page}:${v.offRow.slot}`);
          const parsed = frag ? parseLobFragment(frag) : undefined;
          if (parsed?.kind === 'data') fromLog[c.name] = decodeLob(parsed.data, c, []);
        }
        const page = onPages.get(keyOf(fromLog));
        if (!page) return; // deleted since (the log holds its DELETE) or the log wrapped
        if (JSON.stringify(page.values) === JSON.stringify(fromLog)) same++;
        else differences.push(`${t.name} ${keyOf(fromLog)}: log ${JSON.stringify(fromLog)} page ${JSON.stringify(page.values)}`);
      });
    }
    expect(differences).toEqual([]);
    expect(same).toBeGreaterThanOrEqual(minSame);
    src.close();
  });
});

describeCorpus('deleted rows: the log\'s DELETE row images are found in the page bodies', () => {
  it('Database1.mdf: all 16 rows its log deletes (3 from dbo.Employee, 13 from dbo.tblDept) are carved as remnants or ghosts', async () => {
    const src = new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'));
    const md = readDataFileMetadata(src);
    const log: LogRecord[] = [];
    for await (const r of readLdfRecords(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'))) log.push(r);
    let deletes = 0;
    const notFound: string[] = [];
    for (const t of md.tables) {
      const recovered = new Set(
        [...readTableRows(src, md, `${t.schema}.${t.name}`, { includeGhosts: true, includeRemnants: true })]
          .filter((r) => r.remnant || r.ghost)
          .map((r) => JSON.stringify(r.values)),
      );
      const inRow = t.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
      for (const r of log) {
        if (r.Operation !== 'LOP_DELETE_ROWS' || r.AllocUnitId !== inRow) continue;
        deletes++;
        const v = JSON.stringify(decodeRow(r['RowLog Contents 0']!, t).values);
        if (!recovered.has(v)) notFound.push(`${t.name} ${v}`);
      }
    }
    expect(deletes).toBe(16);
    expect(notFound).toEqual([]);
    src.close();
  });
});
