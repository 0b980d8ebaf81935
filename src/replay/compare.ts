/**
 * A table at an earlier point against a later state, from files alone: the core of `rowback diff`
 * and of `restore` jobs (API / review page). The earlier state is a full backup [differentials],
 * optionally replayed with log backups to a stop (point-in-time.ts); the later state is a data
 * file, a newer backup, or a replayed point in time too. Rows are matched by key (given, or the
 * clustered index key) or as whole rows (table-diff.ts). Read-only on every file.
 */
import { namesSchema, otherSchemasNote, sameNameElsewhereNote, unknownTableHint } from '../reconstruct/metadata/names.js';
import { InputError, SchemaError, isRowbackError, rewordMessage } from '../errors.js';
import { openBackupPages } from '../backup/open.js';
import type { BackupAdvice } from '../backup/page-source.js';
import { readDataFileMetadata, type DataFileMetadata } from '../datafile/metadata.js';
import { readPageLsn } from '../datafile/page.js';
import { PageReader, pageFromMemo, pageOriginOf, sourceFile, uncheckedPagesNote } from '../datafile/page-reader.js';
import type { PageSource } from '../datafile/page-source.js';
import { findTable, readTableRows } from '../datafile/table-rows.js';
import { visibleColumns, type TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../reconstruct/values.js';
import { openDataFiles } from '../recover/open-data-files.js';
import { ROW_PROVENANCE, type RecoveredRow } from '../recover/recovered-row.js';
import { catalogDamage, catalogDamageSubject, type SkippedItem } from '../recover/source.js';
import { assertBackupSet, assertOneDatabase, otherDatabaseSetsNotes, readSourceIdentities, readSourceIdentity, uncheckedIdentityNote, withoutOtherDatabaseSets, type SourceFileIdentity } from '../recover/source-identity.js';
import type { ChainStep, RestoreTarget } from '../restore/chain.js';
import { backupSetName } from '../restore/history.js';
import { replayTableAt, type ReplayInputs, type ReplayResult } from './point-in-time.js';
import { lastRestoredSet, ownLogSentences, readBaseOwnLog, type OwnLogReading } from './base-own-log.js';
import { bytesNotes } from './row-state.js';
import { diffTableStates, MAY_BE_CHANGED, opaqueTextColumns, refuseAlteredColumns, type TableDiff, type TableState } from './table-diff.js';
import { pickOwn } from '../util/own-keys.js';
import { readBackupHeader } from '../backup/header.js';
import { sameBackups } from '../backup/same-backup.js';
import { oneNumberForEveryFile, positionOf, positionsText, type BackupSetPositions } from '../backup/set-position.js';
import { realPath } from '../util/files.js';
import { formatLsn, lsnFromDecimal, lsnToDecimal, parseLsn } from '../logreader/lsn.js';
import { parseLogPageId } from '../logreader/log-record.js';
import { appendAll } from '../util/append-all.js';
import { identifierText, stagedTableName, tableListText, tableNameWord } from '../util/tsql.js';
import { fileAndSet } from '../util/backup-set-text.js';
import { shellPath, shellWord } from '../util/shell-word.js';

export interface CompareInputs {
  /** Earlier state: full backup [differential…]. */
  bak: string[];
  /** Earlier state: log backups replayed over `bak` to `target` (both or neither). */
  trn?: string[];
  target?: RestoreTarget;
  /** Later state: data file(s) of the database, or … */
  afterMdf?: string[];
  /** … a newer full backup [differential…], optionally replayed with `afterTrn` to `afterTarget`. */
  afterBak?: string[];
  afterTrn?: string[];
  afterTarget?: RestoreTarget;
  /** `schema.name`. */
  table: string;
  /**
   * `table` as the user typed it (diff's `--table`), when `table` is its normalised form: the note that
   * a dbo table has namesakes in other schemas (names.ts otherSchemasNote) is said only when this (or
   * `table`) names no schema (names.ts namesSchema): `dbo.Employees` typed asked for dbo's exactly.
   */
  tableAsTyped?: string;
  /** Columns to match on (default: the clustered index key; whole rows for a heap). */
  key?: string[];
  /** How the caller named the key in messages: `--key` (CLI, default) or `key` (an API job's field). */
  keyName?: string;
  /** Aborted (Ctrl-C): the comparison stops at its next step (or during a replay's log reading) and throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * A later state older than the earlier one is compared, not refused (`--accept-older-later`, an API
   * job's `acceptOlderLater`): its "missing" rows are the rows inserted between them, listed on
   * purpose (an audit); CompareResult.reversed says so. `acceptName` names the option in the refusal.
   */
  acceptOlderLater?: boolean;
  acceptName?: string;
  /**
   * The backup set of each `bak` file to read (RESTORE … WITH FILE = n; `--position`), and of each
   * `afterBak` file (`--after-position`): a file of several sets (WITH NOINIT) is refused without
   * one. With `trn` / `afterTrn` it picks the full (or differential) backup set the replay starts
   * from, as `dump --bak F --position N --trn …`; every log backup set of each `trn` file is a member
   * of the chain (point-in-time.ts setsOf). `afterPosition` with `afterMdf` is refused. A list gives
   * the set of each file in order (its length the number of files: parseBackupSetPositions checks it),
   * so a full and a differential that are two sets of ONE file are one side's base: `bak: [F, F]`,
   * `position: [1, 2]` (as `dump --bak F F --position 1,2`; RESTORE's one FILE = n per statement).
   */
  position?: BackupSetPositions;
  afterPosition?: BackupSetPositions;
  /**
   * The replay of a side given log backups and a stop (default `replayTableAt`): a run comparing
   * several tables at the same points gives `sharedReplays(tables)`, which reads each chain once for
   * all of them; its results and refusals are each table's own, as replayTableAt's.
   */
  replay?: (inputs: ReplayInputs) => Promise<ReplayResult>;
  /**
   * The states read as they are (a side's backups without log backups, a data file), shared by the
   * comparisons of several tables at the same points (a restore job's `tables`): each state's files
   * opened, its catalog read and its backups' own log read once for all of them (SharedStateReads).
   * Without it each comparison opens and reads its files itself.
   */
  reads?: SharedStateReads;
}

/** One state read as it is, shared by the tables compared against it (SharedStateReads). */
interface OpenedState {
  source: PageSource;
  /** Its catalog, read once (with the reader that read it: each table reads on a fork of it), or why not. */
  metadata?: { md: DataFileMetadata; reader: PageReader } | { error: unknown };
  /** Its backups' own log judged for every table given, once: by the backup read (lastRestoredBackup). */
  ownLog?: Promise<{ reading: OwnLogReading; tables: string[] }>;
}

/**
 * The states several comparisons at the same points read as they are (pages of backups read without
 * a replay, or data files), read once for all of them: a state's files are opened once, its catalog
 * read once (each table's rows read on a PageReader forked after it, so its page counts and skipped
 * pages are those of a read of that table alone), and its backups' own log read once for all of
 * `tables` (readBaseOwnLog of them all: what it says of each table is what a read for that table alone
 * says). Each comparison's result and refusals are its own, as without it. `close()` closes every file
 * opened; a comparison after it opens its files again.
 */
export class SharedStateReads {
  private readonly opened = new Map<string, OpenedState>();

  /** `tables`: the tables compared (`schema.name` as given, each comparison's `table`); the own log is judged for all of them at once. */
  constructor(readonly tables: readonly string[]) {}

  /** The state of `key` (its kind and files), opened with `open` the first time. Throws what `open` throws (then nothing is kept). */
  state(key: string, open: () => PageSource): OpenedState {
    let x = this.opened.get(key);
    if (!x) this.opened.set(key, (x = { source: open() }));
    return x;
  }

  /** Closes every state's files (each once; a close that fails does not stop the others). */
  close(): void {
    const states = [...this.opened.values()];
    this.opened.clear();
    for (const x of states) {
      try {
        x.source.close();
      } catch {
        // a close that fails leaves nothing to undo
      }
    }
  }
}

/** A side's page source: from `reads` when given (kept open there), else opened for this comparison (closed by `close`). */
function openSide(reads: SharedStateReads | undefined, key: unknown[], open: () => PageSource): { source: PageSource; shared?: OpenedState; close: () => void } {
  if (!reads) {
    const source = open();
    return { source, close: () => source.close() };
  }
  const shared = reads.state(JSON.stringify(key), open);
  return { source: shared.source, shared, close: () => undefined };
}

export interface CompareResult {
  diff: TableDiff;
  /** The table's layout in the earlier state (what staged rows are decoded and re-inserted with). */
  layout: TableLayout;
  beforeRows: number;
  afterRows: number;
  /** Where the key came from: `--key`, 'the clustered index key', or 'key' (none). */
  keySource: string;
  /** The replays run (earlier first), for their summaries. */
  replays: { side: 'earlier' | 'later'; result: ReplayResult }[];
  /**
   * Per side, the rows compared whose values were decoded with warnings (a value that may be wrong
   * or was not decoded: the verdict on those rows may be too), with the first one's place
   * (`page 1:289 slot 3`, or `log LSN …`, `the base backup`) and warning. Empty when none was.
   */
  warned: Array<{ side: 'earlier' | 'later'; rows: number; where: string; warning: string; sentence?: string }>;
  // sentence: the INCOMPLETE sentence itself, when not one of rows decoded with warnings (diff.unsure: rows that may have changed unseen)
  // rows 0: the side's catalog had pages that failed their checks (where: `the catalog of FILE`)
  /**
   * Per side that read pages with no page checksum, uncheckedPagesNote's note (as
   * `dump` prints it), and per replayed side whose log blocks included blocks with no log block
   * checksum, the replay's uncheckedLog: a changed byte in those pages' rows or those blocks'
   * records cannot be seen, and a "missing" or "changed" row may come from one. Also each replay's
   * notes (ReplayResult.notes: a log backup cut short after the log the replay needed), where
   * `the log replayed`. Also, flagged `identity` (said even with --quiet), each file whose binding id
   * could not be read (a damaged page 0: uncheckedIdentityNote), compared though whether it is of the
   * other files' database is not known (it was compared unsaid; scan and log say it), and the two
   * states read from copies of the same backups (refuseSameBackups). Also, for a side read from
   * backups as they are (no replay), what their own log says of the table (base-own-log.ts): a
   * `warning` when RESTORE … WITH RECOVERY of them would give other rows than the pages compared
   * (or that log could not be read whole), a note when its row operations are already as RESTORE leaves them.
   * Empty when every page and block read carried a checksum and no replay noted anything.
   */
  unchecked: Array<{ side: 'earlier' | 'later'; where: string; note: string; identity?: true; warning?: true }>;
  /**
   * With `acceptOlderLater`, when the later state is older than the earlier one: the sentence saying
   * so (its "missing" rows were inserted between the two, not deleted: re-inserting them would
   * duplicate rows), for stderr, the job's notes and every staged row's warnings. Absent otherwise.
   */
  reversed?: string;
  /**
   * With `acceptOlderLater`, when only part of the later state (a data file) is older than the
   * earlier one: the tags (LSNs) of the rows the data file has not seen the records of. Only those
   * rows were added after it, not deleted (staged as inserts; a changed one with the images
   * swapped); every other missing row is a delete the file has seen. Absent when the whole later
   * state is older (`reversed` alone: every missing row an insert) or none of it is. Before, one
   * record the file had not seen made every missing row an insert, so rows really deleted were
   * listed as "inserted between the two, never re-insert them" and never put back.
   */
  newerThanLater?: ReadonlySet<string>;
}

/**
 * Which missing or changed rows of a comparison were added between the two states rather than
 * deleted (diffAsRecoveredRows' `reversed`): all (`true`, the later state wholly older), those of
 * `newerThanLater`, or none (`false`).
 */
export function rowsNewerThanLater(r: Pick<CompareResult, 'reversed' | 'newerThanLater'>): boolean | ReadonlySet<string> {
  return r.newerThanLater ?? r.reversed !== undefined;
}

/** Whether the row of tag `tag` is one rowsNewerThanLater names (added between the two states, not deleted). */
export function isNewerThanLater(newer: boolean | ReadonlySet<string> | undefined, tag: string | undefined): boolean {
  return newer === true || (!!newer && tag !== undefined && newer.has(tag));
}

/**
 * A comparison job's operations (staging createJob / setJobOperations): `delete` for rows missing
 * from the later state, `insert` for rows added between the two (see rowsNewerThanLater), `update` for changed rows.
 */
export function comparisonOperations(reversed: boolean | ReadonlySet<string> | undefined): Array<'delete' | 'insert' | 'update'> {
  return reversed === true ? ['insert', 'update'] : reversed ? ['delete', 'insert', 'update'] : ['delete', 'update'];
}

/**
 * What a comparison says beside its rows, in the words `rowback diff` prints them: a note per
 * `unchecked` entry (pages or log blocks with no checksum; each replay's notes, such as a damaged
 * differential left out) and an `INCOMPLETE: ` sentence per `warned` entry (rows decoded with
 * warnings, a side's catalog that failed its checks). A job staged from the comparison (diff --stage,
 * restore run, and the service's restore jobs) keeps both in its notes, the INCOMPLETE ones as its
 * completeness: the service's restore jobs kept neither (a differential left out as damaged, or rows
 * decoded with warnings, and the job said complete without a word).
 */
export function comparisonNotes(r: Pick<CompareResult, 'unchecked' | 'warned'>): { notes: string[]; incomplete: string[] } {
  return {
    notes: r.unchecked.map((u) => `${u.warning ? 'WARNING' : 'note'} (${u.side} state, ${u.where}): ${u.note}`),
    incomplete: r.warned.map((w) => (w.sentence !== undefined
      ? `INCOMPLETE: ${w.sentence}`
      : w.rows === 0
      ? `INCOMPLETE: ${w.where}, the ${w.side} state, could not be read whole (first: ${w.warning}): the table's layout was read from the rest of it, so the comparison may be wrong`
      : `INCOMPLETE: ${w.rows} row(s) of the ${w.side} state were decoded with warnings, so the comparison of them may be wrong (first: ${w.where}: ${w.warning})`)),
  };
}

/**
 * The WARNINGs on the headers of the backups the comparison's replays used (ReplayResult.warnings:
 * a header copy damaged in a field no restore reads), each once, as `file: code: reason (offset n)`.
 * `diff` says each as `WARNING:` (exit 3 under --strict); a job staged from the comparison (diff
 * --stage, the service's restore job) has them among its notes and its `warnings` (they were in
 * neither: the job read `warnings: []` while diff said WARNING: test/cli/diff-stage-warnings.test.ts).
 */
export function replayHeaderWarnings(r: Pick<CompareResult, 'replays'>): string[] {
  return [...new Set(r.replays.flatMap((x) => x.result.warnings ?? []))];
}

/**
 * The INCOMPLETE entry of rows that print alike in both states but hold U+FFFD (TableDiff.unsure):
 * bytes a code page does not define print as U+FFFD whatever they were, so such a row may have
 * changed between the two states (0xAA → 0xAB in a 1253 column) and was neither counted unchanged
 * nor listed (before, it was counted unchanged: a change missed, unsaid).
 */
export function unsureRows(diff: Pick<TableDiff, 'unsure' | 'key'>): CompareResult['warned'][number] {
  const u = diff.unsure.filter((x) => !x.filestream);
  const first = u[0]!;
  const where = diff.key ? `key ${JSON.stringify(first.key)}` : `row ${JSON.stringify(first.key)}`;
  const sentence = `${u.length} row(s) print the same in both states but hold U+FFFD (bytes their code page does not define, or invalid UTF-8, print as U+FFFD whatever they were) in ${[...new Set(u.flatMap((x) => x.columns))].map(identifierText).join(', ')}: whether they changed between the two states cannot be told from the printed values, so they are neither counted unchanged nor listed as changed (first: ${where}, column ${first.columns.map(identifierText).join(', ')}); compare those values' bytes (CONVERT(varbinary, …)) in a restored copy of each state`;
  return { side: 'earlier', rows: u.length, where, warning: sentence, sentence };
}

/**
 * The INCOMPLETE entry of rows matched in both states whose FILESTREAM column prints as a marker
 * holding no pointer (TableDiff.unsure, `filestream`): the files they point to cannot be told
 * apart, so a document changed between the two states would read as unchanged; neither counted
 * unchanged nor listed as changed (before, counted unchanged).
 */
export function unsureFilestreamRows(diff: Pick<TableDiff, 'unsure' | 'key'>): CompareResult['warned'][number] {
  const u = diff.unsure.filter((x) => x.filestream);
  const first = u[0]!;
  const where = diff.key ? `key ${JSON.stringify(first.key)}` : `row ${JSON.stringify(first.key)}`;
  const sentence = `${u.length} row(s) print the same in both states but their FILESTREAM column ${[...new Set(u.flatMap((x) => x.columns))].map(identifierText).join(', ')} is a marker holding no pointer (its bytes did not read as bytes), so which file each state's row points to cannot be told: whether the document changed between the two states is not known, so they are neither counted unchanged nor listed as changed (first: ${where}); compare the column in a restored copy of each state`;
  return { side: 'earlier', rows: u.length, where, warning: sentence, sentence };
}

/** Counts rows decoded with warnings (see CompareResult.warned). */
function warnedRows(side: 'earlier' | 'later', rows: Iterable<{ warnings: string[]; where: () => string }>): CompareResult['warned'] {
  let n = 0;
  let first: { where: string; warning: string } | undefined;
  for (const r of rows) {
    if (!r.warnings.length) continue;
    n++;
    first ??= { where: r.where(), warning: r.warnings[0] };
  }
  return n ? [{ side, rows: n, ...first! }] : [];
}

/** The table's rows on a page source (a data file or a backup's pages), with its layout. */
function readState(source: PageSource, table: string, where: string, side: 'earlier' | 'later', shared?: OpenedState): { state: TableState; layout: TableLayout; warned: CompareResult['warned']; unchecked: string | undefined; checkpointLsn: string; schemaNote: string | undefined; metadata: DataFileMetadata; cutNotes: string[] } {
  let reader: PageReader;
  let md: DataFileMetadata;
  if (shared) {
    // the catalog read once for every table compared against this state (or its failure, each table's)
    if (!shared.metadata) {
      const r = new PageReader(source);
      try {
        shared.metadata = { md: readDataFileMetadata(source, r), reader: r };
      } catch (e) {
        shared.metadata = { error: e };
      }
    }
    if ('error' in shared.metadata) throw shared.metadata.error;
    md = shared.metadata.md;
    reader = shared.metadata.reader.fork();
  } else {
    reader = new PageReader(source);
    md = readDataFileMetadata(source, reader);
  }
  // pages that failed while the catalog was read: catalog damage, not this table's rows (below)
  const catalogFailed = reader.skipped.length;
  const d = findTable(md, table);
  if (!d) {
    // 'is not in' is not known when the catalog that names the tables is damaged (as dump says it):
    // a later state read "table dbo.stores is not in later.bak", as if the table had been dropped
    const damage = catalogDamage(md.skipped);
    const why = damage.length ? `; its catalog is damaged (${catalogDamageSubject(damage)}), so ${table} may be in it, unnamed: read an undamaged copy` : '';
    const names = md.tables.map((t) => stagedTableName(t));
    throw new InputError('INPUT_UNKNOWN_TABLE', `table ${table} is not ${damage.length ? 'named ' : ''}in ${where}; known tables: ${tableListText(names) || '(none)'}${why}${unknownTableHint(table, names, md.database?.name)}`, { table, file: where });
  }
  const qualified = stagedTableName(d.layout);
  if (d.layout.unreadable) throw new SchemaError('SCHEMA_COLUMNS_UNREADABLE', `${qualified} in ${where}: its columns could not be established: ${d.layout.unreadable}`, { table: qualified, file: where });
  const columns = visibleColumns(d.layout).map((c) => c.name);
  const skipped: SkippedItem[] = [];
  const rows: TableState['rows'] = [];
  const warnings: Array<{ warnings: string[]; where: () => string }> = [];
  const fromOf = pageFromMemo(source);
  for (const r of readTableRows(source, md, qualified, { reader, skipped })) {
    // the one file the row's page came from (a differential's or the full backup's), for its source,
    // and its set where the file holds several (`--bak F F --position 1,2`: both are F)
    const { file: from, set: fromSet } = fromOf(r.page);
    rows.push({ values: pickOwn(r.values, columns) as Record<string, SqlValue>, ...(from !== undefined ? { from } : {}), ...(fromSet !== undefined ? { fromSet } : {}), bytesNotes: bytesNotes(r.warnings) });
    if (r.warnings.length) warnings.push({ warnings: r.warnings, where: () => `${from !== undefined ? fileAndSet(from, fromSet) : where} page ${r.page} slot ${r.slot}` });
  }
  // the pages the reader could not read (checksum, torn page, missing) are the cause of the rows and
  // chain breaks skipped after them: the first of those is named, with its page and the file holding it
  const tablePages = reader.skipped.slice(catalogFailed);
  const failed = [...tablePages, ...skipped.filter((x) => !reader.skipped.includes(x))];
  if (failed.length) {
    const first = failed[0];
    throw new InputError('INPUT_UNREADABLE_STATE', `${failed.length} row(s) or page(s) of ${qualified} in ${where} could not be read (first: ${describeSkipped(first, source)}); a comparison would call them missing, so none is made`, { table: qualified, file: where });
  }
  // The catalog read with pages failing (dump says it as INCOMPLETE, naming the catalog): the table's
  // layout came from the rest of it, so the comparison is said incomplete (rows 0: a catalog item).
  const warned = warnedRows(side, warnings);
  if (catalogFailed > 0) warned.push({ side, rows: 0, where: `the catalog of ${where}`, warning: describeSkipped(reader.skipped[0]!, source) });
  return { state: { table: qualified, columns, rows }, layout: d.layout, warned, unchecked: uncheckedPagesNote(reader.stats), checkpointLsn: md.database.checkpointLsn, schemaNote: otherSchemasNote(md.details.keys(), qualified), metadata: md, cutNotes: source.cutShortNotes?.('comparison') ?? [] };
}

/** `page 1:153 in backup d153.bak: FORMAT_BAD_CHECKSUM: …`: a skipped item with its page and the file its image is read from. */
function describeSkipped(item: SkippedItem, source: PageSource): string {
  const page = item.location.page;
  if (page === undefined) return `${item.code}: ${item.reason}`;
  // The page reader sets location.file to the source's path; the prose wants its description ("backup X").
  const own = item.location.file === undefined || item.location.file === sourceFile(source) || item.location.file === sourceFile(source, page);
  const file = pageOriginOf(source, page) ?? (own ? source.description : item.location.file);
  return `page ${page} in ${file}: ${item.code}: ${item.reason.replace(` (page ${page})`, '')}`;
}

/**
 * What the own log of the backups a side reads as they are (no replay) says of the table
 * (base-own-log.ts: RESTORE … WITH RECOVERY would redo or undo row changes over the copied pages):
 * WARNINGs and notes in the side's words (`--trn` / `--after-trn`, as laterStateError words them).
 */
async function ownLogOfSide(files: string[], position: BackupSetPositions | undefined, source: PageSource, metadata: DataFileMetadata, table: string, side: 'earlier' | 'later', signal?: AbortSignal, shared?: { state: OpenedState; tables: readonly string[] }): Promise<{ warnings: string[]; notes: string[] }> {
  const last = lastRestoredSet(files, position);
  const reading = shared ? await sharedOwnLog(files, position, source, metadata, table, shared, signal) : await readBaseOwnLog(last.file, last.position, source, metadata, [table], signal);
  // a file of several backup sets: the replay starts from the set --position picks (point-in-time.ts
  // setsOf); a list (a set per file) is given back whole, as the side gave it
  const setsGiven = (o: { sets: number; position: number }) => (Array.isArray(position) ? ` --position ${positionsText(position)}` : o.sets > 1 ? ` --position ${o.position}` : '');
  const said = ownLogSentences(reading, 'the rows compared', (o) =>
    `replay it to the backup's end: ${setsGiven(o).trimStart()}${setsGiven(o) ? ' ' : ''}--trn <the log backup taken after ${o.file}${o.sets > 1 ? ` (FILE = ${o.position})` : ''}> --stop-before-lsn ${o.lastLsn}${DUMP_HINT}`);
  // the dump command is a dump's flags on either side (LATER_FLAGS would make them --after-…): put in after
  const hint = ` (or, with no log backup after it, \`rowback dump --bak ${files.map((f) => shellPath(f)).join(' ')}${setsGiven(reading)} --stop-before-lsn ${reading.lastLsn} --table ${shellWord(tableNameWord(table))}\` prints that table: its own log replayed to its end)`;
  const words = (t: string) => (side === 'later' ? laterWords(t, files) : t).replace(DUMP_HINT, hint);
  return { warnings: said.warnings.map(words), notes: said.notes.map(words) };
}

/**
 * readBaseOwnLog of `table` (qualified) from a reading shared by every table compared against the
 * state (`shared.tables`, as given, each found in `metadata`): read once, for all of them, and each
 * table's part taken (its entry of `tables`; the backup, its LSNs and what could not be read are the
 * log's). readBaseOwnLog judges each table on its own (a LogReplay each), so the part is what a
 * reading for the table alone gives. A table the shared reading does not judge is read alone.
 */
async function sharedOwnLog(files: string[], position: BackupSetPositions | undefined, source: PageSource, metadata: DataFileMetadata, table: string, shared: { state: OpenedState; tables: readonly string[] }, signal?: AbortSignal): Promise<OwnLogReading> {
  if (!shared.state.ownLog) {
    const names = [...new Set(shared.tables.flatMap((t) => {
      const d = findTable(metadata, t);
      return d && !d.layout.unreadable ? [stagedTableName(d.layout)] : [];
    }))];
    const last = lastRestoredSet(files, position);
    const p = readBaseOwnLog(last.file, last.position, source, metadata, names, signal).then((reading) => ({ reading, tables: names }));
    // awaited by each table (no unhandled rejection meanwhile)
    p.catch(() => undefined);
    shared.state.ownLog = p;
  }
  const { reading, tables } = await shared.state.ownLog;
  if (!tables.includes(table)) {
    const last = lastRestoredSet(files, position);
    return readBaseOwnLog(last.file, last.position, source, metadata, [table], signal);
  }
  return { ...reading, tables: reading.tables.filter((t) => t.table === table) };
}

/**
 * `--key a,b` as column names. Undefined when the option was not given; given, it must name at
 * least one column, each once: `--key ''` or `--key ,` used to fall back silently to the
 * clustered key (or whole rows) as if no key had been asked for.
 * @throws InputError INPUT_BAD_OPTION (field `key`).
 */
export function parseKeyOption(text: string | undefined, flag = '--key'): string[] | undefined {
  if (text === undefined) return undefined;
  const cols = text.split(',').map((c) => c.trim());
  if (!cols.some(Boolean) || cols.some((c) => !c)) throw new InputError('INPUT_BAD_OPTION', `${flag} '${text}' must be comma-separated column names, none empty`, { field: 'key' });
  const dup = cols.find((c, i) => cols.indexOf(c) !== i);
  if (dup) throw new InputError('INPUT_BAD_OPTION', `${flag} names column ${dup} twice`, { field: 'key' });
  return cols;
}

/**
 * What to do about a refused backup on one side of the comparison, naming that side's option: the
 * default advice names `--bak` and a scan of the differential's log, which `diff --after-bak`'s
 * user cannot follow (a differential given alone to --after-bak was told "--bak FULL.bak DIFF").
 */
function sideAdvice(flag: '--bak' | '--after-bak', files: readonly string[]): BackupAdvice {
  return {
    differentialWithoutFull: `give it first (${flag} FULL.bak ${files[0] === undefined ? 'DIFF.bak' : shellPath(files[0])})`,
    incompleteMediaSet: `give every stripe of the media set (${flag} a.bak b.bak)`,
    // a log backup as the later state was told to go in --trn, the earlier side's replay
    logBackupInBak: flag === '--after-bak' ? 'give it with --after-trn (replayed over --after-bak up to --after-stop-at), and a full backup with --after-bak' : 'give it with --trn (replayed over --bak up to --stop-at), and a full backup with --bak',
  };
}

/** `--after-position` given with `--after-mdf`: an option that would do nothing, refused (diff.ts checks it before reading the number). */
export const AFTER_POSITION_WITH_MDF = '--after-position picks a backup set of --after-bak; a data file (--after-mdf) holds none: leave --after-position out';

/**
 * Compares the two states (see the file comment). Throws InputError INPUT_BAD_OPTION (exactly one
 * of afterMdf/afterBak; log backups need a stop and a stop needs log backups, per side; a later
 * replay needs afterBak; a key naming unknown columns; both states read from the same backups,
 * refuseSameBackups), INPUT_MIXED_DATABASES (every file must
 * carry one binding id), INPUT_UNKNOWN_TABLE, INPUT_UNREADABLE_STATE, SchemaError
 * SCHEMA_TABLE_CHANGED / SCHEMA_COLUMNS_UNREADABLE, and what replayTableAt throws (ReplayError
 * REPLAY_*, chain refusals); `o.signal`'s reason once it is aborted.
 */
export async function compareTableStates(o: CompareInputs): Promise<CompareResult> {
  const identity: CompareResult['unchecked'] = [];
  try {
    return await compareStatesOf(o, identity);
  } catch (e) {
    // a refusal after the files' database could not be checked (SCHEMA_TABLE_CHANGED's "altered in
    // between", a later state "older": another database's file reads so too) says so in its line
    if (identity.length && isRowbackError(e) && !e.message.includes(identity[0].note)) rewordMessage(e, { suffix: `; note: ${identity.map((u) => u.note).join('; ')}` });
    throw e;
  }
}

/** compareTableStates, adding to `identity` the notes of files whose database could not be checked, once they are known. */
async function compareStatesOf(o: CompareInputs, identity: CompareResult['unchecked']): Promise<CompareResult> {
  const afterMdf = o.afterMdf ?? [];
  const afterBak = o.afterBak ?? [];
  const trn = o.trn ?? [];
  const afterTrn = o.afterTrn ?? [];
  if ((afterMdf.length > 0) === (afterBak.length > 0)) throw new InputError('INPUT_BAD_OPTION', 'give the later state with exactly one of --after-mdf FILE or --after-bak FILE [DIFF…]');
  if (trn.length > 0 && !o.target) throw new InputError('INPUT_BAD_OPTION', '--trn replays log backups up to a point: give --stop-at TIME or --stop-before-lsn LSN');
  // what to do with no log backup at all (a full backup, the last one taken) is said: the message named
  // only --trn, a dead end for a DBA who has none
  if (o.target && trn.length === 0) throw new InputError('INPUT_BAD_OPTION', '--stop-at / --stop-before-lsn need the log backups to replay: --trn LOG.trn…; with no log backup, leave the stop out: --bak FULL [DIFF] alone compares the table as that backup holds it (a WARNING says where its own log would change it)');
  if (afterTrn.length > 0 && !o.afterTarget) throw new InputError('INPUT_BAD_OPTION', '--after-trn replays log backups up to a point: give --after-stop-at TIME or --after-stop-before-lsn LSN');
  if (o.afterTarget && afterTrn.length === 0) throw new InputError('INPUT_BAD_OPTION', `--after-stop-at / --after-stop-before-lsn need the log backups to replay: --after-trn LOG.trn…; with no log backup, leave the stop out: ${afterMdf.length ? '--after-mdf' : '--after-bak FULL [DIFF]'} alone is the later state as ${afterMdf.length ? 'that data file' : 'that backup'} holds it`);
  if (o.afterTarget && afterBak.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a later state replayed to a point in time needs its full backup: --after-bak FULL.bak [DIFF.bak] --after-trn LOG.trn…');
  // an option that would do nothing is refused, never ignored
  if (o.afterPosition !== undefined && afterMdf.length > 0) throw new InputError('INPUT_BAD_OPTION', AFTER_POSITION_WITH_MDF);

  // One database on both sides (binding id): another database's table of the same name is not "the later state".
  const ids: SourceFileIdentity[] = [];
  // every backup set of each file (WITH NOINIT appends backups of any database to one file)
  const sides = [
    { files: o.bak, position: o.position, opt: '--position', flag: '--bak', replayed: trn.length > 0 },
    { files: afterBak, position: o.afterPosition, opt: '--after-position', flag: '--after-bak', replayed: afterTrn.length > 0 },
  ];
  for (const side of sides) {
    for (const [i, f] of side.files.entries()) {
      try {
        appendAll(ids, (await readSourceIdentities(f, 'bak', positionOf(side.position, i))));
      } catch (e) {
        if (!isRowbackError(e)) throw e;
        // choosePosition's words name --position whichever side: said with this side's option
        if (e.code === 'INPUT_BAD_OPTION' && side.position !== undefined) {
          // one number for several files, the file lacking that set: the list form named too
          const every = typeof side.position === 'number' && side.files.length > 1 && side.position > 1 ? oneNumberForEveryFile(side.opt, side.position, side.files, side.flag) : '';
          throw new InputError('INPUT_BAD_OPTION', `${e.message.replace(/^--position /, `${side.opt} `).replace(/leave --position out/, `leave ${side.opt} out`)}${every}`, { file: f });
        }
        if (e.code !== 'INPUT_SEVERAL_BACKUP_SETS') throw e;
        // replayed (--trn) or read as it is, a side picks the set of its --bak with its own option
        throw new InputError(
          'INPUT_SEVERAL_BACKUP_SETS',
          `${f} holds several backup sets (backups appended to one file WITH NOINIT; \`rowback inspect ${shellPath(f)}\` lists them): choose one with ${side.opt} N (RESTORE … WITH FILE = N)${side.replayed ? `, the full backup set the replay (${side.flag === '--bak' ? '--trn' : '--after-trn'}) starts from` : ''}${e.message.includes('): ') ? `: ${e.message.slice(e.message.indexOf('): ') + 3)}` : ''}`,
          { file: f },
        );
      }
    }
  }
  for (const f of [...trn, ...afterTrn]) appendAll(ids, (await readSourceIdentities(f, 'trn')));
  for (const f of afterMdf) ids.push(await readSourceIdentity(f, 'mdf'));
  // a full/differential set of another database appended to a --trn file: left out of the chain by
  // the replay, which says so (its identityNotes), not checked as one of the files' databases
  const checked = assertOneDatabase(withoutOtherDatabaseSets(ids).kept);
  // a file whose binding id could not be read is compared all the same: said (diff: even with --quiet)
  const later = new Set([...afterMdf, ...afterBak, ...afterTrn]);
  if (ids.length > 1) for (const u of checked.unchecked) identity.push({ side: later.has(u.file) ? 'later' : 'earlier', where: u.file, note: uncheckedIdentityNote(u), identity: true });
  // backups of one binding id under two database names (an attached copy of the files, or a rename): said
  const earlierFiles = new Set([...o.bak, ...trn]);
  for (const n of checked.otherNames) identity.push({ side: [...later].some((f) => !earlierFiles.has(f) && n.includes(f)) ? 'later' : 'earlier', where: [...new Set(ids.map((i) => i.file))].join(', '), note: n, identity: true });
  // a set picked by number in a file holding another database's sets too: said (even with --quiet);
  // a replayed side's replay says it (point-in-time.ts), and the same note is said once
  for (const n of o.target ? [] : otherDatabaseSetsNotes(o.bak, o.position)) identity.push({ side: 'earlier', where: backupSetsNamed(o.bak, o.position), note: n, identity: true });
  for (const n of o.afterTarget || !afterBak.length ? [] : otherDatabaseSetsNotes(afterBak, o.afterPosition)) if (!identity.some((u) => u.note === n)) identity.push({ side: 'later', where: backupSetsNamed(afterBak, o.afterPosition), note: n, identity: true });
  const sameBackups = !o.target && !o.afterTarget && afterBak.length ? refuseSameBackups(o.bak, o.position, afterBak, o.afterPosition) : null;
  if (sameBackups) identity.push({ side: 'later', where: backupSetsNamed(afterBak, o.afterPosition), note: sameBackups, identity: true });
  o.signal?.throwIfAborted();

  const replays: CompareResult['replays'] = [];
  const warned: CompareResult['warned'] = [];
  const replayWarned = (side: 'earlier' | 'later', r: ReplayResult) =>
    appendAll(warned, warnedRows(side, r.rows.map((x) => ({ warnings: x.warnings, where: () => (x.origin === 'backup' ? `the base backup (${x.file !== undefined ? fileAndSet(x.file, x.fileSet) : (side === 'earlier' ? o.bak.join(' + ') : afterBak.join(' + '))})` : `the log record at LSN ${x.origin.lsn}`) }))));
  const unchecked: CompareResult['unchecked'] = [...identity];
  const noteUnchecked = (side: 'earlier' | 'later', where: string, note: string | undefined, warning = false) => {
    if (note !== undefined) unchecked.push({ side, where, note, ...(warning ? { warning: true as const } : {}) });
  };
  // Where each state stands in the database's log (statePointOf*): checked once both are known.
  let beforePoint: StatePoint;
  let afterPoint: StatePoint;
  let before: TableState;
  let layout: TableLayout;
  // the namesakes' note only for a name typed without its schema (names.ts namesSchema)
  const schemaTyped = namesSchema(o.tableAsTyped ?? o.table);
  let unseen: Map<string, UnseenRecord> | undefined;
  if (o.target) {
    const r = await (o.replay ?? replayTableAt)({ bak: o.bak, ...(o.position !== undefined ? { position: o.position } : {}), trn, table: o.table, target: o.target, signal: o.signal });
    replays.push({ side: 'earlier', result: r });
    beforePoint = replayPoint(r, '--bak/--trn replayed');
    before = { table: r.table, columns: r.columns, rows: r.rows.map((x) => ({ values: x.values, tag: x.origin === 'backup' ? undefined : x.origin.lsn, ...(x.file !== undefined ? { from: x.file } : {}), ...(x.fileSet !== undefined ? { fromSet: x.fileSet } : {}), ...(x.origin !== 'backup' && x.origin.page ? { page: x.origin.page } : {}), bytesNotes: bytesNotes(x.warnings) })) };
    layout = r.layout; // the layout the replay decoded with: no second read of the base backup
    replayWarned('earlier', r);
    noteUnchecked('earlier', `the base backup ${r.chain.steps.filter((x) => x.role !== 'log').map((x) => backupSetName(x.set)).join(' + ')}`, r.pageStats && uncheckedPagesNote(r.pageStats));
    noteUnchecked('earlier', `the base backup ${r.chain.steps.filter((x) => x.role !== 'log').map((x) => backupSetName(x.set)).join(' + ')}`, (schemaTyped ? undefined : sameNameElsewhereNote(r.table, r.sameNameElsewhere ?? [])));
    noteUnchecked('earlier', `the log replayed, ${r.chain.steps.map((x) => backupSetName(x.set)).join(' + ')}`, r.uncheckedLog ?? undefined);
    for (const n of r.notes) noteUnchecked('earlier', 'the log replayed', n);
    // said even with --quiet: a set of another database left out of a --trn file; a note the file
    // check above already said (one binding id under two names: the replay says it too) is said once
    for (const n of r.identityNotes ?? []) if (!unchecked.some((u) => u.identity && u.note === n)) unchecked.push({ side: 'earlier', where: 'the log replayed', note: n, identity: true });
    noteUnchecked('earlier', '--stop-at', r.clockWarning, true);
  } else {
    let w: CompareResult['warned'];
    let u: string | undefined;
    let schemaNote: string | undefined;
    let own: { warnings: string[]; notes: string[] };
    const side = openSide(o.reads, ['bak', o.bak, o.position], () => openBackupPages(o.bak, o.position, assertBackupSet, { ...sideAdvice('--bak', o.bak), position: '--position', positionList: true }));
    const src = side.source;
    try {
      let md: DataFileMetadata;
      ({ state: before, layout, warned: w, unchecked: u, schemaNote, metadata: md } = readState(src, o.table, backupSetsNamed(o.bak, o.position), 'earlier', side.shared));
      // the backups' own log: row changes a restore of them redoes or undoes over the pages read
      own = await ownLogOfSide(o.bak, o.position, src, md, before.table, 'earlier', o.signal, side.shared && o.reads && { state: side.shared, tables: o.reads.tables });
    } finally {
      side.close();
    }
    beforePoint = backupsPoint(o.bak, `--bak ${o.bak.map((f) => shellPath(f)).join(' ')}${o.position !== undefined ? ` --position ${positionsText(o.position)}` : ''}`, o.position);
    appendAll(warned, w);
    noteUnchecked('earlier', backupSetsNamed(o.bak, o.position), u);
    noteUnchecked('earlier', backupSetsNamed(o.bak, o.position), schemaTyped ? undefined : schemaNote);
    for (const n of own.notes) noteUnchecked('earlier', backupSetsNamed(o.bak, o.position), n);
    for (const x of own.warnings) noteUnchecked('earlier', backupSetsNamed(o.bak, o.position), x, true);
  }
  o.signal?.throwIfAborted();
  let after: TableState;
  let afterLayout: TableLayout;
  if (o.afterTarget) {
    const r = await (o.replay ?? replayTableAt)({ bak: afterBak, ...(o.afterPosition !== undefined ? { position: o.afterPosition, positionFlag: '--after-position' } : { positionFlag: '--after-position' }), trn: afterTrn, table: o.table, target: o.afterTarget, signal: o.signal }).catch((e: unknown) => {
      throw laterStateError(e, [...o.bak, ...trn, ...afterBak, ...afterTrn]);
    });
    replays.push({ side: 'later', result: r });
    afterPoint = replayPoint(r, '--after-bak/--after-trn replayed');
    after = { table: r.table, columns: r.columns, rows: r.rows.map((x) => ({ values: x.values, bytesNotes: bytesNotes(x.warnings) })) };
    afterLayout = r.layout;
    replayWarned('later', r);
    noteUnchecked('later', `the base backup ${r.chain.steps.filter((x) => x.role !== 'log').map((x) => backupSetName(x.set)).join(' + ')}`, r.pageStats && uncheckedPagesNote(r.pageStats));
    noteUnchecked('later', `the base backup ${r.chain.steps.filter((x) => x.role !== 'log').map((x) => backupSetName(x.set)).join(' + ')}`, (schemaTyped ? undefined : sameNameElsewhereNote(r.table, r.sameNameElsewhere ?? [])));
    noteUnchecked('later', `the log replayed, ${r.chain.steps.map((x) => backupSetName(x.set)).join(' + ')}`, r.uncheckedLog ?? undefined);
    for (const n of r.notes) noteUnchecked('later', 'the log replayed', n);
    for (const n of r.identityNotes ?? []) if (!unchecked.some((u) => u.identity && u.note === n)) unchecked.push({ side: 'later', where: 'the log replayed', note: n, identity: true });
    noteUnchecked('later', '--after-stop-at', r.clockWarning, true);
  } else {
    const side = openSide(o.reads, afterMdf.length ? ['mdf', afterMdf] : ['bak', afterBak, o.afterPosition], () => (afterMdf.length ? openDataFiles(afterMdf, { backupOption: '--after-bak' }) : openBackupPages(afterBak, o.afterPosition, assertBackupSet, { ...sideAdvice('--after-bak', afterBak), position: '--after-position', positionList: true, bakOption: '--after-bak' })));
    const src = side.source;
    let read: ReturnType<typeof readState> & { unseen: Map<string, UnseenRecord> | undefined };
    let own: { warnings: string[]; notes: string[] } = { warnings: [], notes: [] };
    try {
      const state = readState(src, o.table, afterMdf.length ? afterMdf.join(' + ') : backupSetsNamed(afterBak, o.afterPosition), 'later', side.shared);
      // rows the replay wrote after the data file's checkpoint: has the file seen their records?
      read = { ...state, unseen: afterMdf.length ? unseenByDataFile(src, before.rows, BigInt(lsnToDecimal(parseLsn(state.checkpointLsn)))) : undefined };
      // newer backups read as they are: their own log (a data file has none)
      if (afterBak.length) own = await ownLogOfSide(afterBak, o.afterPosition, src, state.metadata, state.state.table, 'later', o.signal, side.shared && o.reads && { state: side.shared, tables: o.reads.tables });
    } finally {
      side.close();
    }
    unseen = read.unseen;
    after = read.state;
    afterLayout = read.layout;
    afterPoint = afterMdf.length
      ? { lsn: null, checkpoint: BigInt(lsnToDecimal(parseLsn(read.checkpointLsn))), what: `--after-mdf ${afterMdf.map((f) => shellPath(f)).join(' ')}` }
      : backupsPoint(afterBak, `--after-bak ${afterBak.map((f) => shellPath(f)).join(' ')}${o.afterPosition !== undefined ? ` --after-position ${positionsText(o.afterPosition)}` : ''}`, o.afterPosition);
    appendAll(warned, read.warned);
    noteUnchecked('later', afterMdf.length ? afterMdf.join(' + ') : backupSetsNamed(afterBak, o.afterPosition), read.unchecked);
    // a data file cut short that held every page of the table (one missing refused the state above):
    // the comparison is whole, the copy is not, said as scan and dump say it (it said nothing)
    for (const n of read.cutNotes) noteUnchecked('later', afterMdf.join(' + '), n);
    for (const n of own.notes) noteUnchecked('later', backupSetsNamed(afterBak, o.afterPosition), n);
    for (const x of own.warnings) noteUnchecked('later', backupSetsNamed(afterBak, o.afterPosition), x, true);
  }

  o.signal?.throwIfAborted();
  let reversed = laterStateOlder(beforePoint, afterPoint);
  if (reversed && !o.acceptOlderLater) {
    throw new InputError('INPUT_BAD_WINDOW', `${reversed.sentence}: a comparison lists what the later state lacks, so rows added between them would read as missing and re-inserting them would duplicate rows; swap them (to list the rows added between them on purpose, ${o.acceptName ?? '--accept-older-later'})`, { field: reversed.field });
  }
  refuseAlteredColumns(layout, afterLayout, before.table);
  const { key, keySource } = matchKey(layout, before, o.key, o.keyName);
  const diff = diffTableStates(before, after, key, keySource, opaqueTextColumns(layout));
  if (diff.unsure.some((x) => !x.filestream)) warned.push(unsureRows(diff));
  if (diff.unsure.some((x) => x.filestream)) warned.push(unsureFilestreamRows(diff));
  if (!reversed && unseen?.size) {
    const stale = staleLaterRows(diff, unseen, beforePoint, afterPoint);
    if (stale && !o.acceptOlderLater) {
      throw new InputError('INPUT_BAD_WINDOW', `${stale.sentence}: they would read as deleted (or changed back), and re-inserting them would duplicate rows that exist; give a data file copied after LSN ${stale.lastLsn}, or replay the earlier state to a point the data file has seen (--stop-before-lsn ${stale.firstLsn}); to list them as rows added between the two on purpose, ${o.acceptName ?? '--accept-older-later'}`, { field: 'afterMdf' });
    }
    if (stale) {
      // only the rows whose records the file has not seen were added after it; a row it has seen
      // and lacks is a delete (its page was written after the record that put the row there)
      const tags = new Set([...diff.missing, ...diff.changed].map((m) => m.tag).filter((t): t is string => t !== undefined && unseen!.has(t)));
      const newer = diff.missing.filter((m) => m.tag !== undefined && tags.has(m.tag)).length;
      const deletes = diff.missing.length - newer;
      const changedOlder = diff.changed.filter((c) => c.tag !== undefined && tags.has(c.tag)).length;
      const rest = [deletes ? `the other ${deletes} row(s) missing from it are deletes (the data file has seen the records that wrote them)` : '', diff.changed.length - changedOlder ? `the other ${diff.changed.length - changedOlder} changed row(s) changed in it` : ''].filter(Boolean).join('; ');
      return {
        diff, layout, beforeRows: before.rows.length, afterRows: after.rows.length, keySource, replays, warned, unchecked,
        reversed: `${stale.sentence} (compared as asked): those rows were added after the data file was written, not deleted; never re-insert them${rest ? `; ${rest}` : ''}`,
        newerThanLater: tags,
      };
    }
  }
  return {
    diff, layout, beforeRows: before.rows.length, afterRows: after.rows.length, keySource, replays, warned, unchecked,
    ...(reversed ? { reversed: `${reversed.sentence} (compared as asked): its rows "missing from the later state" were inserted between the two, not deleted; never re-insert them` } : {}),
  };
}

/**
 * Where a staged row of the comparison came from, for its `source`: the log backup of the earlier
 * state's replay whose LSN range [FirstLSN, LastLSN) holds the LSN of the record that wrote its
 * image (`tag`, fn_dblog form); else, for a record of a base backup's own log portion, that backup
 * (the differential's before the full one's); for a row read from backup pages, the file its page
 * came from (`from`: the differential's or the full backup's); else the first `--bak`. Every row
 * said the full backup, even one a log backup's record wrote (newcomer: a row of
 * RestoreTimeClean_1.trn shown as from RestoreTimeClean.bak, which holds none of the table), and
 * rows read from a differential's pages (breaker: 30 of 38 rows of a full + differential replay).
 */
export function comparisonRowSource(r: CompareResult, bak: string, position?: BackupSetPositions, baks: readonly string[] = [bak]): (tag: string | undefined, from?: string, fromSet?: number) => RecoveredRow['source'] {
  const steps = r.replays.find((x) => x.side === 'earlier')?.result.chain.steps ?? [];
  const logs = steps.filter((st) => st.role === 'log');
  const bases = steps.filter((st) => st.role !== 'log').reverse();
  return (tag, from, fromSet) => {
    if (tag !== undefined && /^[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}$/i.test(tag)) {
      const at = BigInt(lsnToDecimal(parseLsn(tag)));
      const step = logs.find((st) => BigInt(st.set.firstLsn) <= at && at < BigInt(st.set.lastLsn));
      // the set of a file of several (appended WITH NOINIT): its position, as a row read from a set's pages says it
      const setOf = (x: ChainStep['set']) => ((x.setsInFile ?? 1) > 1 ? { position: x.position } : {});
      if (step) return { kind: 'trn', file: step.set.devices[0], ...setOf(step.set) };
      const base = bases.find((st) => BigInt(st.set.firstLsn) <= at && at <= BigInt(st.set.lastLsn));
      if (base) return { kind: 'bak', file: base.set.devices[0], ...setOf(base.set) };
    }
    // read as it is (or the replay's base pages): the set the row's page was read from, where its file
    // holds several (the page source's pageSet: `--bak F F --position 1,2` named F alone, which holds both);
    // else the backup set read of a file of several (--position), named; with a set per file (a list),
    // the set given for that file, when it is given once
    const file = from ?? bak;
    if (fromSet !== undefined) return { kind: 'bak', file, position: fromSet };
    if (!Array.isArray(position)) return { kind: 'bak', file, ...(position !== undefined ? { position } : {}) };
    const sets = [...new Set(baks.flatMap((f, i) => (realPath(f) === realPath(file) ? [position[i]!] : [])))];
    return { kind: 'bak', file, ...(sets.length === 1 ? { position: sets[0] } : {}) };
  };
}

/**
 * Backup files as a comparison read them, for messages, notes and job descriptions: `F + G`, and
 * ` (backup set N)` when a position picked the set of each (RESTORE … WITH FILE = N). The two sets
 * of one file compared (StDb2Sql.bak's 2009 and 2010 full backups) read "StDb2Sql.bak against
 * StDb2Sql.bak", and a staged row's source named the file alone, which holds both (newcomer).
 */
export function backupSetsNamed(files: readonly string[], position: BackupSetPositions | undefined): string {
  // a set per file (a list, one per backup file in order): each named with its own; files after them (log backups) bare
  if (Array.isArray(position)) return files.map((f, i) => fileAndSet(f, position[i])).join(' + ');
  return fileAndSet(files.join(' + '), typeof position === 'number' ? position : undefined);
}

/** The replay's flags and fields, as the later state's (`--stop-at` of the later side is `--after-stop-at`). */
/** Where ownLogOfSide puts the `rowback dump` command of a side (after LATER_FLAGS, which is not for it). */
const DUMP_HINT = '\u0000dump-hint\u0000';

const LATER_FLAGS: ReadonlyArray<[RegExp, string]> = [
  [/(?<![\w-])--stop-at\b/g, '--after-stop-at'], [/(?<![\w-])--stop-before-lsn\b/g, '--after-stop-before-lsn'],
  [/(?<![\w-])--trn\b/g, '--after-trn'], [/(?<![\w-])--bak\b/g, '--after-bak'], [/(?<![\w-])--position\b/g, '--after-position'],
];
const LATER_FIELDS: Record<string, string> = { stopAt: 'afterStopAt', stopBeforeLsn: 'afterStopBeforeLsn', trn: 'afterTrn', bak: 'afterBak' };

/**
 * `text` in the later state's words: each earlier state's flag (LATER_FLAGS) renamed, but not inside
 * backticks (a command given as advice keeps its own) nor inside any of `paths`, the files given: a
 * file named `full --trn copy.bak` was said as `full --after-trn copy.bak`, a file that is not there.
 * The files are found first: a backtick in a file's name (`log`1.trn`) is no quote, and it was taken
 * for one, so every flag after it stayed the earlier state's (`…, log`1.trn, … or, by time, --stop-at
 * T` for the later state's --after-stop-at). Pure.
 */
function laterWords(text: string, paths: readonly string[]): string {
  const rename = (t: string) => LATER_FLAGS.reduce((x, [re, to]) => x.replace(re, to), t);
  // only a path the renaming would change, or holding a backtick, needs keeping; the longest first (one path inside another)
  const kept = [...new Set(paths)].filter((p) => rename(p) !== p || p.includes('`')).sort((a, b) => b.length - a.length);
  // inside a backticked command: kept from one stretch between files to the next
  let quoted = false;
  const outsideFiles = (t: string) =>
    t
      .split('`')
      .map((part, i) => {
        if (i > 0) quoted = !quoted;
        return quoted ? part : rename(part);
      })
      .join('`');
  let out = '';
  let rest = text;
  for (;;) {
    let at = -1;
    let path = '';
    for (const p of kept) {
      const i = rest.indexOf(p);
      if (i >= 0 && (at < 0 || i < at)) [at, path] = [i, p];
    }
    if (at < 0) return out + outsideFiles(rest);
    out += outsideFiles(rest.slice(0, at)) + path;
    rest = rest.slice(at + path.length);
  }
}

/**
 * A refusal of the later state's replay in the later state's words: it named the earlier state's
 * options (`INPUT_RESTORE_TOO_LATE: --stop-at … or, by time, --stop-at …` for an `--after-stop-at`
 * too late), so a DBA under pressure changed the wrong time (newcomer). Flags outside backticks
 * (a command given as advice keeps its own), outside a refusal's fix (InputError.fix, the same) and
 * outside the files given (`paths`: laterWords) and the location's field are the later ones; the
 * message starts "the later state: ". Anything else is returned as it is.
 */
function laterStateError(e: unknown, paths: readonly string[]): unknown {
  if (!isRowbackError(e)) return e;
  rewordMessage(e, { prefix: 'the later state: ', words: (text) => laterWords(text, paths) });
  const loc = e.location as { field?: string };
  if (loc.field && LATER_FIELDS[loc.field]) loc.field = LATER_FIELDS[loc.field];
  return e;
}

/**
 * Where a state stands in the database's log: `lsn`, the LSN its contents are as of (a backup's
 * LastLSN, a replay's stop), null for a data file (its contents are as of some time after its last
 * checkpoint, which page 1:9 gives: `checkpoint`); `checkpoint`, the latest checkpoint known to be in
 * it (a full or differential backup's CheckpointLSN, the replay's base backup's), as decimal LSNs;
 * `what` names it for a refusal.
 */
interface StatePoint {
  lsn: bigint | null;
  checkpoint: bigint | null;
  what: string;
}

/**
 * Both states read from the same backups (`diff --bak X.bak --after-bak X.bak`, or the same full and
 * differential on both sides): the two states are one, so nothing can be missing from the later one,
 * and "0 missing from the later state" read as "nothing was deleted" whatever was (a slip of the
 * shell's completion). The rule is backup/same-backup.ts `sameBackups` (also a restore job's, at
 * creation). The same files on both sides: throws InputError INPUT_BAD_OPTION naming both sides and
 * the GUID(s). Other files holding the same backups (copies): returns a note, as comparing two copies
 * of one backup shows what one of them lost (damage), not what was deleted; null otherwise.
 */
function refuseSameBackups(bak: string[], position: BackupSetPositions | undefined, afterBak: string[], afterPosition: BackupSetPositions | undefined): string | null {
  const same = sameBackups({ files: bak, position }, { files: afterBak, position: afterPosition });
  if (!same) return null;
  const guids = same.guids.length ? ` (BackupSetGUID ${same.guids.join(', ')})` : '';
  // each side as given, its set numbers too (`--bak F F --position 1,2`): without them two sides of one file read alike
  const given = (flag: string, files: string[], pflag: string, p: BackupSetPositions | undefined) => `${flag} ${files.join(' ')}${p !== undefined ? ` ${pflag} ${positionsText(p)}` : ''}`;
  const both = `the earlier state (${given('--bak', bak, '--position', position)}) and the later state (${given('--after-bak', afterBak, '--after-position', afterPosition)}) are the same backup${same.guids.length > 1 ? 's' : ''}${guids}`;
  if (same.kind === 'same-files') {
    throw new InputError('INPUT_BAD_OPTION', `${both}: one state compared with itself has nothing missing, whatever was deleted; give as the later state a newer backup (--after-bak) or the data file (--after-mdf)`, { field: 'afterBak' });
  }
  return `${both}, read from other files (copies): rows missing or changed between them are what one copy lost or holds damaged, not rows deleted from the database`;
}


/** The point of full/differential backup files (the latest of their sets: a differential's), each read at its `position` (set 1 without; a list: the file's own). */
function backupsPoint(files: string[], what: string, position?: BackupSetPositions): StatePoint {
  let lsn: bigint | null = null;
  let checkpoint: bigint | null = null;
  for (const [i, f] of files.entries()) {
    const h = readBackupHeader(f, undefined, positionOf(position, i));
    const last = BigInt(h.lastLsn.decimal);
    const ck = BigInt(h.checkpointLsn.decimal);
    if (lsn === null || last > lsn) lsn = last;
    if (checkpoint === null || ck > checkpoint) checkpoint = ck;
  }
  return { lsn, checkpoint, what };
}

/** The point of a replay: where it stopped (the first record it did not apply), else the end of its chain. */
function replayPoint(r: ReplayResult, what: string): StatePoint {
  const stop = r.stats.stoppedAt ? BigInt(lsnToDecimal(parseLsn(r.stats.stoppedAt))) : null;
  let end: bigint | null = null;
  let checkpoint: bigint | null = null;
  for (const s of r.chain.steps) {
    const last = BigInt(s.set.lastLsn);
    if (end === null || last > end) end = last;
    if (s.role !== 'log' && s.set.checkpointLsn !== null) {
      const ck = BigInt(s.set.checkpointLsn);
      if (checkpoint === null || ck > checkpoint) checkpoint = ck;
    }
  }
  return { lsn: stop ?? end, checkpoint, what };
}

/** A record of the earlier state's replay that a later data file has not seen: the page it wrote, and that page's LSN in the file (null: the file does not hold the page). */
interface UnseenRecord {
  page: string;
  pageLsn: string | null;
}

/**
 * The log records that wrote rows of the earlier state (a replay: `tag`, `page`) which a later data
 * file has not seen, by LSN (`tag`). A record at or before the file's last checkpoint is in it (a
 * checkpoint writes every page changed up to its LSN); a later one is in it when the page it wrote
 * carries an LSN at or after it in the file (m_lsn, page header @40: the LSN of the page's last
 * change; a page only moves forward). A page the file does not hold (cut short, or never written:
 * LSN 0) has not seen it. Reads one page header per page, only for records after the checkpoint.
 * Found by breaker 1 (session 15); shown on RestoreTimeClean's full backup laid out as a data file.
 */
function unseenByDataFile(source: PageSource, rows: TableState['rows'], checkpoint: bigint): Map<string, UnseenRecord> {
  const out = new Map<string, UnseenRecord>();
  const pageLsn = new Map<string, bigint | null>();
  for (const r of rows) {
    if (r.tag === undefined || r.page === undefined || out.has(r.tag)) continue;
    const at = BigInt(lsnToDecimal(parseLsn(r.tag)));
    if (at <= checkpoint) continue;
    let seen = pageLsn.get(r.page);
    if (seen === undefined) {
      const id = parseLogPageId(r.page);
      let bytes: Uint8Array | undefined;
      try {
        bytes = id ? source.readPage(id.fileId, id.pageId) : undefined;
      } catch {
        bytes = undefined; // a page that cannot be read has not shown that it saw the record
      }
      seen = bytes && bytes.length >= 50 ? BigInt(lsnToDecimal(parseLsn(readPageLsn(bytes, 40)))) : null;
      pageLsn.set(r.page, seen);
    }
    if (seen === null || seen < at) out.set(r.tag, { page: r.page, pageLsn: seen === null ? null : formatLsn(lsnFromDecimal(seen.toString())) });
  }
  return out;
}

/**
 * Whether rows missing from (or changed in) a later data file were written by log records the file
 * has not seen (`unseenByDataFile`): then the file is older than that part of the earlier state, and
 * those rows were added after it, not deleted. The file's checkpoint may be after the earlier
 * state's base backup's (laterStateOlder passes) while the replay runs past the file: RestoreTimeClean's
 * full backup laid out as a data file, against its chain replayed to 13:20, read 42 rows as missing.
 * Returns the sentence naming the rows, the first record, its page and that page's LSN in the file, and
 * the first and last such LSN; null when every missing or changed row's record was seen.
 */
function staleLaterRows(diff: TableDiff, unseen: Map<string, UnseenRecord>, before: StatePoint, after: StatePoint): { sentence: string; firstLsn: string; lastLsn: string } | null {
  const tags = [...diff.missing.map((m) => m.tag), ...diff.changed.map((c) => c.tag)].filter((t): t is string => t !== undefined && unseen.has(t));
  if (!tags.length) return null;
  const missing = diff.missing.filter((m) => m.tag !== undefined && unseen.has(m.tag)).length;
  const changed = tags.length - missing;
  const byLsn = [...new Set(tags)].sort((a, b) => (BigInt(lsnToDecimal(parseLsn(a))) < BigInt(lsnToDecimal(parseLsn(b))) ? -1 : 1));
  const first = byLsn[0]!;
  const u = unseen.get(first)!;
  const hex = (x: bigint) => formatLsn(lsnFromDecimal(x.toString()));
  const rows = [missing ? `${missing} row(s) missing from it` : '', changed ? `${changed} row(s) changed in it` : ''].filter(Boolean).join(' and ');
  return {
    sentence: `the later state (${after.what}${after.checkpoint !== null ? `: last checkpoint at LSN ${hex(after.checkpoint)}` : ''}) is older than part of the earlier state (${before.what}${before.lsn !== null ? `: as of LSN ${hex(before.lsn)}` : ''}): ${rows} were written by log records the data file has not seen (the first at LSN ${first}, on page ${u.page}, ${u.pageLsn === null ? 'which the data file does not hold' : `whose last change in the data file is at LSN ${u.pageLsn}`})`,
    firstLsn: first,
    lastLsn: byLsn[byLsn.length - 1]!,
  };
}

/**
 * Whether the later state is older than the earlier one: diff prints the rows the later state
 * lacks, so with the two swapped the rows inserted between them read as "missing", and staging or
 * re-inserting them duplicates rows that exist (newcomer: `--after-bak` of the full backup a `--bak
 * FULL DIFF` continues, 30 rows "missing", staged, exit 0). Told by LSN: a later backup or replay
 * must stand at or after the earlier one's LSN; a data file's last checkpoint (page 1:9) must not
 * be before the earlier state's base backup's checkpoint (a full backup runs a checkpoint, so a data
 * file of after that backup has a checkpoint LSN at least that; its contents may be newer than its
 * checkpoint, so that is all it tells). Returns the sentence naming both and their LSNs, and the
 * later state's field, or null when it is not older.
 */
function laterStateOlder(before: StatePoint, after: StatePoint): { sentence: string; field: string } | null {
  const older =
    after.lsn !== null && before.lsn !== null
      ? after.lsn < before.lsn
      : after.lsn === null && after.checkpoint !== null && before.checkpoint !== null && after.checkpoint < before.checkpoint;
  if (!older) return null;
  const hex = (x: bigint) => formatLsn(lsnFromDecimal(x.toString()));
  const at = (p: StatePoint) => (p.lsn !== null ? `as of LSN ${hex(p.lsn)}` : `last checkpoint at LSN ${hex(p.checkpoint!)}`);
  const beforeAt = after.lsn === null ? `checkpoint at LSN ${hex(before.checkpoint!)}` : at(before);
  return {
    sentence: `the later state (${after.what}: ${at(after)}) is older than the earlier state (${before.what}: ${beforeAt})`,
    field: after.what.startsWith('--after-mdf') ? 'afterMdf' : 'afterBak',
  };
}

/**
 * The columns two states of `state.table` are matched on: `key` when given (each must be one of
 * the state's columns, in its own case or, when one column has it, another; `keyName` names it in the refusal: `--key` for the CLI, `key` for an API
 * job), else the clustered index key of `layout` (key_ordinal order), else null (whole rows).
 * `keySource` says which, for the summary. Throws InputError INPUT_BAD_OPTION (field `key`).
 */
export function matchKey(layout: TableLayout, state: Pick<TableState, 'table' | 'columns'>, key?: string[], keyName = '--key'): { key: string[] | null; keySource: string } {
  if (key?.length) {
    // a column in another letter case is the one column of that name, as --table takes a table
    // (exact case first; another case when one column has it): `--key STEP` was refused on
    // dbo.steps, which `--table STEPS` found (newcomer)
    const resolved = key.map((c) => {
      if (state.columns.includes(c)) return c;
      const other = state.columns.filter((x) => x.toLowerCase() === c.toLowerCase());
      return other.length === 1 ? other[0]! : c;
    });
    const unknown = resolved.filter((c) => !state.columns.includes(c));
    if (unknown.length) throw new InputError('INPUT_BAD_OPTION', `${keyName} names column(s) ${unknown.join(', ')} that ${state.table} does not have (columns: ${state.columns.join(', ')})`, { field: 'key' });
    const twice = resolved.find((c, i) => resolved.indexOf(c) !== i);
    if (twice !== undefined) throw new InputError('INPUT_BAD_OPTION', `${keyName} names column ${twice} twice (${key.join(', ')})`, { field: 'key' });
    return { key: resolved, keySource: keyName };
  }
  if (layout.indexId === 1) {
    const k = layout.columns.filter((c) => (c.keyOrdinal ?? 0) > 0 && state.columns.includes(c.name)).sort((a, b) => a.keyOrdinal! - b.keyOrdinal!).map((c) => c.name);
    if (k.length) return { key: k, keySource: 'the clustered index key' };
  }
  return { key: null, keySource: 'key' };
}

/**
 * A comparison's rows as staged rows: missing rows as operation `delete` (candidates for
 * re-insert), changed rows as `update` with both images. `lsn` is the staging key (unique per
 * job): the LSN of the log record that wrote the earlier image when the replay knows it, else
 * `state:<n>` (a row read from a backup's pages has no LSN; `state:<statePrefix><n>` with
 * `o.statePrefix`, which a job staging several tables' comparisons gives each table: a staged row is
 * one LSN of a job, so the second table's `state:00000000` was dropped as already staged). `note` is added to every row's
 * warnings (where the rows came from: backup and point in time). With `reversed` (`true`: the later state
 * is older, compared as asked: CompareResult.reversed; a set of tags: only the rows of those tags,
 * CompareResult.newerThanLater, see rowsNewerThanLater) the missing rows were inserted between the
 * two states, not deleted: operation `insert`, which re-insert leaves out (REINSERT_NOT_A_DELETE)
 * unless asked for on purpose. They were `delete`: the script and its dry run planned them as rows
 * recovered from deletes, "approve all" and an export re-inserted rows that still exist (newcomer).
 */
export function diffAsRecoveredRows(d: TableDiff, source: RecoveredRow['source'] | ((tag: string | undefined, from?: string, fromSet?: number) => RecoveredRow['source']), note?: string, o: { reversed?: boolean | ReadonlySet<string>; statePrefix?: string } = {}): RecoveredRow[] {
  const older = (tag: string | undefined): boolean => isNewerThanLater(o.reversed, tag);
  const sourceOf = typeof source === 'function' ? source : () => source;
  // a missing row's warnings naming bytes printed as U+FFFD (TableState bytesNotes): staged with it, for
  // the reviewer and the re-insert's hold (service.ts undefinedBytesWarned: invalid UTF-8 has no other)
  const bytesOf = (m: { bytesNotes?: string }): string[] => (m.bytesNotes ? m.bytesNotes.split('\u0000') : []);
  const base = (n: number, tag: string | undefined, operation: RecoveredRow['operation'], values: Record<string, SqlValue>, warning: string, from?: string, bytes: string[] = [], fromSet?: number): RecoveredRow => ({
    table: d.table,
    lsn: tag ?? `state:${o.statePrefix ?? ''}${String(n).padStart(8, '0')}`,
    operation,
    transactionId: '',
    beginTime: null,
    endTime: null,
    login: null,
    spid: null,
    transactionName: null,
    allocUnitId: null,
    pageId: null,
    slotId: null,
    values,
    raw: '',
    warnings: note ? [warning, note, ...bytes] : [warning, ...bytes],
    source: sourceOf(tag, from, fromSet),
  });
  // Whole rows compared (a heap and no key, or a key that repeats): a row changed between the two
  // states is "missing" too, its new version one of the rows only the later state holds. Staged as
  // a delete it read as a deleted row; re-inserted, it duplicates the row that was only changed
  // (newcomer: StDb2Sql.bak's two students who moved, staged as 2 deletes, planned as 2 INSERTs).
  const unkeyed = d.key === null && d.added > 0
    ? `${d.keyNote ?? 'whole rows were compared'}; the later state holds ${d.added} row(s) the earlier one lacks, so this row ${MAY_BE_CHANGED} (one of them its new values), and re-inserting it would duplicate that row; compare by the table's key (--key COLUMN…) to tell`
    : undefined;
  const withUnkeyed = (r: RecoveredRow): RecoveredRow => (unkeyed ? { ...r, warnings: [r.warnings[0]!, unkeyed, ...r.warnings.slice(1)] } : r);
  let n = 0;
  const rows: RecoveredRow[] = [];
  for (const m of d.missing) {
    rows.push(older(m.tag)
      ? base(n++, m.tag, 'insert', m.values, o.reversed === true
        ? 'missing from the later state, which is older (compared as asked, --accept-older-later): inserted between the two states, not deleted'
        : `missing from the later state, which has not seen the log record (LSN ${m.tag}) that wrote it (compared as asked, --accept-older-later): added after the later state, not deleted`, m.from, bytesOf(m), m.fromSet)
      : withUnkeyed(base(n++, m.tag, 'delete', m.values, ROW_PROVENANCE.missing, m.from, bytesOf(m), m.fromSet)));
  }
  // Reversed, the earlier state is the newer: an update's before-image (values) is the older state's
  // row, the one given as later (it was the newer row, staged and shown as the before-image: one
  // re-inserted on purpose, operations ['update'], put the newer values back as the old ones)
  for (const c of d.changed) {
    rows.push(older(c.tag)
      ? { ...base(n++, c.tag, 'update', c.after, `changed between the two states: ${c.columns.map(identifierText).join(', ')}; the before-image is the later state's row, which is older (compared as asked, --accept-older-later), the after-image the earlier state's`, undefined, [...bytesOf({ bytesNotes: c.afterBytesNotes }), ...bytesOf(c).map((w) => `after-image: ${w}`)]), after: c.before }
      : { ...base(n++, c.tag, 'update', c.before, `${ROW_PROVENANCE.changed}${c.columns.map(identifierText).join(', ')}`, c.from, [...bytesOf(c), ...bytesOf({ bytesNotes: c.afterBytesNotes }).map((w) => `after-image: ${w}`)], c.fromSet), after: c.after });
  }
  return rows;
}
