import { sourceFile } from '../../src/datafile/page-reader.js';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowbackError } from '../../src/errors.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { stripeOfBackup } from '../support/striped-backup.js';
import { openBackupBytes } from '../../src/backup/bytes.js';
import { indexCompressedBackup, payloadCheck } from '../../src/backup/compressed.js';
import { listBackupSets, readBackupHeader } from '../../src/backup/header.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';
import { choosePosition, openBackupPages } from '../../src/backup/open.js';
import { openBackupPageSource, openStripedBackupPageSource, resolveLaterWins, type PageRun } from '../../src/backup/page-source.js';
import { runDump } from '../../src/cli/commands/dump.js';
import { openFileSource } from '../../src/recover/sources/files.js';
import { readBootPage } from '../../src/datafile/boot-page.js';
import { LayeredPageSource, MemoryPageSource } from '../../src/datafile/mdf-source.js';

const TSQLV4 = () => corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
const FCRM = () => corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');
const PUBS = () => corpusPath('pubs-2012', 'pubs.bak');
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

async function dumpRows(bak: string | string[], table: string, position?: number): Promise<Array<Record<string, unknown>>> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += String(c)));
  await runDump({ bak, table, format: 'ndjson', quiet: true, position }, out, new PassThrough());
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { values: Record<string, unknown> }).values);
}

const errorCode = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (e) {
    return (e as { code?: string }).code ?? 'untyped';
  }
  return 'no error';
};

describe('page index: overlapping copies resolve to the later one (pure runs)', () => {
  const run = (firstPage: number, count: number, offset: number, order: number): PageRun => ({ fileId: 1, firstPage, count, offset, source: 0, order });
  it('a later copy of a range inside an earlier run splits it; pages after the range still come from the earlier run', () => {
    const runs = [run(0, 100, 0, 0), run(10, 5, 1_000_000, 1)];
    const stats = { duplicatePages: 0 };
    const r = resolveLaterWins(runs, stats);
    expect(r.map((x) => [x.firstPage, x.count, x.offset])).toEqual([
      [0, 10, 0],
      [10, 5, 1_000_000],
      [15, 85, 15 * 8192],
    ]);
    expect(stats.duplicatePages).toBe(5);
  });
  it('an earlier copy never overrides a later one, in whatever order the runs are listed', () => {
    const r = resolveLaterWins([run(10, 5, 5_000, 3), run(0, 20, 0, 1), run(12, 10, 9_000_000, 2)]);
    const at = (p: number) => r.find((x) => x.firstPage <= p && p < x.firstPage + x.count)!;
    expect(at(11).offset + (11 - at(11).firstPage) * 8192).toBe(5_000 + 8192); // order 3
    expect(at(16).offset + (16 - at(16).firstPage) * 8192).toBe(9_000_000 + 4 * 8192); // order 2
    expect(at(3).offset).toBe(0); // order 1
    expect(at(21).offset + (21 - at(21).firstPage) * 8192).toBe(9_000_000 + 9 * 8192);
    expect(r.some((x) => x.firstPage + x.count > 22)).toBe(false);
    // non-overlapping and sorted
    for (let i = 1; i < r.length; i++) expect(r[i].firstPage).toBeGreaterThanOrEqual(r[i - 1].firstPage + r[i - 1].count);
  });
});

describe('layered backups (differential over full): a slot the newer backup wrote without an image hides the older copy', () => {
  it('the full backup\'s copy is not served for a page the differential holds no image of', () => {
    const page = (n: number) => new Uint8Array(8192).fill(n);
    const full = new MemoryPageSource('full', new Map([['1:5', page(1)], ['1:6', page(2)]]));
    const diff = Object.assign(new MemoryPageSource('diff', new Map([['1:6', page(3)]])), { holdsNoImage: (f: number, p: number) => f === 1 && p === 5 });
    const layered = new LayeredPageSource([diff, full]);
    expect(layered.readPage(1, 5)).toBeUndefined();
    expect(layered.holdsNoImage(1, 5)).toBe(true);
    expect(layered.readPage(1, 6)![0]).toBe(3);
    const plain = new LayeredPageSource([new MemoryPageSource('diff', new Map()), full]);
    expect(plain.readPage(1, 5)![0]).toBe(1);
  });
});

describeCorpus('compressed backup (MSSQLBAK): TSQLV4-compressed/TSQLV4.bak', () => {
  it('the container index covers the whole file; the decompressed stream is an MTF backup', () => {
    const b = openBackupBytes(TSQLV4());
    try {
      expect(b.compressed).not.toBeNull();
      expect(b.compressed!.fileSize).toBe(readFileSync(TSQLV4()).length);
      expect(b.size).toBeGreaterThan(b.compressed!.fileSize * 4);
      const l = readMtfLayout(TSQLV4(), b);
      expect(l.problems).toEqual([]);
      expect(l.dblks.map((d) => d.type).slice(0, 6)).toEqual(['TAPE', 'SFMB', 'SSET', 'VOLB', 'MSCI', 'MSDA']);
      expect(l.dblks.some((d) => d.type === 'ESET')).toBe(true);
      expect(l.compressed).toEqual({ fileSize: b.compressed!.fileSize, chunks: b.compressed!.chunks });
    } finally {
      b.close();
    }
  });

  it('HEADERONLY / FILELISTONLY fields; the boot page inside agrees (version 852, SQL Server 2016)', () => {
    const h = readBackupHeader(TSQLV4());
    expect(h).toMatchObject({ backupType: 'full', databaseName: 'TSQLV4', databaseVersion: 852, softwareVersion: '13.0.2186', compressed: true, backupStartDate: '2017-01-10T08:01:42' });
    expect(h.compressedBackupSize).toBe(readFileSync(TSQLV4()).length);
    expect(h.files.map((f) => [f.type, f.fileId, f.logicalName])).toEqual([['D', 1, 'TSQLV4'], ['L', 2, 'TSQLV4_log']]);
    const p = openBackupPageSource(TSQLV4());
    try {
      expect(readBootPage(p).version).toBe(852);
      expect(p.fileIds()).toEqual([1]);
      expect(p.stats.unplacedPages).toBe(0);
      expect(p.description).toMatch(/^compressed backup /);
    } finally {
      p.close();
    }
  });

  it('every page read through the decompressed stream is the page it is indexed as', () => {
    const p = openBackupPageSource(TSQLV4());
    try {
      let n = 0;
      for (const r of p.runs) {
        for (let k = 0; k < r.count; k++) {
          const page = p.readPage(r.fileId, r.firstPage + k)!;
          const v = Buffer.from(page);
          expect([v.readUInt16LE(36), v.readUInt32LE(32)]).toEqual([r.fileId, r.firstPage + k]);
          n++;
        }
      }
      expect(n).toBe(p.stats.pages);
    } finally {
      p.close();
    }
  });

  it('dump gives the published TSQLV4 rows: HR.Employees 9, Sales.Customers 91, Sales.Orders 830, Production.Products 77', async () => {
    const emp = await dumpRows(TSQLV4(), 'HR.Employees');
    expect(emp.length).toBe(9);
    expect(emp[0]).toMatchObject({ empid: 1, lastname: 'Davis', firstname: 'Sara', title: 'CEO', titleofcourtesy: 'Ms.', birthdate: '1968-12-08', hiredate: '2013-05-01', city: 'Seattle', mgrid: null });
    expect(emp.find((e) => e.empid === 2)).toMatchObject({ lastname: 'Funk', firstname: 'Don', title: 'Vice President, Sales', mgrid: 1 });
    const cust = await dumpRows(TSQLV4(), 'Sales.Customers');
    expect(cust.length).toBe(91);
    expect(cust[0]).toMatchObject({ custid: 1, companyname: 'Customer NRZBB', contactname: 'Allen, Michael', city: 'Berlin', country: 'Germany', region: null });
    const orders = await dumpRows(TSQLV4(), 'Sales.Orders');
    expect(orders.length).toBe(830);
    expect(orders.find((o) => o.orderid === 10248)).toMatchObject({ custid: 85, empid: 5, orderdate: '2014-07-04', requireddate: '2014-08-01', shippeddate: '2014-07-16', shipperid: 3, freight: '32.3800', shipcity: 'Reims', shipcountry: 'France' });
    expect(Math.min(...orders.map((o) => o.orderid as number))).toBe(10248);
    expect(Math.max(...orders.map((o) => o.orderid as number))).toBe(11077);
    const products = await dumpRows(TSQLV4(), 'Production.Products');
    expect(products.length).toBe(77);
    expect(products[0]).toMatchObject({ productid: 1, productname: 'Product HHYDP', supplierid: 1, categoryid: 1, unitprice: '18.0000', discontinued: false });
  });

  it('the log stream inside is read: records within the header LSN range', async () => {
    const h = readBackupHeader(TSQLV4());
    const lsns: string[] = [];
    for await (const r of openBackupLogStream(TSQLV4()).records()) lsns.push(r['Current LSN']);
    expect(lsns.length).toBeGreaterThan(0);
    expect(lsns[0] >= h.firstLsn.lsn.slice(0, 17)).toBe(true);
    expect(lsns[lsns.length - 1] <= h.lastLsn.lsn).toBe(true);
  });

  it('every chunk carries the rotate-XOR check value of its payload; one flipped bit anywhere in a payload is refused', async () => {
    const file = readFileSync(TSQLV4());
    const b = openBackupBytes(TSQLV4());
    const idx = b.compressed!.reader.index;
    b.close();
    let chunks = 0;
    for (let i = 0; i < idx.logical.length; i++) {
      if (idx.payload[i] === 0) continue; // an uncompressed SFMB block
      const start = idx.physical[i] + 28;
      expect(payloadCheck(file.subarray(start, start + idx.payload[i]), idx.payload[i]), `chunk ${i}`).toBe(file.readUInt32LE(idx.physical[i] + 24));
      chunks++;
    }
    expect(chunks).toBe(120);
    // SYNTHETIC: a bit flipped in the payload of the chunk holding HR.Employees' rows. Without the
    // check, 1 of 60 such flips changed a row with no error (a back-reference copied the damaged
    // byte within one sector, which SQL Server's XOR page checksum cannot see).
    const dir = mkdtempSync(join(tmpdir(), 'rowback-check-'));
    const chunk = idx.logical.findIndex((_, i) => idx.payload[i] > 1000 && idx.output[i] === 65536);
    const p = join(dir, 'flip.bak');
    const damaged = Buffer.from(file);
    damaged[idx.physical[chunk] + 28 + 600] ^= 0x10;
    writeFileSync(p, damaged);
    const bb = openBackupBytes(p);
    try {
      expect(() => bb.readSync(Buffer.alloc(16), 0, 16, idx.logical[chunk])).toThrow(expect.objectContaining({ code: 'FORMAT_BAD_COMPRESSED_DATA', message: expect.stringMatching(/check value/) }));
    } finally {
      bb.close();
    }
  });

  it('SYNTHETIC: an intact chunk (check value recomputed) that is no Xpress stream is refused as damaged or encrypted', () => {
    const b = Buffer.from(readFileSync(TSQLV4()));
    const len = b.readUInt16LE(0x2002);
    b.fill(0xff, 0x2000 + 28, 0x2000 + 28 + 64);
    b.writeUInt32LE(payloadCheck(b.subarray(0x2000 + 28, 0x2000 + 28 + len), len), 0x2000 + 24);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-enc-'));
    const p = join(dir, 'not-xpress.bak');
    writeFileSync(p, b);
    expect(() => readMtfLayout(p)).toThrow(expect.objectContaining({ code: 'FORMAT_BAD_COMPRESSED_DATA', message: expect.stringMatching(/damaged .* or the backup is encrypted \(BACKUP … WITH ENCRYPTION, which rowback cannot read\), and the two cannot be told apart/) }));
  });

  it('SYNTHETIC: a directory record longer than its 4 KB block (an extra block of directory bytes inserted before its last 16 bytes, its length @0x20 grown to match) is passed over by its length', async () => {
    const orig = readFileSync(TSQLV4());
    const dirAt = orig.indexOf(Buffer.from([0x2c, 0, 0, 0]), 0xcf000);
    expect(dirAt).toBeGreaterThan(0);
    const blockEnd = Math.ceil((dirAt + 1) / 4096) * 4096;
    expect(orig.toString('latin1', blockEnd, blockEnd + 4)).toBe('SFMB');
    // As TSQLV4.bak's directory gives it: a u32 @0x20 counting the bytes from @0x18 to its end,
    // which its last 16 bytes repeat (compressed.ts header).
    expect(dirAt + 0x18 + orig.readUInt32LE(dirAt + 0x20)).toBe(blockEnd);
    expect(orig.subarray(blockEnd - 16, blockEnd).equals(orig.subarray(dirAt + 0x18, dirAt + 0x28))).toBe(true);
    const extra = Buffer.alloc(4096, 0x37); // stands for more directory entries
    const head = Buffer.from(orig.subarray(0, blockEnd - 16));
    head.writeUInt32LE(orig.readUInt32LE(dirAt + 0x20) + 4096, dirAt + 0x20);
    const trailer = Buffer.from(head.subarray(dirAt + 0x18, dirAt + 0x28));
    const dir = mkdtempSync(join(tmpdir(), 'rowback-dir-'));
    const p = join(dir, 'long-directory.bak');
    writeFileSync(p, Buffer.concat([head, extra, trailer, orig.subarray(blockEnd)]));
    const fd = openSync(p, 'r');
    try {
      const idx = indexCompressedBackup(p, fd);
      expect(idx.physical).toContain(blockEnd + 4096);
      expect(idx.size).toBe(openBackupBytes(TSQLV4()).size);
    } finally {
      closeSync(fd);
    }
    expect((await dumpRows(p, 'HR.Employees')).length).toBe(9);
    expect(readMtfLayout(p).dblks.some((d) => d.type === 'ESET')).toBe(true);
  });

  it('SYNTHETIC: a first record not at 0x1E0 is found only where it passes its check value', async () => {
    const orig = readFileSync(TSQLV4());
    const dir = mkdtempSync(join(tmpdir(), 'rowback-first-'));
    const moved = join(dir, 'moved.bak');
    writeFileSync(moved, Buffer.concat([orig.subarray(0, 0x1c0), Buffer.alloc(32), orig.subarray(0x1c0)]));
    expect((await dumpRows(moved, 'HR.Employees')).length).toBe(9);
    const none = join(dir, 'none.bak');
    const b = Buffer.from(orig);
    b[0x1e0 + 100] ^= 1; // the first chunk fails its check value: no first record anywhere
    writeFileSync(none, b);
    expect(() => readMtfLayout(none)).toThrow(expect.objectContaining({ code: 'FORMAT_COMPRESSED_BACKUP', message: expect.stringMatching(/no compressed chunk/) }));
  });

  it('bounded memory: a full page scan decompresses each chunk about once and holds a bounded cache', () => {
    const b = openBackupBytes(TSQLV4());
    try {
      const l = readMtfLayout(TSQLV4(), b);
      const buf = Buffer.alloc(1 << 20);
      for (const s of l.streams.filter((x) => x.id === 'MQDA' && x.length > 0)) {
        const { start, end } = payloadRange(s);
        for (let at = start; at < end; at += buf.length) b.readSync(buf, 0, Math.min(buf.length, end - at), at);
      }
      const reader = b.compressed!.reader;
      expect(reader.decompressed).toBeLessThanOrEqual(b.compressed!.chunks + 2);
      expect((reader as unknown as { cache: Map<number, Uint8Array> }).cache.size).toBeLessThanOrEqual(16);
    } finally {
      b.close();
    }
  });

  it('SYNTHETIC damage to a copy of the real file: one typed error naming the file and offset, never garbage rows', async () => {
    const orig = readFileSync(TSQLV4());
    const dir = mkdtempSync(join(tmpdir(), 'rowback-mssqlbak-'));
    const cases: Array<[string, (b: Buffer) => void, string]> = [
      ['unknown container version', (b) => b.writeUInt32LE(9, 8), 'FORMAT_COMPRESSED_BACKUP'],
      ['unknown record kind', (b) => (b[0x2000] = 0x77), 'FORMAT_COMPRESSED_BACKUP'],
      ['cut short inside a chunk', (b) => b.fill(0, 0), 'FORMAT_COMPRESSED_BACKUP'],
      ['damaged Huffman table of the first data chunk', (b) => b.fill(0xff, 0x2000 + 28, 0x2000 + 28 + 64), 'FORMAT_BAD_COMPRESSED_DATA'],
    ];
    for (const [name, damage, want] of cases) {
      let b = Buffer.from(orig);
      if (name.startsWith('cut')) b = b.subarray(0, 0x9000);
      else damage(b);
      const p = join(dir, `${name.replace(/\W+/g, '-')}.bak`);
      writeFileSync(p, b);
      const code = await errorCode(async () => {
        readBackupHeader(p);
        await dumpRows(p, 'HR.Employees');
      });
      expect(code, name).toBe(want);
    }
    // The index of the damaged-table copy is fine; the error comes when the chunk is read, with its offset.
    const p = join(dir, 'damaged-Huffman-table-of-the-first-data-chunk.bak');
    const err = (() => {
      try {
        readMtfLayout(p);
      } catch (e) {
        return e as { code: string; location: { file: string; offset: number } };
      }
      throw new Error('no error');
    })();
    expect(err.code).toBe('FORMAT_BAD_COMPRESSED_DATA');
    expect(err.location.file).toBe(p);
    // an offset inside the damaged chunk's payload (chunk header at 0x2000, payload length u16 @2)
    expect(err.location.offset).toBeGreaterThanOrEqual(0x2000 + 28);
    expect(err.location.offset).toBeLessThan(0x2000 + 28 + orig.readUInt16LE(0x2002));
    const fd = openSync(p, 'r');
    try {
      const b = openBackupBytes(TSQLV4());
      expect(indexCompressedBackup(p, fd).logical.length).toBe(b.compressed!.chunks);
      b.close();
    } finally {
      closeSync(fd);
    }
  });
});

describeCorpus('compressed backup: random damage', () => {
  it('SYNTHETIC random byte damage to copies of TSQLV4.bak: typed errors or reported items only, never a crash', async () => {
    const orig = readFileSync(TSQLV4());
    const dir = mkdtempSync(join(tmpdir(), 'rowback-mssqlbak-fuzz-'));
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ pos: fc.oneof(fc.integer({ min: 0x1e0, max: 0x2400 }), fc.nat(orig.length - 1)), val: fc.nat(255) }), { minLength: 1, maxLength: 8 }), async (muts) => {
        const b = Buffer.from(orig);
        for (const m of muts) b[m.pos] = m.val;
        const p = join(dir, `damaged-${i++}.bak`); // a new file each time: the container index is cached per file
        writeFileSync(p, b);
        try {
          const layout = readMtfLayout(p);
          readBackupHeader(p, layout);
          const src = openBackupPageSource(p, layout);
          try {
            readBootPage(src);
          } finally {
            src.close();
          }
          for await (const _ of openBackupLogStream(p, 'bak', layout).records()) void _;
        } catch (e) {
          expect(e).toBeInstanceOf(RowbackError);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});

describeCorpus('pages a backup holds more than once', () => {
  it('FinancialCrm (SQL Server 2019): a second MQDA region re-copies extents 0 and 1; the later copies are served and no page after them is lost', () => {
    const l = readMtfLayout(FCRM());
    const mqda = l.streams.filter((s) => s.id === 'MQDA' && s.length > 0);
    expect(mqda.length).toBe(2);
    const p = openBackupPageSource(FCRM());
    try {
      expect(p.stats.duplicatePages).toBe(14);
      const second = payloadRange(mqda[1]);
      const bootRun = p.runs.find((r) => r.fileId === 1 && r.firstPage <= 9 && 9 < r.firstPage + r.count)!;
      expect(bootRun.offset + (9 - bootRun.firstPage) * 8192).toBeGreaterThanOrEqual(second.start);
      // every page of the first region beyond extent 1 is still indexed and reads as itself
      for (const r of p.runs) {
        for (let k = 0; k < r.count; k++) {
          const v = Buffer.from(p.readPage(r.fileId, r.firstPage + k)!);
          expect(v.readUInt32LE(32)).toBe(r.firstPage + k);
        }
      }
      expect(p.runs.reduce((n, r) => n + r.count, 0)).toBe(p.stats.pages - p.stats.duplicatePages);
      expect(readBootPage(p).version).toBe(904);
    } finally {
      p.close();
    }
  });

  it('SYNTHETIC: copies of FinancialCrm with one copy of the boot page overwritten: the page served is always the later copy', () => {
    const orig = readFileSync(FCRM());
    const l = readMtfLayout(FCRM());
    const [first, second] = l.streams.filter((s) => s.id === 'MQDA' && s.length > 0).map(payloadRange);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-dup-'));
    const firstBoot = first.start + 9 * 8192; // region 1 holds pages 0..n in order from its start
    const secondBoot = second.start + 9 * 8192;
    expect(orig.readUInt32LE(firstBoot + 32)).toBe(9);
    expect(orig.readUInt32LE(secondBoot + 32)).toBe(9);
    const a = Buffer.from(orig);
    a.fill(0x5a, firstBoot + 96, firstBoot + 8192);
    writeFileSync(join(dir, 'a.bak'), a);
    const pa = openBackupPageSource(join(dir, 'a.bak'));
    expect(Buffer.from(pa.readPage(1, 9)!).equals(a.subarray(secondBoot, secondBoot + 8192))).toBe(true);
    expect(readBootPage(pa).version).toBe(904);
    pa.close();
    const b = Buffer.from(orig);
    b.fill(0x5a, secondBoot + 96, secondBoot + 8192);
    writeFileSync(join(dir, 'b.bak'), b);
    const pb = openBackupPageSource(join(dir, 'b.bak'));
    expect(Buffer.from(pb.readPage(1, 9)!).equals(b.subarray(secondBoot, secondBoot + 8192))).toBe(true);
    pb.close();
  });
});

describeCorpus('frames are positional: a later frame slot without a usable image hides the earlier copy', () => {
  it('SYNTHETIC: the second-region copy of FinancialCrm page 1:9 names another page (a stale or internal image); the first-region copy is not served in its place', () => {
    const orig = readFileSync(FCRM());
    const l = readMtfLayout(FCRM());
    const [, second] = l.streams.filter((s) => s.id === 'MQDA' && s.length > 0).map(payloadRange);
    const at = second.start + 9 * 8192;
    const b = Buffer.from(orig);
    b.writeUInt32LE(4009, at + 32); // m_pageId: 1:4009, which is not slot 1 of extent 1
    const dir = mkdtempSync(join(tmpdir(), 'rowback-slot-'));
    const p = join(dir, 'stale-slot.bak');
    writeFileSync(p, b);
    const src = openBackupPageSource(p);
    try {
      expect(src.readPage(1, 9)).toBeUndefined();
      expect(src.readPage(1, 4009)).toBeUndefined();
      expect(src.stats.unplacedPages).toBe(1);
      expect(() => readBootPage(src)).toThrow(RowbackError);
      // the other pages of the frame are still the second-region copies
      const run = src.runs.find((r) => r.firstPage <= 10 && 10 < r.firstPage + r.count)!;
      expect(run.offset + (10 - run.firstPage) * 8192).toBe(second.start + 10 * 8192);
    } finally {
      src.close();
    }
  });
});

describeCorpus('striped media sets', () => {
  it('Northwind-stripe and Chinook_Analysis are stripe 1 of 2: refused naming the family count and the missing stripe', async () => {
    for (const f of [corpusPath('Northwind-stripe', 'Northwind.bak'), corpusPath('Chinook_Analysis', 'Chinook.bak')]) {
      const l = readMtfLayout(f);
      expect(l.mediaSet).toMatchObject({ familyCount: 2, familySequence: 1 });
      expect(() => openBackupPageSource(f)).toThrow(expect.objectContaining({ code: 'FORMAT_INCOMPLETE_MEDIA_SET', message: expect.stringMatching(/striped over 2 files.*missing stripe 2 of 2/) }));
      expect(await errorCode(() => dumpRows(f, 'dbo.Customers'))).toBe('FORMAT_INCOMPLETE_MEDIA_SET');
      // its log too (it may be spread over the stripes); inspect may still list what the one file holds
      expect(() => openBackupLogStream(f)).toThrow(expect.objectContaining({ code: 'FORMAT_INCOMPLETE_MEDIA_SET' }));
      expect(openBackupLogStream(f, 'bak', l, 1, { partialMediaSet: true }).ranges.length).toBeGreaterThan(0);
    }
    // every other backup of the corpus is a media set of one
    for (const f of [PUBS(), FCRM(), RTC('RestoreTimeClean.bak'), TSQLV4()]) expect(readMtfLayout(f).mediaSet?.familyCount, f).toBe(1);
  });

  it('SYNTHETIC two-stripe split of pubs.bak (alternate extents kept in each copy, RAID family fields set): both stripes read as the whole backup; either alone is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-stripes-'));
    const make = (seq: number) => {
      const p = join(dir, `pubs-stripe${seq}.bak`);
      writeFileSync(p, stripeOfBackup(PUBS(), seq));
      return p;
    };
    const s1 = make(1);
    const s2 = make(2);
    const whole = await dumpRows(PUBS(), 'dbo.titles');
    expect(whole.length).toBeGreaterThan(0);
    expect(await dumpRows([s2, s1], 'dbo.titles')).toEqual(whole);
    const joined = openStripedBackupPageSource([s1, s2]);
    const single = openBackupPageSource(PUBS());
    expect(joined.stats.pages).toBe(single.stats.pages);
    // a page is located in the stripe that holds it (extent 0 in stripe 1, extent 1 in stripe 2), not "s1 + s2"
    expect(joined.description).toBe(`backup ${s1} + ${s2}`);
    expect(sourceFile(joined, '1:0')).toBe(s1);
    expect(sourceFile(joined, '1:9')).toBe(s2);
    expect(sourceFile(joined)).toBe(`${s1} + ${s2}`);
    joined.close();
    single.close();
    expect(() => openBackupPages([s1])).toThrow(expect.objectContaining({ code: 'FORMAT_INCOMPLETE_MEDIA_SET', message: expect.stringMatching(/missing stripe 2 of 2/) }));
    expect(() => openBackupPages([s2])).toThrow(expect.objectContaining({ message: expect.stringMatching(/missing stripe 1 of 2/) }));
    // a one-file backup given after the stripes (as a differential would be) needs no sibling
    const withOther = openBackupPages([s1, s2, RTC('RestoreTimeClean2.bak')]);
    withOther.close();
    expect(() => openStripedBackupPageSource([s1, s2, RTC('RestoreTimeClean2.bak')])).toThrow(expect.objectContaining({ code: 'FORMAT_INCOMPLETE_MEDIA_SET', message: expect.stringMatching(/not the stripes of one media set/) }));
    // one file given twice is said as such (as a data file given twice is); a copy of one stripe under another name is stripe 1 twice
    expect(() => openBackupPages([s1, s1])).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION', message: expect.stringMatching(/is given more than once/) }));
    const s1copy = join(dirname(s1), 'stripe1-copy.bak');
    copyFileSync(s1, s1copy);
    expect(() => openBackupPages([s1, s1copy])).toThrow(expect.objectContaining({ code: 'FORMAT_INCOMPLETE_MEDIA_SET', message: expect.stringMatching(/both stripe 1/) }));
  });
});

describeCorpus('several backup sets in one file', () => {
  const ST = () => corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
  it('StDb2005: both sets listed with position, type, times and LSNs; no position → refused with the list; --position reads that set', () => {
    const l = readMtfLayout(ST());
    expect(l.sets).toBe(2);
    const sets = listBackupSets(ST(), l);
    expect(sets.map((s) => [s.position, s.backupType, s.backupStartDate])).toEqual([
      [1, 'full', '2009-08-11T14:57:39'],
      [2, 'full', '2010-12-02T23:08:33'],
    ]);
    expect(BigInt(sets[1].firstLsn!.decimal)).toBeGreaterThan(BigInt(sets[0].lastLsn!.decimal));
    expect(() => choosePosition(ST(), l)).toThrow(expect.objectContaining({ code: 'INPUT_SEVERAL_BACKUP_SETS', message: expect.stringMatching(/1: full backup of StDb2SQL, started 2009-08-11T14:57:39.*2: full backup of StDb2SQL, started 2010-12-02T23:08:33/) }));
    expect(() => openBackupPages([ST()])).toThrow(expect.objectContaining({ code: 'INPUT_SEVERAL_BACKUP_SETS' }));
    expect(() => choosePosition(ST(), l, 3)).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    for (const pos of [1, 2]) {
      const p = openBackupPages([ST()], pos);
      expect(readBootPage(p).version).toBe(611);
      p.close();
    }
  });

  it('SYNTHETIC one .trn holding two real log backups in reverse order (RestoreTimeClean_3 then _2 appended): scan reads them in LSN order, no chain gap', async () => {
    const a = readFileSync(RTC('RestoreTimeClean_3.trn'));
    const b = readFileSync(RTC('RestoreTimeClean_2.trn'));
    expect(b.toString('latin1', 0x600, 0x604)).toBe('SSET');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-trnsets-'));
    const p = join(dir, 'two-logs.trn');
    writeFileSync(p, Buffer.concat([a, b.subarray(0x600)]));
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), p] });
    try {
      expect(src.skipped().map((s) => s.code)).toEqual([]);
      let n = 0;
      for await (const _ of src.candidates({ operations: ['insert'] })) n++;
      expect(n).toBe(30);
    } finally {
      await src.close();
    }
  });
});

describeCorpus('encrypted (TDE) backups are refused naming the certificate thumbprint', () => {
  it('SYNTHETIC: a copy of a real .trn with a DEK descriptor written into a run of zero bytes of its configuration stream', async () => {
    const src = RTC('RestoreTimeClean_2.trn');
    const orig = readFileSync(src);
    const l = readMtfLayout(src);
    const mqci = l.streams.find((s) => s.id === 'MQCI' && s.length > 0)!;
    const data = orig.subarray(mqci.dataOffset, mqci.dataOffset + mqci.length);
    let at = -1;
    for (let i = 0, run = 0; i < data.length && at < 0; i++) {
      run = data[i] === 0 ? run + 1 : 0;
      if (run === 200) at = mqci.dataOffset + i - 180; // inside a run of 200 zero bytes of the real stream
    }
    expect(at).toBeGreaterThan(0);
    const b = Buffer.from(orig);
    b.writeUInt32LE(20, at);
    const thumb = Buffer.from('00112233445566778899aabbccddeeff01234567', 'hex');
    thumb.copy(b, at + 4);
    b.writeUInt32LE(128, at + 24);
    b.fill(0x42, at + 28, at + 28 + 128);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-tde-'));
    const p = join(dir, 'tde.trn');
    writeFileSync(p, b);
    expect(readBackupHeader(p).encryption).toEqual({ kind: 'tde', certificateThumbprint: '00112233445566778899AABBCCDDEEFF01234567' });
    expect(readBackupHeader(src).encryption).toBeNull();
    // nothing else of the header moved
    expect({ ...readBackupHeader(p), file: '', encryption: null }).toEqual({ ...readBackupHeader(src), file: '' });
    expect(() => openBackupLogStream(p)).toThrow(expect.objectContaining({ code: 'FORMAT_ENCRYPTED_BACKUP', message: expect.stringContaining('00112233445566778899AABBCCDDEEFF01234567') }));
    const { inspectFile } = await import('../../src/cli/commands/inspect.js');
    const r = await inspectFile(p);
    expect(r.kind === 'backup' && r.incomplete?.code).toBe('FORMAT_ENCRYPTED_BACKUP');
    expect(r.kind === 'backup' && r.log.records).toBe(0);
  });
});
