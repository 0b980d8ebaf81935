/**
 * SYNTHETIC damage at test time: a copy of a real corpus file (read from the corpus, never written
 * to the repo) at `to`, with `edit` applied to its bytes. The shape two damage tests of log backups
 * wrote each (duplicates, session 21).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';
import { pageChecksum } from '../../src/datafile/page.js';
import { BLOCK_CHECKSUM_OFFSET, OPERATION_NAMES } from '../../src/logreader/ldf/constants.js';
import { logBlockChecksum } from '../../src/logreader/ldf/structures.js';

export function damagedCopy(src: string, to: string, edit: (b: Buffer) => void): string {
  const b = Buffer.from(readFileSync(src));
  edit(b);
  writeFileSync(to, b);
  return to;
}

/**
 * File offsets of the stream data of backup set `set`'s two header copies (SQL Server's configuration
 * stream after the MSCI block that opens the set and after the MSLS block that closes it:
 * src/backup/config-stream.ts), where the header-damage tests edit a copy. The shape four tests of
 * session 22 wrote each (duplicates D1, D5, D6).
 */
export function headerCopyOffsets(file: string, set = 1): { opening: number; closing: number } {
  const copies = readMtfLayout(file).streams.filter((s) => s.id === 'MQCI' && s.set === set);
  const opening = copies.find((s) => s.dblk === 'MSCI');
  const closing = copies.find((s) => s.dblk === 'MSLS');
  if (!opening || !closing) throw new Error(`${file}: backup set ${set} lacks one of its two header copies`);
  return { opening: opening.dataOffset, closing: closing.dataOffset };
}

/**
 * SYNTHETIC: a copy of the REAL backup `src` at `to` whose header, in both of backup set 1's copies
 * (headerCopyOffsets), states database name `toName` (UTF-16, as long as `fromName`) instead of
 * `fromName`: a backup of the same binding id under another name, as a database renamed between its
 * backups (ALTER DATABASE … MODIFY NAME) or attached from copies of another's files gives. Throws
 * when a header copy does not hold `fromName` within its first 1,024 bytes.
 */
export function renamedDatabaseCopy(src: string, to: string, fromName: string, toName: string): string {
  if (toName.length !== fromName.length) throw new Error(`renamedDatabaseCopy: ${toName} is not as long as ${fromName}`);
  const { opening, closing } = headerCopyOffsets(src);
  return damagedCopy(src, to, (b) => {
    for (const base of [opening, closing]) {
      const at = b.indexOf(Buffer.from(fromName, 'utf16le'), base);
      if (at < 0 || at - base > 1024) throw new Error(`${src}: no database name ${fromName} in the header copy at ${base}`);
      Buffer.from(toName, 'utf16le').copy(b, at);
    }
  });
}

/** The highest operation code rowback does not know (OPERATION_NAMES), for SYNTHETIC unknown-op records. */
export const UNKNOWN_OP_CODE = [...Array(256).keys()].reverse().find((c) => !OPERATION_NAMES.has(c))!;

/**
 * SYNTHETIC: a copy of the REAL StopAt_2.trn (corpus appveyor-lab/sql2008-backups/StopAt) at `to` whose
 * inserts at 00000013:000000b7:0002 (record at offset 7832, in the 512-byte log block at 7680) and
 * 00000013:000000b8:0002 (8344, block at 8192) carry UNKNOWN_OP_CODE in their operation byte (@22),
 * each block's log block checksum (@24) recomputed so the blocks read whole — as a record of an
 * operation a newer SQL Server writes would read. Throws when the bytes there are not the inserts
 * (LOP_INSERT_ROWS, 2) this was made for. The set-up three unknown-operation tests wrote each.
 */
export function unknownOperationCopy(stopAt2: string, to: string): string {
  return damagedCopy(stopAt2, to, (b) => {
    for (const [block, rec] of [[7680, 7832], [8192, 8344]] as const) {
      if (b[rec + 22] !== 2) throw new Error(`${stopAt2}: offset ${rec + 22} holds operation ${b[rec + 22]}, not LOP_INSERT_ROWS (2): not the corpus's StopAt_2.trn`);
      b[rec + 22] = UNKNOWN_OP_CODE;
      b.writeUInt32LE(logBlockChecksum(b, block, 512), block + BLOCK_CHECKSUM_OFFSET);
    }
  });
}

/**
 * SYNTHETIC edit of a copy of the corpus's StopAt chain (2020-05-12): the commit of `file` that ended
 * at `was` ends at `now` (times in datetime ticks since midnight, 1/300 s). Its End Time (ticks, then
 * days since 1900-01-01) is the last place those 8 bytes stand in the file (the transaction's
 * LOP_BEGIN_XACT, earlier in the same one-sector block, holds the same time as its Begin Time); the
 * block's checksum is computed again. Throws (an expect) when the file holds no such time.
 */
export function setCommitEndTime(file: string, was: number, now: number, day = STOP_AT_DAY): void {
  const b = readFileSync(file);
  const pattern = Buffer.alloc(8);
  pattern.writeUInt32LE(was, 0);
  pattern.writeInt32LE(day, 4);
  const at = b.lastIndexOf(pattern);
  expect(at, `${file}: End Time ${was}`).toBeGreaterThan(0);
  b.writeUInt32LE(now, at);
  const block = at - (at % 512);
  b.writeUInt32LE(logBlockChecksum(b, block, 512), block + BLOCK_CHECKSUM_OFFSET);
  writeFileSync(file, b);
}

/** 2020-05-12, the StopAt chain's day: days since 1900-01-01, as SQL Server's datetime counts them. */
export const STOP_AT_DAY = 43961;


/**
 * SYNTHETIC damage: overwrites `length` bytes of `b` at `at` with seeded pseudo-random bytes
 * (xorshift32 seeded by the offset: the same damage on every run), standing for a block of a copy
 * overwritten by other data (not zeros).
 */
export function overwriteSeeded(b: Buffer, at: number, length: number): void {
  let x = 0x2545f491 ^ at;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[at + i] = x & 0xff;
  }
}

/** The error readMtfLayout throws for `file` (its code and message), or null when the file reads. */
export function mtfRefusal(file: string): { code?: string; message: string } | null {
  try {
    readMtfLayout(file);
  } catch (e) {
    return e as { code?: string; message: string };
  }
  return null;
}

/**
 * SYNTHETIC: a copy of the REAL pubs-2012 pubs.bak at `to` whose catalog gives dbo.authors.au_lname
 * a collation id rowback does not know (2147483647, written over the column's 0x0000d028 in every
 * syscolpars row naming it), each page's checksum recomputed (page.ts pageChecksum): every row of
 * dbo.authors then carries a warning. The set-up three tests wrote each (duplicates D2/D6, session 38):
 * diff --strict, diff --report and the restore job's INCOMPLETE.
 */
export function pubsWithUnknownCollation(pubs: string, to: string): string {
  return damagedCopy(pubs, to, (b) => {
    const name = Buffer.from('au_lname', 'utf16le');
    const known = Buffer.from('28d00000', 'hex'); // the column's collation id as pubs.bak holds it
    let n = 0;
    for (const s of readMtfLayout(pubs).streams.filter((x) => x.id === 'MQDA')) {
      const { start, end } = payloadRange(s);
      for (let at = b.indexOf(name, start); at >= 0 && at < end; at = b.indexOf(name, at + 1)) {
        const id = b.lastIndexOf(known, at);
        const page = start + Math.floor((at - start) / 8192) * 8192;
        if (id < page || at - id > 80 || b[page + 1] !== 1) continue;
        b.set([0xff, 0xff, 0xff, 0x7f], id);
        b.writeUInt32LE(pageChecksum(new Uint8Array(b.buffer, b.byteOffset + page, 8192)), page + 60);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
}
