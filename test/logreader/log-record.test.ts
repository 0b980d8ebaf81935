import { describe, expect, it } from 'vitest';
import { parseLogPageId } from '../../src/logreader/log-record.js';
import { formatPageId } from '../../src/logreader/ldf/structures.js';

describe('parseLogPageId: a record\'s Page ID (file:page in hex, as fn_dblog prints it)', () => {
  it.each([
    ['0001:00000117', { fileId: 1, pageId: 0x117 }],
    ['0003:0000ffff', { fileId: 3, pageId: 0xffff }],
    ['FFFF:FFFFFFFF', { fileId: 0xffff, pageId: 0xffffffff }],
    ['1:117', { fileId: 1, pageId: 0x117 }],
  ])('%s → %o', (text, want) => {
    expect(parseLogPageId(text)).toEqual(want);
  });
  it.each([[''], [null], [undefined], ['0001'], ['0001:'], [':00000117'], ['0001:0000011g'], ['00001:00000117'], ['0001:000000117'], ['0001:00000117 '], ['1:279 (decimal form? no: g)x']])('%o is not a Page ID → null', (text) => {
    expect(parseLogPageId(text as string | null | undefined)).toBeNull();
  });
  it('reads back what the .ldf reader writes', () => {
    for (const [f, p] of [[1, 0], [1, 279], [2, 0x7fffffff], [0xffff, 0xffffffff]] as const) expect(parseLogPageId(formatPageId(f, p))).toEqual({ fileId: f, pageId: p });
  });
});
