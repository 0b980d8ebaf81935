/**
 * Backup history for restore planning: one `BackupSetRecord` per backup set, from the backup
 * files' own headers (offline, `readFolderHistory`) or from msdb (live, `./msdb.ts`).
 *
 * Units and forms:
 * - LSNs are numeric(25,0) decimal strings, the form RESTORE HEADERONLY and msdb.dbo.backupset
 *   print (`25000000006200170`); compare them with `lsnCmp` (BigInt), never as strings or numbers
 *   (a JS number loses digits past 2^53).
 * - `lastLsn` is the LSN of the *next* log record after the backup set (Microsoft Learn,
 *   backupset: last_lsn), so a log backup holds the records in [firstLsn, lastLsn).
 * - Times are the SQL Server's local time, `YYYY-MM-DDTHH:MM:SS`, whole seconds (MTF dates carry
 *   no fraction; msdb values are cut to the second so both sources compare alike).
 */
import { readdirSync, realpathSync, statSync, readSync, closeSync } from 'node:fs';
import { openInputSync } from '../util/input-open.js';
import { join, resolve } from 'node:path';
import { InputError, RowbackError } from '../errors.js';
import { assertRegularFile, relativePathAdvice, unlistableWhy } from '../util/files.js';
import { readBackupHeader, type BackupHeader } from '../backup/header.js';
import { readLogCommitTimes } from '../backup/log-commits.js';
import { stripesOfTwoBackups } from '../backup/page-source.js';
import type { SkippedItem } from '../recover/source.js';
import { backupStart, BACKUP_HEADER_WARNING, blocksAfterDamage, headerCopiesProblem, headerWarnings, readMtfLayout, COMMON_HEADER_SIZE, MTF_TRAILER_DAMAGED, type MtfLayout } from '../backup/mtf.js';

/** HEADERONLY / backupset types rowback knows; only full, differential and log are restorable by the planner. */
export type HistoryBackupType = 'full' | 'differential' | 'log' | 'file' | 'partial' | 'other';

export interface HistoryFile {
  logicalName: string;
  physicalName: string;
  /** 'D' data (rows, incl. FILESTREAM/full-text are not distinguished offline), 'L' log. */
  type: 'D' | 'L';
  fileId: number | null;
}

export interface BackupSetRecord {
  source: 'file' | 'msdb';
  backupType: HistoryBackupType;
  /** True for COPY_ONLY; null when the source does not say (the offline header reader does not locate the flag). */
  copyOnly: boolean | null;
  databaseName: string;
  serverName: string | null;
  /** RESTORE … WITH FILE = n: the backup set's position in its media. */
  position: number;
  /** Every device (stripe) of the media set, in family sequence order: the `FROM DISK = …` list. */
  devices: string[];
  /**
   * How many backup sets the file holds (HEADERONLY's row count; several when backups were appended
   * WITH NOINIT), where the reader knows it (the point-in-time replay sets it): messages then name
   * set 1 too (`F (FILE = 1)`), which `position > 1` alone left unnamed. Absent: unknown.
   */
  setsInFile?: number;
  firstLsn: string;
  lastLsn: string;
  checkpointLsn: string | null;
  databaseBackupLsn: string | null;
  /** For a differential: checkpoint LSN of its base full backup. */
  differentialBaseLsn: string | null;
  /** For a differential: BackupSetGUID of its base full backup. */
  differentialBaseGuid: string | null;
  backupSetGuid: string | null;
  /** Database binding id (offline, HEADERONLY BindingID) — null where the source does not give it (msdb). */
  bindingId: string | null;
  /** msdb database_guid (changes when a database is restored); null offline. */
  databaseGuid: string | null;
  /**
   * HEADERONLY FamilyGUID / msdb family_guid: the database as first created, kept when it is
   * restored as a new database (whose binding id is new). Absent or null where not read.
   */
  familyGuid?: string | null;
  /**
   * A log backup set holding data pages (BackupHeader.dataStreamBytes > 0): taken under BULK_LOGGED
   * after minimally logged operations, it carries the extents they changed, whose rows its log
   * records do not hold; RESTORE cannot stop inside it (point-in-time recovery needs a log backup
   * without bulk-logged changes: Microsoft Learn, "Recovery models"), and the replay cannot read
   * the rows it added. From files: a data stream (MQDA) in the log backup set; from msdb: backupset
   * has_bulk_logged_data ("Backup contains bulk-logged data", Microsoft Learn, backupset). Absent when
   * neither says so.
   */
  logDataPages?: boolean;
  /** Recovery fork at the first / last LSN (msdb first_recovery_fork_guid, last_recovery_fork_guid); null when unknown (offline). */
  firstRecoveryForkGuid: string | null;
  lastRecoveryForkGuid: string | null;
  backupStartDate: string | null;
  backupFinishDate: string | null;
  /**
   * The backing-up server's offset from UTC at the backup's start (`+02:00`, `-05:00`): from a file,
   * its SSET's Time Zone (backup/header.ts BackupHeader.utcOffset); from msdb, backupset.time_zone
   * (util/utc-offset.ts fifteenMinuteZoneMinutes). Null or absent when the source does not know it.
   */
  utcOffset?: string | null;
  /** backupStartDate at utcOffset, as UTC (`2017-06-01T10:59:12Z`); null or absent when either is unknown. */
  backupStartDateUtc?: string | null;
  /** msdb is_damaged / an offline file cut short. */
  damaged: boolean;
  /**
   * Damage that does not keep the set from being used, said in the plan: a damaged MTF trailer
   * (FORMAT_BAD_MTF_TRAILER, `mtf.ts` trailerOnly: every page and log record read whole, the
   * ESET's backup finish date unknown, so `backupFinishDate` is null). Absent when there is none.
   */
  caveat?: string;
  /**
   * WARNINGs on its header that do not keep it out (`file: BACKUP_HEADER_WARNING: reason (offset n)`,
   * mtf.ts: one header copy damaged in a field no restore reads, or in LSNs its log stream settled),
   * said by restore plan / run as WARNING lines. Absent when there is none.
   */
  headerWarnings?: string[];
  /**
   * For a log backup whose `backupFinishDate` is unknown, or that ran at the --stop-at time or ends
   * the chain before it (addLogCommitTimes), when its file was at hand: the commit times its own log
   * records give (backup/log-commits.ts readLogCommitTimes), which place a --stop-at after its start
   * in it or after it (restore/chain.ts). Absent otherwise (msdb, or not read).
   */
  logCommits?: { last: string | null; whole: boolean; why?: string };
  files: HistoryFile[];
}

/** A file or media set found but not usable, with the reason (shown in plans and refusals). */
export interface SkippedBackup {
  file: string;
  code: string;
  reason: string;
  /** A backup set left out as damaged whose header could be read: its LSN range, so a refusal over the gap it leaves names it. */
  firstLsn?: string;
  lastLsn?: string;
}

export interface BackupHistory {
  sets: BackupSetRecord[];
  skipped: SkippedBackup[];
  /** What the history was read from: folders or `server/database`. */
  origin: string;
}

/** Compare two numeric(25,0) LSN strings (BigInt); negative, zero or positive. */
export function lsnCmp(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function walk(dir: string, out: string[], seen = new Set<string>()): void {
  // a folder reached twice (a link back up the tree) is read once
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot read folder ${dir}: ${unlistableWhy(e)}`, { file: dir });
  }
  for (const n of names) {
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a dangling link: not a backup
    }
    if (st.isDirectory()) walk(p, out, seen);
    else if (st.isFile()) out.push(p);
  }
}

/** File names a backup commonly has (.bak, .trn, .dif, .bck): a 0-byte one is said, other 0-byte files are not backups. */
const BACKUP_NAME = /\.(bak|trn|dif|bck)$/i;

/** A file's size in bytes, -1 when it cannot be stat'ed. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** True when the file starts like a backup (MTF `TAPE`, a compressed `MSSQLBAK` container, or a TAPE block with damaged type bytes: `backupStart`). */
function looksLikeBackup(path: string): boolean {
  let fd: number;
  try {
    fd = openInputSync(path);
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(COMMON_HEADER_SIZE);
    const n = readSync(fd, b, 0, b.length, 0);
    // a backup whose TAPE block is damaged is listed as damaged (FORMAT_BAD_MTF), not passed over
    return backupStart(b.subarray(0, n)) !== null;
  } finally {
    closeSync(fd);
  }
}

/**
 * What a file named as a backup (.bak/.trn/.dif/.bck) that does not start like one is, from its first
 * bytes: page 0 of a data or log file is a file header page (header version 1, page type 15:
 * FORMAT-NOTES; inspect.ts detectFileKind tells the two apart further), anything else is named by
 * its first 4 bytes. Never throws ('unreadable' when the file cannot be read).
 */
function notABackupKind(path: string): string {
  let fd: number;
  try {
    fd = openInputSync(path);
  } catch {
    return 'unreadable';
  }
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    if (n >= 2 && b[0] === 1 && b[1] === 15) return 'a SQL Server data or log file (its page 0 is a file header page; `rowback inspect` says which)';
    return `it starts with 0x${b.subarray(0, n).toString('hex')}, not TAPE (a backup) or MSSQLBAK (a compressed one)`;
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}

/**
 * True when MTF problem `p` of file `path` is damage in its last set's closing blocks only
 * (FORMAT_BAD_MTF_TRAILER, mtf.ts trailerOnly: every page and log record read whole) with no
 * further backup content after it: such a set is used, not left out as damaged (its finish date is
 * unknown). The one rule of `restore plan` over folders and the point-in-time replay.
 */
export function isTrailerOnlyDamage(path: string, p: SkippedItem): boolean {
  return p.code === MTF_TRAILER_DAMAGED && p.location.offset !== undefined && nothingAfter(path, p.location.offset);
}

/** True when no backup content (a further set's blocks) can be seen after MTF damage at `offset`; false when it can, or the file cannot be read again. */
function nothingAfter(path: string, offset: number): boolean {
  try {
    return blocksAfterDamage(path, offset).content === null;
  } catch {
    return false;
  }
}

function describeError(e: unknown): { code: string; reason: string } {
  if (e instanceof RowbackError) return { code: e.code, reason: e.message };
  return { code: 'INTERNAL', reason: (e as Error)?.message ?? String(e) };
}

/**
 * Fills `logCommits` (the commit times of its own log, backup/log-commits.ts) on log backup sets read
 * from one file and not left out as damaged, so the planner can place a --stop-at after a log
 * backup's start by them (restore/chain.ts placeByCommits, STOPAT's rule: the stop falls at the
 * first commit later than the time). Which sets: every one whose backup finish date is unknown
 * (its ESET damaged or cut); and, given the target time `time` (`YYYY-MM-DDTHH:MM:SS.fff`, local,
 * as chain.ts compares it), every one that was running at it (after its start second, up to the
 * end of its finish second: the headers cannot tell whether that moment's records are in it or the
 * next), and every one that ends a chain (no other log backup continues after its last LSN) when
 * the time is after its start, so a refusal says how far its commits reach. Each of those is read
 * once (one log stream read; a few per plan); so is every one of two or more files holding the
 * same log backup (a copy: its damaged log blocks, `whole` false, make the chain take another copy,
 * chain.ts pickLog); sets from msdb, striped sets and the others are left as they are, and a plan
 * without `time` reads only the first kind and the copies. Never throws.
 */
export async function addLogCommitTimes(sets: BackupSetRecord[], time?: string): Promise<void> {
  const logs = sets.filter((s) => s.backupType === 'log' && !s.damaged);
  const after = (s: BackupSetRecord) => time !== undefined && s.backupStartDate !== null && time > `${s.backupStartDate}.000`;
  const running = (s: BackupSetRecord) => after(s) && s.backupFinishDate !== null && time! <= `${s.backupFinishDate}.999`;
  const endsChain = (s: BackupSetRecord) => !logs.some((m) => m !== s && lsnCmp(m.firstLsn, s.lastLsn) <= 0 && lsnCmp(s.lastLsn, m.lastLsn) < 0);
  // two files holding one log backup (a copy): each is read, so the chain takes a copy whose log
  // reads whole over one with damaged log blocks (chain.ts pickLog)
  const copied = (s: BackupSetRecord) => logs.some((m) => m !== s && m.firstLsn === s.firstLsn && m.lastLsn === s.lastLsn);
  for (const s of logs) {
    if (s.source !== 'file' || s.devices.length !== 1 || s.logCommits) continue;
    if (s.backupFinishDate !== null && !running(s) && !(after(s) && endsChain(s)) && !copied(s)) continue;
    s.logCommits = await readLogCommitTimes(s.devices[0], s.position);
  }
}

/** Map one offline header to a record. `devices` are the media set's files in family order. */
/**
 * A backup set as messages name it: its device(s), and `(FILE = n)` (RESTORE's set number) when
 * the file holds several sets or the set is not the first. Pure.
 */
export function backupSetName(s: Pick<BackupSetRecord, 'devices' | 'position' | 'setsInFile'>): string {
  return `${s.devices.join(' + ')}${s.position > 1 || (s.setsInFile ?? 1) > 1 ? ` (FILE = ${s.position})` : ''}`;
}

export function recordFromHeader(h: BackupHeader, devices: string[], damaged: boolean): BackupSetRecord {
  return {
    source: 'file',
    backupType: h.backupType,
    copyOnly: null,
    databaseName: h.databaseName,
    serverName: h.serverName || null,
    position: h.position,
    devices,
    firstLsn: h.firstLsn.decimal,
    lastLsn: h.lastLsn.decimal,
    checkpointLsn: h.checkpointLsn.decimal,
    databaseBackupLsn: h.databaseBackupLsn?.decimal ?? null,
    differentialBaseLsn: h.differentialBaseLsn?.decimal ?? null,
    differentialBaseGuid: h.differentialBaseGuid,
    backupSetGuid: h.backupSetGuid,
    bindingId: h.bindingId,
    databaseGuid: null,
    familyGuid: h.familyGuid,
    // header.ts's `familyGuid` is SCIN @156 (constant across each corpus database's backups:
    // RestoreTimeClean, StopAt, db1); an earlier reading (@148) differed between backups. It names
    // the rows' source database of a restore job (restore run --stage); it is not a fork identity.
    firstRecoveryForkGuid: null,
    lastRecoveryForkGuid: null,
    backupStartDate: h.backupStartDate,
    backupFinishDate: h.backupFinishDate,
    utcOffset: h.utcOffset ?? null,
    backupStartDateUtc: h.backupStartDateUtc ?? null,
    damaged,
    files: h.files.map((f) => ({ logicalName: f.logicalName, physicalName: f.physicalName, type: f.type, fileId: f.fileId })),
    ...(h.backupType === 'log' && (h.dataStreamBytes ?? 0) > 0 ? { logDataPages: true } : {}),
  };
}

/**
 * Backup history from every file under `dirs` (recursively; files that do not start like a
 * backup are ignored). Each backup set of each file becomes a record (sets appended WITH NOINIT
 * included); the stripes of a striped media set become one record listing every stripe. Not
 * used, and listed in `skipped` with a reason: a media set with stripes missing
 * (FORMAT_INCOMPLETE_MEDIA_SET, naming the family count and the stripes present), a file or
 * partial backup (FORMAT_UNSUPPORTED_BACKUP_TYPE), an encrypted, damaged or unreadable file.
 * Throws InputError INPUT_FILE_UNREADABLE for a folder that cannot be listed or a path named that
 * is neither a folder nor a regular file (a FIFO, a device), INPUT_EMPTY_FILE for a 0-byte file
 * named, or when the only backup-named files found are 0 bytes, and INPUT_NO_BACKUPS when no
 * backup file is found at all.
 */
export function readFolderHistory(dirs: string[]): BackupHistory {
  const files: string[] = [];
  for (const d of dirs) {
    let st;
    try {
      st = statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // said in words, as --mdf/--ldf's are ("ENOENT" alone was printed)
      const why = code === 'ENOENT' ? `no such file or folder${relativePathAdvice(d)}` : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a path through something that is not a folder' : (code ?? (e as Error).message);
      throw new InputError('INPUT_FILE_UNREADABLE', `--backups ${d}: ${why}`, { file: d });
    }
    if (st.isDirectory()) walk(resolve(d), files);
    else {
      // a file named itself: a FIFO or device said as what it is (its size 0 read as "is empty
      // (0 bytes)"), a 0-byte file as empty (INPUT_EMPTY_FILE), not "no backup files under it"
      assertRegularFile('--backups', d);
      files.push(resolve(d));
    }
  }
  // one entry per file, however many paths lead to it (links, overlapping folders)
  const byReal = new Map<string, string>();
  for (const f of files) {
    let real = f;
    try {
      real = realpathSync(f);
    } catch {
      /* keep the path as given */
    }
    if (!byReal.has(real)) byReal.set(real, f);
  }
  // 0-byte files named as backups (a backup or copy that never got its bytes): listed as skipped,
  // named in the refusal when nothing else is there (they were passed over unsaid)
  const empty = [...byReal.values()].filter((f) => BACKUP_NAME.test(f) && sizeOf(f) === 0);
  const unique = [...byReal.values()].filter(looksLikeBackup);
  // files named as backups that are not (a data or log file renamed .trn, a text file): listed as
  // skipped and named in a refusal, as empty ones are (they were passed over unsaid, and a refusal
  // for want of the log backup of that name named only the others)
  const misnamed = [...byReal.values()].filter((f) => BACKUP_NAME.test(f) && sizeOf(f) > 0 && !unique.includes(f));
  if (unique.length === 0) {
    const also = empty.length ? `; empty (0 bytes): ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ` and ${empty.length - 5} more` : ''}` : '';
    const notBackups = misnamed.length ? `; named as backups but not backups: ${misnamed.slice(0, 5).map((f) => `${f} (${notABackupKind(f)})`).join(', ')}${misnamed.length > 5 ? ` and ${misnamed.length - 5} more` : ''}` : '';
    throw new InputError(empty.length ? 'INPUT_EMPTY_FILE' : 'INPUT_NO_BACKUPS', `no backup files (.bak/.trn: MTF or compressed) under ${dirs.join(', ')}${also}${notBackups}`, { file: empty.length === 1 ? empty[0] : misnamed.length === 1 && !empty.length ? misnamed[0] : dirs[0] });
  }

  const sets: BackupSetRecord[] = [];
  const skipped: SkippedBackup[] = [
    ...empty.map((file) => ({ file, code: 'INPUT_EMPTY_FILE', reason: 'empty (0 bytes): not a backup, not used' })),
    ...misnamed.map((file) => ({ file, code: 'INPUT_UNKNOWN_FILE_KIND', reason: `named as a backup but not one: ${notABackupKind(file)}; not used` })),
  ];
  const layouts: Array<{ path: string; layout: MtfLayout }> = [];
  for (const path of unique) {
    try {
      layouts.push({ path, layout: readMtfLayout(path) });
    } catch (e) {
      skipped.push({ file: path, ...describeError(e) });
    }
  }
  // Media sets: single files stand alone; stripes group by media set GUID.
  const groups = new Map<string, Array<{ path: string; layout: MtfLayout }>>();
  for (const f of layouts) {
    const m = f.layout.mediaSet;
    const key = m && m.familyCount > 1 ? `set:${m.mediaSetGuid}` : `file:${f.path}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    const m = list[0].layout.mediaSet;
    const striped = !!m && m.familyCount > 1;
    list.sort((a, b) => (a.layout.mediaSet?.familySequence ?? 0) - (b.layout.mediaSet?.familySequence ?? 0));
    if (striped) {
      const seqs = list.map((f) => f.layout.mediaSet!.familySequence);
      const missing: number[] = [];
      for (let i = 1; i <= m.familyCount; i++) if (!seqs.includes(i)) missing.push(i);
      const dup = seqs.length !== new Set(seqs).size;
      if (missing.length || dup) {
        for (const f of list) {
          skipped.push({
            file: f.path,
            code: 'FORMAT_INCOMPLETE_MEDIA_SET',
            reason: `stripe ${f.layout.mediaSet!.familySequence} of ${m.familyCount} of media set ${m.mediaSetGuid}; ${dup ? 'a stripe is present twice' : `stripe${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`}: not used`,
          });
        }
        continue;
      }
    }
    const first = list[0];
    // Damage in the last set's closing blocks only (FORMAT_BAD_MTF_TRAILER: every page and log
    // record read whole) does not keep the set out, as scan and log read such a file; its finish
    // date is unknown (null), which the planner takes into account. Unless more backup content
    // follows the damage (a further set it hides): then the file is left out as before.
    // The two copies of one set's header disagreeing (FORMAT_BAD_BACKUP_HEADER) keep that set out,
    // not the file's other sets: they are read whole (a NOINIT file's damaged log backup header left
    // its intact full backup out, "no usable backup set").
    const allProblems = list.flatMap((f) => f.layout.problems.map((p) => ({ path: f.path, p })));
    // A WARNING on a set's header (BACKUP_HEADER_WARNING: a copy damaged in a field no restore reads,
    // or in LSNs the log stream settles) keeps nothing out: the set is used, the warning on its record.
    const problems = allProblems.filter(({ p }) => p.code !== 'FORMAT_BAD_BACKUP_HEADER' && p.code !== BACKUP_HEADER_WARNING);
    const trailer = problems.filter(({ path, p }) => isTrailerOnlyDamage(path, p));
    const fileDamaged = problems.length > trailer.length;
    for (let position = 1; position <= first.layout.sets; position++) {
      const header = list.flatMap((f) => {
        const p = position <= f.layout.sets ? headerCopiesProblem(f.layout, position) : undefined;
        return p ? [{ path: f.path, p }] : [];
      });
      const damaged = fileDamaged || header.length > 0;
      try {
        const h = readBackupHeader(first.path, first.layout, position);
        if (h.encryption) {
          skipped.push({ file: first.path, code: 'FORMAT_ENCRYPTED_BACKUP', reason: `backup set ${position} is TDE-encrypted (certificate ${h.encryption.certificateThumbprint}); it is listed but not planned` });
          continue;
        }
        if (h.position !== position) {
          // RESTORE … WITH FILE = n names the set SQL Server numbered n; a set whose own number
          // (SSET data set number) disagrees with its place in the file cannot be named for sure.
          skipped.push({ file: first.path, code: 'FORMAT_BAD_MTF', reason: `backup set ${position} of the file says it is set ${h.position} (SSET data set number): FILE = n would be uncertain, not used` });
          continue;
        }
        // stripes of one media set holding two backups (written again WITH INIT between the copies):
        // not one backup, and `FROM DISK = a, DISK = b` would restore neither (page-source.ts)
        const mixed = striped ? stripesOfTwoBackups(list, position) : null;
        if (mixed) {
          skipped.push({ file: mixed.file, code: 'INPUT_MIXED_STRIPES', reason: `${mixed.reason}: not used; put the stripes of one backup together`, firstLsn: h.firstLsn.decimal, lastLsn: h.lastLsn.decimal });
          continue;
        }
        const rec = recordFromHeader(h, list.map((f) => f.path), damaged);
        if (damaged) {
          skipped.push({ file: first.path, code: fileDamaged ? 'FORMAT_BAD_MTF' : 'FORMAT_BAD_BACKUP_HEADER', reason: `${((why) => (why.startsWith(`backup set ${position}'s `) ? why : `backup set ${position}: ${why}`))([...(fileDamaged ? problems : []), ...header].map(({ p }) => p.reason).join('; '))}: not used`, firstLsn: rec.firstLsn, lastLsn: rec.lastLsn });
          continue;
        }
        if (trailer.length && position === first.layout.sets) {
          rec.caveat = trailer.map(({ path, p }) => `${path}: ${p.code}: ${p.reason} (offset ${p.location.offset}); used: a --stop-at time after it started is placed by its own log's commit times, not by its end (unknown), and refused where they do not tell (--stop-before-lsn always can); whether SQL Server's RESTORE reads it despite the damage, RESTORE VERIFYONLY on the server tells`).join('; ');
        }
        const warned = list.flatMap((f) => headerWarnings(f.layout, position).map((p) => `${f.path}: ${p.code}: ${p.reason} (offset ${p.location.offset})`));
        if (warned.length) rec.headerWarnings = warned;
        sets.push(rec);
      } catch (e) {
        const d = describeError(e);
        skipped.push({ file: first.path, code: d.code, reason: `backup set ${position}: ${d.reason}` });
      }
    }
  }
  return { sets, skipped, origin: dirs.join(', ') };
}
