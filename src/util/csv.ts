/**
 * CSV cells for spreadsheets. A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is read by Excel, LibreOffice and Google Sheets as a formula, so a recovered value such
 * as `=HYPERLINK(…)` or `@SUM(…)` would run when a reviewer opens the export (CSV injection).
 * Following OWASP's "CSV Injection" guidance such a cell is prefixed with a single quote, which
 * spreadsheets show as text; plain numbers (`-12.50`, `+3`, `-1e5`) are left alone since they
 * cannot be formulas. `raw` output (CLI `--csv-raw`, API `csvRaw=true`) writes cells unchanged
 * for programs that read the CSV as data. Quoting of commas, quotes and line breaks is
 * csv-stringify's.
 */
import { stringify } from 'csv-stringify/sync';
import type { SqlValue } from '../reconstruct/values.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The text of one cell, neutralised for spreadsheets unless `raw`. */
export function spreadsheetSafe(text: string, raw = false): string {
  if (raw || !FORMULA_START.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** A value as CSV cell text: NULL is empty, objects (binary, off-row markers, variants) are JSON. */
export function csvCell(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One CSV record (line ending included), every cell through `spreadsheetSafe`. */
export function csvRecord(cells: Array<string | number | null | undefined>, raw = false): string {
  return stringify([cells.map((c) => (c === null || c === undefined ? '' : spreadsheetSafe(String(c), raw)))]);
}
