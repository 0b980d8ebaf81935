import { execFileSync } from 'node:child_process';
import { oneLineText } from '../../src/util/echo.js';

/**
 * The words a POSIX shell splits `line` into (`set -- LINE`, each printed NUL-ended): how a command
 * line a refusal advises reads when pasted into `shell` (sh is dash on the test machines). Runs the
 * shell with `cwd` (default `/`) so no glob can match a file of the test's folder.
 */
export function shellWordsOf(line: string, shell: 'sh' | 'bash' = 'sh', cwd = '/'): string[] {
  const out = execFileSync(shell, ['-c', `set -- ${line}; for w in "$@"; do printf '%s\\0' "$w"; done`], { encoding: 'utf8', cwd });
  return out.split('\0').slice(0, -1);
}

/**
 * The path a message advises between `before` and `after` (the first `after` past `before`; '' for the end), as the
 * message prints (util/echo.ts oneLineText, what stderr-lines.ts writes) and a POSIX sh reads it
 * pasted: the words sh splits that span into. A printed line holding a raw line break fails first.
 */
export function advisedWords(message: string, before: string, after: string): string[] {
  const printed = oneLineText(message);
  if (/[\r\n\u2028\u2029]/.test(printed)) throw new Error(`not one line: ${JSON.stringify(printed)}`);
  const at = printed.indexOf(before);
  if (at < 0) throw new Error(`${JSON.stringify(before)} is not in ${JSON.stringify(printed)}`);
  const from = at + before.length;
  const to = after === '' ? printed.length : printed.indexOf(after, from);
  if (to < 0) throw new Error(`${JSON.stringify(after)} is not after ${JSON.stringify(before)} in ${JSON.stringify(printed)}`);
  return shellWordsOf(printed.slice(from, to));
}

/** SYNTHETIC: a path holding a space, a `'` and a line break, the three a pasted word must keep. */
export const AWKWARD_PATH = "/tmp/my dir/it's\nx.bak";
