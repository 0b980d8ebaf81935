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

// a run's script kept in pieces (run-texts.ts): written as they come, never joined into one string
async function* piecesOf(parts: string[], seen?: { n: number }): AsyncGenerator<string> {
  for (const p of parts) {
    if (seen) seen.n++;
    yield p;
  }
}

it('a long string given as its pieces is written as the joined string would be, piece by piece as they come', async () => {
  const parts = ['INSERT 1;\n', 'x'.repeat(3 * (1 << 20)) + '"\\\n', 'é\u{1F600}\n', 'end'];
  const seen = { n: 0 };
  const value = { script: piecesOf(parts, seen), undoScript: piecesOf(['DELETE;\n', 'DELETE 2;']), n: 1 };
  const stream = jsonWithLongStrings(value, ['script', 'undoScript']);
  const chunks: string[] = [];
  let piecesAtFirstSlice = -1;
  for await (const c of stream) {
    chunks.push(String(c));
    if (piecesAtFirstSlice < 0 && chunks.join('').includes('xxxx')) piecesAtFirstSlice = seen.n;
  }
  expect(chunks.join('')).toBe(JSON.stringify({ script: parts.join(''), undoScript: 'DELETE;\nDELETE 2;', n: 1 }));
  // the 3 MB piece's first slice went out before the pieces after it were asked for
  expect(piecesAtFirstSlice).toBe(2);
});

it('replaceInPieces: every occurrence replaced, also one spanning pieces; a surrogate pair never cut', async () => {
  const { replaceInPieces } = await import('../../src/api/long-strings-json.js');
  const all = async (parts: string[], from: string, to: string) => {
    const out: string[] = [];
    for await (const p of replaceInPieces(piecesOf(parts), from, to)) out.push(p);
    return out;
  };
  const W = 'WARNING: job 3 read from sql1:1433/crm as olga';
  const H = 'WARNING: job 3 read from [server] as [login]';
  const text = `-- ${W}\nINSERT;\n-- again ${W}\n`;
  // every cut of the text into two and three pieces gives the replaced text
  for (let i = 0; i <= text.length; i++) {
    expect((await all([text.slice(0, i), text.slice(i)], W, H)).join('')).toBe(text.split(W).join(H));
    const j = Math.min(text.length, i + 7);
    expect((await all([text.slice(0, i), text.slice(i, j), text.slice(j)], W, H)).join('')).toBe(text.split(W).join(H));
  }
  // a pair at the cut stays in one output piece
  const pair = await all(['ab\u{1F600}', 'cd'], 'xyz', 'Q');
  for (const p of pair) expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
  expect(pair.join('')).toBe('ab\u{1F600}cd');
  expect(await all([], W, H)).toEqual([]);
});
