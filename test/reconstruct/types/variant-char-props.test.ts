/**
 * A char/varchar/nchar/nvarchar value inside a sql_variant carries 6 property bytes on disk (u16 max
 * length, u32 collation id), not the 7 of the TDS wire form: the decoder skipped 7, so every nvarchar
 * variant read as an odd byte count (refused) and every varchar one lost its first character with no
 * warning ('Smith' printed 'mith').
 *
 * Real bytes: system-table records holding nvarchar variants in the corpus (their column spans come
 * from each record's own variable-column offset array, so the value's length is SQL Server's):
 *  - CRUD-.NET/App_Data/Database2.mdf, the record at file offset 364066: 'microsoft.sqlserver.types.dll';
 *  - Chinook_Analysis/Chinook.bak (a stripe, read raw here), the record at file offset 314157: '1.0'.
 * The varchar case is the same header with base type 0xA7 (SYNTHETIC bytes, labelled below).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { decodeSqlVariant } from '../../../src/reconstruct/types/variant.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

/** The only variable column of the FixedVar record at `at` (status 0x30, one var column). */
function onlyVarColumn(file: Buffer, at: number): [number, number] {
  expect(file[at]).toBe(0x30);
  const fixedEnd = file.readUInt16LE(at + 2);
  const columns = file.readUInt16LE(at + fixedEnd);
  const varCountAt = at + fixedEnd + 2 + ((columns + 7) >> 3);
  expect(file.readUInt16LE(varCountAt)).toBe(1);
  const start = varCountAt + 4;
  return [start, at + (file.readUInt16LE(varCountAt + 2) & 0x7fff)];
}

describeCorpus('sql_variant character properties (6 bytes on disk)', () => {
  it.each([
    [['CRUD-.NET', 'App_Data', 'Database2.mdf'], 364066, 'microsoft.sqlserver.types.dll'],
    [['Chinook_Analysis', 'Chinook.bak'], 314157, '1.0'],
  ] as const)('%s: the nvarchar variant at %i reads whole', (parts, at, text) => {
    const file = readFileSync(corpusPath(...parts));
    const [s, e] = onlyVarColumn(file, at);
    expect(file.subarray(s, s + 2).toString('hex')).toBe('e701');
    // MaxLength 520 bytes: nvarchar(260), sys.assembly_files.name's type; its own collation
    expect(decodeSqlVariant(file, s, e)).toEqual({ baseType: 'nvarchar', maxLength: 520, collation: 'SQL_Latin1_General_CP1_CI_AS', value: text });
  });

  it('SYNTHETIC: a varchar variant with the same properties keeps its first character', () => {
    const b = Buffer.from('a701080208d00034' + Buffer.from('Smith', 'latin1').toString('hex'), 'hex');
    expect(decodeSqlVariant(b, 0, b.length)).toEqual({ baseType: 'varchar', maxLength: 520, collation: 'SQL_Latin1_General_CP1_CI_AS', value: 'Smith' });
  });
});
