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
