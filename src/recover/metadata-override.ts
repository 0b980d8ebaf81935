import { InputError, isRowbackError } from '../errors.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource } from './source.js';

export interface OverrideOptions {
  /** `--alloc-unit ID`: the in-row allocation unit of the one table given, when nothing else says it. */
  allocUnitId?: string;
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
  const catalog = async (): Promise<MetadataCatalog> => {
    if (merged) return merged;
    let base: MetadataCatalog | null = null;
    if (override.some((t) => !t.allocUnits?.length)) {
      try {
        base = await source.metadata();
      } catch (e) {
        if (!isRowbackError(e) || e.code !== 'INPUT_NO_METADATA') throw e;
      }
    }
    const layouts = override.map((t) => {
      if (t.allocUnits?.length) return t;
      const fromSource = base?.byName(`${t.schema}.${t.name}`)?.allocUnits;
      if (fromSource?.length) return { ...t, allocUnits: fromSource };
      if (options.allocUnitId && override.length === 1) return { ...t, allocUnits: [{ allocUnitId: options.allocUnitId, type: 'IN_ROW_DATA' as const }] };
      return t;
    });
    const unmapped = layouts.filter((t) => !t.allocUnits?.length);
    if (unmapped.length) {
      const names = unmapped.map((t) => `${t.schema}.${t.name}`).join(', ');
      throw new InputError(
        'INPUT_NO_ALLOC_UNIT',
        `the log names tables by allocation unit id, and nothing maps ${names} to one: ` +
          (override.length === 1 ? 'give --alloc-unit ID, ' : '') +
          'use catalog JSON with in_row_alloc_unit_id (sql/table-metadata.sql), or add --mdf/--bak',
      );
    }
    merged = catalogFromLayouts(layouts);
    return merged;
  };
  return {
    description: source.description,
    metadata: catalog,
    candidates: (filter, signal) =>
      (async function* () {
        yield* source.candidates(filter, signal, await catalog());
      })(),
    skipped: () => source.skipped(),
    ...(source.progress ? { progress: () => source.progress!() } : {}),
    ...(source.committedStats ? { committedStats: () => source.committedStats!() } : {}),
    // off-row values are read from the source's pages with the layout the row was decoded with (the user's)
    ...(source.resolveOffRow ? { resolveOffRow: (row, table) => source.resolveOffRow!(row, table) } : {}),
    ...(source.databasePrincipalOf ? { databasePrincipalOf: (sid: Uint8Array) => source.databasePrincipalOf!(sid) } : {}),
    close: () => source.close(),
  };
}
