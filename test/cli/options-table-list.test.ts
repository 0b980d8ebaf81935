/**
 * `--table` values as commander collects them (cli/options.ts collectTables): the names normalised,
 * each once, and the texts as typed kept with the list (TableList `typed`), from which the commands
 * tell a name typed without its schema (tablesTypedWithoutSchema: the other-schemas note) and the
 * report's tableNames keys (tablesAsTyped). They were kept in a WeakMap keyed by the list.
 */
import { describe, expect, it } from 'vitest';
import { collectTables, tablesAsTyped, tablesTypedWithoutSchema } from '../../src/cli/options.js';

describe('collectTables keeps the texts typed with the list', () => {
  it('as commander calls it: each value with the list so far; the default list is not changed', () => {
    const start: string[] = [];
    const one = collectTables('Employees,[dbo].[a,b]', start);
    const two = collectTables('dbo.Employees, Employees ,HR.Employees', one);
    expect(start).toEqual([]);
    expect([...two]).toEqual(['dbo.Employees', 'dbo.a,b', 'HR.Employees']);
    expect(tablesAsTyped(two)).toEqual(['Employees', '[dbo].[a,b]', 'dbo.Employees', 'HR.Employees']);
    expect([...tablesTypedWithoutSchema(two)]).toEqual(['dbo.Employees']);
    expect([...tablesTypedWithoutSchema(one)]).toEqual(['dbo.Employees']);
  });

  it('the list reads as the names alone (JSON, equality); a list it did not build has no typed texts', () => {
    const list = collectTables('[Employees]', []);
    expect(JSON.stringify(list)).toBe('["dbo.Employees"]');
    expect(list).toEqual(['dbo.Employees']);
    expect([...tablesTypedWithoutSchema(list)]).toEqual(['dbo.Employees']);
    expect(tablesAsTyped(['dbo.Employees'])).toEqual([]);
    expect(tablesTypedWithoutSchema(['Employees']).size).toBe(0);
    expect(tablesTypedWithoutSchema('Employees').size).toBe(0);
    expect(tablesTypedWithoutSchema(undefined).size).toBe(0);
  });
});
