/**
 * Which database each input file belongs to, and the refusal to mix databases.
 *
 * A log is decoded against table layouts matched by allocation unit id, and allocation unit ids
 * repeat between databases (every new database numbers its first user tables alike): a log of one
 * database scanned against another's data file prints rows of garbage labelled with a real
 * table. So before anything is decoded every file given to one scan must carry the same
 * **binding id**, the GUID SQL Server writes into every file of one database:
 * - data file (.mdf/.ndf) and log file (.ldf): page 0, the file header page, variable column 0
 *   (`src/datafile/file-header.ts`; checked on every corpus .mdf/.ldf pair);
 * - full, differential and log backups (.bak/.trn): HEADERONLY BindingID, SCIN @124
 *   (`src/backup/header.ts`; equal to page 1:0 inside each corpus backup).
 * Where a file's binding id cannot be read (a damaged page 0) it is left out of the check and the
 * scan says so, rather than refusing a file that may well belong.
 */
import { InputError } from '../errors.js';
import { echoInput } from '../util/echo.js';
import type { BackupAdvice } from '../backup/page-source.js';
import { readBackupHeader } from '../backup/header.js';
import { readMtfLayout } from '../backup/mtf.js';
import { VLF_HEADER_MARKER } from '../logreader/ldf/constants.js';
import { appendAll, appendTo } from '../util/append-all.js';
import { fileAndSet } from '../util/backup-set-text.js';
import { shellPath } from '../util/shell-word.js';

/** `export`: a file of sql/export-log-records.sql, whose identity is its own catalog rows' database_guid (sources/export.ts). */
export type SourceFileRole = 'mdf' | 'ldf' | 'bak' | 'trn' | 'export' | 'server';

const ROLE_NAMES: Record<SourceFileRole, string> = {
  mdf: 'data file',
  ldf: 'log file',
  bak: 'backup',
  trn: 'log backup',
  export: 'export file',
  // a live scan's database (LiveSource.fileIdentities): its database_guid is the binding id its files carry
  server: 'live database',
};

export interface SourceFileIdentity {
  file: string;
  role: SourceFileRole;
  /** Upper-case GUID text, or null when the file does not show one (damaged page 0). */
  bindingId: string | null;
  /** Database name the file states (backups only; a data file of a user instance holds a path). */
  databaseName: string | null;
  /**
   * HEADERONLY FamilyGUID (backups only; SCIN @156, src/backup/header.ts): the GUID of the database
   * as first created, kept by RESTORE as a new database, which changes the binding id. Absent or null
   * where unknown (data and log files).
   */
  familyGuid?: string | null;
  /**
   * HEADERONLY ServerName (backups only; SCIN @108/@110, src/backup/header.ts): the instance that
   * took the backup. Absent or null where unknown (data and log files).
   */
  serverName?: string | null;
  /**
   * The backup set (RESTORE … WITH FILE = n) this identity is of, for a backup file holding several
   * (WITH NOINIT appends the backups of any database to one file); absent for a file of one set.
   */
  set?: number;
  /**
   * For a set of a --trn file that is not a log backup (a full or differential backup appended to
   * the log backups' file, left out of the log chain: files.ts): its kind (`full backup`), said in
   * place of the role's word ("log backup"), which named it wrongly. Absent otherwise.
   */
  setKind?: string;
}

/**
 * Whether a backup set is of ANOTHER database than `of`: HEADERONLY BindingID both known and
 * different, and FamilyGUID different or unknown (src/backup/header.ts: SSET bytes 124 and 156). The
 * one rule by which a full or differential set appended to a log backup file by another database
 * (one backup device shared WITH NOINIT) is told apart from the file's own database's.
 */
export function ofAnotherDatabase(set: { bindingId?: string | null; familyGuid?: string | null }, of: { bindingId?: string | null; familyGuid?: string | null }): boolean {
  const differs = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toUpperCase() !== b.toUpperCase();
  return differs(set.bindingId, of.bindingId) && (!set.familyGuid || !of.familyGuid || differs(set.familyGuid, of.familyGuid));
}

/**
 * The identities of every set of --trn files (readSourceIdentities 'trn'), without the full or
 * differential sets (`setKind`) of ANOTHER database than their file's log backup sets
 * (ofAnotherDatabase against each of them): such a set is no part of the log chain read from the
 * file (left out of it as every database set of a --trn file is), so it is not the file's database;
 * the one-database check refused the file for it (scan, diff, restore jobs) while dump and log read
 * its log sets noting the set left out. `leftOut`: those sets, for the note every command says of
 * them (naming the other database), even with --quiet. A set whose file holds no log set is kept.
 */
export function withoutOtherDatabaseSets(ids: readonly SourceFileIdentity[]): { kept: SourceFileIdentity[]; leftOut: SourceFileIdentity[] } {
  const kept: SourceFileIdentity[] = [];
  const leftOut: SourceFileIdentity[] = [];
  for (const i of ids) {
    const logs = i.role === 'trn' && i.setKind !== undefined ? ids.filter((x) => x.file === i.file && x.role === 'trn' && x.setKind === undefined && x.bindingId) : [];
    if (logs.length && logs.every((x) => ofAnotherDatabase(i, x))) leftOut.push(i);
    else kept.push(i);
  }
  return { kept, leftOut };
}

/**
 * What is said when backup sets are read by number (`--position N`, a job's `position`) from a file
 * that also holds backup sets of ANOTHER database (ofAnotherDatabase against every set read: one
 * backup device shared by several databases, BACKUP … WITH NOINIT): the set asked for is read, and
 * the file's other database was passed over without a word (`log F --position 2`, F = StopAt.bak
 * with RestoreTimeClean_1.trn appended, printed RestoreTimeClean's log unsaid). Names every database
 * of the file (name, binding id and FamilyGUID, as INPUT_MIXED_DATABASES does), which sets were read
 * (`verb`: 'printed' for log, 'read' elsewhere) and which were not, in the words of the note said of
 * another database's set left out of a --trn file. Null for a file of one set, or when the sets not
 * read are all of the database read (or their headers cannot be read: their own reads say so).
 * Said even with --quiet: a file mixing two databases' backups never passes without a word.
 */
export function otherDatabaseSetsNote(file: string, read: readonly number[], verb = 'read'): string | null {
  let layout: ReturnType<typeof readMtfLayout>;
  try {
    layout = readMtfLayout(file);
  } catch {
    return null;
  }
  if (layout.sets <= 1) return null;
  const headers = new Map<number, ReturnType<typeof readBackupHeader>>();
  for (let p = 1; p <= layout.sets; p++) {
    try {
      headers.set(p, readBackupHeader(file, layout, p));
    } catch {
      // a set whose header cannot be read: its database is unknown, said by whatever reads it
    }
  }
  const positions = [...new Set(read)].sort((a, b) => a - b);
  const readHeaders = positions.flatMap((p) => (headers.has(p) ? [headers.get(p)!] : []));
  if (!readHeaders.length) return null;
  const others = [...headers.entries()].filter(([p, h]) => !positions.includes(p) && readHeaders.every((r) => ofAnotherDatabase(h, r)));
  if (!others.length) return null;
  const who = (h: ReturnType<typeof readBackupHeader>) => `${echoInput(h.databaseName || '(name unknown)', 300)} (binding id ${h.bindingId}${h.familyGuid ? `, FamilyGUID ${h.familyGuid}` : ''})`;
  const kinds = (hs: Array<ReturnType<typeof readBackupHeader>>) => {
    const k = [...new Set(hs.map((h) => h.backupType))];
    return hs.length === 1 ? `a ${k[0]} backup` : k.length === 1 ? `${k[0]} backups` : `${k.slice(0, -1).join(', ')} and ${k[k.length - 1]} backups`;
  };
  const setList = (ps: number[]) => `set${ps.length > 1 ? 's' : ''} ${ps.length > 1 ? `${ps.slice(0, -1).join(', ')} and ${ps[ps.length - 1]}` : ps[0]}`;
  // the other sets by database (binding id and family), in the file's order
  const groups: Array<{ key: string; sets: Array<[number, ReturnType<typeof readBackupHeader>]> }> = [];
  for (const o of others) {
    const key = `${o[1].bindingId}|${o[1].familyGuid ?? ''}`;
    const g = groups.find((x) => x.key === key);
    if (g) g.sets.push(o);
    else groups.push({ key, sets: [o] });
  }
  const count = ['two', 'three', 'four'][groups.length - 1] ?? String(groups.length + 1);
  const readSay = `${setList(positions.filter((p) => headers.has(p)))}, ${kinds(readHeaders)} of ${who(readHeaders[0]!)}, ${readHeaders.length > 1 ? 'are' : 'is'} ${verb}, as asked by number`;
  const otherSay = groups.map((g) => `${setList(g.sets.map(([p]) => p))}, ${kinds(g.sets.map(([, h]) => h))} of another database, ${who(g.sets[0]![1])}, ${g.sets.length > 1 ? 'are' : 'is'} not read`).join('; ');
  return `${file} holds backup sets of ${count} databases: ${readSay}; ${otherSay} (check that ${file} is the file meant: one backup device shared by several databases)`;
}

/**
 * otherDatabaseSetsNote for each backup file of a list read with set numbers (`--bak F F G
 * --position 1,2,1`: `position` one number for every file, or one per file in order), each file
 * once with every set read of it. Empty without `position` (a file of several sets is refused then).
 */
export function otherDatabaseSetsNotes(files: readonly string[], position: number | readonly number[] | undefined, verb = 'read'): string[] {
  if (position === undefined) return [];
  const read = new Map<string, number[]>();
  files.forEach((f, i) => {
    const p = typeof position === 'number' ? position : position[i];
    if (p === undefined) return;
    appendTo(read, f, p);
  });
  return [...read].flatMap(([f, ps]) => otherDatabaseSetsNote(f, ps, verb) ?? []);
}

/** How `i` is named in a sentence: its role's word, or the kind of a database backup set of a --trn file. */
function roleName(i: SourceFileIdentity): string {
  return i.setKind ?? ROLE_NAMES[i.role];
}

/** What the check found: which files could not be checked (their binding id is unreadable). */
export interface IdentityCheck {
  bindingId: string | null;
  unchecked: SourceFileIdentity[];
  /**
   * Notes (one line each, to be said even with --quiet, as `unchecked`'s are) on backups of one
   * binding id that state different database names (`sameIdOtherNames`) or were taken on different
   * servers (`sameIdOtherServers`); empty when they agree.
   */
  otherNames: string[];
}

/**
 * The binding id of a data or log file (page 0) or backup (SCIN). Never throws for a damaged
 * identity (bindingId null); throws only what opening the file throws (InputError
 * INPUT_FILE_UNREADABLE / INPUT_NOT_A_DATA_FILE, FormatError FORMAT_* for a backup that is not one).
 */
export async function readSourceIdentity(file: string, role: SourceFileRole): Promise<SourceFileIdentity> {
  if (role === 'bak' || role === 'trn') {
    const h = readBackupHeader(file);
    return { file, role, bindingId: h.bindingId, databaseName: h.databaseName, familyGuid: h.familyGuid, serverName: h.serverName || null };
  }
  const { MdfPageSource } = await import('../datafile/mdf-source.js');
  if (role === 'ldf') {
    // A data file given as the log (--ldf X.mdf) carries a binding id on page 0 as a log file does:
    // of another database it was refused as "log file X.mdf … belong to different databases", and the
    // user looked for the other database's files. Said as what it is, as the log reader says it
    // (FORMAT_NOT_A_LOG_FILE: a PFS page at 0x2000 where a log has its first VLF). Any other failure
    // of the layout is the log reader's to report.
    const { readLdfLayout } = await import('../logreader/ldf/reader.js');
    try {
      await readLdfLayout(file, { allowUnsupportedVersion: true });
    } catch (e) {
      if ((e as { code?: string }).code === 'FORMAT_NOT_A_LOG_FILE') throw e;
    }
  }
  let bindingId: string | null = null;
  try {
    const s = new MdfPageSource(file);
    bindingId = s.bindingId ?? null;
    // A log file given as a data file (--mdf X.ldf, diff --after-mdf X.ldf) carries the same file
    // header page and binding id: of another database it was refused as "data file X.ldf … belong to
    // different databases". Its page 1 is a VLF header (0xAB at 0x2000) where a data file's is a page
    // header: refused as the data file reader refuses it (datafile/metadata.ts logFileAsDataFile).
    const logged = role === 'mdf' && s.fileIds().some((id) => s.readPage(id, 1)?.[0] === VLF_HEADER_MARKER);
    s.close();
    if (logged) throw (await import('../datafile/metadata.js')).logFileAsDataFile(file);
  } catch (e) {
    // A log file whose page 0 is not a file header page is reported by the log reader itself;
    // a data file that is not one fails there too. Only the identity is unknown here.
    if (role === 'mdf') throw e;
  }
  return { file, role, bindingId, databaseName: null };
}

/**
 * The identity of every backup set of a file that is read (`readSourceIdentity` for a data or log
 * file). A backup file written WITH NOINIT holds several sets, and they may be backups of different
 * databases (`BACKUP LOG A TO DISK = 'logs.trn'; BACKUP LOG B TO DISK = 'logs.trn'`): the first set's
 * binding id alone let `scan --trn logs.trn` read B's log beside A's, and `--bak X.bak --position 2`
 * be checked with set 1's database. `position`: the one set read (`--position`); without it, every
 * set of a log backup file, and for a full/differential backup (`bak`) its one set (a file holding
 * several is refused as opening it refuses: InputError INPUT_SEVERAL_BACKUP_SETS). A set after the
 * first whose header cannot be read is left unchecked (bindingId null: the read of that set reports
 * its damage); the first set's header, or the one `position` names, throws as `readSourceIdentity`
 * does.
 */
export async function readSourceIdentities(file: string, role: SourceFileRole, position?: number): Promise<SourceFileIdentity[]> {
  if (role !== 'bak' && role !== 'trn') return [await readSourceIdentity(file, role)];
  const layout = readMtfLayout(file);
  const sets = Math.max(1, layout.sets);
  const { choosePosition } = await import('../backup/open.js');
  // a full/differential backup gives its pages from one set: the one --position picks (a file of
  // several sets without it is refused here as where it is opened, INPUT_SEVERAL_BACKUP_SETS)
  const positions = role === 'bak' ? [choosePosition(file, layout, position)] : position !== undefined ? [position] : Array.from({ length: sets }, (_, i) => i + 1);
  const out: SourceFileIdentity[] = [];
  for (const p of positions) {
    const set = sets > 1 ? { set: p } : {};
    try {
      const h = readBackupHeader(file, layout, p);
      out.push({ file, role, bindingId: h.bindingId, databaseName: h.databaseName, familyGuid: h.familyGuid, serverName: h.serverName || null, ...set, ...(role === 'trn' && h.backupType !== 'log' ? { setKind: `${h.backupType} backup` } : {}) });
    } catch (e) {
      if (p === positions[0]) throw e;
      out.push({ file, role, bindingId: null, databaseName: null, ...set });
    }
  }
  return out;
}

/**
 * What is said of a file left out of the check (`IdentityCheck.unchecked`): its rows are read with
 * the others' table metadata, and whether it is of their database is not known. Said even with
 * --quiet (scan, log): a quiet script would otherwise take another database's rows without a word.
 */
export function uncheckedIdentityNote(u: SourceFileIdentity): string {
  return `${fileAndSet(u.file, u.set)}: its binding id could not be read (${u.set !== undefined ? 'its backup set header is damaged' : 'damaged page 0'}), so rowback could not check that it belongs to the same database as the other files`;
}

/**
 * Refuse files of different databases: throws InputError `INPUT_MIXED_DATABASES` (exit 2) naming
 * the first file, the first file that differs, both roles and both binding ids. Files whose
 * binding id is unknown are returned in `unchecked`.
 */
export function assertOneDatabase(ids: SourceFileIdentity[]): IdentityCheck {
  const known = ids.filter((i) => i.bindingId);
  const unchecked = ids.filter((i) => !i.bindingId);
  const first = known[0];
  for (const other of known.slice(1)) {
    if (other.bindingId !== first.bindingId) {
      const name = (i: SourceFileIdentity) => `${roleName(i)} ${fileAndSet(echoInput(i.file, 1000), i.set)}${i.databaseName ? ` (database ${echoInput(i.databaseName, 300)})` : ''}`;
      // Which of the two it is, where both files show their FamilyGUID (backups: HEADERONLY
      // FamilyGUID, SCIN @156): RESTORE as a new database gives a new binding id and keeps the family
      // GUID (sys.database_recovery_status.family_guid), so one family is a database and a restored
      // copy of it; two families are two databases. Data and log files show none here: both said.
      const families = first.familyGuid && other.familyGuid ? { a: first.familyGuid, b: other.familyGuid } : null;
      const which = !families
        ? ` (or to one database and a restore of it as a new database, which RESTORE gives a new binding id: sys.database_recovery_status.database_guid). `
        : families.a === families.b
          ? `, of one backup family (FamilyGUID ${families.a}): one database and a copy of it restored as a new database (RESTORE gives the copy a new binding id and keeps the family GUID), whose tables share allocation unit ids only as of the backup it was restored from. `
          : ` and FamilyGUID ${families.a} vs ${families.b}: two databases, not a restored copy of one. `;
      throw new InputError(
        'INPUT_MIXED_DATABASES',
        `${name(first)} and ${name(other)} belong to different databases: binding id ${first.bindingId} vs ${other.bindingId}` +
          which +
          `Allocation unit ids repeat between databases, so mixing them would print one database's rows as another's tables; give files of one database`,
        { file: other.file },
      );
    }
  }
  return { bindingId: first?.bindingId ?? null, unchecked, otherNames: [...sameIdOtherNames(known), ...sameIdOtherServers(known)] };
}

/**
 * Backups (and backup sets) of one binding id whose headers state different database names
 * (HEADERONLY DatabaseName, SCIN @104/@106; data and log files state none here). The binding id is
 * written into a database's files and kept by whatever copies them: a database attached from copies
 * of another's .mdf/.ldf (a test copy, a tenant made from one) has the original's binding id and
 * family GUID under its own name, and its log continues the original's LSNs from the copy on, so its
 * log backups chain with the original's backups by LSN alone; rows read from both are of two
 * databases. A database renamed (ALTER DATABASE … MODIFY NAME) keeps its binding id too, so this is
 * not refused: one note per name after the first (compared case-insensitively, as SQL Server's
 * default server collations compare database names), naming a file of each and what to check.
 */
export function sameIdOtherNames(ids: readonly SourceFileIdentity[]): string[] {
  const firstByName = new Map<string, SourceFileIdentity>();
  for (const i of ids) {
    if (!i.bindingId || i.databaseName === null || i.databaseName === '') continue;
    const key = i.databaseName.toLowerCase();
    if (!firstByName.has(key)) firstByName.set(key, i);
  }
  const named = [...firstByName.values()];
  if (named.length < 2) return [];
  const [a, ...others] = named;
  const name = (i: SourceFileIdentity) => `${roleName(i)} ${fileAndSet(echoInput(i.file, 1000), i.set)} is of database ${echoInput(i.databaseName!, 300)}`;
  return others.map(
    (b) =>
      `${name(a!)} and ${name(b)}, with the same binding id ${a!.bindingId}: one database renamed between these backups (ALTER DATABASE … MODIFY NAME), or two databases, one attached from copies of the other's files (which keep the binding id: a test copy, a tenant made from one), whose logs hold the same LSNs from the copy on, so that rows read from both may be of two databases; if it is not one database renamed, give the files of one database`,
  );
}

/**
 * Backups (and backup sets) of one binding id taken on different servers (HEADERONLY ServerName,
 * SCIN @108/@110; data and log files state none here). A database's name is unique on a server, so
 * a copy of it attached under the same name from copies of its .mdf/.ldf (a test or reporting copy,
 * which keeps the binding id and family GUID: MS Learn, sys.database_recovery_status database_guid,
 * "duplicates can be created by copying and attaching databases") runs on another server; its log
 * goes on from the original's LSNs, and its first log backup starts where the original's last one
 * before the copy ended, so `--trn` of both chains by LSN alone and its rows read as the original's
 * (`sameIdOtherNames` says it where the copy has another name). One database's backups are also
 * taken on several servers (the replicas of an availability group, log shipping, a move to another
 * server), so this is not refused: one note per server after the first (compared
 * case-insensitively, as Windows host and instance names are), naming a file of each and what to check.
 */
export function sameIdOtherServers(ids: readonly SourceFileIdentity[]): string[] {
  const firstByServer = new Map<string, SourceFileIdentity>();
  for (const i of ids) {
    if (!i.bindingId || !i.serverName) continue;
    const key = i.serverName.toLowerCase();
    if (!firstByServer.has(key)) firstByServer.set(key, i);
  }
  const servers = [...firstByServer.values()];
  if (servers.length < 2) return [];
  const [a, ...others] = servers;
  const name = (i: SourceFileIdentity) => `${roleName(i)} ${fileAndSet(echoInput(i.file, 1000), i.set)} was taken on server ${echoInput(i.serverName!, 300)}`;
  return others.map(
    (b) =>
      `${name(a!)} and ${name(b)}, with the same binding id ${a!.bindingId}${a!.databaseName && b.databaseName ? ` (database ${echoInput(a!.databaseName, 300)}${b.databaseName.toLowerCase() !== a!.databaseName.toLowerCase() ? ` and ${echoInput(b.databaseName, 300)}` : ''})` : ''}: one database backed up on several servers (availability group replicas, log shipping, a move), or a copy of it attached on another server from copies of its files (a test copy, which keeps the binding id and often the name), whose log goes on from the same LSNs, so that rows read from both may be of two databases; if the servers do not hold one database, give the backups of one server`,
  );
}

/** The files of one scan whose identity is read: as `rowback scan --mdf/--bak/--position/--ldf/--trn` takes them. */
export interface ScanInputFiles {
  mdf?: string[];
  bak?: string[];
  /** Backup set of `bak` (RESTORE … WITH FILE = n). */
  position?: number;
  ldf?: string;
  trn?: string[];
}

/**
 * The identity of every file (and backup set) a files scan reads, in the order the files source
 * checks them (data files, backups, log file, log backups). Throws what readSourceIdentities throws.
 */
export async function readInputIdentities(inputs: ScanInputFiles): Promise<SourceFileIdentity[]> {
  const ids: SourceFileIdentity[] = [];
  for (const f of inputs.mdf ?? []) ids.push(await readSourceIdentity(f, 'mdf'));
  for (const f of inputs.bak ?? []) appendAll(ids, (await readSourceIdentities(f, 'bak', inputs.position)));
  if (inputs.ldf) ids.push(await readSourceIdentity(inputs.ldf, 'ldf'));
  for (const t of inputs.trn ?? []) appendAll(ids, (await readSourceIdentities(t, 'trn')));
  return ids;
}

/**
 * The file identities of a files source (its `fileIdentities()`: read once, and checked to be of one
 * database, INPUT_MIXED_DATABASES), else those of `inputs` read here (a source without the method:
 * a test's stand-in). Throws what readSourceIdentities and assertOneDatabase throw.
 */
export async function fileIdentitiesOf(source: object | undefined, inputs: ScanInputFiles): Promise<SourceFileIdentity[]> {
  const own = source as { fileIdentities?: () => Promise<SourceFileIdentity[]> } | undefined;
  return typeof own?.fileIdentities === 'function' ? own.fileIdentities() : readInputIdentities(inputs);
}

/** A catalog JSON given with files (`--schema FILE`, a job's `metadata.catalog`) and the database it names. */
export interface GivenCatalog {
  /** How the catalog is named in messages: `--schema catalog.json`, `metadata.catalog`. */
  name: string;
  /** Its file, for the error location (absent for a job's inline catalog). */
  file?: string;
  /** `CatalogIdentity` of the catalog (reconstruct/metadata/catalog-json.ts); null when it names none. */
  identity: { databaseName: string | null; databaseGuid: string | null; familyGuid: string | null } | null;
}

export interface CatalogDatabaseOptions {
  /** The override was given (`--catalog-any-database`, a job's `metadata.catalogAnyDatabase`): a mismatch is a note, not a refusal. */
  anyDatabase?: boolean;
  /** The override as the user gives it, named in the refusal: `--catalog-any-database`. */
  overrideName: string;
}

/**
 * Check that a catalog JSON is of the database of the files scanned with it: its database_guid
 * (sys.database_recovery_status) against the binding id of each file whose binding id is known
 * (page 0 of .mdf/.ldf, HEADERONLY BindingID of .bak/.trn: the same GUID, Microsoft's RESTORE
 * HEADERONLY docs). Allocation unit ids repeat between databases, so another database's catalog
 * names this log's rows after its own tables.
 * - a mismatch: throws InputError `INPUT_CATALOG_OTHER_DATABASE` (exit 2), one line naming the
 *   catalog, its database name and GUID, the file and its binding id, whether the two are of one
 *   backup family (family_guid = the backup's FamilyGUID; a restore as a new database keeps it and
 *   gets a new database_guid) and the override; with `anyDatabase`, returns that as a note instead;
 * - a catalog naming no database_guid (older catalogs, or a user not allowed to see the row), or no
 *   file whose binding id is known: returns a note that the check could not be made;
 * - a match: returns no note.
 * The notes are to be said even with --quiet, as the files' own unchecked-identity notes are.
 */
export function checkCatalogDatabase(given: GivenCatalog, ids: SourceFileIdentity[], opts: CatalogDatabaseOptions): string[] {
  const known = ids.filter((i) => i.bindingId);
  // names as the catalog and the files give them, echoed escaped: a database name may hold a line
  // break (a delimited identifier; catalog JSON is a file anyone can edit), which split the refusal
  // and the note into lines, the second reading as rowback's own
  const id0 = given.identity;
  const id = id0 && { ...id0, databaseName: id0.databaseName === null ? null : echoInput(id0.databaseName, 300) };
  const catalog = { ...given, name: echoInput(given.name, 1000) };
  if (!id?.databaseGuid) {
    const why = !id
      ? 'names no database (no database_guid column: written by sql/table-metadata.sql before it named its database)'
      : `is of database ${id.databaseName ?? '(unnamed)'} with database_guid NULL (the user that ran sql/table-metadata.sql could not see the database's row of sys.database_recovery_status; VIEW ANY DATABASE shows it)`;
    return ids.length ? [`${catalog.name} ${why}, so rowback could not check that it is of the same database as ${fileList(ids)} (allocation unit ids repeat between databases: another database's catalog names this log's rows after its own tables); export it again with sql/table-metadata.sql to have it checked`] : [];
  }
  const named = `database ${id.databaseName ?? '(unnamed)'} (database_guid ${id.databaseGuid})`;
  if (known.length === 0) {
    return ids.length ? [`${catalog.name} is of ${named}; no file given shows its binding id (${fileList(ids)}), so rowback could not check that they are of that database`] : [];
  }
  const other = known.find((i) => i.bindingId !== id.databaseGuid);
  if (!other) return [];
  const file = `${roleName(other)} ${fileAndSet(echoInput(other.file, 1000), other.set)}${other.databaseName ? ` (database ${echoInput(other.databaseName, 300)})` : ''}`;
  const family = id.familyGuid && other.familyGuid
    ? id.familyGuid === other.familyGuid
      ? `both are of one backup family (family_guid ${id.familyGuid}): the catalog is of a copy of this database restored as a new database (RESTORE gives it a new database_guid and keeps family_guid), whose tables share this database's allocation unit ids only as of the backup it was restored from (tables created, rebuilt or dropped since, in either, do not)`
      : `nor of one backup family (family_guid ${id.familyGuid} vs ${other.familyGuid}): another database`
    : `if the catalog was exported from a copy of this database restored as a new database (RESTORE gives it a new database_guid and keeps family_guid), its tables share this database's allocation unit ids only as of the backup it was restored from`;
  const mismatch = `${catalog.name} is of ${named}, and ${file} of another database (binding id ${other.bindingId}); ${family}`;
  if (opts.anyDatabase) return [`${mismatch}; read with that catalog all the same (${opts.overrideName}): rows on allocation units its tables do not share with this database are named after the wrong table`];
  throw new InputError(
    'INPUT_CATALOG_OTHER_DATABASE',
    `${mismatch}. Allocation unit ids repeat between databases, so its tables would name this log's rows wrongly; export the catalog from the log's own database (sql/table-metadata.sql), or, if you know its tables' allocation unit ids are this database's, give ${opts.overrideName}`,
    catalog.file ? { file: catalog.file } : {},
  );
}

function fileList(ids: SourceFileIdentity[]): string {
  const files = [...new Set(ids.map((i) => echoInput(i.file, 1000)))];
  return files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} other file(s)` : files.join(', ');
}

/** The header facts a backup-set check needs (a subset of `BackupHeader`). */
export interface BackupSetHeader {
  file: string;
  backupType: 'full' | 'differential' | 'log';
  databaseName: string;
  bindingId: string | null;
  /** HEADERONLY FamilyGUID (SCIN @156): named by INPUT_MIXED_DATABASES (two databases, or a restored copy of one); absent or null where unknown. */
  familyGuid?: string | null;
  backupSetGuid: string | null;
  differentialBaseGuid: string | null;
  differentialBaseLsn: { lsn: string; decimal: string } | null;
  backupStartDate: string | null;
  /** The backup set of the file (RESTORE … WITH FILE = n) and how many the file holds: named in refusals when it holds several. */
  position?: number;
  backupSets?: number;
}

/** `FILE` or, for a file holding several backup sets, `FILE (backup set N)`: which of them a refusal is about. */
function setOf(h: BackupSetHeader): string {
  return fileAndSet(h.file, h.backupSets !== undefined && h.backupSets > 1 ? h.position : undefined);
}

/**
 * Check that backups given together as one database's pages (`--bak FULL [DIFF…]`) form one
 * restore sequence: one database (binding id), a full backup first, then only differentials whose
 * base (SCIN @200, HEADERONLY DifferentialBaseGUID) is that full backup's BackupSetGUID.
 * Throws InputError (exit 2):
 * - `INPUT_MIXED_DATABASES` (see assertOneDatabase);
 * - `INPUT_DIFFERENTIAL_WITHOUT_FULL`: the first backup is a differential: names the full backup it
 *   needs (BackupSetGUID, checkpoint LSN, taken before the differential) and what can be done
 *   instead: `advice.differentialWithoutFull` (oneBackupAdvice), by default to give the full first;
 * - `INPUT_DIFFERENTIAL_BASE_MISMATCH`: a differential based on another full backup;
 * - `INPUT_NOT_A_DATABASE_BACKUP`: a log backup given where pages are needed.
 */
export function assertBackupSet(headers: BackupSetHeader[], advice: BackupAdvice = {}): void {
  // each set of a file of several named by its number: two sets of one file (--bak F F --position 1,2)
  // were refused as 'backup F (database A) and backup F (database B)', one path twice
  assertOneDatabase(headers.map((h) => ({ file: h.file, role: 'bak' as const, bindingId: h.bindingId, databaseName: h.databaseName, familyGuid: h.familyGuid ?? null, ...(h.backupSets !== undefined && h.backupSets > 1 && h.position !== undefined ? { set: h.position } : {}) })));
  for (const h of headers) {
    if (h.backupType === 'log') {
      // a log set of a file that holds a database backup set too (BACKUP DATABASE and BACKUP LOG
      // appended WITH NOINIT): the file as --trn reads its log backup sets and leaves the database
      // backup sets out with a note (files.ts, replay/point-in-time.ts setsOf); said with both halves
      const beside = advice.logBackupInBak === undefined ? databaseSetsBeside(h) : [];
      const instead = beside.length
        ? `this file holds database backup set${beside.length > 1 ? 's' : ''} ${beside.join(', ')} beside it: give the file with --trn ${shellPath(h.file)} (its log backup sets are read, the database backup set${beside.length > 1 ? 's' : ''} left out of the log chain) and the database backup with ${beside.map((p) => `--bak ${shellPath(h.file)} --position ${p}`).join(' or ')}; its log records alone are listed by rowback log ${shellPath(h.file)} --position ${h.position}`
        : advice.logBackupInBak ?? 'give it with --trn, and a full backup with --bak';
      throw new InputError('INPUT_NOT_A_DATABASE_BACKUP', `${setOf(h)} is a log backup: it holds no data pages; ${instead}`, { file: h.file });
    }
  }
  const [first, ...rest] = headers;
  if (!first) return;
  if (first.backupType === 'differential') {
    // Its full backup given too, only later (`--bak DIFF FULL`, a 3 a.m. slip): said as the order to
    // give, not as a full backup missing, which sent the user looking for a file already given.
    const full = rest.find((h) => h.backupType === 'full' && h.backupSetGuid !== null && h.backupSetGuid === first.differentialBaseGuid);
    if (full) {
      const order = [full, ...headers.filter((h) => h !== full)].map((h) => h.file).join(' ');
      throw new InputError('INPUT_BAD_OPTION', `${first.file} is a differential backup and ${full.file}, the full backup it is based on, is given after it: give the full backup first, then the differentials (${order})`, { file: first.file });
    }
    // Its full backup is another set of the same file (BACKUP … WITH NOINIT): "--bak FULL.bak DIFF"
    // cannot be given, since one --position picks the set in every file; said as not supported, with
    // what does give the rows.
    const sameFile = fullInSameFile(first);
    if (sameFile !== null) {
      const opt = advice.position ?? '--position';
      // the caller reads a set number per file: the file twice, full then differential, as RESTORE's two statements
      if (advice.positionList) {
        throw new InputError('INPUT_DIFFERENTIAL_WITHOUT_FULL', `${missingFull(first)}, which is backup set ${sameFile} of the same file: give the file twice with a set number for each, full backup first: ${advice.bakOption ?? '--bak'} ${shellPath(first.file)} ${shellPath(first.file)} ${opt} ${sameFile},${first.position} (RESTORE … FROM DISK = '${first.file}' WITH FILE = ${sameFile}, NORECOVERY, then WITH FILE = ${first.position})`, { file: first.file });
      }
      throw new InputError(
        'INPUT_DIFFERENTIAL_WITHOUT_FULL',
        `${missingFull(first)}, which is backup set ${sameFile} of the same file: one backup set number (${opt} N) picks the set in every backup file, so a full backup and a differential that are two sets of one file cannot be read together (not supported); read the full backup alone (${opt} ${sameFile}: the rows as they stood at that backup), or restore both on a SQL Server (RESTORE DATABASE … FROM DISK = '${first.file}' WITH FILE = ${sameFile}, NORECOVERY, then WITH FILE = ${first.position}, RECOVERY) and read the restored database's .mdf`,
        { file: first.file },
      );
    }
    let instead = advice.differentialWithoutFull ?? `give it first (--bak FULL.bak ${shellPath(first.file)})`;
    // its file holds several sets: `--bak FULL.bak DIFF` alone is refused for want of a set number
    // (INPUT_SEVERAL_BACKUP_SETS), and one number picks the set of every file: the list form, one
    // per file (dump, diff), or, where one number is read (scan), the commands that take it
    if ((first.backupSets ?? 1) > 1 && first.position !== undefined) {
      const opt = advice.position ?? '--position';
      instead += advice.positionList
        ? `, with a set number for each file, in order: ${opt} N,${first.position} (N the full backup's set in FULL.bak, 1 if it holds one)`
        : `; ${first.file} holds ${first.backupSets} backup sets, and one ${opt} picks the set of every file: rowback dump and diff take one per file (--bak FULL.bak ${shellPath(first.file)} --position N,${first.position})`;
    }
    throw new InputError('INPUT_DIFFERENTIAL_WITHOUT_FULL', `${missingFull(first)}; ${instead}`, { file: first.file });
  }
  for (const d of rest) {
    if (d.backupType === 'full') {
      throw new InputError('INPUT_BAD_OPTION', `${setOf(first)} and ${setOf(d)} are both full backups: give one full backup, then differentials based on it`, { file: d.file });
    }
    if (first.backupSetGuid && d.differentialBaseGuid && d.differentialBaseGuid !== first.backupSetGuid) {
      throw new InputError('INPUT_DIFFERENTIAL_BASE_MISMATCH', `${missingFull(d)}, not on ${first.file} (BackupSetGUID ${first.backupSetGuid})`, { file: d.file });
    }
  }
}

/** The other backup sets of `h`'s file that are full or differential backups (none for a file of one set, or where unreadable). */
function databaseSetsBeside(h: BackupSetHeader): number[] {
  if (h.backupSets === undefined || h.backupSets < 2 || h.position === undefined) return [];
  const out: number[] = [];
  try {
    const layout = readMtfLayout(h.file);
    for (let p = 1; p <= layout.sets; p++) {
      if (p === h.position) continue;
      try {
        if (readBackupHeader(h.file, layout, p).backupType !== 'log') out.push(p);
      } catch {
        // a set whose header cannot be read is not named here
      }
    }
  } catch {
    // unreadable now: the general advice stands
  }
  return out;
}

/** The position of the full backup `d` is based on where it is another backup set of `d`'s own file, else null. */
function fullInSameFile(d: BackupSetHeader): number | null {
  if (d.backupSets === undefined || d.backupSets < 2 || !d.differentialBaseGuid) return null;
  try {
    const layout = readMtfLayout(d.file);
    for (let p = 1; p <= layout.sets; p++) {
      if (p === d.position) continue;
      try {
        const h = readBackupHeader(d.file, layout, p);
        if (h.backupType === 'full' && h.backupSetGuid === d.differentialBaseGuid) return p;
      } catch {
        // a set whose header cannot be read is not the full backup named here
      }
    }
  } catch {
    // the file's layout was read to get here; unreadable now: the general advice stands
  }
  return null;
}

function missingFull(d: BackupSetHeader): string {
  const lsn = d.differentialBaseLsn ? `, checkpoint LSN ${d.differentialBaseLsn.lsn} (${d.differentialBaseLsn.decimal})` : '';
  const when = d.backupStartDate ? `, taken before ${d.backupStartDate}` : '';
  return `${setOf(d)} is a differential backup of ${d.databaseName}: it holds only the extents changed since its full backup (BackupSetGUID ${d.differentialBaseGuid ?? 'unknown'}${lsn}${when}) and is based on that full backup`;
}

/**
 * What `rowback log` or a files job of the API accepts instead, for the refusals of the backups they
 * read their table metadata from. The default advice names `--bak FULL DIFF` / `--bak a.bak b.bak`
 * and `--trn`, which `dump`, `diff`, `scan` and `log` take (`log --bak` takes the same list as
 * `scan --bak`: the full backup, every stripe, then differentials). `log` has no --trn: a log
 * backup is one of the files it lists, and one given after `--bak` was taken into --bak's list. A
 * job names its files in JSON. Pass it to openBackupPages.
 */
export function oneBackupAdvice(command: 'log' | 'job'): BackupAdvice {
  if (command === 'job') {
    return {
      differentialWithoutFull: 'give the full backup first: "bak": ["FULL.bak", "DIFF.bak"]',
      incompleteMediaSet: 'give every stripe of the media set: "bak": ["a.bak", "b.bak"]',
      notALogBackup: 'give it in "bak", not "trn"',
      logBackupInBak: 'give it in "trn", and a full backup in "bak"',
      position: '"position":',
      noLog: 'give "ldf", "trn" or a "bak" whose log portion is read',
      noMetadata: 'give "mdf" or "bak" (or "metadata")',
      logFiles: { trn: '"trn"', ldf: '"ldf"' },
      layoutInputs: { dataFile: '"mdf" or "bak"', layout: '"metadata" (catalog or ddl)' },
    };
  }
  return {
    logBackupInBak: '`rowback log` reads a log backup as one of the files it lists: list the log files before --bak (`rowback log LOG… --bak FULL [STRIPE…] [DIFF…]`), as --bak takes every file after it',
  };
}

/**
 * Whether a data file (or a full/differential backup's pages) and the `.ldf` given with it are of
 * one time. Their binding ids say they are of one database (assertOneDatabase), not of one moment:
 * a log file copied last week beside today's data file, or a data file restored from an old copy
 * beside today's log, passed every check.
 *
 * Facts: an LSN is `VLF sequence number : log block : slot` (the log block header and every record
 * name their LSN as u32 VLF seq, u32 block, u16 slot: /work/shared/corpus/FORMAT-NOTES.md; Paul
 * Randal, "Inside the Storage Engine: More on the circular nature of the log"); the VLF header holds
 * its sequence number (u32 @4, FORMAT-NOTES). The data file's boot page holds its last checkpoint,
 * dbi_checkptLSN (page 1:9 @444, datafile/boot-page.ts). Crash recovery starts from that
 * checkpoint's log records, so the log is never truncated past them: a data file and the log file
 * of one moment have the checkpoint's VLF among the log file's VLFs (checked on the corpus's six
 * .mdf/.ldf pairs: every checkpoint LSN's VLF is one of its log's, e.g. AngularJs_CRUD 0x25 = 37 of
 * VLFs 35–37).
 * - the checkpoint's VLF sequence number above every VLF of the log file, or the log file's newest
 *   VLF but past the end of its log (its last current block ends at or before the checkpoint's
 *   block; read only when the VLF's bytes after it are never written or stale, not damaged): the
 *   data file was written after the log file's end (the log is older, by more or less than a VLF):
 *   what the database did after the log's end, deletes among them, is in no file given;
 * - (data files only) below every VLF of the log file: the log file holds no record of the data
 *   file's time (the data file is older than the whole log): its table layouts may predate changes
 *   the log records. A backup is normally older than the log beside it, so this is not said of one.
 * Callers ask only when the .ldf is the only log read (log backups beside it may hold what it lacks).
 * Returns the note (one line naming both files, the checkpoint LSN and the log's VLF sequence
 * numbers), or null when they agree or a log file's layout cannot be read or its VLF walk stopped early (its reader says why). `ldfFiles`: every .ldf of the log (a log of several files).
 */
export async function dataFileLogTimeNote(data: { file: string; role: 'mdf' | 'bak'; checkpointLsn: string | null | undefined }, ldfFiles: string | string[], opts: { allowLogVersion2?: boolean } = {}): Promise<string | null> {
  return (await dataFileLogTime(data, ldfFiles, opts))?.note ?? null;
}

/**
 * {@link dataFileLogTimeNote}, with where the log file's log ends when the data file or backup is
 * the newer: `{ note, newerFrom }`, `newerFrom` the first LSN (fn_dblog form) the log file may not
 * hold — the start of its newest VLF when the checkpoint's VLF is above every one of its VLFs (its
 * log ends somewhere in that VLF), else the block its log ends before — and null when the data
 * file is the older one. The files source makes the newer case a stretch of log in no file given
 * (FileRecoverySource.logNotGiven: `scan` and files jobs say it INCOMPLETE when their window may
 * reach it). Null when the two agree (or cannot be compared), as dataFileLogTimeNote.
 */
export async function dataFileLogTime(data: { file: string; role: 'mdf' | 'bak'; checkpointLsn: string | null | undefined }, ldfFiles: string | string[], opts: { allowLogVersion2?: boolean } = {}): Promise<{ note: string; newerFrom: string | null } | null> {
  const ldfs = typeof ldfFiles === 'string' ? [ldfFiles] : [...new Set(ldfFiles)];
  if (ldfs.length === 0) return null;
  const m = /^([0-9a-f]{8}):/i.exec(data.checkpointLsn ?? '');
  if (!m) return null;
  const ckSeq = parseInt(m[1], 16);
  // a checkpoint LSN of 0 (a data file never checkpointed, or a damaged boot page): nothing to compare
  if (ckSeq === 0) return null;
  const seqs: number[] = [];
  // the VLFs of the checkpoint's sequence, with the file each lies in
  const ckVlfs: Array<{ file: string; vlf: { seq: number; parity: number; offset: number; size: number } }> = [];
  try {
    const { readLdfLayout } = await import('../logreader/ldf/reader.js');
    for (const ldf of ldfs) {
      const layout = await readLdfLayout(ldf, { allowUnsupportedVersion: opts.allowLogVersion2 === true });
      // A walk that stopped early (a damaged VLF header, a copy cut short: layout.problems, which the
      // log reader reports itself) has not seen every VLF: the checkpoint's may be among those lost,
      // and "a copy of another time" would be said of a log file of the right time that is damaged.
      if (layout.problems.length) return null;
      // a VLF never used carries sequence number 0
      for (const v of layout.vlfs) {
        if (v.seq > 0) seqs.push(v.seq);
        if (v.seq === ckSeq) ckVlfs.push({ file: ldf, vlf: v });
      }
    }
  } catch {
    return null;
  }
  if (seqs.length === 0) return null;
  // (a loop, not Math.min(...seqs): a log grown in small steps can have tens of thousands of VLFs)
  let lo = seqs[0]!;
  let hi = seqs[0]!;
  for (const q of seqs) {
    if (q < lo) lo = q;
    if (q > hi) hi = q;
  }
  const what = data.role === 'mdf' ? 'data file' : 'backup';
  const dataName = `${what} ${echoInput(data.file, 1000)}`;
  // a log of several files (`log A.ldf B.ldf`): each VLF sequence is used in one of them, so the
  // checkpoint's VLF is looked for among all of them, not in each (the other file held none of it)
  const logName = ldfs.length === 1 ? `log file ${echoInput(ldfs[0]!, 1000)}` : `log files ${ldfs.map((f) => echoInput(f, 1000)).join(', ')}`;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const hex8 = (n: number) => n.toString(16).padStart(8, '0');
  const vlfs = lo === hi ? `VLF ${hex(hi)}` : `VLFs ${hex(lo)} to ${hex(hi)}`;
  const ck = `last checkpoint at LSN ${data.checkpointLsn} (in VLF ${hex(ckSeq)}; boot page dbi_checkptLSN)`;
  if (ckSeq > hi) {
    return { note: `${dataName} and ${logName} are of different times: the ${what}'s ${ck} is after the end of the log file's log (its newest VLF is ${hex(hi)}; it holds ${vlfs}), so the log file is older than the ${what} (a copy of another time): what the database did after the log file's end, deletes among them, is in no file given and not in this result; give the log file of the same time as the ${what} (or its log backups with --trn)`, newerFrom: `${hex8(hi)}:00000000:0000` };
  }
  // The checkpoint in the log's newest VLF: the log file of the data file's moment holds the
  // checkpoint's own record (written and flushed before the boot page names it), so that VLF's log
  // runs at least to it. A log file copied earlier ends before it within the same VLF (a VLF is
  // often tens of MB: most copies of another time differ by less than one), which the sequence
  // numbers alone do not show. Not said when the VLF's bytes after its last current block do not
  // read as log (torn or damaged: the log reader says what it lost there).
  if (ckSeq === hi && ckVlfs.length === 1) {
    const ckLsn = /^([0-9a-f]{8}):([0-9a-f]{8}):([0-9a-f]{4})$/i.exec(data.checkpointLsn ?? '');
    if (ckLsn) {
      const ckBlock = parseInt(ckLsn[2], 16);
      let seen: { end: { vlf: number; block: number } | null; damaged: boolean } | null = null;
      try {
        const { ldfVlfCurrentEnd } = await import('../logreader/ldf/reader.js');
        seen = await ldfVlfCurrentEnd(ckVlfs[0]!.file, ckVlfs[0]!.vlf, ckBlock);
      } catch {
        seen = null;
      }
      if (seen && !seen.damaged && (seen.end === null || ckBlock >= seen.end.block)) {
        const ends = seen.end ? `its log ends before LSN ${hex8(seen.end.vlf)}:${hex8(seen.end.block)}:0001, in its newest VLF ${hex(hi)}` : `its newest VLF, ${hex(hi)}, holds no log block of its own`;
        return { note: `${dataName} and ${logName} are of different times: the ${what}'s ${ck} is after the end of the log file's log (${ends}; it holds ${vlfs}), so the log file is older than the ${what} (a copy of another time, or one whose last log blocks were lost): what the database did after the log file's end, deletes among them, is in no file given and not in this result; give the log file of the same time as the ${what} (or its log backups with --trn)`, newerFrom: seen.end ? `${hex8(seen.end.vlf)}:${hex8(seen.end.block)}:0001` : `${hex8(hi)}:00000000:0000` };
      }
    }
  }
  if (data.role === 'mdf' && ckSeq < lo) {
    return { newerFrom: null, note: `${dataName} and ${logName} are of different times: the data file's ${ck} is before every record the log file holds (${vlfs}), so the data file is older than the log file (a copy of another time): its table layouts and pages are of before what the log records (a table created or altered since is not as the data file describes it); give the data file of the same time as the log file` };
  }
  return null;
}
