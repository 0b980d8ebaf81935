/**
 * The stderr dump, diff and restore write their sentences to (cli/iso-times-stderr.ts): each write
 * passed on at once, in order, with fn_dblog's `2020/05/12 13:29:20:000` given as
 * `2020-05-12T13:29:20.000`, a value the user typed (`--stop-at` in fn_dblog's form) kept as typed.
 * SYNTHETIC sentences.
 */
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { isoTimesStderr } from '../../src/cli/iso-times-stderr.js';

it('rewrites each sentence as it is written, keeping the values given', () => {
  const inner = new PassThrough();
  let said = '';
  inner.on('data', (c) => (said += String(c)));
  const err = isoTimesStderr(inner, ['2020/05/12 13:30:00:000']);
  err.write('rowback dump: WARNING: … ended 2020/05/12 13:29:20:000, after … that ended 2020/05/12 13:29:39:530: …\n');
  // passed on before write returns (a caller reads what was said at once)
  expect(said).toBe('rowback dump: WARNING: … ended 2020-05-12T13:29:20.000, after … that ended 2020-05-12T13:29:39.530: …\n');
  err.write('rowback dump: note: --stop-at 2020/05/12 13:30:00:000 is after the commit at 2020/05/12 13:29:59:997\n');
  expect(said.split('\n')[1]).toBe('rowback dump: note: --stop-at 2020/05/12 13:30:00:000 is after the commit at 2020-05-12T13:29:59.997');
});
