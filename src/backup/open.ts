/**
 * Opening what a user names with `--bak FILE…` (and `--position N`, RESTORE's `FILE = n`):
 * - a file holding several backup sets (BACKUP … WITH NOINIT) is read only at an explicit
 *   position; without one it is refused with the list of its sets, never guessed;
 * - the stripes of one striped media set (same media set GUID, family count > 1) are read as one
 *   backup, and a missing stripe is refused (`requireWholeMediaSet`);
 * - what remains is a full backup followed by differential backups based on it, layered so a
 *   page comes from the newest backup that holds it.
 */
import { InputError, rewordMessage } from '../errors.js';
import { realPath } from '../util/files.js';
import { LayeredPageSource } from '../datafile/mdf-source.js';
import type { PageSource } from '../datafile/page-source.js';
import { listBackupSets, readBackupHeader, type BackupHeader } from './header.js';
import { BACKUP_HEADER_WARNING, blocksAfterDamage, MTF_TRAILER_DAMAGED, readMtfLayout, throwIfDamaged, type MtfLayout } from './mtf.js';

/**
 * Bytes a backup set's closing blocks take after its last data or log stream (MSLS + its MQCI,
 * SFMB, ESET ×2, SFMB): about 7 KB in the corpus's backups (StopAt_1.trn: MSLS at 75,264 of
 * 82,432 bytes). Unreadable bytes after damage, with no well-formed descriptor block among them,
 * are taken for closing blocks up to this size; more may hide further sets.
 */
const TRAILER_BYTES = 64 * 1024;
import { openBackupPageSource, openStripedBackupPageSource, requireWholeMediaSet, type BackupAdvice } from './page-source.js';
import { appendAll } from '../util/append-all.js';
import { oneNumberForEveryFile, positionOf } from './set-position.js';
import { fileAndSet } from '../util/backup-set-text.js';
import { shellPath } from '../util/shell-word.js';

/**
 * The backup set to read in `path`: `position` when given (checked against the file), 1 when
 * the file holds one set. Throws InputError INPUT_SEVERAL_BACKUP_SETS listing every set
 * (position, type, start time, LSN range) when the file holds several and no position is given,
 * and FormatError FORMAT_NO_SUCH_BACKUP_SET for a position the file does not hold.
 */
export function choosePosition(path: string, layout: MtfLayout, position?: number, advice: BackupAdvice = {}): number {
  const opt = advice.position ?? '--position';
  if (position !== undefined) {
    if (position < 1 || position > layout.sets) {
      if (position > layout.sets) throwIfDamaged(layout, `backup set ${position} could not be reached`);
      throw new InputError('INPUT_BAD_OPTION', `${opt} ${position}: ${path} holds ${layout.sets} backup set${layout.sets === 1 ? '' : 's'}: ${layout.sets === 1 ? `leave ${opt.replace(/:$/, '')} out (or give 1)` : `give 1 to ${layout.sets}`}`, { file: path });
    }
    return position;
  }
  // The walk stopped at a damaged header: what lies after it is unseen. When a well-formed block
  // that opens or holds a set's content lies there (a further set, or the rest of the one damaged),
  // or unreadable bytes more than closing blocks take, taking the set(s) seen would guess. (A
  // damaged header of StDb2Sql.bak's second set made dump print the first set's rows with no word.)
  // Only closing blocks after it (the damage in a set's trailer), or a short unreadable tail: no
  // further set can be there.
  const damage = layout.problems.find((p) => (p.code === 'FORMAT_BAD_MTF' || p.code === MTF_TRAILER_DAMAGED) && p.location.offset !== undefined);
  if (damage) {
    const at = damage.location.offset!;
    // The last set seen had closed (its ESET read) before the damage: any set content after it is
    // a further set's. It had not: the damage is inside it. Its data (MSDA blocks, every one before
    // its log in the corpus's 22 backups) must have been read before the damage, whole, and no
    // further data block or set may follow: else its pages are not all there (a damaged MSDA header
    // gave "no data pages: a log backup?") or another set may be. Its own log blocks after the
    // damage are not a reason: the log's readers report that damage.
    const closed = layout.dblks.some((d) => d.type === 'ESET' && d.set === layout.sets && d.offset < at);
    const choose = `(${opt} N reads set N of the ${layout.sets} before it)`;
    // A set whose log stream (MQTL) began with no data stream before it is a log backup: no data
    // pages come after its log (data before log, as above), so the rule does not apply (a log backup
    // cut in its log stream was said "backup set 1, whose data pages come after it, cannot be read:
    // read another copy" beside the cut's own verdict, "no log it replays is lost")
    const logBackup = layout.streams.some((x) => x.id === 'MQTL' && x.set === layout.sets) && !layout.streams.some((x) => x.id === 'MQDA' && x.set === layout.sets);
    if (!closed && !logBackup && layout.sets > 0 && damage.code === 'FORMAT_BAD_MTF' && !layout.streams.some((x) => x.id === 'MQDA' && x.set === layout.sets && !x.truncated)) {
      throwIfDamaged(layout, `backup set ${layout.sets}, whose data pages come after it, cannot be read`);
    }
    const after = blocksAfterDamage(path, at, closed || layout.sets === 0 ? undefined : ['SSET', 'MSDA']);
    if (after.content) {
      throwIfDamaged(layout, `the ${layout.size - at} bytes after it are not read, and they hold more of a backup: a well-formed ${after.content.type} descriptor block at offset ${after.content.offset} (${after.content.type === 'SSET' ? 'a further backup set starts there' : after.content.type === 'MSDA' ? "more data pages, of this set or a further one" : 'the rest of a backup set, this one or a further one'}) ${choose}`);
    }
    if (!after.anyBlock && layout.size - at > TRAILER_BYTES) {
      throwIfDamaged(layout, `the ${layout.size - at} bytes after it, with no descriptor block rowback can read among them, may hold ${layout.sets ? 'further backup sets' : 'the backup sets'}, and are not read ${choose}`);
    }
  }
  if (layout.sets <= 1) return 1;
  const list = listBackupSets(path, layout)
    .map((s) => (s.error ? `${s.position}: ${s.error}` : `${s.position}: ${s.backupType} backup of ${s.databaseName}, started ${s.backupStartDate ?? '?'}, LSN ${s.firstLsn!.decimal}..${s.lastLsn!.decimal}`))
    .join('; ');
  throw new InputError('INPUT_SEVERAL_BACKUP_SETS', `${path} holds ${layout.sets} backup sets; choose one with ${opt} N (RESTORE … WITH FILE = N): ${list}`, { file: path });
}

/**
 * The set numbers of a full backup and a differential based on it in the media file `path`
 * (`[full, differential]`: the first differential whose base BackupSetGUID, HEADERONLY
 * DifferentialBaseGUID, is a full set's BackupSetGUID in the file; header.ts readBackupHeader of
 * each set); null when the file holds no such pair (one set; two full backups, as StDb2Sql.bak's
 * 2009 and 2010 sets; a differential of another full backup); undefined when the file or a set's
 * header cannot be read, or a set names no GUID (the reading that follows says why).
 */
function fullAndDifferentialSets(path: string): [number, number] | null | undefined {
  const sets: BackupHeader[] = [];
  try {
    const layout = readMtfLayout(path);
    for (let position = 1; position <= layout.sets; position++) sets.push(readBackupHeader(path, layout, position));
  } catch {
    return undefined;
  }
  if (sets.some((h) => h.backupSetGuid === null || (h.backupType === 'differential' && h.differentialBaseGuid === null))) return undefined;
  for (const [i, d] of sets.entries()) {
    if (d.backupType !== 'differential') continue;
    const base = sets.findIndex((f, k) => k < i && f.backupType === 'full' && f.backupSetGuid!.toUpperCase() === d.differentialBaseGuid!.toUpperCase());
    if (base >= 0) return [base + 1, i + 1];
  }
  return null;
}

/**
 * One PageSource over `--bak` files: stripes of one media set joined, then a full backup and the
 * differential backups after it layered newest first. `position` selects the backup set in
 * every file (see `choosePosition`), or, a list, the set of each file in order (one file given twice
 * with two numbers is two backups: a full and a differential appended to one file). The backups are read in the order of their headers, whatever
 * the order given (`--bak DIFF FULL` was refused, while `--trn` files are sorted): full backups
 * first, then differentials by their LastLSN, oldest first, so a page comes from the newest
 * differential that holds it (given newest first, an older differential's page was read over a
 * newer one's, unsaid). `check`, when given, is called before any page is indexed with
 * the header of each backup (one per striped media set), in that order, and may throw (the
 * restore-sequence check of `src/recover/source-identity.ts`), with `advice`. `advice` says what
 * the command accepts, for the advice of the refusals (see BackupAdvice; by default that of
 * `dump`/`diff`, which take a full backup, differentials and every stripe). Throws InputError
 * INPUT_BAD_OPTION for a file given twice (by path, as written, resolved or through a link), and what
 * `choosePosition`, `requireWholeMediaSet`, `check` and `openBackupPageSource` throw.
 */
/**
 * One file twice (`--bak FULL.bak FULL.bak`, `--bak FULL DIFF ./DIFF`) was taken for the stripes of
 * one media set of one file, unsaid, where a data file given twice (--mdf) and a copy of a full
 * backup under another name (both full backups) are refused: refused as a data file given twice is.
 * Throws InputError INPUT_BAD_OPTION naming the file (by path, as written, resolved or through a
 * link), located at the later item's file, with the list that gives each file once (each backup set
 * once, with a list of set numbers: the later item and its number left out); in the options' words
 * (`advice.bakOption`, `advice.position` starting with `--`) the refusal carries that list as its
 * `fix` (errors.ts CommandFix), for the CLI to give the whole command line, as sameBackupSetTwice's does.
 */
export function assertEachBackupOnce(paths: readonly string[], position?: number | readonly number[], advice: Pick<BackupAdvice, 'positionList' | 'position' | 'bakOption'> = {}): void {
  const list = Array.isArray(position) ? (position as readonly number[]) : undefined;
  // the item `k` repeats an earlier one: the same file (by path, resolved, through a link), and with a list, the same set number
  // each path resolved once: resolved in every comparison, 1,000 distinct files took 17 s here before any was read
  const real = paths.map((p) => realPath(p));
  const repeats = (k: number) => real.some((q, i) => i < k && q === real[k] && (list === undefined || list[k] === list[i]));
  for (const [i, p] of paths.entries()) {
    // one file given twice with a set number each (`--bak ALL.bak ALL.bak --position 1,2`): two backups
    const j = real.findIndex((q, k) => k > i && q === real[i] && (list === undefined || list[k] === list[i]));
    if (j < 0) continue;
    const again = paths[j]!;
    const what = again === p ? `${p} is given more than once` : `${p} and ${again} are one file, given twice`;
    const bak = advice.bakOption ?? '--bak';
    const pos = advice.position ?? '--position';
    // every repeated item left out (the first of each kept), and with a list its number
    const keep = paths.map((_, k) => !repeats(k));
    const files = paths.filter((_, k) => keep[k]);
    const keptList = list?.filter((_, k) => keep[k]).join(',');
    const said = `${bak} ${files.join(' ')}${keptList === undefined ? '' : ` ${pos} ${keptList}`}`;
    const options = [{ flag: bak, values: files }, ...(keptList === undefined ? [] : [{ flag: pos, values: [keptList] }])];
    // `lead: LIST rest`, the list carried as the fix; a job's advice (`"position":`) names no option:
    // `lead rest`, as before (a list in the CLI's words is not a request's)
    const cliWords = bak.startsWith('--') && pos.startsWith('--');
    const refuse = (lead: string, rest: string) => (cliWords ? InputError.withFix('INPUT_BAD_OPTION', `${lead}: `, { said, options }, rest, { file: again }) : new InputError('INPUT_BAD_OPTION', lead + rest, { file: again }));
    if (list) throw refuse(`${what} with the same backup set number (${list[i]}): one backup set read twice; give each set once`, ` (${pos} gives the set of each ${bak} file in order)`);
    // the file twice with a set number each is the way only where the caller takes a list (dump,
    // diff); scan and log read one set of a file, and the list form there is refused: dead-end advice.
    // Only for a file holding a full backup and a differential after it, with their set numbers:
    // `--bak DIFF.bak DIFF.bak --position 1,2` was advised for a file of one set, whose set 2 is then
    // refused (`holds 1 backup set`), and for a file of two full backups (StDb2Sql.bak), whose list
    // 1,2 is then refused (`are both full backups`)
    const pair = fullAndDifferentialSets(p);
    if (pair === null) throw refuse(`${what}: give each backup file once`, ' (a full backup, every stripe of a striped one, then differentials based on it)');
    const numbers = pair ? pair.join(',') : '1,2';
    // the path as a word of the command line where the advice is in options' words (a job's
    // `"bak":` advice names fields, whose values are JSON, not shell words)
    const w = cliWords ? shellPath(p) : p;
    const twoSets = advice.positionList
      ? `a full and a differential that are two sets of one file: the file twice, ${pos} with a number for each, ${bak} ${w} ${w} ${pos} ${numbers}`
      : `a file of several backup sets is read one set at a time here: ${bak} ${w} ${pos} N; rowback dump and diff take a full and a differential that are two sets of one file, ${bak} ${w} ${w} ${pos} ${numbers}`;
    throw refuse(`${what}: give each backup file once`, ` (a full backup, every stripe of a striped one, then differentials based on it; ${twoSets})`);
  }
}

/**
 * Two items of a backup list that name ONE backup set (the same HEADERONLY BackupSetGUID): a copy of
 * a backup file given beside it (`--bak F F G --position 1,2,2`, G a byte copy of F), or two files
 * holding the same set. The pages read are the same, so the rows were right, but the DBA who meant
 * two backups (a newer differential) was not told. `sets`: each item's index in the list given, set
 * number, BackupSetGUID and the number of sets of its file; items of one striped media set (one
 * backup) are not passed twice. Returns the refusal (InputError INPUT_BAD_OPTION, located at the later
 * item's file) naming both items by their number in the list (`--bak items 2 and 3`, or `name(i)` as
 * the caller names them: a job's `bak.2`) and the list without the later one (`give it once:
 * --bak F F --position 1,2`, or `giveOnce(files, positions)` in the caller's words); null when none.
 * In the options' words the refusal carries that list as its `fix` (errors.ts CommandFix), for the
 * CLI to give the whole command line instead.
 */
export function sameBackupSetTwice(
  paths: readonly string[],
  position: number | readonly number[] | undefined,
  sets: ReadonlyArray<{ index: number; position: number; backupSetGuid: string | null; setsInFile: number }>,
  words: { items?: (a: number, b: number) => string; giveOnce?: (files: string[], position: number | number[] | undefined) => string; field?: (later: number) => string; bakOption?: string; position?: string } = {},
): InputError | null {
  for (const [k, a] of sets.entries()) {
    if (!a.backupSetGuid) continue;
    const b = sets.slice(k + 1).find((x) => x.backupSetGuid !== null && x.backupSetGuid.toUpperCase() === a.backupSetGuid!.toUpperCase());
    if (!b) continue;
    const bak = words.bakOption ?? '--bak';
    const pos = words.position ?? '--position';
    const named = (x: typeof a) => fileAndSet(paths[x.index]!, x.setsInFile > 1 ? x.position : undefined);
    const files = paths.filter((_, i) => i !== b.index);
    const kept: number | number[] | undefined = Array.isArray(position) ? (position as readonly number[]).filter((_, i) => i !== b.index) : (position as number | undefined);
    const items = words.items ? words.items(a.index, b.index) : `${bak} items ${a.index + 1} and ${b.index + 1}`;
    const keptText = kept === undefined ? undefined : typeof kept === 'number' ? String(kept) : kept.join(',');
    const giveOnce = words.giveOnce ? words.giveOnce(files, kept) : `${bak} ${files.join(' ')}${keptText === undefined ? '' : ` ${pos} ${keptText}`}`;
    const before = `${items}, ${named(a)} and ${named(b)}, are the same backup set (BackupSetGUID ${a.backupSetGuid}): one backup given twice${paths[a.index] === paths[b.index] ? '' : `, ${paths[b.index]} a copy of ${paths[a.index]}`}; give it once: `;
    const location = { file: paths[b.index]!, ...(words.field ? { field: words.field(b.index) } : {}) };
    // the options' own words (no giveOnce of the caller's): the CLI says the whole command instead
    if (words.giveOnce) return new InputError('INPUT_BAD_OPTION', before + giveOnce, location);
    return InputError.withFix('INPUT_BAD_OPTION', before, { said: giveOnce, options: [{ flag: bak, values: files }, ...(keptText === undefined ? [] : [{ flag: pos, values: [keptText] }])] }, '', location);
  }
  return null;
}

export function openBackupPages(paths: string[], position?: number | readonly number[], check?: (headers: BackupHeader[], advice: BackupAdvice) => void, advice: BackupAdvice = {}): PageSource {
  if (Array.isArray(position) && position.length !== paths.length) throw new InputError('INPUT_BAD_OPTION', `${advice.position ?? '--position'} gives ${position.length} backup set numbers for ${paths.length} backup files: one per file, in order`);
  assertEachBackupOnce(paths, position, advice);
  const layouts = paths.map((path, i) => ({ path, layout: readMtfLayout(path), position: positionOf(position, i), index: i }));
  requireWholeMediaSet(layouts, advice);
  // Group stripes of one media set, keeping the order of first appearance.
  const groups: Array<{ key: string; files: typeof layouts }> = [];
  for (const f of layouts) {
    const m = f.layout.mediaSet;
    // a file given twice with a set number each is two backups (two groups)
    const key = m && m.familyCount > 1 ? `set:${m.mediaSetGuid}#${f.position}` : `file:${f.path}#${f.position}`;
    const g = groups.find((x) => x.key === key);
    if (g) g.files.push(f);
    else groups.push({ key, files: [f] });
  }
  // a list of set numbers that gives the stripes of one media set different sets (`--bak S1 S2
  // --position 1,2`) would read each set from some of its stripes only (every other extent): refused
  for (const g of groups) {
    const m = g.files[0]!.layout.mediaSet;
    if (m && m.familyCount > 1 && g.files.length !== m.familyCount) {
      throw new InputError('INPUT_BAD_OPTION', `${advice.position ?? '--position'} gives the stripes of media set ${m.mediaSetGuid} (${layouts.filter((x) => x.layout.mediaSet?.mediaSetGuid === m.mediaSetGuid).map((x) => x.path).join(', ')}) different backup set numbers: a backup set is read from every stripe of its media set; give each stripe the same number`, { file: g.files[0]!.path });
    }
  }
  // one number for several files, where the caller takes a number per file: a file lacking that set
  // is refused naming the list form too (its "leave --position out" led to the other file's refusal)
  const choose = (f: (typeof layouts)[number]): number => {
    try {
      return choosePosition(f.path, f.layout, f.position, advice);
    } catch (e) {
      if (advice.positionList && typeof position === 'number' && paths.length > 1 && e instanceof InputError && e.code === 'INPUT_BAD_OPTION' && position > Math.max(1, f.layout.sets)) {
        rewordMessage(e, { suffix: oneNumberForEveryFile(advice.position ?? '--position', position, paths, advice.bakOption) });
      }
      throw e;
    }
  };
  const unsorted = groups.map((g) => {
    for (const f of g.files.slice(1)) choose(f);
    const pos = choose(g.files[0]);
    // without a check a header that cannot be read was never read here: the order given is kept then
    let header: BackupHeader | null = null;
    try {
      header = readBackupHeader(g.files[0].path, g.files[0].layout, pos);
    } catch (e) {
      if (check) throw e;
    }
    return { g, pos, header };
  });
  // one backup set given twice (a copy of a file beside it): refused naming both items
  const twice = sameBackupSetTwice(paths, position, unsorted.flatMap((x) => (x.header ? [{ index: x.g.files[0]!.index, position: x.pos, backupSetGuid: x.header.backupSetGuid, setsInFile: x.g.files[0]!.layout.sets }] : [])), advice);
  if (twice) throw twice;
  // by header: full, then differentials oldest first (the check then compares each differential's
  // base, HEADERONLY DifferentialBaseGUID, with the full backup's BackupSetGUID); ties keep the order given
  const rank = (h: BackupHeader) => (h.backupType === 'full' ? 0 : h.backupType === 'differential' ? 1 : 2);
  const lsnOrder = (a: BackupHeader, b: BackupHeader) => {
    if (a.backupType !== 'differential' || b.backupType !== 'differential') return 0;
    const d = BigInt(a.lastLsn.decimal) - BigInt(b.lastLsn.decimal);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  const sorted = unsorted.every((x) => x.header !== null)
    ? unsorted.map((x, i) => ({ ...x, i })).sort((a, b) => rank(a.header!) - rank(b.header!) || lsnOrder(a.header!, b.header!) || a.i - b.i)
    : unsorted;
  const ordered = sorted.map((x) => x.g);
  groups.length = 0;
  appendAll(groups, ordered);
  const positions = sorted.map((x) => x.pos);
  // the set read as the check names it (`FILE (backup set 2)`): the one chosen, which is the SSET's own
  // data set number (HEADERONLY Position) in a file SQL Server appended to, not always in a copy
  check?.(sorted.map((x) => (x.header && x.header.position !== x.pos ? { ...x.header, position: x.pos } : x.header!)), advice);
  const opened: PageSource[] = [];
  try {
    for (const [i, g] of groups.entries()) {
      const pos = positions[i];
      opened.push(g.files.length === 1 ? openBackupPageSource(g.files[0].path, g.files[0].layout, pos) : openStripedBackupPageSource(g.files.map((f) => f.path), pos));
    }
  } catch (e) {
    for (const o of opened) o.close();
    throw e;
  }
  // the latest differential first: a page comes from the newest backup that holds it
  return opened.length === 1 ? opened[0] : new LayeredPageSource(opened.reverse());
}

/**
 * WARNING texts for page readers (dump) on the backups' headers (`paths`: the --bak files, each
 * walked again; the walk reads descriptor blocks and the header copies): a set whose two header
 * copies disagree (FORMAT_BAD_BACKUP_HEADER: its file list was not taken to place pages,
 * page-source.ts) or whose damaged copy was settled or lies in a field no restore reads
 * (BACKUP_HEADER_WARNING). Rows are read from the pages as the backup holds them either way, but
 * what the header says of the backup is uncertain: said even with --quiet, exit 3 under --strict.
 */
export function backupHeaderWarnings(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    for (const h of readMtfLayout(path).problems) {
      if (h.code === 'FORMAT_BAD_BACKUP_HEADER') out.push(`${path}: ${h.code}: ${h.reason} (offset ${h.location.offset}): the data pages were placed by their own headers, not by the file list of either copy; rows are read from the pages as the backup holds them`);
      else if (h.code === BACKUP_HEADER_WARNING) out.push(`${path}: ${h.code}: ${h.reason} (offset ${h.location.offset}); rows are read from the pages as the backup holds them`);
    }
  }
  return out;
}

/**
 * Notes for page readers (dump) on MTF damage a backup's walk stopped at after the set's data:
 * damage past the end of its last data stream (MQDA, in an MSDA block), with no data block after it
 * (choosePosition refuses the file otherwise), leaves the pages read whole — only the log part or
 * the closing blocks after it are not read — so it is said, not counted as a loss. A page still
 * missing (a data file whose MSDA block was the damaged one) fails its read and is reported so.
 * `paths`: the --bak files (each walked again; the walk reads descriptor blocks only).
 */
export function backupDamageNotes(paths: string[]): string[] {
  const notes: string[] = [];
  for (const path of paths) {
    const layout = readMtfLayout(path);
    const p = layout.problems.find((x) => (x.code === 'FORMAT_BAD_MTF' || x.code === MTF_TRAILER_DAMAGED) && x.location.offset !== undefined);
    if (!p) continue;
    const data = layout.streams.filter((x) => x.id === 'MQDA' && !x.truncated);
    const last = data[data.length - 1];
    if (!last || last.dataOffset + last.length > p.location.offset!) continue;
    notes.push(`${path}: ${p.code}: ${p.reason} (offset ${p.location.offset}): it lies after the backup's data stream${data.length > 1 ? 's' : ''} (MQDA), read whole (the last ends at offset ${last.dataOffset + last.length}), and no data block follows it; the log or closing blocks after it are not read (a page the backup should hold and does not is reported as missing)`);
  }
  return notes;
}
