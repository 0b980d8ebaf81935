/**
 * Backup history from a live server's msdb (Microsoft Learn: "backupset", "backupmediafamily",
 * "backupfile" (Transact-SQL)):
 * - backupset: one row per backup set; `type` D full, I differential, L log, F file/filegroup,
 *   G differential file, P partial, Q differential partial; `is_copy_only`; `position` (RESTORE
 *   … FILE = n); first/last/checkpoint/database_backup/differential_base LSNs (numeric(25,0));
 *   `backup_set_uuid`, `differential_base_guid`, `database_guid`, `first_recovery_fork_guid`,
 *   `last_recovery_fork_guid`; `backup_start_date`/`backup_finish_date` (server local time);
 *   `time_zone` (that local time's offset from UTC at the backup's start, 15-minute units, 127
 *   unknown); `is_damaged`; `media_set_id`.
 * - backupmediafamily: the devices of a media set: `family_sequence_number` (stripe), `mirror`
 *   (0 = the primary copy), `physical_device_name`, `device_type` (2 = disk file).
 * - backupfile: the database files in each backup set (`logical_name`, `physical_name`,
 *   `file_type` D/L/F, `file_number`).
 *
 * Every statement is a plain SELECT with the database name as a parameter, sent through a
 * `SqlRunner` (its read-only guard refuses anything else). numeric(25,0) LSNs and GUIDs are cast
 * to nvarchar on the server: a JS number would lose LSN digits.
 */
import { SourceError } from '../errors.js';
import type { SqlRunner } from '../logreader/live/runner.js';
import type { SqlStatement } from '../logreader/live/sql.js';
import type { Row } from '../logreader/live/stream.js';
import type { BackupHistory, BackupSetRecord, HistoryBackupType, SkippedBackup } from './history.js';
import { localToUtc } from '../util/local-time.js';
import { fifteenMinuteZoneMinutes, utcOffsetText } from '../util/utc-offset.js';

/** sysname. */
const DB_PARAM = { name: 'database', type: 'nvarchar' as const, length: 128 };

const lsn = (c: string) => `  CAST(bs.${c} AS nvarchar(25)) AS [${c}],`;
const uid = (c: string) => `  CAST(bs.${c} AS nvarchar(36)) AS [${c}],`;

/** The backup sets of one database, oldest first. */
export function backupSetsSql(database: string): SqlStatement {
  return {
    text: [
      'SELECT',
      '  bs.backup_set_id AS [backup_set_id],',
      '  bs.media_set_id AS [media_set_id],',
      '  bs.type AS [type],',
      '  bs.is_copy_only AS [is_copy_only],',
      '  bs.is_damaged AS [is_damaged],',
      '  bs.is_snapshot AS [is_snapshot],',
      '  bs.has_bulk_logged_data AS [has_bulk_logged_data],',
      '  bs.database_name AS [database_name],',
      '  bs.server_name AS [server_name],',
      '  bs.position AS [position],',
      lsn('first_lsn'),
      lsn('last_lsn'),
      lsn('checkpoint_lsn'),
      lsn('database_backup_lsn'),
      lsn('differential_base_lsn'),
      uid('backup_set_uuid'),
      uid('differential_base_guid'),
      uid('database_guid'),
      uid('family_guid'),
      uid('first_recovery_fork_guid'),
      uid('last_recovery_fork_guid'),
      '  CONVERT(nvarchar(19), bs.backup_start_date, 126) AS [backup_start_date],',
      '  CONVERT(nvarchar(19), bs.backup_finish_date, 126) AS [backup_finish_date],',
      '  bs.time_zone AS [time_zone]',
      'FROM msdb.dbo.backupset AS bs',
      'WHERE bs.database_name = @database',
      'ORDER BY bs.backup_set_id;',
    ].join('\n'),
    params: [{ ...DB_PARAM, value: database }],
  };
}

/** The primary (mirror 0) devices of every media set holding a backup of the database. */
export function backupDevicesSql(database: string): SqlStatement {
  return {
    text: [
      'SELECT DISTINCT',
      '  mf.media_set_id AS [media_set_id],',
      '  mf.family_sequence_number AS [family_sequence_number],',
      '  mf.device_type AS [device_type],',
      '  mf.physical_device_name AS [physical_device_name]',
      'FROM msdb.dbo.backupmediafamily AS mf',
      'JOIN msdb.dbo.backupset AS bs ON bs.media_set_id = mf.media_set_id',
      'WHERE bs.database_name = @database AND mf.mirror = 0',
      'ORDER BY mf.media_set_id, mf.family_sequence_number;',
    ].join('\n'),
    params: [{ ...DB_PARAM, value: database }],
  };
}

/**
 * The files of every backup set of the database (FILELISTONLY's logical and physical names).
 * backupfile holds "one row for each data or log file of a database … Whether or not the file is
 * included in the backup is determined by the is_present column" (Microsoft Learn, backupfile; a
 * file dropped before the backup, state 8 DROPPED, keeps its row): mapHistoryRows keeps the present
 * ones only, as a MOVE of a logical file the backup does not hold fails the RESTORE (Msg 3234).
 */
export function backupFilesSql(database: string): SqlStatement {
  return {
    text: [
      'SELECT',
      '  bf.backup_set_id AS [backup_set_id],',
      '  bf.logical_name AS [logical_name],',
      '  bf.physical_name AS [physical_name],',
      '  bf.file_type AS [file_type],',
      '  bf.file_number AS [file_number],',
      '  bf.is_present AS [is_present]',
      'FROM msdb.dbo.backupfile AS bf',
      'JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = bf.backup_set_id',
      'WHERE bs.database_name = @database',
      'ORDER BY bf.backup_set_id, bf.file_number;',
    ].join('\n'),
    params: [{ ...DB_PARAM, value: database }],
  };
}

const TYPES: Record<string, HistoryBackupType> = { D: 'full', I: 'differential', L: 'log', F: 'file', G: 'file', P: 'partial', Q: 'partial' };

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).trim() || null);

/**
 * A backupset row's `time_zone` (15-minute units east of UTC at the backup's start, 127 unknown, NULL
 * on servers that did not record it) as BackupSetRecord's utcOffset and backupStartDateUtc (the
 * row's local start at that offset); both null when it is unknown, out of range, or the start is.
 */
function zoneOf(start: string | null, zone: unknown): { utcOffset: string | null; backupStartDateUtc: string | null } {
  const minutes = fifteenMinuteZoneMinutes(typeof zone === 'number' ? zone : zone === null || zone === undefined ? null : Number(zone));
  if (minutes === null) return { utcOffset: null, backupStartDateUtc: null };
  return { utcOffset: utcOffsetText(minutes), backupStartDateUtc: start === null ? null : localToUtc(start, minutes) };
}
const guid = (v: unknown): string | null => {
  const t = text(v);
  return t && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(t) ? t.toUpperCase() : null;
};
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/**
 * A disk path as msdb names it, for telling two backups written to one file: Windows paths (a drive
 * letter, a UNC share or a backslash) compare without regard to case, as Windows does; others exactly.
 */
function pathKey(name: string): string {
  const t = name.trim();
  return /^[A-Za-z]:|\\/.test(t) ? t.toLowerCase() : t;
}

/**
 * A disk "file" that keeps nothing: Windows' NUL device (`NUL`, `NUL:`, `\\.\NUL`, or NUL as the last
 * part of a path, a reserved DOS device name in any folder) and Linux's /dev/null. `BACKUP LOG … TO
 * DISK = 'NUL'` is a known way of emptying the log: the server records it in msdb as an ordinary
 * disk backup (device_type 2) and truncates the log as after any log backup, but the records are gone
 * (Gail Shaw, "Backing up to NUL vs Backup with Truncate only"). Planned as a step, the restore
 * failed at it after the full restore had run, leaving the database RESTORING, and the plan had said
 * the target was reachable.
 */
export function isNullDevice(name: string): boolean {
  const t = name.trim();
  if (t === '/dev/null') return true;
  const last = t.slice(Math.max(t.lastIndexOf('\\'), t.lastIndexOf('/')) + 1);
  return /^nul:?$/i.test(last);
}

/**
 * Rows of the three queries → history. A backup set whose devices are not all disk files
 * (device_type ≠ 2: tape, virtual device, URL, logical backup device), one written to the null
 * device (isNullDevice; with its LSNs, so that a refusal over the gap it leaves names it), one its
 * file no longer holds (SOURCE_OVERWRITTEN_BACKUP: a later set written to the same path at the same
 * or a lower position; BACKUP appends at the next position unless told WITH INIT / FORMAT, which
 * overwrite every set of the file, so a fixed file name backed up WITH INIT leaves msdb listing
 * sets the file has not held since; RESTORE … FILE = n of the path reads the later one) or whose
 * media set has no device row is listed in `skipped`, as are rows with no LSNs. Throws SourceError
 * SOURCE_BAD_HISTORY for a row missing its id or type.
 */
export function mapHistoryRows(sets: Row[], devices: Row[], files: Row[], origin: string): BackupHistory {
  const byMedia = new Map<number, Array<{ seq: number; type: number; name: string }>>();
  for (const d of devices) {
    const id = num(d.media_set_id);
    const list = byMedia.get(id) ?? [];
    list.push({ seq: num(d.family_sequence_number), type: num(d.device_type), name: String(d.physical_device_name ?? '') });
    byMedia.set(id, list);
  }
  const filesBySet = new Map<number, BackupSetRecord['files']>();
  for (const f of files) {
    // bit: tedious gives a boolean; absent (an older caller's rows) = present
    if (f.is_present === false || f.is_present === 0) continue;
    const id = num(f.backup_set_id);
    const list = filesBySet.get(id) ?? [];
    const ft = text(f.file_type);
    list.push({ logicalName: String(f.logical_name ?? ''), physicalName: String(f.physical_name ?? ''), type: ft === 'L' ? 'L' : 'D', fileId: f.file_number === null || f.file_number === undefined ? null : num(f.file_number) });
    filesBySet.set(id, list);
  }
  const out: BackupSetRecord[] = [];
  const skipped: SkippedBackup[] = [];
  // every set written to each disk path: (backup_set_id, position), to tell an overwritten one
  const onPath = new Map<string, Array<{ id: number; position: number; uuid: string | null }>>();
  // the first row of each backup_set_uuid: the BACKUP that wrote it. A later row of the same uuid is a
  // RESTORE's record of the set it read (restorehistory.backup_set_id references it), which wrote
  // nothing to the file: no overwrite of any set of it, also not of the others appended there
  const firstOfUuid = new Map<string, number>();
  for (const r of sets) {
    const u = guid(r.backup_set_uuid);
    const id = num(r.backup_set_id);
    if (u !== null && !(id >= (firstOfUuid.get(u) ?? Infinity))) firstOfUuid.set(u, id);
  }
  const wrote = (x: { id: number; uuid: string | null }) => x.uuid === null || firstOfUuid.get(x.uuid) === x.id;
  for (const r of sets) {
    for (const d of byMedia.get(num(r.media_set_id)) ?? []) {
      if (d.type !== 2) continue;
      const k = pathKey(d.name);
      const list = onPath.get(k) ?? [];
      list.push({ id: num(r.backup_set_id), position: num(r.position), uuid: guid(r.backup_set_uuid) });
      onPath.set(k, list);
    }
  }
  for (const r of sets) {
    const id = num(r.backup_set_id);
    const t = text(r.type);
    if (!Number.isFinite(id) || !t) throw new SourceError('SOURCE_BAD_HISTORY', `msdb.dbo.backupset row without backup_set_id or type: ${JSON.stringify(r)}`);
    const devs = (byMedia.get(num(r.media_set_id)) ?? []).sort((a, b) => a.seq - b.seq);
    const label = devs[0]?.name || `backup_set_id ${id}`;
    const backupType = TYPES[t.toUpperCase()] ?? 'other';
    if (devs.length === 0) {
      skipped.push({ file: label, code: 'SOURCE_NO_DEVICE', reason: `backup set ${id}: msdb lists no device for media set ${r.media_set_id}` });
      continue;
    }
    const notDisk = devs.find((d) => d.type !== 2);
    if (notDisk) {
      skipped.push({ file: notDisk.name, code: 'SOURCE_NOT_A_DISK_BACKUP', reason: `backup set ${id}: device type ${notDisk.type} (not a disk file: tape, virtual device, URL or logical device); not planned` });
      continue;
    }
    const first = text(r.first_lsn);
    const last = text(r.last_lsn);
    // backupset.is_snapshot: "Backup was taken using the SNAPSHOT option" (VSS, or SQL Server 2022's
    // BACKUP … WITH METADATA_ONLY to a disk .bkm file): the file holds only metadata, the data files
    // come from a storage snapshot, and RESTORE of it needs … WITH METADATA_ONLY over those files
    if (bool(r.is_snapshot)) {
      skipped.push({ file: label, code: 'SOURCE_SNAPSHOT_BACKUP', reason: `backup set ${id} (${backupType}) is a snapshot backup (msdb is_snapshot): its file holds metadata only, the data files are in a storage snapshot, which a restore plan cannot restore; not planned` });
      continue;
    }
    const discarded = devs.find((d) => isNullDevice(d.name));
    if (discarded) {
      skipped.push({
        file: discarded.name,
        code: 'SOURCE_DISCARDED_BACKUP',
        reason: `backup set ${id} (${backupType}) was written to ${discarded.name}, the null device, which keeps nothing: no file holds it${backupType === 'log' ? ', so the log chain breaks there (the server truncated the log as after any log backup)' : ''}`,
        ...(first && last ? { firstLsn: first, lastLsn: last } : {}),
      });
      continue;
    }
    const position = num(r.position);
    // a later row of the same backup (same backup_set_uuid) is no overwrite: RESTORE records the set it
    // read in backupset too (restorehistory.backup_set_id references it), same path, same position
    const uuid = guid(r.backup_set_uuid);
    const later = devs.map((d) => ({ d, by: (onPath.get(pathKey(d.name)) ?? []).find((x) => x.id > id && x.position <= position && (x.uuid === null || x.uuid !== uuid) && wrote(x)) })).find((x) => x.by);
    if (later?.by) {
      skipped.push({
        file: later.d.name,
        code: 'SOURCE_OVERWRITTEN_BACKUP',
        reason: `backup set ${id} (${backupType}, FILE = ${position} of ${later.d.name}) is no longer in that file: msdb lists a later backup (set ${later.by.id}) written to it at position ${later.by.position}, so it was overwritten (BACKUP … WITH INIT or FORMAT) or the file replaced; give the file that holds it with --backups`,
        ...(first && last ? { firstLsn: first, lastLsn: last } : {}),
      });
      continue;
    }
    if (!first || !last) {
      skipped.push({ file: label, code: 'SOURCE_BAD_HISTORY', reason: `backup set ${id} has no first/last LSN in msdb` });
      continue;
    }
    out.push({
      source: 'msdb',
      backupType,
      copyOnly: bool(r.is_copy_only),
      databaseName: String(r.database_name ?? ''),
      serverName: text(r.server_name),
      position: num(r.position),
      devices: devs.map((d) => d.name),
      firstLsn: first,
      lastLsn: last,
      checkpointLsn: text(r.checkpoint_lsn),
      databaseBackupLsn: text(r.database_backup_lsn),
      differentialBaseLsn: backupType === 'differential' ? text(r.differential_base_lsn) : null,
      differentialBaseGuid: backupType === 'differential' ? guid(r.differential_base_guid) : null,
      backupSetGuid: guid(r.backup_set_uuid),
      bindingId: null,
      databaseGuid: guid(r.database_guid),
      familyGuid: guid(r.family_guid),
      firstRecoveryForkGuid: guid(r.first_recovery_fork_guid),
      lastRecoveryForkGuid: guid(r.last_recovery_fork_guid),
      backupStartDate: text(r.backup_start_date),
      backupFinishDate: text(r.backup_finish_date),
      ...zoneOf(text(r.backup_start_date), r.time_zone),
      damaged: bool(r.is_damaged),
      files: filesBySet.get(id) ?? [],
      // a log backup with bulk-logged changes (backupset has_bulk_logged_data: "Backup contains
      // bulk-logged data"): no stop inside it (chain.ts assertNotInsideBulkLoggedLog)
      ...(backupType === 'log' && bool(r.has_bulk_logged_data) ? { logDataPages: true } : {}),
    });
  }
  return { sets: out, skipped, origin };
}

/** Reads one database's history through `runner` (three SELECTs); throws what the runner throws (SourceError SOURCE_*). */
export async function readMsdbHistory(runner: SqlRunner, database: string, o: { signal?: AbortSignal } = {}): Promise<BackupHistory> {
  const sets = await runner.query(backupSetsSql(database), { signal: o.signal, label: 'msdb backup history' });
  const devices = await runner.query(backupDevicesSql(database), { signal: o.signal, label: 'msdb backup devices' });
  const files = await runner.query(backupFilesSql(database), { signal: o.signal, label: 'msdb backup files' });
  return mapHistoryRows(sets, devices, files, `${runner.description} msdb (${database})`);
}
