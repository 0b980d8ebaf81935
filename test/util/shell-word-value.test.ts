/**
 * shellWordValue reads back a word exactly as util/shell-word.ts shellWord writes it, for POSIX sh
 * and PowerShell: the path the word stands for (the API's job wording gives it as a JSON string).
 * Text shellWord would not write (an echoInput quote of a value shellWord leaves bare, two words)
 * is not read. SYNTHETIC values: the characters each shell quotes in its own way.
 */
import { expect, it } from 'vitest';
import { quotedShellWordSource, shellWord, shellWordValue } from '../../src/util/shell-word.js';
import { shellWordsOf } from '../support/shell-words.js';

const VALUES = ["/tmp/my dir/it's.bak", 'a~b', '', 'a\nb', 'ends\n', '-x.bak', '--', 'x\u202ekab.sql', 'p%q\\r', 'o\u2019k', '$a`b"c', 'C:\\Data\\my file.bak', '\u{1d49c}\u{e0061}', "'", '=x', 'a*[b]!^%c&'];

it('reads every word shellWord writes back as its value, in both shells', () => {
  for (const shell of ['posix', 'powershell'] as const) {
    for (const v of VALUES) {
      const w = shellWord(v, shell);
      expect(shellWordValue(w, shell), `${shell} ${JSON.stringify(w)}`).toBe(v);
      // a quoted word is one match of the quoted-word source, whole
      if (w !== v) expect(new RegExp(`^(?:${quotedShellWordSource(shell)})$`, 'u').test(w), w).toBe(true);
    }
  }
});

it.skipIf(process.platform === 'win32')('reads a POSIX word as sh does', () => {
  for (const v of VALUES.filter((x) => x !== '' && !x.endsWith('\n'))) expect(shellWordsOf(shellWord(v, 'posix'))).toEqual([shellWordValue(shellWord(v, 'posix'), 'posix')]);
});

it('reads no text shellWord would not write', () => {
  expect(shellWordValue("'1,,2'", 'posix')).toBeUndefined();
  expect(shellWordValue("'a' 'b'", 'posix')).toBeUndefined();
  expect(shellWordValue("'it''s'", 'posix')).toBeUndefined();
  expect(shellWordValue("'plain'", 'powershell')).toBeUndefined();
  expect(shellWordValue('plain', 'posix')).toBe('plain');
});
