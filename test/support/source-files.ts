import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (recursively) whose name matches `ext`, as absolute paths: the project's own source for tests that read it as text. */
export function sourceFiles(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : []));
}

/** `text` with line and block comments blanked (same length, line breaks kept), strings left as they are (a comment marker inside a string may blank code after it: a miss, never a false finding). */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(?<![:'"`\\])\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
}
