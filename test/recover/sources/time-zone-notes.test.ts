import { describe, expect, it } from 'vitest';
import { serverTimeNote } from '../../../src/recover/sources/live.js';
import { exportTimeZoneNote } from '../../../src/recover/sources/export.js';

/**
 * fn_dblog's Begin Time and End Time are the server's local wall clock with no zone (begin-time.ts);
 * the offset rowback states is DATENAME(TZOFFSET, SYSDATETIMEOFFSET()) — the server's offset when
 * the scan (or the export) ran (Microsoft Learn, SYSDATETIMEOFFSET: "the time zone offset is
 * included", of the current date and time). In a zone with daylight saving, a log time from the other
 * season was at another offset: the note "times are the server's local time, UTC+02:00" read in April
 * over a delete of 20 March (CET, UTC+01:00) put it an hour off for whoever converted it to UTC.
 */
describe('the note on the times printed states the offset as of when it was read', () => {
  it.each([
    ['live', serverTimeNote('+02:00', 'fake:1433/CRM as sa (SQL login) over TLS'),
      "times are the server's local time, UTC+02:00 now (SYSDATETIMEOFFSET() on fake:1433/CRM as sa (SQL login) over TLS): the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one"],
    ['export', exportTimeZoneNote('+08:00', '2024-03-06T09:00:00.1234567+08:00'),
      "times are the exporting server's local time, UTC+08:00 when it was exported (2024-03-06T09:00:00.1234567+08:00): the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one"],
    ['export, no export time', exportTimeZoneNote('+08:00', null),
      "times are the exporting server's local time, UTC+08:00 when it was exported: the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one"],
  ])('%s', (_, note, want) => {
    expect(note).toBe(want);
  });
});
