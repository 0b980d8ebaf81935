import { afterEach, expect, it } from 'vitest';
import { sayWarnedRows, warnedRowsLine } from '../../src/cli/warned-rows.js';

/** The warned-rows line shared by scan, dump and the point-in-time dump: its words and its exit code. */
afterEach(() => {
  process.exitCode = undefined;
});

it.each([
  // [warned, rows, format, line]
  [0, 5, 'ndjson', ''],
  [1, 5, 'ndjson', 'rowback dump: 1 of the 5 row(s) carry warnings (each in its "warnings"): a value may be wrong or missing there; read them before re-inserting those rows'],
  [2, 2, 'json', 'rowback dump: 2 of the 2 row(s) carry warnings (each in its "warnings"): a value may be wrong or missing there; read them before re-inserting those rows'],
  [3, 9, 'csv', 'rowback dump: 3 of the 9 row(s) carry warnings (each in its "warnings" column): a value may be wrong or missing there; read them before re-inserting those rows'],
] as const)('%i of %i rows, %s: %j', (warned, rows, format, line) => {
  expect(warnedRowsLine('dump', warned, rows, format)).toBe(line);
});

it('sayWarnedRows: exit 3 under --strict only when rows carry warnings; never lowers a code already set', () => {
  const said: string[] = [];
  const stderr = { write: (s: string) => said.push(s) };
  sayWarnedRows(stderr, 'scan', 0, 4, { strict: true });
  expect(said).toEqual([]);
  expect(process.exitCode).toBeUndefined();
  sayWarnedRows(stderr, 'scan', 1, 4, {});
  expect(said).toHaveLength(1);
  expect(process.exitCode).toBeUndefined();
  sayWarnedRows(stderr, 'scan', 1, 4, { strict: true });
  expect(process.exitCode).toBe(3);
  process.exitCode = 130;
  sayWarnedRows(stderr, 'scan', 1, 4, { strict: true });
  expect(process.exitCode).toBe(130);
});
