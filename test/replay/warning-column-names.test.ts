/**
 * Row warnings name their column as one name (identifierText: `column [A: x]: …`), and the readers
 * that take a warning back to its column (replay/table-diff.ts notesOf, reinsert/service.ts
 * undefinedBytesWarned) read both that form and the bare one older rowback versions staged.
 *
 * A bare warning of a column `A: x` (`column A: x: 0xAA at offset 1 …`) starts with `column A: `,
 * the prefix notesOf looked for column A's warnings by: a comparison called A changed, whose bytes
 * were the same in both states, when only `A: x`'s differed. SYNTHETIC rows (test/support/
 * synthetic-encoder.ts, Greek_CI_AS varchar: 0xAA and 0xD2 are bytes code page 1253 does not
 * define, both printed U+FFFD), decoded by decodeRow as diff decodes them.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { bytesNotes } from '../../src/replay/row-state.js';
import { diffTableStates, opaqueTextColumns, type TableState } from '../../src/replay/table-diff.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

const layout = buildLayout('T', [
  { name: 'id', type: 'int' },
  { name: 'A', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' },
  { name: 'A: x', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' },
]);
const opaque = opaqueTextColumns(layout);

/** A row whose A holds bytes `a` and whose `A: x` holds bytes `ax` (hex), with its warnings kept as compare.ts keeps them. */
function row(id: number, a: string, ax: string): TableState['rows'][number] {
  const image = Buffer.from(encodeRow(layout, { id, A: 'QQ', 'A: x': 'RR' }));
  Buffer.from(a, 'hex').copy(image, image.indexOf(Buffer.from('QQ', 'latin1')));
  Buffer.from(ax, 'hex').copy(image, image.indexOf(Buffer.from('RR', 'latin1')));
  const r = decodeRow(image, layout);
  return { values: r.values, bytesNotes: bytesNotes(r.warnings) };
}
const state = (rows: TableState['rows']): TableState => ({ table: 'dbo.T', columns: ['id', 'A', 'A: x'], rows });

describe('a row warning names its column as one name', () => {
  it('decodeRow: `column [A: x]: 0xD2 at offset 1 …` and `column A: 0xAA at offset 1 …`', () => {
    const warnings = row(1, 'c1aa', 'c1d2').bytesNotes!.split('\u0000');
    expect(warnings).toEqual([expect.stringMatching(/^column A: 0xAA at offset 1 of its 2-byte value is not defined in code page 1253 /), expect.stringMatching(/^column \[A: x\]: 0xD2 at offset 1 of its 2-byte value is not defined in code page 1253 /)]);
  });
});

describe('diffTableStates: the warnings of a column are its own, not those of a column whose name it begins', () => {
  it('A the same bytes in both states, `A: x` other bytes: `A: x` is changed, A is not', () => {
    const d = diffTableStates(state([row(1, 'c1aa', 'c1aa')]), state([row(1, 'c1aa', 'c1d2')]), ['id'], 'key', opaque);
    expect(d.changed.map((c) => c.columns)).toEqual([['A: x']]);
  });

  it('warnings in the bare form older rowback versions wrote: read the same (longest name first)', () => {
    const bare = (r: TableState['rows'][number]) => ({ ...r, bytesNotes: r.bytesNotes!.replace('column [A: x]: ', 'column A: x: ') });
    const before = bare(row(1, 'c1aa', 'c1aa'));
    const after = bare(row(1, 'c1aa', 'c1d2'));
    expect(after.bytesNotes).toMatch(/\u0000column A: x: 0xD2 at offset 1 /);
    expect(diffTableStates(state([before]), state([after]), ['id'], 'key', opaque).changed.map((c) => c.columns)).toEqual([['A: x']]);
    // and A's own bytes changed, `A: x`'s not: A alone
    const d = diffTableStates(state([bare(row(1, 'c1aa', 'c1aa'))]), state([bare(row(1, 'c1d2', 'c1aa'))]), ['id'], 'key', opaque);
    expect(d.changed.map((c) => c.columns)).toEqual([['A']]);
  });
});
