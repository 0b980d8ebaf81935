/**
 * `rowback diff`: a table at an earlier point (backups, optionally replayed to a point in time)
 * against a later state (a data file or a newer backup): the rows the later state lacks and the
 * rows it holds changed, printed and optionally staged as a `restore` job for review and
 * re-insert. See docs/restore.md.
 */
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { InputError, SchemaError } from '../../errors.js';
import { openBackupPages } from '../../backup/open.js';
import { readDataFileMetadata, type DataFileMetadata } from '../../datafile/metadata.js';
import { PageReader } from '../../datafile/page-reader.js';
import type { PageSource } from '../../datafile/page-source.js';
import { findTable, readTableRows } from '../../datafile/table-rows.js';
import { visibleColumns, type TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../../reconstruct/values.js';
import type { RecoveredRow } from '../../recover/recovered-row.js';
import type { SkippedItem } from '../../recover/source.js';
import { assertBackupSet, assertOneDatabase, readSourceIdentity, type SourceFileIdentity } from '../../recover/source-identity.js';
import { replayTableAt } from '../../replay/point-in-time.js';
import { diffTableStates, type TableDiff, type TableState } from '../../replay/table-diff.js';
import { StagingStore } from '../../staging/store.js';
import { assertRegularFile, openOutputFile } from '../files.js';
import { choiceOption, normalizeTableName } from '../options.js';
import { replaySummary } from './dump-point-in-time.js';
import { openDataFiles } from './dump.js';
import { parseTarget } from './restore.js';

export const DIFF_FORMATS = ['ndjson', 'json'] as const;

export interface DiffOptions {
  /** Earlier state: full backup [differential…]. */
  bak: string[];
  /** Earlier state: log backups replayed over `bak` to `stopAt` / `stopBeforeLsn`. */
  trn?: string[];
  stopAt?: string;
  stopBeforeLsn?: string;
  /** Later state: data file(s)… */
  afterMdf?: string[];
  /** …or a newer full backup [differential…]. */
  afterBak?: string[];
  /** Later state as a point in time: log backups replayed over `afterBak` to `afterStopAt` / `afterStopBeforeLsn`. */
  afterTrn?: string[];
  afterStopAt?: string;
  afterStopBeforeLsn?: string;
  table: string;
  /** Columns to match rows on (default: the clustered index key; whole rows for a heap). */
  key?: string;
  /** Staging file: the missing and changed rows become a job of kind `restore`. */
  stage?: string;
  format: (typeof DIFF_FORMATS)[number];
  out?: string;
  quiet?: boolean;
}

/** Adds `diff` to the program (see runDiff). */
export function register(program: Command): void {
  program
    .command('diff')
    .description('Compare a table at an earlier point (backups, optionally replayed to a time) with a later state (data file or newer backup): rows the later state lacks or holds changed')
    .requiredOption('--bak <files...>', 'earlier state: full backup, optionally followed by differential backups based on it')
    .option('--trn <files...>', 'earlier state: log backups replayed over --bak up to --stop-at / --stop-before-lsn')
    .option('--stop-at <time>', "with --trn: the earlier state at this time, the SQL Server's local time (STOPAT)")
    .option('--stop-before-lsn <lsn>', 'with --trn: the earlier state just before this LSN (STOPBEFOREMARK)')
    .option('--after-mdf <files...>', 'later state: the data file (.mdf, with its .ndf files)')
    .option('--after-bak <files...>', 'later state: a newer full backup, optionally followed by differentials based on it')
    .option('--after-trn <files...>', 'later state as a point in time: log backups replayed over --after-bak up to --after-stop-at / --after-stop-before-lsn')
    .option('--after-stop-at <time>', "with --after-trn: the later state at this time, the SQL Server's local time")
    .option('--after-stop-before-lsn <lsn>', 'with --after-trn: the later state just before this LSN')
    .requiredOption('--table <schema.name>', 'the table to compare', (v: string) => normalizeTableName(v))
    .option('--key <columns>', 'comma-separated columns identifying a row (default: the clustered index key; a heap is compared as whole rows)')
    .option('--stage <staging.db>', "stage the missing and changed rows as a job of kind 'restore' (review and re-insert them like scanned rows)")
    .addOption(choiceOption('--format <format>', 'output format', DIFF_FORMATS, 'ndjson'))
    .option('--out <file>', 'write rows to this file instead of stdout')
    .option('--quiet', 'no summary on stderr')
    .action(async (opts: DiffOptions) => {
      await runDiff(opts);
    });
}

/** The table's rows on a page source (a data file or a backup's pages), with its layout. */
function readState(source: PageSource, table: string, where: string): { state: TableState; layout: TableLayout } {
  const reader = new PageReader(source);
  const md: DataFileMetadata = readDataFileMetadata(source, reader);
  const d = findTable(md, table);
  if (!d) throw new InputError('INPUT_UNKNOWN_TABLE', `table ${table} is not in ${where}; known tables: ${md.tables.map((t) => `${t.schema}.${t.name}`).join(', ') || '(none)'}`, { table, file: where });
  const qualified = `${d.layout.schema}.${d.layout.name}`;
  if (d.layout.unreadable) throw new SchemaError('SCHEMA_COLUMNS_UNREADABLE', `${qualified} in ${where}: its columns could not be established: ${d.layout.unreadable}`, { table: qualified, file: where });
  const columns = visibleColumns(d.layout).map((c) => c.name);
  const skipped: SkippedItem[] = [];
  const rows: TableState['rows'] = [];
  for (const r of readTableRows(source, md, qualified, { reader, skipped })) {
    const values: Record<string, SqlValue> = {};
    for (const c of columns) values[c] = r.values[c] ?? null;
    rows.push({ values });
  }
  if (skipped.length) {
    throw new InputError('INPUT_UNREADABLE_STATE', `${skipped.length} row(s) or page(s) of ${qualified} in ${where} could not be read (first: ${skipped[0].code}: ${skipped[0].reason}); a comparison would call them missing, so none is made`, { table: qualified, file: where });
  }
  return { state: { table: qualified, columns, rows }, layout: d.layout };
}

/**
 * Runs the comparison and prints it: ndjson lines `{change: 'missing', table, values}` and
 * `{change: 'changed', table, key, columns, before, after}` (json: one array of them), and a
 * summary on stderr. With `stage`, the same rows become one `restore` job (missing rows as
 * operation `delete`, changed rows as `update` with both images). Throws InputError
 * INPUT_BAD_OPTION (exactly one of --after-mdf/--after-bak; --trn needs a stop and a stop needs
 * --trn, likewise --after-trn and --after-stop-*, which replay the later state from --after-bak), INPUT_MIXED_DATABASES, INPUT_UNKNOWN_TABLE, SchemaError SCHEMA_TABLE_CHANGED, and what
 * replayTableAt throws.
 */
export async function runDiff(opts: DiffOptions, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Promise<TableDiff & { jobId: number | null }> {
  const afterMdf = opts.afterMdf ?? [];
  const afterBak = opts.afterBak ?? [];
  if ((afterMdf.length > 0) === (afterBak.length > 0)) throw new InputError('INPUT_BAD_OPTION', 'give the later state with exactly one of --after-mdf FILE or --after-bak FILE [DIFF…]');
  const trn = opts.trn ?? [];
  const stop = opts.stopAt !== undefined || opts.stopBeforeLsn !== undefined;
  if (trn.length > 0 && !stop) throw new InputError('INPUT_BAD_OPTION', '--trn replays log backups up to a point: give --stop-at TIME or --stop-before-lsn LSN');
  if (stop && trn.length === 0) throw new InputError('INPUT_BAD_OPTION', '--stop-at / --stop-before-lsn need the log backups to replay: --trn LOG.trn…');
  const afterTrn = opts.afterTrn ?? [];
  const afterStop = opts.afterStopAt !== undefined || opts.afterStopBeforeLsn !== undefined;
  if (afterTrn.length > 0 && !afterStop) throw new InputError('INPUT_BAD_OPTION', '--after-trn replays log backups up to a point: give --after-stop-at TIME or --after-stop-before-lsn LSN');
  if (afterStop && afterTrn.length === 0) throw new InputError('INPUT_BAD_OPTION', '--after-stop-at / --after-stop-before-lsn need the log backups to replay: --after-trn LOG.trn…');
  if (afterStop && afterBak.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a later state replayed to a point in time needs its full backup: --after-bak FULL.bak [DIFF.bak] --after-trn LOG.trn…');
  for (const f of afterTrn) assertRegularFile('--after-trn', f);
  for (const f of opts.bak) assertRegularFile('--bak', f);
  for (const f of trn) assertRegularFile('--trn', f);
  for (const f of afterMdf) assertRegularFile('--after-mdf', f);
  for (const f of afterBak) assertRegularFile('--after-bak', f);
  const outFile = opts.out ? openOutputFile('--out', opts.out) : undefined;

  // One database on both sides (binding id): another database's table of the same name is not "the later state".
  const ids: SourceFileIdentity[] = [];
  for (const f of [...opts.bak, ...afterBak]) ids.push(await readSourceIdentity(f, 'bak'));
  for (const f of [...trn, ...afterTrn]) ids.push(await readSourceIdentity(f, 'trn'));
  for (const f of afterMdf) ids.push(await readSourceIdentity(f, 'mdf'));
  assertOneDatabase(ids);

  let before: TableState;
  let layout: TableLayout;
  let replayNote = '';
  if (stop) {
    const r = await replayTableAt({ bak: opts.bak, trn, table: opts.table, target: parseTarget(opts) });
    before = { table: r.table, columns: r.columns, rows: r.rows.map((x) => ({ values: x.values, tag: x.origin === 'backup' ? undefined : x.origin.lsn })) };
    replayNote = replaySummary(r).replace(/^rowback dump:/gm, 'rowback diff (earlier state):');
    const src = openBackupPages([r.chain.steps[0].set.devices[0]], undefined, assertBackupSet);
    try {
      layout = readState(src, opts.table, r.chain.steps[0].set.devices[0]).layout;
    } finally {
      src.close();
    }
  } else {
    const src = openBackupPages(opts.bak, undefined, assertBackupSet);
    try {
      ({ state: before, layout } = readState(src, opts.table, opts.bak.join(' + ')));
    } finally {
      src.close();
    }
  }
  let after: TableState;
  if (afterStop) {
    const r = await replayTableAt({ bak: afterBak, trn: afterTrn, table: opts.table, target: parseTarget({ stopAt: opts.afterStopAt, stopBeforeLsn: opts.afterStopBeforeLsn }) });
    after = { table: r.table, columns: r.columns, rows: r.rows.map((x) => ({ values: x.values })) };
    replayNote += replaySummary(r).replace(/^rowback dump:/gm, 'rowback diff (later state):');
  } else {
    const afterSrc = afterMdf.length ? openDataFiles(afterMdf) : openBackupPages(afterBak, undefined, assertBackupSet);
    try {
      after = readState(afterSrc, opts.table, (afterMdf.length ? afterMdf : afterBak).join(' + ')).state;
    } finally {
      afterSrc.close();
    }
  }

  let key: string[] | null = null;
  let keySource = 'key';
  if (opts.key) {
    key = opts.key.split(',').map((c) => c.trim()).filter(Boolean);
    const unknown = key.filter((c) => !before.columns.includes(c));
    if (unknown.length) throw new InputError('INPUT_BAD_OPTION', `--key names column(s) ${unknown.join(', ')} that ${before.table} does not have (columns: ${before.columns.join(', ')})`);
    keySource = '--key';
  } else if (layout.indexId === 1) {
    const k = layout.columns.filter((c) => (c.keyOrdinal ?? 0) > 0 && before.columns.includes(c.name)).sort((a, b) => a.keyOrdinal! - b.keyOrdinal!).map((c) => c.name);
    if (k.length) {
      key = k;
      keySource = 'the clustered index key';
    }
  }
  const d = diffTableStates(before, after, key, keySource);

  const out: Writable = outFile ?? stdout;
  const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
  const lines: object[] = [
    ...d.missing.map((m) => ({ change: 'missing', table: d.table, values: m.values })),
    ...d.changed.map((c) => ({ change: 'changed', table: d.table, key: c.key, columns: c.columns, before: c.before, after: c.after })),
  ];
  if (opts.format === 'json') await write(lines.length ? `[\n${lines.map((l) => JSON.stringify(l)).join(',\n')}\n]\n` : '[]\n');
  else for (const l of lines) await write(`${JSON.stringify(l)}\n`);
  if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));

  let jobId: number | null = null;
  if (opts.stage) jobId = stageDiff(opts, d, layout);
  if (!opts.quiet) {
    stderr.write(replayNote);
    stderr.write(
      `rowback diff: ${d.table}: earlier ${before.rows.length} row(s), later ${after.rows.length} row(s); ` +
        `${d.missing.length} missing from the later state, ${d.changed.length} changed, ${d.added} only in the later state, ${d.same} unchanged; ` +
        `${d.key ? `matched on ${keySource} (${d.key.join(', ')})` : d.keyNote}` +
        `${jobId !== null ? `; staged as restore job ${jobId} in ${opts.stage}` : ''}\n`,
    );
  }
  return { ...d, jobId };
}

/** Stages the missing rows (operation `delete`) and changed rows (`update`, both images) as one job of kind `restore`. */
function stageDiff(opts: DiffOptions, d: TableDiff, layout: TableLayout): number {
  const store = new StagingStore(opts.stage!);
  try {
    const spec = { bak: opts.bak, trn: opts.trn ?? [], stopAt: opts.stopAt ?? null, stopBeforeLsn: opts.stopBeforeLsn ?? null, afterMdf: opts.afterMdf ?? [], afterBak: opts.afterBak ?? [], afterTrn: opts.afterTrn ?? [], afterStopAt: opts.afterStopAt ?? null, afterStopBeforeLsn: opts.afterStopBeforeLsn ?? null, table: d.table, key: d.key };
    const when = opts.stopAt ? ` at ${opts.stopAt}` : opts.stopBeforeLsn ? ` before LSN ${opts.stopBeforeLsn}` : '';
    const later = opts.afterStopAt ? ` at ${opts.afterStopAt}` : opts.afterStopBeforeLsn ? ` before LSN ${opts.afterStopBeforeLsn}` : '';
    const job = store.createJob({
      kind: 'restore',
      spec,
      description: `${d.table}${when} (${opts.bak.join(', ')}) against ${(opts.afterMdf ?? opts.afterBak ?? []).join(', ')}${later}: ${d.missing.length} missing, ${d.changed.length} changed`,
      tables: [d.table],
      operations: ['delete', 'update'],
      createdBy: 'cli',
    });
    store.setJobState(job.id, 'running');
    store.saveJobTables(job.id, [layout]);
    const source = { kind: 'bak' as const, file: opts.bak[0] };
    // `lsn` is the staging key of a row (unique per job): the LSN of the log record that wrote the
    // earlier image when the replay knows it, else `state:<n>` (a row read from the backup's pages has no LSN).
    const base = (n: number, tag: string | undefined, operation: RecoveredRow['operation'], values: Record<string, SqlValue>): RecoveredRow => ({
      table: d.table,
      lsn: tag ?? `state:${String(n).padStart(8, '0')}`,
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
      warnings: [],
      source,
    });
    let n = 0;
    const rows: RecoveredRow[] = [];
    for (const m of d.missing) rows.push({ ...base(n++, m.tag, 'delete', m.values), warnings: ['missing from the later state (rowback diff)'] });
    for (const c of d.changed) rows.push({ ...base(n++, c.tag, 'update', c.before), after: c.after, warnings: [`changed in the later state: ${c.columns.join(', ')}`] });
    for (let i = 0; i < rows.length; i += 1000) store.stageBatch(job.id, rows.slice(i, i + 1000));
    store.indexPending();
    store.setJobState(job.id, 'succeeded');
    store.appendAudit('cli', 'job.restore-diff', job.id, { missing: d.missing.length, changed: d.changed.length });
    return job.id;
  } finally {
    store.close();
  }
}
