/**
 * Finding a table or column by the name a user, a script or a catalog gives: the exact name first,
 * then the one name that differs from it only in letter case.
 *
 * SQL Server compares identifiers with the database's collation (Microsoft, "Database Identifiers";
 * "Collation and Unicode support": a case-sensitive database, e.g. collation Latin1_General_CS_AS or
 * a _BIN2 one, may hold tables `dbo.Contact` and `dbo.contact`, or columns `Name` and `name`, side by
 * side). Most databases are case-insensitive, where `dbo.customers` means `dbo.Customers`; rowback
 * does not know which a layout given by `--ddl` / `--schema` came from. So a name is matched exactly
 * when something has exactly that name; otherwise case-insensitively when exactly one thing has it in
 * another case; and when several things differ from it only in case, it is ambiguous and the caller
 * refuses it rather than take one (lowercased keys once merged two such tables into one and matched a
 * column to the wrong one of two).
 */
import { InputError } from '../../errors.js';

/** What a name resolved to: the one item, nothing, or the items it matches only by case (two or more). */
export type NameMatch<T> = { found: T; ambiguous?: undefined } | { found?: undefined; ambiguous?: undefined } | { found?: undefined; ambiguous: T[] };

/**
 * An index of `items` by `nameOf(item)` for `match(name)` as above. Build once, match many times
 * (O(1) per match). Items with equal exact names: the first is kept (callers merge partitions of one
 * table before indexing).
 */
export class NameIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly folded = new Map<string, T[]>();

  constructor(items: Iterable<T>, nameOf: (item: T) => string) {
    for (const item of items) {
      const n = nameOf(item);
      if (this.exact.has(n)) continue;
      this.exact.set(n, item);
      const k = n.toLowerCase();
      const list = this.folded.get(k);
      if (list) list.push(item);
      else this.folded.set(k, [item]);
    }
  }

  /** The item named exactly `name`, else the one named like it in another case, else nothing or the ambiguous ones. */
  match(name: string): NameMatch<T> {
    const e = this.exact.get(name);
    if (e !== undefined) return { found: e };
    const list = this.folded.get(name.toLowerCase());
    if (!list) return {};
    if (list.length === 1) return { found: list[0]! };
    return { ambiguous: list };
  }
}

/** INPUT_AMBIGUOUS_NAME for a table name `q` that several tables of a case-sensitive database match only by letter case. */
export function ambiguousTable(q: string, tables: Array<{ schema: string; name: string }>): InputError {
  const names = tables.map((t) => `${t.schema}.${t.name}`);
  return new InputError('INPUT_AMBIGUOUS_NAME', `table ${q} matches ${names.join(' and ')}, which differ only in letter case (a case-sensitive database): give the name in its exact case`, { table: q });
}


/**
 * The one of `names` (`schema.name`, exact case) that `wanted` names: `wanted` as given, then with
 * schema dbo when it has no dot; each matched exactly first, then in another case when one name has
 * it (NameIndex). Undefined when none does. Throws InputError INPUT_AMBIGUOUS_NAME (ambiguousTable)
 * when several match it only by letter case.
 */
export function findTableName(names: Iterable<string>, wanted: string): string | undefined {
  const index = new NameIndex(names, (n) => n);
  for (const q of wanted.includes('.') ? [wanted] : [wanted, `dbo.${wanted}`]) {
    const m = index.match(q);
    if (m.ambiguous) throw ambiguousTable(q, m.ambiguous.map((n) => ({ schema: n.slice(0, n.indexOf('.')), name: n.slice(n.indexOf('.') + 1) })));
    if (m.found !== undefined) return m.found;
  }
  return undefined;
}

/**
 * When `found` (`schema.name`, the table a `--table` resolved to) is in schema dbo — where a name
 * given without a schema is looked for — the tables of `names` (`schema.name`, exact case, each once,
 * in the order of `names`) of the same name (any case) in other schemas; empty when `found` is not
 * dbo's or none has its name. TSQLV4 holds dbo.Orders (1 row) and Sales.Orders (830): `--table Orders`
 * read dbo.Orders without a word, and a diff of it found nothing missing (newcomer). The data a
 * command words with otherSchemasNote once it knows which tables it reads (a point-in-time replay
 * carries it as ReplayResult.sameNameElsewhere).
 */
export function otherSchemaNamesakes(names: Iterable<string>, found: string): string[] {
  const dot = found.indexOf('.');
  if (found.slice(0, dot).toLowerCase() !== 'dbo') return [];
  const name = found.slice(dot + 1).toLowerCase();
  return [...new Set(names)].filter((n) => n !== found && n.slice(0, n.indexOf('.')).toLowerCase() !== 'dbo' && n.slice(n.indexOf('.') + 1).toLowerCase() === name);
}

/**
 * The note that `found` (a dbo table read) has namesakes in other schemas (`namesakes`: what
 * otherSchemaNamesakes gives for it), or undefined when it has none that the same command does not
 * read too. `read`: the tables (`schema.name`, any case) the command reads; a namesake among them is
 * not named, and when every namesake is read there is no note: `dump --table HR.Employees,dbo.Employees`
 * on TSQLV4 printed both tables and was told to give `--table HR.Employees` "to read it".
 */
export function sameNameElsewhereNote(found: string, namesakes: readonly string[], read: Iterable<string> = []): string | undefined {
  const reading = new Set([...read].map((n) => n.toLowerCase()));
  const others = namesakes.filter((n) => !reading.has(n.toLowerCase()));
  if (!others.length) return undefined;
  return `${found} is the table read (a name without a schema is dbo's); ${others.join(', ')} ${others.length > 1 ? 'have' : 'has'} the same name in another schema: give the schema (--table ${others[0]}) to read ${others.length > 1 ? 'one of them' : 'it'}`;
}

/**
 * otherSchemaNamesakes worded by sameNameElsewhereNote: the note for `found` among `names`, leaving
 * out namesakes among `read`; undefined when there is nothing to say.
 */
export function otherSchemasNote(names: Iterable<string>, found: string, read: Iterable<string> = []): string | undefined {
  return sameNameElsewhereNote(found, otherSchemaNamesakes(names, found), read);
}
