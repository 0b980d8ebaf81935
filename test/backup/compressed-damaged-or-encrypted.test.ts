import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { payloadCheck } from '../../src/backup/compressed.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

/**
 * A compressed backup chunk whose check value matches but which does not decompress was refused
 * as "probably encrypted (BACKUP … WITH ENCRYPTION)". The check value (rotl-1/XOR of the payload's
 * words) misses a bit flipped in one word with the next bit up flipped in the next: two flipped bits
 * of a damaged copy were called encryption. Now the refusal names the chunk's offset and says damaged
 * or encrypted cannot be told apart.
 */
it.skipIf(!corpusAvailable)('SYNTHETIC: two flipped bits that keep the check value are said damaged or encrypted, with the chunk offset, not "probably encrypted"', () => {
  const b = Buffer.from(readFileSync(corpusPath('TSQLV4-compressed/TSQLV4.bak')));
  const at = 0x2000; // an Xpress record (kind 0x21) of TSQLV4.bak
  expect(b[at]).toBe(0x21);
  const len = b.readUInt16LE(at + 2);
  const p = at + 28;
  b.writeUInt32LE((b.readUInt32LE(p) ^ 1) >>> 0, p);
  b.writeUInt32LE((b.readUInt32LE(p + 4) ^ 2) >>> 0, p + 4);
  // the check value is kept by the damage
  expect(payloadCheck(b.subarray(p, p + len), len)).toBe(b.readUInt32LE(at + 24));
  const dir = mkdtempSync(join(tmpdir(), 'rowback-two-bits-'));
  try {
    const file = join(dir, 'two-bits.bak');
    writeFileSync(file, b);
    let e: { code?: string; message: string } | undefined;
    try {
      readMtfLayout(file);
    } catch (x) {
      e = x as { code?: string; message: string };
    }
    expect(e?.code).toBe('FORMAT_BAD_COMPRESSED_DATA');
    expect(e!.message).toContain(`the compressed chunk at offset ${at} passes its check value but does not decompress`);
    expect(e!.message).toMatch(/it is damaged .* or the backup is encrypted \(BACKUP … WITH ENCRYPTION, which rowback cannot read\), and the two cannot be told apart here/);
    expect(e!.message).not.toMatch(/probably encrypted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
