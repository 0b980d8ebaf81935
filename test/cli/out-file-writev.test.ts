import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutputFile } from '../../src/cli/files.js';
import { InputError } from '../../src/errors.js';

// openOutputFile hands every chunk waiting in its buffer to the file at once (writev): the bytes,
// their order and a failed write's one-line error must be what one chunk at a time gave.
const dir = mkdtempSync(join(tmpdir(), 'rowback-writev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` chunks of 64 KB, each filled with its own index (mod 251) so a reordering shows. */
function chunks(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.alloc(64 * 1024, i % 251));
}

describe('--out file: chunks written together', () => {
  it('many chunks written without waiting reach the file whole and in order', async () => {
    const path = join(dir, 'out.bin');
    const out = openOutputFile('--out', path);
    // the Writable's own writev hook: count that the chunks did go together
    const w = out as unknown as { _writev: (chunks: unknown[], cb: unknown) => void };
    const writev = w._writev.bind(out);
    let together = 0;
    w._writev = (cs, cb) => {
      together = Math.max(together, cs.length);
      writev(cs, cb);
    };
    const all = chunks(40);
    for (const c of all) out.write(c); // no await: they queue in the 1 MB buffer, then go as writev
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    expect(readFileSync(path).equals(Buffer.concat(all))).toBe(true);
    expect(together).toBeGreaterThan(1);
  });

  (existsSync('/dev/full') ? it : it.skip)('a full disk under many queued chunks: the ENOSPC error naming the flag and path', async () => {
    const out = openOutputFile('--out', '/dev/full');
    const errors: Error[] = [];
    for (const c of chunks(40)) out.write(c, (e) => { if (e) errors.push(e); });
    const ended = await new Promise<Error | null | undefined>((resolve) => out.end((e?: Error | null) => resolve(e)));
    const first = errors[0] ?? ended;
    expect(first).toBeInstanceOf(InputError);
    expect((first as InputError).message).toMatch(/^--out \/dev\/full: writing failed: ENOSPC \(no space left on device\); the file holds only part of the result/);
  });
});
