/**
 * What `RESTORE HEADERONLY` and `RESTORE FILELISTONLY` report, read from the backup file.
 *
 * Sources of each field:
 * - MTF DBLKs (MTF 1.00a): TAPE software name @80 (TAPE_ADDRESS); SSET data set number u16 @62
 *   (Position), user name @76 (TAPE_ADDRESS), media write date @88 (backup start), software major
 *   @93 / minor @94 version, time zone @95 (INT8, 15-minute units east of UTC, 127 unknown: the
 *   offset of backup start's local time, BackupHeader.utcOffsetMinutes); ESET media write date @80
 *   (backup finish).
 * - SQL Server's configuration-info stream (MQCI) is held twice in each set, after the MSCI DBLK
 *   that opens it and after the MSLS DBLK that closes it; the closing copy is read when the file
 *   holds it whole (its LSNs are the backup's own: config-stream.ts), else the opening one, unless
 *   the copies' LSNs differ and the log stream agrees with the opening copy's only (the MTF walk
 *   decides: MtfLayout.headerCopy, config-stream.ts judgeHeaderCopyLsns). It is a list of records, each
 *   `4-char tag, u32 length, …`: SCIN (backup set), SFGI (filegroup), SFIN (file). Their fields were
 *   located on the corpus backups (all SQL Server 2008 / 2008 R2) by matching known values — the
 *   database and server names, dbi_version 661, the log chain whose LSNs must link, the 'D'/'I'/'L'
 *   backup types of full/differential/log files — so they are facts about these files, not a spec:
 *   SCIN @24 u16 build, @26 u8 minor, @27 u8 major version; LSNs (u32 VLF, u32 block, u16 slot)
 *   @32 first, @42 last, @52 checkpoint, @62 database backup LSN; MTF dates @72 database creation,
 *   @77 backup; @87 backup type (ASCII 'D' database, 'I' differential, 'L' log); @94 u16 database
 *   version (dbi_version); @104/@106 u16 byte length/offset of the database name, @108/@110 of the
 *   server name (UTF-16LE, offsets from the SCIN record start); @200 the 16-byte BackupSetGUID of
 *   the base full backup (zero in a full backup; in every differential and log backup of the corpus
 *   it equals the GUID in the full backup's SSET OS-specific data, MTF TAPE_ADDRESS @44).
 *   SFGI @12 u32 filegroup id, @16/@18 name length/offset. SFIN @20 u32 file id, @36 u32
 *   filegroup id (0 for a log file), @48/@50 logical name, @52/@54 physical name. SCIN @216 the
 *   database's default collation, 5 bytes in TDS form (tds-collation.ts, with its evidence).
 */
import { fifteenMinuteZoneMinutes, utcOffsetText } from '../util/utc-offset.js';
import { FormatError } from '../errors.js';
import { openBackupBytes } from './bytes.js';
import { formatLsn, lsnToDecimal, type Lsn } from '../logreader/lsn.js';
import { configRecords, guid, utf16At as utf16 } from './config-stream.js';
import { tdsCollation, type TdsCollation } from '../reconstruct/tds-collation.js';

export { configRecords, guid, type ConfigRecord } from './config-stream.js';
import { mtfDate, readMtfLayout, streamsOfSet, tapeString, throwIfDamaged, type MtfLayout } from './mtf.js';
import { localToUtc } from '../util/local-time.js';

export type BackupType = 'full' | 'differential' | 'log';

export interface BackupLsn {
  /** fn_dblog form `00000019:0000003e:00aa`. */
  lsn: string;
  /** numeric(25,0) as HEADERONLY prints it. */
  decimal: string;
}

export interface BackupFile {
  logicalName: string;
  physicalName: string;
  /** 'D' data, 'L' log (FILELISTONLY Type). */
  type: 'D' | 'L';
  fileId: number;
  fileGroupId: number;
  fileGroupName: string | null;
}

export interface BackupHeader {
  file: string;
  backupType: BackupType;
  /** HEADERONLY BackupType: 1 database, 2 log, 5 differential. */
  backupTypeCode: 1 | 2 | 5;
  position: number;
  /** Backup sets in the file; only the one at `position` is described. */
  backupSets: number;
  databaseName: string;
  serverName: string;
  userName: string | null;
  /** dbi_version of the database (661 = 2008 R2). */
  databaseVersion: number;
  /** `10.50.1600` */
  softwareVersion: string;
  softwareName: string | null;
  firstLsn: BackupLsn;
  lastLsn: BackupLsn;
  checkpointLsn: BackupLsn;
  databaseBackupLsn: BackupLsn | null;
  /** For a differential: the checkpoint LSN of its base full backup (= databaseBackupLsn). */
  differentialBaseLsn: BackupLsn | null;
  /** For a differential: the BackupSetGUID of its base full backup (= baseBackupSetGuid). */
  differentialBaseGuid: string | null;
  /** BackupSetGUID of this backup (SSET OS-specific data, first 16 bytes). */
  backupSetGuid: string | null;
  /**
   * BackupSetGUID of the full backup this differential or log backup builds on (SCIN @200); null
   * for a full backup. Names a missing full backup by its GUID.
   */
  baseBackupSetGuid: string | null;
  /**
   * HEADERONLY BindingID: SCIN @124, 16 bytes. Equal to the binding id on page 0 of every data
   * and log file of the database (checked on all ten uncompressed corpus backups against page 1:0
   * inside the backup, and on the log backups of the same databases); null when absent.
   */
  bindingId: string | null;
  /**
   * HEADERONLY FamilyGUID as the corpus shows it: SCIN @156, 16 bytes (after u32 0 @140 and the
   * last LSN's VLF/block words @144/@148), the same GUID as the boot page holds @504 (checked on
   * RestoreTimeClean and Chinook, constant across each database's backups); null when absent.
   */
  familyGuid: string | null;
  databaseCreationDate: string | null;
  /** Local time of the backup machine, to the second (MTF dates). */
  backupStartDate: string | null;
  backupFinishDate: string | null;
  /**
   * The backing-up server's offset from UTC when the set started, in minutes east of UTC (+120 for
   * UTC+02:00): the SSET's Time Zone (MTF 1.00a Structure 6, INT8 @95: 15-minute units, 127 for
   * unknown; msdb's backupset.time_zone keeps it in the same units and sign). Null when the byte
   * says unknown, is beyond the zones in use (−12:00 to +14:00), or there is no SSET; absent in
   * headers built by hand. Checked on the corpus's 22 backups against the zone of the git commit
   * that published each file (SOURCE.txt): Chinook +08 = +02:00 (committed 3 minutes after the
   * backup, +0200), FinancialCrm +12 = +03:00 (+0300), Northwind-stripe −20 = −05:00 (33 minutes
   * after, −0500), pubs −24 = −06:00 (−0600), db1 +8 (+0200, 6 minutes after), StDb2Sql.bak's two
   * sets of one server −16 in August 2009 and −20 in December 2010 (US Eastern daylight and
   * standard time). It is the offset at the set's start: the finish date and the database's
   * creation date may lie on the other side of a daylight-saving change, so no UTC form is given
   * for them.
   */
  utcOffsetMinutes?: number | null;
  /** utcOffsetMinutes as `+02:00` / `-05:00`; null with it. */
  utcOffset?: string | null;
  /** backupStartDate at utcOffsetMinutes, as UTC (`2017-06-01T10:59:12Z`); null when either is unknown. */
  backupStartDateUtc?: string | null;
  /** HEADERONLY BackupSize: bytes of the MTF stream (for a compressed backup, decompressed). */
  backupSize: number;
  /** HEADERONLY CompressedBackupSize: bytes on disk; equals backupSize for an uncompressed backup. */
  compressedBackupSize: number;
  /** True for a backup taken WITH COMPRESSION (an `MSSQLBAK` file). */
  compressed: boolean;
  /**
   * Set when the configuration stream carries a database encryption key (TDE) descriptor: the
   * pages and log of this backup are encrypted and need the certificate with this thumbprint
   * (SHA-1, hex). See `findDekThumbprint`.
   */
  encryption: { kind: 'tde'; certificateThumbprint: string } | null;
  files: BackupFile[];
  /**
   * Bytes of the set's data streams (MQDA: database pages). A full or differential backup holds its
   * pages there; a log backup holds none unless, taken under BULK_LOGGED after minimally logged
   * operations, it carries the data extents they changed (the bulk changed map's extents are copied
   * into the log backup: Microsoft Learn, "Recovery models" / "Transaction log backups"; that they
   * come as MQDA streams, as every backup's pages do, is not checked on a real sample: the corpus
   * holds no such log backup, and HEADERONLY's HasBulkLoggedData flag is not located). Absent in
   * headers built by hand.
   */
  dataStreamBytes?: number;
  /**
   * The database's default collation as the set's header holds it (RESTORE HEADERONLY's Collation):
   * SCIN @216, the 5-byte TDS collation (reconstruct/tds-collation.ts, which names the corpus
   * evidence: it equals the boot page's dbi_collation in every corpus backup holding one, SQL
   * Server 2005–2025, and each log backup's equals its database's). `tds`: the five bytes as hex
   * (`0x0904D00034`); `known`: what they name, null for one rowback does not know (a _UTF8
   * collation). Null when the record is shorter or the bytes are zero, and for a header of SQL Server
   * 2000 or earlier (SCIN @27 major version below 9: no such backup in the corpus, its bytes @216
   * unknown); absent in headers built by hand.
   */
  collation?: { tds: string; known: TdsCollation | null } | null;
}

const TYPE_CODES: Record<string, { type: BackupType; code: 1 | 2 | 5 }> = {
  D: { type: 'full', code: 1 },
  I: { type: 'differential', code: 5 },
  L: { type: 'log', code: 2 },
};

/**
 * RESTORE HEADERONLY / FILELISTONLY fields of backup set `position` (1-based) of a .bak/.trn,
 * compressed or not (field sources in this module's header). Throws FormatError FORMAT_BAD_MTF
 * when the set has no SQL Server configuration stream, FORMAT_NO_SUCH_BACKUP_SET for a position
 * the file does not hold, FORMAT_UNSUPPORTED_BACKUP_TYPE for file/partial backups.
 */
export function readBackupHeader(path: string, layout: MtfLayout = readMtfLayout(path), position = 1): BackupHeader {
  const opening = streamsOfSet(layout, position).find((s) => s.id === 'MQCI' && s.length > 0);
  if (!opening) {
    throwIfDamaged(layout, `backup set ${position}'s SQL Server configuration stream (MQCI) could not be reached`);
    throw new FormatError('FORMAT_BAD_MTF', 'no SQL Server configuration stream (MQCI): not a SQL Server backup', { file: path });
  }
  // The copy that closes the set (after MSLS), when the file holds it whole: written when the backup
  // ended, its LSNs are the backup's own where the opening copy's are earlier (a full backup of SQL
  // Server 2019+: config-stream.ts). The copies are compared when the layout is read (mtf.ts).
  const closing = streamsOfSet(layout, position).find((s) => s.id === 'MQCI' && s.dblk === 'MSLS' && s !== opening && s.length > 0 && !s.truncated);
  let mqci = opening;
  let data = readBytes(path, opening.dataOffset, opening.length);
  // the walk chose the opening copy: its LSNs are the log stream's, the closing copy's are not (mtf.ts)
  if (closing && layout.headerCopy?.[position] !== 'opening') {
    const last = readBytes(path, closing.dataOffset, closing.length);
    const scin = configRecords(last).find((r) => r.tag === 'SCIN');
    if (scin && scin.bytes.length >= 112) {
      mqci = closing;
      data = last;
    }
  }
  let thumbprint: string | null = null;
  for (const c of streamsOfSet(layout, position).filter((x) => x.id === 'MQCI' && x.length > 0)) {
    thumbprint ??= findDekThumbprint(c === mqci ? data : readBytes(path, c.dataOffset, c.length));
  }
  const records = configRecords(data);
  const scin = records.find((r) => r.tag === 'SCIN');
  if (!scin || scin.bytes.length < 112) throw new FormatError('FORMAT_BAD_MTF', 'no backup-set record (SCIN) in the configuration stream', { file: path, offset: mqci.dataOffset });
  const s = scin.bytes;
  const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
  const typeChar = String.fromCharCode(s[87]);
  const t = TYPE_CODES[typeChar];
  if (!t) throw new FormatError('FORMAT_UNSUPPORTED_BACKUP_TYPE', `backup type '${typeChar}' (file, partial or other) is not supported; full, differential and log backups are`, { file: path, offset: mqci.dataOffset + 87 });
  const u16s = (at: number) => v.getUint16(at, true);
  const str = (lenAt: number) => utf16(s, u16s(lenAt + 2), u16s(lenAt));
  const lsnAt = (at: number): BackupLsn => {
    const l: Lsn = { vlf: v.getUint32(at, true), block: v.getUint32(at + 4, true), slot: v.getUint16(at + 8, true) };
    return { lsn: formatLsn(l), decimal: lsnToDecimal(l) };
  };
  const zero = (l: BackupLsn) => l.decimal === '0';
  const dbBackup = lsnAt(62);
  // A full backup has no base (SQL Server 2016 files carry other bytes at @200 in a full backup).
  const baseGuid = t.type !== 'full' && s.length >= 216 ? guid(s, 200) : null;

  const sset = layout.dblks.find((d) => d.type === 'SSET' && d.set === position);
  const eset = layout.dblks.find((d) => d.type === 'ESET' && d.set === position);
  const tape = layout.dblks.find((d) => d.type === 'TAPE');

  const backupStartDate = sset && sset.bytes.length >= 93 ? mtfDate(sset.bytes, 88) : mtfDate(s, 77);
  const utcOffsetMinutes = sset ? ssetUtcOffsetMinutes(sset.bytes) : null;

  const groups = new Map<number, string>();
  for (const r of records.filter((x) => x.tag === 'SFGI' && x.bytes.length >= 20)) {
    const g = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    groups.set(g.getUint32(12, true), utf16(r.bytes, g.getUint16(18, true), g.getUint16(16, true)));
  }
  const files: BackupFile[] = [];
  for (const r of records.filter((x) => x.tag === 'SFIN' && x.bytes.length >= 56)) {
    const f = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    const fileGroupId = f.getUint32(36, true);
    const file: BackupFile = {
      logicalName: utf16(r.bytes, f.getUint16(50, true), f.getUint16(48, true)),
      physicalName: utf16(r.bytes, f.getUint16(54, true), f.getUint16(52, true)),
      type: fileGroupId === 0 ? 'L' : 'D',
      fileId: f.getUint32(20, true),
      fileGroupId,
      fileGroupName: groups.get(fileGroupId) ?? null,
    };
    // The configuration stream appears twice (start and end of the set); keep each file once.
    if (!files.some((x) => x.fileId === file.fileId && x.logicalName === file.logicalName)) files.push(file);
  }

  return {
    file: path,
    backupType: t.type,
    backupTypeCode: t.code,
    position: sset && sset.bytes.length >= 64 ? new DataView(sset.bytes.buffer, sset.bytes.byteOffset).getUint16(62, true) : position,
    backupSets: layout.sets,
    databaseName: str(104),
    serverName: str(108),
    userName: sset ? tapeString(sset, 76) : null,
    databaseVersion: u16s(94),
    softwareVersion: `${s[27]}.${s[26]}.${u16s(24)}`,
    softwareName: tape ? tapeString(tape, 80) : null,
    firstLsn: lsnAt(32),
    lastLsn: lsnAt(42),
    checkpointLsn: lsnAt(52),
    databaseBackupLsn: zero(dbBackup) ? null : dbBackup,
    differentialBaseLsn: t.type === 'differential' && !zero(dbBackup) ? dbBackup : null,
    differentialBaseGuid: t.type === 'differential' ? baseGuid : null,
    backupSetGuid: sset ? ssetGuid(sset) : null,
    baseBackupSetGuid: baseGuid,
    bindingId: s.length >= 140 ? guid(s, 124) : null,
    familyGuid: s.length >= 172 ? guid(s, 156) : null,
    databaseCreationDate: mtfDate(s, 72),
    backupStartDate,
    backupFinishDate: eset && eset.bytes.length >= 85 ? mtfDate(eset.bytes, 80) : null,
    utcOffsetMinutes,
    utcOffset: utcOffsetMinutes === null ? null : utcOffsetText(utcOffsetMinutes),
    backupStartDateUtc: backupStartDate !== null && utcOffsetMinutes !== null ? localToUtc(backupStartDate, utcOffsetMinutes) : null,
    backupSize: layout.size,
    compressedBackupSize: layout.compressed ? layout.compressed.fileSize : layout.size,
    compressed: layout.compressed !== null,
    encryption: thumbprint ? { kind: 'tde', certificateThumbprint: thumbprint } : null,
    files,
    dataStreamBytes: streamsOfSet(layout, position).filter((x) => x.id === 'MQDA').reduce((n, x) => n + x.length, 0),
    // read where the corpus shows it (SQL Server 2005 on, major version 9+): a SQL Server 2000 header's
    // bytes there were never seen, and five bytes that happen to decode would name a wrong default
    collation: s.length >= 221 && s[27]! >= 9 && s.subarray(216, 221).some((x) => x !== 0) ? headerCollation(s.subarray(216, 221), s[27]!) : null,
  };
}

/**
 * The five collation bytes of a SCIN record (@216, TDS form) of a server of major version `major`
 * (SCIN @27), as BackupHeader.collation. `_UTF8` collations (SQL Server 2019, major 15, on) exist
 * only beside the version-100 and -140 ones ([MS-TDS] 2.2.5.1.2 gives them the fUTF8 bit, which
 * tdsCollation refuses); whether a backup header sets that bit is not seen on real bytes (the
 * corpus's 2019+ backups are Turkish_CI_AS and Arabic_CI_AS, version 80). So a 2019+ header naming
 * a version-100/140 collation without it is given as that collation with `utf8Unknown`: its text
 * may be UTF-8 (code page 65001) rather than the collation's code page, and rowback does not read
 * it as a default (database-default-collation.ts), where reading 'é' as 'Ã©' would look like data.
 * A _BIN collation (fBinary, bit 24) has no _UTF8 form (2019's fn_helpcollations lists _BIN2_UTF8,
 * never _BIN_UTF8): given as it is.
 */
function headerCollation(b: Uint8Array, major: number): { tds: string; known: TdsCollation | null } {
  const tds = `0x${Buffer.from(b).toString('hex').toUpperCase()}`;
  const known = tdsCollation(b, 0);
  const version = b[3]! >> 4;
  const binary = (b[3]! & 0x01) !== 0;
  if (known && major >= 15 && version >= 2 && !binary && b[4] === 0) return { tds, known: { ...known, utf8Unknown: true } };
  return { tds, known };
}

/**
 * The SSET's Time Zone (MTF 1.00a Structure 6, INT8 @95, 15-minute units east of UTC; 127 = not
 * known) in minutes (BackupHeader.utcOffsetMinutes, with the corpus evidence); null when not known,
 * the block is shorter, or the value is beyond −12:00..+14:00 (no zone in use: damage or another writer).
 */
export function ssetUtcOffsetMinutes(sset: Uint8Array): number | null {
  if (sset.length < 96) return null;
  return fifteenMinuteZoneMinutes((sset[95]! << 24) >> 24);
}


/** The backup set GUID: first 16 bytes of the SSET's OS-specific data (TAPE_ADDRESS @44). */
function ssetGuid(d: { bytes: Uint8Array }): string | null {
  const v = new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength);
  if (d.bytes.length < 48) return null;
  const size = v.getUint16(44, true);
  const off = v.getUint16(46, true);
  if (size < 16 || off + 16 > d.bytes.length) return null;
  return guid(d.bytes, off);
}

/**
 * The certificate thumbprint of a TDE database encryption key descriptor in a backup's
 * configuration stream, or null. Layout from rsleedbx/mssqlbak-tests docs/spec/10_TDE.md §10.2
 * (guess G58, mapped there on SQL Server 2022 TDE backups): u32 thumbprint length (20, SHA-1),
 * the thumbprint, u32 RSA ciphertext length (128, 256, 384 or 512), the ciphertext. Checked for
 * false positives: the pattern occurs in none of the 22 (unencrypted) corpus backups.
 */
export function findDekThumbprint(config: Uint8Array): string | null {
  const v = new DataView(config.buffer, config.byteOffset, config.byteLength);
  for (let p = 0; p + 28 <= config.length; p++) {
    if (v.getUint32(p, true) !== 20) continue;
    const n = v.getUint32(p + 24, true);
    if ((n === 128 || n === 256 || n === 384 || n === 512) && p + 28 + n <= config.length) {
      return Buffer.from(config.subarray(p + 4, p + 24)).toString('hex').toUpperCase();
    }
  }
  return null;
}

/**
 * FormatError FORMAT_ENCRYPTED_BACKUP when backup set `position` is TDE-encrypted, naming the
 * certificate thumbprint its key needs; rowback does not decrypt, so it reads neither its pages
 * nor its log (they would decode as garbage).
 */
export function refuseEncrypted(path: string, layout: MtfLayout, position: number): void {
  let h: BackupHeader;
  try {
    h = readBackupHeader(path, layout, position);
  } catch {
    return; // no readable header: the readers report their own errors
  }
  if (h.encryption) {
    throw new FormatError('FORMAT_ENCRYPTED_BACKUP', `the database in this backup is encrypted (TDE); its pages and log need the certificate with thumbprint ${h.encryption.certificateThumbprint}, and rowback does not decrypt. Restore it on a server holding that certificate`, { file: path });
  }
}


function readBytes(path: string, at: number, n: number): Uint8Array {
  const src = openBackupBytes(path);
  try {
    const b = Buffer.alloc(n);
    src.readSync(b, 0, n, at);
    return b;
  } finally {
    src.close();
  }
}

/** One row of RESTORE HEADERONLY for a file holding several backup sets. */
export interface BackupSetSummary {
  position: number;
  backupType?: BackupType;
  databaseName?: string;
  databaseVersion?: number;
  backupStartDate?: string | null;
  backupFinishDate?: string | null;
  /** BackupHeader.utcOffset and backupStartDateUtc of the set. */
  utcOffset?: string | null;
  backupStartDateUtc?: string | null;
  firstLsn?: BackupLsn;
  lastLsn?: BackupLsn;
  /** Why the set could not be described (`CODE: message`), when it could not. */
  error?: string;
}

/**
 * Every backup set of a file (BACKUP … WITH NOINIT appends sets), by position. A set whose
 * header cannot be read is listed with its error instead of being left out.
 */
export function listBackupSets(path: string, layout: MtfLayout = readMtfLayout(path)): BackupSetSummary[] {
  const out: BackupSetSummary[] = [];
  for (let position = 1; position <= layout.sets; position++) {
    try {
      const h = readBackupHeader(path, layout, position);
      out.push({ position, backupType: h.backupType, databaseName: h.databaseName, databaseVersion: h.databaseVersion, backupStartDate: h.backupStartDate, backupFinishDate: h.backupFinishDate, utcOffset: h.utcOffset ?? null, backupStartDateUtc: h.backupStartDateUtc ?? null, firstLsn: h.firstLsn, lastLsn: h.lastLsn });
    } catch (e) {
      const err = e as { code?: string; message: string };
      out.push({ position, error: `${err.code ?? 'ERROR'}: ${err.message}` });
    }
  }
  return out;
}
