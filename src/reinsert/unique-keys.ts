import { identifierText, quoteName } from '../util/tsql.js';
import type { TargetTable, UniqueKey } from './target-table.js';

/**
 * The existence checks of a recovered row against its target table's unique indexes and UNIQUE
 * constraints other than the conflict key (TargetTable.uniqueKeys), built by planRow (plan.ts)
 * into PlannedRow.uniqueChecks, run before the row's INSERT by the run (execute.ts runBatch,
 * TargetSession.findUniqueHolder) and by the script (plan.ts renderScriptChunks).
 *
 * What SQL Server does, and so what the check honours (Microsoft Learn):
 * - "Create a unique index": NULLs of a unique index's key are "treated as duplicate values for
 *   indexing purposes" (only one row may hold NULL in a column, or one NULL combination): the check
 *   matches NULL to NULL (`[c] IS NULL` for a NULL value of the row, `[c] = @p` otherwise: the
 *   row's value is known when the statement is built, so that is `([c] = @p OR ([c] IS NULL AND @p
 *   IS NULL))` written for the one case that applies).
 * - "Create filtered indexes": a filtered index "uses a filter predicate to index a portion of rows
 *   in the table", so a filtered unique index constrains only the rows satisfying its filter: the
 *   existing row must satisfy it, and the recovered row collides only if it does too. The filter is
 *   the server's own text (sys.indexes.filter_definition) and goes in verbatim, twice: against the
 *   existing row, and inside `EXISTS (SELECT 1 FROM (SELECT @p1 AS [Email], …) AS [rowback_row]
 *   WHERE <filter>)` against the row's own values (the filter's column names bind to the derived
 *   table's, the nearest scope). Where the filter names a column the row gives no value for, that
 *   second part is left out (the default the server would put there is not known): conservative,
 *   the row is taken for a conflict whenever an existing row satisfying the filter holds its key
 *   (UniqueCheck.filterNotOnRow; the script's head says so).
 * - "Create a unique index": with IGNORE_DUP_KEY set, "the row containing a duplicate is not
 *   added", the statement succeeding with a warning only ("Duplicate key was ignored.", the server's
 *   informational message; its text is not on that page): rowback would record the row inserted. The check runs before the INSERT, so such
 *   an index is covered like any other; one that cannot be checked refuses the row
 *   (REINSERT_UNIQUE_KEY_UNCHECKED) rather than risk a silent drop.
 */
export interface UniqueCheck {
  /** The index's name (sys.indexes.name), or the conflict key's own index's when it is checked as one. */
  index: string;
  /** Its key columns, in key order. */
  columns: string[];
  /** A UNIQUE constraint rather than a unique index (UniqueKey.constraint). */
  constraint?: boolean;
  /** IGNORE_DUP_KEY is ON for it (UniqueKey.ignoreDupKey). */
  ignoreDupKey?: boolean;
  /** The filter_definition of a filtered index, as the catalog gave it. Absent: not filtered. */
  filter?: string;
  /** The columns the filter names that the row gives no value for: only existing rows are tested against the filter. Absent: none. */
  filterNotOnRow?: string[];
  /**
   * Key columns the row gives no value for whose INSERT leaves them NULL (nullable, no default in
   * the target's catalog, not server-filled): checked as NULL (`[c] IS NULL`). Absent: none.
   */
  nullColumns?: string[];
  /**
   * The conflict key itself (TargetTable.keyColumns), checked as a unique key because a key value
   * of the row is NULL (a unique clustered index's nullable column), which `[c] = @p` never finds.
   */
  conflictKey?: true;
  /** The run's statement: `SELECT TOP (1) <existing row's columns> FROM … WITH (UPDLOCK, HOLDLOCK) WHERE …;` (driver parameters @pN). */
  sql: string;
  /** The same for a script: `SELECT TOP (1) * …` with the row's script variables. */
  script: string;
}

/** A unique key a row cannot be checked against, and why (said once per table in the script's head). */
export interface UniqueNotChecked {
  index: string;
  why: string;
}

/**
 * The column names a filter_definition names: every bracket-quoted identifier (`]]` an escaped
 * `]`) outside string literals ('…', `''` an escaped quote), and every bare word that is, in any
 * letter case, the name of one of `columns` (the server writes its filter definitions with
 * bracket-quoted names, `([Email] IS NOT NULL)`; a bare one is matched all the same, never missed).
 * In order of first appearance, each once.
 */
export function filterColumns(filter: string, columns: readonly string[] = []): string[] {
  const out: string[] = [];
  const add = (n: string) => { if (!out.includes(n)) out.push(n); };
  const bare = new Map(columns.map((c) => [c.toLowerCase(), c]));
  for (let i = 0; i < filter.length;) {
    const ch = filter[i]!;
    if (ch === "'") {
      for (i++; i < filter.length; i++) {
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") { i++; continue; }
          i++;
          break;
        }
      }
      continue;
    }
    if (ch === '[') {
      let name = '';
      for (i++; i < filter.length; i++) {
        if (filter[i] === ']') {
          if (filter[i + 1] === ']') { name += ']'; i++; continue; }
          i++;
          break;
        }
        name += filter[i];
      }
      add(name);
      continue;
    }
    const word = /^[\p{L}_@#][\p{L}\p{N}_@#$]*/u.exec(filter.slice(i));
    if (word) {
      const c = bare.get(word[0].toLowerCase());
      if (c !== undefined) add(c);
      i += word[0].length;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Whether a row holding `valueOf(column)` satisfies filter `filter`, decided without a server: true,
 * false, or undefined when it cannot be told here. Decided only for the filters written as a
 * conjunction (AND) of `[c] IS NULL`, `[c] IS NOT NULL` and `[c] = (n)` with an integer n (the form
 * the server writes `WHERE Email IS NOT NULL` and `WHERE Active = 1` in), each column one the row
 * gives a value for (`valueOf` not undefined); anything else (OR, IN, text or date comparisons,
 * whose meaning depends on collations and types) is undefined and left to the server's check.
 */
export function filterHoldsOffline(filter: string, valueOf: (column: string) => unknown): boolean | undefined {
  const strip = (s: string): string => {
    let t = s.trim();
    while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
    return t;
  };
  const terms = splitTopLevelAnd(strip(filter));
  if (!terms) return undefined;
  let all = true;
  for (const raw of terms) {
    const term = strip(raw);
    const isNull = /^\[((?:[^\]]|\]\])+)\]\s+IS\s+(NOT\s+)?NULL$/i.exec(term);
    const eq = /^\[((?:[^\]]|\]\])+)\]\s*=\s*\(*\s*(-?\d+)\s*\)*$/.exec(term);
    const m = isNull ?? eq;
    if (!m) return undefined;
    const v = valueOf(m[1]!.replace(/\]\]/g, ']'));
    if (v === undefined) return undefined;
    if (isNull) {
      const holds = isNull[2] ? v !== null : v === null;
      if (!holds) all = false;
      continue;
    }
    if (v === null) { all = false; continue; }
    const n = typeof v === 'number' || typeof v === 'bigint' ? v : typeof v === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(v) ? BigInt(v.trim().replace(/\.0*$/, '')) : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
    if (n === undefined) return undefined;
    if (typeof n === 'number' && !Number.isSafeInteger(n)) return undefined;
    if (BigInt(n) !== BigInt(m[2]!)) all = false;
  }
  return all;
}

/** Whether `s` has as many ')' as '(' with no prefix closing more than it opened (string literals aside). */
function balanced(s: string): boolean {
  let depth = 0;
  let inString = false;
  for (const ch of s) {
    if (ch === "'") inString = !inString;
    if (inString) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && !inString;
}

/** `s` split at its top-level ANDs (outside parentheses, brackets and strings); null when it holds a top-level OR or NOT (not a plain conjunction). */
function splitTopLevelAnd(s: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'") { i = s.indexOf("'", i + 1); if (i < 0) return null; continue; }
    if (ch === '[') { const j = s.indexOf(']', i + 1); if (j < 0) return null; i = j; continue; }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) {
      const rest = s.slice(i);
      if (/^\s(OR)\s/i.test(rest)) return null;
      const and = /^\sAND\s/i.exec(rest);
      if (and) { out.push(s.slice(start, i)); start = i + and[0].length; i += and[0].length - 1; }
    }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * The unique keys a row of target table `t` is checked against: the table's uniqueKeys, and, when
 * the row cannot be looked for by its conflict key (`byKey` false: a key value NULL, possible in a
 * unique clustered index), the conflict key itself as one (NULL equal to NULL). Each with the
 * conflict key's flags where it is that one. [] when the catalog read none.
 */
export function uniqueKeysToCheck(t: TargetTable, byKey: boolean): (UniqueKey & { conflictKey?: true })[] {
  const keys: (UniqueKey & { conflictKey?: true })[] = [...(t.uniqueKeys ?? [])];
  if (!byKey && t.keyColumns.length > 0) {
    keys.unshift({ name: t.keyIndex?.name ?? `the key (${t.keyColumns.join(', ')})`, columns: t.keyColumns, ...(t.keyIndex?.ignoreDupKey ? { ignoreDupKey: true } : {}), conflictKey: true });
  }
  return keys;
}

/** How a unique key is named to a reader: `unique index [UX_Email] (Email)` / `UNIQUE constraint …`. */
export function uniqueKeyText(k: Pick<UniqueCheck, 'index' | 'columns' | 'constraint' | 'conflictKey'>): string {
  return `${k.conflictKey ? 'key index' : k.constraint ? 'UNIQUE constraint' : 'unique index'} ${quoteName(k.index)} (${k.columns.map(identifierText).join(', ')})`;
}
