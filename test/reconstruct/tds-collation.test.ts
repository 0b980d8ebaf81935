/**
 * The 5-byte TDS collation ([MS-TDS] 2.2.5.1.2) → the collation it names (reconstruct/tds-collation.ts).
 * Expected values: SQL Server's own COLLATIONPROPERTY(name, 'TDSCollation') (the four bytes, in wire
 * order) and CollationID (whose top byte is the SortId) of each name, as published in
 * ycherkes/OrcaSql `Collations.cs` (a SELECT over sys.fn_helpcollations() on SQL Server 2017). The
 * same rule and table were checked against all 3,927 of its rows while writing the module (every
 * one named exactly, or its plain form where the TDS collation cannot tell an _SC/_VSS form apart,
 * with the same code page). The corpus side (backup headers against boot pages) is
 * test/backup/header-collation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { tdsCollation } from '../../src/reconstruct/tds-collation.js';
import { codePageForCollation } from '../../src/reconstruct/collation.js';

const bytes = (tds: string, sortId: number) => Uint8Array.from([...Buffer.from(tds, 'hex'), sortId]);

describe('tdsCollation: bytes → collation', () => {
  it.each([
    // name, TDSCollation (wire order), SortId, variantUnknown
    ['Turkish_CI_AS', '1F04D000', 0, false],
    ['Arabic_CI_AS', '0104D000', 0, false],
    ['Modern_Spanish_CI_AS', '0A0CD000', 0, false],
    ['Cyrillic_General_CI_AS', '1904D000', 0, false],
    ['Latin1_General_CI_AS', '0904D000', 0, false],
    // LCIDs with a sort part (bits 16-19): German phone book, Chinese stroke order
    ['German_PhoneBook_CI_AS', '0704D100', 0, false],
    ['Chinese_PRC_Stroke_CI_AS', '0408D200', 0, false],
    // SQL collations: the SortId names them; the same TDS bytes as Latin1_General_CI_AS
    ['SQL_Latin1_General_CP1_CI_AS', '0904D000', 52, false],
    ['SQL_Latin1_General_CP1251_CI_AS', '0904D000', 106, false],
    // one SortId, two collations: fBinary against fBinary2
    ['SQL_Latin1_General_CP437_BIN', '09040001', 30, false],
    ['SQL_Latin1_General_CP437_BIN2', '09040002', 30, false],
    ['Latin1_General_100_BIN2', '09040022', 0, false],
    // _SC / _VSS forms share their plain form's bytes: named plain, said uncertain
    ['Chinese_PRC_90_CI_AS', '0408D010', 0, true],
    ['Japanese_XJIS_140_CI_AS', '1104D030', 0, true],
  ] as const)('%s', (name, tds, sortId, variantUnknown) => {
    const r = tdsCollation(bytes(tds, sortId), 0);
    expect(r).toEqual({ name, id: expect.any(Number), variantUnknown });
  });

  it('Chinese_PRC_90_CI_AS_SC (0408D010, SortId 0) reads as Chinese_PRC_90_CI_AS, uncertain, same code page', () => {
    const r = tdsCollation(bytes('0408D010', 0), 0)!;
    expect(r.name).toBe('Chinese_PRC_90_CI_AS');
    expect(r.variantUnknown).toBe(true);
    expect(codePageForCollation(r.name)).toBe(codePageForCollation('Chinese_PRC_90_CI_AS_SC'));
  });

  it('the id is COLLATIONPROPERTY\'s CollationID (plain forms)', () => {
    expect(tdsCollation(bytes('1F04D000', 0), 0)!.id).toBe(53274); // Turkish_CI_AS
    expect(tdsCollation(bytes('0904D000', 52), 0)!.id).toBe(872468488); // SQL_Latin1_General_CP1_CI_AS
    expect(tdsCollation(bytes('09040001', 30), 0)!.id).toBe(503382024); // SQL_Latin1_General_CP437_BIN
  });

  it('an offset inside a larger buffer', () => {
    const b = new Uint8Array(16);
    b.set(bytes('1F04D000', 0), 9);
    expect(tdsCollation(b, 9)?.name).toBe('Turkish_CI_AS');
  });

  it.each([
    ['all zero (no collation)', bytes('00000000', 0), 0],
    ['fUTF8 set (a _UTF8 collation of 2019+: not in the list): unknown, never its 1252 namesake', bytes('0904D004', 0), 0],
    ['the reserved bit set', bytes('0904D008', 0), 0],
    ['an LCID with no collation family (0x0FFF)', bytes('FF0FD000', 0), 0],
    ['a version with none (15)', bytes('0904D0F0', 0), 0],
    ['a SortId with no SQL collation (255)', bytes('0904D000', 255), 0],
    ['five bytes past the end', bytes('1F04D000', 0), 1],
    ['a negative offset', bytes('1F04D000', 0), -1],
  ] as const)('null: %s', (_what, b, at) => {
    expect(tdsCollation(b, at)).toBeNull();
  });
});
