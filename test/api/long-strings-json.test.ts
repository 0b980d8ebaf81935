import { expect, it } from 'vitest';
import { jsonWithLongStrings } from '../../src/api/long-strings-json.js';

async function text(r: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

it('streams exactly the text JSON.stringify writes, long strings in slices (a surrogate pair across a slice edge kept whole)', async () => {
  // a pair straddling the 1 MiB slice edge, quotes, backslashes, line breaks and a NUL to escape
  const script = 'x'.repeat((1 << 20) - 1) + '\u{1F600}' + '"\\\n\u0000é'.repeat(300_000) + '\ud800 lone';
  const value = { run: { id: 7, target: { tableMap: null } }, script, problems: [{ code: 'A' }], undoScript: 'DELETE;', n: 3 };
  expect(await text(jsonWithLongStrings(value, ['script', 'undoScript']))).toBe(JSON.stringify(value));
  // keys in another order than asked, one absent, one not a string
  const other = { undoScript: 'u'.repeat(3_000_000), script: null, z: 1 };
  expect(await text(jsonWithLongStrings(other, ['script', 'undoScript', 'none']))).toBe(JSON.stringify(other));
});

it('keeps a -0 elsewhere in the answer as -0, as the app serializer does', async () => {
  const value = { script: 'INSERT', problems: [{ existing: { Amount: -0 } }] };
  const out = await text(jsonWithLongStrings(value, ['script']));
  expect(out).toContain('"Amount":-0');
  expect(Object.is(JSON.parse(out).problems[0].existing.Amount, -0)).toBe(true);
});
