import { z } from 'zod';
import type { ScanSourceOptions } from '../recover/open-source.js';
import { SCAN_OPERATIONS, scanOperationOf, type ScanFilter, type ScanOperation } from '../recover/source.js';
import { checkCatalogDatabase, fileIdentitiesOf, oneBackupAdvice } from '../recover/source-identity.js';
import { parseWindowTime } from '../recover/time-window.js';
import type { JobKind } from '../staging/types.js';
import { InputError, isRowbackError, type RowbackError } from '../errors.js';
import { findTableName, unknownTableHint } from '../reconstruct/metadata/names.js';
import { echoInput, oneLineText } from '../util/echo.js';
import { stagedTableName, tableListText, tableNameOrText, tableNameText } from '../util/tsql.js';
import { catalogFromJson, layoutsFromCatalog } from '../reconstruct/metadata/catalog-json.js';
import { assumedCollationNote, assumedSparseIdsNote, databaseCollationNote, layoutsFromDdl, type DatabaseDefaultCollation } from '../reconstruct/metadata/ddl.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { fileAndSet } from '../util/backup-set-text.js';

/**
 * What a job scans. Every recovery source is a job kind; the fields mirror `rowback scan`'s
 * flags. Connection strings are accepted here but never stored (see redactSpec) — a live job
 * keeps its connection only in memory, so a live job interrupted by a restart needs the
 * connection again to resume (`POST /jobs/:id/resume` with the same body).
 */
/**
 * Table metadata sent with a job (the API's `--ddl` / `--schema`): a CREATE TABLE script or the
 * catalog JSON `sql/table-metadata-json.sql` writes, exactly one. It replaces the source's
 * layouts by table name (src/recover/metadata-override.ts).
 */
export const JobMetadata = z.object({
  ddl: z.string().min(1).max(4 * 1024 * 1024).optional().describe('CREATE TABLE (and ALTER TABLE) script'),
  catalog: z.unknown().optional().describe('catalog JSON: the rows of sql/table-metadata.sql, as an array or { rows: [...] }'),
  typeAliases: z.record(z.string().min(1).max(128), z.string().min(1).max(128)).optional().describe('with ddl: user-defined alias types, e.g. { "Flag": "bit" }'),
  collation: z.string().min(1).max(128).regex(/^[A-Za-z0-9_]+$/, 'a collation name, e.g. Cyrillic_General_CI_AS').optional().describe("with ddl: the database's default collation, for char/varchar/text columns without COLLATE (as `rowback scan --collation`; default: the database's own, from the boot page of the job's mdf/bak, the server's sys.databases for a live job, the header of an export job's file; otherwise SQL_Latin1_General_CP1_CI_AS, code page 1252, said in the job's notes)"),
  allocUnit: z.string().regex(/^\d{1,20}$/, 'an AllocUnitId as the log prints it (decimal)').optional().describe('with one table and no data file: its in-row AllocUnitId'),
  allocUnits: z.record(z.string().min(1).max(300), z.string().regex(/^\d{1,20}$/, 'an AllocUnitId as the log prints it (decimal)')).optional()
    .describe('with several tables and no data file: each table\'s in-row AllocUnitId, { "dbo.Contact": "72057594043432960", … } (as `rowback scan --alloc-unit SCHEMA.NAME=ID`)'),
  catalogAnyDatabase: z.boolean().optional()
    .describe("with catalog: read with it even when its database_guid is not the binding id of the job's files (refused by default, INPUT_CATALOG_OTHER_DATABASE: allocation unit ids repeat between databases), as `rowback scan --catalog-any-database`"),
}).strict()
  .refine((m) => m.allocUnit === undefined || m.allocUnits === undefined, { message: 'give allocUnit (one table) or allocUnits (by table), not both', path: ['allocUnits'] })
  .refine((m) => (m.ddl !== undefined) !== (m.catalog !== undefined), { message: 'give ddl or catalog (exactly one)', path: ['ddl'] })
  .refine((m) => m.catalogAnyDatabase === undefined || m.catalog !== undefined, { message: 'catalogAnyDatabase is for catalog (a catalog JSON of another database than the files\'); leave it out', path: ['catalogAnyDatabase'] })
  .refine((m) => m.collation === undefined || m.ddl !== undefined, { message: "collation is for ddl (the database default collation of a CREATE TABLE script); catalog JSON names each column's collation", path: ['collation'] });
export type JobMetadata = z.infer<typeof JobMetadata>;

/**
 * A list of recovered operations (`delete`, `insert`, `update`) in any case, as `rowback scan --op`
 * takes them (scanOperationOf): `["DELETE"]` reads as `["delete"]`. The OpenAPI document shows the
 * lower-case names (the spelling answers use); other text is a 400 naming the field.
 */
export const ScanOperationList = z.array(
  z.preprocess((v) => (typeof v === 'string' ? scanOperationOf(v) ?? v : v), z.enum(SCAN_OPERATIONS as [ScanOperation, ...ScanOperation[]])),
).min(1);

const window = {
  from: z.string().min(1).optional().describe('window start, server local time YYYY-MM-DD[THH:MM[:SS[.fff]]]'),
  to: z.string().min(1).optional().describe('window end, inclusive'),
  tables: z.array(z.string().min(1).max(300)).max(1000).optional().describe('tables to scan, as scan --table takes them: schema.name, name (schema dbo), [schema].[name] (a name holding a dot: [dbo].[Order.Items]); plain dotted text two tables share is 400 INPUT_AMBIGUOUS_NAME naming both in brackets; empty = every table'),
  operations: ScanOperationList.optional().describe('delete, insert, update, any case (as `rowback scan --op`); default ["delete"]'),
  metadata: JobMetadata.optional().describe("table metadata for the job, as `rowback scan --ddl/--schema` takes it: when only the log survives, or the layout before an ALTER"),
  acceptLayoutDrift: z.boolean().optional().describe("stage the rows of a table whose layout has more columns than they hold (columns added after the rows were written: today's table given for rows deleted before an ALTER … ADD), which the layout check otherwise holds back as RECOVER_LAYOUT_MISMATCH; as `rowback scan --accept-layout-drift`"),
};

export const FilesJobSpec = z.object({
  kind: z.literal('files'),
  mdf: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('data file (.mdf), or a list: the .mdf and its .ndf files'),
  bak: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('full backup, or a list: every stripe of a striped one, then differentials based on it'),
  position: z.number().int().min(1).optional().describe('backup set of bak to read when the file holds several (RESTORE … WITH FILE = n; as `rowback scan --position`)'),
  ldf: z.string().min(1).optional(),
  trn: z.array(z.string().min(1)).optional(),
  ...window,
  // bak alone is read as `rowback scan --bak` reads it: its log portion is the log scanned
}).strict().refine((s) => Boolean(s.ldf || s.trn?.length || s.bak), { message: 'give ldf, trn or bak (log files to scan; a full backup alone gives the log its backup holds)', path: ['ldf'] });

/**
 * The default collation of the database of a job's data file or backup (its boot page,
 * dbi_collation), live server (sys.databases) or export (its header), and where it was read: what
 * `metadata.ddl`'s char/varchar/text columns without COLLATE take when `metadata.collation` is not
 * given (as `rowback scan --ddl` takes it).
 */
export type { DatabaseDefaultCollation };

/**
 * The layouts of a job's metadata (`databaseDefault`: see DatabaseDefaultCollation). Parse errors are SchemaErrors whose `location.field` is
 * `metadata.ddl` or `metadata.catalog` (the API answers 400 naming it; the DDL's line and column
 * are in the message).
 */
export function layoutsOfJobMetadata(m: JobMetadata, databaseDefault?: DatabaseDefaultCollation): TableLayout[] {
  const field = m.ddl !== undefined ? 'metadata.ddl' : 'metadata.catalog';
  const defaultCollation = m.collation ?? databaseDefault?.collation;
  try {
    return m.ddl !== undefined ? layoutsFromDdl(m.ddl, { typeAliases: m.typeAliases, ...(defaultCollation ? { defaultCollation } : {}) }) : layoutsFromCatalog(m.catalog);
  } catch (e) {
    if (isRowbackError(e)) (e as RowbackError & { location: { field?: string } }).location.field ??= field;
    throw e;
  }
}

/**
 * The allocation unit each table of a job's metadata is mapped to (by layout `schema.name`):
 * `allocUnit` for the metadata's one table, `allocUnits` by table name (`dbo.T`, `T`, `[dbo].[T]`,
 * matched as `--table` is). Throws InputError naming the field: INPUT_BAD_OPTION for `allocUnit`
 * with several tables or one id given to two tables, INPUT_UNKNOWN_TABLE (or INPUT_BAD_IDENTIFIER)
 * for a name the metadata lacks.
 */
export function jobAllocUnitIds(m: JobMetadata, layouts: readonly TableLayout[], tables: readonly string[] = []): Map<string, string> {
  const ids = new Map<string, string>();
  if (m.allocUnit !== undefined) {
    // an id alone maps the metadata's one table, or the one `tables` names (as scan --table --alloc-unit)
    const one = layouts.length === 1 ? layouts[0]! : tables.length === 1 ? layouts.find((l) => stagedTableName(l) === findTableName(new Set(layouts.map((x) => stagedTableName(x))), tables[0]!)) : undefined;
    if (!one) throw new InputError('INPUT_BAD_OPTION', `metadata.allocUnit names the allocation unit of one table, but the metadata has ${layouts.length}: give metadata.allocUnits by table name${tables.length > 1 ? '' : ', or name the one table in tables'}`, { field: 'metadata.allocUnit' });
    ids.set(stagedTableName(one), BigInt(m.allocUnit).toString());
  }
  const names = new Set(layouts.map((l) => stagedTableName(l)));
  const byId = new Map<string, string>();
  for (const [name, given] of Object.entries(m.allocUnits ?? {})) {
    // as the log prints it: '0720…' matched no record, and the table's rows went unsaid
    const id = BigInt(given).toString();
    const field = `metadata.allocUnits.${name}`;
    // the field as a message names it: one line (the location's `field` keeps the key as given)
    const fieldText = oneLineText(field);
    let t: string | undefined;
    try {
      // a three- or four-part name is kept, for the refusal below to name the table meant or say none is
      tableNameOrText(name);
      t = findTableName(names, name);
    } catch (e) {
      if (isRowbackError(e)) {
        (e as RowbackError & { location: { field?: string } }).location.field ??= field;
        throw e;
      }
      throw new InputError('INPUT_BAD_IDENTIFIER', `${fieldText}: '${echoInput(name)}' is not a table name (${(e as Error).message}); give schema.name, [schema].[name] or "schema"."name"`, { field });
    }
    if (t === undefined) throw new InputError('INPUT_UNKNOWN_TABLE', `${fieldText}: table ${tableNameText(name)} is not in the job's metadata; its tables: ${tableListText(names)}${unknownTableHint(name, names)}`, { field, table: name });
    if (ids.has(t)) throw new InputError('INPUT_BAD_OPTION', `${fieldText}: ${tableNameText(t)} is named twice in metadata.allocUnits`, { field });
    const other = byId.get(id);
    if (other !== undefined) throw new InputError('INPUT_BAD_OPTION', `${fieldText}: allocation unit ${id} is given to both ${tableNameText(other)} and ${tableNameText(t)}: an allocation unit belongs to one table`, { field });
    ids.set(t, id);
    byId.set(id, t);
  }
  return ids;
}

/**
 * The layouts of a job's own metadata to scan with, and the allocation unit each is mapped to
 * (jobAllocUnitIds): with allocation units given and `tables` (the job's table filter), only the
 * tables `tables` names, as `scan --table` takes them from a --ddl/--schema given with --alloc-unit
 * (a log-only job of one table of a two-table script failed at run time, "nothing maps dbo.Employee
 * to one: give --alloc-unit …", for the table it did not ask for; or was refused with allocUnit).
 */
export function jobMetadataMapping(m: JobMetadata, layouts: TableLayout[], tables: readonly string[] = []): { layouts: TableLayout[]; ids: Map<string, string> } {
  const ids = jobAllocUnitIds(m, layouts, tables);
  if (ids.size === 0 || tables.length === 0) return { layouts, ids };
  const names = new Set(layouts.map((l) => stagedTableName(l)));
  const wanted = new Set(tables.map((t) => findTableName(names, t)).filter((t): t is string => t !== undefined));
  if (wanted.size === 0) return { layouts, ids };
  // a table given a unit and not asked for is kept known, and left out by the job's table filter
  // (`rowback scan --alloc-unit` alike): dropped, its rows were "on units the metadata does not know"
  return { layouts: layouts.filter((l) => wanted.has(stagedTableName(l)) || ids.has(stagedTableName(l))), ids };
}

/**
 * The job notes of DDL metadata, as `rowback scan --ddl` says them on stderr: char/varchar/text
 * columns without `collation` read as the assumed database default (code page 1252), and sparse
 * columns whose column_ids come from the script's order (assumedSparseIdsNote). Empty otherwise.
 */
export function jobMetadataNotes(m: JobMetadata, databaseDefault?: DatabaseDefaultCollation): string[] {
  if (m.ddl === undefined) return [];
  const out: string[] = [];
  const howToGive = 'the job\'s metadata.collation';
  const assumed = m.collation !== undefined ? undefined : databaseDefault ? databaseCollationNote(m.ddl, { typeAliases: m.typeAliases }, databaseDefault.collation, databaseDefault.from, howToGive) : assumedCollationNote(m.ddl, { typeAliases: m.typeAliases }, howToGive);
  if (assumed) out.push(`metadata.ddl: ${assumed}`);
  const sparse = assumedSparseIdsNote(layoutsOfJobMetadata(m, databaseDefault), 'metadata.catalog (sql/table-metadata.sql) or the job\'s data file or backup');
  if (sparse) out.push(`metadata.ddl: ${sparse}`);
  return out;
}

/**
 * A job's `metadata.catalog` checked against the database it reads, as `rowback scan --schema`
 * checks it (source-identity.ts checkCatalogDatabase): throws InputError
 * INPUT_CATALOG_OTHER_DATABASE with `location.field` `metadata.catalog` when its database_guid is
 * not the binding id of what the job reads (unless `metadata.catalogAnyDatabase`); returns the notes
 * (a catalog naming no database, or nothing read showing a binding id: not checked; the override
 * used). What it is compared with: the identities of the job's opened source (`fileIdentities()`):
 * a files job's files, a live or log-backup job's database and log backup sets
 * (LiveSource.fileIdentities), an export job's own catalog's database_guid (ExportSource
 * .fileIdentities, as `scan --export FILE --schema` compares them); a files job's files are read
 * here when no source is given. An export, live or log-backup job given no source: not checked here
 * (checked when the source is opened). DDL metadata: none (a script names no database). Throws
 * what reading the identities throws.
 */
export async function jobCatalogDatabaseNotes(spec: JobSpec, source?: object): Promise<string[]> {
  if (spec.kind === 'restore' || spec.metadata?.catalog === undefined) return [];
  const hasIdentities = typeof (source as { fileIdentities?: unknown } | undefined)?.fileIdentities === 'function';
  // Before, an export job was skipped here ("the catalog is compared with no file"): a catalog of
  // another database named the export's rows after its own tables, staged without a word, while
  // `scan --export FILE --schema CATALOG` refused the same pair.
  if (spec.kind !== 'files' && !hasIdentities) return [];
  const { identity } = catalogFromJson(spec.metadata.catalog);
  // the job's source reads its identities once (a files source also checks they are of one database); else read here
  const ids = await fileIdentitiesOf(source, spec.kind === 'files' ? { mdf: listOf(spec.mdf), bak: listOf(spec.bak), position: spec.position, ldf: spec.ldf, trn: spec.trn } : {});
  try {
    return checkCatalogDatabase({ name: 'metadata.catalog', identity }, ids, { anyDatabase: spec.metadata.catalogAnyDatabase, overrideName: '"metadata": { "catalogAnyDatabase": true }' });
  } catch (e) {
    if (isRowbackError(e)) (e as RowbackError & { location: { field?: string } }).location.field ??= 'metadata.catalog';
    throw e;
  }
}

export const LiveJobSpec = z.object({
  kind: z.literal('live'),
  server: z.string().min(1).describe('ADO-style connection string; never stored or logged'),
  database: z.string().min(1),
  inactiveLog: z.boolean().optional(),
  acceptSchemaDrift: z.boolean().optional().describe("decode the rows of tables altered after their transaction began, which the source holds back as SOURCE_SCHEMA_DRIFT (its catalog's modify_date is later), with the layout in `metadata` (the catalog JSON saved before the change, or the old CREATE TABLE), which it requires; as `rowback scan --accept-schema-drift`"),
  ...window,
}).strict();

export const LogBackupJobSpec = z.object({
  kind: z.literal('log-backup'),
  server: z.string().min(1).describe('ADO-style connection string; never stored or logged'),
  database: z.string().min(1),
  logBackups: z.array(z.string().min(1)).min(1).describe('log backup files as the server sees them (fn_dump_dblog)'),
  acceptSchemaDrift: z.boolean().optional().describe("decode the rows of tables altered after their transaction began, which the source holds back as SOURCE_SCHEMA_DRIFT (its catalog's modify_date is later), with the layout in `metadata` (the catalog JSON saved before the change, or the old CREATE TABLE), which it requires; as `rowback scan --accept-schema-drift`"),
  ...window,
}).strict();

export const ExportJobSpec = z.object({
  kind: z.literal('export'),
  file: z.string().min(1).describe('file written by sql/export-log-records.sql'),
  acceptSchemaDrift: z.boolean().optional().describe("decode the rows of tables altered after their transaction began, which the source holds back as SOURCE_SCHEMA_DRIFT (its catalog's modify_date is later), with the layout in `metadata` (the catalog JSON saved before the change, or the old CREATE TABLE), which it requires; as `rowback scan --accept-schema-drift`"),
  ...window,
}).strict();

/**
 * A restore job's file field: a list of paths, or one path as a string (taken as a list of one, as
 * a files job's `mdf`/`bak` take it: `"bak": "X.bak"` was 400 "expected array, received string").
 */
const files = (what: string, atLeast = 0) => z.union([z.string().min(1).transform((v) => [v]), z.array(z.string().min(1)).min(atLeast)]).describe(what);

/**
 * A restore job's `position` / `afterPosition`: one backup set number for every file of its side, or
 * an array of one per file in order (`bak: [F, F], position: [1, 2]`: a full and a differential that
 * are two sets of one file, as `rowback diff --bak F F --position 1,2`; RESTORE takes one FILE = n per
 * statement). The array's length and its sets are checked at creation (job-validate.ts).
 */
const setPositions = (what: string) =>
  z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)], { error: `${what}: a backup set number (1, 2, …: RESTORE … WITH FILE = n), or an array of one per file in order ([1, 2])` }).describe(what);

/**
 * A table at an earlier point (backups, optionally replayed to a stop) against a later state (data
 * file, newer backup, or another point in time): the rows the later state lacks or holds changed
 * are staged as a `restore` job (src/replay/compare.ts; `rowback diff --stage` from the API).
 */
export const RestoreJobSpec = z.object({
  kind: z.literal('restore'),
  bak: files('earlier state: full backup, then differentials based on it', 1),
  position: setPositions('backup set of each bak file to read when it holds several (RESTORE … WITH FILE = n; as `rowback diff --position`): one number for every file, or an array of one per bak file in order (a full and a differential that are two sets of one file: bak [F, F], position [1, 2]); with trn, the sets the replay starts from').optional(),
  trn: files('earlier state: log backups replayed over bak up to stopAt / stopBeforeLsn').optional(),
  stopAt: z.string().min(1).optional().describe("the earlier state at this time (the SQL Server's local time, STOPAT)"),
  stopBeforeLsn: z.string().min(1).optional().describe('the earlier state just before this LSN (STOPBEFOREMARK)'),
  afterMdf: files('later state: the data file (.mdf, with its .ndf files)').optional(),
  afterBak: files('later state: a newer full backup [differentials]').optional(),
  afterPosition: setPositions('backup set of each afterBak file to read when it holds several (as `rowback diff --after-position`): one number for every file, or an array of one per afterBak file in order; not with afterMdf').optional(),
  afterTrn: files('later state as a point in time: log backups replayed over afterBak').optional(),
  afterStopAt: z.string().min(1).optional(),
  afterStopBeforeLsn: z.string().min(1).optional(),
  table: z.string().min(1).max(300).optional().describe('schema.name: the table compared (or tables)'),
  tables: z.array(z.string().min(1).max(300)).min(1).max(100).optional().describe('several tables (schema.name), each compared at the same points on its own (each replayed chain read once for all of them) and staged into this one job, so that a re-insert orders them parents first (a delete that took customers and their contacts; the foreign keys are read from the target of the re-insert; without one, from the source backup catalog, or give the re-insert tableOrder); not with table'),
  key: z.array(z.string().min(1).max(128)).min(1).optional().describe('columns identifying a row (default: the clustered index key; a heap is compared as whole rows); one table only'),
  acceptOlderLater: z.boolean().optional().describe('compare even when the later state is older than the earlier one (refused otherwise, INPUT_BAD_WINDOW): its "missing" rows are then the rows inserted between the two, listed on purpose; every staged row says so: never re-insert them'),
}).strict()
  .refine((s) => (s.table === undefined) !== (s.tables === undefined), { message: 'give table (one table) or tables (several), exactly one of them', path: ['table'] })
  .refine((s) => s.key === undefined || (s.tables?.length ?? 1) === 1, { message: "key names one table's columns: with several tables leave it out (each is compared on its own clustered index key, a heap as whole rows) or make a job per table", path: ['key'] });
export type RestoreJobSpec = z.infer<typeof RestoreJobSpec>;

// Discriminated on kind: a refusal names the field of the kind sent, not "Invalid input".
export const JobSpec = z.discriminatedUnion('kind', [FilesJobSpec, LiveJobSpec, LogBackupJobSpec, ExportJobSpec, RestoreJobSpec]);
/** The job kinds that scan a log (every kind but `restore`). */
export type ScanJobSpec = Exclude<JobSpec, RestoreJobSpec>;
export type JobSpec = z.infer<typeof JobSpec>;

export function describeSpec(s: JobSpec): string {
  const base = describeSource(s);
  if (s.kind === 'restore') return base;
  // acceptLayoutDrift relaxes the layout check (rows holding fewer columns than the layout staged,
  // the columns they lack filled): said in the description, which the jobs list and the audit
  // log's job.create entry keep; neither said it (the audit held kind and description only)
  return `${base}${s.metadata ? ` (metadata: ${s.metadata.ddl !== undefined ? 'DDL' : 'catalog JSON'})` : ''}${s.acceptLayoutDrift ? ' (acceptLayoutDrift: rows older than columns added since staged)' : ''}${s.kind !== 'files' && s.acceptSchemaDrift ? ' (acceptSchemaDrift: rows of tables altered since decoded with the metadata given)' : ''}`;
}

function describeSource(s: JobSpec): string {
  switch (s.kind) {
    // the backup set read of a file of several (position) is named: "F" alone is either of them
    case 'files': {
      const bak = s.bak === undefined ? undefined : fileAndSet([s.bak].flat().join(', '), s.position);
      return [s.mdf, bak, s.ldf, s.trn].flat().filter(Boolean).join(', ');
    }
    case 'live': return `live fn_dblog on ${s.database}`;
    case 'log-backup': return `fn_dump_dblog on ${s.database}: ${s.logBackups.join(', ')}`;
    case 'export': return `export file ${s.file}`;
    case 'restore': {
      const at = s.stopAt ? ` at ${s.stopAt}` : s.stopBeforeLsn ? ` before LSN ${s.stopBeforeLsn}` : '';
      const later = s.afterStopAt ? ` at ${s.afterStopAt}` : s.afterStopBeforeLsn ? ` before LSN ${s.afterStopBeforeLsn}` : '';
      // one number: after the side's backup files (its log backups follow: every log backup set of a
      // trn file is read, whatever the number; it was said after them, 'F, T (backup set 1)', T's
      // set); an array: each backup file with its own set
      const named = (files: string[], p: number | number[] | undefined) => (Array.isArray(p) ? files.map((f, i) => fileAndSet(f, p[i])).join(', ') : fileAndSet(files.join(', '), files.length ? p : undefined));
      const side = (first: string[], p: number | number[] | undefined, logs: string[] | undefined) => [named(first, p), ...(logs ?? [])].filter(Boolean).join(', ');
      return `${restoreJobTables(s).join(', ')}${at} (${side(s.bak, s.position, s.trn)}) against ${side([...(s.afterMdf ?? []), ...(s.afterBak ?? [])], s.afterPosition, s.afterTrn)}${later}`;
    }
  }
}

/** The tables a restore job compares, as given (`table`, or `tables`): one or more `schema.name`. */
export function restoreJobTables(s: Pick<RestoreJobSpec, 'table' | 'tables'>): string[] {
  return s.tables ?? (s.table === undefined ? [] : [s.table]);
}

export function kindOf(s: JobSpec): JobKind {
  return s.kind;
}

/** The scan window and tables of a spec, normalised as recoverRows takes them. */
export function filterOf(s: Pick<ScanJobSpec, 'from' | 'to' | 'tables' | 'operations'>): ScanFilter {
  return {
    from: s.from ? parseWindowTime(s.from, 'start', 'from') : undefined,
    to: s.to ? parseWindowTime(s.to, 'end', 'to') : undefined,
    tables: s.tables ?? [],
    operations: (s.operations ?? ['delete']) as ScanOperation[],
  };
}

const listOf = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** A restore job's wording of the replay's and comparison's messages (job-wording.ts). */
export { restoreJobWording } from './job-wording.js';

/** The scan command's source options for a spec. */
export function sourceOptionsOf(s: ScanJobSpec): ScanSourceOptions {
  switch (s.kind) {
    case 'files': return { mdf: listOf(s.mdf), bak: listOf(s.bak), position: s.position === undefined ? undefined : String(s.position), ldf: s.ldf, trn: s.trn, backupAdvice: oneBackupAdvice('job') };
    case 'live': return { server: s.server, database: s.database, inactiveLog: s.inactiveLog, acceptSchemaDrift: s.acceptSchemaDrift };
    case 'log-backup': return { server: s.server, database: s.database, logBackup: s.logBackups, acceptSchemaDrift: s.acceptSchemaDrift };
    case 'export': return { export: s.file, acceptSchemaDrift: s.acceptSchemaDrift };
  }
}
