import { InputError } from '../errors.js';
import { compareLsn, parseAnyLsn, parseLsn, type Lsn } from '../logreader/lsn.js';
import { echoInput } from '../util/echo.js';
import { sidFilterForms } from '../util/sid.js';
import type { RecoveredRow } from './recovered-row.js';

/**
 * Which recovered rows `scan` prints beyond its window, tables and operations: the incident
 * responder's "only the culprit's transaction", "only what this login did", "only this LSN range".
 * Each list is "any of"; the fields together are "all of". Applied to rows after the committed
 * filter and the decoding (the layout check still sees every row of a table, so what it decides
 * does not depend on this selection), before the output.
 */
export interface RowSelection {
  /** Transaction IDs as fn_dblog prints them, `xxxx:xxxxxxxx` lower-case hex, zero-padded. */
  transactions: ReadonlySet<string> | null;
  /** SIDs, in the forms a row keeps them: `0x` upper-case hex (`sid`) and the Windows text form (`sidText`) when it is one. */
  sids: ReadonlyArray<{ hex: string; text: string | null }> | null;
  /** Login names in Unicode lower case (a live scan's SUSER_SNAME; offline rows have none): SQL Server compares logins case-insensitively under its default collation, as the API's login filter does. */
  logins: ReadonlySet<string> | null;
  /** Database user names (offline: the data file's sys.database_principals), compared in Unicode lower case. */
  dbUsers: ReadonlySet<string> | null;
  /** The names as typed (trimmed), to tell a row matched only in another letter case (caseOnlyMatches). */
  typedLogins: ReadonlySet<string> | null;
  typedDbUsers: ReadonlySet<string> | null;
  /** LSN bounds of the row operation, inclusive. */
  fromLsn: Lsn | null;
  toLsn: Lsn | null;
  /** The flags as given, for the sentences that say what the selection left out (`--transaction 0000:00000437`). */
  described: string;
}

/** The options of a selection as commander gives them (lists already split on commas). */
export interface RowSelectionOptions {
  transaction: string[];
  sid: string[];
  login: string[];
  dbUser: string[];
  fromLsn?: string;
  toLsn?: string;
}

/**
 * A Transaction ID in the printed form: 4:8 lower-case hex digits (`0000:000003e8`, fn_dblog's
 * `Transaction ID` column, as every corpus log and the rows' `transactionId` print it). Taken, as
 * README promises (`0x` and shorter parts taken), as LSNs take their forms (parseAnyLsn):
 * the printed form with shorter parts (`0:3e8`) or a `0x` prefix (`0x0000:000003E8`), and the same
 * six bytes as one hex number after `0x` (`0x0000000003E8`, `0x3e8`: the printed digits without the
 * colon, as binary(6) shows them). A colon-less form without `0x` (`437`, `3e8`) is refused: decimal
 * (fn_dblog's `Xact ID`, another number) and hex are both readings. Throws InputError
 * INPUT_BAD_OPTION naming `flag` and the forms for anything else.
 */
export function normaliseTransactionId(text: string, flag: string): string {
  const t = text.trim();
  const m = /^(?:0x)?([0-9a-f]{1,4}):([0-9a-f]{1,8})$/i.exec(t);
  if (m) return `${m[1]!.toLowerCase().padStart(4, '0')}:${m[2]!.toLowerCase().padStart(8, '0')}`;
  const bin = /^0x([0-9a-f]{1,12})$/i.exec(t);
  if (bin) {
    const h = bin[1]!.toLowerCase().padStart(12, '0');
    return `${h.slice(0, 4)}:${h.slice(4)}`;
  }
  throw new InputError('INPUT_BAD_OPTION', `${flag} '${echoInput(text)}' is not a Transaction ID as fn_dblog prints it (e.g. 0000:000003e8; also 0:3e8, 0x0000:000003e8 or 0x0000000003e8)`);
}

/**
 * The selection of `o`, or null when it selects every row (no flag given). Throws InputError:
 * INPUT_BAD_OPTION for a Transaction ID or SID that does not parse or an empty name (naming the
 * flag), INPUT_BAD_LSN for an LSN that does not parse, INPUT_BAD_WINDOW for --from-lsn after --to-lsn.
 * LSNs in every form `log --from-lsn` takes (printed hex, 0x…, decimal, dec:…, DBCC PAGE's (a:b:c)).
 */
export function compileRowSelection(o: RowSelectionOptions): RowSelection | null {
  const said: string[] = [];
  const transactions = o.transaction.length ? new Set(o.transaction.map((t) => normaliseTransactionId(t, '--transaction'))) : null;
  if (transactions) said.push(`--transaction ${[...transactions].join(',')}`);
  const sids = o.sid.length
    ? o.sid.map((s) => {
        const f = sidFilterForms(s);
        if (!f) throw new InputError('INPUT_BAD_OPTION', `--sid '${echoInput(s)}' is not a SID: give hex (0x0105000000…, any case, 0x optional) or the Windows form S-1-5-21-…`);
        return f;
      })
    : null;
  if (sids) said.push(`--sid ${sids.map((s) => s.text ?? s.hex).join(',')}`);
  const names = (flag: string, values: string[], fold: boolean): Set<string> | null => {
    if (!values.length) return null;
    for (const v of values) if (v.trim() === '') throw new InputError('INPUT_BAD_OPTION', `${flag} is empty: give a name`);
    said.push(`${flag} ${values.join(',')}`);
    return new Set(values.map((v) => (fold ? v.trim().toLowerCase() : v)));
  };
  const logins = names('--login', o.login, true);
  const dbUsers = names('--db-user', o.dbUser, true);
  const fromLsn = o.fromLsn !== undefined ? parseAnyLsn(o.fromLsn, '--from-lsn') : null;
  const toLsn = o.toLsn !== undefined ? parseAnyLsn(o.toLsn, '--to-lsn') : null;
  if (fromLsn && toLsn && compareLsn(fromLsn, toLsn) > 0) throw new InputError('INPUT_BAD_WINDOW', `--from-lsn ${echoInput(o.fromLsn!)} is after --to-lsn ${echoInput(o.toLsn!)}`);
  if (fromLsn) said.push(`--from-lsn ${o.fromLsn}`);
  if (toLsn) said.push(`--to-lsn ${o.toLsn}`);
  if (!said.length) return null;
  const typed = (values: string[]) => (values.length ? new Set(values.map((v) => v.trim())) : null);
  return { transactions, sids, logins, dbUsers, typedLogins: typed(o.login), typedDbUsers: typed(o.dbUser), fromLsn, toLsn, described: said.join(' ') };
}

/**
 * Whether `row` is one `sel` selects (logins and database users in any letter case): true only
 * when rowSelection says 'selected'. A row whose login, SID or database user is not known is not
 * selected by a flag that asks for it (rowSelection tells those rows apart).
 */
export function rowSelected(sel: RowSelection, row: RecoveredRow): boolean {
  return rowSelection(sel, row) === 'selected';
}

/** A field a row may lack that a selection flag compares. */
export type UnknownSelectionField = 'login' | 'SID' | 'database user';

/**
 * What `sel` makes of `row`: 'selected'; 'other' when a field the row has rules it out (another
 * transaction, SID, login, database user or LSN); or the fields the row lacks that a flag asks
 * for, when no known field rules it out: an offline row has no login; a transaction whose begin
 * is not in the log read has no SID; a SID no principal of the data file has (a sysadmin acting as
 * dbo, a member of a Windows group) has no database user. Such a row may be one the flag asks for:
 * it is not "of another person". The row's LSN is its printed form (`0000002a:000001f0:0003`); a
 * row whose LSN does not parse is 'other' to an LSN bound (none does: every source prints that form).
 */
export function rowSelection(sel: RowSelection, row: RecoveredRow): 'selected' | 'other' | UnknownSelectionField[] {
  if (sel.transactions && !sel.transactions.has(row.transactionId.toLowerCase())) return 'other';
  if (sel.fromLsn || sel.toLsn) {
    let l: Lsn;
    try {
      l = parseLsn(row.lsn);
    } catch {
      return 'other';
    }
    if (sel.fromLsn && compareLsn(l, sel.fromLsn) < 0) return 'other';
    if (sel.toLsn && compareLsn(l, sel.toLsn) > 0) return 'other';
  }
  const unknown: UnknownSelectionField[] = [];
  if (sel.sids) {
    const hex = row.sid ? '0x' + row.sid.replace(/^0x/i, '').toUpperCase() : null;
    if (hex === null && !row.sidText) unknown.push('SID');
    else if (!sel.sids.some((s) => (hex !== null && s.hex === hex) || (s.text !== null && row.sidText === s.text))) return 'other';
  }
  if (sel.logins) {
    if (row.login === null || row.login === undefined) unknown.push('login');
    else if (!sel.logins.has(row.login.toLowerCase())) return 'other';
  }
  if (sel.dbUsers) {
    if (row.dbUser === undefined || row.dbUser === null) unknown.push('database user');
    else if (!sel.dbUsers.has(row.dbUser.toLowerCase())) return 'other';
  }
  return unknown.length ? unknown : 'selected';
}

/**
 * The names of a selected row that matched `--login` / `--db-user` only in another letter case
 * (`login 'Bob'` for `--login bob`): under a case-sensitive collation those are two principals, so
 * the rows may be another person's. Empty when every name matched as typed.
 */
export function caseOnlyMatches(sel: RowSelection, row: RecoveredRow): string[] {
  const out: string[] = [];
  if (sel.typedLogins && row.login && !sel.typedLogins.has(row.login)) out.push(`login '${row.login}'`);
  if (sel.typedDbUsers && row.dbUser && !sel.typedDbUsers.has(row.dbUser)) out.push(`database user '${row.dbUser}'`);
  return out;
}
