/**
 * SQL Server's configuration-info stream (MQCI) of a backup set, and its two copies.
 *
 * The stream is a list of records, each `4-char tag, u32 length (including the tag), contents`:
 * SCIN (the backup set), SFGI (a filegroup), SFIN (a file); field offsets in header.ts's module
 * comment. Every backup set of the corpus (24 sets in 22 files, SQL Server 2005–2025) carries it
 * twice: after the MSCI block that opens the set and after the MSLS block that closes it, with the
 * same records of the same lengths. Corpus facts about the two copies:
 * - They agree on everything that names the backup: type, database and server names, binding id,
 *   family GUID, versions, database creation date, base backup GUID, the database/differential base
 *   LSN (SCIN @62), filegroups and files.
 * - The opening copy is written before the backup ends: its finish date (SCIN @82) is zero, and in
 *   the full backups of SQL Server 2019 and 2025 (FinancialCrmDb202501190233.bak, Chinook.bak) its
 *   FirstLSN, LastLSN and CheckpointLSN are earlier than the closing copy's. The closing copy's are
 *   the backup's own: FinancialCrmDb's log stream holds 00000026:00000860:0001 (LOP_BEGIN_CKPT) up
 *   to …:0870:0001, and the boot page inside the backup says dbi_checkptLSN 00000026:00000860:0001 —
 *   the closing copy's FirstLSN and CheckpointLSN (LastLSN …:0878:0001, the LSN after the last
 *   record); the opening copy said 00000026:000007f8:0096 and …:0848:0001, log the backup does not
 *   hold. In every other set of the corpus the LSNs of both copies are equal.
 * So the header is read from the closing copy when the file holds it whole (header.ts), and the two
 * copies are compared (`configCopiesDisagree`): damage to one copy (a changed server name, a file
 * list cut short, a changed LSN or GUID) was read as the backup's header with no word.
 */
import { formatLsn, lsnToDecimal } from '../logreader/lsn.js';

export interface ConfigRecord {
  tag: string;
  bytes: Uint8Array;
}

/**
 * The records of an MQCI stream: 4-char tag, u32 length (including the tag), contents. Stops at the
 * first bytes that are not a record (an upper-case tag and a length inside the stream); what
 * follows them is not returned (the copies' comparison tells a copy cut short there).
 */
export function configRecords(data: Uint8Array): ConfigRecord[] {
  const out: ConfigRecord[] = [];
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  while (p + 8 <= data.length) {
    const tag = String.fromCharCode(data[p]!, data[p + 1]!, data[p + 2]!, data[p + 3]!);
    if (!/^[A-Z]{4}$/.test(tag)) break;
    const len = v.getUint32(p + 4, true);
    if (len < 8 || p + len > data.length) break;
    out.push({ tag, bytes: data.subarray(p, p + len) });
    p += len;
  }
  return out;
}

/** SQL Server's uniqueidentifier text form (first three groups little-endian); null when all zero or cut. */
export function guid(b: Uint8Array, at: number): string | null {
  const x = b.subarray(at, at + 16);
  if (x.length < 16 || x.every((v) => v === 0)) return null;
  const h = (i: number) => x[i].toString(16).padStart(2, '0');
  const r = (...idx: number[]) => idx.map(h).join('');
  return `${r(3, 2, 1, 0)}-${r(5, 4)}-${r(7, 6)}-${r(8, 9)}-${r(10, 11, 12, 13, 14, 15)}`.toUpperCase();
}

/** UTF-16LE text at `offset` (bytes from the record start), '' when it lies outside the record. */
export function utf16At(b: Uint8Array, offset: number, length: number): string {
  if (offset + length > b.length) return '';
  return new TextDecoder('utf-16le').decode(b.subarray(offset, offset + length));
}

/** An LSN field of the SCIN record (u32 VLF, u32 block, u16 slot at `at`), as fn_dblog text and numeric(25,0). */
function lsnField(v: DataView, at: number): { lsn: string; decimal: bigint } {
  const l = { vlf: v.getUint32(at, true), block: v.getUint32(at + 4, true), slot: v.getUint16(at + 8, true) };
  return { lsn: formatLsn(l), decimal: BigInt(lsnToDecimal(l)) };
}

/**
 * Where one copy and the other part: the field (as a DBA reads it), each copy's value, and the
 * byte offset of the field in the opening copy's stream data (for the message's offset).
 */
export interface ConfigDisagreement {
  field: string;
  opening: string;
  closing: string;
  /** Offset of the field (or of the record that differs) from the start of the opening copy's stream data. */
  at: number;
}

/**
 * The first field on which the opening and closing copies of a backup set's configuration stream
 * disagree where SQL Server writes both alike (see the module comment), or null when they agree.
 * LSNs: the closing copy's FirstLSN, LastLSN and CheckpointLSN may be later than the opening's (a
 * full backup of SQL Server 2019+), never earlier; and FirstLSN is never after LastLSN in it.
 */
export function configCopiesDisagree(opening: Uint8Array, closing: Uint8Array): ConfigDisagreement | null {
  const a = configRecords(opening);
  const b = configRecords(closing);
  const shape = (r: ConfigRecord[]) => r.map((x) => `${x.tag}(${x.bytes.length})`).join(' ');
  const offsetOf = (i: number) => a.slice(0, i).reduce((n, x) => n + x.bytes.length, 0);
  if (shape(a) !== shape(b)) {
    // the first record where they part (a tag or a length damaged cuts the list there)
    let i = 0;
    while (i < a.length && i < b.length && a[i]!.tag === b[i]!.tag && a[i]!.bytes.length === b[i]!.bytes.length) i++;
    return { field: 'list of header records (SCIN the database, SFGI a filegroup, SFIN a file; each with its length in bytes)', opening: shape(a) || '(none readable)', closing: shape(b) || '(none readable)', at: offsetOf(i) };
  }
  for (let i = 0; i < a.length; i++) {
    const d = recordDisagrees(a[i]!, b[i]!);
    if (d) return { ...d, at: offsetOf(i) + d.at };
  }
  return null;
}

/** One record of each copy (same tag, same length): the first field that must agree and does not. */
function recordDisagrees(a: ConfigRecord, b: ConfigRecord): ConfigDisagreement | null {
  const x = a.bytes;
  const y = b.bytes;
  const va = new DataView(x.buffer, x.byteOffset, x.byteLength);
  const vb = new DataView(y.buffer, y.byteOffset, y.byteLength);
  const same = (field: string, at: number, f: (r: Uint8Array, v: DataView) => string): ConfigDisagreement | null => {
    const p = f(x, va);
    const q = f(y, vb);
    return p === q ? null : { field, opening: p, closing: q, at };
  };
  const text = (lenAt: number) => (r: Uint8Array, v: DataView) => (lenAt + 4 <= r.length ? utf16At(r, v.getUint16(lenAt + 2, true), v.getUint16(lenAt, true)) : '');
  const bytesHex = (at: number, n: number) => (r: Uint8Array) => Buffer.from(r.subarray(at, at + n)).toString('hex');
  const checks: Array<() => ConfigDisagreement | null> = [];
  if (a.tag === 'SCIN' && x.length >= 112) {
    checks.push(
      () => same('backup type', 87, (r) => String.fromCharCode(r[87]!)),
      () => same('software version', 24, (r, v) => `${r[27]}.${r[26]}.${v.getUint16(24, true)}`),
      () => same('database creation date', 72, bytesHex(72, 5)),
      () => same('database version', 94, (_r, v) => String(v.getUint16(94, true))),
      () => same('database name', 104, text(104)),
      () => same('server name', 108, text(108)),
      () => same('database backup / differential base LSN', 62, (_r, v) => lsnField(v, 62).lsn),
    );
    if (x.length >= 140) checks.push(() => same('binding id', 124, (r) => guid(r, 124) ?? '(zero)'));
    if (x.length >= 172) checks.push(() => same('family GUID', 156, (r) => guid(r, 156) ?? '(zero)'));
    // the base full backup's GUID of a differential or log backup (a full backup carries other bytes there)
    if (x.length >= 216 && x[87] !== 0x44 /* 'D' */) checks.push(() => same('base backup set GUID', 200, (r) => guid(r, 200) ?? '(zero)'));
    for (const [name, at] of [['FirstLSN', 32], ['LastLSN', 42], ['CheckpointLSN', 52]] as const) {
      checks.push(() => {
        const p = lsnField(va, at);
        const q = lsnField(vb, at);
        return q.decimal < p.decimal ? { field: `${name} (the closing copy's is never earlier)`, opening: p.lsn, closing: q.lsn, at } : null;
      });
    }
    checks.push(() => {
      const first = lsnField(vb, 32);
      const last = lsnField(vb, 42);
      return first.decimal > last.decimal ? { field: 'FirstLSN after LastLSN in the closing copy', opening: `${lsnField(va, 32).lsn} .. ${lsnField(va, 42).lsn}`, closing: `${first.lsn} .. ${last.lsn}`, at: 32 } : null;
    });
    // A full or differential backup's checkpoint lies in the log it holds: FirstLSN <= CheckpointLSN
    // <= LastLSN in both copies of its 11 corpus sets (SQL Server 2005-2025; a log backup's
    // CheckpointLSN may precede its FirstLSN). The closing copy's LSNs may be later than the opening
    // copy's, so a CheckpointLSN raised by damage there passed the comparison above: inspect printed
    // it, exit 0.
    if (x[87] === 0x44 /* 'D' */ || x[87] === 0x49 /* 'I' */) {
      checks.push(() => {
        const first = lsnField(vb, 32);
        const ckpt = lsnField(vb, 52);
        const last = lsnField(vb, 42);
        return ckpt.decimal < first.decimal || ckpt.decimal > last.decimal
          ? { field: 'CheckpointLSN outside FirstLSN .. LastLSN in the closing copy of a full or differential backup', opening: `${lsnField(va, 32).lsn} .. ${lsnField(va, 52).lsn} .. ${lsnField(va, 42).lsn}`, closing: `${first.lsn} .. ${ckpt.lsn} .. ${last.lsn}`, at: 52 }
          : null;
      });
    }
  } else if (a.tag === 'SFGI' && x.length >= 20) {
    checks.push(
      () => same('filegroup id', 12, (_r, v) => String(v.getUint32(12, true))),
      () => same('filegroup name', 16, text(16)),
    );
  } else if (a.tag === 'SFIN' && x.length >= 56) {
    checks.push(
      () => same('file id', 20, (_r, v) => String(v.getUint32(20, true))),
      () => same('filegroup id of a file', 36, (_r, v) => String(v.getUint32(36, true))),
      () => same('logical file name', 48, text(48)),
      () => same('physical file name', 52, text(52)),
    );
  }
  for (const c of checks) {
    const d = c();
    if (d) return d;
  }
  return null;
}
