import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';

/**
 * `rowback decode --table` of tables whose names hold a dot. A script creating dbo.[Order.Items]
 * and [dbo.Order].Items was refused as one table created twice (the DDL keyed tables by
 * `schema.name` text, `dbo.order.items` for both); and --table split its text at every dot
 * (`[dbo].[Order.Items]` read as `dbo.[Order.Items]`'s brackets stripped part by part). Now a
 * bracketed --table names its parts, plain `dbo.Order.Items` naming two tables is refused in one
 * line naming both in brackets, and plain names work as before. SYNTHETIC script and row image
 * (test/support/synthetic-encoder.ts).
 */
const DDL = `CREATE TABLE dbo.[Order.Items] (Id INT, Name NVARCHAR(50));
CREATE TABLE [dbo.Order].Items (Id INT, Qty INT, Price INT);
CREATE TABLE dbo.Customers (Id INT, Name NVARCHAR(50));`;

let dir: string;
const cli = captureCli();
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-decode-dotted-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('rowback decode --table of a table whose name holds a dot (SYNTHETIC)', () => {
  it('the bracketed forms name their parts; plain dotted text of two tables is refused naming both; plain names as before', async () => {
    const ddl = join(dir, 't.sql');
    writeFileSync(ddl, DDL);
    const layout = layoutsFromDdl('CREATE TABLE dbo.x (Id INT, Name NVARCHAR(50))')[0]!;
    const hex = `0x${Buffer.from(encodeFixedVar(layout, { Id: 1, Name: 'hi' })).toString('hex')}`;
    for (const t of ['[dbo].[Order.Items]', 'dbo.[Order.Items]', '"dbo"."Order.Items"']) {
      const r = await cli('decode', '--ddl', ddl, '--table', t, '--hex', hex);
      expect(r.code, `${t}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ table: '[dbo].[Order.Items]', values: { Id: 1, Name: 'hi' } });
    }
    const amb = await cli('decode', '--ddl', ddl, '--table', 'dbo.Order.Items', '--hex', hex);
    expectOneLineError(amb, 'INPUT_AMBIGUOUS_NAME');
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain('[dbo].[Order.Items] and [dbo.Order].[Items]: give the one meant in brackets');
    for (const t of ['dbo.Customers', 'Customers', 'dbo.customers']) {
      const r = await cli('decode', '--ddl', ddl, '--table', t, '--hex', hex);
      expect(r.code, `${t}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.Customers', values: { Id: 1, Name: 'hi' } });
    }
  });
});
