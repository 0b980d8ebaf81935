import { execFileSync } from 'node:child_process';

/**
 * The words a POSIX shell splits `line` into (`set -- LINE`, each printed NUL-ended): how a command
 * line a refusal advises reads when pasted into `shell` (sh is dash on the test machines). Runs the
 * shell with `cwd` (default `/`) so no glob can match a file of the test's folder.
 */
export function shellWordsOf(line: string, shell: 'sh' | 'bash' = 'sh', cwd = '/'): string[] {
  const out = execFileSync(shell, ['-c', `set -- ${line}; for w in "$@"; do printf '%s\\0' "$w"; done`], { encoding: 'utf8', cwd });
  return out.split('\0').slice(0, -1);
}
