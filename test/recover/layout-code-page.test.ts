/**
 * A --ddl/--schema layout over a data file is compared with the data file's catalog, and each
 * difference is said on every row. The code page of char/varchar/text columns was not compared: a
 * CREATE TABLE script saved by SSMS leaves COLLATE out where it is the database's default, so over
 * a Turkish_CI_AS (1254) or Cyrillic (1251) database the script's varchar columns were read as
 * code page 1252 (the assumed default) while the data file's catalog said otherwise: 'Şükrü' printed
 * as 'Þükrü', 'Иван' as 'Èâàí', each row with no warning (a note on stderr said 1252 was
 * assumed; the data file, given, knew better) (breaker). SYNTHETIC layouts for the unit, and the
 * AngularJs_CRUD corpus (SQL_Latin1_General_CP1_CI_AS, 1252) with a script declaring a Cyrillic
 * COLLATE, for the rows.
 */
import { describe, expect, it } from 'vitest';
import { layoutDifferences, withMetadata } from '../../src/recover/metadata-override.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describe('layoutDifferences compares the code page of char/varchar/text columns', () => {
  const turkish = layoutsFromDdl('CREATE TABLE dbo.Musteri (Id int NOT NULL, Ad varchar(50) COLLATE Turkish_CI_AS, Not_ nvarchar(50) COLLATE Turkish_CI_AS)')[0]!;
  it('a script without COLLATE (read as 1252) over a Turkish_CI_AS column: named', () => {
    const script = layoutsFromDdl('CREATE TABLE dbo.Musteri (Id int NOT NULL, Ad varchar(50), Not_ nvarchar(50))')[0]!;
    expect(layoutDifferences(script, turkish)).toEqual(["Ad code page 1252 (SQL_Latin1_General_CP1_CI_AS) vs the data file's 1254 (Turkish_CI_AS)"]);
  });
  it('another collation of the same code page, or a Unicode column: nothing to say', () => {
    const same = layoutsFromDdl('CREATE TABLE dbo.Musteri (Id int NOT NULL, Ad varchar(50) COLLATE Turkish_CS_AS, Not_ nvarchar(50) COLLATE Latin1_General_CI_AS)')[0]!;
    expect(layoutDifferences(same, turkish)).toEqual([]);
  });
});

describeCorpus('a layout of another code page than the data file\'s is never used silently', () => {
  it('every row names it (AngularJs dbo.Employee, 1252, given as Cyrillic_General_CI_AS)', async () => {
    const { openFileSource } = await import('../../src/recover/sources/files.js');
    const { recoverRows } = await import('../../src/recover/recover-rows.js');
    const C = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
    const ddl = layoutsFromDdl('CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(max), Emp_City varchar(max), Emp_Age int)', { defaultCollation: 'Cyrillic_General_CI_AS' });
    const src = withMetadata(openFileSource({ mdf: C('Database1.mdf'), ldf: C('Database1_log.ldf') }), ddl);
    const warnings: string[][] = [];
    for await (const ev of recoverRows(src, { operations: ['delete'], tables: ['dbo.Employee'] })) if (ev.kind === 'row') warnings.push(ev.row.warnings);
    await src.close();
    expect(warnings.length).toBe(3);
    for (const w of warnings) expect(w.join('\n')).toContain("differs from the data file's catalog for dbo.Employee: Emp_Name code page 1251 (Cyrillic_General_CI_AS) vs the data file's 1252 (SQL_Latin1_General_CP1_CI_AS)");
  });
});
