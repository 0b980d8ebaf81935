/**
 * An offset from UTC in minutes east of it (+120 for two hours ahead, -300 for five behind) as
 * `+02:00` / `-05:00` (ISO 8601's offset form). Used for a backup set's time zone (backup/header.ts,
 * MTF SSET @95) and a window bound's two instants in a clock change (recover/time-window.ts). Pure.
 */
export function utcOffsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The "not known" value of a time zone in 15-minute units: MTF 1.00a's LOCAL_TZ, msdb backupset.time_zone's 127. */
export const TIME_ZONE_UNKNOWN = 127;

/**
 * A backup's time zone as SQL Server records it, in 15-minute units east of UTC (the MTF SSET's Time
 * Zone, MTF 1.00a Structure 6, INT8 @95; msdb's backupset.time_zone, smallint, the same units and sign
 * as of the backup's start, 127 for unknown, −20 for US Eastern standard time: Microsoft Learn,
 * "backupset (Transact-SQL)"), in minutes east of UTC (+8 → +120). Null for null, 127 and values beyond the zones in use
 * (−12:00 to +14:00: −48 to +56; damage or another writer). Pure.
 */
export function fifteenMinuteZoneMinutes(units: number | null | undefined): number | null {
  if (units === null || units === undefined || !Number.isInteger(units)) return null;
  if (units === TIME_ZONE_UNKNOWN || units < -48 || units > 56) return null;
  return units * 15;
}

