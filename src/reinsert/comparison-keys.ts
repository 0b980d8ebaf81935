/**
 * Row-ledger keys for the rows of a backup comparison (`diff --stage`, `restore run --stage`, restore
 * jobs). A row recovered from the log is keyed by the LSN of its delete (plan.ts rowLedgerKey): one
 * LSN, one delete. A comparison's row has no delete LSN (its `lsn` is a tag or `state:<n>`), so it had
 * no key: the target's row ledger did not know it, and its script run twice by hand (or once by hand
 * and once by a rowback run of another staging file) put a key-less table's row in twice.
 *
 * Its key is what the comparison knows of it: its values and which copy it is. `values:<sha1>#<k>`,
 * the sha1 (hex) of its staged values (other-jobs.ts valsIdentity: a sql_variant's MaxLength and
 * collation left out, so rows staged before and after rowback read them agree) and `k`, its place
 * (1, 2, …) among the job's rows of the same table holding those values, by row id. So two copies of
 * one row missing from a heap are two keys, and a comparison that found one of them and another that
 * found both meet on the first: the second puts back only the copy the first did not. The same
 * values deleted again later (another incident) meet the earlier key and are refused, naming it
 * (REINSERT_ALREADY_REINSERTED, or the script's PRINT): a refusal, never a second copy unsaid;
 * deleting the entry from the row ledger lets it in again.
 */
import type { StagingStore } from '../staging/store.js';
import { readText, storedText, type StoredText } from '../staging/stored-text.js';
import { valsIdentity } from './other-jobs.js';
import { recoveredFromLog } from './plan.js';

/** The prefix of a comparison row's key part (after `table|`), told apart from a delete LSN. */
export const VALUES_KEY_PREFIX = 'values:';

/**
 * The key part (`values:<sha1 hex>#<k>`) of each comparison row of job `jobId` among `rows` (ids
 * and source tables, as staged), by row id; rows recovered from the log are not in the map. Reads
 * the job's rows of those tables (index rows_job_tbl) 1,000 at a time, pausing through `pause`
 * between pages.
 * Throws what the store throws.
 */
export async function comparisonRowKeys(store: StagingStore, jobId: number, rows: ReadonlyArray<{ id: number; table: string; lsn: string; transactionId: string }>, pause: () => Promise<void> = async () => {}): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const tables = new Set(rows.filter((r) => !recoveredFromLog(r)).map((r) => r.table));
  if (!tables.size) return out;
  const wanted = new Set(rows.map((r) => r.id));
  // pages of 1,000 rows (no statement open across a pause: the API uses the same connection meanwhile)
  const q = store.db.prepare('SELECT id, lsn, transaction_id, vals FROM rows WHERE job_id = ? AND tbl = ? AND id > ? ORDER BY id LIMIT 1000');
  let n = 0;
  for (const table of tables) {
    const copies = new Map<string, number>();
    for (let after = 0; ; ) {
      const page = q.all(jobId, storedText(table), after) as Array<{ id: number; lsn: string; transaction_id: StoredText; vals: string }>;
      if (!page.length) break;
      for (const r of page) {
        if (recoveredFromLog({ lsn: r.lsn, transactionId: readText(r.transaction_id) })) continue;
        const hash = Buffer.from(valsIdentity(r.vals).hash, 'base64').toString('hex');
        const k = (copies.get(hash) ?? 0) + 1;
        copies.set(hash, k);
        if (wanted.has(r.id)) out.set(r.id, `${VALUES_KEY_PREFIX}${hash}#${k}`);
      }
      after = page[page.length - 1]!.id;
      if ((n += page.length) >= 500) {
        n = 0;
        await pause();
      }
    }
  }
  return out;
}
