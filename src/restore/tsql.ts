/**
 * The T-SQL of a restore plan, in the shape dbatools' `Restore-DbaDatabase -OutputScriptOnly`
 * prints (one RESTORE per backup, FILE = n, MOVE for every file — a file added after the full
 * backup on the first later RESTORE whose backup names it — NORECOVERY until the end):
 *
 *   RESTORE DATABASE [NEW] FROM DISK = N'full.bak'[, DISK = N'stripe2.bak'] WITH FILE = 1,
 *     MOVE N'logical' TO N'…\NEW.mdf', …, NORECOVERY;
 *   RESTORE DATABASE [NEW] FROM DISK = N'diff.bak' WITH FILE = 1, NORECOVERY;
 *   RESTORE LOG [NEW] FROM DISK = N'log1.trn' WITH FILE = 1, NORECOVERY;
 *   RESTORE LOG [NEW] FROM DISK = N'logN.trn' WITH FILE = 1, NORECOVERY, STOPAT = N'…';
 *   RESTORE DATABASE [NEW] WITH RECOVERY;
 *
 * Syntax facts (Microsoft Learn, "RESTORE Statements — Arguments"): FILE = backup_set_file_number;
 * MOVE 'logical_file_name_in_backup' TO 'operating_system_file_name'; STOPAT = datetime (the
 * server's local time); STOPBEFOREMARK = 'lsn:lsn_number' stops just before that log record;
 * STANDBY = standby_file_name leaves the database read-only between log restores; REPLACE lets a
 * restore overwrite an existing database of the same name; RESTORE DATABASE name WITH RECOVERY
 * recovers a database left restoring. With STANDBY the last RESTORE LOG carries it in place of
 * NORECOVERY and no recovery statement follows.
 *
 * Every identifier goes through `quoteName`, every path and string through `nstring`.
 */
import { InputError } from '../errors.js';
import { commentText, nstring, quoteName, SQLCMD_UNSAFE } from '../util/tsql.js';
import { firstUnpairedSurrogate } from '../util/surrogates.js';
import type { RestoreChain } from './chain.js';
import type { HistoryFile } from './history.js';

export interface RenderOptions {
  /** The database to restore as; the original name needs `replaceOriginal`. */
  as: string;
  replaceOriginal?: boolean;
  /** Undo file for STANDBY (a path on the SQL Server); when absent the script ends WITH RECOVERY. */
  standby?: string;
  /** The new database exists and the user said to overwrite it (`restore run --overwrite-existing`): REPLACE on the full restore. */
  replaceExisting?: boolean;
  /** STATS = n on every restore that reads a backup (progress every n percent); absent in plans. */
  stats?: number;
  /**
   * The caller has no --replace-original (`restore run` never restores over the original): its
   * over-the-original refusal then does not advise that option (commander refused it as unknown).
   */
  noReplaceOriginal?: boolean;
}

/** The way on of an over-the-original refusal: --as NEW_NAME, and --replace-original where the command has it. */
function overOriginalWayOn(db: string, noReplaceOriginal: boolean): string {
  return noReplaceOriginal
    ? 'give --as NEW_NAME for a side database (restore run never restores over the original database)'
    : `give --as NEW_NAME for a side database (recommended), or --replace-original to overwrite ${db} deliberately`;
}

export interface FileMove {
  logicalName: string;
  from: string;
  to: string;
}

/** SQL Server's system databases (sys.databases database_id 1–4, and the hidden resource database). */
const SYSTEM_DATABASES = ['master', 'tempdb', 'model', 'msdb', 'mssqlsystemresource'];

/**
 * The refusals of a plan's target name that need no backup read, made before any is (restore plan and
 * run, `o` their options): neither `--as` nor `--replace-original` (INPUT_RESTORE_OVER_ORIGINAL: the
 * plan would restore over the original database; `restore plan` read every backup, then refused);
 * `--as` naming the one `--database` given (the same refusal renderRestore makes once the chain is
 * known, said first); `--as` naming a system database (INPUT_RESTORE_SYSTEM_DATABASE). What needs the
 * backups' own database name (an `--as` equal to it with no `--database`) is left to renderRestore.
 * `command` names the command in the sentences (`restore plan`).
 */
export function refuseTargetNameUpFront(command: string, o: { as?: string; replaceOriginal?: boolean; database?: string | readonly string[] }): void {
  const names = o.database === undefined ? [] : typeof o.database === 'string' ? [o.database] : [...o.database];
  const trim = (n: string) => n.replace(/ +$/, '').toLowerCase();
  if (o.as === undefined) {
    if (o.replaceOriginal) return;
    const db = names.length === 1 ? names[0]! : 'the original database';
    throw new InputError('INPUT_RESTORE_OVER_ORIGINAL', `${command} without --as would restore over ${db} and its files: give --as NEW_NAME for a side database (recommended), or --replace-original to overwrite ${db} deliberately; no backup was read`, { field: '--as' });
  }
  if (names.length === 1 && trim(o.as) === trim(names[0]!) && !o.replaceOriginal) {
    throw new InputError('INPUT_RESTORE_OVER_ORIGINAL', `--as ${o.as} names the database whose backups are planned (--database ${names[0]}): the plan would restore over ${names[0]} and its files; ${overOriginalWayOn(names[0]!, command === 'restore run')}; no backup was read`, { field: '--as' });
  }
  const system = trim(o.as);
  if (SYSTEM_DATABASES.includes(system) && !names.some((n) => trim(n) === system)) {
    throw new InputError('INPUT_RESTORE_SYSTEM_DATABASE', `--as ${o.as} names SQL Server's own ${system} database, not a new one: restoring the backups into it (restore run --overwrite-existing writes REPLACE) would put another database in its place; choose another --as name; no backup was read`, { field: '--as' });
  }
}

/** Characters Windows refuses in a file name; replaced by `_` where a database name becomes a file name. */
const BAD_FILE_CHARS = /[\\/:*?"<>|\x00-\x1f]/g;

/**
 * New physical names for the side database: each file stays in its original folder with the
 * original extension; the file name becomes the original one with the original database name at
 * its start replaced by `as` (`RestoreTimeClean_log.LDF` → `RTC_side_log.LDF`), or `as` + `_` +
 * the original name when it does not start with the database name. Windows-style paths (with `\`)
 * keep `\`; others `/`. Throws InputError INPUT_RESTORE_FILE_CLASH when two new names coincide or
 * a new name equals an original file (compared case-insensitively, as Windows does).
 */
export function computeMoves(files: HistoryFile[], originalDb: string, as: string): FileMove[] {
  const safe = as.replace(BAD_FILE_CHARS, '_');
  const moves = files.map((f) => {
    const p = f.physicalName;
    const cut = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
    const dir = p.slice(0, cut + 1);
    const name = p.slice(cut + 1);
    const dot = name.lastIndexOf('.');
    const base = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    const newBase = base.toLowerCase().startsWith(originalDb.toLowerCase()) && originalDb.length > 0 ? safe + base.slice(originalDb.length) : `${safe}_${base}`;
    return { logicalName: f.logicalName, from: p, to: `${dir}${newBase}${ext}` };
  });
  const seen = new Set<string>(files.map((f) => f.physicalName.toLowerCase()));
  for (const m of moves) {
    const k = m.to.toLowerCase();
    if (seen.has(k)) throw new InputError('INPUT_RESTORE_FILE_CLASH', `restoring as ${as} would put ${m.logicalName} at ${m.to}, which is already the path of another file of the plan; choose another --as name`, { file: m.to });
    seen.add(k);
  }
  return moves;
}

/**
 * For each step of `chain`, the files of its backup set that no earlier step's set holds: every file
 * of the full backup, then, on a differential or log backup, the files added to the database after
 * the sets before it (ALTER DATABASE … ADD FILE: RESTORE FILELISTONLY of the later backup, and msdb
 * backupfile, name them). Restoring that backup creates such a file at the physical path it had on
 * the original database (roll forward re-creates a file whose adding it meets in the log: Microsoft
 * Learn, "Controlling Creation of Added Files During Roll Forward") unless its own RESTORE moves it
 * (Microsoft Learn, "RESTORE Statements -
 * Arguments", MOVE: supported by RESTORE DATABASE and RESTORE LOG, for a logical file "in the
 * backup set"); a side restore put it on the original's path. A file is the same one by its file id
 * (FILELISTONLY FileId, backupfile file_number), so a logical name changed between backups (MODIFY
 * FILE NAME) is no new file; by logical name, case-insensitively, where a file id is unknown.
 */
function filesFirstNamedPerStep(chain: RestoreChain): HistoryFile[][] {
  const ids = new Set<number>();
  /** Logical names of every file seen, and of those seen without a file id. */
  const names = new Set<string>();
  const namesWithoutId = new Set<string>();
  return chain.steps.map((step) => {
    const fresh = step.set.files.filter((f) => {
      const name = f.logicalName.toLowerCase();
      if (f.fileId === null) return !names.has(name);
      return !ids.has(f.fileId) && !namesWithoutId.has(name);
    });
    for (const f of step.set.files) {
      const name = f.logicalName.toLowerCase();
      names.add(name);
      if (f.fileId !== null) ids.add(f.fileId);
      else namesWithoutId.add(name);
    }
    return fresh;
  });
}

function fromDisks(devices: string[]): string {
  return devices.map((d) => `DISK = ${nstring(d)}`).join(', ');
}

export interface RenderedPlan {
  statements: string[];
  moves: FileMove[];
  /** Warning lines (also written as comments at the head of the script). */
  warnings: string[];
}

/**
 * The statements of `chain` restored as `o.as`. Throws InputError INPUT_RESTORE_OVER_ORIGINAL when
 * `as` is the original database name and `replaceOriginal` is not set, INPUT_RESTORE_SYSTEM_DATABASE
 * when `as` names a system database (master, model, msdb, tempdb), INPUT_BAD_IDENTIFIER for a
 * name `quoteName` refuses, INPUT_RESTORE_FILE_CLASH (see computeMoves).
 */
export function renderRestore(chain: RestoreChain, o: RenderOptions): RenderedPlan {
  const original = chain.databaseName;
  // SQL Server compares names ignoring trailing spaces ([Shop  ] is database Shop), so they are
  // ignored here too: `--as 'Shop '` must not slip past the over-the-original refusal
  const over = o.as.replace(/ +$/, '').toLowerCase() === original.replace(/ +$/, '').toLowerCase();
  if (over && !o.replaceOriginal) {
    throw new InputError('INPUT_RESTORE_OVER_ORIGINAL', `the plan would restore over the original database ${original} and its files; ${overOriginalWayOn(original, o.noReplaceOriginal === true)}`);
  }
  // a side database named master, model, msdb or tempdb is the server's own: RESTORE over it
  // (restore run --overwrite-existing writes REPLACE) would put this database in its place
  const system = o.as.replace(/ +$/, '').toLowerCase();
  if (!over && SYSTEM_DATABASES.includes(system)) {
    throw new InputError('INPUT_RESTORE_SYSTEM_DATABASE', `--as ${o.as} names SQL Server's own ${system} database, not a new one: restoring ${original} into it (restore run --overwrite-existing writes REPLACE) would put ${original} in its place; choose another --as name`, { field: '--as' });
  }
  const db = quoteName(o.as);
  const warnings: string[] = [];
  const stepFiles = filesFirstNamedPerStep(chain);
  const moves = over ? [] : computeMoves(stepFiles.flat(), original, o.as);
  const movesOfStep = stepFiles.map((files) => moves.filter((m) => files.some((f) => f.logicalName === m.logicalName && f.physicalName === m.from)));
  if (over) warnings.push(`WARNING: this script OVERWRITES database ${original} (WITH REPLACE) and its files; every change made after the stop point is lost`);
  const statements: string[] = [];
  const last = chain.steps.length - 1;
  chain.steps.forEach((step, i) => {
    const s = step.set;
    const opts = [`FILE = ${s.position}`];
    // the full backup's files, and on a later restore the files its backup set names first (added
    // after the full backup: filesFirstNamedPerStep)
    for (const m of movesOfStep[i]!) opts.push(`MOVE ${nstring(m.logicalName)} TO ${nstring(m.to)}`);
    if (step.role === 'full' && (over || o.replaceExisting)) opts.push('REPLACE');
    if (i === last && o.standby !== undefined) opts.push(`STANDBY = ${nstring(o.standby)}`);
    else opts.push('NORECOVERY');
    if (i === last && step.role === 'log') {
      const t = chain.target;
      opts.push(t.kind === 'time' ? `STOPAT = ${nstring(t.time)}` : `STOPBEFOREMARK = ${nstring(`lsn:${t.lsn}`)}`);
    }
    if (o.stats !== undefined) {
      if (!Number.isInteger(o.stats) || o.stats < 1 || o.stats > 100) throw new InputError('INPUT_BAD_OPTION', `--stats ${o.stats}: a whole percentage 1–100`);
      opts.push(`STATS = ${o.stats}`);
    }
    const kind = step.role === 'log' ? 'LOG' : 'DATABASE';
    statements.push(`RESTORE ${kind} ${db} FROM ${fromDisks(s.devices)} WITH ${opts.join(', ')};`);
  });
  if (o.standby === undefined) statements.push(`RESTORE DATABASE ${db} WITH RECOVERY;`);
  return { statements, moves, warnings };
}

/**
 * The script as text (UTF-8 when written): warning comments, then one statement per line. Throws
 * InputError INPUT_RESTORE_UNSCRIPTABLE when a statement holds a line break or `$(` (sqlcmd/SSMS
 * act on them) or an unpaired UTF-16 surrogate (UTF-8 has no form for it: U+FFFD would name
 * another database or file), naming the name with its code unit escaped (`[Sales\u{d800}]`).
 */
export function scriptText(r: RenderedPlan): string {
  // A file name or path from a backup header or msdb with a line break or `$(` would be read by
  // sqlcmd / SSMS as their own command (a line GO, `:!! cmd`) or variable before SQL Server sees the
  // script; RESTORE takes no expression there to write it otherwise. Refused (`restore run` sends
  // each statement through the driver, where it is safe).
  const unsafe = r.statements.find((st) => SQLCMD_UNSAFE.test(st));
  if (unsafe) {
    throw new InputError('INPUT_RESTORE_UNSCRIPTABLE', `a name or path of the plan holds a line break or "$(", which sqlcmd and SSMS would act on before SQL Server reads the script (${commentText(unsafe.slice(0, 160))}): no script is printed; \`rowback restore run\` sends each statement to the server itself`);
  }
  // A name holding an unpaired UTF-16 surrogate (a database name or a file's logical name from a
  // backup header or msdb: nvarchar, UTF-16 unchecked): the script is UTF-8, which has no form for
  // it, so `RESTORE DATABASE [Sales\ud800]` was written `[Sales\ufffd]`, another database's name,
  // and `MOVE N'Data\udc00'` named a logical file the backup does not hold. Refused as the line
  // breaks are; `restore run` sends the statements as UTF-16 through the driver, where it is right.
  for (const st of r.statements) {
    const at = firstUnpairedSurrogate(st);
    if (!at) continue;
    const piece = quotedPieceAt(st, at.offset);
    throw new InputError('INPUT_RESTORE_UNSCRIPTABLE', `${piece ? `${piece.what} ${commentText(piece.text)}` : `a name of the statement ${commentText(st.slice(0, 160))}`} holds an unpaired UTF-16 surrogate (${at.unit}), which the UTF-8 script would write as U+FFFD (naming another ${piece?.what.includes('database') ? 'database' : 'name'}): no script is printed; \`rowback restore run\` sends each statement to the server itself (UTF-16)`);
  }
  const head = r.warnings.map((w) => `-- ${commentText(w)}`);
  return [...head, ...r.statements].join('\n') + '\n';
}

/** `[…]` identifiers and `N'…'` literals of a rendered statement (quoteName, nstring). */
const QUOTED = /\[(?:[^\]]|\]\])*\]|N'(?:[^']|'')*'/g;

/**
 * The quoted identifier or literal of `statement` (as renderRestore writes it) holding UTF-16 offset
 * `offset`, with what it names by the words before it; null when the offset is in none.
 */
function quotedPieceAt(statement: string, offset: number): { what: string; text: string } | null {
  for (const m of statement.matchAll(QUOTED)) {
    if (offset < m.index || offset >= m.index + m[0].length) continue;
    const before = statement.slice(0, m.index);
    const what = /RESTORE (DATABASE|LOG) $/.test(before) ? 'the database name'
      : /MOVE $/.test(before) ? "the file's logical name"
        : / TO $/.test(before) ? "the file's new physical name"
          : /DISK = $/.test(before) ? 'the backup file'
            : /STANDBY = $/.test(before) ? 'the standby file'
              : 'the name';
    return { what, text: m[0] };
  }
  return null;
}
