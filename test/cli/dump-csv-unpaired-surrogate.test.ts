import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { pageChecksum } from '../../src/datafile/page.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * dump's CSV and an unpaired UTF-16 surrogate in an nvarchar value: the CSV is UTF-8, which has no
 * form for it, so the cell holds U+FFFD. scan's CSV says so in the row's warnings cell (3dd84bc);
 * dump's CSV wrote the U+FFFD with nothing said, while its NDJSON kept the unit.
 * The file is REAL (CRUD-.NET Database.mdf, dbo.user_mstr, whose emailid is nvarchar: 'j@gmail.com'
 * stored UTF-16 on page 1:279); the change is SYNTHETIC: in a temp copy, its 'j' becomes U+D83D (the
 * first half of an emoji, as LEFT(N'😀…', 1) leaves under a non-SC collation) and the page checksum
 * is recomputed.
 */
const cli = captureCli();
let dir: string;
let mdf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-surrogate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('dump --format csv: a value UTF-8 cannot carry is said in the warnings cell', () => {
  const patched = (): string => {
    if (mdf) return mdf;
    mdf = join(dir, 'Database.mdf');
    copyFileSync(corpusPath('CRUD-.NET', 'App_Data', 'Database.mdf'), mdf);
    const b = readFileSync(mdf);
    const at = b.indexOf(Buffer.from('j@gmail.com', 'utf16le'));
    expect(Math.floor(at / 8192)).toBe(279);
    b[at] = 0x3d;
    b[at + 1] = 0xd8;
    const page = b.subarray(279 * 8192, 280 * 8192);
    expect(page.readUInt16LE(4) & 0x200).toBe(0x200); // PAGE_VERIFY CHECKSUM
    page.writeUInt32LE(pageChecksum(page) >>> 0, 60);
    writeFileSync(mdf, b);
    return mdf;
  };

  it('the cell is U+FFFD and the warnings name the column, the unit and its offset; NDJSON keeps the unit', async () => {
    const f = patched();
    const out = join(dir, 'rows.csv');
    const r = await cli('dump', '--mdf', f, '--table', 'dbo.user_mstr', '--format', 'csv', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const recs = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const bad = recs.find((x) => x.Uid === '4')!;
    expect(bad.emailid).toBe('\ufffd@gmail.com');
    expect(bad.warnings).toContain('column emailid: its value holds an unpaired UTF-16 surrogate (U+D83D at offset 0), which this UTF-8 CSV cannot carry');
    expect(recs.filter((x) => x.warnings !== '')).toHaveLength(1);
    // a row warned in CSV as any other: said (even with --quiet), exit 3 with --strict
    expect(r.stderr).toContain('rowback dump: 1 of the 8 row(s) carry warnings (each in its "warnings" column)');
    const strict = await cli('dump', '--mdf', f, '--table', 'dbo.user_mstr', '--format', 'csv', '--out', join(dir, 'strict.csv'), '--quiet', '--strict');
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain('1 of the 8 row(s) carry warnings');
    const nd = join(dir, 'rows.ndjson');
    const n = await cli('dump', '--mdf', f, '--table', 'dbo.user_mstr', '--format', 'ndjson', '--out', nd);
    expect(n.code, n.stderr).toBe(0);
    const first = JSON.parse(readFileSync(nd, 'utf8').split('\n')[0]!) as { values: { emailid: string } };
    expect(first.values.emailid).toBe('\ud83d@gmail.com');
    // NDJSON carries the value: no warning there
    expect(n.stderr).not.toContain('carry warnings');
  });
});
