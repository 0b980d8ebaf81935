/**
 * referenceKeyText: a foreign key's values compared as the referenced column's collation compares
 * them (src/reinsert/source-keys.ts). SYNTHETIC layouts and values.
 */
import { expect, it } from 'vitest';
import { referenceKeyText } from '../../src/reinsert/source-keys.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

const layout = (collation: string | null): TableLayout => ({ schema: 'dbo', name: 'Customers', columns: [{ name: 'Code', collation }, { name: 'Region', collation: null }] } as unknown as TableLayout);

it.each([
  // [collation, a, b, same key]
  ['SQL_Latin1_General_CP1_CI_AS', 'ALFKI', 'alfki', true],
  ['SQL_Latin1_General_CP1_CI_AS', 'ALFKI  ', 'ALFKI', true],
  ['SQL_Latin1_General_CP1_CI_AS', 'José', 'Jose', false],
  ['Latin1_General_CI_AI', 'José', 'jose', true],
  ['Latin1_General_CS_AS', 'ALFKI', 'alfki', false],
  ['Latin1_General_BIN2', 'ALFKI', 'alfki', false],
  ['Latin1_General_BIN2', 'ALFKI ', 'ALFKI', true],
  [null, 'ALFKI', 'alfki', false],
] as const)('under %s, %j and %j are one key: %s', (collation, a, b, same) => {
  const key = referenceKeyText(['Code'], layout(collation));
  expect(key({ Code: a }, ['Code']) === key({ CustomerCode: b }, ['CustomerCode'])).toBe(same);
});

it('a column without a collation compares exactly; a NULL or absent part references nothing; no layout compares exactly', () => {
  const key = referenceKeyText(['Code', 'Region'], layout('SQL_Latin1_General_CP1_CI_AS'));
  expect(key({ A: 'x', B: 5 }, ['A', 'B'])).toBe(key({ Code: 'X', Region: 5 }, ['Code', 'Region']));
  expect(key({ A: 'x', B: 5 }, ['A', 'B'])).not.toBe(key({ A: 'x', B: '5' }, ['A', 'B']));
  expect(key({ A: 'x', B: null }, ['A', 'B'])).toBeUndefined();
  expect(key({ A: 'x' }, ['A', 'B'])).toBeUndefined();
  const exact = referenceKeyText(['Code'], undefined);
  expect(exact({ Code: 'A' }, ['Code'])).not.toBe(exact({ Code: 'a' }, ['Code']));
});
