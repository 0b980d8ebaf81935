/**
 * A FixedVar record whose variable-column count was damaged down (on a page without a checksum):
 * its variable-length columns read as empty ('' — SQL Server leaves trailing empty columns out of
 * the offset array), while the record's old offset entries and values still follow on the page. The
 * row is printed with a warning naming those columns, not as a clean row. REAL StDb2Sql.bak (corpus
 * StDb2005, SQL Server 2005, torn-page bits only), backup set 2, copied to a temp dir with SYNTHETIC
 * damage: dbo.Students page 1:188 slot 3 (StudentID 80286) with its count 4 set to 0. The old code
 * printed FirstName, LastName, Address and Major as '' with no word (breaker, session 28).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const BAK = () => corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');

/** File offset of the last copy of page 1:`id` in the backup (set 2 follows set 1). */
function lastPageCopy(b: Buffer, id: number): number {
  let found = -1;
  for (let o = 0; o + 8192 <= b.length; o += 512) {
    if (b[o] === 1 && b[o + 1] === 1 && b.readUInt32LE(o + 32) === id && b.readUInt16LE(o + 36) === 1) found = o;
  }
  if (found < 0) throw new Error(`page 1:${id} not found`);
  return found;
}

describeCorpus('a damaged variable-column count', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-var-count-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dbo.Students 80286 with count 0: printed with a warning naming its four columns', async () => {
    const f = damagedCopy(BAK(), join(dir, 'stdb.bak'), (b) => {
      const p = lastPageCopy(b, 188);
      const rec = p + b.readUInt16LE(p + 8192 - 2 - 2 * 3);
      const fixedEnd = b.readUInt16LE(rec + 2);
      const nvarAt = rec + fixedEnd + 2 + ((b.readUInt16LE(rec + fixedEnd) + 7) >> 3);
      expect(b.readUInt16LE(nvarAt)).toBe(4);
      expect(nvarAt % 512).toBeLessThan(510);
      b.writeUInt16LE(0, nvarAt);
    });
    const out = join(dir, 'students.ndjson');
    const r = await cli('dump', '--bak', f, '--position', '2', '--table', 'dbo.Students', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const row = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.values.StudentID === 80286);
    expect(row.values.FirstName).toBe('');
    expect(row.warnings?.join(' ')).toMatch(/variable-column count is 0, so FirstName, LastName, Address, Major read as empty/);
    expect(r.stderr).toMatch(/1 of the \d+ row\(s\) carry warnings/);
  });

  it('the undamaged backup: no row carries that warning', async () => {
    const out = join(dir, 'all.ndjson');
    const r = await cli('dump', '--bak', BAK(), '--position', '2', '--all', '--out', out, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toMatch(/variable-column count is/);
  });
});
