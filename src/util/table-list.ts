/**
 * A comma-separated list of table names as T-SQL writes them: a comma inside `[brackets]` or
 * `"quotes"` is part of the name (`]]` and `""` inside are the delimiter itself, as QUOTENAME writes
 * it), so `[dbo].[a,b],dbo.c` is two names. Items are trimmed and blank ones dropped; names are not
 * normalised. Pure; throws nothing. Used by `--table` (cli/options.ts) and the SQL export's
 * `tableOrder` (api/routes/rows.ts), which wrote the same loop each.
 */
export function splitTableList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let close: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (close) {
      cur += c;
      if (c === close) {
        if (text[i + 1] === close) cur += text[++i];
        else close = null;
      }
    } else if (c === '[' || c === '"') {
      close = c === '[' ? ']' : '"';
      cur += c;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}
