/**
 * Where a skipped item is, as the review page shows it after the item's reason (`GET
 * /api/jobs/:id/skipped` answers it as each item's `where`): one source of the notation the CLI's
 * lines use, computed here rather than in the browser.
 */
import { locationPartText } from '../errors.js';
import { escapeUnprintable } from '../util/echo.js';
import type { SkippedItem } from '../util/skipped-item.js';

/**
 * The parts of a skipped item's location the review page names, in its order: `file …`, `LSNs A to
 * B` (its `lsnRange`, else `LSN …`), `offset …`, `page …`, `slot …`, `table …`, `column …`, joined
 * with `, `; '' when it names none. A table is written as one T-SQL name through
 * errors.ts locationPartText (nameText: `table dbo.[Order Details]`) and a column through
 * identifierText (`column [Unit Price]`, `column [a\u{a}b]`), so a name holding a space, a comma or
 * a line break reads as one name on one line: the page wrote `table dbo.Order Details, column a,
 * column b` for a column named `a, column b`. A file path's control characters are written `\u{…}`
 * (util/echo.ts escapeUnprintable). The location itself (the answer's `location`) keeps the raw
 * names. Pure; never throws (a part of another type than the reader writes is written as String of it).
 */
export function skippedItemWhere(s: { location: Record<string, unknown> | SkippedItem['location']; lsnRange?: SkippedItem['lsnRange'] }): string {
  const l = (s.location ?? {}) as Record<string, unknown>;
  const has = (k: string): boolean => l[k] !== undefined && l[k] !== null && l[k] !== '';
  const parts: string[] = [];
  if (has('file')) parts.push(`file ${escapeUnprintable(String(l.file))}`);
  if (s.lsnRange) parts.push(`LSNs ${s.lsnRange.first} to ${s.lsnRange.last}`);
  else if (has('lsn')) parts.push(locationPartText('lsn', l.lsn));
  for (const k of ['offset', 'page', 'slot', 'table', 'column']) if (has(k)) parts.push(escapeUnprintable(locationPartText(k, l[k])));
  return parts.join(', ');
}
