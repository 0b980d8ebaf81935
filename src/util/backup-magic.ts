/**
 * The first bytes of an intact SQL Server backup file, in the bottom layer so that every place that
 * tells a backup from other files shares one test (backup/mtf.ts `backupStart`, which also knows a
 * damaged TAPE block; the log reader refusing a backup as `--ldf`; a backup given as `--ddl`/
 * `--schema`, util/files.ts). `TAPE`: an MTF descriptor block (Microsoft Tape Format 1.00a, the
 * uncompressed backup's container); `MSSQLBAK`: a compressed backup's container (backup/compressed.ts).
 */
export const COMPRESSED_MAGIC = 'MSSQLBAK';

/** `TAPE` or `MSSQLBAK` when `head` (a file's first bytes, at least 8 for MSSQLBAK) starts so; else null. */
export function backupMagic(head: Uint8Array): 'TAPE' | 'MSSQLBAK' | null {
  if (head.length >= 4 && head[0] === 0x54 && head[1] === 0x41 && head[2] === 0x50 && head[3] === 0x45) return 'TAPE';
  if (head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === COMPRESSED_MAGIC) return 'MSSQLBAK';
  return null;
}
