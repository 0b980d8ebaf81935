import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

/**
 * `scan --ddl`: char/varchar/text columns without COLLATE take the database's default collation,
 * which a script does not carry (SSMS scripts omit COLLATE when it is the database's). scan had no
 * way to give it: a Cyrillic database's text came out in code page 1252 (АБВ as ÀÁÂ) without a word.
 * `--collation` gives it (as `decode --collation` does), and without it scan says which collation
 * it assumed. SYNTHETIC .ldf: every row's Name is the bytes C0 C1 C2 (АБВ in code page 1251).
 */
const AU = '72057594043367424';
const layout = {
  ...buildLayout('Person', [{ name: 'Id', type: 'int' }, { name: 'Name', type: 'varchar', maxLength: 20, collation: 'Cyrillic_General_CI_AS' }]),
  allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }],
};
let dir: string;
let ldf: string;
let ddl: string;
const cli = captureCli();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-collation-'));
  ldf = join(dir, 'people_log.ldf');
  ddl = join(dir, 'person.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Person (Id int NULL, Name varchar(20) NULL);\n');
  writeSyntheticLdf(ldf, { targetBytes: 1024 * 1024, row: (t, r) => encodeRow(layout, { Id: t * 100 + r, Name: 'АБВ' }), rollbackShare: 0, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 512 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --ddl --collation', () => {
  it('reads char/varchar/text columns without COLLATE in the code page of the collation given', async () => {
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, '--collation', 'Cyrillic_General_CI_AS');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { values: { Name: string } });
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((x) => x.values.Name))).toEqual(new Set(['АБВ']));
    expect(r.stderr).not.toContain('assumed');
  });

  it('without --collation, says the collation it assumed for those columns and how to give another', async () => {
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("rowback scan: note: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Person.Name) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database's default collation; if it is another, give it with --collation");
  });

  it('a column or table whose name is no regular identifier is named in brackets, as T-SQL writes it (it read dbo.Per son.x]y z)', async () => {
    const odd = join(dir, 'person-odd.sql');
    writeFileSync(odd, 'CREATE TABLE dbo.[Per son] (Id int NULL, [x]]y z] varchar(20) NULL);\n');
    const r = await cli('scan', '--ldf', ldf, '--ddl', odd, '--alloc-unit', AU);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rowback scan: note: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.[Per son].[x]]y z]) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252)');
  });

  it('an ALTER COLUMN without COLLATE on a column given the assumed default explicitly: scanned, the column named in the note (it was refused naming Latin1_General_BIN2, a collation the user never gave)', async () => {
    const altered = join(dir, 'person-altered.sql');
    writeFileSync(altered, 'CREATE TABLE dbo.Person (Id int NULL, Name varchar(10) COLLATE SQL_Latin1_General_CP1_CI_AS NULL);\nALTER TABLE dbo.Person ALTER COLUMN Name varchar(20) NULL;\n');
    const r = await cli('scan', '--ldf', ldf, '--ddl', altered, '--alloc-unit', AU);
    expect(r.stderr).not.toContain('Latin1_General_BIN2');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(10);
    expect(r.stderr).toContain('rowback scan: note: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Person.Name) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database');
  });

  it('--collation without --ddl is refused', async () => {
    const r = await cli('scan', '--ldf', ldf, '--collation', 'Cyrillic_General_CI_AS');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--collation is for --ddl');
  });
});
