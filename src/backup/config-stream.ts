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
 * copies are compared (`configCopiesDisagreements`): damage to one copy (a changed server name, a file
 * list cut short, a changed LSN or GUID) was read as the backup's header with no word. Their
 * FirstLSN, LastLSN and CheckpointLSN are judged against the log stream instead
 * (`judgeHeaderCopyLsns`): a damaged LSN in the closing copy was believed over an intact opening one.
 */
import { formatLsn, lsnToDecimal, type Lsn } from '../logreader/lsn.js';
import { endsAt, type LogStreamEdges } from './log-edges.js';

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
  /**
   * True for a field no restore, replay or chain check reads (the server name: what the header says
   * of the machine that wrote it): the set is still used, with a warning that the shown value is
   * uncertain. False for every other field (type, names, GUIDs, LSNs, versions, filegroups, files):
   * a restore built on the wrong one would restore or replay the wrong thing, so the set is kept out.
   */
  cosmetic: boolean;
}

/**
 * The first field on which the opening and closing copies of a backup set's configuration stream
 * disagree where SQL Server writes both alike (see the module comment), or null when they agree.
 * LSNs: the closing copy's FirstLSN, LastLSN and CheckpointLSN may be later than the opening's (a
 * full backup of SQL Server 2019+), never earlier; and FirstLSN is never after LastLSN in it.
 */
export function configCopiesDisagree(opening: Uint8Array, closing: Uint8Array): ConfigDisagreement | null {
  return configCopiesDisagreements(opening, closing)[0] ?? null;
}

/**
 * Every field on which the two copies disagree where SQL Server writes both alike (FirstLSN, LastLSN
 * and CheckpointLSN are not among them: judgeHeaderCopyLsns), in record order; [] when they agree.
 * A record list that differs in shape (a tag or length damaged) is one disagreement, the records
 * after it not compared. Each carries whether it is `cosmetic` (no restore reads it).
 */
export function configCopiesDisagreements(opening: Uint8Array, closing: Uint8Array): ConfigDisagreement[] {
  const a = configRecords(opening);
  const b = configRecords(closing);
  const shape = (r: ConfigRecord[]) => r.map((x) => `${x.tag}(${x.bytes.length})`).join(' ');
  const offsetOf = (i: number) => a.slice(0, i).reduce((n, x) => n + x.bytes.length, 0);
  if (shape(a) !== shape(b)) {
    // the first record where they part (a tag or a length damaged cuts the list there)
    let i = 0;
    while (i < a.length && i < b.length && a[i]!.tag === b[i]!.tag && a[i]!.bytes.length === b[i]!.bytes.length) i++;
    return [{ field: 'list of header records (SCIN the database, SFGI a filegroup, SFIN a file; each with its length in bytes)', opening: shape(a) || '(none readable)', closing: shape(b) || '(none readable)', at: offsetOf(i), cosmetic: false }];
  }
  const out: ConfigDisagreement[] = [];
  for (let i = 0; i < a.length; i++) for (const d of recordDisagrees(a[i]!, b[i]!)) out.push({ ...d, at: offsetOf(i) + d.at });
  return out;
}

/** Fields of the SCIN record no restore, replay or chain check reads (ConfigDisagreement.cosmetic). */
const COSMETIC_FIELDS = new Set(['server name']);

/** One record of each copy (same tag, same length): the fields that must agree and do not. */
function recordDisagrees(a: ConfigRecord, b: ConfigRecord): ConfigDisagreement[] {
  const x = a.bytes;
  const y = b.bytes;
  const va = new DataView(x.buffer, x.byteOffset, x.byteLength);
  const vb = new DataView(y.buffer, y.byteOffset, y.byteLength);
  const same = (field: string, at: number, f: (r: Uint8Array, v: DataView) => string): ConfigDisagreement | null => {
    const p = f(x, va);
    const q = f(y, vb);
    return p === q ? null : { field, opening: p, closing: q, at, cosmetic: COSMETIC_FIELDS.has(field) };
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
    // FirstLSN, LastLSN and CheckpointLSN are judged against the log stream (judgeHeaderCopyLsns)
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
  return checks.map((c) => c()).filter((d): d is ConfigDisagreement => d !== null);
}

/** FirstLSN, LastLSN and CheckpointLSN of one copy (SCIN @32, @42, @52) and its backup type (@87). */
interface CopyLsns {
  first: Lsn;
  last: Lsn;
  checkpoint: Lsn;
  type: string;
}

function copyLsns(stream: Uint8Array): CopyLsns | null {
  const scin = configRecords(stream).find((r) => r.tag === 'SCIN');
  if (!scin || scin.bytes.length < 112) return null;
  const v = new DataView(scin.bytes.buffer, scin.bytes.byteOffset, scin.bytes.byteLength);
  const at = (o: number): Lsn => ({ vlf: v.getUint32(o, true), block: v.getUint32(o + 4, true), slot: v.getUint16(o + 8, true) });
  return { first: at(32), last: at(42), checkpoint: at(52), type: String.fromCharCode(scin.bytes[87]!) };
}

const LSN_FIELDS = [['FirstLSN', 'first', 32], ['LastLSN', 'last', 42], ['CheckpointLSN', 'checkpoint', 52]] as const;
const cmp = (a: Lsn, b: Lsn) => BigInt(lsnToDecimal(a)) - BigInt(lsnToDecimal(b));

/**
 * Why one copy's LSNs are not the log stream's (log-edges.ts: corpus facts), or null when they are:
 * FirstLSN in the stream's first block (its VLF and block, its slot among the block's records),
 * LastLSN where the stream's last block ends (slot 1), FirstLSN not after LastLSN, and for a full or
 * differential backup CheckpointLSN from FirstLSN up to LastLSN.
 */
function copyDisagreesWithLog(c: CopyLsns, e: LogStreamEdges): string | null {
  const f = c.first;
  if (f.vlf !== e.first.vlf || f.block !== e.first.block || f.slot < e.first.slot || f.slot >= e.first.slot + Math.max(1, e.firstRecords)) {
    return `FirstLSN ${formatLsn(f)} is not in the stream's first log block (${formatLsn(e.first)}, ${e.firstRecords} record(s))`;
  }
  if (!endsAt(e.end, c.last)) return `LastLSN ${formatLsn(c.last)} is not where the stream's last log block ends (${formatLsn({ ...e.end, slot: 1 })})`;
  if (cmp(f, c.last) > 0n) return `FirstLSN ${formatLsn(f)} is after LastLSN ${formatLsn(c.last)}`;
  if ((c.type === 'D' || c.type === 'I') && (cmp(c.checkpoint, f) < 0n || cmp(c.checkpoint, c.last) > 0n)) {
    return `CheckpointLSN ${formatLsn(c.checkpoint)} of a full or differential backup is outside its FirstLSN .. LastLSN`;
  }
  return null;
}

/** What judgeHeaderCopyLsns decides (see there). */
export interface HeaderLsnVerdict {
  /** The copy the header's LSNs (and the rest of it) are read from. */
  use: 'opening' | 'closing';
  /**
   * Null: nothing to say (the copies agree; or the closing copy's LSNs are later, as SQL Server 2019+
   * writes them, and they are the log stream's). `refuse`: neither copy can be told to be the
   * backup's; the set must not be used. `warn`: one copy was damaged and the other, the one the log
   * stream agrees with, is used.
   */
  problem: { severity: 'refuse' | 'warn'; field: string; opening: string; closing: string; at: number; why: string } | null;
}

/**
 * Which copy of a backup set's configuration stream holds the backup's FirstLSN, LastLSN and
 * CheckpointLSN. The copies agree in every corpus set but the full backups of SQL Server 2019 and 2025
 * (FinancialCrmDb202501190233.bak, Chinook.bak), whose closing copy's LSNs are later and are the log
 * stream's (log-edges.ts). Where they disagree, `edges` is called (once; it reads the first and last
 * log block of the set's stream, or returns why it cannot) and the copy whose LSNs the stream agrees
 * with (copyDisagreesWithLog) is used: silently for the SQL Server 2019+ pattern (the closing copy
 * later), with a `warn` otherwise (damage in the other copy). Neither or both agreeing, or no
 * stream to tell: `refuse`, naming both copies and the stream. Copies that agree are not checked
 * against the stream (no read), only for FirstLSN <= LastLSN and, in a full or differential backup,
 * a CheckpointLSN between them (`refuse` otherwise: both copies say it, so one cannot be chosen).
 */
export function judgeHeaderCopyLsns(opening: Uint8Array, closing: Uint8Array | null, edges: () => LogStreamEdges | string): HeaderLsnVerdict {
  const a = copyLsns(opening);
  const b = closing ? copyLsns(closing) : null;
  if (!a || !b) return { use: b ? 'closing' : 'opening', problem: null };
  const text = (c: CopyLsns) => `${formatLsn(c.first)} .. ${formatLsn(c.last)}, checkpoint ${formatLsn(c.checkpoint)}`;
  const differ = LSN_FIELDS.find(([, k]) => cmp(a[k], b[k]) !== 0n);
  if (!differ) {
    const bad = cmp(b.first, b.last) > 0n ? { field: 'FirstLSN after LastLSN', at: 32 } : (b.type === 'D' || b.type === 'I') && (cmp(b.checkpoint, b.first) < 0n || cmp(b.checkpoint, b.last) > 0n) ? { field: 'CheckpointLSN outside FirstLSN .. LastLSN of a full or differential backup', at: 52 } : null;
    return { use: 'closing', problem: bad ? { severity: 'refuse', ...bad, opening: text(a), closing: text(b), why: 'both copies say so' } : null };
  }
  const [field, , at] = differ;
  const e = edges();
  if (typeof e === 'string') return { use: 'closing', problem: { severity: 'refuse', field, opening: text(a), closing: text(b), at, why: `the backup's log stream cannot tell which copy is the backup's: ${e}` } };
  const stream = `the log stream runs from ${formatLsn(e.first)} to ${formatLsn({ ...e.end, slot: 1 })}`;
  const oa = copyDisagreesWithLog(a, e);
  const ca = copyDisagreesWithLog(b, e);
  if (ca === null && oa !== null) {
    const later = LSN_FIELDS.every(([, k]) => cmp(b[k], a[k]) >= 0n);
    return { use: 'closing', problem: later ? null : { severity: 'warn', field, opening: text(a), closing: text(b), at, why: `${stream}: the closing copy's LSNs agree with it and are used; the opening copy's do not (its ${oa}): the opening copy is damaged` } };
  }
  if (oa === null && ca !== null) {
    return { use: 'opening', problem: { severity: 'warn', field, opening: text(a), closing: text(b), at, why: `${stream}: the opening copy's LSNs agree with it and are used; the closing copy's do not (its ${ca}): the closing copy is damaged` } };
  }
  const why = oa === null ? `${stream} and both copies' LSNs agree with it, so it cannot tell which copy is the backup's` : `${stream} and neither copy's LSNs agree with it (the opening copy's ${oa}; the closing copy's ${ca})`;
  return { use: 'closing', problem: { severity: 'refuse', field, opening: text(a), closing: text(b), at, why } };
}

/**
 * Why the FirstLSN, LastLSN and CheckpointLSN of one copy of a configuration stream (`stream`) are
 * not those of the log stream whose edges are `edges` (log-edges.ts), or null when they are; a
 * reason too when the copy holds no readable SCIN record. For tests and diagnostics: every copy of
 * every corpus set agrees with its stream but the opening copies of the 2019/2025 full backups.
 */
export function headerCopyDisagreesWithLog(stream: Uint8Array, edges: LogStreamEdges): string | null {
  const c = copyLsns(stream);
  return c ? copyDisagreesWithLog(c, edges) : 'no readable SCIN record';
}
