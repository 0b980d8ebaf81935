/**
 * MTF header checksums (MTF 1.00a: DBLK header checksum u16 @50, stream header checksum u16 @20,
 * each the XOR of the u16 words before it): every header of the corpus's real backups holds them,
 * and a changed bit in one is refused as FORMAT_BAD_MTF instead of being read as another block or
 * stream (a log stream renamed by one bit was passed over as an unknown stream).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupBytes } from '../../src/backup/bytes.js';
import { openBackupBytes } from '../../src/backup/bytes.js';
import { readMtfLayout, xorWords } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/** An uncompressed backup's bytes held in memory, as BackupBytes (for many damaged variants without files). */
function memoryBytes(path: string, b: Buffer): BackupBytes {
  return {
    path,
    size: b.length,
    compressed: null,
    readSync: (buf, offset, length, position) => b.copy(buf, offset, position, Math.min(b.length, position + length)),
    read: async (buf, offset, length, position) => ({ bytesRead: b.copy(buf, offset, position, Math.min(b.length, position + length)) }),
    close: () => {},
  };
}

const BACKUPS = [
  'pubs-2012/pubs.bak',
  'StDb2005/StDb2EFRP/StDb2Sql.bak',
  'FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak',
  'TSQLV4-compressed/TSQLV4.bak',
  'appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak',
  'appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn',
  'appveyor-lab/sql2008-backups/db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak',
  'appveyor-lab/sql2008-backups/db1/LOG/SQL2008_db1_LOG_20170518_041831.trn',
  'appveyor-lab/sql2008-backups/StopAt/StopAt.bak',
  'appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn',
  'Chinook_Analysis/Chinook.bak',
  'Northwind-stripe/Northwind.bak',
];

describe('MTF header checksum: bytes → XOR of the words before it', () => {
  it.each([
    ['all zero', '0000000000', 0],
    ['one word', '3412', 0x1234],
    ['two words cancel', '34123412', 0],
    ['three words', '010002000400', 7],
  ])('%s', (_n, hex, want) => {
    const b = Buffer.from(hex, 'hex');
    expect(xorWords(b, b.length & ~1)).toBe(want);
  });
});

describeCorpus('MTF header checksums on real backups', () => {
  it.each(BACKUPS)('%s: every descriptor block and stream header matches its checksum', (f) => {
    const path = corpusPath(f);
    const layout = readMtfLayout(path);
    expect(layout.problems).toEqual([]);
    const src = openBackupBytes(path);
    try {
      const word = (at: number, n: number) => {
        const b = Buffer.alloc(n);
        src.readSync(b, 0, n, at);
        return b;
      };
      for (const d of layout.dblks) {
        const h = word(d.offset, 52);
        expect(xorWords(h, 50), `${d.type} @${d.offset}`).toBe(h.readUInt16LE(50));
      }
      for (const s of layout.streams) {
        const h = word(s.offset, 22);
        expect(xorWords(h, 20), `${s.id} @${s.offset}`).toBe(h.readUInt16LE(20));
      }
      expect(layout.dblks.length).toBeGreaterThan(10);
      expect(layout.streams.length).toBeGreaterThan(14);
    } finally {
      src.close();
    }
  });

  it('every one-bit change in StopAt_1.trn\'s MSTL block header and MQTL stream header is refused as FORMAT_BAD_MTF at that header', () => {
    const path = corpusPath('appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn');
    const clean = readFileSync(path);
    const layout = readMtfLayout(path);
    const mqtl = layout.streams.find((s) => s.id === 'MQTL')!;
    const mstl = layout.dblks.find((d) => d.type === 'MSTL')!;
    let flips = 0;
    for (const [at, n] of [[mstl.offset, 52], [mqtl.offset, 22]] as const) {
      for (let i = 0; i < n * 8; i++) {
        const b = Buffer.from(clean);
        b[at + (i >> 3)] ^= 1 << (i & 7);
        const got = readMtfLayout(path, memoryBytes(path, b));
        const bad = got.problems.filter((p) => p.code === 'FORMAT_BAD_MTF');
        expect(bad.map((p) => p.location.offset), `bit ${i & 7} of byte ${at + (i >> 3)}`).toEqual([at]);
        flips++;
      }
    }
    expect(flips).toBe((52 + 22) * 8);
  });

  // A damaged header before the set's streams was recorded and then hidden: 'backup set 1
  // requested; … holds 0' or 'not a SQL Server backup' sent the DBA looking for another file.
  it.each([
    ['TAPE', "backup set 1 could not be reached"],
    ['SSET', "backup set 1 could not be reached"],
    ['MSCI', "backup set 1's SQL Server configuration stream (MQCI) could not be reached"],
  ])('inspect of a log backup whose %s header has one changed bit: FORMAT_BAD_MTF naming the header and its offset', async (type, consequence) => {
    const src = corpusPath('appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn');
    const d = readMtfLayout(src).dblks.find((x) => x.type === type)!;
    const b = readFileSync(src);
    b[d.offset + 30] ^= 0x01;
    const copy = join(mkdtempSync(join(tmpdir(), 'rowback-mtf-hdr-')), 'StopAt_1.trn');
    writeFileSync(copy, b);
    const r = await cli('inspect', copy);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^rowback: FORMAT_BAD_MTF: ${type} descriptor block header checksum 0x[0-9a-f]{4} does not match its bytes \\(0x[0-9a-f]{4}\\): the block is damaged; the rest of the file is not read; so ${consequence.replace(/[()]/g, '\\$&')}: read another copy of this backup \\(file ${copy.replace(/[.]/g, '\\.')}, offset ${d.offset}\\)\n$`));
  });

  // the walk stops at a damaged header, so a file of two backup sets seemed to hold one: dump took
  // the first set (the 2009 backup) with no word, where the whole file is refused for lack of --position
  it('StDb2Sql.bak with its second set\'s SSET header damaged: dump without --position is refused naming the damage; --position 1 reads the first set; --position 2 says it cannot be reached', async () => {
    const src = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const sset2 = readMtfLayout(src).dblks.filter((d) => d.type === 'SSET')[1]!;
    const b = readFileSync(src);
    b[sset2.offset + 4] ^= 0x01;
    const dir = mkdtempSync(join(tmpdir(), 'rowback-mtf-set2-'));
    const copy = join(dir, 'StDb2Sql.bak');
    writeFileSync(copy, b);
    const out = join(dir, 'rows.ndjson');
    const none = await cli('dump', '--bak', copy, '--all', '--out', out);
    expect(none.code).toBe(2);
    // the blocks of set 2 after its damaged SSET (VOLB first) say more of a backup lies there
    const volb = readMtfLayout(src).dblks.find((d) => d.set === 2 && d.type === 'VOLB')!;
    expect(none.stderr).toMatch(new RegExp(`^rowback: FORMAT_BAD_MTF: SSET descriptor block header checksum .* the rest of the file is not read; so the \\d+ bytes after it are not read, and they hold more of a backup: a well-formed VOLB descriptor block at offset ${volb.offset} \\(the rest of a backup set, this one or a further one\\) \\(--position N reads set N of the 1 before it\\): read another copy of this backup \\(file .*, offset ${sset2.offset}\\)\n$`));
    const one = await cli('dump', '--bak', copy, '--all', '--position', '1', '--out', out);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('7 tables, 68 row(s) in all');
    const two = await cli('dump', '--bak', copy, '--all', '--position', '2', '--out', out);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('so backup set 2 could not be reached: read another copy of this backup');
  });

  it('scan of a log backup whose log stream name has one changed bit: INCOMPLETE naming the damaged header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-mtf-flip-'));
    const T = (n: string) => corpusPath('appveyor-lab/sql2008-backups/StopAt', n);
    const b = readFileSync(T('StopAt_1.trn'));
    const mqtl = readMtfLayout(T('StopAt_1.trn')).streams.find((s) => s.id === 'MQTL')!;
    b[mqtl.offset + 3] ^= 0x01; // 'MQTL' → 'MQTM': an unknown stream name
    const copy = join(dir, 'StopAt_1.trn');
    writeFileSync(copy, b);
    const r = await cli('scan', '--bak', T('StopAt.bak'), '--trn', copy);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`FORMAT_BAD_MTF: stream header "MQTM" checksum 0x`);
    expect(r.stderr).toContain(`(file ${copy}, offset ${mqtl.offset})`);
    expect(r.stderr).toMatch(/INCOMPLETE: .*FORMAT_BAD_MTF/);
  });
});
