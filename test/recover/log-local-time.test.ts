/**
 * recover/log-local-time.ts isoLogTimesIn leaves data as it is: a `[name]` the sentence writes is
 * kept whole, also when the name holds `]`, written doubled (identifierText: `[Shipped]]2018/08/26
 * 21:19:07:573]`). QUOTED_SPAN took the span to the first `]` and the time after it, part of the
 * name, was rewritten (`…]]2018-08-26T21:19:07.573]`, a column the table has not); the raw name in
 * `keep` (a job's row strings) is no substring of the doubled form either, so since row warnings and
 * locations bracket names (2026-12-07) nothing kept it. SYNTHETIC names; no file bytes.
 */
import { describe, expect, it } from 'vitest';
import { formatLocation } from '../../src/errors.js';
import { isoLogTimesIn } from '../../src/recover/log-local-time.js';
import { identifierText } from '../../src/util/identifier-text.js';
import { stagedTableName } from '../../src/util/tsql.js';

describe('isoLogTimesIn keeps a bracketed name holding `]` whole', () => {
  it.each(['Shipped]2018/08/26 21:19:07:573', '[2018/08/26 21:19:07:573]', 'a]]b 2018/08/26 21:19:07:573'])('%s', (name) => {
    const shown = identifierText(name);
    const said = isoLogTimesIn(`column ${shown}: 0xAA at offset 1 …; the transaction began 2018/08/26 21:19:07:573 (${formatLocation({ table: stagedTableName({ schema: 'dbo', name }), column: name })})`, [name]);
    expect(said).toBe(`column ${shown}: 0xAA at offset 1 …; the transaction began 2018-08-26T21:19:07.573 (table dbo.${shown}, column ${shown})`);
  });
});
