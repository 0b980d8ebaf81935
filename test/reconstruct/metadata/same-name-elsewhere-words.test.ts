/**
 * sameNameElsewhereNote advises `--table SCHEMA.NAME` for a namesake in another schema: the value as a
 * word of a POSIX command line (util/tsql.ts tableNameWord, then util/shell-word.ts shellWord).
 * `--table Sales.[User]` was advised bare (a glob to zsh), and `--table [Hr Ops].Emp` two words.
 */
import { describe, expect, it } from 'vitest';
import { sameNameElsewhereNote } from '../../../src/reconstruct/metadata/names.js';
import { advisedWords } from '../../support/shell-words.js';

describe.skipIf(process.platform === 'win32')('sameNameElsewhereNote: the --table advice', () => {
  it.each([
    ['a space', 'Hr Ops', '[Hr Ops].Emp'],
    ["a '", "it's", "[it's].Emp"],
    ['a line break', 'a\nb', '[a\nb].Emp'],
  ])('a schema holding %s: the shell reads the word back as the table name', (_what, schema, word) => {
    const note = sameNameElsewhereNote('dbo.Emp', [`${schema}.Emp`])!;
    expect(advisedWords(note, '(--table ', ') to read')).toEqual([word]);
  });
});
