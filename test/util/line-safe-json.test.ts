/**
 * NDJSON lines stay one line to every line reader: JSON.stringify writes U+0085, U+2028 and U+2029
 * raw inside strings (RFC 8259 allows it), and Python's str.splitlines() ends a line at each of them
 * (Python docs, "str.splitlines"), so a row whose value held one (text pasted from a web page) read
 * as two lines, neither of them JSON, in an incident responder's script. rowJson (every NDJSON and
 * JSON row rowback writes: scan, dump, decode, the API's NDJSON export) now escapes them; the value
 * read back is the same. SYNTHETIC row bytes (examples/contact.sql's dbo.Contact: Id int, Name nvarchar).
 */
import { expect, it } from 'vitest';
import { lineSafeJson, rowJson } from '../../src/util/negative-zero.js';
import { captureCli } from '../support/cli.js';

const cli = captureCli();
/** The line breaks of Python's str.splitlines(). */
const PY_LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/;

it.each([
  ['a\u2028b', '"a\\u2028b"'],
  ['a\u2029b', '"a\\u2029b"'],
  ['a\u0085b', '"a\\u0085b"'],
  ['\u2028\u2028', '"\\u2028\\u2028"'],
  ['plain é 王', '"plain é 王"'],
])('%j is written %s and reads back the same', (value, written) => {
  const text = rowJson({ values: { Name: value } });
  expect(text).toBe(`{"values":{"Name":${written}}}`);
  expect(text.split(PY_LINE_BREAKS)).toHaveLength(1);
  expect(JSON.parse(text).values.Name).toBe(value);
});

it('text without them is returned as it is (the same string)', () => {
  const s = JSON.stringify({ values: { Name: 'x' } });
  expect(lineSafeJson(s)).toBe(s);
});

it('decode prints a row whose nvarchar holds U+2028 as one line', async () => {
  // Id 1, Name 'a' U+2028 'b': fixed part to offset 8, 2 columns, no NULLs, 1 variable column ending at 21
  const r = await cli('decode', '--ddl', 'examples/contact.sql', '--hex', '0x300008000100000002000001001500610028206200');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('{"table":"dbo.Contact","values":{"Id":1,"Name":"a\\u2028b"}}\n');
  expect(r.stdout.trimEnd().split(PY_LINE_BREAKS)).toHaveLength(1);
  expect(JSON.parse(r.stdout).values.Name).toBe('a\u2028b');
});
