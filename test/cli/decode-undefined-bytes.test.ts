import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

/**
 * A varchar value of a Greek collation (code page 1253) holding 0xAA, a byte Microsoft's CP1253.TXT
 * leaves undefined: `rowback decode` printed 'Α�B' as if it were the value, with no warning. The
 * row image is SYNTHETIC (test/support/synthetic-encoder.ts: dbo.G (1, 'QQQ'), the value's bytes
 * replaced by C1 AA 42).
 */
const ROW = '300008000100000002000001001200c1aa42';
const cli = captureCli();

describe('rowback decode: bytes a code page does not define', () => {
  it('the value prints U+FFFD and the row warns, naming the column, byte and offset; stderr says INCOMPLETE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-decode-undef-'));
    const ddl = join(dir, 'g.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.G (Id int NOT NULL, Name varchar(20) COLLATE Greek_CI_AS NULL);\n');
    const r = await cli('decode', '--ddl', ddl, '--hex', ROW);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { values: Record<string, unknown>; warnings?: string[] };
    expect(out.values).toEqual({ Id: 1, Name: 'Α\ufffdB' });
    expect(out.warnings).toEqual([expect.stringMatching(/^column Name: 0xAA at offset 1 of its 3-byte value is not defined in code page 1253 .*printed as U\+FFFD/)]);
    expect(r.stderr).toMatch(/INCOMPLETE: .*1 warning/);
  });
});
