/**
 * A files source whose data file's catalog is made to lack one table (as a backup written before
 * the table was created, or rebuilt since): its metadata and the catalog its candidates are matched
 * with leave the table out, everything else read from the real files. For the tests of row
 * operations on allocation units the catalog does not name (scan, staged jobs).
 */
import type { OpenedSource } from '../../src/recover/open-source.js';
import { catalogFromLayouts, type RecoverySource } from '../../src/recover/source.js';

/** `opened` with table `name` (its `name`, e.g. `Employee`) left out of its catalog. */
export async function withTableDropped(opened: OpenedSource, name: string): Promise<OpenedSource> {
  const src: RecoverySource = opened.source;
  const reduced = catalogFromLayouts((await src.metadata()).tables().filter((t) => t.name !== name));
  const source: RecoverySource = {
    ...src,
    metadata: async () => reduced,
    candidates: (f, s) => src.candidates(f, s, reduced),
    ...(src.candidateBatches ? { candidateBatches: (f, s) => src.candidateBatches!(f, s, reduced) } : {}),
  };
  return { ...opened, source };
}
