import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * dump's rows printed with warnings are said and kept: its CSV had no warnings column, so a remnant
 * whose image column could not be read went out with no word, and stderr did not count them;
 * `--strict` exited 0. REAL file: CRUD-.NET Database2.mdf, whose dbo.Product_mstr page 1:289
 * still holds 8 carved remnants (deleted rows) whose `pimage` text root at 1:279 now belongs to
 * another value (FORMAT_LOB_OVERWRITTEN), and 10 live rows without warnings.
 */
const cli = captureCli();
let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-warned-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** dump writes to --out (captureCli's stdout never calls a write's callback, which dump waits on). */
const dump = async (...argv: string[]) => {
  const out = join(dir, `${n++}.out`);
  const r = await cli('dump', ...argv, '--out', out);
  return { ...r, stdout: readFileSync(out, 'utf8') };
};

describeCorpus('dump: rows carrying warnings are said, kept in CSV, and exit 3 with --strict', () => {
  const mdf = () => corpusPath('CRUD-.NET', 'App_Data', 'Database2.mdf');
  const args = () => ['--mdf', mdf(), '--table', 'dbo.Product_mstr', '--include-remnants'];

  it('NDJSON: "8 of the 18 row(s) carry warnings"; the same stdout with --strict, which exits 3; said with --quiet', async () => {
    const plain = await dump(...args(), '--format', 'ndjson');
    expect(plain.code, plain.stderr).toBe(0);
    const rows = plain.stdout.trim().split('\n').map((l) => JSON.parse(l) as { remnant?: boolean; warnings?: string[] });
    expect(rows).toHaveLength(18);
    expect(rows.filter((r) => r.warnings)).toHaveLength(8);
    expect(rows.filter((r) => r.warnings).every((r) => r.remnant)).toBe(true);
    expect(plain.stderr).toContain('rowback dump: 8 of the 18 row(s) carry warnings (each in its "warnings"): a value may be wrong or missing there; read them before re-inserting those rows\n');
    const strict = await dump(...args(), '--format', 'ndjson', '--strict');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe(plain.stdout);
    const quiet = await dump(...args(), '--format', 'ndjson', '--strict', '--quiet');
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toBe('rowback dump: 8 of the 18 row(s) carry warnings (each in its "warnings"): a value may be wrong or missing there; read them before re-inserting those rows\n');
  });

  it('CSV: a warnings column, empty for clean rows, the warning text for the 8 remnants', async () => {
    const r = await dump(...args(), '--format', 'csv');
    expect(r.code).toBe(0);
    const [header, ...cells] = parse(r.stdout) as string[][];
    expect(header).toEqual(['pid', 'pname', 'pdesc', 'pimage', 'pprice', 'page', 'slot', 'ghost', 'remnant', 'offset', 'recordStatus', 'warnings']);
    const w = header!.indexOf('warnings');
    const warned = cells.filter((c) => c[w] !== '');
    expect(warned).toHaveLength(8);
    for (const c of warned) expect(c[w]).toMatch(/^pimage: off-row value at 1:279 slot \d+ could not be read: the LOB root at 1:279 slot \d+ now belongs to another value/);
    expect(r.stderr).toContain('rowback dump: 8 of the 18 row(s) carry warnings (each in its "warnings" column)');
  });

  it('the live rows alone (no remnants): no line, exit 0 with --strict', async () => {
    const r = await dump('--mdf', mdf(), '--table', 'dbo.Product_mstr', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
    expect(r.stderr).not.toContain('carry warnings');
  });
});
