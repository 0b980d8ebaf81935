/**
 * Whether a recovery's result is whole, and if not, every sentence saying why: the one verdict
 * `rowback scan` (its stderr's INCOMPLETE lines, `--report`'s `complete` / `incomplete`, exit 3
 * under --strict) and a job (its `complete` / `incomplete`, the INCOMPLETE notes of its audit entry)
 * give. Both gathered the same dozen checks each in its own words and order, and a check added to
 * one was found missing from the other more than once (session 33's re-read); the checks live here
 * once, the words (flag names against job fields, "printed" against "staged") are the caller's.
 *
 * The checks, in the order said (each the module that judges it):
 * - the data file's (or backup's) catalog is damaged and row operations may be of the tables it lost
 *   (source.ts catalogDamageLoss);
 * - log not read whole (a damaged or missing stretch, a chain gap the window or LSN range may reach;
 *   log-not-given.ts splitLostByReach);
 * - tables the layout check held back, row operations not decoded (recover-rows.ts NotPrintedRows);
 * - row operations the source itself left out as skipped items (SOURCE_SCHEMA_DRIFT: a live or export
 *   scan's table altered after the row's transaction began, a files scan's row logged after an ALTER
 *   its data file's or backup's catalog predates; sourceRowsClause);
 * - row operations on tables the catalog does not name (committed.ts unknownTablesClause);
 * - a live or export scan's tables altered or rebuilt inside the stretch asked for, whose earlier
 *   allocation units it does not read (rebuilt-tables.ts rebuiltTablesClause);
 * - transactions the window left out whose begin is not in the log read (committed.ts beginUnreadClause);
 * - rows a selection left out for want of a login or SID to compare (the scan's own sentence);
 * - a window or LSN range starting before the log read (window-before-log.ts) or running past its
 *   end, or asking an export for more than it holds (window-past-log.ts);
 * - stretches of log the files show to exist and none holds, that the window may reach (log-not-given.ts).
 */
import { tableListText, tableNameText } from '../util/tsql.js';
import { exportTimeIso } from './log-local-time.js';
import { beginUnreadClause, unknownTablesClause, type CommittedScanStats } from './committed.js';
import { committedPending, logNotGivenReached, outsideAskedNote, readEdgesSaid, splitLogNotGiven, splitLostByReach } from './log-not-given.js';
import type { OpenedSource } from './open-source.js';
import type { NotPrintedRows } from './recover-rows.js';
import { catalogDamageLoss, catalogDamageSubject, catalogOwnerOf, isChainOverlap, isUndecodedRowOp, logLoss, logLossClause, lossPlaces, type SkippedItem } from './source.js';
import { logReadStartFacts, lsnRangeBeforeLogStartClause, onlineLogStartClause, windowBeforeLogStartClause } from './window-before-log.js';
import { lsnRangePastLogEndClause, windowPastLogEndClause } from './window-past-log.js';
import { columnstoreTablesClause, rebuiltTablesClause, type CatalogChanges } from './rebuilt-tables.js';
import type { Lsn } from '../logreader/lsn.js';
import { resolve as resolvePath } from 'node:path';
import { appendAll } from '../util/append-all.js';

/** What the recovery read: a data file, backups or log files; an export file; a live server (its online log or its log backups). */
export type VerdictSourceKind = 'files' | 'export' | 'live' | 'log-backup';

/**
 * The caller's words for the sentences: what was done with the rows, where its skipped items are,
 * and each way on in the caller's own names (`--trn` against a job's `trn`).
 */
export interface VerdictWords {
  /** What was not done with rows left out: 'printed' (scan) or 'staged' (a job). */
  done: 'printed' | 'staged';
  /** Lost log: "rows in those LSN ranges are missing from {result}" ('this result', 'this job'). */
  result: string;
  /** Lost log: lossPlaces' tail (where the items are), absent for its default. */
  lossPlacesTail?: string;
  /** Lost log: the way on after the sentence (scan's names its flags), '' for none. */
  lostAdvice: (lost: readonly SkippedItem[]) => string;
  /** A chain gap the window lies wholly outside: the note's subject ("the job's window lies"), what follows ("no row it asks for can be there") and way on. */
  lostOutside: { lies: string; holds: string; wayOn: string };
  /** A damaged catalog: whether its pages are named, what its row operations are called (absent: the operations joined by '/'), and the words after its clause (", not staged"). */
  damaged: { pages: boolean; ops?: string; tail: string };
  /** Where the held-back tables' and undecoded rows' skipped items are. */
  heldWhere: string;
  undecodedWhere: string;
  /** Rows logged after a change of their table's columns: the way on, after 'a data file or full backup taken after the change, or' (scan: --mdf/--bak, --schema/--ddl; a job: its fields). */
  layoutChangeWayOn?: string;
  /** Transactions whose begin is not in the log read: the way on. */
  beginUnreadWayOn: string;
  /** A window wholly or partly before the log read: the way on (window-before-log.ts). */
  beforeWayOn: string;
  /** A live or export scan's table altered or rebuilt inside the stretch asked for: the way on (rebuilt-tables.ts); absent: said without one. */
  rebuiltWayOn?: string;
  /** A window past the end of the log read: the field names and way on (window-past-log.ts); absent: its --to/--trn default. */
  pastEnd?: { to: string; add: string };
  /** An export asked for more than it holds: the window's field names; absent: --from/--to. */
  scopeNames?: { from: string; to: string };
  /** The start-side sentences (window, online log, LSN range) said as one line joined by '; ', and the end side alike (scan), or one line each (a job). */
  edgesOneLine: boolean;
}

/** What the verdict is judged from; every field is the caller's state after the recovery ended (or stopped). */
export interface VerdictInput {
  kind: VerdictSourceKind;
  /** Whose catalog the source read, as its sentences name it (RecoverySource.catalogOwner: `the data file's`, `the backup's`); absent: `the source's`. */
  catalogOwner?: string;
  /** The committed filter's counts with begin-unread transactions placed (log-not-given.ts placeBeginUnread); undefined for a source without them. */
  stats: CommittedScanStats | undefined;
  window: { from?: string; to?: string; operations: readonly string[] };
  /** An LSN range (or a selection carrying one) asked for; null when none. */
  range: { fromLsn: Lsn | null; toLsn: Lsn | null } | null;
  /** The source's own skipped items (source.skipped()): a damaged catalog is judged from these alone. */
  sourceSkipped: readonly SkippedItem[];
  /** Every skipped item: the source's and the recovery's (chain gaps, damaged log, rows not decoded). */
  skipped: readonly SkippedItem[];
  /** Row operations that came out as skipped items (isUndecodedRowOp). */
  undecodedRowOps: number;
  notPrinted: NotPrintedRows;
  /** The opened source's facts about the log read (open-source.ts OpenedSource); a bare source has none. */
  facts: Partial<Pick<OpenedSource, 'logNotGiven' | 'chainGapTimes' | 'logReadStart' | 'logReadEnd' | 'logWholeFrom' | 'databaseCreated' | 'scopeClauses'>>;
  /** A live source: where its online log begins (LiveRecoverySource.logStartsAfterWindow); undefined otherwise. */
  onlineLogStart?: { startsAt: string | null | undefined; wayOn: string };
  /**
   * A live or export source: the tables it read rows of with their modify_date, and where its log read
   * begins (RecoverySource.catalogChanges); absent or null otherwise. Judged whether or not the tables
   * were given (--schema/--ddl change how rows decode, not which records the server or export chose).
   */
  catalogChanges?: CatalogChanges | null;
  /** The tables were given (--ddl/--schema, a job's metadata): unknown tables and catalog damage are not judged. */
  layoutGiven: boolean;
  /** The recovery was stopped (a signal, a cancel) before it read the log to its end: only what is known of the part read is judged. */
  stopped: boolean;
  /** An LSN range below an .ldf's whole log (window-before-log.ts lsnRangeBeforeLdf, read by the caller: it reads the file). */
  lsnBeforeLdf?: string;
  /** Rows a selection left out for want of a login or SID to compare (scan's sentence), said after begin-unread; '' for none. */
  selectionUnknown?: string;
}

/** The verdict: `clauses` every INCOMPLETE sentence (without its head) in the order said; the rest its parts, for reports. */
export interface IncompleteVerdict {
  /** The damaged catalog's sentence ('' when none), the first of `clauses`. */
  damaged: string;
  damage: SkippedItem[];
  /** Log not read whole that the window or LSN range may reach (their sentence is in `clauses`). */
  lost: SkippedItem[];
  /** The note for chain gaps the window and LSN range provably lie outside, or undefined. */
  lostOutsideNote: string | undefined;
  /** The start-side sentences (a window or LSN range before the log read, the online log's start). */
  beforeStart: string[];
  /** The end-side sentences (past the log read's end, beyond an export's scope). */
  pastEnd: string[];
  /** Stretches of log in no file given the window or LSN range may reach (said in place of their notes). */
  logNotGiven: string[];
  held: string;
  undecoded: string;
  /** Row operations the source left out as skipped items (sourceRowsClause), '' when none. */
  sourceRows: string;
  unknownTables: string;
  /** Tables a live or export scan read that were altered or rebuilt inside the stretch asked for (rebuilt-tables.ts), '' when none. */
  rebuilt: string;
  beginUnread: string;
  /** Every INCOMPLETE sentence, in the order said; empty when the result is whole. */
  clauses: string[];
}

/**
 * Judges whether a recovery's result is whole (see the module comment for the checks). Pure over its
 * input: reads no file (the caller passes what needs one, `lsnBeforeLdf`). Never throws.
 */
export function incompleteVerdict(input: VerdictInput, words: VerdictWords): IncompleteVerdict {
  const { stats, window, range, facts, stopped } = input;
  const pending = committedPending(stats);
  const allLost = logLoss([...input.skipped]);
  // a chain gap the window and LSN range provably lie wholly outside: a note, not INCOMPLETE
  const { reached: lost, outside } = splitLostByReach(allLost, window, range, facts.chainGapTimes, pending);
  const lostOutsideNote = outside.length ? outsideAskedNote(outside, words.lostOutside.lies, words.lostOutside.holds, words.lostOutside.wayOn) : undefined;
  // row operations that may be of tables a damaged catalog lost, or of tables whose columns it lost
  const loss = stats && !input.layoutGiven ? catalogDamageLoss([...input.sourceSkipped], input.undecodedRowOps, stats.unknownAllocUnitRowOps, words.damaged.ops ?? window.operations.join('/')) : null;
  const damaged = loss ? `${catalogOwnerOf(input)} catalog is damaged (${catalogDamageSubject(loss.damage, words.damaged.pages)}): ${loss.clause}${words.damaged.tail}` : '';
  const held = input.notPrinted.heldClause(words.heldWhere, words.done);
  // a damaged catalog's sentence already counts its tables' undecoded rows
  const undecoded = damaged ? '' : input.notPrinted.undecodedClause(words.undecodedWhere, words.done);
  const sourceRows = sourceRowsClause(input.sourceSkipped, words.undecodedWhere, words.done, words.layoutChangeWayOn);
  const unknownTables = stats && input.kind === 'files' && !input.layoutGiven && !damaged && !stopped ? unknownTablesClause(stats, [...window.operations], words.done, catalogOwnerOf(input)) : '';
  // the catalog and where the log read begins are known before the read: said when stopped too
  const rebuilt = input.kind === 'files'
    // a files source tells only its clustered columnstore tables (its catalog is a snapshot)
    ? columnstoreTablesClause(input.catalogChanges?.columnstore, 'files', words.result)
    : input.catalogChanges
    ? [
      rebuiltTablesClause(input.catalogChanges, window.from, input.kind === 'export' ? 'export' : 'live', { from: words.scopeNames?.from ?? '--from', result: words.result, wayOn: words.rebuiltWayOn ?? '' }),
      // clustered columnstore tables read: no delete of theirs is ever returned (rebuilt-tables.ts)
      columnstoreTablesClause(input.catalogChanges.columnstore, input.kind === 'export' ? 'export' : 'live', words.result),
    ].filter(Boolean).join('; ')
    : '';
  const beginUnread = stats && !stopped ? beginUnreadClause(stats, [...window.operations], words.done, words.beginUnreadWayOn) : '';
  const notGiven = stopped ? [] : splitLogNotGiven(facts.logNotGiven?.() ?? [], window, range, pending).incomplete;
  // a stretch in no file given right before or after the log read says the window's start or end already: said once
  const edges = readEdgesSaid(stopped ? [] : [
    ...(facts.logNotGiven?.() ?? []).filter((x) => logNotGivenReached(x, window, range, pending)),
    ...lost.filter((x) => x.code === 'FORMAT_LOG_CHAIN_GAP' && x.lsnRange && !isChainOverlap(x)).map((x) => ({ lsnRange: x.lsnRange, ...(facts.chainGapTimes?.(x) ?? {}) })),
  ], { firstLsn: facts.logReadStart?.()?.firstLsn, lastLsn: facts.logReadEnd?.()?.lastLsn }, window, range);
  const beforeStart: string[] = [];
  const pastEnd: string[] = [];
  if (!stopped) {
    // an export's own window bounds what it holds (its scope clauses); a live server's counts are of
    // the transactions it returned, begun in the window (its probe of the online log says instead)
    if (stats && input.kind !== 'export' && !stats.serverFiltered && !edges.windowStart) {
      beforeStart.push(windowBeforeLogStartClause(window, logReadStartFacts(stats, facts, allLost), words.beforeWayOn) ?? '');
    }
    if (input.onlineLogStart) beforeStart.push(onlineLogStartClause(window, input.onlineLogStart.startsAt, input.onlineLogStart.wayOn) ?? '');
    if (range && input.kind !== 'export' && !edges.lsnStart) beforeStart.push(lsnRangeBeforeLogStartClause(range, facts.logReadStart?.()) ?? input.lsnBeforeLdf ?? '');
    if (!edges.windowEnd) pastEnd.push(windowPastLogEndClause(window, facts.logReadEnd?.(), words.pastEnd, stats?.lastBeginTime) ?? '');
    if (range && !edges.lsnEnd) pastEnd.push(lsnRangePastLogEndClause(range, facts.logReadEnd?.()) ?? '');
    appendAll(pastEnd, (facts.scopeClauses?.(window, words.scopeNames) ?? []));
  }
  const before = beforeStart.filter(Boolean);
  const past = pastEnd.filter(Boolean);
  const edgeLines = words.edgesOneLine ? [before.join('; '), past.join('; ')] : [...before, ...past];
  const clauses = [
    damaged,
    lost.length ? `${logLossClause(lost)}; rows in those LSN ranges are missing from ${words.result}${lossPlaces(lost, words.lossPlacesTail)}${words.lostAdvice(lost)}` : '',
    held, undecoded, sourceRows, unknownTables, rebuilt, beginUnread, stopped ? '' : input.selectionUnknown ?? '',
    ...edgeLines, ...notGiven,
  ].filter(Boolean);
  return { damaged, damage: loss?.damage ?? [], lost, lostOutsideNote, beforeStart: before, pastEnd: past, logNotGiven: notGiven, held, undecoded, sourceRows, unknownTables, rebuilt, beginUnread, clauses };
}

/**
 * The INCOMPLETE sentence for row operations the source itself refused as skipped items (each with
 * its table and LSN: source.ts isUndecodedRowOp; today SOURCE_SCHEMA_DRIFT), without the head; ''
 * when there are none. Those rows are not in the result: a live scan that skipped a table's rows
 * for schema drift, and a files scan that refused rows logged after an ALTER, exited 0 with
 * `"complete": true`, the rows only listed among the skipped items. `where`: where the items are;
 * `verb`: what was not done with the rows. Pure.
 */
export function sourceRowsClause(sourceSkipped: readonly SkippedItem[], where: string, verb = 'printed', wayOn = 'a data file or full backup taken after the change (--mdf/--bak), or the table\'s layout after it as catalog JSON or a CREATE TABLE script (--schema/--ddl), decodes them'): string {
  const codes = new Map<string, number>();
  const tables: string[] = [];
  // per table, each change of its columns its rows were logged after (files scans say it): one
  // table changed twice was said by its first change alone, 'a data file … taken after the change
  // decodes them', which the rows logged after the second do not fit
  const changes = new Map<string, NonNullable<SkippedItem['layoutChange']>[]>();
  let n = 0;
  for (const s of sourceSkipped) {
    if (!isUndecodedRowOp(s)) continue;
    codes.set(s.code, (codes.get(s.code) ?? 0) + 1);
    const t = String(s.location.table);
    if (!tables.includes(t)) tables.push(t);
    if (s.layoutChange) {
      const list = changes.get(t) ?? [];
      if (!list.some((c) => c.lsn === s.layoutChange!.lsn)) list.push(s.layoutChange);
      changes.set(t, list);
    }
    n++;
  }
  if (n === 0) return '';
  const num = (x: number) => x.toLocaleString('en-US');
  // the change and the way on, in the sentence a script reads (--report's incomplete, a job's
  // incomplete): it sent the reader to the skipped items' reasons for both
  const one = (c: NonNullable<SkippedItem['layoutChange']>) => `LSN ${c.lsn} (transaction ${c.transactionId}${c.endTime ? `, committed at ${exportTimeIso(c.endTime) ?? c.endTime}, the SQL Server's local time` : ''})`;
  const changed = [...changes].map(([t, cs]) => `${tableNameText(t)}'s columns were changed at ${cs.map(one).join(' and again at ')}`);
  const several = [...changes].some(([, cs]) => cs.length > 1);
  const said = changed.length
    ? `; ${changed.join(', ')}, which the catalog read predates: rows logged after ${several ? 'each change' : 'it'} are in a layout that catalog does not describe; ${wayOn}${several ? `, the rows logged after each change and before the next only with the layout between the two (a data file taken after the last change does not describe the rows logged before it): each change is named in its rows' skipped items` : ''}`
    : '';
  return `${num(n)} row operation(s) of ${tableListText(tables)} were left out, not decoded with a layout they were not written in (${[...codes].map(([c, k]) => `${c} ×${num(k)}`).join(', ')}): those rows are not ${verb}; each is a skipped item with its LSN, reason and row image (${where})${said}`;
}

/**
 * A chain gap's way on (VerdictWords.lostAdvice), in the caller's names: scan's flags
 * (`--bak`, `--trn`, `--ldf`) or a job's fields (`bak`, `trn`, `ldf`). Log backups that overlap:
 * one branch to choose, nothing to add. '' when no chain gap was lost. A job said none: its
 * INCOMPLETE sentence named the stretch and no way to read it, where scan's named the files to add.
 */
export function missingLogAdvice(lost: readonly SkippedItem[], o: { bakOnly: boolean; bak: string; addTrn: string; addLdf: string; item: string }): string {
  if (!lost.some((s) => s.code === 'FORMAT_LOG_CHAIN_GAP')) return '';
  // log backups that overlap: nothing to add, one branch to choose (it said "add the missing ones")
  const overlapAdvice = lost.some(isChainOverlap) ? `the FORMAT_LOG_CHAIN_GAP ${o.item} names the two log backups that overlap: give those of one branch of the database's history` : '';
  if (!lost.some((s) => s.code === 'FORMAT_LOG_CHAIN_GAP' && !isChainOverlap(s))) return `: ${overlapAdvice}`;
  const also = overlapAdvice ? `; and ${overlapAdvice}` : '';
  if (o.bakOnly) {
    return `: the log between the backups given ${o.bak} is in none of them (a full or differential backup holds only the log written while it ran); add the log backups taken between them ${o.addTrn}${o.addLdf ? `, or the .ldf ${o.addLdf}` : ''}${also}`;
  }
  return `: add the missing log backups ${o.addTrn} (the FORMAT_LOG_CHAIN_GAP ${o.item} names the files and LSNs on each side)${also}`;
}

/**
 * The way on for log an .ldf lost to damage (a zeroed, torn or damaged block: FORMAT_LOG_GAP,
 * FORMAT_BAD_LOG_BLOCK items of `ldf`), in the caller's names: log backups holding those LSNs read
 * beside the .ldf take the place of its lost blocks (merged-log.ts LdfHoles: a range their blocks
 * cover is a note, not a loss). The INCOMPLETE line named the range and no way to read it. '' when
 * the .ldf lost nothing. `trnGiven`: log backups were given, and do not hold the range.
 */
export function ldfLossAdvice(lost: readonly SkippedItem[], ldf: string | undefined, o: { trnGiven: boolean; trn: string; ldf: string }): string {
  if (ldf === undefined) return '';
  const mine = resolvePath(ldf);
  if (!lost.some((s) => (s.code === 'FORMAT_LOG_GAP' || s.code === 'FORMAT_BAD_LOG_BLOCK') && s.location.file !== undefined && resolvePath(s.location.file) === mine)) return '';
  return o.trnGiven
    ? `the log backups given (${o.trn}) do not hold them; others of this database that do, given with ${o.trn} beside ${o.ldf}, are read where the .ldf's blocks were lost`
    : `to read them, give log backups of this database holding those LSNs with ${o.trn} beside ${o.ldf} (their blocks are read where the .ldf's were lost)`;
}

/** missingLogAdvice's chain-gap way on, then ldfLossAdvice's (each '' when it does not apply), as one tail after the INCOMPLETE sentence. */
export function joinLossAdvice(chain: string, ldf: string): string {
  if (!ldf) return chain;
  return chain ? `${chain}; ${ldf}` : `: ${ldf}`;
}

/**
 * "why no rows" of a recovery that lost log: what it counts is of the log read only (scan and a job
 * alike; a job said "it holds no deletes" of a log it had not read whole, its INCOMPLETE apart).
 */
export function noRowsOfLogReadClause(lost: readonly SkippedItem[], below: string): string {
  return lost.length ? `; that is of the log read only: ${logLossClause(lost)}, and what those parts held is not known (${below})` : '';
}
