import type { SourceFileIdentity } from '../recover/source-identity.js';
import type { SourceDatabase } from '../staging/types.js';
import { identifierText } from '../util/identifier-text.js';

/**
 * The database the rows of a job were read from, and the re-insert's comparison of it with the
 * database the rows go into.
 *
 * Two databases of one server (tenants of a CRM, a test copy) may hold the same tables: every
 * check of a re-insert (columns, keys, types) passes, and rows read from tenant A's database went
 * into tenant B's without a word. The job records its source database (JobRecord.sourceDatabase);
 * a dry run, a run and an SQL export compare it with the target's.
 */

/**
 * A job's source database from the identities its source read (the `fileIdentities()` of a files,
 * live or export source; a restore job's backup sets): the first binding id known (the files of one
 * scan are checked to be of one database, source-identity.ts assertOneDatabase), with the name and
 * family GUID of the identities of that binding id, else of any. null when none states either.
 */
export function sourceDatabaseOf(ids: readonly SourceFileIdentity[]): SourceDatabase | null {
  const first = ids.find((i) => i.bindingId);
  const same = first ? ids.filter((i) => i.bindingId === first.bindingId) : ids;
  const name = same.find((i) => i.databaseName)?.databaseName ?? null;
  const familyGuid = same.find((i) => i.familyGuid)?.familyGuid ?? null;
  const bindingId = first?.bindingId ?? null;
  if (!name && !bindingId) return null;
  return { name, bindingId: bindingId?.toUpperCase() ?? null, familyGuid: familyGuid?.toUpperCase() ?? null };
}

/**
 * What a re-insert found comparing the job's source database with its target's:
 * - `same`: one binding id and, where both are known, one name (the source database itself), or — a
 *   side without a binding id — the same name;
 * - `different`: another binding id, or another name (either binding id unknown, or one binding id:
 *   copying and attaching a database's files keeps its binding id, Microsoft Learn,
 *   sys.database_recovery_status). Not refused: a
 *   side database or a restored copy is a legitimate target. A dry run and an export warn; a real run
 *   needs `acceptOtherDatabase: true` (ReinsertRequest);
 * - `unknown`: the source was not recorded (a job staged before rowback recorded it, or a source
 *   stating neither), or the target is not known (no target: an export, an offline dry run), or
 *   neither side states what the other does. Said, never as a difference.
 */
export interface DatabaseCheck {
  verdict: 'same' | 'different' | 'unknown';
  source: SourceDatabase | null;
  target: SourceDatabase | null;
  /** One sentence for the script header, the API and the audit (starts `WARNING: ` when `different`). */
  message: string;
}

/**
 * `CRM (binding id 1F…)`: the name as one name (identifierText: `[CRM Side]`, a line break `\u{a}`),
 * so the sentence it is in (a script header's comment, the API's answer, the audit) reads it whole
 * and stays one line; written bare, `CRM Side` read as two words and a line break split the sentence.
 */
export function describeDatabase(d: SourceDatabase): string {
  const name = d.name === undefined || d.name === null ? '(name not known)' : identifierText(d.name);
  const ids = [d.bindingId ? `binding id ${d.bindingId}` : null, d.familyGuid ? `family GUID ${d.familyGuid}` : null].filter(Boolean);
  return `${name}${ids.length ? ` (${ids.join(', ')})` : ''}`;
}

/**
 * Compares the job's source database with the target's (`target`: DB_NAME() where the target's
 * catalog was read, or the target's `database`, and sys.database_recovery_status there; null: no
 * target). Binding ids decide when both are known; names (compared exactly: a case-sensitive server
 * holds `crm` and `CRM` as two databases) only when a binding id is not.
 */
export function compareDatabases(source: SourceDatabase | null, target: SourceDatabase | null, jobId: number): DatabaseCheck {
  const base = { source, target };
  if (!source) {
    return { ...base, verdict: 'unknown', message: `the database job ${jobId}'s rows were read from is not recorded (a job staged before rowback recorded it, or a source that states no database name or binding id): rowback cannot check that ${target?.name ? `database ${identifierText(target.name)}` : 'the database this goes into'} is that database; check it yourself` };
  }
  const from = describeDatabase(source);
  if (!target || (!target.name && !target.bindingId)) {
    return { ...base, verdict: 'unknown', message: `rows were read from database ${from}; this script was not planned against a target, so rowback cannot check where it runs: run it in ${source.name ? identifierText(source.name) : 'that database'} or a copy of it you mean (another database with the same tables, another tenant or a test copy, takes the rows as well)` };
  }
  const into = describeDatabase(target);
  const restoredCopy = source.familyGuid && target.familyGuid && source.familyGuid === target.familyGuid;
  if (source.bindingId && target.bindingId) {
    if (source.bindingId === target.bindingId) {
      // One binding id is not always one database: "duplicates can be created by copying and
      // attaching databases" (Microsoft Learn, sys.database_recovery_status.database_guid): a test
      // copy or a tenant attached from copies of the files keeps it. Another name beside it is said.
      if (source.name && target.name && source.name !== target.name) {
        return { ...base, verdict: 'different', message: `WARNING: rows were read from database ${from}; this re-insert puts them into database ${into}, another name with the same binding id (a database attached from copies of the source's files keeps its binding id, as a test copy or a tenant made from one does; or the source renamed since): re-inserting into a side copy is legitimate, into another tenant's database it is not; a real run into it needs acceptOtherDatabase: true` };
      }
      return { ...base, verdict: 'same', message: `rows go back into the database they were read from: ${into}` };
    }
    // One family GUID: a restore of the source. Under another name, a copy restored as a new database
    // ("RESTORE always generates a new GUID when you restore a database that does not yet exist",
    // Microsoft Learn, sys.database_recovery_status.database_guid). Under the same name it may as well
    // be the source itself restored since (over itself WITH REPLACE, or onto another server): the
    // words for a copy made as a new database did not fit it, and Microsoft does not document whether
    // a restore over an existing database keeps its binding id, so neither reading is claimed.
    const family = !restoredCopy
      ? ''
      : source.name && target.name && source.name === target.name
        ? ' of the same name and family (the source database restored since, over itself WITH REPLACE or onto this server from its backups, or a copy made from those backups: rowback cannot tell which; the family GUID stays through a restore, sys.database_recovery_status)'
        : ' of the same family (a copy restored from it as a new database, which RESTORE gives a new binding id; the family GUID stays: sys.database_recovery_status)';
    return { ...base, verdict: 'different', message: `WARNING: rows were read from database ${from}; this re-insert puts them into database ${into}, another database${family}: re-inserting into a side or restored copy is legitimate, into another tenant's database it is not; a real run into it needs acceptOtherDatabase: true` };
  }
  if (source.name && target.name) {
    if (source.name === target.name) return { ...base, verdict: 'same', message: `rows go back into a database of the name they were read from: ${into} (${source.bindingId ? 'binding id of the target' : target.bindingId ? 'binding id of the source' : 'binding ids of both'} not known: the name alone was compared)` };
    return { ...base, verdict: 'different', message: `WARNING: rows were read from database ${from}; this re-insert puts them into database ${into}, another name (a binding id not known: the names were compared): re-inserting into a side or restored copy is legitimate, into another tenant's database it is not; a real run into it needs acceptOtherDatabase: true` };
  }
  // one side states only a binding id, the other only a name: nothing to compare
  const lacks = (d: SourceDatabase) => (d.bindingId ? 'no name' : 'no binding id');
  return { ...base, verdict: 'unknown', message: `rows were read from database ${from}; this re-insert puts them into database ${into}: the source states ${lacks(source)} and the target ${lacks(target)}, so rowback cannot check that they are one database; check it yourself` };
}
