import { codePageForCollation } from '../reconstruct/collation.js';
import type { DatabaseDefaultCollation } from '../reconstruct/metadata/ddl.js';
import type { TdsCollation } from '../reconstruct/tds-collation.js';
import type { BackupHeader } from '../backup/header.js';
import { lsnToDecimal, parseAnyLsn } from '../logreader/lsn.js';

/** An LSN in any form parseAnyLsn reads (decimal, `v:b:s` as printed, …) as a bigint, or null (none, or one it refuses). */
function lsnOrNull(lsn: string | null | undefined): bigint | null {
  if (!lsn) return null;
  try {
    return BigInt(lsnToDecimal(parseAnyLsn(lsn)));
  } catch {
    return null;
  }
}

/**
 * What a CREATE TABLE script's char/varchar/text columns without COLLATE take, as the input read
 * beside it tells it (`read`: OpenedSource.databaseDefaultCollation: a data file's or backup's boot
 * page, a live server's sys.databases, an export's header), for `scan --ddl` and a job's
 * `metadata.ddl` alike:
 * - `{ collation }`: the database's default, whose code page rowback knows;
 * - `{ refusal }`: the input names one rowback cannot read text in (an id with no known name, a
 *   `_UTF8` collation of SQL Server 2019 on; a name with no known code page) and `refuse` gives a
 *   text for it (the caller's unreadableDatabaseCollationRefusal: undefined when no column takes
 *   it), or names several that read text in different code pages (`conflicting`: log backups
 *   whose headers disagree, logBackupHeadersCollation): the caller refuses with it, never reading
 *   the text as the assumed 1252 or as one of them;
 * - `{}`: nothing said (no `read`, none named, no column takes it, or the read failed: that failure
 *   is said where the source is read next).
 * Throws what `refuse` throws (a script that does not parse).
 */
export async function scriptDefaultCollation(
  read: (() => Promise<DatabaseDefaultCollation | null>) | undefined,
  refuse: (d: DatabaseDefaultCollation) => string | undefined,
): Promise<{ collation?: DatabaseDefaultCollation; refusal?: string }> {
  if (!read) return {};
  let d: DatabaseDefaultCollation | null = null;
  try {
    d = await read();
  } catch {
    return {};
  }
  if (!d) return {};
  if (!d.unnamed && !d.conflicting && codePageForCollation(d.collation) !== null) return { collation: d };
  const refusal = refuse(d);
  return refusal ? { refusal } : {};
}

/** A log backup set's header as read (a file source's, FileRecoverySource.logBackupHeaders): its file, place, the file's set count. */
export interface LogBackupHeaderRead {
  file: string;
  /** 1-based backup set in the file. */
  position: number;
  /** Backup sets in the file (MtfLayout.sets). */
  sets: number;
  header: BackupHeader;
}

/**
 * The database's default collation as the headers of log backups given alone tell it (`scan --trn`
 * without --mdf/--bak, and jobs so made), judged from headers already read (`read`: every log
 * backup set of the files, as the scan's file source read them, FileRecoverySource.logBackupHeaders;
 * nothing is read again): the collation of every set (SCIN @216 in TDS form, backup/header.ts;
 * reconstruct/tds-collation.ts has the evidence that it is the database's default, the boot page's
 * dbi_collation), compared, the sets in LSN order.
 * - one collation in all of them: it, from `header of the log backup F` (one file) or `headers of
 *   the log backups F1, F2, …`; `unnamed` when rowback does not know its TDS form (a _UTF8 one);
 * - several (the database's default changed by ALTER DATABASE … COLLATE between two of them; a
 *   column made before it keeps the old one, a column made after takes the new one): when they all
 *   read varchar in one code page, the latest, said with the others; else `conflicting`, each named
 *   with its file, for the caller's refusal (unreadableDatabaseCollationRefusal). The earlier reader
 *   took the first file given alone: the same two files in the other order read the same column in
 *   another code page, each time said as "the database's default collation".
 * A set given twice (the same file and position) counts once; null when no set names one (all five
 * bytes zero, or none read: a header that cannot be read is left out by the source, and the log
 * read says why). Pure; throws nothing.
 */
export function logBackupHeadersCollation(read: readonly LogBackupHeaderRead[]): DatabaseDefaultCollation | null {
  const sets: Array<{ file: string; position: number; sets: number; firstLsn: bigint; lastLsn: bigint; tds: string; known: TdsCollation | null; utf8Unknown?: string }> = [];
  const seen = new Set<string>();
  for (const { file, position, sets: n, header: h } of read) {
    const key = `${file}#${position}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // a 2019+ header's version-100/140 collation may be its _UTF8 form (header.ts headerCollation):
    // named, never read as a default of its code page
    const k = h.collation?.known;
    if (h.collation) sets.push({ file, position, sets: n, firstLsn: BigInt(h.firstLsn.decimal), lastLsn: BigInt(h.lastLsn.decimal), tds: k?.utf8Unknown ? `${h.collation.tds} (${k.name} or its _UTF8 form, whose varchar is UTF-8: a SQL Server 2019+ backup header is not known to tell them apart; the boot page of a full backup or data file does)` : h.collation.tds, known: k?.utf8Unknown ? null : k ?? null, ...(k?.utf8Unknown ? { utf8Unknown: k.name } : {}) });
  }
  if (sets.length === 0) return null;
  sets.sort((a, b) => (a.firstLsn < b.firstLsn ? -1 : a.firstLsn > b.firstLsn ? 1 : 0));
  const setName = (s: (typeof sets)[number]) => `${s.file}${s.sets > 1 ? ` (FILE = ${s.position})` : ''}`;
  const files = [...new Set(sets.map((s) => s.file))];
  const named = (s: (typeof sets)[number]) => (s.known ? s.known.name : `TDS collation ${s.tds}`);
  const distinct = sets.filter((s, i) => sets.findIndex((t) => t.tds === s.tds) === i);
  if (distinct.length === 1) {
    const s = distinct[0]!;
    const from = files.length === 1 ? `header of the log backup ${files[0]}` : `headers of the log backups ${files.slice(0, 3).join(', ')}${files.length > 3 ? `, … (${files.length} files)` : ''}`;
    const upTo = sets.reduce((m, t) => (t.lastLsn > m ? t.lastLsn : m), 0n);
    if (!s.known) return { collation: `TDS collation ${s.tds}`, from, unnamed: true, ...(s.utf8Unknown ? { utf8Unknown: s.utf8Unknown, utf8UnknownUpTo: upTo.toString() } : {}) };
    return { collation: s.known.name, from: s.known.variantUnknown ? `${from}; it may be the _SC form, same code page` : from };
  }
  // each collation with the first set (in LSN order) that names it
  const each = distinct.map((s) => `${named(s)} (${setName(s)}${sets.filter((t) => t.tds === s.tds).length > 1 ? ' and later' : ''})`).join(', ');
  const from = `headers of the log backups, which name ${distinct.length} collations in LSN order: ${each}`;
  const pages = distinct.map((s) => (s.known ? codePageForCollation(s.known.name) : null));
  const latest = sets[sets.length - 1]!;
  if (pages.every((p) => p !== null && p === pages[0]) && latest.known) {
    return { collation: latest.known.name, from: `${from}; the latest taken, all reading varchar in code page ${pages[0]}` };
  }
  // a set that may name the _UTF8 form beside one naming the same collation plainly (a server
  // upgraded to 2019 between two log backups): a change is possible, not seen; said so (utf8Unknown)
  const maybe = distinct.find((s) => s.utf8Unknown !== undefined);
  return { collation: distinct.map(named).join(' / '), from, conflicting: true, ...(maybe ? { utf8Unknown: maybe.utf8Unknown! } : {}) };
}

/**
 * A data file's or backup's boot-page default collation (`boot`, named) beside the default the log
 * backups given with it name in their headers (`logs`, logBackupHeadersCollation; null: none read).
 * When they name the same collation, or none, `boot` as it is; when another of the same code page,
 * `boot` with the other named in `from`; when another code page (or one rowback cannot read, or
 * log headers that already conflict), `conflicting`, both named: the default changed between the
 * two (ALTER DATABASE … COLLATE), and which one a script's columns were made under cannot be told.
 * Headers that may name the _UTF8 form (`logs.utf8Unknown`) are settled by a boot page naming the
 * collation only when `bootCheckpointLsn` (its dbi_checkptLSN, decimal or `v:b:s` form) is at or past
 * their end (`utf8UnknownUpTo`); an older boot page (a full backup the log backups follow) is of
 * before an ALTER DATABASE … COLLATE to the _UTF8 form that the headers would not show: conflicting.
 * Pure; throws nothing (an LSN that does not parse is as none given).
 */
export function withLogBackupsCollation(boot: DatabaseDefaultCollation, logs: DatabaseDefaultCollation | null, bootCheckpointLsn?: string | null): DatabaseDefaultCollation {
  // a header names an _SC / _VSS collation in its plain form (tds-collation.ts variantUnknown): the same one
  const plain = (n: string) => n.replace(/_(SC|VSS)(?=_|$)/g, '');
  if (!logs || (!logs.unnamed && !logs.conflicting && (logs.collation === boot.collation || logs.collation === plain(boot.collation)))) return boot;
  // a 2019+ header's collation that may be its _UTF8 form (header.ts): the boot page, naming it (or
  // its _SC form) and no _UTF8 one (collation-ids.ts has none), settles which
  // (only a boot page of the headers' end or later: an older one, the full backup they follow, was
  // read before a change to the _UTF8 form they would not show; it was taken as settling it)
  const bootAt = lsnOrNull(bootCheckpointLsn);
  const sameName = logs.utf8Unknown !== undefined && !logs.conflicting && (logs.utf8Unknown === boot.collation || logs.utf8Unknown === plain(boot.collation));
  if (sameName && bootAt !== null && logs.utf8UnknownUpTo !== undefined && bootAt >= BigInt(logs.utf8UnknownUpTo)) return boot;
  if (sameName) {
    const theLogs = logs.from.replace(/^the /, '');
    return { collation: `${boot.collation} / ${logs.utf8Unknown} or its _UTF8 form`, from: `${boot.from}, which names ${boot.collation}${bootAt !== null ? ` at its checkpoint (LSN ${bootCheckpointLsn})` : ''}, before the end of the log backups (the ${theLogs}, which name${/^headers/.test(theLogs) ? '' : 's'} ${logs.utf8Unknown} or its _UTF8 form: a SQL Server 2019+ header is not known to tell them apart), so a change to the _UTF8 form after the boot page would not be seen`, conflicting: true, utf8Unknown: logs.utf8Unknown! };
  }
  const page = codePageForCollation(boot.collation);
  if (!logs.unnamed && !logs.conflicting && page !== null && codePageForCollation(logs.collation) === page) {
    return { ...boot, from: `${boot.from}; the ${logs.from.replace(/^the /, '')} name${/^headers/.test(logs.from.replace(/^the /, '')) ? '' : 's'} ${logs.collation}, of the same code page ${page}` };
  }
  const theLogs = logs.from.replace(/^the /, '');
  return { collation: `${boot.collation} / ${logs.collation}`, from: `${boot.from}, which names ${boot.collation}, and the ${theLogs}${logs.conflicting ? '' : `, which name${/^headers/.test(theLogs) ? '' : 's'} ${logs.collation}`}`, conflicting: true };
}
