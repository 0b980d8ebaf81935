import { open } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { BlockScanner, NEED_MORE, type ScanEvent } from '../../../src/logreader/ldf/block-scanner.js';
import { readLdfRecordBatches, SyncFileReader } from '../../../src/logreader/ldf/reader.js';

/** Every event of a scanner fed `area` by push in pieces of `pieces` bytes (cycled), then its unwritten bytes. */
function byPush(area: Uint8Array, pieces: number[], start = 0): string[] {
  const s = new BlockScanner(start);
  let at = 0;
  let k = 0;
  return drain(s, () => {
    if (at >= area.length) return false;
    const n = pieces[k++ % pieces.length];
    s.push(area.subarray(at, at + n));
    at += n;
    return true;
  });
}

/** The same, the bytes written straight into the scanner's buffer (reserve/commit, as rangeBlocks reads). */
function byReserve(area: Uint8Array, pieces: number[], start = 0): string[] {
  const s = new BlockScanner(start);
  let at = 0;
  let k = 0;
  return drain(s, () => {
    if (at >= area.length) return false;
    const n = Math.min(pieces[k++ % pieces.length], area.length - at);
    const into = s.reserve(n);
    s.buffer.set(area.subarray(at, at + n), into);
    s.commit(n);
    at += n;
    return true;
  });
}

function drain(s: BlockScanner, more: () => boolean): string[] {
  const out: string[] = [];
  for (;;) {
    const ev: ScanEvent | typeof NEED_MORE | null = s.next();
    if (ev === null) break;
    if (ev === NEED_MORE) {
      if (!more()) s.end();
      continue;
    }
    if (ev.kind === 'bad') out.push(`bad ${ev.offset} ${ev.length} ${ev.reason}`);
    else out.push(`block ${ev.offset} ${ev.bytes.length} ${ev.parity} ${Buffer.from(ev.bytes).toString('hex')}`);
  }
  out.push(`unwritten ${s.unwrittenBytes}`);
  return out;
}

describe('block scanner: never-written sectors told in spans, the same as one sector at a time', () => {
  // Sector kinds: 0 all 0x00, 1 all 0xC0, 2 0x00 but one byte, 3 0xC0 but its last byte, 4 0xC0 but its first byte is 0x00.
  const sector = (kind: number, seed: number): Uint8Array => {
    const s = new Uint8Array(512).fill(kind === 0 || kind === 2 ? 0x00 : 0xc0);
    if (kind === 2) s[1 + (seed % 511)] = 1 + (seed % 255);
    if (kind === 3) s[511] = 0xc1;
    if (kind === 4) s[0] = 0x00;
    return s;
  };

  it('runs of 0x00 and 0xC0 sectors with odd sectors among them (SYNTHETIC): events and unwritten bytes as when fed a sector at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.integer({ min: 0, max: 4 }), run: fc.integer({ min: 1, max: 70 }), seed: fc.nat(1 << 20) }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 4 }),
        (runs, pieces) => {
          const parts: Uint8Array[] = [];
          for (const r of runs) for (let i = 0; i < r.run; i++) parts.push(sector(r.kind, r.seed + i));
          const area = Buffer.concat(parts);
          // fed a sector at a time, fewer than a span's bytes are ever buffered: each sector is compared alone
          const oneByOne = byPush(area, [512], 0x2000);
          expect(byPush(area, [area.length], 0x2000)).toEqual(oneByOne);
          expect(byPush(area, pieces, 0x2000)).toEqual(oneByOne);
          expect(byReserve(area, pieces, 0x2000)).toEqual(oneByOne);
          expect(byReserve(area, [128 * 1024], 0x2000)).toEqual(oneByOne);
        },
      ),
      { numRuns: 150, seed: 20261202 },
    );
  });

  it('a span of 32 never-written sectors whose last sector holds one other byte: 31 unwritten, then that sector reported bad', () => {
    const area = Buffer.alloc(64 * 512);
    area[31 * 512 + 300] = 7;
    const evs = byPush(area, [area.length]);
    expect(evs[0]).toMatch(/^bad 15872 512 /);
    expect(evs.at(-1)).toBe(`unwritten ${63 * 512}`);
  });
});

describeCorpus('block scanner: reads straight into its buffer (corpus)', () => {
  it('real blocks among never-written sectors: reserve/commit in any piece size gives the events push gives', async () => {
    // NORTHWND_log.ldf's first VLF (blocks from 0x4000), then 40 KB of never-written sectors, then the same blocks again
    const fh = await open(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), 'r');
    const blocks = Buffer.alloc(0x3c000);
    await fh.read(blocks, 0, blocks.length, 0x4000);
    await fh.close();
    const area = Buffer.concat([blocks, Buffer.alloc(40 * 1024), Buffer.alloc(8 * 1024, 0xc0), blocks]);
    const whole = byPush(area, [area.length], 0x4000);
    expect(whole.filter((e) => e.startsWith('block')).length).toBe(20);
    expect(whole.some((e) => e.startsWith('bad'))).toBe(false);
    for (const pieces of [[512], [7, 511], [65536], [128 * 1024], [60 * 1024 + 1, 3]]) expect(byReserve(area, pieces, 0x4000)).toEqual(whole);
  });

  it('an .ldf read through SyncFileReader lets the event loop turn while it reads (once per MB)', async () => {
    // NORTHWND_log.ldf is 3 MB: its read must let a setImmediate loop run, though no read waits on the thread pool
    let turns = 0;
    let reading = false;
    let timer: NodeJS.Immediate | undefined;
    const tick = (): void => {
      if (reading) turns++;
      timer = setImmediate(tick);
    };
    tick();
    let batches = 0;
    try {
      for await (const b of readLdfRecordBatches(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'))) {
        reading = true;
        batches += b.records.length > 0 ? 1 : 0;
      }
    } finally {
      clearImmediate(timer);
    }
    expect(batches).toBeGreaterThan(10);
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('SyncFileReader reads what the FileHandle reads', async () => {
    const fh = await open(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), 'r');
    try {
      const a = Buffer.alloc(70_000);
      const b = Buffer.alloc(70_000);
      const r = new SyncFileReader(fh.fd);
      for (const pos of [0, 0x2000, 12_345, (await fh.stat()).size - 1000]) {
        const x = await r.read(a, 5, 60_000, pos);
        const y = await fh.read(b, 5, 60_000, pos);
        expect(x.bytesRead).toBe(y.bytesRead);
        expect(a.equals(b)).toBe(true);
      }
    } finally {
      await fh.close();
    }
  });
});
