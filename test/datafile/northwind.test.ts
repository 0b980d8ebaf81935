import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata, type DataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows, type TableRow } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { visibleColumns, type ColumnLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { parseInserts, scriptDate, type ScriptValue } from './support/sql-inserts.js';

/**
 * NORTHWND.MDF (dbi_version 655, created on SQL Server 2000) against the values of
 * northwind-script/instnwnd.sql, value for value, for Customers (91), Employees (9, with ntext
 * Notes and image Photo read from LOB pages) and Orders (830).
 */
describeCorpus('NORTHWND.MDF table contents = instnwnd.sql', () => {
  let source: MdfPageSource;
  let md: DataFileMetadata;
  let script: string;

  beforeAll(() => {
    source = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    md = readDataFileMetadata(source);
    script = readFileSync(corpusPath('northwind-script', 'instnwnd.sql'), 'utf8');
  });

  /** The script literal in the form the decoder gives for `col`. */
  function expected(v: ScriptValue, col: ColumnLayout): SqlValue {
    switch (v.kind) {
      case 'null':
        return null;
      case 'binary':
        return `0x${v.hex}`;
      case 'number':
        return col.type === 'bit' ? v.text !== '0' : Number(v.text);
      case 'string':
        if (col.type === 'datetime' || col.type === 'smalldatetime') return scriptDate(v.value);
        // fixed-length types keep their padding on the page
        if (col.type === 'nchar') return v.value.padEnd(col.maxLength / 2);
        if (col.type === 'char') return v.value.padEnd(col.maxLength);
        return v.value;
    }
  }

  function actual(v: SqlValue, col: ColumnLayout): SqlValue {
    if (['money', 'smallmoney', 'decimal', 'numeric'].includes(col.type) && typeof v === 'string') return Number(v);
    return v;
  }

  function compare(table: string, key: string | string[], opts: { rows: number; scriptName?: string }) {
    const keys = Array.isArray(key) ? key : [key];
    const skipped: SkippedItem[] = [];
    const rows: TableRow[] = [...readTableRows(source, md, table, { skipped })];
    expect(skipped).toEqual([]);
    expect(rows).toHaveLength(opts.rows);
    const layout = md.tables.find((t) => `${t.schema}.${t.name}` === table)!;
    const cols = visibleColumns(layout).sort((a, b) => a.columnId - b.columnId);
    const inserts = parseInserts(script, opts.scriptName ?? table.split('.')[1]);
    expect(inserts).toHaveLength(opts.rows);
    const keyText = (vals: SqlValue[]) => JSON.stringify(vals.map((v) => (typeof v === 'string' ? v.trimEnd() : v)));
    const byKey = new Map(rows.map((r) => [keyText(keys.map((k) => r.values[k])), r]));
    const mismatches: string[] = [];
    let compared = 0;
    for (const ins of inserts) {
      const names = ins.columns ?? cols.map((c) => c.name);
      expect(names).toHaveLength(ins.values.length);
      const keyVals = keys.map((k) => expected(ins.values[names.indexOf(k)], cols.find((c) => c.name === k)!));
      const row = byKey.get(keyText(keyVals));
      expect(row, `row ${keyText(keyVals)} (script line ${ins.line})`).toBeDefined();
      names.forEach((n, i) => {
        const col = cols.find((c) => c.name === n)!;
        const exp = expected(ins.values[i], col);
        const act = actual(row!.values[n], col);
        compared++;
        if (JSON.stringify(exp) !== JSON.stringify(act)) mismatches.push(`${keys.join(',')}=${keyText(keyVals)} ${n}: script ${JSON.stringify(exp)?.slice(0, 80)} vs file ${JSON.stringify(act)?.slice(0, 80)}`);
      });
    }
    return { mismatches, compared, rows };
  }

  it('dbo.Customers: all 91 rows, every value', () => {
    const { mismatches, compared } = compare('dbo.Customers', 'CustomerID', { rows: 91 });
    expect(compared).toBe(91 * 11);
    expect(mismatches).toEqual([]);
  });

  it('dbo.Orders: all 830 rows, every value, in clustered-key order', () => {
    const { mismatches, compared, rows } = compare('dbo.Orders', 'OrderID', { rows: 830 });
    expect(compared).toBe(830 * 14);
    expect(mismatches).toEqual([]);
    const ids = rows.map((r) => r.values.OrderID as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it.each([
    ['dbo.Categories', ['CategoryID'], 8, 4],
    ['dbo.Products', ['ProductID'], 77, 10],
    ['dbo.Order Details', ['OrderID', 'ProductID'], 2155, 5],
    ['dbo.Suppliers', ['SupplierID'], 29, 12],
    ['dbo.Shippers', ['ShipperID'], 3, 3],
    ['dbo.Region', ['RegionID'], 4, 2],
    ['dbo.Territories', ['TerritoryID'], 53, 3],
    ['dbo.EmployeeTerritories', ['EmployeeID', 'TerritoryID'], 49, 2],
  ] as const)('%s: every row and value (image, ntext, money, real, bit, nchar padding)', (table, key, n, width) => {
    const { mismatches, compared } = compare(table, [...key], { rows: n });
    expect(compared).toBe(n * width);
    expect(mismatches).toEqual([]);
  });

  it('dbo.Employees: all 9 rows, including ntext Notes and image Photo from LOB pages', () => {
    const { mismatches, compared, rows } = compare('dbo.Employees', 'EmployeeID', { rows: 9 });
    expect(compared).toBe(9 * 18);
    // The one real difference between the script and the file: line breaks inside addresses. The
    // file holds CR LF ('507 - 20th Ave. E.\r\nApt. 2A'); the script has none or a bare LF there.
    expect(mismatches.filter((m) => !/ Address: /.test(m))).toEqual([]);
    expect(mismatches.length).toBeLessThanOrEqual(9);
    for (const m of mismatches) {
      const [, id] = /EmployeeID=\[(\d+)\]/.exec(m)!;
      const row = rows.find((r) => r.values.EmployeeID === Number(id))!;
      const script = parseInserts(readFileSync(corpusPath('northwind-script', 'instnwnd.sql'), 'utf8'), 'Employees').find(
        (i) => i.values[0].kind === 'number' && i.values[0].text === id,
      )!;
      const addr = script.values[7];
      expect(row.values.Address as string).toMatch(/\r\n/);
      expect((row.values.Address as string).replace(/[\r\n]/g, '')).toBe(addr.kind === 'string' ? addr.value.replace(/[\r\n]/g, '') : '');
    }
    const photo = rows[0].values.Photo as string;
    const notes = rows[0].values.Notes as string;
    expect(photo.length).toBeGreaterThan(2 * 20_000); // ~21 KB image in three LOB fragments
    expect(notes).toMatch(/^Education includes a BA in psychology/);
  });
});
