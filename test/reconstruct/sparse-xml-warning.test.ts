/**
 * An xml column may be SPARSE (MS Learn "Use sparse columns": geography, geometry, image, ntext, text,
 * timestamp and user-defined types cannot be), and its value in the sparse vector is SQL Server's
 * binary XML, which rowback shows as hex: the row says so, as it does for a non-sparse xml column
 * ("binary XML is not decoded; shown as hex"). Before, the sparse value printed as "0xDFFF01" with
 * no warning (`rowback decode` exit 0, `--strict` too).
 * Record SYNTHETIC: ID int, Y xml NULL (null bit set), the sparse vector (id 5, column id 2, end 11)
 * in the first variable slot, holding the 3 bytes DF FF 01.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';

describe('sparse xml value (SYNTHETIC)', () => {
  const [SX] = layoutsFromDdl('CREATE TABLE dbo.SX (ID int, X xml SPARSE NULL, Y xml NULL)');
  const image = Buffer.from('30000800' + '01000000' + '0200' + '02' + '0100' + '1a80' + '0500' + '0100' + '0200' + '0b00' + 'dfff01', 'hex');

  it('is shown as hex with the binary-XML warning', () => {
    const row = decodeRow(image, SX);
    expect(row.values).toEqual({ ID: 1, X: '0xDFFF01', Y: null });
    expect(row.warnings).toContain('column X: binary XML is not decoded; shown as hex');
  });

  it('a sparse xml column absent from the vector is NULL, without the warning', () => {
    const none = Buffer.from('30000800' + '01000000' + '0200' + '02' + '0100' + '1380' + '0500' + '0000', 'hex');
    const row = decodeRow(none, SX);
    expect(row.values).toEqual({ ID: 1, X: null, Y: null });
    expect(row.warnings.filter((w) => /binary XML/.test(w))).toEqual([]);
  });
});
