/**
 * docs/live.md "Metadata when only the log survives": the catalog JSON saved by sqlcmd
 * (sql/table-metadata-json.sql, FOR JSON: one line, a bare array) or by PowerShell
 * (ConvertTo-Json -InputObject @($rows): an indented array; Set-Content -Encoding UTF8 in Windows
 * PowerShell 5.1 adds a byte-order mark) reads back as the same layout as the shipped fixture.
 * The two files are written here from the fixture's rows in those shapes (SYNTHETIC renderings of
 * the tools' output forms, not captured output).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../src/reconstruct/metadata/catalog-json.js';
import { captureCli } from '../support/cli.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(repo, 'examples', 'decimal-test-dropped-column.catalog.json');
// The real row from the corpus example lc-decimal-positive, as the fixture's comment gives it.
const ROW_HEX = '1000160001000000013930000001C0BA8A3CD5620400030000';
const run = captureCli();

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { rows: Array<Record<string, unknown>> };
const dir = mkdtempSync(join(tmpdir(), 'rowback-catalog-'));
// sqlcmd + FOR JSON PATH, INCLUDE_NULL_VALUES: one line, keys in the SELECT's order, nulls kept.
const SQLCMD = join(dir, 'sqlcmd.json');
writeFileSync(SQLCMD, JSON.stringify(fixture.rows) + '\r\n');
// PowerShell 5.1: ConvertTo-Json's indented array, written with a UTF-8 BOM and CRLF.
const POWERSHELL = join(dir, 'powershell.json');
writeFileSync(POWERSHELL, '\uFEFF' + JSON.stringify(fixture.rows, null, 4).replace(/\n/g, '\r\n') + '\r\n');

describe('catalog JSON saved by sqlcmd or PowerShell round-trips', () => {
  it('sql/table-metadata-json.sql embeds the catalog query of sql/table-metadata.sql verbatim', () => {
    const metadata = readFileSync(join(repo, 'sql', 'table-metadata.sql'), 'utf8');
    const wrapped = readFileSync(join(repo, 'sql', 'table-metadata-json.sql'), 'utf8');
    const block = metadata.slice(metadata.indexOf('-- rowback:catalog-begin'), metadata.indexOf('-- rowback:catalog-end'));
    expect(block.length).toBeGreaterThan(1000);
    expect(wrapped).toContain(block);
    expect(wrapped).toMatch(/FOR JSON PATH, INCLUDE_NULL_VALUES/);
  });

  it.each([
    ['sqlcmd (one line)', SQLCMD],
    ['PowerShell (indented, BOM, CRLF)', POWERSHELL],
  ])('%s → the fixture\'s layout', (_name, file) => {
    expect(loadCatalogFile(file)).toEqual(loadCatalogFile(FIXTURE));
  });

  it('decode --schema gives the same values from each file', async () => {
    const outs: string[] = [];
    for (const f of [FIXTURE, SQLCMD, POWERSHELL]) {
      const r = await run('decode', '--schema', f, '--hex', ROW_HEX);
      expect(r.code).toBe(0);
      outs.push(r.stdout);
    }
    expect(JSON.parse(outs[0]).table).toBe('dbo.DecimalTest');
    expect(new Set(outs).size).toBe(1);
  });
});
