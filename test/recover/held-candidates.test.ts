import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeldCandidates } from '../../src/recover/held-candidates.js';

const dir = mkdtempSync(join(tmpdir(), 'rowback-held-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** SYNTHETIC values of every kind the encoding holds, seeded (a small LCG) so a failure repeats. */
function randomValue(seed: { s: number }, depth = 0): unknown {
  const r = () => ((seed.s = (seed.s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const k = Math.floor(r() * (depth > 2 ? 8 : 10));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 32) - 2 ** 31;
    case 3: return [r() * 1e300, -0, NaN, Infinity, -Infinity, 2 ** 53 + 2, 0.1][Math.floor(r() * 7)];
    case 4: return Array.from({ length: Math.floor(r() * 30) }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
    case 5: return Array.from({ length: Math.floor(r() * 30) }, () => String.fromCharCode(Math.floor(r() * 65536))).join(''); // lone surrogates too
    case 6: return Uint8Array.from({ length: Math.floor(r() * (r() < 0.05 ? 200_000 : 300)) }, () => Math.floor(r() * 256));
    case 7: return undefined;
    case 8: return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(seed, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 8); i > 0; i--) o[['Current LSN', 'RowLog Contents 0', 'source', 'x', `k${Math.floor(r() * 1000)}`][Math.floor(r() * 5)]!] = randomValue(seed, depth + 1);
      return o;
    }
  }
}

/** Equality that tells -0 from 0, NaN from NaN equal, undefined-valued keys present, and bytes by content. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

describe('HeldCandidates', () => {
  it('gives back, in order, objects equal to those added — in memory and after spilling part-way (SYNTHETIC values)', async () => {
    for (let round = 0; round < 20; round++) {
      const seed = { s: round + 1 };
      const items = Array.from({ length: 300 }, () => ({ record: randomValue(seed, 1), n: round }));
      const spillAt = round % 2 === 0 ? -1 : (round * 37) % 300;
      // Objects kept first: none, the default 32, or all of them.
      const held = new HeldCandidates<unknown>([0, 32, 1000][round % 3]);
      for (let i = 0; i < items.length; i++) {
        if (i === spillAt) await held.spill(dir);
        if (held.add(items[i])) await held.flushed();
      }
      expect(held.count).toBe(300);
      expect(held.spilled).toBe(spillAt >= 0);
      const back = await all(held.drain());
      expect(back.length).toBe(300);
      for (let i = 0; i < items.length; i++) if (!same(back[i], items[i])) expect.fail(`round ${round}, item ${i}: ${JSON.stringify(back[i])?.slice(0, 200)} ≠ ${JSON.stringify(items[i])?.slice(0, 200)}`);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts its memory exactly: chunks in memory, and at most one chunk once spilled', async () => {
    const held = new HeldCandidates<{ b: Uint8Array }>(0);
    for (let i = 0; i < 2000; i++) held.add({ b: new Uint8Array(100) });
    // 2000 × (4 length + 1 object tag + 2 count + 2 key + 5 bytes header + 100) = 228,000 bytes in chunks of 1 KB … 64 KB
    expect(held.memoryBytes).toBeGreaterThanOrEqual(228_000);
    expect(held.memoryBytes).toBeLessThan(228_000 + 64 * 1024 + 1024);
    await held.spill(dir);
    expect(held.memoryBytes).toBe(0);
    for (let i = 0; i < 2000; i++) if (held.add({ b: new Uint8Array(100) })) await held.flushed();
    expect(held.memoryBytes).toBeLessThanOrEqual(64 * 1024);
    expect((await all(held.drain())).length).toBe(4000);
  });

  it('keeps the first candidates as their own objects, byte values copied out of the buffer they viewed', async () => {
    const block = new Uint8Array([9, 8, 7, 6]);
    const held = new HeldCandidates<{ record: { img: Uint8Array } }>(2);
    const a = { record: { img: block.subarray(0, 2) } };
    held.add(a);
    held.add({ record: { img: block.subarray(2) } });
    held.add({ record: { img: block.subarray(1, 3) } });
    block.fill(0); // the log block is reused
    const back = await all(held.drain());
    expect(back[0]).toBe(a);
    expect(back.map((x) => [...x.record.img])).toEqual([[9, 8], [7, 6], [8, 7]]);
  });

  it('keeps a field named __proto__ as an own field, not as a prototype', async () => {
    const o = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Record<string, unknown>;
    const held = new HeldCandidates<Record<string, unknown>>(0);
    held.add(o);
    const [back] = await all(held.drain());
    expect(Object.keys(back!)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('refuses what it cannot hold, naming the type, and discards its file when the consumer stops early', async () => {
    const held = new HeldCandidates<unknown>(0);
    expect(() => held.add({ when: new Date(0) })).toThrow(/cannot hold a value of type \[object Date\]/);
    expect(() => held.add({ n: 1n })).toThrow(/cannot hold a value of type bigint/);
    const h2 = new HeldCandidates<{ i: number }>();
    for (let i = 0; i < 10; i++) h2.add({ i });
    await h2.spill(dir);
    expect(readdirSync(dir)).toHaveLength(1);
    for await (const x of h2.drain()) if (x.i === 3) break;
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a byte value read back views its chunk: no copy per value', async () => {
    const held = new HeldCandidates<{ a: Uint8Array; b: Uint8Array }>(0);
    held.add({ a: new Uint8Array([1, 2, 3]), b: new Uint8Array([4, 5]) });
    const [x] = await all(held.drain());
    expect(x!.a.buffer).toBe(x!.b.buffer);
    expect([...x!.a, ...x!.b]).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('HeldCandidates: objects → chunks → file, spilled more than once', () => {
  it('gives every candidate back in the order added, bytes exact, for each sequence of adds and spills', async () => {
    // [adds, spill, adds, spill, …]: spill while only objects are held, after objects and chunks,
    // twice in a row, with nothing added since, and a candidate larger than a chunk.
    for (const plan of [[10, 50, 5], [40, 0, 3], [0, 0, 0], [32, 1, 1], [5, 3000, 2, 0, 7], [33, 0, 0, 1]]) {
      const held = new HeldCandidates<{ i: number; b: Uint8Array }>(32);
      let i = 0;
      for (let k = 0; k < plan.length; k++) {
        for (let j = 0; j < plan[k]!; j++, i++) if (held.add({ i, b: new Uint8Array(i === 7 ? 70_000 : i % 300).fill(i & 255) })) await held.flushed();
        if (k < plan.length - 1) await held.spill(dir);
      }
      const out: number[] = [];
      for await (const x of held.drain()) {
        out.push(x.i);
        expect(x.b.length).toBe(x.i === 7 ? 70_000 : x.i % 300);
        expect(x.b.every((v) => v === (x.i & 255))).toBe(true);
      }
      expect(out, plan.join(',')).toEqual(Array.from({ length: i }, (_, k) => k));
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe('HeldCandidates: spill asked for while draining', () => {
  it('leaves the candidates where they are: every one is still given out, in order, and no file is left', async () => {
    // Before: spill() during a drain of in-memory candidates sent the chunks to a file the drain
    // never read (it had started without one): every encoded candidate was silently lost.
    for (const spilledBefore of [false, true]) {
      const held = new HeldCandidates<{ i: number }>(4);
      for (let i = 0; i < 200; i++) {
        if (spilledBefore && i === 50) await held.spill(dir);
        if (held.add({ i })) await held.flushed();
      }
      const out: number[] = [];
      for await (const x of held.drain()) {
        out.push(x.i);
        if (x.i === 2 || x.i === 120) await held.spill(dir);
      }
      expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(readdirSync(dir)).toEqual([]);
    }
    const h2 = new HeldCandidates<{ i: number }>(4);
    for (let i = 0; i < 50; i++) h2.add({ i });
    const out: number[] = [];
    for (const x of h2.takeInMemory()) {
      out.push(x.i);
      if (x.i === 1) await h2.spill(dir);
    }
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('HeldCandidates.takeInMemory', () => {
  it('gives the in-memory candidates synchronously, in order, and refuses once spilled', async () => {
    const held = new HeldCandidates<{ i: number }>(3);
    for (let i = 0; i < 10; i++) held.add({ i });
    expect([...held.takeInMemory()].map((x) => x.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const h2 = new HeldCandidates<{ i: number }>(3);
    h2.add({ i: 1 });
    await h2.spill(dir);
    expect(() => [...h2.takeInMemory()]).toThrow(/spilled/);
    await h2.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});

/** The private temporary-file handle of a spilled HeldCandidates (tests only: to make its writes short or fail). */
function fileHandleOf(held: HeldCandidates<unknown>): { write: (...a: unknown[]) => Promise<{ bytesWritten: number }> } {
  return (held as unknown as { file: { fh: { write: (...a: unknown[]) => Promise<{ bytesWritten: number }> } } }).file.fh;
}

describe('HeldCandidates on a filling disk', () => {
  it('a write that stores fewer bytes than asked is continued, not taken as whole: every candidate reads back exact', async () => {
    // Before: `fh.write` stored part of a frame, the next frame went after the part, and drain read
    // shifted bytes (other candidates' bytes as this one's, or a failure only at the last frame).
    const held = new HeldCandidates<unknown>(0);
    const items = Array.from({ length: 3000 }, (_, i) => ({ i, img: Uint8Array.from({ length: 50 + (i % 40) }, (_, k) => (i + k) & 0xff), s: `row ${i}` }));
    held.add(items[0]);
    await held.spill(dir);
    const fh = fileHandleOf(held as HeldCandidates<unknown>);
    const write = fh.write.bind(fh);
    // Each call stores at most 7 bytes (a disk with a few free bytes at a time).
    fh.write = (buf: unknown, off: unknown, len: unknown, pos: unknown) => write(buf, off, Math.min(len as number, 7), pos);
    for (let i = 1; i < items.length; i++) if (held.add(items[i])) await held.flushed();
    const back = await all(held.drain());
    expect(back.length).toBe(items.length);
    for (let i = 0; i < items.length; i++) if (!same(back[i], items[i])) expect.fail(`item ${i} came back as ${JSON.stringify(back[i])?.slice(0, 120)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a read that returns fewer bytes than asked (a network temporary folder) is continued: every candidate reads back exact', async () => {
    // Before: the first short read of a frame failed the whole scan ("holds N of frame 1's M bytes").
    const held = new HeldCandidates<unknown>(0);
    const items = Array.from({ length: 500 }, (_, i) => ({ i, img: Uint8Array.from({ length: 80 }, (_, k) => (i * 7 + k) & 0xff) }));
    for (const x of items) held.add(x);
    await held.spill(dir);
    const fh = fileHandleOf(held as HeldCandidates<unknown>) as unknown as { read: (...a: unknown[]) => Promise<{ bytesRead: number }> };
    const read = fh.read.bind(fh);
    fh.read = (buf: unknown, off: unknown, len: unknown, pos: unknown) => read(buf, off, Math.min(len as number, 5), pos);
    const back = await all(held.drain());
    expect(back.length).toBe(items.length);
    for (let i = 0; i < items.length; i++) if (!same(back[i], items[i])) expect.fail(`item ${i}`);
  });

  it('a write that stores nothing (disk full) is an error naming the file, never a lost or shifted frame; the file is removed', async () => {
    const held = new HeldCandidates<unknown>(0);
    held.add({ i: 0, img: new Uint8Array(100) });
    await held.spill(dir);
    fileHandleOf(held as HeldCandidates<unknown>).write = async () => ({ bytesWritten: 0 });
    let error: unknown;
    try {
      for (let i = 1; i < 5000; i++) if (held.add({ i, img: new Uint8Array(100) })) await held.flushed();
      await held.spill(dir);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/held candidates: the temporary file .*rowback-spill-.*txn\.held took no bytes .*disk full/);
    await held.discard();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a first-kept candidate the encoding cannot hold fails the spill and leaves no folder behind', async () => {
    const held = new HeldCandidates<unknown>(32);
    held.add({ i: 0 });
    held.add({ when: new Date(0) }); // kept as an object: not encoded until the spill
    await expect(held.spill(dir)).rejects.toThrow(/cannot hold a value of type \[object Date\]/);
    expect(readdirSync(dir)).toEqual([]);
    await held.discard();
  });

  it('a spill folder that cannot be written is an error, and leaves nothing behind', async () => {
    const held = new HeldCandidates<unknown>(0);
    held.add({ i: 0 });
    await expect(held.spill(join(dir, 'no-such-folder'))).rejects.toThrow(/held candidates: cannot create a spill folder in .*no-such-folder \(ENOENT.*choose a writable spill folder/);
    expect(readdirSync(dir)).toEqual([]);
    // Still in memory: nothing was lost.
    expect([...held.takeInMemory()]).toEqual([{ i: 0 }]);
  });
});

describe('HeldCandidates when the process ends before the scan does', () => {
  // A child process (node --import tsx) spills one transaction, says where, then is stopped.
  const child = async (end: 'SIGINT' | 'SIGTERM' | 'exit' | 'handled'): Promise<{ folder: string; left: string[]; code: number | null; signal: string | null }> => {
    const { spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { pathToFileURL } = await import('node:url');
    const script = join(dir, `child-${end}.mts`);
    const spillDir = mkdtempSync(join(dir, 'child-'));
    const src = pathToFileURL(join(process.cwd(), 'src/recover/held-candidates.ts')).href;
    writeFileSync(script, [
      `import { HeldCandidates } from ${JSON.stringify(src)};`,
      `const held = new HeldCandidates(0);`,
      `for (let i = 0; i < 100; i++) held.add({ i, img: new Uint8Array(100) });`,
      `await held.spill(${JSON.stringify(spillDir)});`,
      `console.log('spilled ' + (await import('node:fs')).readdirSync(${JSON.stringify(spillDir)}).join(','));`,
      // 'handled': the application has a SIGINT handler of its own (serve's graceful close), registered after the spill.
      end === 'handled' ? `process.once('SIGINT', () => setTimeout(() => process.exit(5), 100));` : '',
      end === 'exit' ? `process.exit(3);` : `setInterval(() => {}, 1000);`,
    ].join('\n'));
    // node --import tsx (not the tsx CLI, which runs the script in a process of its own and relays signals).
    const p = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let folder = '';
    p.stdout.on('data', (d: Buffer) => {
      const m = /spilled (.*)/.exec(d.toString());
      if (m) {
        folder = m[1]!.trim();
        if (end !== 'exit') p.kill(end === 'handled' ? 'SIGINT' : end);
      }
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((res) => p.on('exit', (c, s) => res([c, s])));
    const left = readdirSync(spillDir);
    rmSync(spillDir, { recursive: true, force: true });
    rmSync(script, { force: true });
    return { folder, left, code, signal };
  };

  for (const end of ['SIGINT', 'SIGTERM', 'exit', 'handled'] as const) {
    it(`${end}: the spill folder is removed and the process still ends as it would have`, async () => {
      // Before: the folder (a mass delete's gigabytes) stayed in the temporary folder.
      const r = await child(end);
      expect(r.folder).toMatch(/^rowback-spill-[^,]+$/);
      expect(r.left).toEqual([]);
      if (end === 'exit') expect([r.code, r.signal]).toEqual([3, null]);
      else if (end === 'handled') expect([r.code, r.signal]).toEqual([5, null]); // the application's handler kept the signal
      else expect(r.signal).toBe(end);
    }, 60_000);
  }
});
