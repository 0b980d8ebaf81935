/**
 * Foreign keys read from a backup's catalog (syssingleobjrefs classes 27/28/29 with sysschobjs type
 * 'F ': src/datafile/foreign-keys.ts), compared with the public scripts that created the databases.
 *
 * Truth:
 * - TSQLV4.bak: Itzik Ben-Gan's TSQLV4 sample database creation script (TSQLV4.sql, from the book
 *   "T-SQL Fundamentals", 3rd ed.; itziktsql.com / tsql.solidq.com SampleDatabases/TSQLV4.zip). It
 *   declares: HR.Employees FK_Employees_Employees (mgrid) → HR.Employees (empid);
 *   Production.Products FK_Products_Categories (categoryid) → Production.Categories (categoryid),
 *   FK_Products_Suppliers (supplierid) → Production.Suppliers (supplierid); Sales.Orders
 *   FK_Orders_Customers (custid) → Sales.Customers, FK_Orders_Employees (empid) → HR.Employees,
 *   FK_Orders_Shippers (shipperid) → Sales.Shippers; Sales.OrderDetails FK_OrderDetails_Orders
 *   (orderid) → Sales.Orders, FK_OrderDetails_Products (productid) → Production.Products; Stats.Scores
 *   FK_Scores_Tests (testid) → Stats.Tests.
 * - pubs.bak: Microsoft's instpubs.sql (github.com/microsoft/sql-server-samples, samples/databases/
 *   northwind-pubs/instpubs.sql): its REFERENCES clauses (system-named constraints FK__…); the
 *   backup's dbo.bookstock (not in the script, added by the backup's author) has two more.
 * - NORTHWND.MDF (SQL Server 2008, 655): the corpus's own northwind-script/instnwnd.sql, its thirteen
 *   `CONSTRAINT x FOREIGN KEY (c) REFERENCES t (c)` clauses parsed from the script here.
 * - aspnetdb.mdf (SQL Server 2005, 611: the catalog read through syshobtcolumns): aspnet_regsql's
 *   InstallCommon.sql / InstallMembership.sql / InstallProfile.sql / InstallRoles.sql REFERENCES
 *   clauses (system-named constraints).
 * Before syssingleobjrefs was read, no layout had foreignKeys.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

function fksOf(file: string): string[] {
  const md = readDataFileMetadata(file.endsWith('.bak') ? openBackupPageSource(corpusPath(file)) : new MdfPageSource(corpusPath(file)));
  return md.tables.flatMap((t) => (t.foreignKeys ?? []).map((k) => `${t.schema}.${t.name}(${k.columns.join(',')}) -> ${k.referencedSchema}.${k.referencedTable}(${k.referencedColumns.join(',')}) ${k.name}`));
}

describeCorpus('foreign keys from the catalog of a backup', () => {
  it('TSQLV4.bak (SQL Server 2016, compressed backup): the script\'s nine foreign keys, on the referencing tables\' layouts', () => {
    expect(fksOf('TSQLV4-compressed/TSQLV4.bak').sort()).toEqual([
      'HR.Employees(mgrid) -> HR.Employees(empid) FK_Employees_Employees',
      'Production.Products(categoryid) -> Production.Categories(categoryid) FK_Products_Categories',
      'Production.Products(supplierid) -> Production.Suppliers(supplierid) FK_Products_Suppliers',
      'Sales.OrderDetails(orderid) -> Sales.Orders(orderid) FK_OrderDetails_Orders',
      'Sales.OrderDetails(productid) -> Production.Products(productid) FK_OrderDetails_Products',
      'Sales.Orders(custid) -> Sales.Customers(custid) FK_Orders_Customers',
      'Sales.Orders(empid) -> HR.Employees(empid) FK_Orders_Employees',
      'Sales.Orders(shipperid) -> Sales.Shippers(shipperid) FK_Orders_Shippers',
      'Stats.Scores(testid) -> Stats.Tests(testid) FK_Scores_Tests',
    ].sort());
  });

  it('pubs.bak (SQL Server 2012): instpubs.sql\'s REFERENCES clauses, and the two of the added dbo.bookstock', () => {
    const got = fksOf('pubs-2012/pubs.bak').map((s) => s.replace(/ FK__\S+$/, ''));
    expect(got.sort()).toEqual([
      'dbo.discounts(stor_id) -> dbo.stores(stor_id)',
      'dbo.employee(job_id) -> dbo.jobs(job_id)',
      'dbo.employee(pub_id) -> dbo.publishers(pub_id)',
      'dbo.pub_info(pub_id) -> dbo.publishers(pub_id)',
      'dbo.roysched(title_id) -> dbo.titles(title_id)',
      'dbo.sales(stor_id) -> dbo.stores(stor_id)',
      'dbo.sales(title_id) -> dbo.titles(title_id)',
      'dbo.titleauthor(au_id) -> dbo.authors(au_id)',
      'dbo.titleauthor(title_id) -> dbo.titles(title_id)',
      'dbo.titles(pub_id) -> dbo.publishers(pub_id)',
      'dbo.bookstock(store_id) -> dbo.stores(stor_id) FK_book_stock_store',
      'dbo.bookstock(title_id) -> dbo.titles(title_id) FK_book_stock_title',
    ].sort());
  });

  it('NORTHWND.MDF (2008): the thirteen foreign keys of instnwnd.sql, parsed from the script', () => {
    const script = readFileSync(corpusPath('northwind-script/instnwnd.sql'), 'latin1');
    const q = (n: string) => n.replace(/^["[]|["\]]$/g, '');
    const declared: string[] = [];
    // ALTER TABLE "dbo"."T" ADD CONSTRAINT … or CREATE TABLE "T" ( … CONSTRAINT …: the table is the
    // nearest CREATE/ALTER TABLE before the clause
    const re = /CONSTRAINT\s+(\S+)\s+FOREIGN KEY\s*\(\s*(\S+?)\s*\)\s*REFERENCES\s+(\S+)\s*\(\s*(\S+?)\s*\)/g;
    for (const m of script.matchAll(re)) {
      const before = script.slice(0, m.index);
      const t = [...before.matchAll(/(?:CREATE|ALTER) TABLE\s+((?:\S+\.)?"[^"]+"|(?:\S+\.)?\[[^\]]+\]|\w+)/g)].pop()![1]!;
      const table = q(t.split('.').pop()!);
      const ref = q(m[3]!.split('.').pop()!);
      declared.push(`dbo.${table}(${q(m[2]!)}) -> dbo.${ref}(${q(m[4]!)}) ${q(m[1]!)}`);
    }
    expect(declared).toHaveLength(13);
    expect(fksOf('SessionShoppingCart/App_Data/NORTHWND.MDF').sort()).toEqual(declared.sort());
  });

  it('aspnetdb.mdf (2005): aspnet_regsql\'s REFERENCES clauses', () => {
    expect(fksOf('Tractis_aspnet_demo/App_Data/aspnetdb.mdf').map((s) => s.replace(/ FK__\S+$/, '')).sort()).toEqual([
      'dbo.aspnet_Membership(ApplicationId) -> dbo.aspnet_Applications(ApplicationId)',
      'dbo.aspnet_Membership(UserId) -> dbo.aspnet_Users(UserId)',
      'dbo.aspnet_Profile(UserId) -> dbo.aspnet_Users(UserId)',
      'dbo.aspnet_Roles(ApplicationId) -> dbo.aspnet_Applications(ApplicationId)',
      'dbo.aspnet_Users(ApplicationId) -> dbo.aspnet_Applications(ApplicationId)',
      'dbo.aspnet_UsersInRoles(RoleId) -> dbo.aspnet_Roles(RoleId)',
      'dbo.aspnet_UsersInRoles(UserId) -> dbo.aspnet_Users(UserId)',
    ]);
  });
});
