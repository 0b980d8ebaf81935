/**
 * util/local-time.ts: SQL Server local times (`YYYY-MM-DDTHH:MM:SS[.fff]`, no offset) read as if
 * UTC, and a backup set's start put in UTC from its SSET time zone. bytes → expected tables.
 */
import { describe, expect, it } from 'vitest';
import { localMs, localToUtc } from '../../src/util/local-time.js';

describe('localMs', () => {
  it.each([
    ['2018-08-28T18:37:18', Date.UTC(2018, 7, 28, 18, 37, 18)],
    ['2018-08-28T18:37:18.2', Date.UTC(2018, 7, 28, 18, 37, 18, 200)],
    ['2018-08-28T18:37:18.997', Date.UTC(2018, 7, 28, 18, 37, 18, 997)],
    // years 0–99 are those years (datetime2 starts at 0001), not 1900–1999 as Date.UTC reads them
    ['0050-01-01T00:00:00', Date.parse('0050-01-01T00:00:00Z')],
  ])('%s', (text, ms) => expect(localMs(text)).toBe(ms));
  it.each(['2018-08-28 18:37:18', '2018-08-28T18:37', '2018-08-28T18:37:18Z', ''])('%j is not the form: NaN', (text) => expect(localMs(text)).toBeNaN());
});

describe('localToUtc', () => {
  it.each([
    // Chinook's set: +02:00 (test/backup header evidence); east of UTC is earlier in UTC
    ['2019-03-04T10:00:00', 120, '2019-03-04T08:00:00Z'],
    ['2019-08-01T23:30:00', -240, '2019-08-02T03:30:00Z'],
    ['2019-12-31T23:00:00', -300, '2020-01-01T04:00:00Z'],
    ['2020-03-01T01:00:00', 330, '2020-02-29T19:30:00Z'],
    ['0050-01-01T01:00:00', 120, '0049-12-31T23:00:00Z'],
  ])('%s at %i minutes east: %s', (local, minutes, utc) => expect(localToUtc(local, minutes)).toBe(utc));
  it('a time with milliseconds or another form: null', () => {
    expect(localToUtc('2019-03-04T10:00:00.000', 0)).toBeNull();
    expect(localToUtc('2019/03/04 10:00:00', 0)).toBeNull();
  });
});
