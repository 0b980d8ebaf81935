/**
 * Log record op codes and contexts, with the names fn_dblog prints.
 * Numeric values: iatmakdotcx/logreader `D_logreader/OpCode.pas` and `contextCode.pas`
 * (facts only), cross-checked on the corpus logs (FORMAT-NOTES §3).
 */

export const OPERATION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'LOP_NULL'],
  [0x01, 'LOP_FORMAT_PAGE'],
  [0x02, 'LOP_INSERT_ROWS'],
  [0x03, 'LOP_DELETE_ROWS'],
  [0x04, 'LOP_MODIFY_ROW'],
  [0x05, 'LOP_MODIFY_HEADER'],
  [0x06, 'LOP_MODIFY_COLUMNS'],
  [0x07, 'LOP_SET_BITS'],
  [0x0a, 'LOP_SET_FREE_SPACE'],
  [0x0b, 'LOP_DELETE_SPLIT'],
  [0x0c, 'LOP_UNDO_DELETE_SPLIT'],
  [0x0d, 'LOP_EXPUNGE_ROWS'],
  [0x10, 'LOP_FILE_HDR_MODIFY'],
  [0x11, 'LOP_CLEAR_GAM_BITS'],
  [0x12, 'LOP_COUNT_DELTA'],
  [0x13, 'LOP_ROOT_CHANGE'],
  [0x14, 'LOP_COMPRESSION_INFO'],
  [0x15, 'LOP_ENCRYPT_PAGE'],
  [0x16, 'LOP_INSYSXACT'],
  [0x7e, 'LOP_REMOVE_VERSION_INFO'],
  [0x80, 'LOP_BEGIN_XACT'],
  [0x81, 'LOP_COMMIT_XACT'],
  [0x82, 'LOP_ABORT_XACT'],
  [0x83, 'LOP_PREP_XACT'],
  [0x84, 'LOP_MARK_SAVEPOINT'],
  [0x85, 'LOP_FORGET_XACT'],
  [0x86, 'LOP_CREATE_FILE'],
  [0x87, 'LOP_DROP_FILE'],
  [0x89, 'LOP_HOBT_DDL'],
  [0x8a, 'LOP_IDENT_NEWVAL'],
  [0x8b, 'LOP_IDENT_SENTVAL'],
  [0x8c, 'LOP_HOBT_DELTA'],
  [0x8d, 'LOP_LOCK_XACT'],
  [0x8e, 'LOP_CREATE_STREAMFILE'],
  [0x8f, 'LOP_MIGRATE_LOCKS'],
  [0x90, 'LOP_DROP_STREAMFILE'],
  [0x91, 'LOP_FS_DOWNLEVEL_OP'],
  [0x92, 'LOP_MODIFY_STREAMFILE_HDR'],
  [0x94, 'LOP_BP_DBVER'],
  [0x95, 'LOP_COPY_VERSION_INFO'],
  [0x96, 'LOP_BEGIN_CKPT'],
  [0x98, 'LOP_XACT_CKPT'],
  [0x99, 'LOP_END_CKPT'],
  [0x9a, 'LOP_BUF_WRITE'],
  [0xa0, 'LOP_BEGIN_RECOVERY'],
  [0xa1, 'LOP_END_RECOVERY'],
  [0xa2, 'LOP_TENANT_LOG'],
  [0xa6, 'LOP_FEDTM_INFO'],
  [0xad, 'LOP_CREATE_INDEX'],
  [0xae, 'LOP_DROP_INDEX'],
  [0xb0, 'LOP_CREATE_ALLOCCHAIN'],
  [0xb4, 'LOP_CREATE_FTCAT'],
  [0xb5, 'LOP_DROP_FTCAT'],
  [0xc8, 'LOP_REPL_COMMAND'],
  [0xc9, 'LOP_BEGIN_UPDATE'],
  [0xca, 'LOP_END_UPDATE'],
  [0xcb, 'LOP_TEXT_POINTER'],
  [0xcc, 'LOP_TEXT_INFO_BEGIN'],
  [0xcd, 'LOP_TEXT_INFO_END'],
  [0xce, 'LOP_REPL_NOOP'],
  [0xcf, 'LOP_TEXT_VALUE'],
  [0xd3, 'LOP_SHRINK_NOOP'],
  [0xd4, 'LOP_FILESTREAM_INFO_BEGIN'],
  [0xd5, 'LOP_FILESTREAM_INFO_END'],
  [0xd6, 'LOP_BULK_EXT_ALLOCATION'],
  [0xd7, 'LOP_SECURITY_OP'],
  [0xd8, 'LOP_PAGE_REENCRYPT'],
  [0xd9, 'LOP_CREATE_PHYSICAL_FILE'],
  [0xdc, 'LOP_RANGE_INSERT'],
  [0xdd, 'LOP_INVALIDATE_CACHE'],
  [0xdf, 'LOP_CSI_ROWGROUP'],
  [0xe6, 'LOP_HK'],
  [0xe7, 'LOP_HK_CHECKPOINT'],
  [0xe8, 'LOP_HK_CHAINED'],
  [0xf0, 'LOP_SEREPL_MSG'],
]);

export const CONTEXT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'LCX_NULL'],
  [0x01, 'LCX_HEAP'],
  [0x02, 'LCX_CLUSTERED'],
  [0x03, 'LCX_INDEX_LEAF'],
  [0x04, 'LCX_INDEX_INTERIOR'],
  [0x05, 'LCX_TEXT_MIX'],
  [0x06, 'LCX_TEXT_TREE'],
  [0x07, 'LCX_DIAGNOSTICS'],
  [0x08, 'LCX_GAM'],
  [0x09, 'LCX_SGAM'],
  [0x0a, 'LCX_IAM'],
  [0x0b, 'LCX_PFS'],
  [0x0c, 'LCX_IDENTITY_VALUE'],
  [0x0d, 'LCX_OBJECT_ID'],
  [0x0e, 'LCX_NONSYS_SPLIT'],
  [0x11, 'LCX_FILE_HEADER'],
  [0x12, 'LCX_SCHEMA_VERSION'],
  [0x13, 'LCX_MARK_AS_GHOST'],
  [0x14, 'LCX_BOOT_PAGE'],
  [0x15, 'LCX_SYSCONFIG_PAGE'],
  [0x17, 'LCX_BOOT_PAGE_CKPT'],
  [0x18, 'LCX_DIFF_MAP'],
  [0x19, 'LCX_ML_MAP'],
  [0x1a, 'LCX_REMOVE_VERSION_INFO'],
  [0x1b, 'LCX_DBCC_FORMATTED'],
  [0x1c, 'LCX_UNLINKED_REORG_PAGE'],
  [0x1d, 'LCX_BULK_OPERATION_PAGE'],
  [0x1e, 'LCX_TRACKED_XDES'],
  [0x1f, 'LCX_ENCRYPT_UNALLOC_PAGE'],
  [0x20, 'LCX_SORT_PAGE'],
  [0x21, 'LCX_WORK_FILE_PAGE'],
  [0x22, 'LCX_RESTORE_BAD_UNALLOC_PAGE'],
]);

export const LOP = {
  FORMAT_PAGE: 0x01,
  INSERT_ROWS: 0x02,
  DELETE_ROWS: 0x03,
  MODIFY_ROW: 0x04,
  MODIFY_COLUMNS: 0x06,
  BEGIN_XACT: 0x80,
  COMMIT_XACT: 0x81,
  ABORT_XACT: 0x82,
} as const;

export const LCX = {
  HEAP: 0x01,
  CLUSTERED: 0x02,
  INDEX_LEAF: 0x03,
  INDEX_INTERIOR: 0x04,
  MARK_AS_GHOST: 0x13,
} as const;

export function operationName(op: number): string {
  return OPERATION_NAMES.get(op) ?? `LOP_UNKNOWN_${op}`;
}

export function contextName(ctx: number): string {
  return CONTEXT_NAMES.get(ctx) ?? `LCX_UNKNOWN_${ctx}`;
}

/** Index contexts: records on nonclustered index pages, kept apart from heap/clustered data rows. */
export function isIndexContext(ctx: number): boolean {
  return ctx === LCX.INDEX_LEAF || ctx === LCX.INDEX_INTERIOR;
}

/** VLF header (FORMAT-NOTES §3; iatmakdotcx `p_structDefine.pas` TVLFHeader). */
export const VLF_HEADER_MARKER = 0xab;
/** Log format versions seen at VLF header @2 (FORMAT-NOTES §3). 2 = SQL 2000 (different record header, refused). */
export const LOG_FORMAT_SQL2000 = 2;
/** First VLF in an .ldf starts after the 8 KB file header page; log blocks start 8 KB into a VLF. */
export const LDF_FIRST_VLF_OFFSET = 0x2000;
export const VLF_FIRST_BLOCK_OFFSET = 0x2000;
export const SECTOR = 512;
/**
 * Block number (LSN middle part: 512-byte units from the VLF's start) of the first log block of
 * every VLF: 0x2000 / 512 = 0x10 (FORMAT-NOTES §3, bobsql insidetlog; the corpus's VLFs start at
 * …:00000010:0001). Block numbers of different VLFs are not on one scale.
 */
export const VLF_FIRST_BLOCK_ID = VLF_FIRST_BLOCK_OFFSET / SECTOR;
/** A log block is at most 60 KB (bobsql insidetlog; aarsakian SQLServerForensics ldf.go). */
export const MAX_BLOCK_SIZE = 60 * 1024;

/**
 * First byte of every 512-byte sector of a log block after the sector fix-up
 * (FORMAT-NOTES §3; bobsql insidetlog readme):
 * - 0x40 / 0x80: the parity bits (they flip each time a VLF is reused),
 * - 0x10: first sector of the block,
 * - 0x08: last sector of the block.
 */
export const SECTOR_PARITY_MASK = 0xc0;
export const SECTOR_FIRST = 0x10;
export const SECTOR_LAST = 0x08;

/**
 * Log block checksum (SQL Server 2005 and later, written when the database's PAGE_VERIFY is
 * CHECKSUM; sankarreddy.com, "Transaction Log (block) CHECKSUM", 2010, names the feature but not
 * the format). Found on the corpus's real blocks by trying candidates: bit 0x0002 of the block
 * header's u16 @8 says a checksum is present, and the u32 @24 holds it; the checksum is the page
 * checksum's algorithm over the block as stored (sector fix-up bytes as they are, not restored):
 * for each 512-byte sector i of n, the XOR of its 128 little-endian u32 words (the checksum word
 * itself left out), rotated left by n − 1 − i bits, all XORed together (the page checksum's
 * 15 − i for 16 sectors). It holds on every flagged block of the corpus: 1,960 blocks of 23
 * `.ldf`, `.trn` and `.bak` files, none failing, among them the 122 of aspnetdb_log.ldf in SQL
 * Server 2005's log format (test/logreader/ldf/block-checksum.test.ts). Blocks without the bit (SQL Server
 * 2005's StDb2Sql.bak, 282 of NORTHWND_log.ldf's: databases that were not on CHECKSUM then)
 * carry zero there and are not checked.
 */
export const BLOCK_STATUS_CHECKSUM = 0x0002;
/** Byte offset of the block status u16 in the log block header. */
export const BLOCK_STATUS_OFFSET = 8;
/** Byte offset of the log block checksum u32 in the log block header. */
export const BLOCK_CHECKSUM_OFFSET = 24;
