import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';
import { writeSyntheticLdf, type SyntheticTxn } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

/**
 * Deleted rows of a table with a FILESTREAM column, end to end through `rowback scan` on a SYNTHETIC
 * .ldf (no FILESTREAM table is in the corpus; the pointer is a 48-byte stand-in, its layout not
 * published). Such a row was refused whole (DECODE_UNSUPPORTED, a skipped line): the customers'
 * other columns were lost with the document. Now every committed delete is printed, the
 * FILESTREAM column a marker (`{"offRow":{"kind":"filestream",…}}`) with the row's warning; a row
 * whose FILESTREAM column is NULL prints NULL with none. The rows carrying warnings are counted on
 * stderr (exit 3 under --strict), as any row with a value not decoded.
 */
const AU = '72057594043367424';
const DDL = 'CREATE TABLE dbo.Docs (id int NOT NULL PRIMARY KEY, name nvarchar(50) NULL, doc varbinary(max) FILESTREAM NULL, rg uniqueidentifier ROWGUIDCOL NOT NULL UNIQUE);\n';
const POINTER = (t: number, r: number) => '0x' + (t * 100 + r).toString(16).toUpperCase().padStart(8, '0') + '5A'.repeat(44);

let dir: string;
let ldf: string;
let ddl: string;
const txns: SyntheticTxn[] = [];
const cli = captureCli();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-filestream-'));
  ldf = join(dir, 'docs_log.ldf');
  ddl = join(dir, 'docs.sql');
  writeFileSync(ddl, DDL);
  const [t] = layoutsFromDdl(DDL);
  // every third row holds no document (NULL)
  const image = (tx: number, r: number) => encodeFixedVar(t!, { id: tx * 100 + r, name: `contract ${tx}.${r}`, doc: r % 3 === 0 ? null : POINTER(tx, r), rg: '6F9619FF-8B86-D011-B42D-00C04FC964FF' });
  writeSyntheticLdf(ldf, { targetBytes: 1024 * 1024, row: image, rollbackShare: 0.1, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 512 * 1024, onTxn: (x) => txns.push(x) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: deleted rows of a table with a FILESTREAM column (SYNTHETIC .ldf)', () => {
  it('prints every committed delete, the FILESTREAM column a marker holding the pointer as evidence, and counts the rows with warnings', async () => {
    const committed = txns.filter((x) => x.outcome === 'commit');
    const deletes = committed.reduce((n, x) => n + x.deletes.length, 0);
    expect(deletes).toBeGreaterThan(100);
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, '--quiet');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { values: { id: number; name: string; doc: unknown }; warnings?: string[] });
    expect(rows).toHaveLength(deletes);
    const withDoc = rows.filter((x) => x.values.doc !== null);
    expect(withDoc.length).toBeGreaterThan(50);
    for (const x of rows) {
      const tx = Math.floor(x.values.id / 100);
      const r0 = x.values.id % 100;
      expect(x.values.name).toBe(`contract ${tx}.${r0}`);
      if (r0 % 3 === 0) {
        expect(x.values.doc).toBeNull();
        expect((x.warnings ?? []).filter((w) => w.includes('FILESTREAM'))).toEqual([]);
      } else {
        expect(x.values.doc).toEqual({ offRow: { kind: 'filestream', pointer: POINTER(tx, r0), unavailable: expect.stringContaining('FILESTREAM container') } });
        // (a transaction that also inserted a row adds its own warning: the writer inserts one in every tenth)
        expect((x.warnings ?? []).filter((w) => w.includes('FILESTREAM'))).toEqual([expect.stringMatching(/^column doc: a FILESTREAM value, printed as a marker/)]);
      }
    }
    // said even with --quiet: those rows' values are not all there
    expect(r.stderr).toContain(`rowback scan: ${rows.filter((x) => x.warnings?.length).length} of the ${rows.length} row(s) carry warnings`);
    expect(r.stderr).not.toContain('DECODE_UNSUPPORTED');
    const strict = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, '--quiet', '--strict');
    expect(strict.code).toBe(3);
  });
});
