/**
 * The 10-column CRM contact table the scan benches write SYNTHETIC logs of (synthetic-scan and
 * memory): its layout with one in-row allocation unit, the same table as DDL for the CLI (the
 * synthetic encoder makes every column nullable), and 1,000 row images to cycle through.
 */
import { buildLayout, encodeRow } from '../../test/support/synthetic-encoder.js';

/** In-row AllocUnitId of the table, as the log prints it. */
export const CONTACT_ALLOC_UNIT = '72057594043367424';

export const contactLayout = { ...buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Company', type: 'varchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Phone', type: 'varchar', maxLength: 20 },
  { name: 'City', type: 'nvarchar', maxLength: 60, collation: 'Chinese_PRC_CI_AS' },
  { name: 'CreatedAt', type: 'datetime2', scale: 7 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 },
  { name: 'IsActive', type: 'bit' },
  { name: 'Score', type: 'int' },
]), allocUnits: [{ allocUnitId: CONTACT_ALLOC_UNIT, type: 'IN_ROW_DATA' as const }] };

export const CONTACT_DDL = `CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) COLLATE Chinese_PRC_CI_AS NULL,
  Company varchar(100) COLLATE Chinese_PRC_CI_AS NULL, Email varchar(100) NULL, Phone varchar(20) NULL,
  City nvarchar(60) COLLATE Chinese_PRC_CI_AS NULL, CreatedAt datetime2(7) NULL, Balance decimal(18,2) NULL, IsActive bit NULL, Score int NULL);\n`;

export const contactImages = Array.from({ length: 1000 }, (_, i) => encodeRow(contactLayout, {
  ContactId: i, Name: `王${i}`, Company: '北京华信科技有限公司', Email: `user${i}@example.com`, Phone: `+86-10-${10000000 + i}`,
  City: '上海', CreatedAt: '2026-03-05T14:07:09.1234567', Balance: `${i}.25`, IsActive: i % 2 === 0, Score: i,
}));
