import type { MetadataCatalog, RecoverySource } from './source.js';

/**
 * A source whose metadata is replaced by the user's (`--schema CATALOG.json` / `--ddl FILE`):
 * for a log with no data file, or a data file whose schema changed after the delete.
 */
export function withMetadata(source: RecoverySource, catalog: MetadataCatalog): RecoverySource {
  return {
    description: source.description,
    metadata: async () => catalog,
    candidates: (filter, signal) => source.candidates(filter, signal),
    skipped: () => source.skipped(),
    close: () => source.close(),
  };
}
