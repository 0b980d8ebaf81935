/**
 * The FOREIGN KEY constraints of a data file's (or backup's) catalog, from its system base tables.
 *
 * Facts (checked on the bytes of TSQLV4.bak, version 852, against Itzik Ben-Gan's public TSQLV4
 * creation script; pubs.bak, 706, against Microsoft's instpubs.sql; NORTHWND.MDF, 655, against
 * instnwnd.sql; aspnetdb.mdf, 2005's 611, against aspnet_regsql's scripts):
 *
 *   sysschobjs, type 'F ', one row per constraint: its object id, name, and `pid` the referencing
 *     (parent) table (sys.objects.parent_object_id);
 *   syssingleobjrefs (object 74), three classes of rows per constraint, `depid` = the constraint:
 *     class 27, depsubid 0: `indepid` the referenced table, `indepsubid` the index (key) it references
 *       (sys.foreign_keys.referenced_object_id, key_index_id);
 *     class 28, depsubid n (1…): `indepid` the referencing table, `indepsubid` the column id of the
 *       constraint's n-th referencing column (sys.foreign_key_columns.parent_column_id);
 *     class 29, depsubid n: `indepid` the referenced table, `indepsubid` the column id of the n-th
 *       referenced column (referenced_column_id).
 *   Column ids are syscolpars.colid (number 0) of the table named.
 *
 * Every constraint of these files has these three classes with one referencing/referenced column pair
 * each (none of their constraints has two columns: a pair list of n columns is read by `depsubid`, a
 * layout not seen on real bytes). A constraint whose rows do not join (a class missing, a column id
 * with no column row, a table not in sysschobjs) is left out with a warning: never guessed.
 */
import type { SourceForeignKey } from '../reconstruct/metadata/table-layout.js';
import { num, str, type SysRow } from './system-row.js';

/** syssingleobjrefs classes of a FOREIGN KEY constraint (see the module comment). */
export const FK_REFERENCED_OBJECT = 27;
export const FK_PARENT_COLUMN = 28;
export const FK_REFERENCED_COLUMN = 29;

/** A source foreign key with the referencing table's `schema` and `name`. */
export interface CatalogForeignKey extends SourceForeignKey {
  schema: string;
  table: string;
}

/**
 * The foreign keys of a catalog: `objects` the sysschobjs rows, `refs` the syssingleobjrefs rows,
 * `colpars` the syscolpars rows, `schemaOf` a schema id → name. Returns them sorted by referencing
 * table then name, and a warning per constraint left out (rows that do not join). Throws nothing.
 */
export function foreignKeysOf(objects: readonly SysRow[], refs: readonly SysRow[], colpars: readonly SysRow[], schemaOf: (nsid: number) => string): { foreignKeys: CatalogForeignKey[]; warnings: string[] } {
  const byId = new Map(objects.map((o) => [num(o.id), o]));
  const colName = new Map<string, string>();
  for (const c of colpars) if (num(c.number) === 0) colName.set(`${num(c.id)}:${num(c.colid)}`, str(c.name) ?? '');
  const refsOf = new Map<number, SysRow[]>();
  for (const r of refs) {
    const cls = num(r.class);
    if (cls !== FK_REFERENCED_OBJECT && cls !== FK_PARENT_COLUMN && cls !== FK_REFERENCED_COLUMN) continue;
    const list = refsOf.get(num(r.depid));
    if (list) list.push(r);
    else refsOf.set(num(r.depid), [r]);
  }
  const out: CatalogForeignKey[] = [];
  const warnings: string[] = [];
  for (const o of objects) {
    if ((str(o.type) ?? '').trim() !== 'F') continue;
    const id = num(o.id);
    const name = str(o.name) ?? `object_${id}`;
    const parent = byId.get(num(o.pid));
    const rows = refsOf.get(id) ?? [];
    const target = rows.find((r) => num(r.class) === FK_REFERENCED_OBJECT && num(r.depsubid) === 0);
    const referenced = target ? byId.get(num(target.indepid)) : undefined;
    const pairs = (cls: number) => rows.filter((r) => num(r.class) === cls).sort((a, b) => num(a.depsubid) - num(b.depsubid));
    const from = pairs(FK_PARENT_COLUMN);
    const to = pairs(FK_REFERENCED_COLUMN);
    const columns = from.map((r) => colName.get(`${num(r.indepid)}:${num(r.indepsubid)}`));
    const referencedColumns = to.map((r) => colName.get(`${num(r.indepid)}:${num(r.indepsubid)}`));
    const why = !parent ? `its table (object id ${num(o.pid)}) is not in sysschobjs`
      : !target || !referenced ? 'its referenced table is not named (no syssingleobjrefs class 27 row, or its table is not in sysschobjs)'
      : from.length === 0 || from.length !== to.length || from.some((r, i) => num(r.depsubid) !== i + 1 || num(to[i]!.depsubid) !== i + 1) ? `its column pairs do not join (syssingleobjrefs: ${from.length} referencing and ${to.length} referenced column rows)`
      : from.some((r) => num(r.indepid) !== num(o.pid)) || to.some((r) => num(r.indepid) !== num(target.indepid)) ? 'its column rows name other tables than the constraint'
      : columns.some((c) => !c) || referencedColumns.some((c) => !c) ? 'a column id it names has no column row (syscolpars)'
      : undefined;
    if (why) {
      warnings.push(`foreign key ${name}: not read, ${why}`);
      continue;
    }
    out.push({
      name,
      schema: schemaOf(num(parent!.nsid)),
      table: str(parent!.name) ?? `object_${num(o.pid)}`,
      columns: columns as string[],
      referencedSchema: schemaOf(num(referenced!.nsid)),
      referencedTable: str(referenced!.name) ?? `object_${num(target!.indepid)}`,
      referencedColumns: referencedColumns as string[],
    });
  }
  out.sort((a, b) => `${a.schema}.${a.table}`.localeCompare(`${b.schema}.${b.table}`) || a.name.localeCompare(b.name));
  return { foreignKeys: out, warnings };
}
