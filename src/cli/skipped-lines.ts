import { locationPartText } from '../errors.js';
import type { SkippedItem } from '../recover/source.js';
import { nameText } from '../util/identifier-text.js';

const PAGE = /^(\d+):(\d+)$/;

/**
 * The skipped items of a summary as stderr lines (`  CODE: reason (where)`), at most `limit` lines
 * then `  … N more<moreHint>`. Items of one code on consecutive pages of one file whose reasons say
 * the same but for the page (a data file cut short lists every page its IAMs name beyond the cut:
 * Database1.mdf cut at 1,500,000 bytes gave 26 lines differing only in the page id) are one line:
 * `pages 1:184 to 1:191 (8 pages)` in the reason and `page 1:184 to 1:191` in the place. The items
 * themselves (the report, the API) stay one per page. Rows of one table refused after one change of
 * its columns (SOURCE_SCHEMA_DRIFT with the same `layoutChange`, consecutive) are one line too: the
 * first's reason and place, then `; and N more row(s) of T logged after that change, up to LSN L`.
 * `withPlace` false leaves the `(where)` out
 * (inspect's text, whose reasons name the place). Pure; never throws.
 */
export function skippedLines(skipped: readonly SkippedItem[], limit = 20, moreHint = '', withPlace = true): string[] {
  interface Group { first: SkippedItem; firstPage: string; lastPage: string; file: number; page: number; n: number; key: string; lastLsn?: string }
  const groups: Group[] = [];
  for (const s of skipped) {
    // rows of one table logged after one change of its columns (SOURCE_SCHEMA_DRIFT): one line, the
    // first row's reason and how many more, up to which LSN (2,197 rows of a re-keyed dbo.tblDept
    // printed 20 lines of the same 900-character reason but for the LSN and offset)
    const change = s.layoutChange ? `drift\u0000${s.code}\u0000${String(s.location.table)}\u0000${s.layoutChange.lsn}` : '';
    const prev = groups[groups.length - 1];
    if (change && prev && prev.key === change) {
      prev.n++;
      prev.lastLsn = typeof s.location.lsn === 'string' ? s.location.lsn : prev.lastLsn;
      continue;
    }
    if (change) {
      groups.push({ first: s, firstPage: '', lastPage: '', file: -1, page: -1, n: 1, key: change });
      continue;
    }
    const page = typeof s.location.page === 'string' ? PAGE.exec(s.location.page) : null;
    const key = page ? `${s.code}\u0000${s.reason.split(`page ${s.location.page}`).join('page \u0001')}\u0000${JSON.stringify({ ...s.location, page: undefined })}` : '';
    const last = groups[groups.length - 1];
    if (page && last && last.key === key && last.file === Number(page[1]) && last.page + 1 === Number(page[2])) {
      last.page++;
      last.n++;
      last.lastPage = s.location.page as string;
      continue;
    }
    groups.push({ first: s, firstPage: page ? (s.location.page as string) : '', lastPage: page ? (s.location.page as string) : '', file: page ? Number(page[1]) : -1, page: page ? Number(page[2]) : -1, n: 1, key });
  }
  const lines: string[] = [];
  for (const g of groups.slice(0, limit)) {
    const s = g.first;
    const reason = g.n > 1 ? s.reason.replace(`page ${g.firstPage}`, `pages ${g.firstPage} to ${g.lastPage} (${g.n} pages)`) : s.reason;
    const where = Object.entries(s.location)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => (k === 'page' && g.n > 1 ? `page ${g.firstPage} to ${g.lastPage}` : locationPartText(k, v)))
      .join(', ');
    // without the place, a run whose reason does not name its page still says which pages and how many
    // (it printed as one item's line, the other pages and their count unsaid)
    const run = !withPlace && g.n > 1 && reason === s.reason ? ` (page ${g.firstPage} to ${g.lastPage}, ${g.n} pages)` : '';
    const more = s.layoutChange && g.n > 1 ? `; and ${(g.n - 1).toLocaleString('en-US')} more row(s) of ${nameText(String(s.location.table))} logged after that change, up to LSN ${g.lastLsn ?? '?'}, each a skipped item of its own` : '';
    lines.push(`  ${s.code}: ${reason}${where && withPlace ? ` (${where})` : run}${more}`);
  }
  if (groups.length > limit) {
    const shown = groups.slice(0, limit).reduce((n, g) => n + g.n, 0);
    lines.push(`  … ${skipped.length - shown} more${moreHint}`);
  }
  return lines;
}
