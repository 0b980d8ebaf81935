/**
 * `rowback decode --hex` of a PAGE-compressed table's record. --hex takes RowLog Contents 0 or a DBCC
 * PAGE record; a record of a page carrying a compression-information record (m_typeFlagBits 0x80)
 * stores a column with an anchor as [prefix length][suffix] (BusinessCentral.BakReader PROVENANCE.md),
 * which one record cannot resolve. The old command printed such a value as a value, exit 0, no word:
 * 'Supplier SWRXU' with the anchor 'Supplier ' stored as [0x09]['SWRXU'] came out '\tSWRXU'. SYNTHETIC
 * CD record (no compressed table is in the corpus): header 0x01, 2 columns, CD array 0x72 (an int of
 * 1 byte, 6 bytes of short data), int 1 (0x81), [0x09]['SWRXU'].
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

const cli = captureCli();
const RECORD = '0x01027281095357525855';

function ddl(compression: 'PAGE' | 'ROW'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-decode-page-'));
  const p = join(dir, 'S.sql');
  // COLLATE given: without it decode notes the assumed default collation on stderr (decode-assumed-collation.test.ts), which these cases do not test
  writeFileSync(p, `CREATE TABLE dbo.S (id int NOT NULL PRIMARY KEY, name varchar(40) COLLATE SQL_Latin1_General_CP1_CI_AS NOT NULL) WITH (DATA_COMPRESSION = ${compression});\n`);
  return p;
}

it('a PAGE-compressed table: the row carries a warning that an anchor prefix cannot be resolved, INCOMPLETE said, exit 3 with --strict', async () => {
  const r = await cli('decode', '--ddl', ddl('PAGE'), '--hex', RECORD);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.values).toEqual({ id: 1, name: '\tSWRXU' });
  expect(doc.warnings).toHaveLength(1);
  expect(doc.warnings[0]).toMatch(/^dbo\.S is PAGE-compressed: .*m_typeFlagBits 0x80.*\[prefix length\]\[suffix\]/);
  expect(r.stderr).toMatch(/^rowback decode: INCOMPLETE: the row of dbo\.S/);
  const strict = await cli('decode', '--strict', '--ddl', ddl('PAGE'), '--hex', RECORD);
  expect(strict.code).toBe(3);
});

it('(a ROW-compressed table: no anchor, no dictionary, no warning)', async () => {
  const r = await cli('decode', '--ddl', ddl('ROW'), '--hex', RECORD);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.S', values: { id: 1, name: '\tSWRXU' } });
  expect(r.stderr).toBe('');
});

it('(a log image said so with --lsn: RowLog Contents 0 is row-compressed, no warning, exit 0 with --strict; DBCC PAGE output pasted with --lsn keeps it)', async () => {
  const r = await cli('decode', '--strict', '--ddl', ddl('PAGE'), '--hex', RECORD, '--lsn', '00000031:00000010:0002');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.S', values: { id: 1, name: '\tSWRXU' } });
  expect(r.stderr).toBe('');
  const dump = 'Slot 0 Offset 0x60 Length 10\n\nMemory Dump @0x000000000A1CA060\n\n0000000000000000:   01027281 09535752 5855                   ..r..SWRXU\n';
  const paged = await cli('decode', '--strict', '--ddl', ddl('PAGE'), '--hex', dump, '--lsn', '00000031:00000010:0002');
  expect(paged.code).toBe(3);
  expect(JSON.parse(paged.stdout).warnings[0]).toMatch(/^dbo\.S is PAGE-compressed/);
});
