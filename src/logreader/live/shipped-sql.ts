import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceError } from '../../errors.js';

/**
 * The T-SQL files in `sql/` are what DBAs run by hand; the live path runs the very same text
 * so that both always agree. They are found by walking up from this module to the package
 * root (works from src/ under tsx and from dist/ after a build).
 */
export function readShippedSql(name: string, from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'sql', name);
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return readFileSync(candidate, 'utf8');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new SourceError('SOURCE_SQL_MISSING', `the shipped query sql/${name} was not found above ${from}; is the installation complete?`);
}

/** sqlcmd / SSMS batch separators are not T-SQL: the worker sends the text without them. */
export function withoutBatchSeparators(text: string): string {
  return text.replace(/^\s*GO\s*$/gim, '').trim();
}
