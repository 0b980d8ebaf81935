import { describe, expect, it } from 'vitest';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';

/**
 * sql/export-log-records.sql with @From or @To set to NULL: the header says window.from / window.to
 * null, which rowback reads as a window open on that side (export-file.ts requireExportWindow: "a
 * NULL value is the script's own, for a NULL @From/@To"). But the script compared [Begin Time] >=
 * @FromText, and a comparison with NULL is UNKNOWN (Microsoft Learn, "NULL and UNKNOWN (Transact-SQL)":
 * with ANSI_NULLS ON, as sqlcmd and SSMS connect), so NO transaction whose LOP_BEGIN_XACT was read
 * was exported — only those committed without it — and rowback printed an export of the whole log
 * as holding next to nothing, complete. No SQL Server here: the script's text is checked.
 */
describe('sql/export-log-records.sql: a NULL @From or @To is an open side of the window', () => {
  const text = readShippedSql('export-log-records.sql');

  it.each([
    ['@FromText', '>='],
    ['@ToText', '<='],
  ])('every comparison of [Begin Time] with %s is guarded by "IS NULL OR" (%s)', (param, op) => {
    const uses = [...text.matchAll(new RegExp(`\\[Begin Time\\] COLLATE Latin1_General_BIN2 ${op} ${param}`, 'g'))];
    expect(uses.length).toBeGreaterThan(0);
    for (const m of uses) {
      const before = text.slice(Math.max(0, m.index! - 80), m.index!);
      expect(before).toMatch(new RegExp(`\\(${param} IS NULL OR l\\.$`));
    }
  });

  it('the parameters say what NULL means', () => {
    expect(text).toMatch(/DECLARE @From .*NULL = from the start of the log read/);
    expect(text).toMatch(/DECLARE @To .*NULL = to its end/);
  });
});

/**
 * fn_dblog's text columns are compared with the script's table variables (@ops: the operations asked
 * for), whose columns take the database's default collation. Which collation fn_dblog's columns
 * carry is not documented; if it is not the database's, an implicit comparison of the two fails with
 * Msg 468 ("Cannot resolve the collation conflict") and no export can be made from that database.
 * Both sides are given one collation explicitly (Latin1_General_BIN2: the operation names are ASCII).
 */
describe('sql/export-log-records.sql compares fn_dblog columns with its table variables in one explicit collation', () => {
  const text = readShippedSql('export-log-records.sql');
  it('every l.[Operation] IN (SELECT … FROM @ops …) names the collation on both sides', () => {
    const uses = [...text.matchAll(/l\.\[Operation\][^\n]*IN \(SELECT[^\n]*FROM @ops[^\n]*\)/g)].map((m) => m[0]);
    expect(uses).toHaveLength(2); // fn_dblog and fn_dump_dblog
    for (const u of uses) expect(u).toBe('l.[Operation] COLLATE Latin1_General_BIN2 IN (SELECT o.[Operation] COLLATE Latin1_General_BIN2 FROM @ops AS o)');
  });
});
