/**
 * SQL Server's local times as rowback reads them: a Begin Time, a backup date or a window bound
 * carries no offset (fn_dblog's Begin Time and msdb's backup_start_date are the server's wall clock),
 * so rowback holds it as `YYYY-MM-DDTHH:MM:SS[.fff]` and, to compare two, reads both as if UTC.
 * One parser for that form, shared by recover/ (window ends, log times) and backup/ (a set's start
 * in UTC from its SSET time zone). Pure.
 */

/**
 * Milliseconds of a `YYYY-MM-DDTHH:MM:SS[.fff]` local time read as if UTC (only compared with
 * another so read, or shifted by a known offset); NaN when not that form. Years 0–99 are those
 * years (Date.UTC reads them as 1900–1999).
 */
export function localMs(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(iso);
  if (!m) return Number.NaN;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0')));
  return d.getTime();
}

/**
 * A local `YYYY-MM-DDTHH:MM:SS` at `minutes` east of UTC (a backup set's SSET Time Zone, MTF 1.00a
 * Structure 6 @95, in minutes) as UTC `YYYY-MM-DDTHH:MM:SSZ`; null when not that form.
 */
export function localToUtc(local: string, minutes: number): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(local)) return null;
  const ms = localMs(local);
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms - minutes * 60_000).toISOString().slice(0, 19)}Z`;
}
