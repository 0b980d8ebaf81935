/**
 * Off-row values of a ROW/PAGE-compressed table's row (table-rows.ts resolveOffRow for page rows,
 * resolveLoggedRowLobs for logged row images): the pointer's bytes are the CD record's column at its
 * CD index (leaf_null_bit − 1). They were taken as a FixedVar record's variable column, read from the
 * CD array and short data: the value was unavailable, or followed through bytes that were not its
 * pointer.
 *
 * Real pages: Database2.mdf's dbo.Product_mstr, whose pimage (text) values live on 1:279 behind real
 * text pointers. The CD row image around a real pointer is SYNTHETIC (no compressed table in the
 * corpus): pid 10 as one short byte 0x8A, pname/pdesc/pprice NULL, pimage the 16-byte pointer in the
 * long-data region (flagged complex or not: cd-text-pointer.test.ts).
 */
import { expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { readTableRows, resolveLoggedRowLobs, variableColumnBytes } from '../../src/datafile/table-rows.js';
import { leafChain, pageRecords } from '../../src/datafile/walk.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { cdColumnBytes } from '../../src/reconstruct/record/cd.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

function cdImage(pointer: Uint8Array, flagged: boolean): Uint8Array {
  const end = 16 | (flagged ? 0x8000 : 0);
  // header 0x21 (CD, long data), 5 columns; CDs pid 2 (1 byte), pname 0, pdesc 0, pimage 10 (long), pprice 0
  return new Uint8Array([0x21, 0x05, 0x02, 0xa0, 0x00, 0x8a, 0x01, 0x01, 0x00, end & 0xff, end >> 8, ...pointer]);
}

describeCorpus('off-row pointers of CD records', () => {
  it('cdColumnBytes: a short value, a long value, NULL and a column past the record', () => {
    const img = cdImage(new Uint8Array(16).fill(7), false);
    expect([...cdColumnBytes(img, 0)!]).toEqual([0x8a]);
    expect(cdColumnBytes(img, 3)!.length).toBe(16);
    expect(cdColumnBytes(img, 1)).toBeUndefined();
    expect(cdColumnBytes(img, 5)).toBeUndefined();
  });

  for (const flagged of [false, true]) {
    it(`Database2 dbo.Product_mstr as a ROW-compressed layout (pointer ${flagged ? 'flagged' : 'not flagged'} complex): a logged CD row's text value is read from the .mdf through its own pointer`, () => {
      const src = new MdfPageSource(corpusPath('CRUD-.NET/App_Data/Database2.mdf'));
      try {
        const md = readDataFileMetadata(src);
        const detail = md.details.get('dbo.Product_mstr')!;
        const fixedVar = detail.layout;
        const live = new Map([...readTableRows(src, md, 'dbo.Product_mstr')].map((r) => [r.values.pid, r.values.pimage]));
        // the real pointer of the first live record (pid 10): its variable column 3
        let pointer: Uint8Array | undefined;
        const first = detail.partitions[0]!.allocUnits.find((a) => a.type === 'IN_ROW_DATA')!.firstPage;
        for (const vp of leafChain(new PageReader(src), first, undefined, () => {})) {
          for (const r of pageRecords(vp, () => {})) {
            const rec = new Uint8Array(r.bytes);
            if (decodeRow(rec, fixedVar).values.pid === 10) pointer = variableColumnBytes(rec, 2);
            if (pointer) break;
          }
          if (pointer) break;
        }
        expect(pointer?.length).toBe(16);
        const cd: TableLayout = { ...fixedVar, compression: 'ROW' };
        const image = cdImage(pointer!, flagged);
        const decoded = decodeRow(image, cd);
        expect(decoded.values.pid).toBe(10);
        const warnings: string[] = [];
        const values = resolveLoggedRowLobs(new PageReader(src), image, cd, decoded.values, warnings, 'Database2.mdf');
        expect(values.pimage).toBe(live.get(10));
        expect(values.pimage).toBe('Screenshot 2024-07-21 193843.png');
        expect(warnings.some((w) => /pimage: off-row value .* read from the pages of Database2\.mdf/.test(w))).toBe(true);
      } finally {
        src.close();
      }
    });
  }
});
