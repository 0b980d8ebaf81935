/**
 * SYNTHETIC: the 4-column contact table the synthetic log and log-backup tests write rows of (one
 * in-row allocation unit), and its row for transaction t, row r (distinct per (t, r), so a row
 * lost or given twice shows).
 */
import { buildLayout, encodeRow } from './synthetic-encoder.js';

export const CONTACT_AU = '72057594043367424';
export const contactLayout = { ...buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100 },
  { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 },
]), allocUnits: [{ allocUnitId: CONTACT_AU, type: 'IN_ROW_DATA' as const }] };
export const contactRow = (t: number, r: number): Uint8Array =>
  encodeRow(contactLayout, { ContactId: t * 10000 + r, Name: `名字${t}-${r}`, Email: `c${t}.${r}@example.com`, Balance: `${t}.${String(r % 100).padStart(2, '0')}` });

/** SYNTHETIC: the clock tests' narrower Contact (ContactId int, Name nvarchar(100)), in the same allocation unit, as `--ddl` reads it. */
export const NARROW_CONTACT_DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL);\n';
const narrowContactLayout = { ...buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100 },
]), allocUnits: [{ allocUnitId: CONTACT_AU, type: 'IN_ROW_DATA' as const }] };
/** SYNTHETIC: ten row images of NARROW_CONTACT_DDL's table, (i, 'n<i>') for i 0..9. */
export const narrowContactImages = (): Uint8Array[] => Array.from({ length: 10 }, (_, i) => encodeRow(narrowContactLayout, { ContactId: i, Name: `n${i}` }));
