import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endsInsideJson, readCatalogFile } from '../../src/reconstruct/metadata/catalog-json.js';

/**
 * The catalog JSON sql/table-metadata-json.sql returns is ONE value, and sqlcmd cuts a value at 256
 * characters without -y 0 and at 1 MB with it ("If display_width is 0, the output is truncated at
 * 1 MB", sqlcmd utility, -y): the catalog of a database of many thousand columns passes 1 MB. Such a
 * file was refused with the parser's message alone ("Unterminated string in JSON at position …"),
 * which names neither the cut nor the way on. SYNTHETIC: the shipped example catalog cut in two.
 */
const dir = mkdtempSync(join(tmpdir(), 'wtP-catalog-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const whole = readFileSync(new URL('../../examples/decimal-test-dropped-column.catalog.json', import.meta.url), 'utf8');

describe('a catalog JSON cut short', () => {
  it.each([0.3, 0.5, 0.9])('cut at %s of its length: refused as cut short, naming sqlcmd\'s 1 MB and the PowerShell way', (part) => {
    const file = join(dir, `cut-${part}.json`);
    const text = whole.slice(0, Math.floor(whole.length * part));
    writeFileSync(file, text);
    let said = '';
    try { readCatalogFile(file); } catch (e) { said = (e as Error).message; }
    expect(said).toContain('is not JSON: ');
    expect(said).toContain(`the file ends inside its JSON (cut short after ${text.length.toLocaleString('en-US')} characters)`);
    expect(said).toContain('at 1 MB even with it');
    expect(said).toContain('the PowerShell way in docs/live.md');
  });

  it('a whole catalog is not taken for cut; nor is JSON broken in its middle', () => {
    expect(endsInsideJson(whole)).toBe(false);
    expect(endsInsideJson('[{"a": "x]"}]')).toBe(false);
    expect(endsInsideJson('[{"a": "x\\"]"}')).toBe(true);
    expect(endsInsideJson('[{"a": 1}} ]')).toBe(false);
  });
});
