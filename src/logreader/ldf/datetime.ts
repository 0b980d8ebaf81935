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

/** `yyyy/MM/dd HH:mm:ss:fff`; null when the value is outside SQL Server's datetime range. */
export function formatSqlDateTime(b: Uint8Array, offset: number): string | null {
  if (offset + 8 > b.length) return null;
  const { days, ticks } = sqlDateTimeParts(b, offset);
  // datetime covers 1753-01-01 (-53690) .. 9999-12-31 (2958463); ticks < 300·86400.
  if (days < -53690 || days > 2958463 || ticks >= 25_920_000) return null;
  const ms = Math.round((ticks * 10) / 3);
  const d = new Date(EPOCH_1900 + days * MS_PER_DAY + ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}:${p(d.getUTCMilliseconds(), 3)}`;
}
