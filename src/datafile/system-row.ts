/**
 * Reading rows of the *system base tables* (sysallocunits, sysrowsets, sysrscols, sysschobjs, …).
 *
 * Rows are decoded with the shared row decoder (`decodeRow`) against TableLayout objects. The bootstrap layouts of sysallocunits, sysrowsets and sysrscols are
 * hard-coded (they are needed to read sysrscols, which describes every other layout, including
 * theirs: `test/datafile/system-tables.test.ts` checks the hard-coded ones against it on every
 * corpus version). The other system tables' physical layouts come from sysrscols itself, with
 * column names from the lists below.
 *
 * Column lists (names, types, order): OrcaMDF `MetaData/BaseTables/*.cs` (facts), checked
 * against sysrscols of NORTHWND.MDF (655), Database1.mdf (706) and School.mdf (852).
 */
import type { ColumnLayout, SqlTypeName, TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../reconstruct/values.js';
import { decodeRow } from '../reconstruct/decode-row.js';

export type SysType = 'tinyint' | 'smallint' | 'int' | 'bigint' | 'binary' | 'varbinary' | 'sysname' | 'nvarchar' | 'char' | 'datetime';

/** [name, type, max length] in column-id order. */
export type SysColumnSpec = readonly [string, SysType, number];

const FIXED: Record<string, number> = { tinyint: 1, smallint: 2, int: 4, bigint: 8, datetime: 8 };

function sqlType(t: SysType): SqlTypeName {
  return t === 'sysname' ? 'nvarchar' : (t as SqlTypeName);
}

function isFixed(t: SysType): boolean {
  return t in FIXED || t === 'binary' || t === 'char';
}

/**
 * A layout in declared order: fixed columns packed from offset 4 in column order, variable
 * columns numbered in column order, null bit = column id. This is how SQL Server lays out
 * the bootstrap system tables (their clustering keys are their leading columns).
 */
export function declaredOrderLayout(name: string, spec: readonly SysColumnSpec[]): TableLayout {
  let offset = 4;
  let varIndex = 0;
  const columns: ColumnLayout[] = spec.map(([colName, type, len], i) => {
    let leafOffset: number;
    if (isFixed(type)) {
      leafOffset = offset;
      offset += FIXED[type] ?? len;
    } else {
      leafOffset = -++varIndex;
    }
    return sysColumn(colName, type, len, i + 1, leafOffset, i + 1);
  });
  return { schema: 'sys', name, indexId: 1, compression: 'NONE', columns };
}

export function sysColumn(name: string, type: SysType, len: number, id: number, leafOffset: number, nullBit: number): ColumnLayout {
  return {
    name,
    columnId: id,
    partitionColumnId: id,
    type: sqlType(type),
    maxLength: FIXED[type] ?? (type === 'sysname' ? 256 : len),
    precision: 0,
    scale: 0,
    collation: type === 'char' || type === 'nvarchar' || type === 'sysname' ? 'Latin1_General_CI_AS_KS_WS' : null,
    codePage: type === 'char' ? 1252 : null,
    nullable: true,
    identity: false,
    computed: false,
    leafOffset,
    leafNullBit: nullBit,
    leafBitPosition: 0,
    isDropped: false,
    isSparse: false,
    isUniquifier: false,
  };
}

// --- column lists -----------------------------------------------------------------------

export const SYSALLOCUNITS: readonly SysColumnSpec[] = [
  ['auid', 'bigint', 8], ['type', 'tinyint', 1], ['ownerid', 'bigint', 8], ['status', 'int', 4],
  ['fgid', 'smallint', 2], ['pgfirst', 'binary', 6], ['pgroot', 'binary', 6], ['pgfirstiam', 'binary', 6],
  ['pcused', 'bigint', 8], ['pcdata', 'bigint', 8], ['pcreserved', 'bigint', 8], ['dbfragid', 'int', 4],
];

export const SYSROWSETS: readonly SysColumnSpec[] = [
  ['rowsetid', 'bigint', 8], ['ownertype', 'tinyint', 1], ['idmajor', 'int', 4], ['idminor', 'int', 4],
  ['numpart', 'int', 4], ['status', 'int', 4], ['fgidfs', 'smallint', 2], ['rcrows', 'bigint', 8],
  ['cmprlevel', 'tinyint', 1], ['fillfact', 'tinyint', 1], ['maxnullbit', 'smallint', 2], ['maxleaf', 'int', 4],
  ['maxint', 'smallint', 2], ['minleaf', 'smallint', 2], ['minint', 'smallint', 2], ['rsguid', 'varbinary', 16],
  ['lockres', 'varbinary', 8], ['dbfragid', 'int', 4],
];

export const SYSRSCOLS: readonly SysColumnSpec[] = [
  ['rsid', 'bigint', 8], ['rscolid', 'int', 4], ['hbcolid', 'int', 4], ['rcmodified', 'bigint', 8],
  ['ti', 'int', 4], ['cid', 'int', 4], ['ordkey', 'smallint', 2], ['maxinrowlen', 'smallint', 2],
  ['status', 'int', 4], ['offset', 'int', 4], ['nullbit', 'int', 4], ['bitpos', 'smallint', 2],
  ['colguid', 'varbinary', 16], ['dbfragid', 'int', 4],
];

/** Column names by column id for the tables read through sysrscols. Extra columns in newer versions are named `col<N>`. */
export const SYSSCHOBJS: readonly SysColumnSpec[] = [
  ['id', 'int', 4], ['name', 'sysname', 256], ['nsid', 'int', 4], ['nsclass', 'tinyint', 1], ['status', 'int', 4],
  ['type', 'char', 2], ['pid', 'int', 4], ['pclass', 'tinyint', 1], ['intprop', 'int', 4], ['created', 'datetime', 8],
  ['modified', 'datetime', 8],
];

export const SYSCOLPARS: readonly SysColumnSpec[] = [
  ['id', 'int', 4], ['number', 'smallint', 2], ['colid', 'int', 4], ['name', 'sysname', 256], ['xtype', 'tinyint', 1],
  ['utype', 'int', 4], ['length', 'smallint', 2], ['prec', 'tinyint', 1], ['scale', 'tinyint', 1],
  ['collationid', 'int', 4], ['status', 'int', 4], ['maxinrow', 'smallint', 2], ['xmlns', 'int', 4], ['dflt', 'int', 4],
  ['chk', 'int', 4], ['idtval', 'varbinary', 64],
];

export const SYSIDXSTATS: readonly SysColumnSpec[] = [
  ['id', 'int', 4], ['indid', 'int', 4], ['name', 'sysname', 256], ['status', 'int', 4], ['intprop', 'int', 4],
  ['fillfact', 'tinyint', 1], ['type', 'tinyint', 1], ['tinyprop', 'tinyint', 1], ['dataspace', 'int', 4],
  ['lobds', 'int', 4], ['rowset', 'bigint', 8],
];

export const SYSISCOLS: readonly SysColumnSpec[] = [
  ['idmajor', 'int', 4], ['idminor', 'int', 4], ['subid', 'int', 4], ['status', 'int', 4], ['intprop', 'int', 4],
  ['tinyprop1', 'tinyint', 1], ['tinyprop2', 'tinyint', 1], ['tinyprop3', 'tinyint', 1], ['tinyprop4', 'tinyint', 1],
];

/**
 * sysowners (object id 27): the base table of sys.database_principals. Names of its first columns
 * (OrcaMDF's sysowners; sys.database_principals: principal_id, name, type, sid). Checked on
 * AngularJs_CRUD Database1.mdf: sysrscols gives int, nvarchar, char(1), varbinary(85) for these
 * column ids, and the rows are SQL Server's fixed principals with their documented principal_ids
 * (public 0, dbo 1, guest 2 with sid 0x00, INFORMATION_SCHEMA 3, sys 4, db_owner 16384, …) and
 * roles' S-1-9-4-… SIDs. Further columns are read only for their positions.
 */
export const SYSOWNERS: readonly SysColumnSpec[] = [
  ['id', 'int', 4], ['name', 'sysname', 256], ['type', 'char', 1], ['sid', 'varbinary', 85],
];

/**
 * syssingleobjrefs (object id 74; Microsoft Learn "System Base Tables": one row for each general
 * N:1 reference): class, the dependent object and sub-id, the object and sub-id it depends on.
 * Column names as OrcaMDF's base table and the catalog views' joins (`depid`, `depsubid`, `indepid`,
 * `indepsubid`, `class`). Checked on TSQLV4.bak (852) and pubs.bak (706): sysrscols gives tinyint
 * then five ints for these column ids (aspnetdb.mdf, 611: syshobtcolumns the same). The classes of a FOREIGN KEY constraint (foreign-keys.ts).
 */
export const SYSSINGLEOBJREFS: readonly SysColumnSpec[] = [
  ['class', 'tinyint', 1], ['depid', 'int', 4], ['depsubid', 'int', 4], ['indepid', 'int', 4], ['indepsubid', 'int', 4],
  ['status', 'int', 4],
];

/** sys.schemas are the rows of sysclsobjs with class 50 (SCHEMA). */
export const SYSCLSOBJS: readonly SysColumnSpec[] = [
  ['class', 'tinyint', 1], ['id', 'int', 4], ['name', 'sysname', 256], ['status', 'int', 4], ['type', 'char', 2],
  ['intprop', 'int', 4], ['created', 'datetime', 8], ['modified', 'datetime', 8],
];

// --- SQL Server 2005 (dbi_version 611): rowset columns live in two tables --------------------
//
// 2005 has no sysrscols: a partition (rowset) lists its columns in sysrowsetcolumns (object id 4),
// each pointing at a physical column of the partition's heap or B-tree ("hobt") in syshobtcolumns
// (object id 13), which carries the type and the leaf *and* internal (non-leaf index) layout.
// sysrowsets (object id 5) has only its first 8 columns (no compression, fill factor, … — those are
// in syshobts, object id 15, in 2005). Facts checked on aspnetdb.mdf and StDb2Sql.bak (both 611):
// syshobtcolumns describes itself (hobtid 13 << 16) with exactly the 15 columns below, packed in
// declared order from offset 4 with null bits 1…15 — and describes sysrowsetcolumns and sysrowsets
// with the layouts below. Meaning of the columns: by value on those files (key ordinals 1, 2 on the
// clustering key; leaf offset 4 / internal offset 1 for the first key column, as in every index
// record; xtype/length/precision as sys.types), matching the columns 2005's
// sys.system_internals_partition_columns exposes (leaf_/internal_ offset, bit position, null bit) and
// the table/offset notes of a public 2005 .bak reader (a Python "bak_reader.py" read through the
// public code index: hobtid @4, hobtcolid @12, xtype @22, length @23, prec @25, scale @26, leaf
// offset @31, bit position @35, null bit @37; "colid → hobtcolid is always resolved through
// sysrowsetcolumns: the two differ in ALTERed tables").

/** syshobtcolumns (2005): one row per physical column of a heap or B-tree. */
export const SYSHOBTCOLUMNS_2005: readonly SysColumnSpec[] = [
  ['hobtid', 'bigint', 8], ['hobtcolid', 'int', 4], ['status', 'int', 4], ['ordkey', 'smallint', 2],
  ['xtype', 'tinyint', 1], ['length', 'smallint', 2], ['prec', 'tinyint', 1], ['scale', 'tinyint', 1],
  ['collationid', 'int', 4], ['leafoffset', 'smallint', 2], ['internaloffset', 'smallint', 2],
  ['leafbitpos', 'tinyint', 1], ['internalbitpos', 'tinyint', 1], ['leafnullbit', 'smallint', 2],
  ['internalnullbit', 'smallint', 2],
];

/** sysrowsetcolumns (2005): one row per column of a partition → its physical hobt column. rowsetcolid = syscolpars.colid. */
export const SYSROWSETCOLUMNS_2005: readonly SysColumnSpec[] = [
  ['rowsetid', 'bigint', 8], ['rowsetcolid', 'int', 4], ['hobtcolid', 'int', 4], ['status', 'int', 4],
  ['rcmodified', 'bigint', 8], ['maxinrowlen', 'smallint', 2],
];

/** sysrowsets (2005): the first 8 columns of the later table. */
export const SYSROWSETS_2005: readonly SysColumnSpec[] = SYSROWSETS.slice(0, 8);

/**
 * syshobtcolumns.status bits (2005), from the values on the corpus: 0x20 on every NOT NULL column of
 * the system and user tables (and on no nullable one); 0x02 on exactly the hidden int column that
 * follows the key columns of a non-unique clustered index (variable, key ordinal = keys + 1): the
 * uniquifier. No other bit occurs on the corpus.
 */
export const HOBTCOL_UNIQUIFIER = 0x2;
export const HOBTCOL_NOT_NULL = 0x20;

/** Object ids of the system base tables (sys.objects, type 'S'). */
export const SystemObjectId = {
  /** 2005 only (sysrscols' predecessors, with syshobtcolumns and syshobts). */
  sysrowsetcolumns: 4,
  syshobtcolumns: 13,
  syshobts: 15,
  sysrscols: 3,
  sysrowsets: 5,
  sysclones: 6,
  sysallocunits: 7,
  sysfiles1: 8,
  sysschobjs: 34,
  syscolpars: 41,
  sysidxstats: 54,
  sysiscols: 55,
  sysclsobjs: 64,
  sysowners: 27,
  syssingleobjrefs: 74,
} as const;

export const BOOTSTRAP_LAYOUTS = {
  sysallocunits: declaredOrderLayout('sysallocunits', SYSALLOCUNITS),
  sysrowsets: declaredOrderLayout('sysrowsets', SYSROWSETS),
  sysrscols: declaredOrderLayout('sysrscols', SYSRSCOLS),
};

/** The 2005 bootstrap layouts (see SYSHOBTCOLUMNS_2005). */
export const BOOTSTRAP_LAYOUTS_2005 = {
  syshobtcolumns: declaredOrderLayout('syshobtcolumns', SYSHOBTCOLUMNS_2005),
  sysrowsetcolumns: declaredOrderLayout('sysrowsetcolumns', SYSROWSETCOLUMNS_2005),
  sysrowsets: declaredOrderLayout('sysrowsets', SYSROWSETS_2005),
};

// --- reading ------------------------------------------------------------------------------

export type SysRow = Record<string, SqlValue>;

/**
 * One system-table record's values, through the shared row decoder. (Until decodeRow existed a
 * small reader lived here; on every system row of the five corpus data files both gave identical
 * values, so it was removed: there is one record parser.) Throws DecodeError.
 */
export function readSystemRow(rec: Uint8Array, layout: TableLayout): SysRow {
  return decodeRow(rec, layout).values;
}

// --- accessors that accept both value forms -----------------------------------------------------

export function num(v: SqlValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return 0;
}

export function big(v: SqlValue | undefined): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return '0';
}

export function str(v: SqlValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** `0x…` text (or raw) → bytes. */
export function bytesOf(v: SqlValue | undefined): Uint8Array | null {
  if (typeof v !== 'string' || !/^0x/i.test(v)) return null;
  return Buffer.from(v.slice(2), 'hex');
}
