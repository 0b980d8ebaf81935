/**
 * Off-row values: follow a text pointer, a row-overflow pointer or a (max) in-row LOB root to
 * the LOB fragment records (SMALL_ROOT, LARGE_ROOT_YUKON, INTERNAL, DATA) and assemble the bytes.
 * Structures: see record.ts (sources: OrcaMDF LobStructures, SQL Server 2008 Internals ch. 7).
 */
import { FormatError } from '../errors.js';
import type { PageReader } from './page-reader.js';
import { formatPageId, slotOffset } from './page.js';
import { fixedVarRecordLength, parseLobFragment, RecordType, recordTypeOf, type LobLink, type Rid } from './record.js';

/** Values larger than this are refused (2 GB is SQL Server's limit; this bounds memory). */
export const MAX_LOB_BYTES = 256 * 1024 * 1024;
const MAX_DEPTH = 16;

/** The LOB fragment record at `rid`, or a FormatError FORMAT_BAD_LOB naming the page and slot. */
export function lobRecordAt(reader: PageReader, rid: Rid): Uint8Array {
  const where = { page: formatPageId(rid), slot: rid.slot };
  const vp = reader.get(rid);
  if (!vp) throw new FormatError('FORMAT_BAD_LOB', `LOB page ${formatPageId(rid)} is missing or damaged`, where);
  if (rid.slot >= vp.header.slotCount) throw new FormatError('FORMAT_BAD_LOB', `slot ${rid.slot} does not exist (page has ${vp.header.slotCount})`, where);
  const off = slotOffset(vp.bytes, rid.slot);
  if (off < 96) throw new FormatError('FORMAT_BAD_LOB', `slot ${rid.slot} is empty`, where);
  if (recordTypeOf(vp.bytes[off]) !== RecordType.BLOB_FRAGMENT) {
    throw new FormatError('FORMAT_BAD_LOB', `record at ${formatPageId(rid)} slot ${rid.slot} is not a LOB fragment`, where);
  }
  const len = fixedVarRecordLength(vp.bytes, off);
  return vp.bytes.subarray(off, off + len);
}

/**
 * Bytes of the LOB tree rooted at the fragment `rid`. With `expectBlobId` (hex of the 8-byte
 * timestamp of a text pointer) the root must carry that blob id (record bytes 4..11): a slot that
 * was freed and reused by another value has another id. Checked on Database2.mdf: a live row's
 * pointer timestamp 000091E200000000 = its root's blob id at 1:279 slot 1.
 * With `everyFragment`, every fragment of the tree (root, INTERNAL nodes, DATA) must carry it: all
 * fragments of one value share the root's blob id (NORTHWND.MDF Employees.Photo: root 1:133 slot 1
 * and its DATA fragments 1:130, 1:132, 1:133 slot 0 all carry 0000970000000000; likewise every
 * other Photo/Notes value there). Throws FORMAT_LOB_OVERWRITTEN naming the first fragment that differs.
 */
export function readLobFragmentTree(reader: PageReader, rid: Rid, depth = 0, expectBlobId?: string, everyFragment = false): Uint8Array {
  if (depth > MAX_DEPTH) throw new FormatError('FORMAT_BAD_LOB', 'LOB tree deeper than 16 levels (loop?)', { page: formatPageId(rid), slot: rid.slot });
  const rec = lobRecordAt(reader, rid);
  if (expectBlobId !== undefined) {
    const id = Buffer.from(rec.subarray(4, 12)).toString('hex');
    if (id.toLowerCase() !== expectBlobId.toLowerCase()) {
      throw new FormatError('FORMAT_LOB_OVERWRITTEN', `the LOB root at ${formatPageId(rid)} slot ${rid.slot} now belongs to another value (blob id ${id}, pointer ${expectBlobId.toLowerCase()})`, {
        page: formatPageId(rid),
        slot: rid.slot,
      });
    }
  }
  const frag = parseLobFragment(rec);
  if (frag.kind === 'data') return frag.data;
  if (frag.kind === 'null') {
    // a NULL root (type 8) stands for a whole value (textPointerValue); never a part of one
    throw new FormatError('FORMAT_BAD_LOB', `the LOB record at ${formatPageId(rid)} slot ${rid.slot} is a NULL root (type 8), where ${depth === 0 ? 'a value' : 'a part of a value'} was expected`, { page: formatPageId(rid), slot: rid.slot });
  }
  return readLobLinks(reader, frag.links, depth + 1, everyFragment ? expectBlobId : undefined);
}

/**
 * The value a text/ntext/image text pointer leads to: its bytes (readLobFragmentTree, with the same
 * blob-id checks), or null when the root is a NULL root (LOB type 8): the value was set to NULL and
 * SQL Server kept the pointer (record.ts parseLobFragment). The root must still carry `expectBlobId`.
 */
export function textPointerValue(reader: PageReader, rid: Rid, expectBlobId: string, everyFragment = false): Uint8Array | null {
  const rec = lobRecordAt(reader, rid);
  if (rec.length >= 14 && (rec[12] | (rec[13] << 8)) === 8) {
    const id = Buffer.from(rec.subarray(4, 12)).toString('hex');
    if (id.toLowerCase() !== expectBlobId.toLowerCase()) {
      throw new FormatError('FORMAT_LOB_OVERWRITTEN', `the LOB root at ${formatPageId(rid)} slot ${rid.slot} now belongs to another value (blob id ${id}, pointer ${expectBlobId.toLowerCase()})`, { page: formatPageId(rid), slot: rid.slot });
    }
    return null;
  }
  return readLobFragmentTree(reader, rid, 0, expectBlobId, everyFragment);
}

/**
 * Concatenate the data reached through links whose `end` are cumulative end offsets. With
 * `expectBlobId`, every fragment reached must carry that blob id (see readLobFragmentTree).
 */
export function readLobLinks(reader: PageReader, links: LobLink[], depth = 0, expectBlobId?: string): Uint8Array {
  const total = links.length ? links[links.length - 1].end : 0;
  if (total > MAX_LOB_BYTES) throw new FormatError('FORMAT_BAD_LOB', `LOB value of ${total} bytes exceeds the ${MAX_LOB_BYTES}-byte limit`);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const l of links) {
    const size = l.end - start;
    if (size < 0) throw new FormatError('FORMAT_BAD_LOB', 'LOB link offsets are not increasing', { page: formatPageId(l.rid), slot: l.rid.slot });
    const bytes = readLobFragmentTree(reader, l.rid, depth, expectBlobId, expectBlobId !== undefined);
    if (bytes.length < size) {
      throw new FormatError('FORMAT_BAD_LOB', `LOB fragment holds ${bytes.length} bytes, link says ${size}`, { page: formatPageId(l.rid), slot: l.rid.slot });
    }
    parts.push(bytes.length === size ? bytes : bytes.subarray(0, size));
    start = l.end;
  }
  return Buffer.concat(parts);
}

/**
 * The blob id the fragments of a (max) in-row LOB root or row-overflow pointer carry: the root's
 * 4-byte timestamp (pointer bytes 8..11) inside an 8-byte id, `0000` + timestamp + `0000`. Checked on
 * the one real (max) value of the corpus: FinancialCrm's sysdiagrams.definition (varbinary(max), 18,948
 * bytes): in-row root timestamp 59250000, fragments 1:440, 1:441, 1:442 slot 0 all carry
 * 0000592500000000. Row-overflow pointers have the same 12-byte header (record.ts) but no corpus
 * sample: a mismatch there is refused (FORMAT_LOB_OVERWRITTEN), never read.
 */
export function inRowRootBlobId(pointer: Uint8Array): string {
  if (pointer.length < 12) throw new FormatError('FORMAT_BAD_LOB', `in-row LOB pointer of ${pointer.length} bytes`);
  return `0000${Buffer.from(pointer.subarray(8, 12)).toString('hex')}0000`;
}
