import { describe, expect, it } from 'vitest';
import { decoderForCodePage } from '../../../src/reconstruct/collation.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

/**
 * Code page 949 (Korean_* collations) = EUC-KR plus the 8,822 Hangul syllables KS X 1001 lacks, at
 * leads 0x81–0xC6 with trails from 0x41 (Unified Hangul Code). Node's 'euc-kr' TextDecoder has only
 * the EUC-KR part, so a varchar under a Korean collation holding '갂' (0x81 0x41) printed U+0081 'A'
 * and '힣' (0xC6 0x52) U+FFFD 'R'. Expected characters: glibc iconv -f CP949 (the vectors below), which
 * agrees with the decoder on every one of the 23,940 pairs both map (collation.ts addUhcExtension).
 */
const h = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

describe('code page 949: the Unified Hangul Code extension', () => {
  const d = decoderForCodePage(949)!;
  it.each([
    ['8141', '\uac02'], // first UHC pair
    ['a0fe', '\uc8a4'], // last pair of the 0x81–0xA0 leads
    ['a141', '\uc8a5'], // first pair of the 0xA1–0xC6 leads (trail below 0xA1)
    ['c541', '\ud715'],
    ['c652', '\ud7a3'], // the last Hangul syllable
    ['b0a1', '\uac00'], // KS X 1001 part unchanged
    ['c8fe', '\ud79d'],
    ['a2e6', '\u20ac'], // Microsoft's additions to KS X 1001
    ['a2e7', '\u00ae'],
  ])('0x%s', (hex, char) => {
    expect(d.decode(h(hex), 0, 2)).toBe(char);
  });

  it('a long value (past the short-value path) and an invalid pair', () => {
    const long = h('8141'.repeat(300) + '41');
    expect(d.decode(long, 0, long.length)).toBe('\uac02'.repeat(300) + 'A');
    // 0xC6 0x53 is past the last syllable: U+FFFD, and the ASCII trail is read again
    expect(d.decode(h('c653'), 0, 2)).toBe('\ufffdS');
  });

  it('a varchar row under Korean_Wansung_CI_AS decodes its UHC syllables (SYNTHETIC image)', () => {
    const layout = layoutsFromDdl('create table k (id int not null, name varchar(20) collate Korean_Wansung_CI_AS null);')[0]!;
    // '갂힣가' = 81 41 c6 52 b0 a1
    const row = decodeRow(h('30000800 01000000 0200 00 0100 1500 8141c652b0a1'), layout);
    expect(row.values).toEqual({ id: 1, name: '\uac02\ud7a3\uac00' });
    expect(row.warnings).toEqual([]);
  });
});
