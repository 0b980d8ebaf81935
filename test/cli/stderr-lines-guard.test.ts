/**
 * Every line the CLI writes on stderr goes through cli/stderr-lines.ts (sayLine, sayLines), which
 * makes each logical line one line (a path or name holding a line break as `\u{a}`): about 70 raw
 * `stderr.write(` sites printed notes and WARNING lines with paths and names as they are, so a file
 * named with a line break split a line in two (session 51, test/cli/stderr-notes-one-line). This test
 * reads the source: a `stderr.write(` anywhere in src/cli but the sites kept below, or any
 * `console.error`/`console.warn` there, fails it, so that a new raw site is a decision, written here
 * with its reason. Library code (src/ outside cli) writes nothing on stderr at all (DEVELOPERS.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The raw stderr writes kept, each with why: `file` relative to the repository, `code` a part of its line. */
const KEPT: ReadonlyArray<{ file: string; code: string; why: string }> = [
  {
    file: 'src/cli/iso-times-stderr.ts',
    code: 'stderr.write(isoLogTimesIn(',
    why: 'a stream between a command and stderr: it passes on what sayLine/sayLines wrote to it, its times rewritten; it writes no line of its own',
  },
  {
    file: 'src/cli/main.ts',
    code: 'process.stderr.write(`${redactSecrets(String(err?.stack))}\\n`)',
    why: 'the stack trace of an INTERNAL error under ROWBACK_DEBUG: several lines on purpose (a developer reads it), after the one-line INTERNAL line',
  },
];
// Not found by this test, and kept too: progress.ts writes its one progress line with `\r` rewrites
// (`stream.write`, only to a terminal) and makes its text one line itself (oneLineText); main.ts's
// commander outputError writes the usage refusal through commander's `write`, made one line there.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** `file: line` for each line of code (not a comment line) in `files` matching `pattern`. */
function sites(files: readonly string[], pattern: RegExp): Array<{ file: string; line: string }> {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l) && pattern.test(l))
      .map((l) => ({ file: relative(ROOT, f), line: l.trim() })),
  );
}

it('src/cli writes on stderr only through stderr-lines.ts, but for the sites kept (each with its reason)', () => {
  const files = sourceFiles(join(ROOT, 'src', 'cli')).filter((f) => !f.endsWith(join('cli', 'stderr-lines.ts')));
  const raw = sites(files, /\bstderr\s*\.\s*write\s*\(/);
  const unexplained = raw.filter((s) => !KEPT.some((k) => k.file === s.file && s.line.includes(k.code)));
  expect(unexplained, 'write it through sayLine/sayLines (src/cli/stderr-lines.ts), or add it to KEPT with its reason').toEqual([]);
  // each site kept is still there (a site removed is taken off the list)
  for (const k of KEPT) expect(raw.some((s) => s.file === k.file && s.line.includes(k.code)), `${k.file}: ${k.code}`).toBe(true);
  expect(raw).toHaveLength(KEPT.length);
  expect(sites(files, /\bconsole\s*\.\s*(error|warn)\s*\(/)).toEqual([]);
});

it('the writer itself writes each line through oneLineText', () => {
  const text = readFileSync(join(ROOT, 'src', 'cli', 'stderr-lines.ts'), 'utf8');
  const writes = text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l) && /\.write\(/.test(l));
  expect(writes).toHaveLength(2);
  for (const w of writes) expect(w).toMatch(/oneLineText|text\)/);
});

it('library code (src/ outside cli) writes nothing on stderr', () => {
  const files = sourceFiles(join(ROOT, 'src')).filter((f) => !relative(ROOT, f).startsWith(join('src', 'cli')));
  expect(sites(files, /\bstderr\s*\.\s*write\s*\(|\bconsole\s*\.\s*(error|warn|log)\s*\(/)).toEqual([]);
});
