import { describe, expect, it } from 'vitest';
import {
  compareLsn, formatLsn, lsnFromBinaryHex, lsnFromDecimal, lsnToBinaryHex, lsnToDblogParam, lsnToDecimal, lsnToRestoreMark,
  parseAnyLsn, parseLsn,
} from '../../src/logreader/lsn.js';

describe('printed LSN', () => {
  it('round-trips the fn_dblog form', () => {
    const l = parseLsn('0000002a:000001f0:0003');
    expect(l).toEqual({ vlf: 0x2a, block: 0x1f0, slot: 3 });
    expect(formatLsn(l)).toBe('0000002a:000001f0:0003');
  });
  it('orders by vlf, block, slot', () => {
    expect(compareLsn(parseLsn('1:2:3'), parseLsn('1:2:4'))).toBeLessThan(0);
    expect(compareLsn(parseLsn('2:0:0'), parseLsn('1:ffff:ff'))).toBeGreaterThan(0);
  });
  it('rejects garbage with INPUT_BAD_LSN', () => {
    expect(() => parseLsn('12-34')).toThrow(/INPUT_BAD_LSN|not an LSN/);
  });
});

// Each row is one LSN in every spelling. The first is the example of the brief; the second is
// Microsoft's documented RESTORE example ('lsn:15000000040000037' = VLF 15, block 400, slot 37);
// the last ones are the extremes of each part.
const FORMS: Array<{ printed: string; binary: string; decimal: string; dblog: string }> = [
  { printed: '0000002a:000001f0:0003', binary: '0x0000002A000001F00003', decimal: '42000000049600003', dblog: '42:496:3' },
  { printed: '0000000f:00000190:0025', binary: '0x0000000F000001900025', decimal: '15000000040000037', dblog: '15:400:37' },
  { printed: '00000001:00000000:0001', binary: '0x00000001000000000001', decimal: '1000000000000001', dblog: '1:0:1' },
  { printed: 'ffffffff:ffffffff:ffff', binary: '0xFFFFFFFFFFFFFFFFFFFF', decimal: '4294967295429496729565535', dblog: '4294967295:4294967295:65535' },
  { printed: '00000000:00000000:0000', binary: '0x00000000000000000000', decimal: '0', dblog: '0:0:0' },
];

describe('LSN spellings', () => {
  it.each(FORMS)('$printed ↔ $binary ↔ $decimal ↔ $dblog', (f) => {
    const l = parseLsn(f.printed);
    expect(lsnToBinaryHex(l)).toBe(f.binary);
    expect(lsnToDecimal(l)).toBe(f.decimal);
    expect(lsnToDblogParam(l)).toBe(f.dblog);
    expect(lsnToRestoreMark(l)).toBe(`lsn:${f.decimal}`);
    expect(lsnFromBinaryHex(f.binary)).toEqual(l);
    expect(lsnFromDecimal(f.decimal)).toEqual(l);
    expect(lsnFromDecimal(`lsn:${f.decimal}`)).toEqual(l);
    expect(parseAnyLsn(f.binary)).toEqual(l);
    expect(parseAnyLsn(f.decimal)).toEqual(l);
    expect(parseAnyLsn(`dec:${f.dblog}`)).toEqual(l);
    expect(parseAnyLsn(`0x${f.printed}`)).toEqual(l);
    expect(formatLsn(lsnFromDecimal(f.decimal))).toBe(f.printed);
  });

  it('numeric form orders like the LSN itself (backupset first_lsn/last_lsn comparisons)', () => {
    const a = parseLsn('0000002a:000001f0:0003');
    const b = parseLsn('0000002a:000001f0:0004');
    const c = parseLsn('0000002b:00000000:0001');
    const dec = [c, a, b].map((l) => BigInt(lsnToDecimal(l))).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    expect(dec.map(String)).toEqual([a, b, c].map(lsnToDecimal));
  });

  it.each([
    ['0x0000002A000001F0003', 'binary too short'],
    ['42000000049600003x', 'decimal with junk'],
    ['12345678901234567890123456', 'decimal longer than numeric(25,0)'],
    ['4294967296000000000000000', 'VLF part over 32 bits'],
    ['dec:42:496', 'decimal form with two parts'],
    ['dec:1:2:65536', 'slot over 16 bits'],
  ])('rejects %s (%s) with INPUT_BAD_LSN naming the text', (text) => {
    expect(() => parseAnyLsn(text)).toThrow(expect.objectContaining({ code: 'INPUT_BAD_LSN', message: expect.stringContaining(text) }));
  });
});

describe('(42:496:3), as DBCC PAGE prints m_lsn and the error log prints LSNs, is decimal', () => {
  it.each([
    ['(35:243:2)', '00000023:000000f3:0002'],
    [' (42:496:3) ', '0000002a:000001f0:0003'],
    ['(1:2:3)', '00000001:00000002:0003'],
  ])('%s → %s', (text, want) => expect(formatLsn(parseAnyLsn(text))).toBe(want));
  it.each(['(2a:1f0:3)', '(35:243)', '(1:2:65536)'])('%s is refused', (text) => {
    expect(() => parseAnyLsn(text, '--from-lsn')).toThrow(expect.objectContaining({ code: 'INPUT_BAD_LSN' }));
  });
});

describe('a value of no LSN form is told every form, and the option', () => {
  it.each(['garbage', '2a-1f0-3', 'lsn:x', '0x12'])('%s', (text) => {
    // before: the last form tried named itself only ("'garbage' is not a numeric(25,0) LSN such as …")
    expect(() => parseAnyLsn(text, '--from-lsn')).toThrow(
      expect.objectContaining({
        code: 'INPUT_BAD_LSN',
        message: `--from-lsn '${text}' is not an LSN: give it as fn_dblog prints it (0000002a:000001f0:0003), 0x0000002A000001F00003, 42000000049600003 (lsn:…), dec:42:496:3 or (42:496:3)`,
      }),
    );
  });
  it('out of range keeps its reason', () => {
    expect(() => parseAnyLsn('dec:1:2:65536', '--lsn')).toThrow(/^--lsn 'dec:1:2:65536' is out of range for an LSN/);
  });
});

describe('LSN refusals quote the input on one line, cut short', () => {
  it.each([['00000019:00000093:0003\nforged'], ['9'.repeat(5000)], ['lsn:\r1']])('%#', (text) => {
    let message = '';
    // the text echoed cut to ~120 characters, then every LSN form named (~130): one short line
    try {
      parseAnyLsn(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toMatch(/[\n\r]/);
    expect(message.length).toBeLessThan(300);
  });
});

describe('a short all-digit colon LSN reads two ways and is refused unless both agree', () => {
  // fn_dblog prints 0000002a:000001f0:0003 (hex) but takes '42:496:3' (decimal) as a parameter:
  // `19:99:2` was read as hex (00000019:00000099:0002) without a word, a record other than
  // the decimal reading's 00000013:00000063:0002.
  it.each([
    ['19:99:2', '00000019:00000099:0002', '00000013:00000063:0002'],
    ['42:496:3', '00000042:00000496:0003', '0000002a:000001f0:0003'],
    ['0019:0099:0002', '00000019:00000099:0002', '00000013:00000063:0002'],
  ])('%s', (text, hex, dec) => {
    expect(() => parseAnyLsn(text, '--from-lsn')).toThrow(
      expect.objectContaining({
        code: 'INPUT_AMBIGUOUS_LSN',
        message: `--from-lsn '${text}' reads two ways: as fn_dblog's printed hex it is ${hex}, as the decimal form fn_dblog takes it is ${dec}; give ${hex} or dec:${text}`,
      }),
    );
  });
  it.each([
    ['1:2:3', '00000001:00000002:0003'], // both readings agree
    ['00000019:00000099:0002', '00000019:00000099:0002'], // padded as fn_dblog prints it
    ['0x19:99:2', '00000019:00000099:0002'], // 0x marks hex
    ['2a:1f0:3', '0000002a:000001f0:0003'], // a hex letter
    ['dec:19:99:2', '00000013:00000063:0002'],
  ])('%s is read as %s', (text, printed) => {
    expect(formatLsn(parseAnyLsn(text))).toBe(printed);
  });
});
