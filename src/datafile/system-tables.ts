/**
 * Reading the system base tables of a data file, bootstrapped from the boot page:
 *   boot page dbi_firstSysIndexes → sysallocunits (first leaf page)
 *   sysallocunits → the allocation units of sysrowsets and sysrscols (fixed ids: rowset = au = object_id << 16)
 *   sysrscols → the physical layout of every other system table (and of every user table)
 *   sysrowsets (idmajor = object id, idminor = 1) → each system table's rowset → its allocation unit.
 * SQL Server 2005 (dbi_version 611) has no sysrscols: its place is taken by sysrowsetcolumns (object 4)
 * + syshobtcolumns (object 13), turned into sysrscols-shaped rows by `rsColsFrom2005`.
 * Source for the fixed ids of the bootstrap tables: Paul Randal, "How are allocation unit IDs
 * calculated?" (auid = index_id << 48 | object_id << 16 for the hard-coded system rowsets), checked on the corpus.
 */
import { FormatError, isRowbackError } from '../errors.js';
import type { SkippedItem } from '../util/skipped-item.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { BootPage } from './boot-page.js';
import { METADATA_PAGE_ADVICE, sourceFile, type PageReader } from './page-reader.js';
import { formatPageId, type PageId } from './page.js';
import { RecordType } from './record.js';
import {
  BOOTSTRAP_LAYOUTS,
  BOOTSTRAP_LAYOUTS_2005,
  HOBTCOL_NOT_NULL,
  HOBTCOL_UNIQUIFIER,
  big,
  bytesOf,
  num,
  readSystemRow,
  sysColumn,
  SystemObjectId,
  type SysColumnSpec,
  type SysRow,
  type SysType,
} from './system-row.js';
import { pageRecords } from './walk.js';
import { unitPages } from './unit-pages.js';
import { readPagePointer } from './page.js';

export interface AllocUnitRow {
  auid: string;
  /** 1 IN_ROW_DATA, 2 LOB_DATA, 3 ROW_OVERFLOW_DATA. */
  type: number;
  ownerid: string;
  pgfirst: PageId;
  pgroot: PageId;
  pgfirstiam: PageId;
  pcused: number;
  pcdata: number;
}

export interface RsColRow {
  rsid: string;
  rscolid: number;
  hbcolid: number;
  ti: number;
  cid: number;
  ordkey: number;
  status: number;
  offset: number;
  nullbit: number;
  bitpos: number;
}

/** sysrscols.status bits (OrcaMDF SystemInternalsPartitionColumn, facts). */
export const RSCOL_REPLICATED = 0x1;
export const RSCOL_DROPPED = 0x2;
export const RSCOL_LOGGED_FOR_REPLICATION = 0x4;
export const RSCOL_DESCENDING_KEY = 0x8;
export const RSCOL_UNIQUIFIER = 0x10;
export const RSCOL_FILESTREAM = 0x20;
export const RSCOL_ANTIMATTER = 0x40;
/** Set when the column is NOT nullable. */
export const RSCOL_NOT_NULLABLE = 0x80;
export const RSCOL_SPARSE = 0x100;

/** sysrscols.ti: low byte = system type id; then max length (strings/binary, 0 = max) or precision/scale. */
export function parseTi(ti: number): { typeId: number; b1: number; b2: number; maxLen: number } {
  return { typeId: ti & 0xff, b1: (ti >> 8) & 0xff, b2: (ti >> 16) & 0xff, maxLen: (ti >> 8) & 0xffff };
}

export interface SystemTables {
  /** '2005': rowset columns from sysrowsetcolumns + syshobtcolumns (dbi_version 611); '2008+': sysrscols. */
  catalog: '2005' | '2008+';
  allocUnits: AllocUnitRow[];
  rowsets: SysRow[];
  rscols: RsColRow[];
  /** Rows of a system table read through its sysrscols layout. */
  read(objectId: number, spec: readonly SysColumnSpec[], name: string): SysRow[];
  layoutOf(objectId: number, spec: readonly SysColumnSpec[], name: string): TableLayout | undefined;
}

const SYS_TYPE_BY_ID: Record<number, SysType> = {
  48: 'tinyint', 52: 'smallint', 56: 'int', 127: 'bigint', 61: 'datetime', 173: 'binary', 165: 'varbinary',
  231: 'nvarchar', 175: 'char',
};

function readPtr(v: unknown): PageId {
  const b = bytesOf(v as string);
  return b && b.length >= 6 ? readPagePointer(b, 0) : { fileId: 0, pageId: 0 };
}

/**
 * Rows of one system table from its first leaf page (sysallocunits.pgfirst). Ghost records are not
 * current rows and are left out; a record that cannot be read is counted in `skipped`. A damaged,
 * missing or foreign page in the leaf chain (`FORMAT_BROKEN_CHAIN`, naming the page) does not end the
 * table: the pages its IAM chain (`firstIam`, sysallocunits.pgfirstiam) lists that the chain did not
 * reach are read next, and with no IAM (or a broken one) every page of the file whose header names
 * the unit, so a damaged page costs its own rows only (unit-pages.ts). Rows read past a break come in
 * allocation order, not key order.
 */
export function readSystemTableRows(
  reader: PageReader,
  first: PageId,
  layout: TableLayout,
  allocUnitId: string,
  skipped: SkippedItem[],
  firstIam: PageId = { fileId: 0, pageId: 0 },
): SysRow[] {
  const out: SysRow[] = [];
  const table = `sys.${layout.name}`;
  const pages = unitPages(reader, reader.source, { indexId: 1, firstPage: first, firstIam, allocUnitId }, new Set([allocUnitId]), {
    chainBroken: (at, reason) =>
      skipped.push({
        code: 'FORMAT_BROKEN_CHAIN',
        reason: `${reason}; reading the rest of ${table} from ${firstIam.pageId !== 0 ? `its IAM chain (${formatPageId(firstIam)})` : 'the pages of the file that name its allocation unit'}`,
        location: { page: formatPageId(at), table },
      }),
    iamBroken: (reason) =>
      firstIam.pageId !== 0 &&
      skipped.push({ code: 'FORMAT_BROKEN_IAM', reason: `${reason}; scanning every page of the file for allocation unit ${allocUnitId} (${table})`, location: { page: formatPageId(firstIam), table } }),
  });
  for (const vp of pages) {
    for (const r of pageRecords(vp, (slot, offset, reason, code) =>
      skipped.push({ code, reason, location: { page: `${formatPageId(vp.header.pageId)}`, offset, table } }),
    )) {
      if (r.type !== RecordType.PRIMARY) continue;
      try {
        out.push(readSystemRow(r.bytes, layout));
      } catch (e) {
        skipped.push({
          code: isRowbackError(e) ? e.code : 'FORMAT_BAD_RECORD',
          reason: (e as Error).message,
          location: { page: formatPageId(r.page), offset: r.offset, table },
          raw: Buffer.from(r.bytes).toString('hex'),
        });
      }
    }
  }
  return out;
}

export function readSystemTables(reader: PageReader, boot: BootPage, skipped: SkippedItem[]): SystemTables {
  const rawAus = readSystemTableRows(reader, boot.firstSysIndexes, BOOTSTRAP_LAYOUTS.sysallocunits, auOfSystemTable(SystemObjectId.sysallocunits), skipped);
  // the catalog's first page failed its check (checksum, torn page): when what it held is what is
  // missing (no rows at all, or not the bootstrap tables' units), that is the cause, said as such
  const firstPageFailed = (): FormatError | undefined => {
    const at = formatPageId(boot.firstSysIndexes);
    const failed = reader.skipped.find((x) => x.location.page === at);
    return failed
      ? new FormatError('FORMAT_NO_METADATA', `the catalog page ${at} (sysallocunits, where every table's pages are found from) of ${reader.source.description} failed its check (${failed.code}: ${failed.reason.replace(` (page ${at})`, '')}), so no table of this file can be read; ${METADATA_PAGE_ADVICE}`, {
          file: sourceFile(reader.source, at),
          page: at,
        })
      : undefined;
  };
  if (rawAus.length === 0) {
    const at = formatPageId(boot.firstSysIndexes);
    const failed = firstPageFailed();
    if (failed) throw failed;
    throw new FormatError('FORMAT_NO_METADATA', `sysallocunits at ${at} of ${reader.source.description} holds no rows`, {
      file: sourceFile(reader.source, at),
      page: at,
    });
  }
  const allocUnits: AllocUnitRow[] = rawAus.map((r) => ({
    auid: big(r.auid),
    type: num(r.type),
    ownerid: big(r.ownerid),
    pgfirst: readPtr(r.pgfirst),
    pgroot: readPtr(r.pgroot),
    pgfirstiam: readPtr(r.pgfirstiam),
    pcused: num(r.pcused),
    pcdata: num(r.pcdata),
  }));
  const inRowOf = (rowset: string) => allocUnits.find((a) => a.ownerid === rowset && a.type === 1);

  const rsAu = inRowOf(auOfSystemTable(SystemObjectId.sysrowsets));
  const colsAu = inRowOf(auOfSystemTable(SystemObjectId.sysrscols));
  const hobtColsAu = inRowOf(auOfSystemTable(SystemObjectId.syshobtcolumns));
  const rowsetColsAu = inRowOf(auOfSystemTable(SystemObjectId.sysrowsetcolumns));
  let catalog: SystemTables['catalog'];
  let rowsets: SysRow[];
  let rscols: RsColRow[];
  if (rsAu && colsAu) {
    catalog = '2008+';
    rowsets = readSystemTableRows(reader, rsAu.pgfirst, BOOTSTRAP_LAYOUTS.sysrowsets, rsAu.auid, skipped, rsAu.pgfirstiam);
    rscols = readSystemTableRows(reader, colsAu.pgfirst, BOOTSTRAP_LAYOUTS.sysrscols, colsAu.auid, skipped, colsAu.pgfirstiam).map((r) => ({
      rsid: big(r.rsid),
      rscolid: num(r.rscolid),
      hbcolid: num(r.hbcolid),
      ti: num(r.ti),
      cid: num(r.cid),
      ordkey: num(r.ordkey),
      status: num(r.status),
      offset: num(r.offset),
      nullbit: num(r.nullbit),
      bitpos: num(r.bitpos),
    }));
  } else if (rsAu && hobtColsAu && rowsetColsAu) {
    // SQL Server 2005 (see SYSHOBTCOLUMNS_2005 in system-row.ts).
    catalog = '2005';
    rowsets = readSystemTableRows(reader, rsAu.pgfirst, BOOTSTRAP_LAYOUTS_2005.sysrowsets, rsAu.auid, skipped, rsAu.pgfirstiam);
    const hobtCols = readSystemTableRows(reader, hobtColsAu.pgfirst, BOOTSTRAP_LAYOUTS_2005.syshobtcolumns, hobtColsAu.auid, skipped, hobtColsAu.pgfirstiam);
    const rowsetCols = readSystemTableRows(reader, rowsetColsAu.pgfirst, BOOTSTRAP_LAYOUTS_2005.sysrowsetcolumns, rowsetColsAu.auid, skipped, rowsetColsAu.pgfirstiam);
    rscols = rsColsFrom2005(hobtCols, rowsetCols, skipped);
  } else {
    const failed = firstPageFailed();
    if (failed) throw failed;
    const missing = [
      !rsAu && 'sysrowsets (object 5)',
      !colsAu && 'sysrscols (object 3, SQL Server 2008+)',
      !colsAu && !hobtColsAu && 'syshobtcolumns (object 13, SQL Server 2005)',
      !colsAu && !rowsetColsAu && 'sysrowsetcolumns (object 4, SQL Server 2005)',
    ].filter(Boolean);
    throw new FormatError(
      'FORMAT_NO_METADATA',
      `sysallocunits (from ${formatPageId(boot.firstSysIndexes)}, dbi_version ${boot.version}) has no allocation unit for ${missing.join(', ')}: the table layouts cannot be read`,
      { page: formatPageId(boot.firstSysIndexes) },
    );
  }
  const colsByRowset = new Map<string, RsColRow[]>();
  for (const c of rscols) {
    const l = colsByRowset.get(c.rsid) ?? [];
    l.push(c);
    colsByRowset.set(c.rsid, l);
  }

  const rowsetOf = (objectId: number): string | undefined => {
    const r = rowsets.find((x) => num(x.idmajor) === objectId && num(x.idminor) === 1);
    return r ? big(r.rowsetid) : undefined;
  };

  const layoutOf = (objectId: number, spec: readonly SysColumnSpec[], name: string): TableLayout | undefined => {
    const rs = rowsetOf(objectId);
    const cols = rs ? colsByRowset.get(rs) : undefined;
    if (!rs || !cols) return undefined;
    const columns = [...cols]
      .sort((a, b) => a.rscolid - b.rscolid)
      .map((c) => {
        const ti = parseTi(c.ti);
        const type = SYS_TYPE_BY_ID[ti.typeId] ?? 'varbinary';
        const s = spec[c.rscolid - 1];
        const colName = s ? s[0] : `col${c.rscolid}`;
        const leafOffset = (c.offset << 16) >> 16;
        return sysColumn(colName, type, ti.maxLen || 8000, c.rscolid, leafOffset, c.nullbit & 0xffff);
      });
    return { schema: 'sys', name, indexId: 1, partitionId: rs, compression: 'NONE', columns };
  };

  const read = (objectId: number, spec: readonly SysColumnSpec[], name: string): SysRow[] => {
    const layout = layoutOf(objectId, spec, name);
    if (!layout) {
      skipped.push({ code: 'FORMAT_NO_METADATA', reason: `no rowset/layout for system table ${name}`, location: { table: `sys.${name}` } });
      return [];
    }
    const au = inRowOf(layout.partitionId!);
    if (!au) {
      skipped.push({ code: 'FORMAT_NO_METADATA', reason: `no allocation unit for system table ${name}`, location: { table: `sys.${name}` } });
      return [];
    }
    return readSystemTableRows(reader, au.pgfirst, layout, au.auid, skipped, au.pgfirstiam);
  };

  return { catalog, allocUnits, rowsets, rscols, read, layoutOf };
}

/**
 * SQL Server 2005: the physical columns of each partition in sysrscols' shape. A partition's rowset id
 * is its hobt id (2005 keeps partition_id = hobt_id; on the corpus every sysrowsetcolumns row finds its
 * hobt column under its own rowset id). Every syshobtcolumns row of the hobt is a stored column; the
 * sysrowsetcolumns row naming its hobtcolid gives its rowset column id (= syscolpars.colid). A hobt
 * column no rowset column names is the uniquifier (status 0x02) or a dropped column (the old physical
 * column an ALTER TABLE left behind). A rowset column whose hobt column is missing is reported in
 * `skipped` (the partition's join then fails in metadata.ts with the column named).
 */
export function rsColsFrom2005(hobtCols: SysRow[], rowsetCols: SysRow[], skipped: SkippedItem[]): RsColRow[] {
  const byHobt = new Map<string, SysRow[]>();
  for (const h of hobtCols) {
    const k = big(h.hobtid);
    const l = byHobt.get(k);
    if (l) l.push(h);
    else byHobt.set(k, [h]);
  }
  const byRowset = new Map<string, Map<number, number>>();
  for (const rc of rowsetCols) {
    const rs = big(rc.rowsetid);
    const hobtColId = num(rc.hobtcolid);
    if (!(byHobt.get(rs) ?? []).some((h) => num(h.hobtcolid) === hobtColId)) {
      skipped.push({
        code: 'FORMAT_NO_METADATA',
        reason: `sysrowsetcolumns: rowset ${rs} column ${num(rc.rowsetcolid)} names hobt column ${hobtColId}, which syshobtcolumns does not hold`,
        location: { table: 'sys.syshobtcolumns' },
      });
      continue;
    }
    // rowsetcolid 0: the uniquifier's row (no syscolpars column has id 0); handled below as unnamed.
    if (num(rc.rowsetcolid) === 0) continue;
    const m = byRowset.get(rs) ?? new Map<number, number>();
    m.set(hobtColId, num(rc.rowsetcolid));
    byRowset.set(rs, m);
  }
  const out: RsColRow[] = [];
  for (const [hobt, cols] of byHobt) {
    const map = byRowset.get(hobt);
    for (const h of cols) {
      const hobtColId = num(h.hobtcolid);
      const hstatus = num(h.status);
      const rowsetColId = map?.get(hobtColId);
      let status = hstatus & HOBTCOL_NOT_NULL ? RSCOL_NOT_NULLABLE : 0;
      if (rowsetColId === undefined) status |= hstatus & HOBTCOL_UNIQUIFIER ? RSCOL_UNIQUIFIER : RSCOL_DROPPED;
      const length = num(h.length) & 0xffff;
      out.push({
        rsid: hobt,
        // Unnamed physical columns (uniquifier, dropped) get ids no syscolpars column has, after the others.
        rscolid: rowsetColId ?? 0x7f000000 + hobtColId,
        hbcolid: hobtColId,
        // sysrscols.ti's shape: type id | max length << 8 (0 = max); decimal/numeric (106, 108):
        // type id | precision << 8 | scale << 16, what a dropped column's slot length is read from
        ti: num(h.xtype) === 106 || num(h.xtype) === 108
          ? (num(h.xtype) & 0xff) | ((num(h.prec) & 0xff) << 8) | ((num(h.scale) & 0xff) << 16)
          : (num(h.xtype) & 0xff) | ((length === 0xffff ? 0 : length) << 8),
        cid: num(h.collationid),
        ordkey: num(h.ordkey),
        status,
        offset: num(h.leafoffset),
        nullbit: num(h.leafnullbit),
        bitpos: num(h.leafbitpos),
      });
    }
  }
  return out;
}

/** The fixed rowset / allocation unit id of a bootstrap system table: object_id << 16. */
export function auOfSystemTable(objectId: number): string {
  return (BigInt(objectId) << 16n).toString();
}
