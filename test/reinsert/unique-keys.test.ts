/**
 * A filtered unique index's filter (sys.indexes.filter_definition, the server's own text) read
 * without a server: which columns it names (a column the row gives no value for makes the run's
 * check conservative; a name missed would bind to the target's column inside the EXISTS over the
 * row's values, and test the wrong row), and whether it holds for a row's values when that can be
 * told here (the plan's same-value refusal groups only rows it holds for; anything else is left to
 * the run's check). Filter texts as the server writes them; values as the driver is handed them.
 */
import { describe, expect, it } from 'vitest';
import { filterColumns, filterHoldsOffline } from '../../src/reinsert/unique-keys.js';

describe('filter_definition read offline', () => {
  const columns: [string, string[], string[]][] = [
    ['([Email] IS NOT NULL)', [], ['Email']],
    ['([Active]=(1) AND [Region] IS NOT NULL)', [], ['Active', 'Region']],
    ["([Code]='[NotAColumn]' AND [A]]B]=(2))", [], ['Code', 'A]B']],
    ["([Code]=N'it''s [x]')", [], ['Code']],
    // a bare name the server would not write, matched all the same (any case)
    ['(status = 1 AND [Email] IS NOT NULL)', ['Status', 'Email'], ['Status', 'Email']],
    ['(status = 1)', [], []],
  ];
  for (const [filter, cols, expected] of columns) {
    it(`filterColumns ${filter} -> ${expected.join(', ') || '(none)'}`, () => expect(filterColumns(filter, cols)).toEqual(expected));
  }

  const values: Record<string, unknown> = { Email: 'a@x.test', NoEmail: null, Active: true, Off: false, N: 1, Big: '9007199254740993', Dec: '1.5', Text: 'EU' };
  const holds: [string, boolean | undefined][] = [
    ['([Email] IS NOT NULL)', true],
    ['([NoEmail] IS NOT NULL)', false],
    ['([NoEmail] IS NULL)', true],
    ['([Active]=(1))', true],
    ['([Off]=(1))', false],
    ['([N]=(1) AND [Email] IS NOT NULL)', true],
    ['([N]=(1) AND [NoEmail] IS NOT NULL)', false],
    ['([Big]=(9007199254740993))', true],
    ['([Big]=(9007199254740992))', false],
    // not decided here: left to the run's check
    ['([Dec]=(1))', undefined],
    ["([Text]='EU')", undefined],
    ['([N]=(1) OR [Email] IS NULL)', undefined],
    ['([N]>(0))', undefined],
    ['([Missing] IS NOT NULL)', undefined],
    ['(NOT [Email] IS NULL)', undefined],
  ];
  for (const [filter, expected] of holds) {
    it(`filterHoldsOffline ${filter} -> ${String(expected)}`, () => expect(filterHoldsOffline(filter, (c) => values[c])).toBe(expected));
  }
});
