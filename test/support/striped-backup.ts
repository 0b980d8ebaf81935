import { readFileSync } from 'node:fs';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';

/** Bytes of one extent (8 pages of 8 KiB): the unit the stripes below take in turn. */
const EXTENT_BYTES = 8 * 8192;

export interface StripeOptions {
  /** Stripes in the media set (the RAID stream's family count); 2 unless given. */
  count?: number;
  /**
   * Flip one byte of the SSET's BackupSetGUID (the first bytes of its OS-specific data, whose offset
   * is the TAPE_ADDRESS u16 at SSET + 46): the stripe of *another* backup written to the same media
   * set (BACKUP … WITH INIT keeps the media header).
   */
  otherBackupSetGuid?: boolean;
  /**
   * Append the stripe's own set again from its SSET block on, numbered set 2 (SSET "Data Set
   * Number", u16 at 62), as BACKUP … WITH NOINIT appends: a media set of stripes holding two sets.
   */
  appendAsSet2?: boolean;
}

/**
 * SYNTHETIC bytes made from a REAL single-file backup (the corpus holds no striped backup with every
 * stripe): stripe `seq` (1-based) of `count`, as `BACKUP … TO DISK = a, DISK = b` spreads one backup.
 * The RAID stream's family count (u16 at its data + 20) and family sequence number (u16 at + 22) are
 * set, and of every MQDA payload only this stripe's extents are kept (frames of one extent taken in
 * turn; the others zeroed). Sources of the layout: MTF 1.00a (SSET, streams) and the RAID/MQDA fields
 * as src/backup/mtf.ts reads them. Returns the file's bytes; never written to the repo.
 */
export function stripeOfBackup(file: string, seq: number, options: StripeOptions = {}): Buffer {
  const count = options.count ?? 2;
  if (!Number.isInteger(seq) || seq < 1 || seq > count) throw new Error(`stripe ${seq} of ${count}`);
  const orig = readFileSync(file);
  const layout = readMtfLayout(file);
  const raid = layout.streams.find((s) => s.id === 'RAID');
  const sset = layout.dblks.find((d) => d.type === 'SSET');
  if (!raid || !sset) throw new Error(`${file}: no RAID stream or SSET block`);
  const b = Buffer.from(orig);
  b.writeUInt16LE(count, raid.dataOffset + 20);
  b.writeUInt16LE(seq, raid.dataOffset + 22);
  for (const { start, end } of layout.streams.filter((s) => s.id === 'MQDA' && s.length > 0).map(payloadRange)) {
    for (let at = start, frame = 0; at < end; at += EXTENT_BYTES, frame++) {
      if (frame % count !== seq - 1) b.fill(0, at, Math.min(at + EXTENT_BYTES, end));
    }
  }
  if (options.otherBackupSetGuid) b[sset.offset + b.readUInt16LE(sset.offset + 46)] ^= 0xff;
  if (!options.appendAsSet2) return b;
  const again = Buffer.from(b.subarray(sset.offset));
  again.writeUInt16LE(2, 62);
  return Buffer.concat([b, again]);
}

/**
 * Only the RAID stream's family count and sequence set (no extents zeroed): a copy that *says* it is
 * stripe `seq` of `count`, for tests of how stripes are found and ordered, not read. SYNTHETIC, as above.
 */
export function relabelledAsStripe(file: string, seq: number, count = 2): Buffer {
  const raid = readMtfLayout(file).streams.find((s) => s.id === 'RAID');
  if (!raid) throw new Error(`${file}: no RAID stream`);
  const b = Buffer.from(readFileSync(file));
  b.writeUInt16LE(count, raid.dataOffset + 20);
  b.writeUInt16LE(seq, raid.dataOffset + 22);
  return b;
}
