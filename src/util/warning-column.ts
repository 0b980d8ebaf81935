import { identifierText } from './identifier-text.js';

/**
 * The column of `columns` (a row's own column names) a row warning names after `lead` (`column `),
 * when the text after the name passes `rest` (e.g. starts `: `): the warning `column [Unit Price]: …`
 * is Unit Price's. A row warning writes its column through identifierText (`column [Unit Price]:`,
 * `column [A: x]:`; a regular name bare, `column Quantity:`, as before). Rowback wrote every name
 * bare before 2026-12-07, and the rows staged then keep their warnings as written (`column Unit
 * Price: …`), so each column is looked for in both forms.
 *
 * The longest name that fits wins: a bare warning of column `A: x` (`column A: x: 0xAA at offset 1
 * …`) starts with `column A: ` too, and it was read as column A's (replay/table-diff.ts notesOf
 * matched by that prefix: A was called changed when only `A: x`'s bytes differed). A name in both
 * forms of one length is read as the written-now form, in whichever order the columns come (a
 * warning `column [A B]: …` is A B's, not that of a column named `[A B]`, whose warnings an older
 * rowback wrote so: such an old row's warning is read as A B's). Undefined when no column fits (the caller
 * says what then). Pure; O(columns) per warning, for warnings a reader looks at (those naming bytes
 * printed as U+FFFD), not per row decoded.
 */
export function warnedColumn(warning: string, columns: Iterable<string>, rest: (after: string) => boolean, lead = 'column '): string | undefined {
  if (!warning.startsWith(lead)) return undefined;
  let best: string | undefined;
  let bestLength = -1;
  let bestNow = false;
  for (const c of columns) {
    const shown = identifierText(c);
    for (const form of shown === c ? [c] : [shown, c]) {
      // one length, one text: a name is another's bracketed form (`A B` written now `[A B]`, and a
      // column named `[A B]` written bare before): the written-now form wins, whichever column comes
      // first (the first did: `[A B]` listed before `A B` took A B's warnings)
      const now = form === shown;
      if ((form.length > bestLength || (form.length === bestLength && now && !bestNow)) && warning.startsWith(form, lead.length) && rest(warning.slice(lead.length + form.length))) {
        best = c;
        bestLength = form.length;
        bestNow = now;
      }
    }
  }
  return best;
}

/**
 * A column's name as a row warning wrote it (`[Unit Price]` through identifierText, or `Unit Price`
 * bare by a rowback before 2026-12-07), back to the name, for a warning whose row's columns do not
 * name it: one bracketed identifier (`[x]]y]`) is read as it (`x]y`), anything else is the name as
 * it stands. Pure; never throws.
 */
export function warnedName(text: string): string {
  const m = /^\[((?:[^\]]|\]\])*)\]$/.exec(text);
  return m ? m[1]!.replace(/\]\]/g, ']') : text;
}
