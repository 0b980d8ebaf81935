/**
 * A page split is told by its LOP_DELETE_SPLIT (committed.ts pageMoveRowOps), not by its
 * transaction's name (a user's BEGIN TRAN SplitPage is named so too): the live scan and the export
 * script read it with inserts, on the table's own allocation units, or a live/export scan printed a
 * split's moved rows as inserts (its name no longer tells them).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { scanSql } from '../../../src/logreader/live/sql.js';

it('the live scan reads LOP_DELETE_SPLIT with inserts (not as a row operation), not without', () => {
  const ins = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['insert'], tables: [] }).text;
  expect(ins).toContain("OR (l.[Operation] IN (N'LOP_INSERT_ROWS', N'LOP_DELETE_ROWS', N'LOP_DELETE_SPLIT')");
  expect(ins).toContain("WHERE x.[Operation] IN (N'LOP_INSERT_ROWS', N'LOP_DELETE_ROWS', N'LOP_DELETE_SPLIT', N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT')");
  expect(ins).toContain("MAX(CASE WHEN x.[Operation] IN (N'LOP_INSERT_ROWS') THEN 1 ELSE 0 END)");
  const del = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [] }).text;
  expect(del).not.toContain('LOP_DELETE_SPLIT');
});

it('the export script exports LOP_DELETE_SPLIT when inserts are asked for', () => {
  const sql = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');
  expect(sql).toMatch(/INSERT @ops \(\[Operation\]\)\nSELECT N'LOP_DELETE_SPLIT'\nWHERE EXISTS \(SELECT 1 FROM @ops AS o WHERE o\.\[Operation\] = N'LOP_INSERT_ROWS'\);/);
});
