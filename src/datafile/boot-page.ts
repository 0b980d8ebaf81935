/**
 * The boot page (1:9): one fixed-length record with the database-wide `dbi_*` fields.
 * Offsets are from the page start (record at 96 + 4-byte record header). Sources: the
 * Internals Viewer `BootPageParser` offsets and DBCC PAGE names (facts), each one checked on
 * the corpus: NORTHWND.MDF (655/539), School.mdf (852/706), Database*.mdf (706/706).
 */
import { FormatError } from '../errors.js';
import { PageType, parsePageHeader, readPageLsn, readPagePointer, type PageId } from './page.js';
import type { PageSource } from './page-source.js';
import { decodeDatetime } from '../reconstruct/types/datetime.js';

export const BOOT_PAGE: PageId = { fileId: 1, pageId: 9 };

/**
 * dbi_version → product. Sources: the corpus README's table; the "internal database version" lists of
 * mssqltips tip 7261 and sqlserverbuilds (539 … 957); 998 from the corpus's Chinook.bak, whose backup
 * header gives database version 998 and SQL Server version 17.0.1050 (SQL Server 2025). Every corpus
 * backup's header pairs its database version with its server's major version as this table does
 * (test/datafile/boot-page-versions.test.ts).
 */
export const DBI_VERSIONS: ReadonlyArray<readonly [number, string]> = [
  [539, 'SQL Server 2000'],
  [611, 'SQL Server 2005'],
  [612, 'SQL Server 2005 (vardecimal)'],
  [655, 'SQL Server 2008'],
  [661, 'SQL Server 2008 R2'],
  [706, 'SQL Server 2012'],
  [782, 'SQL Server 2014'],
  [852, 'SQL Server 2016'],
  [869, 'SQL Server 2017'],
  [904, 'SQL Server 2019'],
  [957, 'SQL Server 2022'],
  [998, 'SQL Server 2025'],
];

export function productForVersion(v: number): string {
  let best = `unknown (dbi_version ${v})`;
  for (const [n, name] of DBI_VERSIONS) {
    if (v === n) return name;
    if (v > n) best = `${name} or later (dbi_version ${v})`;
  }
  return best;
}

export interface BootPage {
  /** @100 i16 dbi_version: the on-disk format of the database now. */
  version: number;
  /** @102 i16 dbi_createVersion: the format the database was created in. */
  createVersion: number;
  product: string;
  /** @132 i32 dbi_status. */
  status: number;
  /** @140 datetime dbi_crdate. */
  created: string | null;
  /** @148 nchar(128) dbi_dbname, trimmed to @404 i32 length (bytes). An attached user-instance database holds its path here. */
  databaseName: string;
  /** @408 i16 dbi_dbid. */
  databaseId: number;
  /** @410 i16 dbi_cmptlevel. */
  compatibilityLevel: number;
  /** @444 dbi_checkptLSN. */
  checkpointLsn: string;
  /** @488 i32 dbi_collation: the database default collation id. */
  collationId: number;
  /** @612 dbi_firstSysIndexes: first page of sysallocunits. */
  firstSysIndexes: PageId;
}

export function parseBootPage(page: Uint8Array): BootPage {
  const h = parsePageHeader(page);
  if (h.type !== PageType.BOOT_PAGE) {
    throw new FormatError('FORMAT_BAD_PAGE', `page 1:9 has type ${h.type}, not the boot page (13)`, { page: '1:9' });
  }
  const v = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const version = v.getInt16(100, true);
  const nameLen = Math.max(0, Math.min(256, v.getInt32(404, true)));
  const databaseName = Buffer.from(page.buffer, page.byteOffset + 148, nameLen - (nameLen % 2)).toString('utf16le').trimEnd();
  return {
    version,
    createVersion: v.getInt16(102, true),
    product: productForVersion(version),
    status: v.getInt32(132, true),
    created: decodeDatetime(page, 140),
    databaseName,
    databaseId: v.getInt16(408, true),
    compatibilityLevel: v.getInt16(410, true),
    checkpointLsn: readPageLsn(page, 444),
    collationId: v.getInt32(488, true),
    firstSysIndexes: readPagePointer(page, 612),
  };
}

export function readBootPage(source: PageSource): BootPage {
  const page = source.readPage(BOOT_PAGE.fileId, BOOT_PAGE.pageId);
  if (!page) throw new FormatError('FORMAT_NO_BOOT_PAGE', `${source.description} does not hold the boot page 1:9${source.whyMissing?.(BOOT_PAGE.fileId, BOOT_PAGE.pageId) ?? ''}`, { page: '1:9' });
  return parseBootPage(page);
}
