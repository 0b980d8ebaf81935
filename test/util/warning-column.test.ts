/**
 * util/warning-column.ts warnedColumn: a row warning's column, when one column's name is another's
 * bracketed form (`A B` written now `[A B]`, and a column named `[A B]` itself, which an older
 * rowback wrote bare as `[A B]`). Its docstring says the written-now form wins at one length; it was
 * the first column in the row's order: with `[A B]` before `A B`, `A B`'s warnings were read as
 * `[A B]`'s, so diff called `[A B]` changed (its bytes the same) and `A B` not (its bytes changed),
 * and a re-insert's REINSERT_UNDEFINED_BYTES named `[A B]` and that column's target type. SYNTHETIC
 * rows (test/support/synthetic-encoder.ts, Greek_CI_AS varchar: 0xAA and 0xD2 are bytes code page
 * 1253 does not define, both printed U+FFFD), decoded by decodeRow.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { undefinedBytesWarned } from '../../src/reinsert/service.js';
import { bytesNotes } from '../../src/replay/row-state.js';
import { diffTableStates, opaqueTextColumns, type TableState } from '../../src/replay/table-diff.js';
import { warnedColumn } from '../../src/util/warning-column.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

const orders = [['[A B]', 'A B'], ['A B', '[A B]']] as const;

/** A decoded row of a table whose columns are id and `names` (varchar, Greek_CI_AS), holding the bytes given (hex) per column. */
function decoded(names: readonly string[], bytes: Record<string, string>) {
  const layout = buildLayout('T', [{ name: 'id', type: 'int' }, ...names.map((name) => ({ name, type: 'varchar' as const, maxLength: 10, collation: 'Greek_CI_AS' }))]);
  const marks = names.map((_, i) => String.fromCharCode(0x51 + i).repeat(2)); // QQ, RR, …
  const image = Buffer.from(encodeRow(layout, { id: 1, ...Object.fromEntries(names.map((n, i) => [n, marks[i]!])) }));
  names.forEach((n, i) => Buffer.from(bytes[n] ?? '4141', 'hex').copy(image, image.indexOf(Buffer.from(marks[i]!, 'latin1'))));
  return { layout, row: decodeRow(image, layout) };
}

describe('warnedColumn: one name is another\'s bracketed form', () => {
  it.each(orders)('columns %s, %s: each warning written now is its own column\'s', (c1, c2) => {
    for (const own of ['A B', '[A B]']) {
      const { row } = decoded([c1, c2], { [own]: 'c1aa' });
      expect(row.warnings).toHaveLength(1);
      expect(warnedColumn(row.warnings[0]!, [c1, c2], (rest) => rest.startsWith(': '))).toBe(own);
      expect(undefinedBytesWarned([{ id: 1, values: row.values, warnings: row.warnings }]).map((x) => x.column)).toEqual([own]);
    }
  });

  it.each(orders)('columns %s, %s: diff calls changed the column whose bytes changed', (c1, c2) => {
    const state = (bytes: Record<string, string>): TableState => {
      const { row } = decoded([c1, c2], bytes);
      return { table: 'dbo.T', columns: ['id', c1, c2], rows: [{ values: row.values, bytesNotes: bytesNotes(row.warnings) }] };
    };
    const { layout } = decoded([c1, c2], {});
    const d = diffTableStates(state({ 'A B': 'c1aa', '[A B]': 'c1aa' }), state({ 'A B': 'c1d2', '[A B]': 'c1aa' }), ['id'], 'key', opaqueTextColumns(layout));
    expect(d.changed.map((c) => c.columns)).toEqual([['A B']]);
  });
});
