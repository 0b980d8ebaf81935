import { describe, expect, it } from 'vitest';
import { LiveSource } from '../../../src/recover/sources/live.js';
import { scanSql } from '../../../src/logreader/live/sql.js';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';
import type { Row } from '../../../src/logreader/live/stream.js';
import type { ScanFilter } from '../../../src/recover/source.js';
import { CustomersScanRunner, customersDeleteRow } from '../../support/fake-live-customers.js';

/**
 * fn_dblog prints [Current LSN] as fixed-width lower-case hex (0000002a:000001aa:0002), whose BINARY
 * order is LSN order. Ordered in a Windows collation it is not: Danish_Norwegian_CI_AS sorts the
 * letter pair "aa" as "å", after "z" (ORDER BY … COLLATE Danish_Norwegian_CI_AS puts 'Aa' after 'Za':
 * dbfriend.blogspot.com, "Collation, Danish_Norwegian Vs Latin1_General", 2009, SQL Server 2005 SP3
 * and 2008 SP1; Michael Kaplan, "The disunification of Norwegian and Danish sorting", 2006), so
 * 0000002a:000001aa:0002 came after 0000002a:000001b0:0001. The committed filter reads the log in
 * LSN order: a commit handed over before its transaction's delete left the delete "never committed",
 * dropped with 0 rows and exit 0.
 */

/** SYNTHETIC: one committed transaction deleting a row of dbo.Customers, its LSNs chosen to hold "aa". */
function txn(): Row[] {
  const lsns = ['0000002a:000001a9:0001', '0000002a:000001aa:0002', '0000002a:000001b0:0001'];
  return ['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT'].map((op, i) => ({ ...customersDeleteRow(i + 1, op), 'Current LSN': lsns[i] }));
}


async function scan(rows: Row[]): Promise<{ rows: number; error: string | null }> {
  const src = new LiveSource({ database: 'CRM', runner: new CustomersScanRunner(rows) });
  let n = 0;
  try {
    for await (const _ of src.candidates({ operations: ['delete'] } as ScanFilter)) n++;
    return { rows: n, error: null };
  } catch (e) {
    return { rows: n, error: `${(e as { code?: string }).code}: ${(e as Error).message}` };
  }
}

describe('a live scan reads the server\'s rows in LSN order or refuses them', () => {
  it.each([
    ['in LSN order', [0, 1, 2], 1, null],
    // the order Danish_Norwegian_CI_AS gives: "aa" after "b0"
    ['the commit before its delete (a collation ordering "aa" as "å")', [0, 2, 1], 0, /SOURCE_QUERY: .*0000002a:000001aa:0002.*after.*0000002a:000001b0:0001.*LSN order/s],
    ['a record twice', [0, 1, 1, 2], 0, /SOURCE_QUERY: .*0000002a:000001aa:0002.*twice/s],
  ] as const)('%s', async (_, order, rows, error) => {
    const all = txn();
    const r = await scan(order.map((i) => all[i]!));
    expect(r.rows).toBe(rows);
    if (error === null) expect(r.error).toBeNull();
    else expect(r.error).toMatch(error);
  });
});

describe('the shipped queries order LSNs in a binary collation', () => {
  it('scanSql: ORDER BY [Current LSN] COLLATE Latin1_General_BIN2, in the query and in the OVER clause naming each transaction\'s first record', () => {
    const s = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [] }).text;
    expect(s).toContain('ORDER BY x.[Current LSN] COLLATE Latin1_General_BIN2;');
    // the first record of each transaction, for its left-out count, is the first in LSN order too
    expect(s).toContain('ROW_NUMBER() OVER (PARTITION BY x.[Transaction ID] ORDER BY x.[Current LSN] COLLATE Latin1_General_BIN2, x.[log_input]) AS [xact_first]');
    expect(s).not.toMatch(/ORDER BY x\.\[Current LSN\](?! COLLATE Latin1_General_BIN2)/);
  });

  it('sql/export-log-records.sql: every ORDER BY of [Current LSN] (JSON and CSV records) is binary', () => {
    const text = readShippedSql('export-log-records.sql');
    const orders = [...text.matchAll(/ORDER BY r\.\[Current LSN\]( COLLATE Latin1_General_BIN2)?/g)];
    expect(orders.length).toBe(2);
    for (const m of orders) expect(m[1]).toBe(' COLLATE Latin1_General_BIN2');
  });
});
