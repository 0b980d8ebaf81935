/**
 * The first object key a JSON text gives twice in one object, as its key path (`filter.table`,
 * `targets.crm-side.connectionString`, `ids` at the top), or null when every object's keys are
 * distinct. Keys are compared as JSON.parse reads them (escapes decoded: `"d\u0065cision"` is
 * `decision`).
 *
 * Why: RFC 8259 §4 says an object's names SHOULD be unique and that, where they are not, "the
 * behavior of software that receives such an object is unpredictable": JSON.parse keeps the last
 * value and drops the first without a word, while another reader (a proxy, a log, the client's own
 * library) may keep the first. A decision body `{"decision":"reject", …, "decision":"approve"}`
 * approved, a re-insert body `{"dryRun":true, …, "dryRun":false}` was a real run, a config file with
 * `allowedServers` twice kept only the second list.
 *
 * `text` must already be valid JSON (the caller has parsed it): this scan only tells keys from values
 * and follows nesting. One pass, no recursion (a body nested a million deep is within the body
 * limit), no string built but for keys. Never throws on valid JSON.
 */
export function duplicateJsonKey(text: string): string | null {
  // per open object: the keys seen and the current one; per open array: the index
  type Frame = { keys: Set<string> | null; key: string; index: number; expectKey: boolean };
  const stack: Frame[] = [];
  const n = text.length;
  const pathOf = (last: string): string => {
    const parts: string[] = [];
    for (const f of stack.slice(0, -1)) parts.push(f.keys ? f.key : String(f.index));
    parts.push(last);
    return parts.join('.');
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push({ keys: new Set(), key: '', index: 0, expectKey: true });
    else if (c === 0x5b /* [ */) stack.push({ keys: null, key: '', index: 0, expectKey: false });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top) { if (top.keys) top.expectKey = true; else top.index++; }
    } else if (c === 0x22 /* " */) {
      // to the closing quote: a quote preceded by an odd number of backslashes is escaped
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (escaped) escaped = false;
        else if (d === 0x5c /* \ */) escaped = true;
        else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        const raw = text.slice(i + 1, j);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return pathOf(key);
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    }
  }
  return null;
}
