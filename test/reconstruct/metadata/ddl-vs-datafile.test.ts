import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MdfPageSource } from '../../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../../src/datafile/metadata.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { ColumnLayout, TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

/**
 * The DDL path against SQL Server's own answer: the Northwind script (northwind-script/instnwnd.sql)
 * through layoutsFromDdl must give, column for column, the physical layout the real NORTHWND.MDF
 * records in its system base tables (sysrscols/syscolpars, read by src/datafile) — leaf offsets,
 * null bits, bit positions, types, lengths, collations, nullability, identity, clustering keys.
 */

function shape(c: ColumnLayout): unknown[] {
  return [
    c.name, c.partitionColumnId, c.columnId, c.type, c.maxLength, c.precision, c.scale, c.collation, c.codePage,
    c.nullable, c.identity, c.computed, c.keyOrdinal ?? 0, c.isUniquifier, c.isDropped, c.isSparse,
    c.leafOffset, c.leafNullBit, c.leafBitPosition,
  ];
}

describeCorpus('DDL layout = the data file\'s catalog (instnwnd.sql vs NORTHWND.MDF)', () => {
  let fromFile: TableLayout[] = [];
  let fromDdl: TableLayout[] = [];
  let src: MdfPageSource | undefined;

  beforeAll(() => {
    src = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    fromFile = readDataFileMetadata(src).tables;
    // The script is Windows-1252 text; only ASCII matters to the grammar.
    fromDdl = layoutsFromDdl(readFileSync(corpusPath('northwind-script', 'instnwnd.sql'), 'latin1'));
  });
  afterAll(() => src?.close());

  it('the script creates exactly the data file\'s 13 user tables', () => {
    const names = (ts: TableLayout[]) => ts.map((t) => `${t.schema}.${t.name}`).sort();
    expect(names(fromDdl)).toEqual(names(fromFile));
    expect(fromFile).toHaveLength(13);
  });

  it('every table: heap/clustered and compression agree', () => {
    for (const f of fromFile) {
      const d = fromDdl.find((t) => t.schema === f.schema && t.name === f.name)!;
      expect([d.indexId, d.compression], `${f.schema}.${f.name}`).toEqual([f.indexId, f.compression]);
    }
  });

  it('every column of every table: the same physical layout', () => {
    let columns = 0;
    for (const f of fromFile) {
      const d = fromDdl.find((t) => t.schema === f.schema && t.name === f.name)!;
      expect(d.columns.map(shape), `${f.schema}.${f.name}`).toEqual(f.columns.map(shape));
      columns += f.columns.length;
    }
    // bit (Products.Discontinued), ntext/image (Employees, Categories), money, identity, composite keys
    expect(columns).toBeGreaterThan(80);
  });
});

/**
 * Smaller real databases: CREATE TABLE statements written from each table's logical definition
 * (column order, types, primary key — what a schema script would say) must land every column at
 * the leaf offset / null bit SQL Server gave it. Tables whose history (drops, designer rebuilds)
 * moved columns are left to the catalog path and not listed here.
 */
const SMALL: { file: string[]; table: string; ddl: string }[] = [
  {
    file: ['sql-practice-asp', 'App_Data', 'School.mdf'], table: 'dbo.Classes',
    ddl: `CREATE TABLE Classes (eid char(4) NOT NULL, sid char(4) NOT NULL, c_no char(5) NOT NULL, time datetime, room varchar(8), grade float,
      PRIMARY KEY (eid, sid, c_no))`,
  },
  {
    file: ['sql-practice-asp', 'App_Data', 'School.mdf'], table: 'dbo.Courses',
    ddl: 'CREATE TABLE Courses (c_no char(5) NOT NULL PRIMARY KEY, title varchar(30) COLLATE Chinese_Taiwan_Stroke_CI_AS NOT NULL, credits int)',
  },
  {
    file: ['sql-practice-asp', 'App_Data', 'School.mdf'], table: 'dbo.Instructors',
    ddl: `CREATE TABLE Instructors (eid char(4) NOT NULL PRIMARY KEY, name varchar(12) COLLATE Chinese_Taiwan_Stroke_CI_AS NOT NULL,
      rank varchar(10) COLLATE Chinese_Taiwan_Stroke_CI_AS, department varchar(5))`,
  },
  {
    file: ['AngularJs_CRUD', 'App_Data', 'Database1.mdf'], table: 'dbo.Employee',
    ddl: 'CREATE TABLE [dbo].[Employee] ([Emp_Id] INT IDENTITY (1, 1) NOT NULL, [Emp_Name] VARCHAR (MAX) NULL, [Emp_City] VARCHAR (MAX) NULL, [Emp_Age] INT NULL, PRIMARY KEY CLUSTERED ([Emp_Id] ASC))',
  },
  {
    file: ['AngularJs_CRUD', 'App_Data', 'Database1.mdf'], table: 'dbo.tblDept',
    ddl: 'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL)',
  },
  {
    file: ['CRUD-.NET', 'App_Data', 'Database2.mdf'], table: 'dbo.Product_mstr',
    ddl: 'CREATE TABLE [dbo].[Product_mstr] ([pid] INT IDENTITY (1, 1) NOT NULL, [pname] NVARCHAR (50) NULL, [pdesc] NVARCHAR (50) NULL, [pimage] TEXT NULL, [pprice] INT NULL, CONSTRAINT [PK_Product_mstr] PRIMARY KEY CLUSTERED ([pid] ASC))',
  },
];

describeCorpus('DDL layout = the data file\'s catalog (School, Database1, Database2)', () => {
  for (const c of SMALL) {
    it(`${c.file.join('/')} ${c.table}`, () => {
      const src = new MdfPageSource(corpusPath(...c.file));
      try {
        const f = readDataFileMetadata(src).tables.find((t) => `${t.schema}.${t.name}` === c.table)!;
        const [d] = layoutsFromDdl(c.ddl);
        expect(d!.indexId).toBe(f.indexId);
        expect(d!.columns.map(shape)).toEqual(f.columns.map(shape));
      } finally {
        src.close();
      }
    });
  }
});
