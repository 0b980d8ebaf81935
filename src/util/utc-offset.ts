/**
 * An offset from UTC in minutes east of it (+120 for two hours ahead, -300 for five behind) as
 * `+02:00` / `-05:00` (ISO 8601's offset form). Used for a backup set's time zone (backup/header.ts,
 * MTF SSET @95) and a window bound's two instants in a clock change (recover/time-window.ts). Pure.
 */
export function utcOffsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
