/**
 * Microsoft Tape Format (MTF 1.00a) as SQL Server writes it to .bak/.trn files.
 *
 * Facts used (MTF 1.00a specification, "Common Block Header", "TAPE", "SSET", "ESET",
 * "Stream Header", "MTF_DATE_TIME"; checked against every backup in the corpus):
 * - A file is a sequence of descriptor blocks (DBLKs), each followed by streams. In SQL Server
 *   backups DBLKs sit on 512-byte/1 KB boundaries (TAPE@0, SFMB@1024, SSET@1536, VOLB@2560, ...).
 * - Common block header (52 bytes): type (4 ASCII) @0, attributes u32 @4, offset to first event
 *   (first stream) u16 @8, OS id u8 @10, OS version u8 @11, displayable size u64 @12, format logical
 *   address u64 @20, control block id u32 @36, OS-specific data TAPE_ADDRESS @44, string type u8 @48
 *   (1 = ANSI, 2 = Unicode), header checksum u16 @50 (XOR of the 25 words before it; checked).
 * - TAPE_ADDRESS = u16 size, u16 offset (from the start of the DBLK).
 * - Stream header (22 bytes): id (4 ASCII) @0, file-system attributes u16 @4, media-format attributes
 *   u16 @6, stream length u64 @8, data encryption algorithm u16 @16, data compression algorithm
 *   u16 @18, checksum u16 @20 (XOR of the 10 words before it; checked). Streams are 4-byte aligned;
 *   SPAD pads up to the next DBLK.
 * - MTF_DATE_TIME: 5 bytes, a 40-bit big-endian bit field: year 14, month 4, day 5, hour 5,
 *   minute 6, second 6.
 * SQL Server's own DBLKs and streams (seen in the corpus, FORMAT-NOTES §4): MSCI + MQCI
 * (configuration info: the SCIN/SFGI/SFIN records), MSDA + MQDA (database pages), MSTL + MQTL
 * (log blocks, one MSTL per VLF), and RAID after TAPE.
 */
import { configCopiesDisagreements, configRecords, judgeHeaderCopyLsns } from './config-stream.js';
import { readLogStreamEdges } from './log-edges.js';
import { FormatError } from '../errors.js';
import type { SkippedItem } from '../util/skipped-item.js';
import { openBackupBytes, type BackupBytes } from './bytes.js';
import { COMPRESSED_MAGIC } from './compressed.js';
import { backupMagic } from '../util/backup-magic.js';
import { logTextHint } from '../util/log-text-kind.js';
import { maxOf } from '../util/append-all.js';

export { COMPRESSED_MAGIC };

/** Largest configuration stream compared (bytes): the corpus's are 1.4–3.7 KB; a damaged length is not read whole. */
const MAX_CONFIG_STREAM = 1 << 20;

export const DBLK_TYPES = new Set(['TAPE', 'SSET', 'VOLB', 'DIRB', 'FILE', 'CFIL', 'ESPB', 'ESET', 'EOTM', 'SFMB', 'MSCI', 'MSDA', 'MSTL', 'MSLS']);
export const COMMON_HEADER_SIZE = 52;
export const STREAM_HEADER_SIZE = 22;

export interface Dblk {
  type: string;
  /** 1-based backup set (Position) the block belongs to: SSET n starts set n; TAPE is set 0. */
  set: number;
  offset: number;
  attributes: number;
  firstEvent: number;
  stringType: number;
  /** The DBLK's bytes up to its first stream (enough for every field rowback reads). */
  bytes: Uint8Array;
}

export interface StreamHeader {
  id: string;
  /** File offset of the stream header. */
  offset: number;
  /** File offset of the stream data (header + 22). */
  dataOffset: number;
  length: number;
  encryption: number;
  compression: number;
  /** The DBLK the stream follows. */
  dblk: string;
  /** 1-based backup set (Position). */
  set: number;
  /** True when the file ends inside the stream (a partial copy): `length` is what the file holds. */
  truncated?: boolean;
}

/**
 * The media set a backup file belongs to (RESTORE LABELONLY's MediaSetId, FamilyCount,
 * FamilySequenceNumber), read from SQL Server's RAID stream after the TAPE DBLK. Layout of its
 * 32 data bytes located on the corpus (every single-file backup has family count 1; the
 * Northwind-stripe file, one stripe of two, has 2): @0 the 16-byte media set GUID, @20 u16
 * family count, @22 u16 family sequence number (1-based), @24 u16 media sequence number.
 */
export interface MediaSet {
  mediaSetGuid: string;
  familyCount: number;
  familySequence: number;
  mediaSequence: number;
}

export interface MtfLayout {
  file: string;
  /** Size of the MTF stream (the file size, or the decompressed size of a compressed backup). */
  size: number;
  /** For a compressed backup (MSSQLBAK): its size on disk and number of compressed chunks. */
  compressed: { fileSize: number; chunks: number } | null;
  /** TAPE DBLK @52: the media family id (MTF 1.00a); one per stripe of a media set. */
  mediaFamilyId: number | null;
  mediaSet: MediaSet | null;
  /** Number of backup sets in the file (backups appended WITH NOINIT add sets). */
  sets: number;
  dblks: Dblk[];
  streams: StreamHeader[];
  /**
   * Damage found while walking: a file cut short inside a stream or block, or bytes that are
   * neither. The walk stops there; everything before it stays readable (a partial copy of a
   * backup still yields its header and the pages/log it holds).
   */
  problems: SkippedItem[];
  /**
   * Per backup set (Position): the copy of its configuration stream its header is read from
   * (config-stream.ts judgeHeaderCopyLsns); a set not listed is read from the closing copy when the
   * file holds it whole, else the opening one.
   */
  headerCopy?: Record<number, 'opening' | 'closing'>;
}

/**
 * Code of a WARNING about a backup set's header whose set is still used: one copy of its header is
 * damaged in a field no restore reads (the server name), or in its LSNs where the log stream tells
 * which copy is the backup's (config-stream.ts). Commands say it on stderr (also with --quiet), in
 * json, and exit 3 under --strict; it is not a loss (the result is not INCOMPLETE for it). Its
 * location (as a FORMAT_BAD_BACKUP_HEADER's) is the field in the copy NOT read: the one judged
 * damaged, or set aside where no log stream tells; the reason names both copies' offsets.
 */
export const BACKUP_HEADER_WARNING = 'BACKUP_HEADER_WARNING';

export function ascii4(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function isUpperId(s: string): boolean {
  return /^[A-Z]{4}$/.test(s);
}

/** MTF_DATE_TIME (5 bytes) → `YYYY-MM-DDTHH:MM:SS` (local time of the writing machine), null when all zero. */
export function mtfDate(b: Uint8Array, at: number): string | null {
  let v = 0;
  for (let i = 0; i < 5; i++) v = v * 256 + b[at + i];
  if (v === 0) return null;
  const sec = v % 64;
  v = Math.floor(v / 64);
  const min = v % 64;
  v = Math.floor(v / 64);
  const hour = v % 32;
  v = Math.floor(v / 32);
  const day = v % 32;
  v = Math.floor(v / 32);
  const month = v % 16;
  const year = Math.floor(v / 16);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(year, 4)}-${p(month)}-${p(day)}T${p(hour)}:${p(min)}:${p(sec)}`;
}

/** A TAPE_ADDRESS string of a DBLK (Unicode when stringType is 2). */
export function tapeString(d: Dblk, at: number): string | null {
  const v = new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength);
  if (at + 4 > d.bytes.length) return null;
  const size = v.getUint16(at, true);
  const off = v.getUint16(at + 2, true);
  if (size === 0 || off + size > d.bytes.length) return null;
  const raw = d.bytes.subarray(off, off + size);
  return (d.stringType === 2 ? new TextDecoder('utf-16le') : new TextDecoder('latin1')).decode(raw).replace(/\0+$/, '');
}

/**
 * A header value in a message, in double quotes as read: a server name's backslash shown once
 * (`"JUMPBOX\SQL2008R2"`; JSON.stringify doubled it, a name no server has), only quotes and
 * control characters escaped.
 */
function quoted(v: unknown): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  return `"${v.replace(/["\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))}"`;
}

/**
 * Walks the DBLKs and stream headers of a backup without reading stream data. A compressed
 * backup (`MSSQLBAK`) is walked through its decompressed MTF stream (`compressed.ts`). Throws
 * FORMAT_COMPRESSED_BACKUP for a compressed container rowback does not understand and for MTF
 * streams/sets marked with MTF software compression, FORMAT_ENCRYPTED_BACKUP for encrypted ones,
 * FORMAT_NOT_A_BACKUP when the stream does not start with a TAPE DBLK, FORMAT_BAD_MTF when it starts
 * with one whose type bytes are damaged (`damagedTapeBlock`: the checksum says TAPE). Damage after that (a
 * cut-short copy) is listed in `problems`, not thrown.
 */
export function readMtfLayout(path: string, bytes?: BackupBytes): MtfLayout {
  if (bytes) return walk(bytes, path);
  const b = openBackupBytes(path);
  try {
    return walk(b, path);
  } finally {
    b.close();
  }
}

function walk(src: BackupBytes, path: string): MtfLayout {
  const size = src.size;
  const head = Buffer.alloc(1024);
  const read = (at: number, n: number): Buffer => {
    const b = n <= head.length ? head : Buffer.alloc(n);
    const got = src.readSync(b, 0, n, at);
    return b.subarray(0, got);
  };
  const first = read(0, 8);
  if (first.length < 4 || ascii4(first, 0) !== 'TAPE') {
    // The first block's type bytes damaged (one bit: TAPE → TAPD): its header checksum still says TAPE.
    const damaged = damagedTapeBlock(read(0, COMMON_HEADER_SIZE));
    if (damaged) throw new FormatError('FORMAT_BAD_MTF', `this file is ${damaged}; rowback does not read a backup whose TAPE block is damaged: read another copy of this backup`, { file: path, offset: 0 });
    // A data or log file given where a backup was expected (an .ldf as --trn, an .mdf as --bak): page 0 is a file header page (header version 1, type 15).
    // Which of the two: a log has its first VLF header (0xAB) at 0x2000, a data file its PFS page.
    // Said plainly, with where each goes (dump and diff, which read no .ldf, were told "--ldf").
    let hint = '';
    if (first.length >= 2 && first[0] === 1 && first[1] === 15) {
      const at = read(0x2000, 1);
      hint = at.length === 1 && at[0] === 0xab
        ? ': it is a SQL Server transaction log file (.ldf), not a backup; `rowback scan --ldf` and `rowback log` read it (point-in-time replay needs log backups)'
        : ': it is a SQL Server data file (.mdf/.ndf), not a backup; give it with --mdf (diff: --after-mdf)';
    }
    throw new FormatError('FORMAT_NOT_A_BACKUP', `not a Microsoft Tape Format backup: it does not start with a TAPE descriptor block${hint || logTextHint(path)}`, { file: path, offset: 0 });
  }
  const dblks: Dblk[] = [];
  const streams: StreamHeader[] = [];
  const problems: SkippedItem[] = [];
  let pos = 0;
  let current = 'TAPE';
  let set = 0;
  // SPAD pads up to the next DBLK, so whatever follows it is a DBLK even when its type is one
  // rowback has not met yet (SQL Server adds its own, e.g. MSLS before the closing MQCI).
  let afterPad = true;
  try {
  while (pos + 4 <= size) {
    const h = read(pos, Math.min(COMMON_HEADER_SIZE, size - pos));
    const id = h.length >= 4 ? ascii4(h, 0) : '';
    const isDblk = DBLK_TYPES.has(id) || (afterPad && isUpperId(id));
    afterPad = false;
    if (isDblk) {
      if (h.length < COMMON_HEADER_SIZE) {
        problems.push({ code: 'FORMAT_BAD_MTF', reason: `${id} descriptor block cut short by the end of the file`, location: { file: path, offset: pos } });
        break;
      }
      if (!headerChecksumOk(h, COMMON_HEADER_SIZE - 2)) {
        problems.push({ code: 'FORMAT_BAD_MTF', reason: `${id} descriptor block header checksum 0x${h.readUInt16LE(50).toString(16).padStart(4, '0')} does not match its bytes (0x${xorWords(h, 50).toString(16).padStart(4, '0')}): the block is damaged; the rest of the file is not read`, location: { file: path, offset: pos } });
        break;
      }
      const firstEvent = h.readUInt16LE(8);
      // Up to 1 KB (a DBLK and its strings; what follows the first event is not used).
      const bytes = Buffer.from(read(pos, Math.min(1024, size - pos)));
      if (id === 'SSET') set++;
      const d: Dblk = { type: id, set, offset: pos, attributes: h.readUInt32LE(4), firstEvent, stringType: h[48], bytes };
      dblks.push(d);
      current = id;
      if (id === 'SSET' && bytes.length >= 60) {
        // SSET @56: password encryption algorithm, @58: software compression algorithm (MTF 1.00a).
        const enc = bytes.readUInt16LE(56);
        const comp = bytes.readUInt16LE(58);
        if (enc !== 0) throw new FormatError('FORMAT_ENCRYPTED_BACKUP', `this backup set is encrypted (SSET password encryption algorithm ${enc}); rowback cannot read encrypted backups`, { file: path, offset: pos });
        if (comp !== 0) throw new FormatError('FORMAT_COMPRESSED_BACKUP', `this backup set is compressed (SSET software compression algorithm ${comp}); rowback reads uncompressed backups only`, { file: path, offset: pos });
      }
      if (firstEvent === 0) break;
      pos += firstEvent;
      continue;
    }
    if (isUpperId(id) && h.length >= STREAM_HEADER_SIZE) {
      if (!headerChecksumOk(h, STREAM_HEADER_SIZE - 2)) {
        problems.push({ code: 'FORMAT_BAD_MTF', reason: `stream header ${JSON.stringify(id)} checksum 0x${h.readUInt16LE(20).toString(16).padStart(4, '0')} does not match its bytes (0x${xorWords(h, 20).toString(16).padStart(4, '0')}): its name or length is damaged; the rest of the file is not read`, location: { file: path, offset: pos } });
        break;
      }
      const length = Number(h.readBigUInt64LE(8));
      const s: StreamHeader = { id, offset: pos, dataOffset: pos + STREAM_HEADER_SIZE, length, encryption: h.readUInt16LE(16), compression: h.readUInt16LE(18), dblk: current, set };
      if (s.encryption !== 0) throw new FormatError('FORMAT_ENCRYPTED_BACKUP', `stream ${id} is encrypted (algorithm ${s.encryption}); rowback cannot read encrypted backups`, { file: path, offset: pos });
      if (s.compression !== 0) throw new FormatError('FORMAT_COMPRESSED_BACKUP', `stream ${id} is compressed (algorithm ${s.compression}); rowback reads uncompressed backups only`, { file: path, offset: pos });
      if (s.dataOffset + length > size) {
        problems.push({ code: 'FORMAT_BAD_MTF', reason: `stream ${id} of ${length} bytes is cut short by the end of the file (${size - s.dataOffset} bytes present): a partial copy`, location: { file: path, offset: pos } });
        s.length = Math.max(0, size - s.dataOffset);
        s.truncated = true;
        streams.push(s);
        break;
      }
      streams.push(s);
      pos = align4(s.dataOffset + length);
      afterPad = id === 'SPAD';
      continue;
    }
    // Neither a DBLK nor a stream: the end of the media (zeros) or damage.
    if (h.every((x) => x === 0)) break;
    problems.push({ code: 'FORMAT_BAD_MTF', reason: `no descriptor block or stream header where one was expected (found ${JSON.stringify(id)}); the rest of the file is not read`, location: { file: path, offset: pos } });
    break;
  }
  } catch (e) {
    // A compressed backup's chunk holding the block or stream header the walk reads next fails its
    // check value or does not decompress (compressed.ts), after a data stream (MQDA) was read whole:
    // the walk stops there as at any damaged header of an uncompressed backup (a problem, not
    // thrown), so that what it read before stands and the commands judge the damage by where it
    // lies (backupDamageNotes, trailerOnly, choosePosition: a further set's or data blocks after it
    // still refuse). Thrown, it refused every command on the file: one flipped bit in the chunk
    // holding TSQLV4.bak's log stream refused dump, whose data pages all lie before it. Before any
    // whole data stream it is thrown as it was (the file offset of the chunk in its location).
    if (!(e instanceof FormatError) || e.code !== 'FORMAT_BAD_COMPRESSED_DATA' || !streams.some((x) => x.id === 'MQDA' && !x.truncated)) throw e;
    problems.push({ code: 'FORMAT_BAD_MTF', reason: `the compressed chunk holding the block expected at this offset cannot be read (${e.message}, file offset ${e.location.offset ?? 'unknown'}): the copy is damaged there; the rest of the file is not read`, location: { file: path, offset: pos } });
  }
  // A file that ends on a block boundary before its last set's closing blocks (a copy cut at a
  // 512-byte boundary) gave the walk nothing to stop at: it ended at the end of the file with no
  // word (a log backup cut right after its log stream read as whole). Every backup of the corpus
  // (22 files, SQL Server 2005–2025) closes each set with an ESET block; a set without one was cut.
  if (!problems.length && set >= 1 && !dblks.some((d) => d.type === 'ESET' && d.set === set)) {
    // maxOf, not Math.max(...offsets): a backup's blocks and streams may outnumber the ~120,000 arguments V8 takes
    const lastKnown = maxOf([...dblks.map((d) => d.offset), ...streams.map((x) => x.offset)]);
    const where = pos + 4 > size ? `the file ends at offset ${size}` : `zeros stand at offset ${pos} where a block was expected`;
    problems.push({ code: 'FORMAT_BAD_MTF', reason: `${where}, before backup set ${set}'s closing blocks (no ESET block after its last block at offset ${lastKnown}): ${pos + 4 > size ? 'a cut-short copy; the rest of the file is missing' : 'the rest of the file is not read'}`, location: { file: path, offset: Math.min(pos, size) } });
  }
  trailerOnly(dblks, streams, problems);
  // Each set's header is written twice (the configuration stream after MSCI and after MSLS); damage
  // to one copy was read as the backup's header with no word (config-stream.ts). Which copy the
  // header is read from (headerCopy) is decided here, once per walk.
  const headerCopy: Record<number, 'opening' | 'closing'> = {};
  for (let n = 1; n <= set; n++) {
    const copies = streams.filter((x) => x.id === 'MQCI' && x.set === n && x.length > 0);
    const opening = copies[0];
    const closing = copies.find((x) => x !== opening && x.dblk === 'MSLS' && !x.truncated);
    if (!opening || !closing || opening.truncated || opening.length > MAX_CONFIG_STREAM || closing.length > MAX_CONFIG_STREAM) continue;
    const a = Buffer.from(read(opening.dataOffset, opening.length));
    const b = Buffer.from(read(closing.dataOffset, closing.length));
    if (a.length < opening.length || b.length < closing.length) continue;
    const twice = `backup set ${n}'s header is held twice (SQL Server's configuration stream at offset ${opening.dataOffset}, opening the set, and at offset ${closing.dataOffset}, closing it) and the two copies disagree on the`;
    const where = (at: number) => `(the field at offset ${opening.dataOffset + at} in the opening copy, ${closing.dataOffset + at} in the closing copy)`;
    const all = configCopiesDisagreements(a, b);
    const vital = all.find((d) => !d.cosmetic);
    // FirstLSN, LastLSN, CheckpointLSN: the copy the log stream agrees with (read only when they differ)
    const scinAt = configRecords(a).find((r) => r.tag === 'SCIN')?.bytes.byteOffset ?? a.byteOffset;
    const v = judgeHeaderCopyLsns(a, b, () => {
      // a read that fails (a damaged chunk of a compressed backup) tells no copy: said, not thrown from the walk
      try {
        return readLogStreamEdges(src, streams.filter((x) => x.id === 'MQTL' && x.set === n && x.length > 0).map(payloadRange));
      } catch (e) {
        return `its log stream could not be read: ${(e as Error)?.message ?? String(e)}`;
      }
    });
    headerCopy[n] = v.use;
    // Every item's location is the field in the copy NOT read (the other one is what rowback shows):
    // the copy judged damaged where the log stream tells (an LSN), else the one set aside. It named
    // the opening copy even when the closing copy was set aside as damaged.
    // Where neither copy is known right, that offset may be the intact copy's: every reason names
    // the field's offset in both copies (where()), which a damaged field a restore reads lacked.
    const setAside = (at: number) => (v.use === 'opening' ? closing : opening).dataOffset + at;
    if (vital) {
      problems.push({
        code: 'FORMAT_BAD_BACKUP_HEADER',
        reason: `${twice} ${vital.field} ${where(vital.at)}: ${quoted(vital.opening)} in the opening copy, ${quoted(vital.closing)} in the closing copy. One of them is damaged and rowback cannot tell which; it reads and shows the ${v.use} copy, so what this file says of itself (database, server, LSNs, files: only the first field that differs is named) may be wrong, and restore plan and point-in-time replays (dump --trn, diff) leave this backup set out, as a restore reads that field. Its log records and data pages are not in the header and are read as usual. Compare the header with another copy of this backup (rowback inspect COPY) or with msdb's backup history on the server`,
        location: { file: path, offset: setAside(vital.at) },
      });
    }
    const lsnAt = scinAt - a.byteOffset;
    if (v.problem && !vital) {
      const p = v.problem;
      const both = `${twice} ${p.field} ${where(lsnAt + p.at)}: ${quoted(p.opening)} in the opening copy, ${quoted(p.closing)} in the closing copy`;
      problems.push(p.severity === 'refuse'
        ? { code: 'FORMAT_BAD_BACKUP_HEADER', reason: `${both}; ${p.why}. rowback shows the closing copy's, which may be wrong, and restore plan and point-in-time replays (dump --trn, diff) leave this backup set out: its LSNs place it in the chain. Its log records and data pages are read as usual. Compare the header with another copy of this backup (rowback inspect COPY) or with msdb's backup history on the server`, location: { file: path, offset: setAside(lsnAt + p.at) } }
        : { code: BACKUP_HEADER_WARNING, reason: `${both}; ${p.why}. The set is used with the ${v.use} copy's LSNs`, location: { file: path, offset: setAside(lsnAt + p.at) } });
    }
    if (!vital) {
      for (const d of all.filter((x) => x.cosmetic)) {
        problems.push({
          code: BACKUP_HEADER_WARNING,
          reason: `${twice} ${d.field} ${where(d.at)}: ${quoted(d.opening)} in the opening copy, ${quoted(d.closing)} in the closing copy. One of them is damaged and rowback cannot tell which: the ${d.field} shown (the ${v.use} copy's) is uncertain. No restore, replay or chain check reads it, so the set is used as usual: nothing to do for a restore (the true ${d.field} is in another copy of this backup, rowback inspect COPY, or in msdb's backup history on the server)`,
          location: { file: path, offset: setAside(d.at) },
        });
      }
    }
  }
  const tape = dblks.find((d) => d.type === 'TAPE');
  const mediaFamilyId = tape && tape.bytes.length >= 56 ? Buffer.from(tape.bytes).readUInt32LE(52) : null;
  let mediaSet: MediaSet | null = null;
  const raid = streams.find((s) => s.id === 'RAID' && s.dblk === 'TAPE' && s.length >= 28);
  if (raid) {
    const r = read(raid.dataOffset, 28);
    if (r.length === 28) {
      mediaSet = { mediaSetGuid: guidText(r, 0), familyCount: r.readUInt16LE(20), familySequence: r.readUInt16LE(22), mediaSequence: r.readUInt16LE(24) };
    }
  }
  const compressed = src.compressed ? { fileSize: src.compressed.fileSize, chunks: src.compressed.chunks } : null;
  // A compressed backup is walked through its decompressed stream: its items' offsets are of that
  // stream, and where it ends is not where the file ends. Said so: TSQLV4.bak cut at 856,064 read
  // "the file ends at offset 7573504 … a cut-short copy", an offset 9 times the file's size.
  if (compressed) {
    const note = `offsets here are of the decompressed MTF stream of this compressed backup (${size} bytes); the file itself is ${compressed.fileSize} bytes`;
    for (const p of problems) {
      p.reason = `${p.reason
        .replace(/^the file ends at offset /, 'its decompressed stream ends at offset ')
        .replace(/ by the end of the file\b/g, ' by the end of its decompressed stream')}; ${note}`;
    }
  }
  return { file: path, size, compressed, mediaFamilyId, mediaSet, sets: set, dblks, streams, problems, headerCopy };
}

/**
 * A first descriptor block whose type bytes are not `TAPE` but whose header checksum (u16 @50, the
 * XOR of the 25 words before it) verifies when they are read as `TAPE`: a backup whose TAPE block
 * is damaged in its type bytes (one bit turns TAPE into TAPD), not some other file. Returns the
 * one-line finding (what the type bytes read, the checksum), or null when the checksum does not
 * say TAPE (then the file is not called a backup: a random file matches 1 time in 65,536 on the
 * checksum alone, so the block's first-event offset must also be one a DBLK can have, 52 bytes or
 * more). `head` is the first 52 bytes of the file (or of the decompressed MTF stream).
 */
export function damagedTapeBlock(head: Uint8Array): string | null {
  if (head.length < COMMON_HEADER_SIZE) return null;
  const type = String.fromCharCode(head[0], head[1], head[2], head[3]);
  if (type === 'TAPE') return null;
  const h = Buffer.from(head.subarray(0, COMMON_HEADER_SIZE));
  const stored = h.readUInt16LE(50);
  const firstEvent = h.readUInt16LE(8);
  h.write('TAPE', 0, 'latin1');
  if (xorWords(h, 50) !== stored || firstEvent < COMMON_HEADER_SIZE) return null;
  const hex = Buffer.from(head.subarray(0, 4)).toString('hex').toUpperCase();
  const shown = /^[\x20-\x7e]{4}$/.test(type) ? `${JSON.stringify(type)} (0x${hex})` : `0x${hex}`;
  return `a Microsoft Tape Format backup whose first descriptor block is damaged: its type bytes at offset 0 read ${shown} where a backup has "TAPE", and its header checksum 0x${stored.toString(16).padStart(4, '0')} matches its bytes only with "TAPE" there`;
}

/**
 * How a file's first bytes (at least 52 read from offset 0) start a backup: `TAPE` (MTF),
 * `MSSQLBAK` (compressed), `damaged TAPE` (a TAPE block whose type bytes are damaged, see
 * `damagedTapeBlock`), or null (not a backup). One test for every place that tells a backup from
 * other files (inspect, log, restore plan's folder walk, --mdf given a backup).
 */
export function backupStart(head: Uint8Array): 'TAPE' | 'MSSQLBAK' | 'damaged TAPE' | null {
  return backupMagic(head) ?? (damagedTapeBlock(head) ? 'damaged TAPE' : null);
}

/** Descriptor blocks that close a backup set (MTF 1.00a ESET, EOTM, SFMB, ESPB; SQL Server's MSLS, which follows a set's last data and log stream): after damage, they alone hide nothing of a set's pages or log. */
const CLOSING_DBLKS = new Set(['MSLS', 'ESET', 'EOTM', 'SFMB', 'ESPB']);

/**
 * What lies after damage at MTF-stream offset `from` of the backup at `path` (a walk that stopped
 * there sees nothing past it): the first well-formed descriptor block past `from` that opens or
 * holds a backup set's content (SSET, VOLB, DIRB, FILE, MSCI, MSDA, MSTL, …), and whether any
 * well-formed block was found at all. Well-formed: on a 512-byte boundary (every one of the 379
 * DBLKs of the corpus's 22 backups is), a type MTF or SQL Server names, its header checksum
 * holding and its first-event offset one a DBLK can have (0 or 52 or more): a random 512-byte
 * boundary passes 1 time in 65,536 on the checksum alone, after the type matched. Reads the rest of
 * the stream in 1 MB pieces, stopping at the first content block (this is the damage path only).
 * `only`: the first block of one of those types alone is looked for (e.g. 'SSET', a further set's
 * start). Results are kept per file, offset and `only` (the last 64), so asking again reads nothing.
 * Throws as openBackupBytes.
 */
export function blocksAfterDamage(path: string, from: number, only?: readonly string[]): { content: { type: string; offset: number } | null; anyBlock: boolean } {
  // One search per file and damage: a scan asks several times (the set choice, the header, the
  // pages), and each search may read the rest of a multi-GB backup.
  const key = `${path}\u0000${from}\u0000${only?.join(',') ?? ''}`;
  const known = afterDamageSeen.get(key);
  if (known) return known;
  const found = searchAfterDamage(path, from, only);
  if (afterDamageSeen.size >= 64) afterDamageSeen.clear();
  afterDamageSeen.set(key, found);
  return found;
}

const afterDamageSeen = new Map<string, { content: { type: string; offset: number } | null; anyBlock: boolean }>();

function searchAfterDamage(path: string, from: number, only?: readonly string[]): { content: { type: string; offset: number } | null; anyBlock: boolean } {
  const src = openBackupBytes(path);
  try {
    const size = src.size;
    const piece = 1 << 20;
    const buf = Buffer.alloc(piece + COMMON_HEADER_SIZE);
    let anyBlock = false;
    for (let at = (Math.floor(from / 512) + 1) * 512; at + COMMON_HEADER_SIZE <= size; at += piece) {
      const got = readAround(src, buf, Math.min(buf.length, size - at), at);
      for (let o = 0; o + COMMON_HEADER_SIZE <= got && o < piece; o += 512) {
        const type = ascii4(buf, o);
        if (!DBLK_TYPES.has(type)) continue;
        const h = buf.subarray(o, o + COMMON_HEADER_SIZE);
        const firstEvent = h.readUInt16LE(8);
        if (!headerChecksumOk(h, COMMON_HEADER_SIZE - 2) || (firstEvent !== 0 && firstEvent < COMMON_HEADER_SIZE)) continue;
        anyBlock = true;
        if (only === undefined ? !CLOSING_DBLKS.has(type) : only.includes(type)) return { content: { type, offset: at + o }, anyBlock };
      }
      if (got < Math.min(buf.length, size - at)) break;
    }
    return { content: null, anyBlock };
  } finally {
    src.close();
  }
}

/**
 * `src.readSync(buf, 0, n, at)`, except that the 512-byte pieces a compressed backup's damaged
 * chunk holds (FORMAT_BAD_COMPRESSED_DATA: its check value fails, or it does not decompress) are
 * read as zeros, which hold no block: the search for blocks after damage reads past that chunk to
 * the blocks after it, as it reads past unreadable bytes of an uncompressed file. Returns the bytes
 * read (n, or fewer at the end of the stream).
 */
function readAround(src: BackupBytes, buf: Buffer, n: number, at: number): number {
  try {
    return src.readSync(buf, 0, n, at);
  } catch (e) {
    if (!(e instanceof FormatError) || e.code !== 'FORMAT_BAD_COMPRESSED_DATA') throw e;
  }
  let got = 0;
  for (let o = 0; o < n; o += 512) {
    const k = Math.min(512, n - o);
    let r: number;
    try {
      r = src.readSync(buf.subarray(o, o + k), 0, k, at + o);
    } catch (e) {
      if (!(e instanceof FormatError) || e.code !== 'FORMAT_BAD_COMPRESSED_DATA') throw e;
      buf.fill(0, o, o + k);
      r = k;
    }
    got += r;
    if (r < k) break;
  }
  return got;
}

/** Code of damage in a set's closing blocks only (see `trailerOnly`): named, but no page or log record is lost. */
export const MTF_TRAILER_DAMAGED = 'FORMAT_BAD_MTF_TRAILER';

/**
 * Damage where the walk stopped that lies after the last set's MSLS block and its configuration
 * stream (MQCI), read whole: in every backup of the corpus (22 files, SQL Server 2005–2025,
 * compressed and striped ones) MSLS follows the set's last data (MSDA) and log (MSTL) stream and
 * only the closing blocks come after it (MQCI, SFMB, ESET + OTCP/TSMP, ESET, SFMB), so every page
 * and log record of the set was read. Damage after the closing blocks were all read (the SFMB after
 * the second ESET) is not in them: it stays FORMAT_BAD_MTF (the blocks of a further set). Such a problem's code becomes MTF_TRAILER_DAMAGED (not a
 * loss: scan is not INCOMPLETE for it), its reason saying so and what is unknown: the ESET's
 * backup finish date (RESTORE HEADERONLY BackupFinishDate): restore planning uses the set, said
 * in a note, and refuses only a --stop-at time it cannot place for want of that date). Further sets after the damage stay unseen, as for any damage
 * (`choosePosition`).
 */
function trailerOnly(dblks: Dblk[], streams: StreamHeader[], problems: SkippedItem[]): void {
  const lastSet = maxOf(dblks.map((d) => d.set), 0);
  const msls = dblks.filter((d) => d.type === 'MSLS' && d.set === lastSet).pop();
  if (!msls) return;
  const closing = streams.find((x) => x.id === 'MQCI' && x.dblk === 'MSLS' && x.set === lastSet && x.offset > msls.offset && !x.truncated);
  if (!closing) return;
  // the closing blocks all read (two ESETs, then SFMB): damage after them is not in them (another set's blocks)
  const esets = dblks.filter((d) => d.type === 'ESET' && d.set === lastSet && d.offset > msls.offset);
  if (esets.length >= 2 && dblks.some((d) => d.type === 'SFMB' && d.set === lastSet && d.offset > esets[1].offset)) return;
  const end = closing.dataOffset + closing.length;
  for (const p of problems) {
    if (p.code !== 'FORMAT_BAD_MTF' || p.location.offset === undefined || p.location.offset < end) continue;
    p.code = MTF_TRAILER_DAMAGED;
    p.reason = `${p.reason}; it lies in the closing blocks of backup set ${lastSet}, after its MSLS block (offset ${msls.offset}) and configuration stream, read whole, which follow its last data and log stream: no page or log record is lost, only what the closing blocks hold (the ESET's backup finish date) is unknown`;
  }
}

/**
 * The MTF header checksum: the XOR of the little-endian u16 words before it (MTF 1.00a, "Common
 * Block Header": header checksum u16 @50 over the first 25 words; "Stream Header": checksum u16
 * @20 over the first 10). Every DBLK and stream header of the corpus's 22 backups holds it
 * (test/backup/mtf-checksum.test.ts).
 */
export function xorWords(h: Uint8Array, end: number): number {
  let x = 0;
  for (let i = 0; i < end; i += 2) x ^= h[i] | (h[i + 1] << 8);
  return x;
}

function headerChecksumOk(h: Uint8Array, at: number): boolean {
  return xorWords(h, at) === (h[at] | (h[at + 1] << 8));
}

/** SQL Server's uniqueidentifier text form (first three groups little-endian). */
export function guidText(x: Uint8Array, at: number): string {
  const h = (i: number) => x[at + i].toString(16).padStart(2, '0');
  const r = (...idx: number[]) => idx.map(h).join('');
  return `${r(3, 2, 1, 0)}-${r(5, 4)}-${r(7, 6)}-${r(8, 9)}-${r(10, 11, 12, 13, 14, 15)}`.toUpperCase();
}

/** The streams of one backup set (Position, 1-based); FORMAT_NO_SUCH_BACKUP_SET when the file has fewer sets. */
export function streamsOfSet(layout: MtfLayout, position: number): StreamHeader[] {
  if (position < 1 || position > layout.sets) {
    // the walk stopped at damage before the set: say that, not that the file holds fewer sets
    if (position >= 1) throwIfDamaged(layout, `backup set ${position} could not be reached`);
    throw new FormatError('FORMAT_NO_SUCH_BACKUP_SET', `backup set ${position} requested; ${layout.file} holds ${layout.sets}`, { file: layout.file });
  }
  return layout.streams.filter((s) => s.set === position);
}

/**
 * The FORMAT_BAD_BACKUP_HEADER the walk recorded for backup set `position` (the two copies of its
 * configuration stream disagree: walk), if any. A reader of the header's file list or LSNs for
 * something it cannot check otherwise must not take them as the backup's then (page-source.ts).
 */
export function headerCopiesProblem(layout: MtfLayout, position: number): SkippedItem | undefined {
  // the item's offset lies in the copy not read (readMtfLayout), the opening or the closing one
  const copies = layout.streams.filter((x) => x.id === 'MQCI' && x.set === position && x.length > 0);
  return layout.problems.find((p) => p.code === 'FORMAT_BAD_BACKUP_HEADER' && p.location.offset !== undefined && copies.some((c) => p.location.offset! >= c.dataOffset && p.location.offset! <= c.dataOffset + c.length));
}

/** The BACKUP_HEADER_WARNINGs the walk recorded for backup set `position` (its set is still used). */
export function headerWarnings(layout: MtfLayout, position: number): SkippedItem[] {
  const copies = layout.streams.filter((x) => x.id === 'MQCI' && x.set === position && x.length > 0);
  return layout.problems.filter((p) => p.code === BACKUP_HEADER_WARNING && p.location.offset !== undefined && copies.some((c) => p.location.offset! >= c.dataOffset && p.location.offset! <= c.dataOffset + c.length));
}

/**
 * Throws the first FORMAT_BAD_MTF the walk recorded (a damaged or cut header where it stopped), as
 * a FormatError naming its offset and `consequence` (what could not be found because of it); returns
 * when the walk recorded none. For callers about to say that something is missing from the file:
 * a damaged header is the reason, and "holds 0 backup sets" or "not a SQL Server backup" sent
 * a DBA looking for a file already at hand.
 */
export function throwIfDamaged(layout: MtfLayout, consequence: string): void {
  const p = layout.problems.find((x) => x.code === 'FORMAT_BAD_MTF' || x.code === MTF_TRAILER_DAMAGED);
  if (!p) return;
  throw new FormatError('FORMAT_BAD_MTF', `${p.reason}; so ${consequence}: read another copy of this backup`, { file: layout.file, ...(p.location.offset !== undefined ? { offset: p.location.offset } : {}) });
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Where the payload of an MQDA/MQTL stream starts: SQL Server aligns the pages / log blocks
 * on a 512-byte boundary inside the stream (in the corpus the stream data begins 2 bytes before
 * that boundary, e.g. data @0x1dfe, first page @0x1e00).
 */
export function payloadRange(s: StreamHeader): { start: number; end: number } {
  const start = Math.ceil(s.dataOffset / 512) * 512;
  return { start: Math.min(start, s.dataOffset + s.length), end: s.dataOffset + s.length };
}
