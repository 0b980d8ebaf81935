import { codePageForCollation } from '../reconstruct/collation.js';
import type { DatabaseDefaultCollation } from '../reconstruct/metadata/ddl.js';

/**
 * What a CREATE TABLE script's char/varchar/text columns without COLLATE take, as the input read
 * beside it tells it (`read`: OpenedSource.databaseDefaultCollation: a data file's or backup's boot
 * page, a live server's sys.databases, an export's header), for `scan --ddl` and a job's
 * `metadata.ddl` alike:
 * - `{ collation }`: the database's default, whose code page rowback knows;
 * - `{ refusal }`: the input names one rowback cannot read text in (an id with no known name, a
 *   `_UTF8` collation of SQL Server 2019 on; a name with no known code page) and `refuse` gives a
 *   text for it (the caller's unreadableDatabaseCollationRefusal: undefined when no column takes
 *   it): the caller refuses with it, never reading the text as the assumed 1252;
 * - `{}`: nothing said (no `read`, none named, no column takes it, or the read failed: that failure
 *   is said where the source is read next).
 * Throws what `refuse` throws (a script that does not parse).
 */
export async function scriptDefaultCollation(
  read: (() => Promise<DatabaseDefaultCollation | null>) | undefined,
  refuse: (d: DatabaseDefaultCollation) => string | undefined,
): Promise<{ collation?: DatabaseDefaultCollation; refusal?: string }> {
  if (!read) return {};
  let d: DatabaseDefaultCollation | null = null;
  try {
    d = await read();
  } catch {
    return {};
  }
  if (!d) return {};
  if (!d.unnamed && codePageForCollation(d.collation) !== null) return { collation: d };
  const refusal = refuse(d);
  return refusal ? { refusal } : {};
}
