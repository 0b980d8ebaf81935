import { identifierText, stagedTableName, tableListText, tableNameText, tableText } from '../util/tsql.js';
import { InputError, isRowbackError } from '../errors.js';
import type { ColumnLayout, TableLayout } from '../reconstruct/metadata/table-layout.js';
import { NameIndex } from '../reconstruct/metadata/names.js';
import { catalogDamage, catalogDamageSubject, catalogFromLayouts, catalogOwnerOf, type MetadataCatalog, type RecoverySource, type RowCandidate } from './source.js';
import { appendTo } from '../util/append-all.js';

export interface OverrideOptions {
  /**
   * `--alloc-unit ID` / `--alloc-unit SCHEMA.NAME=ID`: the in-row allocation unit of each table
   * named (by its layout's `schema.name`, as given in `override`), for tables nothing else maps.
   * A table named here must have one layout in `override` (one partition: a partitioned table's
   * units come from catalog JSON or the data file). Checked against the units the layout or the
   * data file give the table (INPUT_ALLOC_UNIT_MISMATCH).
   */
  allocUnitIds?: ReadonlyMap<string, string>;
  /**
   * `--accept-layout-drift`: a layout whose columns are in another order than the catalog's is used
   * (with its per-row warning) instead of refused: the layout of before a column was dropped and added
   * again under its name, whose dropped slot a REBUILD has since removed from the catalog.
   */
  acceptReordered?: boolean;
}

/**
 * A source whose table layouts are replaced by the user's (`--schema CATALOG.json` / `--ddl FILE`):
 * a log with no data file, or a table whose schema changed after the delete.
 *
 * The log names tables only by allocation unit id, so the override is merged *by table name*:
 * layouts come from the user's file, allocation unit ids from the user's file when it has them
 * (catalog JSON), else from the source's own metadata, else from `--alloc-unit`.
 */
export function withMetadata(source: RecoverySource, override: TableLayout[], options: OverrideOptions = {}): RecoverySource {
  let merged: MetadataCatalog | null = null;
  // whose catalog the source's own metadata is, as the messages name it: the data file's, the
  // backup's, the export's, the server's (a data file's was said of all four)
  const of = catalogOwnerOf(source);
  const catalog = async (): Promise<MetadataCatalog> => {
    if (merged) return merged;
    let base: MetadataCatalog | null = null;
    try {
      base = await source.metadata();
    } catch (e) {
      if (!isRowbackError(e) || e.code !== 'INPUT_NO_METADATA') throw e;
    }
    // Catalog JSON may give a table once per partition: each of those layouts is one partition's.
    const givenPerTable = new Map<string, number>();
    for (const g of override) {
      const k = stagedTableName(g);
      givenPerTable.set(k, (givenPerTable.get(k) ?? 0) + 1);
    }
    const layouts = override.map((given) => {
      // A layout that contradicts the data file's own catalog for the same table is used (the user
      // may be giving the layout from before an ALTER), but never silently: every row says so.
      const own = base?.byName(stagedTableName(given));
      const parts = own ? partitionLayouts(own, base!) : [];
      // The partitions this layout stands for: those of its own allocation units; for a layout without
      // them that is one of several of its table (one per partition), the data file's partition of
      // its partition number (another partition's allocation units would be read with it: a row of
      // partition 1 decoded with partition 2's layout); else every partition of the table.
      let mine = parts;
      let fromSource = own?.allocUnits;
      if (given.allocUnits?.length) {
        const at = parts.filter((p) => p.allocUnits?.some((au) => given.allocUnits!.some((g) => g.allocUnitId === au.allocUnitId)));
        if (at.length) mine = at;
      } else if ((givenPerTable.get(stagedTableName(given)) ?? 0) > 1 && own) {
        const at = parts.filter((p) => (p.partitionNumber ?? 1) === (given.partitionNumber ?? 1));
        if (at.length !== 1 || given.partitionNumber === undefined) {
          throw new InputError(
            'INPUT_NO_ALLOC_UNIT',
            `the catalog gives ${tableText(given)} several times (one layout per partition) without in_row_alloc_unit_id, and ${given.partitionNumber === undefined ? 'one of them has no partition_number' : `${of.slice(0, -2)} catalog has no partition ${given.partitionNumber} of it`}: which allocation unit is which partition is unknown; use catalog JSON with in_row_alloc_unit_id (sql/table-metadata.sql)`,
          );
        }
        mine = at;
        fromSource = at[0]!.allocUnits;
      }
      if (own && !options.acceptReordered) refuseReordered(given, own, of);
      // Against each of its partitions' own layouts: they may differ in compression.
      const diff = [...new Set(mine.flatMap((p) => layoutDifferences(given, p, parts.length > 1 ? p.partitionNumber : undefined, of)))];
      const t = diff.length ? { ...given, warnings: [...(given.warnings ?? []), `the layout given with --ddl/--schema differs from ${of} catalog for ${tableText(given)}: ${diff.join('; ')}; values are decoded with the given layout`] } : given;
      // `--alloc-unit ID` says whose rows this layout is for: the user's file or the data file mapping
      // the table to other allocation units was taken instead, without a word (`--mdf DB.mdf --ddl
      // tblDept.sql --alloc-unit <dbo.Employee's>` printed tblDept's own rows as if they were that unit's)
      // keyed by parts (stagedTableName), as scan's and a job's --alloc-unit maps are
      const mapped = options.allocUnitIds?.get(stagedTableName(given));
      if (mapped !== undefined && (givenPerTable.get(stagedTableName(given)) ?? 0) > 1) {
        throw new InputError('INPUT_BAD_OPTION', `--alloc-unit maps ${tableText(given)} to one allocation unit, and the layout given has it ${givenPerTable.get(stagedTableName(given))} times (one per partition): each partition has its own; give catalog JSON with in_row_alloc_unit_id (sql/table-metadata.sql)`, { table: stagedTableName(given) });
      }
      if (mapped !== undefined) refuseOtherAllocUnit(given, mapped, t.allocUnits?.length ? { ids: t.allocUnits, from: 'the layout given' } : fromSource?.length ? { ids: fromSource, from: `${of} catalog` } : null, base, of);
      if (t.allocUnits?.length) return t;
      if (fromSource?.length) return { ...t, allocUnits: fromSource };
      if (mapped !== undefined) return { ...t, allocUnits: [{ allocUnitId: mapped, type: 'IN_ROW_DATA' as const }] };
      return t;
    });
    if (base) refuseUnitsOfOtherTables(layouts, base, of);
    if (base) refuseUnitsLeftOut(override, base, of);
    const unmapped = layouts.filter((t) => !t.allocUnits?.length);
    if (unmapped.length) {
      const names = unmapped.map((t) => tableText(t)).join(', ');
      // A data file or backup was given but its catalog is damaged: 'add --mdf/--bak' was untrue;
      // the table's allocation units were on the lost pages.
      const damage = base ? catalogDamage(source.skipped()) : [];
      const damaged = damage.length
        ? `; ${of} catalog is damaged (${catalogDamageSubject(damage)}), so its allocation units may be on the lost pages`
        : '';
      // A data file was given and read whole: the table is not in it (the advice 'add --mdf/--bak' was
      // untrue: newcomer trial). Named with the tables it has, as --table names an unknown table.
      if (base && !damage.length) {
        const known = base.tables().map((t) => stagedTableName(t));
        const shown = tableListText(known.slice(0, 20)) + (known.length > 20 ? ` and ${known.length - 20} more` : '');
        throw new InputError(
          'INPUT_NO_ALLOC_UNIT',
          `the log names tables by allocation unit id, and ${names} ${unmapped.length === 1 ? 'is' : 'are'} not in ${of} catalog (its tables: ${shown || 'none'}), so nothing maps ${unmapped.length === 1 ? 'it' : 'them'} to one: check the name in the script, ${elsewhereAdvice(source.catalogOwner)}or ${override.length === 1 ? 'give --alloc-unit ID' : 'give --alloc-unit SCHEMA.NAME=ID'} for a table since dropped`,
          { table: `${unmapped[0]!.schema}.${unmapped[0]!.name}` },
        );
      }
      throw new InputError(
        'INPUT_NO_ALLOC_UNIT',
        `the log names tables by allocation unit id, and nothing maps ${names} to one${damaged}: ` +
          (override.length === 1 ? 'give --alloc-unit ID' : 'give --alloc-unit SCHEMA.NAME=ID for each (repeated), or --table SCHEMA.NAME for the ones to scan') +
          // with the log alone the ids are only in the log: say where to read them (newcomer: a dead end)
          (base ? ', ' : " (the ids the log holds: `rowback log LOG --operation LOP_DELETE_ROWS --format csv`, its AllocUnitId column; a table with nonclustered indexes shows one per index too: its rows are the ones whose RowLog Contents 0 fit the script), ") +
          'use catalog JSON with in_row_alloc_unit_id (sql/table-metadata.sql), ' + (damage.length ? 'or read an undamaged copy (a backup: --bak)' : 'or add --mdf/--bak'),
      );
    }
    merged = catalogFromLayouts(layouts);
    return merged;
  };
  // The wrapped source's own iterator once the catalog is known (no extra async step per item).
  const forward = <T>(open: (c: MetadataCatalog) => AsyncIterable<T>): AsyncIterable<T> => ({
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let it: AsyncIterator<T> | null = null;
      const started = catalog().then((c) => (it = open(c)[Symbol.asyncIterator]()));
      return {
        next: async () => (it ?? (await started)).next(),
        return: async (value?: unknown) => {
          const i = it ?? (await started);
          return i.return ? i.return(value) : { done: true, value: undefined };
        },
      };
    },
  });
  return {
    description: source.description,
    ...(source.catalogOwner !== undefined ? { catalogOwner: source.catalogOwner } : {}),
    metadata: catalog,
    candidates: (filter, signal) => forward<RowCandidate>((c) => source.candidates(filter, signal, c)),
    ...(source.candidateBatches ? { candidateBatches: (filter, signal) => forward<RowCandidate[]>((c) => source.candidateBatches!(filter, signal, c)) } : {}),
    skipped: () => source.skipped(),
    ...(source.progress ? { progress: () => source.progress!() } : {}),
    ...(source.committedStats ? { committedStats: () => source.committedStats!() } : {}),
    // off-row values are read from the source's pages with the layout the row was decoded with (the user's)
    ...(source.resolveOffRow ? { resolveOffRow: (row, table) => source.resolveOffRow!(row, table) } : {}),
    ...(source.databasePrincipalOf ? { databasePrincipalOf: (sid: Uint8Array) => source.databasePrincipalOf!(sid) } : {}),
    close: () => source.close(),
  };
}

/**
 * `--alloc-unit ID` with a layout whose allocation units are already known (catalog JSON's
 * in_row_alloc_unit_id, or the source's catalog for the table of that name) and do not include
 * ID: one of the two is another table's, and which rows the user meant cannot be told. Throws
 * InputError INPUT_ALLOC_UNIT_MISMATCH naming the table, both ids and the table ID belongs to when
 * the data file knows it; nothing when ID is among them or nothing maps the table.
 */
function refuseOtherAllocUnit(given: TableLayout, allocUnitId: string, known: { ids: NonNullable<TableLayout['allocUnits']>; from: string } | null, base: MetadataCatalog | null, of: string): void {
  if (!known || known.ids.some((a) => a.allocUnitId === allocUnitId)) return;
  const name = `${given.schema}.${given.name}`;
  const owner = base?.byAllocUnit(allocUnitId);
  const ownerName = owner ? tableText(owner) : null;
  const shown = tableText(given);
  throw new InputError(
    'INPUT_ALLOC_UNIT_MISMATCH',
    `--alloc-unit ${allocUnitId} is not an allocation unit of ${shown} in ${known.from} (${known.ids.map((a) => `${a.allocUnitId} ${a.type}`).join(', ')})` +
      (ownerName ? `: ${of} catalog gives ${allocUnitId} to ${ownerName}` : '') +
      `; leave --alloc-unit out to read ${shown}'s rows, or give the layout of the table ${allocUnitId} belongs to`,
    { table: name },
  );
}

/**
 * A layout given allocation units (catalog JSON's in_row_alloc_unit_id, `--alloc-unit`) that the
 * source's catalog (data file, backup, export, server) gives to a table of another name: the catalog JSON is another database's
 * (allocation unit ids repeat between databases: every new database numbers its first tables
 * alike), or a table since renamed. `scan --mdf Database1.mdf --schema School.catalog.json` decoded
 * dbo.Employee's rows as dbo.Students, saved only by the two layouts not fitting. Throws InputError
 * INPUT_ALLOC_UNIT_MISMATCH naming both tables and the unit. Names compare without regard to case
 * (a script may spell a table of a case-insensitive database in another case).
 */
function refuseUnitsOfOtherTables(layouts: TableLayout[], base: MetadataCatalog, of: string): void {
  for (const t of layouts) {
    // by parts (stagedTableName): dbo.[A.B] and [dbo.A].B are both the text dbo.A.B, and one's unit was taken as the other's
    const name = stagedTableName(t);
    for (const au of t.allocUnits ?? []) {
      const owner = base.byAllocUnit(au.allocUnitId);
      if (!owner) continue;
      const ownerName = stagedTableName(owner);
      if (ownerName.toLowerCase() === name.toLowerCase()) continue;
      throw new InputError(
        'INPUT_ALLOC_UNIT_MISMATCH',
        `the layout given names ${tableNameText(name)} for allocation unit ${au.allocUnitId}, and ${of} catalog gives that unit to ${tableNameText(ownerName)}: ` +
          `the --schema/--ddl/--alloc-unit given is of another database (allocation unit ids repeat between databases) or of a table since renamed; ` +
          `give the layout of this database's tables (sql/table-metadata.sql run in it), under the names its data file has`,
        { table: name },
      );
    }
  }
}

/**
 * A table the layout given places on allocation units of its own (catalog JSON's
 * in_row_alloc_unit_id) while the source's catalog places the table of that name on in-row units
 * the layout does not name: the rows the log holds on those units are the table's, and they were
 * left out as "on allocation units the table metadata does not know", a note beside `"complete":
 * true` and exit 0 (breaker: `scan --mdf Database1.mdf --ldf … --schema` with dbo.tblDept's catalog
 * rows taken on another server, or after a REBUILD gave the table new units, printed none of its 13
 * deleted rows, "why no rows: … tables missing from the metadata"). The data file is checked to be
 * the log's database (binding id); the catalog JSON carries no such identity, so the two disagreeing
 * is told, not guessed: throws InputError INPUT_ALLOC_UNIT_MISMATCH naming the table and both sets
 * of units. A layout without units of its own (--ddl, catalog rows without in_row_alloc_unit_id)
 * takes the data file's and is not concerned. A layout of before a REBUILD (old units, old rows) over
 * today's data file (new units) is refused too: which rows are wanted is not known, and the message
 * says how to read each set.
 */
function refuseUnitsLeftOut(override: TableLayout[], base: MetadataCatalog, of: string): void {
  const byName = new Map<string, TableLayout[]>();
  for (const g of override) {
    // by parts (stagedTableName), as base.byName reads them
    const k = stagedTableName(g);
    appendTo(byName, k, g);
  }
  for (const [name, given] of byName) {
    if (!given.every((g) => g.allocUnits?.length)) continue;
    const own = base.byName(name);
    if (!own) continue;
    const givenIds = new Set(given.flatMap((g) => g.allocUnits!.map((a) => a.allocUnitId)));
    const left = (own.allocUnits ?? []).filter((a) => a.type === 'IN_ROW_DATA' && !givenIds.has(a.allocUnitId)).map((a) => a.allocUnitId);
    if (!left.length) continue;
    const ids = [...givenIds].join(', ');
    throw new InputError(
      'INPUT_ALLOC_UNIT_MISMATCH',
      `the layout given (catalog JSON: --schema, a job's metadata) puts ${tableNameText(name)} on allocation unit(s) ${ids}, and ${of} catalog puts ${tableNameText(name)} on ${left.join(', ')}, which the layout does not name: ` +
        `the table's rows on ${left.join(', ')} would be left out. The catalog JSON is of another database or server (allocation unit ids differ between databases), or of the table at another time (a REBUILD or a new clustered index gives it new units); ` +
        `give catalog JSON of this database as of ${of} catalog (sql/table-metadata.sql run in it), or catalog rows without in_row_alloc_unit_id (${of} units are then used), or, for a layout of before a REBUILD whose rows are on its old units, scan twice: without --mdf/--bak (the JSON's units, its layout) and without --schema (${of} units and layout)`,
      { table: name },
    );
  }
}

/**
 * Refuses a layout that lists columns the source's catalog also has in another relative order.
 * SQL Server never reorders a table's columns: column_id and the stored order of the columns a table
 * keeps are fixed from CREATE/ADD until the table is re-created, which gives it new allocation units
 * (and a layout of before an ALTER keeps the order too). So the script is not this table's layout,
 * and its rows read through it give one column's value under another's name: with two VARCHAR(MAX)
 * columns swapped, AngularJs_CRUD's deleted dbo.Employee rows printed Emp_City 'xsass' and Emp_Name
 * 'Bangalore' with only a per-row warning (newcomer trial). Throws InputError
 * INPUT_LAYOUT_CONTRADICTS_CATALOG naming the first pair out of order and both orders.
 */
function refuseReordered(given: TableLayout, own: TableLayout, of: string): void {
  // A column dropped and added again under its name takes a new, higher column_id (an ALTER COLUMN
  // done as DROP + ADD, an IDENTITY added by EF Core migrations): a layout of before that lists it in
  // its old place and is right for the rows written then. The catalog then still holds the dropped
  // column (breaker): another order is no proof there, and the per-row warning says it.
  if (own.columns.some((c) => c.isDropped)) return;
  // In column_id order (a layout's columns may be in physical order: clustering keys first).
  const names = (t: TableLayout) =>
    t.columns
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => !c.isDropped && !c.isUniquifier && !c.isHidden)
      .sort((a, b) => (a.c.columnId || Infinity) - (b.c.columnId || Infinity) || a.i - b.i)
      .map(({ c }) => c.name);
  const ownNames = names(own);
  // Each given column's place in the catalog: its exact name first, then another case when one
  // column has it (names.ts: a case-sensitive table may hold Name and name; lowercased, the two were
  // one place and a layout in the right order was refused). A name matching two only by case has no place.
  const index = new NameIndex(ownNames.map((n, i) => ({ n, i })), (x) => x.n);
  const placed = names(given).flatMap((n) => {
    const m = index.match(n);
    return m.found ? [{ n, at: m.found.i }] : [];
  });
  const common = placed.map((x) => x.n);
  for (let i = 1; i < common.length; i++) {
    if (placed[i]!.at > placed[i - 1]!.at) continue;
    const table = `${given.schema}.${given.name}`;
    throw new InputError(
      'INPUT_LAYOUT_CONTRADICTS_CATALOG',
      `the layout given with --ddl/--schema lists ${tableText(given)}'s column ${identifierText(common[i]!)} after ${identifierText(common[i - 1]!)}, and ${of} catalog has ${identifierText(common[i]!)} first (catalog order: ${ownNames.map(identifierText).join(', ')}): SQL Server never reorders a table's columns, so this layout would print one column's values under another's name; give the columns in the table's order, or leave out --ddl/--schema to use the catalog; if this is the table's layout from before a column was dropped and added again under its name (and a REBUILD removed the dropped one since), rerun with --accept-layout-drift; if the table was re-created with another column order and the rows are the old table's, leave out --mdf/--bak and give the old allocation unit with --alloc-unit`,
      { table },
    );
  }
}

/** A column's type as T-SQL writes it, for the differences: varchar(max) (max_length -1, not "(-1)"), nvarchar(50) (not its 100 bytes), decimal(18,4); other types as their bytes, `int(4)`. */
function typeText(c: { type: string; maxLength: number; precision?: number; scale?: number }): string {
  if (c.maxLength === -1) return `${c.type}(max)`;
  if (c.type === 'nvarchar' || c.type === 'nchar') return `${c.type}(${c.maxLength >> 1})`;
  if (c.type === 'decimal' || c.type === 'numeric') return `${c.type}(${c.precision ?? 0},${c.scale ?? 0})`;
  return `${c.type}(${c.maxLength})`;
}

/** The distinct layouts of a table's partitions (each allocation unit's own, catalogFromLayouts), in partition order; `[table]` when it has none. */
function partitionLayouts(table: TableLayout, catalog: MetadataCatalog): TableLayout[] {
  const seen = new Set<TableLayout>();
  for (const au of table.allocUnits ?? []) {
    const p = catalog.byAllocUnit(au.allocUnitId);
    if (p) seen.add(p);
  }
  return seen.size ? [...seen].sort((a, b) => (a.partitionNumber ?? 1) - (b.partitionNumber ?? 1)) : [table];
}

/**
 * How two layouts of one table differ in their stored columns (name, type, length, order, the code
 * page of char/varchar/text) and in
 * DATA_COMPRESSION; empty when they agree. `partition`: the data file's partition number, named in
 * the compression difference when the table has several.
 */
export function layoutDifferences(given: TableLayout, own: TableLayout, partition?: number, of = "the data file's"): string[] {
  const cols = (t: TableLayout) => t.columns.filter((c) => !c.isDropped && !c.isUniquifier && !(c.computed && !c.persisted));
  const a = cols(given);
  const b = cols(own);
  const out: string[] = [];
  // Matched by name: exact first, then another case when one column has it (names.ts).
  const index = new NameIndex(b, (c) => c.name);
  const matched = new Map<ColumnLayout, ColumnLayout>();
  for (const c of a) {
    const m = index.match(c.name);
    const o = m.found;
    if (m.ambiguous) out.push(`${c.name} matches ${of} ${m.ambiguous.map((x) => x.name).join(' and ')} only by letter case`);
    else if (!o) out.push(`${c.name} is not in ${of} table`);
    else if (o.type !== c.type || o.maxLength !== c.maxLength || (o.scale ?? 0) !== (c.scale ?? 0) || (o.precision ?? 0) !== (c.precision ?? 0)) {
      out.push(`${c.name} ${typeText(c)} vs ${typeText(o)}`);
    } else if (c.codePage != null && o.codePage != null && c.codePage !== o.codePage) {
      // char/varchar/text bytes read in another code page: a script without COLLATE (read as the
      // assumed default, 1252) over a Turkish or Cyrillic database printed 'Þükrü' for 'Şükrü'
      out.push(`${c.name} code page ${c.codePage} (${c.collation ?? 'no collation'}) vs ${of} ${o.codePage} (${o.collation ?? 'no collation'})`);
    }
    if (o) matched.set(c, o);
  }
  const used = new Set(matched.values());
  for (const o of b) if (!used.has(o)) out.push(`${of} ${o.name} is missing`);
  if (!out.length && a.some((c, i) => matched.get(c) !== b[i])) out.push('the columns are in another order');
  // Same columns, placed elsewhere in the record: a partition rebuilt alone after a DROP COLUMN
  // (its dropped slots reclaimed) while the script keeps them, or the reverse. Read through the
  // given places, its rows gave values from other columns' bytes, with nothing said.
  if (!out.length) {
    const where = partition !== undefined ? ` (partition ${partition})` : '';
    const fixedVar = given.compression === 'NONE' && own.compression === 'NONE';
    for (const c of a) {
      const o = matched.get(c)!;
      if (o.leafNullBit !== c.leafNullBit || (fixedVar && (o.leafOffset !== c.leafOffset || o.leafBitPosition !== c.leafBitPosition))) {
        out.push(`${c.name} is stored at leaf offset ${c.leafOffset}, null bit ${c.leafNullBit} vs ${of} ${o.leafOffset}, ${o.leafNullBit}${where}`);
      }
    }
  }
  if (given.compression !== own.compression) out.push(`DATA_COMPRESSION ${given.compression} vs ${of} ${own.compression}${partition !== undefined ? ` (partition ${partition})` : ''}`);
  return out;
}

/**
 * The INPUT_NO_ALLOC_UNIT refusal's advice to read the catalog of another database, by the source
 * whose catalog lacks the table (RecoverySource.catalogOwner), with its trailing ', '; '' when the
 * catalog is the log's own database's. A data file or backup is given beside the log and may be of
 * another database than the table's: give the right one. An export's catalog rows and a live
 * server's catalog are of the database whose log is read (sql/export-log-records.sql embeds its catalog; LiveSource reads the
 * database it scans), so no other one holds the table's allocation units for that log: the name is
 * wrong, or the table was dropped (--alloc-unit). It said "give the data file of the database the
 * table is in" of every source (builder H's left-out, session 43).
 */
function elsewhereAdvice(owner: string | undefined): string {
  if (owner === "the backup's") return 'give a backup of the database the table is in, ';
  if (owner === "the export's" || owner === "the server's") return '';
  return 'give the data file of the database the table is in, ';
}
