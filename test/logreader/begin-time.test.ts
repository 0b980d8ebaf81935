import { describe, expect, it } from 'vitest';
import { isoToLogTime, isTzOffset, parseBeginTime } from '../../src/logreader/begin-time.js';

describe('parseBeginTime (fn_dblog yyyy/MM/dd HH:mm:ss:fff)', () => {
  it.each([
    ['2024/03/05 14:07:09:123', '2024-03-05T14:07:09.123'],
    ['2017/06/01 12:59:12:970', '2017-06-01T12:59:12.970'],
    ['2024/02/29 00:00:00:000', '2024-02-29T00:00:00.000'],
    ['1999/12/31 23:59:59:997', '1999-12-31T23:59:59.997'],
  ])('%s → %s', (text, iso) => {
    expect(parseBeginTime(text)).toBe(iso);
    expect(isoToLogTime(iso)).toBe(text);
  });

  it.each([
    ['2024-03-05 14:07:09:123', 'dashes'],
    ['2024/03/05 14:07:09.123', 'dot before the milliseconds'],
    ['2024/03/05 14:07:09:12', 'two fraction digits'],
    ['2024/3/05 14:07:09:123', 'one-digit month'],
    [' 2024/03/05 14:07:09:123', 'leading blank'],
    ['2024/03/05T14:07:09:123', 'T separator'],
    ['2023/02/29 10:00:00:000', 'not a leap year'],
    ['2024/04/31 10:00:00:000', 'April 31'],
    ['2024/13/01 10:00:00:000', 'month 13'],
    ['2024/01/01 24:00:00:000', 'hour 24'],
    ['2024/01/01 10:60:00:000', 'minute 60'],
    ['', 'empty'],
  ])('rejects %j (%s), naming the text', (text) => {
    expect(() => parseBeginTime(text)).toThrow(expect.objectContaining({ code: 'INPUT_BAD_TIME', message: expect.stringContaining(`'${text}'`) }));
  });

  it('isoToLogTime refuses a bound without milliseconds', () => {
    expect(() => isoToLogTime('2024-03-05T14:07:09')).toThrow(/INPUT_BAD_TIME|not of the form/);
  });

  it.each([['+08:00', true], ['-05:30', true], ['+00:00', true], ['+14:00', true], ['08:00', false], ['+8:00', false], ['+15:00', false]])(
    'tz offset %s valid=%s',
    (t, ok) => expect(isTzOffset(t)).toBe(ok),
  );
});
