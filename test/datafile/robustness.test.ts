import { expect, it } from 'vitest';
import { isRowbackError } from '../../src/errors.js';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** Deterministic pseudo-random numbers (LCG), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/**
 * Damaged copies of real pages: random bytes overwritten in memory. NORTHWND's torn-page
 * protection only sees the last byte of each sector, so damage elsewhere reaches the record,
 * LOB and forwarding parsers. A forensic tool must count such damage, never abort.
 */
describeCorpus('robustness: random damage inside real pages', () => {
  it('reading tables over damaged data/LOB pages never throws; every problem is a typed skipped item', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const detail = (t: string) => md.details.get(t)!.partitions[0].allocUnits;
    // the first data page of each table, and Employees' LOB pages
    const pages = new Set<number>([
      ...['dbo.Employees', 'dbo.Orders', 'dbo.Customers', 'dbo.Shippers'].map((t) => detail(t)[0].firstPage.pageId),
      130, 132, 133,
    ]);
    const next = rng(12345);
    const codes = new Set<string>();
    for (let iter = 0; iter < 80; iter++) {
      const over = new Map<string, Uint8Array>();
      for (const p of pages) {
        const c = new Uint8Array(base.readPage(1, p)!);
        const n = 1 + Math.floor(next() * 20);
        for (let i = 0; i < n; i++) {
          const at = 96 + Math.floor(next() * (8192 - 96));
          if (at % 512 !== 511) c[at] = Math.floor(next() * 256);
        }
        over.set(`1:${p}`, c);
      }
      const src = new OverlayPageSource(base, over);
      for (const t of ['dbo.Employees', 'dbo.Orders', 'dbo.Customers', 'dbo.Shippers']) {
        const skipped: SkippedItem[] = [];
        expect(() => {
          for (const r of readTableRows(src, md, t, { skipped, includeGhosts: true, includeRemnants: iter % 8 === 0 })) JSON.stringify(r);
        }, `iteration ${iter}, ${t}`).not.toThrow();
        for (const s of skipped) {
          expect(s.code).toMatch(/^(FORMAT|DECODE)_[A-Z_]+$/);
          codes.add(s.code);
        }
      }
    }
    // the damage was seen, and by several parsers
    expect(codes.size).toBeGreaterThan(3);
    base.close();
  });

  it('reading metadata over damaged system-table pages gives tables or a typed error, nothing else', () => {
    for (const file of [['SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'], ['sql-practice-asp', 'App_Data', 'School.mdf']]) {
      const base = new MdfPageSource(corpusPath(...file));
      const next = rng(777);
      for (let iter = 0; iter < 60; iter++) {
        const over = new Map<string, Uint8Array>();
        for (let k = 0; k < 3; k++) {
          const p = 10 + Math.floor(next() * 150);
          const c = new Uint8Array(base.readPage(1, p)!);
          c[5] &= ~0x03; // drop the checksum/torn-bit flags so the damage reaches the parsers
          const n = 1 + Math.floor(next() * 10);
          for (let i = 0; i < n; i++) c[96 + Math.floor(next() * 8096)] = Math.floor(next() * 256);
          over.set(`1:${p}`, c);
        }
        try {
          const md = readDataFileMetadata(new OverlayPageSource(base, over));
          expect(Array.isArray(md.tables)).toBe(true);
        } catch (e) {
          expect(isRowbackError(e), `iteration ${iter}: ${(e as Error).message}`).toBe(true);
        }
      }
      base.close();
    }
  });
});
