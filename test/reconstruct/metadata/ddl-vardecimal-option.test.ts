/**
 * `EXEC sp_tableoption 't', 'vardecimal storage format', 1` in a --ddl script: the table's
 * decimal/numeric columns are then stored in the record's variable part in vardecimal form (Paul
 * Randal, "SQL Server 2005 SP2: vardecimal storage format"; Microsoft Learn, sp_tableoption), not in
 * the fixed slots the column list gives. The DDL parser skipped every sp_tableoption, so the layout put
 * `amount decimal(18,2)` at a fixed offset: the row below printed amount 0.00 (it holds 123.45), read
 * from the NULL bigint's slot, with only a warning about a variable entry no column owns; with qty and
 * price set it was refused as "out of range" (breaker, wt-B: old code run on this image). The data
 * file's catalog shows the variable leaf offset and rowback refuses it there
 * (datafile/metadata.ts vardecimalRefusal); the script's layout is now refused the same way.
 *
 * SYNTHETIC: the row image is a FixedVar record built by the test encoder from the physical layout
 * vardecimal gives (the decimal as a variable column holding 0xC21EDC20 = 123.45, improve.dk's published
 * vardecimal vector), read through the script's layout.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { encodeFixedVar } from '../../support/synthetic-encoder.js';

const CREATE = 'CREATE TABLE dbo.T (id int NOT NULL, amount decimal(18,2) NULL, qty bigint NULL, price bigint NULL)';

describe("sp_tableoption 'vardecimal storage format' in a --ddl script (SYNTHETIC row image)", () => {
  it('the layout is unreadable, naming the option and the decimal columns; a row is refused, not decoded with the decimal at a fixed slot', () => {
    const [t] = layoutsFromDdl(`${CREATE}\nGO\nEXEC sp_tableoption 'dbo.T', 'vardecimal storage format', 1;`);
    expect(t!.unreadable).toMatch(/^line 3: sp_tableoption 'vardecimal storage format' is on, so amount is stored in the variable part of the record in vardecimal form/);
    // the record as vardecimal stores it: id, qty, price fixed (qty, price NULL), amount in the variable part
    const physical: TableLayout = {
      schema: 'dbo', name: 'T', indexId: 0, compression: 'NONE',
      columns: [
        { ...t!.columns[0]! },
        { ...t!.columns[1]!, type: 'varbinary', maxLength: 20, leafOffset: -1 },
        { ...t!.columns[2]!, leafOffset: 8 },
        { ...t!.columns[3]!, leafOffset: 16 },
      ],
    };
    const image = encodeFixedVar(physical, { id: 1, amount: '0xC21EDC20', qty: null, price: null });
    // the script's layout printed amount 0.00 from qty's NULL slot here (a warning, no refusal)
    const e = ((): DecodeError => {
      try {
        const row = decodeRow(image, t!);
        throw new Error(`decoded ${JSON.stringify(row.values)} with warnings ${JSON.stringify(row.warnings)}`);
      } catch (x) {
        expect(x).toBeInstanceOf(DecodeError);
        return x as DecodeError;
      }
    })();
    expect(e.code).toBe('DECODE_NO_COLUMNS');
  });

  it("the option's argument forms: @names, ON, 'true', [sys].[sp_tableoption]; OFF / 0 and other options change nothing", () => {
    for (const exec of [
      "EXEC sys.sp_tableoption @TableNamePattern = N'dbo.T', @OptionName = 'vardecimal storage format', @OptionValue = 'ON'",
      "EXECUTE [sys].[sp_tableoption] 'T', 'vardecimal storage format', 'true'",
    ]) expect(layoutsFromDdl(`${CREATE};\n${exec}`)[0]!.unreadable, exec).toMatch(/vardecimal storage format' is on/);
    for (const exec of [
      "EXEC sp_tableoption 'dbo.T', 'vardecimal storage format', 0",
      "EXEC sp_tableoption 'dbo.T', 'vardecimal storage format', 'OFF'",
      "EXEC sp_tableoption 'dbo.T', 'large value types out of row', 1",
    ]) expect(layoutsFromDdl(`${CREATE};\n${exec}`)[0]!.unreadable, exec).toBeUndefined();
  });

  it('a table without decimal columns, or ROW-compressed (every decimal is vardecimal in CD form), stays readable', () => {
    expect(layoutsFromDdl("CREATE TABLE dbo.U (id int, n varchar(10));\nEXEC sp_tableoption 'dbo.U', 'vardecimal storage format', 1")[0]!.unreadable).toBeUndefined();
    expect(layoutsFromDdl(`CREATE TABLE dbo.V (id int, amount decimal(18,2)) WITH (DATA_COMPRESSION = ROW);\nEXEC sp_tableoption 'dbo.V', 'vardecimal storage format', 1`)[0]!.unreadable).toBeUndefined();
  });
});
