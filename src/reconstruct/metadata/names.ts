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
import { escapeUnprintable, oneLineText } from '../../util/echo.js';
import { allocUnitNameTable, splitNameParts, splitQualifiedName, stagedTableName, tableNameText, tableNameWord, tableText } from '../../util/tsql.js';
import { shellWord } from '../../util/shell-word.js';

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
  const names = tables.map((t) => tableText(t));
  return new InputError('INPUT_AMBIGUOUS_NAME', `table ${q} matches ${names.join(' and ')}, which differ only in letter case (a case-sensitive database): give the name in its exact case`, { table: q });
}


/**
 * The one of `names` that `wanted` names, by the two parts of each (never by dotted text). `names`:
 * each a table's name in exact case as rowback gives it out (util/tsql.ts stagedTableName:
 * `schema.name`, or `[schema].[name]` when a part holds a dot or needs quoting); `wanted`: a name as
 * a user gives it (`dbo.Customer`, `Customer` for schema dbo, `[dbo].[Order.Items]`,
 * `dbo.[Order.Items]`, `"dbo"."Order.Items"`). Matched in turn:
 * 1. `wanted` read as one or two parts (splitQualifiedName: brackets and quotes honoured, schema dbo
 *    when none) against each name's parts, exactly first, then in another letter case when one
 *    table alone has it (NameIndex; a case-sensitive database may hold dbo.T and dbo.t);
 * 2. failing that, `wanted` as plain `schema.name` text (or dbo's, when it has no dot), as rowback
 *    took and gave out a name holding a dot before (`dbo.Order.Items` for dbo.[Order.Items]): the
 *    one table whose text it is, exactly first, then in another case.
 * Undefined when none does. Throws InputError INPUT_AMBIGUOUS_NAME: several tables differing only in
 * letter case (ambiguousTable), or a plain text that is the `schema.name` of two tables
 * (dbo.[Order.Items] and [dbo.Order].Items are both `dbo.Order.Items`), naming both in their
 * bracketed forms, either of which names one.
 */
export function findTableName(names: Iterable<string>, wanted: string): string | undefined {
  return new TableNameIndex(names).find(wanted);
}

/**
 * What to add to a refusal of `wanted` as a table the metadata does not name (INPUT_UNKNOWN_TABLE)
 * when a table of `names` (rowback's `schema.name` forms, as findTableName takes them) is most likely
 * the one meant, or for any three- or four-part name; `''` otherwise. Returned with its leading
 * `'; '`. It names only tables of `names`. Kinds:
 * - a three- or four-part name (`CRM.dbo.Customer`, `[CRM].[dbo].[Customer]`, `SRV.CRM.dbo.Customer`,
 *   `CRM..Customer`, whose empty schema part is dbo) whose last two parts name a table: rowback reads
 *   the tables of the files or the database given, and the database (and server) part is no part of
 *   a table's name there;
 * - a three-part name whose first two parts name a table: fn_dblog's AllocUnitName of an index
 *   (`dbo.tblDept.PK_tblDept`, schema.table.index), copied from `rowback log`; when both readings
 *   name a table, both are said;
 * - a three- or four-part name neither of whose readings names a table (`CRM.dbo.Nope`,
 *   `CRM.Sales.tblDept`): said plainly, naming what each reading would be and that it is not among
 *   the tables read, then the tables having its last part as their name in another schema, if any;
 * - a one- or two-part name (`Customers`, read as `dbo.Customers`) whose table name tables of other
 *   schemas have (any letter case): a name without a schema is looked for in dbo only, as SQL Server
 *   resolves it for a user whose default schema is dbo (Microsoft, "Transact-SQL syntax conventions");
 * - a one- or two-part name that is a comma-separated piece of a table's name (`dbo.a` or `b` of
 *   dbo.[a,b]: `--table dbo.a,b`, a list split at its comma): that table, in brackets, said first.
 * Tables are named as tableNameText writes them (`dbo.[Order Details]`, `Sales.[User]`).
 * `database`, when given, is the name of the database the tables were read from (the data file's
 * boot page, dbi_dbname): a database part naming another database (`Other.dbo.steps` against
 * RestoreTimeClean.bak) is said to be another, not dropped as a part rowback does not read: a DBA
 * holding the wrong file was told 'give the table as dbo.steps' and got another database's rows.
 * Database names compared in any letter case (a server's default collation is case-insensitive); a
 * database named by its file's path (attached by AttachDbFilename) is compared with nothing.
 * Call it only after findTableName found nothing. Pure; never throws.
 */
export function unknownTableHint(wanted: string, names: Iterable<string>, database?: string | null): string {
  const list = [...names];
  let parts: string[];
  try {
    parts = splitNameParts(wanted);
  } catch {
    return '';
  }
  if ((parts.length === 3 || parts.length === 4) && parts[parts.length - 1]) {
    const meant = { schema: parts[parts.length - 2] || 'dbo', name: parts[parts.length - 1]! };
    let found: string | undefined;
    try {
      found = findTableName(list, stagedTableName(meant));
    } catch {
      found = undefined;
    }
    // three parts are also fn_dblog's AllocUnitName of an index, schema.table.index (copied from
    // `rowback log` or fn_dblog): `dbo.tblDept.PK_tblDept` was refused with no word of dbo.tblDept
    const unitTable = allocUnitNameTable(parts);
    let unit: string | undefined;
    try {
      unit = unitTable === undefined ? undefined : findTableName(list, unitTable);
    } catch {
      unit = undefined;
    }
    if (found !== undefined && unit !== undefined && found !== unit) {
      return `; ${wanted.trim()} read as database.schema.table names ${tableNameText(found)}, read as fn_dblog's AllocUnitName (schema.table.index) ${tableNameText(unit)}: give the one meant as a one- or two-part name`;
    }
    const named = parts[parts.length - 3];
    // a database attached by its file (LocalDB's AttachDbFilename) is named by its path
    // (Database1.mdf's boot page: F:\…\APP_DATA\DATABASE1.MDF), which no DBA types: no claim then
    if (found !== undefined && database && !/[\\/]/.test(database) && named && named.toLowerCase() !== database.toLowerCase()) {
      return `; ${wanted.trim()} names the database ${named}, and the tables read are of the database ${database}: check that the file given is the one meant (its table of that name is ${tableNameText(found)})`;
    }
    if (found !== undefined) {
      return `; ${wanted.trim()} names a ${parts.length === 4 ? 'server and a ' : ''}database too: rowback reads the tables of the files or database given, so give the table as ${tableNameText(found)}`;
    }
    if (unit !== undefined) {
      return `; ${wanted.trim()} is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as ${tableNameText(unit)}`;
    }
    // neither reading is a table read: said plainly, with no table named that is not there
    // (`[CRM].[dbo].[Nope]` was told "give the table as dbo.Nope"); a table of the name in another
    // schema is named, as for a two-part name
    const readings = [tableText(meant), ...(unitTable === undefined ? [] : [tableNameText(unitTable)])];
    const how = `${parts.length === 4 ? 'server.' : ''}database.schema.table${unitTable === undefined ? '' : " or as fn_dblog's AllocUnitName (schema.table.index)"}`;
    const none = `; read as ${how}, ${wanted.trim()} would be ${readings.join(' or ')}, ${readings.length === 1 ? 'which is not' : 'neither of which is'} among the tables read`;
    const others = elsewhere(list, meant.name).map(tableNameText);
    return others.length ? `${none}; ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} the name ${meant.name}: give ${others.length === 1 ? `it as ${others[0]}` : 'the one meant with its schema'}` : none;
  }
  if ((parts.length === 1 || parts.length === 2) && parts[parts.length - 1]) {
    const name = parts[parts.length - 1]!;
    // a piece of a table's name that holds a comma (`--table dbo.a,b` read as dbo.a and b, the list
    // split at its comma): that table, in brackets, is the one most likely meant
    const whole = commaNamed(list, name, parts.length === 2 ? parts[0]! : undefined).map(tableNameText);
    if (whole.length) return `; ${whole.join(', ')} ${whole.length === 1 ? 'has' : 'have'} a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give ${whole.length === 1 ? `it as ${whole[0]}` : 'the one meant in brackets'}`;
    const others = elsewhere(list, name).map(tableNameText);
    if (others.length) return `; ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} the name ${name} in ${others.length === 1 ? 'another schema' : 'other schemas'}${parts.length === 1 ? ' (a name without a schema is looked for in schema dbo)' : ''}: give ${others.length === 1 ? `it as ${others[0]}` : 'the one meant with its schema'}`;
  }
  return '';
}

/**
 * The tables of `names` whose table part holds a comma and has `piece` (any letter case, white space
 * around it aside) as one of its comma-separated pieces, in schema `schema` when given (the first
 * piece of a split list carries the schema typed, the others none).
 */
function commaNamed(names: readonly string[], piece: string, schema?: string): string[] {
  const want = piece.trim().toLowerCase();
  return names.filter((n) => {
    try {
      const p = splitQualifiedName(n);
      return p.name.includes(',') && p.name.split(',').some((x) => x.trim().toLowerCase() === want) && (schema === undefined || p.schema.toLowerCase() === schema.toLowerCase());
    } catch {
      return false;
    }
  });
}

/** The tables of `names` whose table part (not schema) is `name` in any letter case. */
function elsewhere(names: readonly string[], name: string): string[] {
  return names.filter((n) => {
    try {
      return splitQualifiedName(n).name.toLowerCase() === name.toLowerCase();
    } catch {
      return false;
    }
  });
}

/**
 * findTableName's index of `names`, built once for many look-ups (a catalog's byName: O(1) a name
 * by parts; the plain-text fallback reads every name only when the parts match none).
 */
export class TableNameIndex {
  private readonly parts: ReadonlyArray<readonly [string, { schema: string; name: string }]>;
  private readonly byParts: NameIndex<readonly [string, { schema: string; name: string }]>;

  constructor(names: Iterable<string>) {
    const list: Array<readonly [string, { schema: string; name: string }]> = [];
    for (const n of new Set(names)) {
      try {
        list.push([n, splitQualifiedName(n)] as const);
      } catch {
        // a name that is no one- or two-part name names no table by parts
      }
    }
    this.parts = list;
    this.byParts = new NameIndex(list, ([, p]) => stagedTableName(p));
  }

  /** findTableName's answer for `wanted` (see there). */
  find(wanted: string): string | undefined {
    // 1. by parts: each name keyed by its parts as stagedTableName writes them
    let want: { schema: string; name: string } | null;
    try {
      want = splitQualifiedName(wanted);
    } catch {
      want = null;
    }
    if (want && want.schema !== '' && want.name !== '') {
      const m = this.byParts.match(stagedTableName(want));
      if (m.ambiguous) throw ambiguousTable(stagedTableName(want), m.ambiguous.map(([, p]) => p));
      if (m.found !== undefined) return m.found[0];
    }
    // 2. as plain `schema.name` text (a name holding a dot, written without brackets); text whose
    // brackets or quotes parse as such quotes its parts (`[CRM].[dbo].[T]`), and is no table's text
    const text = (p: { schema: string; name: string }) => `${p.schema}.${p.name}`;
    const w = wanted.trim();
    if (/[[\]"]/.test(w) && quotedParts(w)) return undefined;
    const wants = w.includes('.') ? [w] : [w, `dbo.${w}`];
    for (const same of [(t: string) => wants.includes(t), (t: string) => wants.some((x) => x.toLowerCase() === t.toLowerCase())]) {
      const hits = this.parts.filter(([, p]) => same(text(p)));
      if (hits.length === 1) return hits[0]![0];
      if (hits.length > 1) {
        // each form one line (a line break of a name as `\u{a}`, as every message names it)
        const forms = hits.map(([, p]) => escapeUnprintable(`[${p.schema.replace(/\]/g, ']]')}].[${p.name.replace(/\]/g, ']]')}]`));
        throw new InputError('INPUT_AMBIGUOUS_NAME', `table ${oneLineText(wanted)} is the schema.name text of ${hits.length} tables, ${forms.join(' and ')}: give the one meant in brackets (${forms.join(' or ')})`, { table: wanted });
      }
    }
    return undefined;
  }
}

/** Whether splitNameParts reads `text` (brackets and quotes as quoting, not as text). */
function quotedParts(text: string): boolean {
  try {
    splitNameParts(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `typed`, a table name as the user gave it (`--table`, a job's `tables`, diff's table),
 * names its schema: two or more parts (`dbo.Employees`, `[dbo].[Employees]`, `"dbo"."Employees"`,
 * `dbo.Order.Items`), as against one (`Employees`, `[Employees]`), which is looked for in schema dbo
 * (splitQualifiedName). Text splitNameParts refuses counts as naming none. The note that a dbo table
 * read has namesakes in other schemas (otherSchemasNote) is for a one-part name only: it said "a name
 * without a schema is dbo's … give the schema" to a DBA who had typed `--table dbo.Employees` (TSQLV4).
 */
export function namesSchema(typed: string): boolean {
  try {
    return splitNameParts(typed).length > 1;
  } catch {
    return false;
  }
}

/**
 * When `found` (`schema.name`, the table a `--table` resolved to) is in schema dbo — where a name
 * given without a schema is looked for — the tables of `names` (`schema.name`, exact case, each once,
 * in the order of `names`) of the same name (any case) in other schemas; empty when `found` is not
 * dbo's or none has its name. TSQLV4 holds dbo.Orders (1 row) and Sales.Orders (830): `--table Orders`
 * read dbo.Orders without a word, and a diff of it found nothing missing (newcomer). The data a
 * command words with otherSchemasNote once it knows which tables it reads (a point-in-time replay
 * carries it as ReplayResult.sameNameElsewhere). Only for a table named without its schema (namesSchema
 * false): the caller says nothing when the schema was typed.
 */
export function otherSchemaNamesakes(names: Iterable<string>, found: string): string[] {
  const f = nameParts(found);
  if (f.schema.toLowerCase() !== 'dbo') return [];
  const name = f.name.toLowerCase();
  return [...new Set(names)].filter((n) => {
    const p = nameParts(n);
    return n !== found && p.schema.toLowerCase() !== 'dbo' && p.name.toLowerCase() === name;
  });
}

/**
 * The two parts of `text`, a table's name in any form rowback gives out (stagedTableName's
 * `[dbo].[Order.Items]`, tableText's `dbo.[User]`, plain `schema.name`): splitQualifiedName's, else
 * (plain text of a name holding a dot, `dbo.Order.Items`) split at the first dot. The schema part
 * was cut at the first dot of the text alone: `[Sales].[User]`'s schema read `[Sales]`, not Sales.
 */
function nameParts(text: string): { schema: string; name: string } {
  try {
    return splitQualifiedName(text);
  } catch {
    const dot = text.indexOf('.');
    return { schema: text.slice(0, dot), name: text.slice(dot + 1) };
  }
}

/**
 * The note that `found` (a dbo table read) has namesakes in other schemas (`namesakes`: what
 * otherSchemaNamesakes gives for it), or undefined when it has none that the same command does not
 * read too. `read`: the tables (`schema.name`, any case) the command reads; a namesake among them is
 * not named, and when every namesake is read there is no note: `dump --table HR.Employees,dbo.Employees`
 * on TSQLV4 printed both tables and was told to give `--table HR.Employees` "to read it". Each table
 * named as tableNameText writes it (`dbo.[User]`, `Sales.[User]`).
 */
export function sameNameElsewhereNote(found: string, namesakes: readonly string[], read: Iterable<string> = []): string | undefined {
  const reading = new Set([...read].map((n) => n.toLowerCase()));
  const others = namesakes.filter((n) => !reading.has(n.toLowerCase()));
  if (!others.length) return undefined;
  const shown = others.map(tableNameText);
  return `${tableNameText(found)} is the table read (a name without a schema is dbo's); ${shown.join(', ')} ${others.length > 1 ? 'have' : 'has'} the same name in another schema: give the schema (--table ${shellWord(tableNameWord(others[0]!))}) to read ${others.length > 1 ? 'one of them' : 'it'}`;
}

/**
 * otherSchemaNamesakes worded by sameNameElsewhereNote: the note for `found` among `names`, leaving
 * out namesakes among `read`; undefined when there is nothing to say.
 */
export function otherSchemasNote(names: Iterable<string>, found: string, read: Iterable<string> = []): string | undefined {
  return sameNameElsewhereNote(found, otherSchemaNamesakes(names, found), read);
}
