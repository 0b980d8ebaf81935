import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allocUnitIdOf,
  findTornSector,
  pageChecksum,
  pageIdsOfAllocUnit,
  PageType,
  parsePageHeader,
  restoreTornBits,
  slotOffsets,
  verifyPage,
  PAGE_FLAG_CHECKSUM,
  PAGE_FLAG_TORN_BITS,
} from '../../src/datafile/page.js';
import { parseBootPage } from '../../src/datafile/boot-page.js';
import { parseIamPage } from '../../src/datafile/iam.js';
import { fixedVarRecordLength, parseLobFragment, LobType } from '../../src/datafile/record.js';
import { FormatError } from '../../src/errors.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const NORTHWND = ['SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'];
const SCHOOL = ['sql-practice-asp', 'App_Data', 'School.mdf'];

function readPage(parts: string[], page: number): Uint8Array {
  const fd = openSync(corpusPath(...parts), 'r');
  try {
    const b = new Uint8Array(8192);
    readSync(fd, b, 0, 8192, page * 8192);
    return b;
  } finally {
    closeSync(fd);
  }
}

function pageCount(parts: string[]): number {
  const fd = openSync(corpusPath(...parts), 'r');
  try {
    return fstatSync(fd).size / 8192;
  } finally {
    closeSync(fd);
  }
}

describe('allocation unit ids', () => {
  it.each([
    // sysallocunits' own pages: m_objId 7, m_indexId 0 (NORTHWND 1:16)
    [0, 7, '458752'],
    // dbo.Employees' IN_ROW_DATA unit in NORTHWND (index 1, object 1977058079)
    [1, 1977058079, '411043454976000'],
  ])('m_indexId %i, m_objId %i → %s and back', (indexId, objectId, au) => {
    expect(allocUnitIdOf(indexId, objectId)).toBe(au);
    expect(pageIdsOfAllocUnit(au)).toEqual({ indexId, objectId });
  });
});

describeCorpus('page header on real pages', () => {
  it('NORTHWND.MDF 1:16, the first sysallocunits page: every header field', () => {
    const h = parsePageHeader(readPage(NORTHWND, 16));
    expect(h).toEqual({
      headerVersion: 1,
      type: PageType.DATA_PAGE,
      typeFlagBits: 4,
      level: 0,
      flagBits: PAGE_FLAG_TORN_BITS,
      indexId: 0,
      prevPage: { fileId: 0, pageId: 0 },
      pminlen: 73,
      nextPage: { fileId: 1, pageId: 407 },
      slotCount: 67,
      objectId: 7,
      freeCount: 0x0af3,
      freeData: 0x1608,
      pageId: { fileId: 1, pageId: 16 },
      reservedCount: 0,
      lsn: '00000020:000001f9:0005',
      xactReserved: 0,
      xdesId: '0:0',
      ghostRecordCount: 0,
      tornBits: 2,
      allocUnitId: '458752',
    });
    // the slot array: 67 u16 offsets stored backwards from the page end. On disk the page ends
    // …47 01 fa 00 ad 00 60 02: the last byte carries the torn-bit pattern (2); restored, slot 0 is 0x0060.
    expect(slotOffsets(readPage(NORTHWND, 16), 1)).toEqual([0x260]);
    const vp = verifyPage(readPage(NORTHWND, 16), { fileId: 1, pageId: 16 });
    expect(vp.check).toBe('torn-bits-ok');
    const slots = slotOffsets(vp.bytes, h.slotCount);
    expect(slots.slice(0, 4)).toEqual([0x60, 0xad, 0xfa, 0x147]);
    // a sysallocunits row: 73 fixed bytes + column count + 2-byte null bitmap, no variable columns
    expect(fixedVarRecordLength(vp.bytes, slots[0])).toBe(77);
    expect(fixedVarRecordLength(vp.bytes, slots[1])).toBe(77);
  });

  it('School.mdf 1:9: the boot page, checksum-protected, dbi_version 852 created as 706', () => {
    const raw = readPage(SCHOOL, 9);
    const h = parsePageHeader(raw);
    expect(h.type).toBe(PageType.BOOT_PAGE);
    expect(h.flagBits & PAGE_FLAG_CHECKSUM).toBe(PAGE_FLAG_CHECKSUM);
    expect(pageChecksum(raw)).toBe(h.tornBits);
    const boot = parseBootPage(raw);
    expect(boot.version).toBe(852);
    expect(boot.createVersion).toBe(706);
    expect(boot.firstSysIndexes).toEqual({ fileId: 1, pageId: 20 });
  });

  it('NORTHWND.MDF 1:99, an IAM page: GAM interval start and single-page slots', () => {
    const vp = verifyPage(readPage(NORTHWND, 99), { fileId: 1, pageId: 99 });
    expect(vp.header.type).toBe(PageType.IAM_PAGE);
    const iam = parseIamPage(vp.bytes);
    expect(iam.startPage).toEqual({ fileId: 1, pageId: 0 });
    expect(iam.singlePages).toEqual([
      { fileId: 1, pageId: 98 },
      { fileId: 1, pageId: 100 },
    ]);
  });

  it('NORTHWND.MDF 1:133, a text-mix page: a SQL Server 2000 LARGE_ROOT (type 4) and a DATA fragment', () => {
    const vp = verifyPage(readPage(NORTHWND, 133), { fileId: 1, pageId: 133 });
    expect(vp.header.type).toBe(PageType.TEXT_MIX_PAGE);
    const at = (slot: number) => {
      const off = slotOffsets(vp.bytes, vp.header.slotCount)[slot];
      return vp.bytes.subarray(off, off + fixedVarRecordLength(vp.bytes, off));
    };
    const root = parseLobFragment(at(1));
    expect(root.kind === 'links' && root.type).toBe(LobType.LARGE_ROOT_SHILOH);
    expect(root.kind === 'links' && root.links.map((l) => [l.end, l.rid.pageId, l.rid.slot])).toEqual([
      [8080, 130, 0],
      [16160, 132, 0],
      [21626, 133, 0],
    ]);
    const data = parseLobFragment(at(2));
    expect(data.kind === 'data' && data.data.length).toBe(350);
  });

  it('every checksum-protected page of School.mdf verifies; every torn-bit page of NORTHWND.MDF carries its pattern', () => {
    let checksummed = 0;
    for (let p = 0; p < pageCount(SCHOOL); p++) {
      const raw = readPage(SCHOOL, p);
      if (raw[0] !== 1 || !(parsePageHeader(raw).flagBits & PAGE_FLAG_CHECKSUM)) continue;
      expect(verifyPage(raw, { fileId: 1, pageId: p }).check).toBe('checksum-ok');
      checksummed++;
    }
    expect(checksummed).toBeGreaterThan(300);
    let torn = 0;
    for (let p = 0; p < pageCount(NORTHWND); p++) {
      const raw = readPage(NORTHWND, p);
      const h = parsePageHeader(raw);
      if (raw[0] !== 1 || h.pageId.pageId !== p || !(h.flagBits & PAGE_FLAG_TORN_BITS)) continue;
      expect(findTornSector(raw), `page ${p}`).toBe(-1);
      torn++;
    }
    expect(torn).toBeGreaterThan(300);
  });
});

describeCorpus('file header page', () => {
  it.each([
    [['SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'], 'D1994785-281D-4F7B-9B69-A8FE8CD18805', 3801088 / 8192],
    [['sql-practice-asp', 'App_Data', 'School.mdf'], 'E0A13E74-CC8A-4865-AED4-FB322EE84064', 3211264 / 8192],
  ])('%j: binding id, file id 1 and the size in pages (= file length / 8192) from page 0', async (parts, guid, sizePages) => {
    const { parseFileHeaderPage } = await import('../../src/datafile/file-header.js');
    const vp = verifyPage(readPage(parts, 0), { fileId: 1, pageId: 0 });
    expect(parseFileHeaderPage(vp.bytes)).toEqual({ bindingId: guid, fileId: 1, sizePages });
  });
});

describeCorpus('PFS bytes on a real PFS page', () => {
  it('NORTHWND.MDF 1:1: IAM pages 1:12 (0x74) and 1:17 (0x70) have the IAM bit, data page 1:16 is 0x60 (allocated, mixed extent)', async () => {
    const { MdfPageSource } = await import('../../src/datafile/mdf-source.js');
    const { PageReader } = await import('../../src/datafile/page-reader.js');
    const { pfsByte, pfsPageFor, isAllocated } = await import('../../src/datafile/pfs.js');
    const src = new MdfPageSource(corpusPath(...NORTHWND));
    const reader = new PageReader(src);
    expect(pfsPageFor({ fileId: 1, pageId: 16 })).toEqual({ fileId: 1, pageId: 1 });
    expect(pfsPageFor({ fileId: 1, pageId: 8088 * 2 + 5 })).toEqual({ fileId: 1, pageId: 8088 * 2 });
    expect([12, 16, 17].map((p) => pfsByte(reader, { fileId: 1, pageId: p }))).toEqual([0x74, 0x60, 0x70]);
    expect(isAllocated(reader, { fileId: 1, pageId: 16 })).toBe(true);
    src.close();
  });
});

describeCorpus('damaged copies of real pages (bytes flipped in memory)', () => {
  function codeOf(fn: () => unknown): string | undefined {
    try {
      fn();
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      return (e as FormatError).code;
    }
  }

  it('a flipped byte in a checksummed page → FORMAT_BAD_CHECKSUM with the page location', () => {
    const copy = new Uint8Array(readPage(SCHOOL, 9));
    copy[4000] ^= 0x20;
    try {
      verifyPage(copy, { fileId: 1, pageId: 9 }, 'School.mdf');
      expect.unreachable();
    } catch (e) {
      expect((e as FormatError).code).toBe('FORMAT_BAD_CHECKSUM');
      expect((e as FormatError).location).toMatchObject({ file: 'School.mdf', page: '1:9' });
    }
  });

  it('a sector of a torn-bit page written by another I/O → FORMAT_TORN_PAGE naming the sector', () => {
    const copy = new Uint8Array(readPage(NORTHWND, 16));
    copy[5 * 512 + 511] ^= 0x03;
    expect(findTornSector(copy)).toBe(5);
    expect(codeOf(() => verifyPage(copy, { fileId: 1, pageId: 16 }))).toBe('FORMAT_TORN_PAGE');
  });

  it('restoring torn bits puts the saved bits back (and only those)', () => {
    const raw = readPage(NORTHWND, 10);
    const fixed = restoreTornBits(raw);
    let changed = 0;
    for (let i = 0; i < 8192; i++) if (raw[i] !== fixed[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(15);
  });

  it('a page at the wrong address or with a garbage header → FORMAT_BAD_PAGE', () => {
    expect(codeOf(() => verifyPage(readPage(SCHOOL, 9), { fileId: 1, pageId: 10 }))).toBe('FORMAT_BAD_PAGE');
    const copy = new Uint8Array(readPage(SCHOOL, 9));
    copy[0] = 0x42;
    expect(codeOf(() => verifyPage(copy, { fileId: 1, pageId: 9 }))).toBe('FORMAT_BAD_PAGE');
    expect(codeOf(() => verifyPage(new Uint8Array(100), { fileId: 1, pageId: 9 }))).toBe('FORMAT_BAD_PAGE');
  });
});
