import { describe, expect, it } from 'vitest';
import { assertWindowInOrder, beginTimeToIso, inWindow, localTimeProblem, parseWindowTime, windowTimeWarning, zoneOffsetMinutes } from '../../src/recover/time-window.js';

describe('beginTimeToIso (fn_dblog Begin Time)', () => {
  it.each([
    ['2017/06/01 12:59:12:970', '2017-06-01T12:59:12.970'],
    ['2026/11/21 00:00:00:000', '2026-11-21T00:00:00.000'],
  ])('%s → %s', (a, b) => expect(beginTimeToIso(a)).toBe(b));
  it.each(['2017-06-01 12:59:12.970', '2017/06/01 12:59:12', '2017/13/01 12:59:12:970', ''])('rejects %j naming it', (t) => {
    expect(() => beginTimeToIso(t)).toThrow(/INPUT_BAD_TIME|not of the form|not a real/);
  });
});

describe('parseWindowTime', () => {
  // A newcomer types a day-first date or SQL Server's own `2018-08-28 18:00:00.0000000`; the
  // refusal named the T form only (`YYYY-MM-DD[THH:MM[:SS[.fff]]]`) though a space and 7 fractional
  // digits are taken, as --help says, so it read as if `2018-08-28 18:00` were refused too.
  it('a refused time names the forms taken: the year first, a space for T, 7 fractional digits', () => {
    expect(() => parseWindowTime('28/08/2018 18:00', 'start')).toThrow(
      expect.objectContaining({ code: 'INPUT_BAD_TIME', message: "--from '28/08/2018 18:00' is not a time of the form YYYY-MM-DD[THH:MM[:SS[.fffffff]]] (the year first, a space for T; or fn_dblog's yyyy/MM/dd HH:mm:ss:fff)" }),
    );
    expect(parseWindowTime('2018-08-28 18:00:00.0000000', 'start')).toBe('2018-08-28T18:00:00.000');
  });
  it.each([
    ['2017-06-01', 'start', '2017-06-01T00:00:00.000'],
    ['2017-06-01', 'end', '2017-06-01T23:59:59.999'],
    ['2017-06-01 12:59', 'start', '2017-06-01T12:59:00.000'],
    ['2017-06-01T12:59', 'end', '2017-06-01T12:59:59.999'],
    // to the second: the whole second (a delete at 12:59:12.027 is inside --to 12:59:12)
    ['2017-06-01T12:59:12', 'end', '2017-06-01T12:59:12.999'],
    ['2017-06-01T12:59:12', 'start', '2017-06-01T12:59:12.000'],
    ['2017-06-01T12:59:12.5', 'start', '2017-06-01T12:59:12.500'],
    // finer than a millisecond: an instant, put on the 1/300 s ticks log times (datetime) lie on: a
    // start takes the first tick at or after it, an end the last at or before it, each as printed
    // (a --from of .0275 does not take .027, which is 8 ticks, 0.0266667 s)
    ['2017-06-01T12:59:12.1234567', 'start', '2017-06-01T12:59:12.127'],
    ['2017-06-01T12:59:12.1234567', 'end', '2017-06-01T12:59:12.123'],
    ['2018-08-28T21:46:24.0275', 'start', '2018-08-28T21:46:24.030'],
    ['2018-08-28T21:46:24.0270000', 'start', '2018-08-28T21:46:24.030'],
    ['2017-12-31T23:59:59.9995', 'start', '2018-01-01T00:00:00.000'],
    ['0050-06-01T12:00:00.0001', 'start', '0050-06-01T12:00:00.003'],
    ['9999-12-31T23:59:59.9999', 'start', '9999-12-31T23:59:59.999'],
    ['9999-12-31T23:59:59.9999', 'end', '9999-12-31T23:59:59.997'],
    // the log time printed .027 as datetime2 text (CAST(datetime AS datetime2), .NET's 'o' form) is
    // that time at either end: it was .026 as an end, leaving out the transaction that began then
    ['2018-08-28T21:46:24.0266667', 'end', '2018-08-28T21:46:24.027'],
    ['2018-08-28T21:46:24.0266667', 'start', '2018-08-28T21:46:24.027'],
    ['2018-08-28T21:46:24.0267', 'end', '2018-08-28T21:46:24.027'],
    ['2018-08-28T21:46:24.0267', 'start', '2018-08-28T21:46:24.030'],
    ['2018-08-28T21:46:24.0266', 'end', '2018-08-28T21:46:24.023'],
    ['2018-08-28T21:46:24.0268', 'start', '2018-08-28T21:46:24.030'],
    ['2017-12-31T23:59:59.9966667', 'end', '2017-12-31T23:59:59.997'],
    // a stop (STOPAT) is the nearest tick, half up, as CAST(datetime2 AS datetime) rounds: .0249 is
    // 7.47 ticks, .023 (it was rounded to .025 first, then to .027: a stop after the one given)
    ['2018-08-28T21:46:24.0249', 'stop', '2018-08-28T21:46:24.023'],
    ['2018-08-28T21:46:24.0251', 'stop', '2018-08-28T21:46:24.027'],
    ['2018-08-28T21:46', 'stop', '2018-08-28T21:46:00.000'],
    ['2018-08-28T21:46:24.026', 'stop', '2018-08-28T21:46:24.026'],
    ['2017-06-01T12:59:12.5', 'end', '2017-06-01T12:59:12.500'],
    // fn_dblog's form, as the "why no rows" line prints the log's span: pasted back as it is
    ['2018/08/26 21:19:07:573', 'start', '2018-08-26T21:19:07.573'],
    ['2018/08/26 21:19:07:573', 'end', '2018-08-26T21:19:07.573'],
  ] as const)('%s (%s) → %s', (t, b, want) => expect(parseWindowTime(t, b)).toBe(want));

  it('refuses a time zone, saying why', () => {
    expect(() => parseWindowTime('2017-06-01T12:00:00Z', 'start')).toThrow(/local time/);
    expect(() => parseWindowTime('2017-06-01T12:00:00+02:00', 'start')).toThrow(/local time/);
  });
  // a date alone with a zone, or a zone named by a word, was "not a time of the form …", which does
  // not say the zone is what is wrong (the API's `from` said the same)
  it.each(['2018-09-01Z', '2018-09-01+02:00', '2018-09-01 10:00 UTC', '2018-09-01T10:00 GMT', '2018-09-01 10:00 UTC+2', '2018-09-01T10:00:00z'])('refuses %s as having a time zone', (t) => {
    expect(() => parseWindowTime(t, 'start')).toThrow(`--from '${t}' has a time zone; give the SQL Server's local time without one`);
  });
  it.each(['2018-09-01', '2018-09-01T10:00', '2018-09-01 10:00:00.123'])('%s has none', (t) => {
    expect(() => parseWindowTime(t, 'start')).not.toThrow();
  });
  it('names the flag in errors', () => {
    expect(() => parseWindowTime('yesterday', 'end', '--to')).toThrow(/--to 'yesterday'/);
    expect(() => parseWindowTime('2018/08/26 21:19:07', 'end', '--to')).toThrow(/fn_dblog's yyyy\/MM\/dd HH:mm:ss:fff/);
    expect(() => parseWindowTime('2018/02/30 21:19:07:573', 'start')).toThrow(/not a real date/);
  });
  it('a window given in order that holds no log time says so, not that its start is after its end', () => {
    const from = { name: '--from', text: '2018-08-28T21:46:24.0271', iso: parseWindowTime('2018-08-28T21:46:24.0271', 'start') };
    const to = { name: '--to', text: '2018-08-28T21:46:24.0275', iso: parseWindowTime('2018-08-28T21:46:24.0275', 'end') };
    expect(() => assertWindowInOrder(from, to)).toThrow("--from '2018-08-28T21:46:24.0271' to --to '2018-08-28T21:46:24.0275' holds no time a log can carry: log times are SQL Server datetime values, in steps of 1/300 second (printed .000, .003, .007, .010, …), and none lies between them (the nearest are 2018-08-28T21:46:24.027 and 2018-08-28T21:46:24.030); widen the window");
    const x = '2018-08-28T21:46:24.0266667';
    expect(() => assertWindowInOrder({ name: '--from', text: x, iso: parseWindowTime(x, 'start') }, { name: '--to', text: x, iso: parseWindowTime(x, 'end') })).not.toThrow();
    expect(() => assertWindowInOrder(
      { name: '--from', text: '2018-08-30', iso: parseWindowTime('2018-08-30', 'start') },
      { name: '--to', text: '2018-08-29', iso: parseWindowTime('2018-08-29', 'end') },
    )).toThrow('--from 2018-08-30T00:00:00.000 is after --to 2018-08-29T23:59:59.999');
  });
  it('compares inclusively', () => {
    expect(inWindow('2017-06-01T12:00:00.000', '2017-06-01T12:00:00.000', '2017-06-01T12:00:00.000')).toBe(true);
    expect(inWindow('2017-06-01T12:00:00.001', undefined, '2017-06-01T12:00:00.000')).toBe(false);
    expect(inWindow(null, '2017-06-01T12:00:00.000')).toBe(false);
    expect(inWindow(null)).toBe(true);
  });
});

describe('window bounds are real dates', () => {
  it.each(['2017-02-30', '2017-06-31T10:00', '2017-06-01T24:00'])('rejects %s', (t) => {
    expect(() => parseWindowTime(t, 'start')).toThrow(/not a real date|not a time/);
  });
});

describe('refusals quote the input on one line, cut short', () => {
  it('a time with a line break or thousands of characters is refused in one line of at most a few hundred characters', () => {
    for (const text of ['2017-06-01\nrowback: forged second line', 'x'.repeat(10_000), '2017-06-01T12:00\u2028+01:00', '2017-02-30\r']) {
      let message = '';
      try {
        parseWindowTime(text, 'start', '--stop-at');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^--stop-at '/);
      expect(message).not.toMatch(/[\n\r\u2028]/);
      expect(message.length).toBeLessThan(250);
    }
  });
});

// --from/--to in a daylight-saving fold (the hour that happens twice) or gap (the hour that never
// happens) were taken without a word; the window compares local times as written, so it cannot
// tell the fold's two passes apart, and no log time is in a gap.
describe('localTimeProblem / windowTimeWarning (daylight saving)', () => {
  it('Europe/Berlin 2026-10-25 02:30 is ambiguous: 00:30Z (UTC+02:00) and 01:30Z (UTC+01:00)', () => {
    expect(localTimeProblem('2026-10-25T02:30:00.000', 'Europe/Berlin')).toEqual({
      kind: 'ambiguous',
      instants: [{ utc: '2026-10-25T00:30:00.000Z', offsetMinutes: 120 }, { utc: '2026-10-25T01:30:00.000Z', offsetMinutes: 60 }],
    });
  });
  it('Europe/Berlin 2026-03-29 02:30 does not exist: the clocks went from 02:00 to 03:00', () => {
    expect(localTimeProblem('2026-03-29T02:30:00.000', 'Europe/Berlin')).toEqual({ kind: 'gap', from: '02:00', to: '03:00', offsetBefore: 60, offsetAfter: 120 });
  });
  // Samoa moved across the date line: 2011-12-30 never happened there; the gap read 'from 00:00 to 00:00'
  it('Pacific/Apia 2011-12-30 12:00 does not exist: the whole day was skipped, and the dates are named', () => {
    expect(localTimeProblem('2011-12-30T12:00:00.000', 'Pacific/Apia')).toEqual({ kind: 'gap', from: '2011-12-30 00:00', to: '2011-12-31 00:00', offsetBefore: -600, offsetAfter: 840 });
    expect(windowTimeWarning('--from', '2011-12-30 12:00', '2011-12-30T12:00:00.000', 'Pacific/Apia')).toContain('the clocks went forward from 2011-12-30 00:00 to 2011-12-31 00:00 that night (UTC-10:00 to UTC+14:00)');
  });
  it.each([
    ['2026-10-25T01:59:59.999', 'Europe/Berlin'],
    ['2026-10-25T03:00:00.000', 'Europe/Berlin'],
    ['2026-03-29T01:59:59.999', 'Europe/Berlin'],
    ['2026-03-29T03:00:00.000', 'Europe/Berlin'],
    ['2026-07-01T12:00:00.000', 'Europe/Berlin'],
    ['2026-10-25T02:30:00.000', 'UTC'],
    ['2026-10-25T02:30:00.000', 'Asia/Kolkata'],
  ])('%s in %s is one instant', (iso, zone) => {
    expect(localTimeProblem(iso, zone)).toBeUndefined();
    expect(windowTimeWarning('--from', iso, iso, zone)).toBeUndefined();
  });
  it('other zones: New York (fold 01:00-02:00), Lord Howe (half-hour change)', () => {
    expect(localTimeProblem('2026-11-01T01:30:00.000', 'America/New_York')).toMatchObject({ kind: 'ambiguous', instants: [{ utc: '2026-11-01T05:30:00.000Z' }, { utc: '2026-11-01T06:30:00.000Z' }] });
    expect(localTimeProblem('2026-03-08T02:30:00.000', 'America/New_York')).toMatchObject({ kind: 'gap', from: '02:00', to: '03:00' });
    expect(localTimeProblem('2026-10-04T02:15:00.000', 'Australia/Lord_Howe')).toMatchObject({ kind: 'gap', from: '02:00', to: '02:30', offsetBefore: 630, offsetAfter: 660 });
  });
  it('the warning names the value as given and both instants, or the gap', () => {
    expect(windowTimeWarning('--from', '2026-10-25 02:30', parseWindowTime('2026-10-25 02:30', 'start'), 'Europe/Berlin')).toBe(
      "--from '2026-10-25 02:30' is ambiguous in Europe/Berlin: the clocks went back that night, so 02:30 happened twice, at 2026-10-25T00:30:00.000Z (UTC+02:00) and at 2026-10-25T01:30:00.000Z (UTC+01:00); log times carry no zone, so they are compared with it as written and the two cannot be told apart",
    );
    expect(windowTimeWarning('--to', '2026-03-29 02:30', parseWindowTime('2026-03-29 02:30', 'end', '--to'), 'Europe/Berlin')).toBe(
      "--to '2026-03-29 02:30' does not exist in Europe/Berlin: the clocks went forward from 02:00 to 03:00 that night (UTC+01:00 to UTC+02:00), so no log time falls in that gap; log times are compared with it as written",
    );
  });
});

// zoneOffsetMinutes read Intl's year with Date.UTC, which takes 0–99 as 1900–1999, and Intl's year 0
// as '1' (BC): --from 0001-01-01 in UTC was warned to 'not exist in UTC: the clocks went forward from
// 1902-01-01 00:00 to 1901-01-01 00:00 that night (UTC+16663800:00 to UTC+16655040:00)'.
describe('times of the first centuries (SQL Server date and datetime2 start at 0001-01-01)', () => {
  it.each([
    ['0001-01-01T00:00:00.000', 'UTC'],
    ['0001-01-01T00:00:00.000', 'Europe/Berlin'],
    ['0100-01-01T00:00:00.000', 'UTC'],
    ['0099-12-31T23:59:59.999', 'America/New_York'],
  ])('%s in %s is one instant, no warning', (iso, zone) => {
    expect(localTimeProblem(iso, zone)).toBeUndefined();
    expect(windowTimeWarning('--from', iso, iso, zone)).toBeUndefined();
  });
  it('the offset at year 1, year 0 (1 BC) and year 50 is the zone\'s, not centuries off', () => {
    const at = (y: number) => { const d = new Date(0); d.setUTCFullYear(y, 0, 1); return d; };
    for (const y of [0, 1, 50, 99]) expect(zoneOffsetMinutes('UTC', at(y))).toBe(0);
    // Berlin's local mean time before railway time, +0:53:28, to the minute
    expect(zoneOffsetMinutes('Europe/Berlin', at(1))).toBe(zoneOffsetMinutes('Europe/Berlin', at(1800)));
  });
});

describe('a zone Intl cannot use never fails a command', () => {
  it("localTimeWarnings in 'Etc/Unknown' (what Intl reports with TZ set empty) warns of nothing and does not throw", async () => {
    const { localTimeWarnings } = await import('../../src/recover/time-window.js');
    expect(localTimeWarnings([['--from', '2026-10-25 02:30', 'start']], "this machine's", 'Etc/Unknown')).toEqual([]);
    expect(localTimeWarnings([['--from', '2026-10-25 02:30', 'start']], "this machine's", 'Europe/Berlin')).toHaveLength(1);
  });
  it('with TZ set empty, runningTimeZone is undefined and the default localTimeWarnings says nothing', async () => {
    const { localTimeWarnings, runningTimeZone } = await import('../../src/recover/time-window.js');
    const was = process.env.TZ;
    try {
      process.env.TZ = '';
      expect(runningTimeZone()).toBeUndefined();
      expect(localTimeWarnings([['--from', '2026-10-25 02:30', 'start'], ['--to', '2026-03-29 02:30', 'end']], "this machine's")).toEqual([]);
    } finally {
      if (was === undefined) delete process.env.TZ;
      else process.env.TZ = was;
    }
  });
});

describe('localTimeWarnings asks Intl for the zone only when a time is given', () => {
  it('no time given (undefined, null, empty): no Intl.DateTimeFormat made (its first use costs a process 20–30 ms); a time given: the zone is asked for', async () => {
    const { localTimeWarnings } = await import('../../src/recover/time-window.js');
    const real = Intl.DateTimeFormat;
    let made = 0;
    const counting = new Proxy(real, {
      construct: (t, args, nt) => (made++, Reflect.construct(t, args, nt)),
      apply: (t, self, args) => (made++, Reflect.apply(t, self, args)),
    });
    (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = counting;
    try {
      expect(localTimeWarnings([['--from', undefined, 'start'], ['--to', null, 'end'], ['--stop-at', '', 'start']], "this machine's")).toEqual([]);
      expect(localTimeWarnings([], "this machine's")).toEqual([]);
      expect(made).toBe(0);
      localTimeWarnings([['--from', '2026-10-25 02:30', 'start']], "this machine's");
      expect(made).toBeGreaterThan(0);
    } finally {
      (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = real;
    }
  });
});
