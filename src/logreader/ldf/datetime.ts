/**
 * SQL Server `datetime` as stored on disk and in log records: u32 time of day in 1/300 s
 * ticks, then i32 days since 1900-01-01 (OrcaMDF SqlDateTime; aarsakian utils DateTimeTostr).
 * Printed the way fn_dblog prints Begin Time / End Time: `yyyy/MM/dd HH:mm:ss:fff`.
 */
const MS_PER_DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1900, 0, 1);

export function sqlDateTimeParts(b: Uint8Array, offset: number): { days: number; ticks: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { ticks: v.getUint32(offset, true), days: v.getInt32(offset + 4, true) };
}

/** `00`…`99`: two-digit fields without a padStart per field. */
const TWO: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** The `yyyy/MM/dd ` of the last day formatted: a log's transactions mostly fall on a few days. */
let lastDays = NaN;
let lastDayText = '';

/**
 * `yyyy/MM/dd HH:mm:ss:fff`; null when the value is outside SQL Server's datetime range.
 * Milliseconds are the ticks × 10 / 3 rounded (fn_dblog's), which never reaches the next day
 * (25,919,999 ticks → 86,399,997 ms).
 */
export function formatSqlDateTime(b: Uint8Array, offset: number): string | null {
  if (offset + 8 > b.length) return null;
  const ticks = (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
  const days = b[offset + 4] | (b[offset + 5] << 8) | (b[offset + 6] << 16) | (b[offset + 7] << 24);
  // datetime covers 1753-01-01 (-53690) .. 9999-12-31 (2958463); ticks < 300·86400.
  if (days < -53690 || days > 2958463 || ticks >= 25_920_000) return null;
  if (days !== lastDays) {
    const d = new Date(EPOCH_1900 + days * MS_PER_DAY);
    lastDayText = `${String(d.getUTCFullYear()).padStart(4, '0')}/${TWO[d.getUTCMonth() + 1]}/${TWO[d.getUTCDate()]} `;
    lastDays = days;
  }
  const ms = Math.round((ticks * 10) / 3);
  const sec = Math.floor(ms / 1000);
  const milli = ms - sec * 1000;
  return lastDayText + TWO[Math.floor(sec / 3600)] + ':' + TWO[Math.floor(sec / 60) % 60] + ':' + TWO[sec % 60] + ':' + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli;
}
