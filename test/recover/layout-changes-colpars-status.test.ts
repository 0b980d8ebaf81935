/**
 * Real bytes: the layout watch passes over a computed column's syscolpars row (status 0x10 at record
 * offset 27, after id @4, number @8, colid @10, xtype @14, utype @15, length @19, prec @21, scale
 * @22, collationid @23). NORTHWND_log.ldf's upgrade inserts syscolpars rows of the user tables:
 * dbo.Orders' OrderID (int IDENTITY NOT NULL, instnwnd.sql) reads status 0x5 there (NOT NULL 0x1 |
 * IDENTITY 0x4, datafile/metadata.ts COLPAR_*), and no row reads 0x10, so none of them is passed
 * over as a computed column's.
 */
import { expect, it } from 'vitest';
import { readLdfRecordBatches } from '../../src/logreader/ldf/reader.js';
import { SYSCOLPARS_ALLOC_UNIT } from '../../src/recover/layout-changes.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('syscolpars status @27 on real log records (NORTHWND_log.ldf)', () => {
  it("dbo.Orders' OrderID is 0x5 (NOT NULL, IDENTITY); no inserted row is a computed column's", async () => {
    const statuses = new Map<string, number>();
    let computed = 0;
    let rows = 0;
    for await (const b of readLdfRecordBatches(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf'), { vlfOrder: 'sequence' })) {
      for (const r of b.records) {
        if (r.Operation !== 'LOP_INSERT_ROWS' || r.AllocUnitId !== SYSCOLPARS_ALLOC_UNIT || r.Context !== 'LCX_CLUSTERED') continue;
        const img = r['RowLog Contents 0'];
        if (!(img instanceof Uint8Array) || img.length < 31) continue;
        const v = Buffer.from(img.buffer, img.byteOffset, img.length);
        rows++;
        const status = v.readUInt32LE(27);
        if (status & 0x10) computed++;
        statuses.set(`${v.readInt32LE(4)}:${v.readInt16LE(8)}:${v.readInt32LE(10)}`, status);
      }
    }
    expect(rows).toBeGreaterThan(800);
    expect(statuses.get('21575115:0:1')).toBe(0x5); // dbo.Orders (object 21575115), OrderID
    expect(computed).toBe(0);
  });
});
