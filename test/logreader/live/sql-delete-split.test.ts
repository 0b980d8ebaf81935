/**
 * A page split is told by its LOP_DELETE_SPLIT (committed.ts pageMoveRowOps), not by its
 * transaction's name (a user's BEGIN TRAN SplitPage is named so too): the live scan and the export
 * script read it with inserts, whatever its AllocUnitId, or a live/export scan printed a
 * split's moved rows as inserts (its name no longer tells them).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { scanSql } from '../../../src/logreader/live/sql.js';

it('the live scan reads LOP_DELETE_SPLIT with inserts (not as a row operation), not without', () => {
  const ins = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['insert'], tables: [] }).text;
  // whatever its AllocUnitId (none in the .ldf reader's records of it)
  expect(ins).toContain("  WHERE l.[Operation] = N'LOP_BEGIN_XACT'\n     OR l.[Operation] = N'LOP_COMMIT_XACT'\n     OR l.[Operation] = N'LOP_ABORT_XACT'\n     OR l.[Operation] = N'LOP_DELETE_SPLIT'\n     OR (l.[Operation] IN (N'LOP_INSERT_ROWS', N'LOP_DELETE_ROWS')");
  expect(ins).toContain("WHERE (x.[Operation] IN (N'LOP_INSERT_ROWS', N'LOP_DELETE_ROWS', N'LOP_DELETE_SPLIT', N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT')");
  expect(ins).toContain("MAX(CASE WHEN x.[Operation] IN (N'LOP_INSERT_ROWS') THEN 1 ELSE 0 END)");
  const del = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [] }).text;
  expect(del).not.toContain('LOP_DELETE_SPLIT');
});

it('the export script exports LOP_DELETE_SPLIT when inserts are asked for', () => {
  const sql = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');
  expect(sql).toContain("DECLARE @splits bit = CASE WHEN EXISTS (SELECT 1 FROM @ops AS o WHERE o.[Operation] = N'LOP_INSERT_ROWS') THEN 1 ELSE 0 END;");
  expect(sql.split("OR (@splits = 1 AND l.[Operation] = N'LOP_DELETE_SPLIT')")).toHaveLength(3); // fn_dblog and fn_dump_dblog
});
