import { copyFile, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { BlockScanner, NEED_MORE, type ScanEvent } from '../../../src/logreader/ldf/block-scanner.js';
import { formatSqlDateTime } from '../../../src/logreader/ldf/datetime.js';
import { blockRecords, emptyLogScanStats, readLdfLayout, readLdfRecords } from '../../../src/logreader/ldf/reader.js';
import { blockHeaderProblem, fixupBlock, formatLsnFast, formatPageId, formatTransactionId, parseLogRecord, parseVlfHeader, readElements, recordSpans } from '../../../src/logreader/ldf/structures.js';
import { formatLsn } from '../../../src/logreader/lsn.js';
import type { LogRecord } from '../../../src/logreader/log-record.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { beginTimeToIso } from '../../../src/recover/time-window.js';
import { FormatError } from '../../../src/errors.js';

function dt(ticks: number, days: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, ticks, true);
  v.setInt32(4, days, true);
  return b;
}

describe('SQL datetime as fn_dblog prints it', () => {
  it.each([
    [0, 0, '1900/01/01 00:00:00:000'],
    [1, 0, '1900/01/01 00:00:00:003'],
    [2, 0, '1900/01/01 00:00:00:007'],
    [300, 0, '1900/01/01 00:00:01:000'],
    [300 * 86399 + 299, 1, '1900/01/02 23:59:59:997'],
    [0, 43352, '2018/09/11 00:00:00:000'],
    [0, -53690, '1753/01/01 00:00:00:000'],
    [25_919_999, 2958463, '9999/12/31 23:59:59:997'],
    [3 * 3600 * 300 + 7 * 60 * 300 + 9 * 300 + 30, 46000, '2025/12/11 03:07:09:100'],
  ])('ticks %i days %i → %s', (ticks, days, want) => {
    expect(formatSqlDateTime(dt(ticks, days), 0)).toBe(want);
  });
  it('days alternating between calls (the day text is cached) each print their own date', () => {
    const seen = [43352, 43353, 43352, -53690, 43352].map((d) => formatSqlDateTime(dt(1, d), 0));
    expect(seen).toEqual(['2018/09/11 00:00:00:003', '2018/09/12 00:00:00:003', '2018/09/11 00:00:00:003', '1753/01/01 00:00:00:003', '2018/09/11 00:00:00:003']);
  });
  it('out of range → null', () => {
    expect(formatSqlDateTime(dt(300 * 86400, 0), 0)).toBeNull();
    expect(formatSqlDateTime(dt(0, 3_000_000), 0)).toBeNull();
  });
});

describe('LOP_BEGIN_XACT transaction name (UTF-16LE element 0) as the UTF-16LE TextDecoder reads it, trailing NULs dropped', () => {
  // SYNTHETIC record: fixed part 48 bytes, elements [name, SID].
  const begin = (name: Uint8Array): Uint8Array => {
    const fixedLen = 48;
    const at = (fixedLen + 6 + 3) & ~3;
    const b = new Uint8Array(at + ((name.length + 3) & ~3) + 4);
    const v = new DataView(b.buffer);
    v.setUint16(2, fixedLen, true);
    b[22] = 0x80;
    v.setUint16(fixedLen, 2, true);
    v.setUint16(fixedLen + 2, name.length, true);
    v.setUint16(fixedLen + 4, 2, true);
    b.set(name, at);
    b[at + ((name.length + 3) & ~3)] = 1;
    return b;
  };
  const nameOf = (bytes: Uint8Array): unknown => {
    const b = begin(bytes);
    const r = parseLogRecord(b, 0, b.length, { vlf: 1, block: 1, slot: 1 }, { kind: 'ldf', file: 'x', offset: 0 });
    if (typeof r === 'string') throw new Error(r);
    return r.record['Transaction Name'];
  };
  const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
  it.each([
    ['DELETE', 'DELETE'],
    ['user_transaction\0\0', 'user_transaction'],
    ['a\0b', 'a\0b'],
    ['删除客户', '删除客户'],
    ['😀 emoji (a surrogate pair)', '😀 emoji (a surrogate pair)'],
    // kept as the log holds it (fn_dblog's nvarchar and the export reader keep it; it was U+FFFD)
    ['\ud800 lone high surrogate', '\ud800 lone high surrogate'],
    ['cut at the end \ud83d', 'cut at the end \ud83d'],
    ['\udc00 lone low surrogate in a long name '.repeat(4), '\udc00 lone low surrogate in a long name '.repeat(4)],
    ['\ufeffBOM first (dropped, as the decoder does)', 'BOM first (dropped, as the decoder does)'],
    ['x\ufeff (BOM later: kept)', 'x\ufeff (BOM later: kept)'],
  ])('%j → %j', (text, want) => {
    expect(nameOf(utf16(text))).toBe(want);
  });
  it('an odd byte count ends in U+FFFD, as the decoder gives; a 300-byte name goes through the decoder whole', () => {
    expect(nameOf(new Uint8Array([0x41, 0x00, 0x42]))).toBe('A\ufffd');
    expect(nameOf(utf16('n'.repeat(150)))).toBe('n'.repeat(150));
  });
});

describe('small parsers', () => {
  it('transaction id prints as fn_dblog does (u16 part first)', () => {
    expect(formatTransactionId(0x3e8, 0)).toBe('0000:000003e8');
    expect(formatTransactionId(0x12345678, 0xab)).toBe('00ab:12345678');
  });
  it('the hot-path LSN and page formatters print what lsn.ts and fn_dblog print', () => {
    for (const [vlf, block, slot] of [[0, 0, 0], [0x2a, 0x1f0, 3], [0xffffffff, 0xffffffff, 0xffff], [0x80000000, 1, 0x8000]]) {
      expect(formatLsnFast(vlf, block, slot)).toBe(formatLsn({ vlf, block, slot }));
    }
    expect(formatPageId(1, 0x123)).toBe('0001:00000123');
  });
  // Synthetic block headers (bytes → verdict): flags/count/slot-array end/size, parity byte first.
  const hdr = (first: number, count: number, slotEnd: number, size: number) => {
    const b = new Uint8Array(512);
    const v = new DataView(b.buffer);
    v.setUint16(2, count, true);
    v.setUint16(4, slotEnd, true);
    v.setUint16(6, size, true);
    b[0] = first;
    return b;
  };
  it.each([
    ['valid one-sector block', hdr(0x58, 1, 0x7a, 512), null],
    ['no parity bits', hdr(0x18, 1, 0x7a, 512), /lacks the parity/],
    ['not a first sector', hdr(0x48, 1, 0x7a, 512), /lacks the parity/],
    ['size 0', hdr(0x58, 1, 0x7a, 0), /block size 0/],
    ['size not a multiple of 512', hdr(0x58, 1, 0x7a, 700), /block size 700/],
    ['size over 60 KB', hdr(0x58, 1, 0x7a, 61 * 1024), /block size/],
    ['slot array past the block', hdr(0x58, 1, 600, 512), /slot array end 600/],
    ['slot array too small for its slots', hdr(0x58, 10, 30, 512), /slot array end 30/],
    ['empty block (no records) is valid', hdr(0x58, 0, 0x28, 512), null],
  ])('block header: %s', (_name, bytes, want) => {
    const got = blockHeaderProblem(bytes, 0);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatch(want as RegExp);
  });
  it('sector fix-up: restores each sector\'s first byte from the block end, rejects mixed parity (synthetic 2-sector block)', () => {
    const b = new Uint8Array(1024);
    b[0] = 0x50; // parity 0x40 | first
    b[512] = 0x48; // parity 0x40 | last
    b[1023] = 0xaa; // original byte of sector 0
    b[1022] = 0xbb; // original byte of sector 1
    const fixed = fixupBlock(b, 0, 1024) as Uint8Array;
    expect([fixed[0], fixed[512]]).toEqual([0xaa, 0xbb]);
    b[512] = 0x88; // parity 0x80: a sector from another generation
    expect(fixupBlock(b, 0, 1024)).toMatch(/sector 1 fix-up byte 0x88, expected 0x48/);
  });
  it('VLF header: marker, parity, version, sequence, size, offset (bytes as in AngularJs_CRUD Database1_log.ldf @0x2000)', () => {
    const b = Buffer.from('ab400500250000000000000003000000' + '00e0030000000000' + '0020000000000000' + '00000000000000000000', 'hex');
    expect(parseVlfHeader(b, 0)).toEqual({ parity: 0x40, version: 5, seq: 37, size: 0x3e000, startOffset: 0x2000, createLsn: { vlf: 0, block: 0, slot: 0 } });
    b[0] = 0;
    expect(parseVlfHeader(b, 0)).toBeNull();
  });
  it('record spans from the slot array, in order and out of order (synthetic slot arrays)', () => {
    const b = new Uint8Array(64);
    const v = new DataView(b.buffer);
    // slot array ends at 40: slot 0 @38 → 24, slot 1 @36 → 28, slot 2 @34 → 22 (points backwards)
    v.setUint16(38, 24, true);
    v.setUint16(36, 28, true);
    v.setUint16(34, 22, true);
    const h = { flags: 0, recordCount: 3, slotArrayEnd: 40, size: 512, status: 0, firstLsn: { vlf: 1, block: 1, slot: 1 } };
    expect(recordSpans(b, h)).toEqual([[24, 28], [28, 34], [22, 24]]);
  });
  it('element array: count, lengths, 4-byte alignment (synthetic bytes)', () => {
    // record start 0; elements at 4: count 2, lengths 3 and 2, pad to 12, el0 @12..15, el1 @16..18
    const b = Uint8Array.from([0, 0, 0, 0, 2, 0, 3, 0, 2, 0, 0, 0, 1, 2, 3, 0, 4, 5]);
    expect(readElements(b, 0, 4, b.length)?.map((e) => [...e])).toEqual([[1, 2, 3], [4, 5]]);
    expect(readElements(b, 0, 4, 15)).toBeNull();
  });
});

async function collect(path: string): Promise<{ records: LogRecord[]; skipped: SkippedItem[] }> {
  const records: LogRecord[] = [];
  const skipped: SkippedItem[] = [];
  for await (const r of readLdfRecords(path, { onSkipped: (s) => skipped.push(s) })) records.push(r);
  return { records, skipped };
}

function countBy(records: LogRecord[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const r of records) c[r.Operation] = (c[r.Operation] ?? 0) + 1;
  return c;
}

const LSN = /^[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}$/;

describeCorpus('.ldf records on the corpus', () => {
  // Counts as the corpus README describes them (thousands / ~1,900; ~1,400 / ~600; 16 / ~290).
  it.each([
    ['SessionShoppingCart/App_Data/NORTHWND_log.ldf', { LOP_INSERT_ROWS: 9517, LOP_DELETE_ROWS: 1878, LOP_MODIFY_ROW: 2211 }],
    ['sql-practice-asp/App_Data/School_Log.ldf', { LOP_INSERT_ROWS: 1406, LOP_DELETE_ROWS: 605, LOP_MODIFY_ROW: 356 }],
    ['AngularJs_CRUD/App_Data/Database1_log.ldf', { LOP_INSERT_ROWS: 97, LOP_DELETE_ROWS: 16, LOP_MODIFY_ROW: 289 }],
    ['CRUD-.NET/App_Data/Database_log.ldf', { LOP_INSERT_ROWS: 32, LOP_DELETE_ROWS: undefined, LOP_MODIFY_ROW: 39 }],
    ['CRUD-.NET/App_Data/Database2_log.ldf', { LOP_DELETE_ROWS: undefined }],
  ])('%s: counts by operation, well-formed records, no skipped items', async (file, want) => {
    const { records, skipped } = await collect(corpusPath(file));
    expect(skipped).toEqual([]);
    const counts = countBy(records);
    for (const [op, n] of Object.entries(want)) expect(counts[op], op).toBe(n);
    expect(counts.LOP_INSERT_ROWS ?? 0).toBeGreaterThan(0);
    for (const r of records) {
      expect(r['Current LSN']).toMatch(LSN);
      expect(r['Transaction ID']).toMatch(/^[0-9a-f]{4}:[0-9a-f]{8}$/);
      expect(r.Operation).toMatch(/^LOP_[A-Z_0-9]+$/);
    }
    // Every insert/delete on a heap or clustered index carries a FixedVar row image (status A: record type 0, FORMAT-NOTES §1).
    const rows = records.filter((r) => (r.Operation === 'LOP_INSERT_ROWS' || r.Operation === 'LOP_DELETE_ROWS') && (r.Context === 'LCX_HEAP' || r.Context === 'LCX_CLUSTERED'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const img = r['RowLog Contents 0']!;
      expect(img.length).toBeGreaterThanOrEqual(4);
      expect((img[0] >> 1) & 7, r['Current LSN']).toBe(0);
      expect(r.AllocUnitId).toMatch(/^\d+$/);
      expect(r['Page ID']).toMatch(/^[0-9a-f]{4}:[0-9a-f]{8}$/);
    }
    // BEGIN_XACT: Begin Time parses and is a plausible date; COMMIT has an End Time.
    const begins = records.filter((r) => r.Operation === 'LOP_BEGIN_XACT');
    expect(begins.length).toBeGreaterThan(0);
    for (const b of begins) {
      const iso = beginTimeToIso(b['Begin Time']!);
      expect(iso >= '2005-01-01' && iso <= '2026-12-31', iso).toBe(true);
      expect(typeof b.SPID).toBe('number');
    }
    for (const c of records.filter((r) => r.Operation === 'LOP_COMMIT_XACT')) expect(beginTimeToIso(c['End Time']!)).toMatch(/^20/);
  });

  it.each(['AngularJs_CRUD/App_Data/Database1_log.ldf', 'SessionShoppingCart/App_Data/NORTHWND_log.ldf', 'sql-practice-asp/App_Data/School_Log.ldf'])(
    '%s: LSN numbering is right — every non-null Previous LSN is a record of the same transaction',
    async (file) => {
      const { records } = await collect(corpusPath(file));
      const byLsn = new Map(records.map((r) => [r['Current LSN'], r]));
      // The oldest records' predecessors may lie before the start of what the file still holds.
      const oldest = [...byLsn.keys()].sort()[0];
      let linked = 0;
      for (const r of records) {
        const p = r['Previous LSN']!;
        if (p === '00000000:00000000:0000' || p < oldest) continue;
        const q = byLsn.get(p);
        expect(q, `${r['Current LSN']} → ${p}`).toBeDefined();
        expect(q!['Transaction ID']).toBe(r['Transaction ID']);
        linked++;
      }
      expect(linked).toBeGreaterThan(1000);
    },
  );

  it('BEGIN_XACT facts: name, SID, SPID, time (AngularJs_CRUD first transaction)', async () => {
    const { records } = await collect(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    const b = records.find((r) => r.Operation === 'LOP_BEGIN_XACT')!;
    expect(b['Begin Time']).toBe('2018/09/11 17:54:59:497');
    expect(b['Transaction Name']).toBe('DBMgr::StartupDB');
    expect(b.SPID).toBe(59);
    // a Windows SID: revision 1, 5 sub-authorities, authority NT (5)
    expect(Buffer.from(b['Transaction SID']!).toString('hex').slice(0, 16)).toBe('0105000000000005');
    const named = records.filter((r) => r.Operation === 'LOP_BEGIN_XACT').map((r) => r['Transaction Name']);
    expect(named).toContain('QName Cleanup');
  });

  it('VLF layout and the SQL 2000 log is refused, not misparsed', async () => {
    const l = await readLdfLayout(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'));
    expect(l.version).toBe(4);
    expect(l.vlfs.map((v) => v.seq)).toEqual([22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
    expect(l.vlfs[0].offset).toBe(0x2000);
    const err = await readLdfLayout(corpusPath('SessionShoppingCart/App_Data/NORTHWND.LDF')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('FORMAT_UNSUPPORTED_LOG_VERSION');
    const it2 = readLdfRecords(corpusPath('SessionShoppingCart/App_Data/NORTHWND.LDF'));
    await expect(it2.next()).rejects.toMatchObject({ code: 'FORMAT_UNSUPPORTED_LOG_VERSION' });
    const notLog = await readLdfLayout(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')).catch((e) => e);
    expect(notLog.code).toBe('FORMAT_NOT_A_LOG_FILE');
  });

  it('split buffers: the same block area fed in pieces yields the same records', async () => {
    // NORTHWND_log.ldf's first VLF: blocks from 0x4000 to 0x40000, many of them multi-sector.
    const path = corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf');
    const fh = await open(path, 'r');
    const area = Buffer.alloc(0x3c000);
    await fh.read(area, 0, area.length, 0x4000);
    await fh.close();
    const run = (pieces: number[]): string[] => {
      const s = new BlockScanner(0x4000);
      const out: string[] = [];
      let at = 0;
      let k = 0;
      for (;;) {
        const ev: ScanEvent | typeof NEED_MORE | null = s.next();
        if (ev === null) break;
        if (ev === NEED_MORE) {
          if (at >= area.length) s.end();
          else {
            const n = pieces[k++ % pieces.length];
            s.push(area.subarray(at, at + n));
            at += n;
          }
          continue;
        }
        if (ev.kind === 'bad') out.push(`bad@${ev.offset}`);
        else for (const r of blockRecords(ev, { kind: 'ldf', file: 'x' }, false)) out.push(`${r['Current LSN']} ${r.Operation} ${Buffer.from(r['RowLog Contents 0'] ?? []).toString('hex')}`);
      }
      return out;
    };
    const whole = run([area.length]);
    expect(whole.length).toBeGreaterThan(100);
    expect(whole.some((l) => l.startsWith('bad'))).toBe(false);
    for (const pieces of [[1], [7, 511], [513], [4096, 3], [60 * 1024 + 1]]) expect(run(pieces)).toEqual(whole);
  });

  it('a torn block (one sector byte changed in a copy of real bytes) is reported and the scan goes on', async () => {
    const path = corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf');
    const fh = await open(path, 'r');
    const area = Buffer.alloc(0x3c000);
    await fh.read(area, 0, area.length, 0x4000);
    await fh.close();
    const good = new BlockScanner(0);
    good.push(area);
    good.end();
    const blocks: number[] = [];
    for (let ev = good.next(); ev !== null; ev = good.next()) if (ev !== NEED_MORE && ev.kind === 'block') blocks.push(ev.offset);
    // Find a multi-sector block and damage the fix-up byte of its second sector (synthetic damage).
    const multi = (() => {
      for (const o of blocks) if (area.readUInt16LE(o + 6) > 512) return o;
      return -1;
    })();
    expect(multi).toBeGreaterThanOrEqual(0);
    const torn = Buffer.from(area);
    torn[multi + 512] ^= 0xc0;
    const s = new BlockScanner(0);
    s.push(torn);
    s.end();
    const evs: ScanEvent[] = [];
    for (let ev = s.next(); ev !== null; ev = s.next()) if (ev !== NEED_MORE) evs.push(ev);
    const bad = evs.filter((e) => e.kind === 'bad');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(bad[0].offset).toBe(multi);
    expect(bad[0].kind === 'bad' && bad[0].reason).toMatch(/sector 1 fix-up byte/);
    const after = evs.filter((e) => e.kind === 'block' && e.offset > multi);
    expect(after.length).toBeGreaterThan(0);
  });

  it('an .ldf copy cut short in its last VLF: the blocks it still holds are read, the cut is reported', async () => {
    const src = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const dir = await mkdtemp(join(tmpdir(), 'rowback-cut-ldf-'));
    const cut = join(dir, 'cut.ldf');
    const fh = await open(src, 'r');
    const head = Buffer.alloc(0x84000 + 0x3000); // VLF 3 starts at 0x84000; keep its header and 4 KB of blocks
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    const out = await open(cut, 'w');
    await out.write(head);
    await out.close();
    const skipped: SkippedItem[] = [];
    const recs: LogRecord[] = [];
    for await (const r of readLdfRecords(cut, { onSkipped: (s) => skipped.push(s) })) recs.push(r);
    expect(skipped.map((s) => s.code)).toContain('FORMAT_BAD_VLF_HEADER');
    const full = await collect(src);
    const inThird = (r: LogRecord) => r.source!.offset! >= 0x84000;
    expect(recs.filter(inThird).length).toBeGreaterThan(0);
    expect(recs.filter(inThird).length).toBeLessThan(full.records.filter(inThird).length);
  });

  it('file reads in small odd-sized chunks give the same records as the default 1 MB chunks', async () => {
    const path = corpusPath('sql-practice-asp/App_Data/School_Log.ldf');
    const key = (r: LogRecord) => `${r['Current LSN']} ${r.Operation} ${r['RowLog Contents 0'] ? Buffer.from(r['RowLog Contents 0']).toString('hex') : ''}`;
    const a: string[] = [];
    for await (const r of readLdfRecords(path)) a.push(key(r));
    const b: string[] = [];
    for await (const r of readLdfRecords(path, { chunkSize: 1000 })) b.push(key(r));
    expect(b).toEqual(a);
    expect(a.length).toBe(5068);
  });

  it('stats: LSN range and bytes', async () => {
    const stats = emptyLogScanStats();
    for await (const _ of readLdfRecords(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), {}, stats)) void _;
    expect(stats.records).toBe(2015);
    expect(stats.firstLsn!.vlf).toBe(0x23);
    expect(stats.lastLsn!.vlf).toBe(0x25);
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('stale blocks: a reused VLF (header sequence/parity newer than its blocks) yields records labelled stale, kept apart', async () => {
    // A copy of a real LDF whose first VLF header is rewritten as if the VLF had been reused
    // (sequence 37 → 40, parity 0x40 → 0x80): the blocks still carry LSNs of sequence 37.
    const dir = await mkdtemp(join(tmpdir(), 'rowback-stale-'));
    const copy = join(dir, 'reused.ldf');
    await copyFile(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), copy);
    const fh = await open(copy, 'r+');
    const hdr = Buffer.alloc(8);
    await fh.read(hdr, 0, 8, 0x2000);
    expect(hdr.readUInt32LE(4)).toBe(37);
    hdr[1] = 0x80;
    hdr.writeUInt32LE(40, 4);
    await fh.write(hdr, 0, 8, 0x2000);
    await fh.close();
    const recs: LogRecord[] = [];
    for await (const r of readLdfRecords(copy)) recs.push(r);
    const stale = recs.filter((r) => r.source?.stale);
    expect(recs.length).toBe(2015);
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((r) => r['Current LSN'].startsWith('00000025:'))).toBe(true);
    expect(recs.filter((r) => !r.source?.stale).every((r) => !r['Current LSN'].startsWith('00000025:'))).toBe(true);
    const current: LogRecord[] = [];
    for await (const r of readLdfRecords(copy, { includeStale: false })) current.push(r);
    expect(current.length).toBe(recs.length - stale.length);
  });

  it('never aborts: random byte damage to a real VLF gives blocks, bad runs and records, never an exception', async () => {
    const fh = await open(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), 'r');
    const area = Buffer.alloc(0x3c000);
    await fh.read(area, 0, area.length, 0x4000);
    await fh.close();
    fc.assert(
      fc.property(fc.array(fc.record({ pos: fc.nat(area.length - 1), val: fc.nat(255) }), { minLength: 1, maxLength: 64 }), (muts) => {
        const damaged = Buffer.from(area);
        for (const m of muts) damaged[m.pos] = m.val;
        const s = new BlockScanner(0x4000);
        s.push(damaged);
        s.end();
        let records = 0;
        const skipped: SkippedItem[] = [];
        for (let ev = s.next(); ev !== null; ev = s.next()) {
          if (ev === NEED_MORE || ev.kind === 'bad') continue;
          for (const r of blockRecords(ev, { kind: 'ldf', file: 'x' }, false, { onSkipped: (x) => skipped.push(x) })) {
            expect(r['Current LSN']).toMatch(LSN);
            records++;
          }
        }
        expect(records + skipped.length).toBeGreaterThan(0);
      }),
      { numRuns: 60, seed: 20261121 },
    );
  });
});
