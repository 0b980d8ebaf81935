/**
 * The log block checksum (constants.ts BLOCK_STATUS_CHECKSUM): pinned on real blocks of the
 * corpus, read at test time; a changed bit in a real block is refused, and a scan over a log with
 * one flipped bit says INCOMPLETE instead of printing the changed value.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_CHECKSUM_OFFSET, BLOCK_STATUS_CHECKSUM, BLOCK_STATUS_OFFSET } from '../../../src/logreader/ldf/constants.js';
import { blockHeaderProblem, fixupBlock, logBlockChecksum, parseBlockHeader } from '../../../src/logreader/ldf/structures.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { rng } from '../../support/rng.js';

const cli = captureCli();

interface FoundBlock { offset: number; size: number; flagged: boolean; problem: string | null }

/** Every plausible block of a file, walking sector by sector (blocks of `.trn`/`.bak` files lie on sectors too). */
function walkBlocks(b: Uint8Array): FoundBlock[] {
  const out: FoundBlock[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = 0; off + 512 <= b.length;) {
    if (blockHeaderProblem(b, off) === null) {
      const { size } = parseBlockHeader(b, off);
      if (off + size <= b.length) {
        const f = fixupBlock(b, off, size);
        const flagged = (v.getUint16(off + BLOCK_STATUS_OFFSET, true) & BLOCK_STATUS_CHECKSUM) !== 0;
        if (typeof f !== 'string' || /checksum/.test(f)) {
          out.push({ offset: off, size, flagged, problem: typeof f === 'string' ? f : null });
          off += size;
          continue;
        }
      }
    }
    off += 512;
  }
  return out;
}

const read = (p: string) => new Uint8Array(readFileSync(corpusPath(p)));
const storedChecksum = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset).getUint32(off + BLOCK_CHECKSUM_OFFSET, true);

describeCorpus('log block checksum on real blocks', () => {
  it.each([
    // file, block offset, block bytes, the checksum SQL Server stored (u32 @24)
    ['AngularJs_CRUD/App_Data/Database1_log.ldf', 0x4000, 512, 0xd3965191],
    ['CRUD-.NET/App_Data/Database_log.ldf', 0x4000, 4096, 0x4d952483],
    ['appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn', 0x1e00, 35328, 0x56d8afa2],
  ])('%s @%i: %i bytes → stored checksum', (file, offset, size, want) => {
    const b = read(file);
    expect(parseBlockHeader(b, offset).size).toBe(size);
    expect(storedChecksum(b, offset)).toBe(want);
    expect(logBlockChecksum(b, offset, size)).toBe(want);
    // the same bytes at an odd address (the DataView path) give the same value
    const odd = new Uint8Array(size + 1).subarray(1);
    odd.set(b.subarray(offset, offset + size));
    expect(logBlockChecksum(odd, 0, size)).toBe(want);
  });

  it.each([
    ['AngularJs_CRUD/App_Data/Database1_log.ldf', 966, 0],
    ['CRUD-.NET/App_Data/Database_log.ldf', 158, 0],
    ['CRUD-.NET/App_Data/Database2_log.ldf', 156, 0],
    ['Tractis_aspnet_demo/App_Data/aspnetdb_log.ldf', 122, 0],
    ['sql-practice-asp/App_Data/School_Log.ldf', 221, 0],
    ['SessionShoppingCart/App_Data/NORTHWND_log.ldf', 1, 282],
    ['appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn', 15, 0],
    ['appveyor-lab/RestoreTimeClean/RestoreTimeClean2_1.trn', 12, 0],
    ['appveyor-lab/sql2008-backups/db1/LOG/SQL2008_db1_LOG_20170518_041831.trn', 171, 0],
    ['appveyor-lab/sql2008-backups/StopAt/StopAt_23.trn', 31, 0],
    ['appveyor-lab/sql2008-backups/StopAt/StopAt.bak', 2, 0],
    ['pubs-2012/pubs.bak', 3, 0],
    ['Chinook_Analysis/Chinook.bak', 3, 0],
    ['FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak', 3, 0],
    // SQL Server 2005, not on PAGE_VERIFY CHECKSUM: no block carries one
    ['StDb2005/StDb2EFRP/StDb2Sql.bak', 0, 4],
  ])('%s: %i blocks carry a checksum and every one matches; %i carry none', (file, flagged, unflagged) => {
    const blocks = walkBlocks(read(file));
    expect(blocks.filter((x) => x.problem !== null)).toEqual([]);
    expect(blocks.filter((x) => x.flagged).length).toBe(flagged);
    expect(blocks.filter((x) => !x.flagged).length).toBe(unflagged);
  });

  it('any one flipped bit in a real block is refused (300 seeded flips over AngularJs_CRUD blocks of 1–38 sectors)', () => {
    const b = read('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const blocks = walkBlocks(b).filter((x) => x.flagged);
    const r = rng(20261201);
    let checksumRefusals = 0;
    for (let k = 0; k < 300; k++) {
      const blk = blocks[Math.floor(r() * blocks.length)];
      const copy = b.slice(blk.offset, blk.offset + blk.size);
      const at = Math.floor(r() * blk.size);
      copy[at] ^= 1 << Math.floor(r() * 8);
      const got = fixupBlock(copy, 0, blk.size);
      expect(typeof got, `bit flipped at block offset ${at}`).toBe('string');
      if (/log block checksum/.test(got as string)) checksumRefusals++;
    }
    // flips of a sector's first byte are caught by its parity bits first; the rest by the checksum
    expect(checksumRefusals).toBeGreaterThan(250);
  });

  it('scan over a real log with one flipped bit in a row image: INCOMPLETE with the block named, not the changed value', async () => {
    const real = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-flip-'));
    const copy = join(dir, 'Database1_log.ldf');
    copyFileSync(real, copy);
    const bytes = readFileSync(copy);
    expect(bytes.subarray(335646, 335655).toString('latin1')).toBe('Bangalore');
    bytes[335650] ^= 0x04; // 'a' → 'e': "Bangelore"
    writeFileSync(copy, bytes);

    const whole = await cli('scan', '--mdf', mdf, '--ldf', real);
    expect(whole.stdout.split('\n').filter(Boolean)).toHaveLength(16);
    expect(whole.stderr).not.toContain('INCOMPLETE');

    const r = await cli('scan', '--mdf', mdf, '--ldf', copy);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Bangelore');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(15);
    expect(r.stderr).toContain(`FORMAT_BAD_LOG_BLOCK: 1024 bytes skipped: log block checksum 0xc0c0536c stored, 0xc0c8536c computed (damaged block); LSNs from 00000023:0000008f:0001 up to 00000023:00000091:0001 could not be read (file ${copy}, offset 335360)`);
    expect(r.stderr).toContain('INCOMPLETE: parts of the log could not be read (FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_GAP)');
  });
});

describeCorpus('a block whose checksum bit was cleared by the damage', () => {
  // two changed bits: the header's checksum bit cleared and a row byte changed; the block was read
  // as one carrying no checksum and printed "Bancalore"
  it('a checksum left in a block that no longer flags one is still checked: INCOMPLETE, not the changed value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-flip2-'));
    const copy = join(dir, 'Database1_log.ldf');
    const bytes = readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    expect(bytes[335360 + BLOCK_STATUS_OFFSET] & BLOCK_STATUS_CHECKSUM).toBe(BLOCK_STATUS_CHECKSUM);
    bytes[335360 + BLOCK_STATUS_OFFSET] ^= BLOCK_STATUS_CHECKSUM;
    bytes[335649] ^= 0x04; // 'g' → 'c': "Bancalore"
    writeFileSync(copy, bytes);
    const r = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', copy);
    expect(r.stdout).not.toContain('Bancalore');
    expect(r.stderr).toContain("(damaged block; its header's checksum bit is clear, though a checksum is there); LSNs from 00000023:0000008f:0001 up to 00000023:00000091:0001 could not be read (file");
    expect(r.stderr).toContain('INCOMPLETE: parts of the log could not be read (FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_GAP)');
  });
});

describeCorpus('blocks without a log block checksum are counted and named', () => {
  it('inspect: NORTHWND_log.ldf holds 283 blocks, 1 with a checksum, and says what the other 282 mean; AngularJs_CRUD\'s all carry one', async () => {
    const nw = await cli('inspect', corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'));
    expect(nw.stdout).toMatch(/^log blocks +283 \(1 with a log block checksum\)$/m);
    expect(nw.stdout).toContain('note: 282 of the 283 log blocks read carry no log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM)');
    const json = JSON.parse((await cli('inspect', '--format', 'json', corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'))).stdout);
    expect([json.log.blocks, json.log.checksummedBlocks]).toEqual([283, 1]);
    const ang = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    expect(ang.stdout).toMatch(/^log blocks +966 \(each with a log block checksum\)$/m);
    expect(ang.stdout).not.toContain('carry no log block checksum');
  });

  it('scan: a log of unchecked blocks says so in a note (NORTHWND; the SQL Server 2005 backup); a checked one does not (AngularJs_CRUD)', async () => {
    const nw = await cli('scan', '--mdf', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--ldf', corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'));
    expect(nw.stderr).toContain("rowback scan: note: 282 of the 283 log blocks read carry no log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM): damage inside such a block's records cannot be detected");
    const old = await cli('scan', '--bak', corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak'), '--position', '2');
    expect(old.stderr).toContain('rowback scan: note: none of the 2 log blocks read carries a log block checksum');
    const ang = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    expect(ang.code).toBe(0);
    expect(ang.stderr).not.toContain('log block checksum');
  });

  it('log (the fn_dblog stand-in): the same note for NORTHWND_log.ldf, none for AngularJs_CRUD', async () => {
    const nw = await cli('log', corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), '--operation', 'DELETE_ROWS', '--format', 'ndjson', '--out', join(mkdtempSync(join(tmpdir(), 'rowback-lognote-')), 'o.ndjson'));
    expect(nw.code).toBe(0);
    expect(nw.stderr).toContain('rowback log: note: 282 of the 283 log blocks read carry no log block checksum');
    const ang = await cli('log', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), '--out', join(mkdtempSync(join(tmpdir(), 'rowback-lognote-')), 'o.txt'));
    expect(ang.code).toBe(0);
    expect(ang.stderr).not.toContain('log block checksum');
  });
});

describe('log block checksum: SYNTHETIC blocks', () => {
  it('a block with no checksum bit and 0 @24 is not checked (a 2005 / TORN_PAGE_DETECTION block); a value @24 is checked, bit or not', () => {
    const b = new Uint8Array(512);
    b[0] = 0x58; // parity 0x40 | first | last
    b[511] = 0x05;
    b[100] = 0x77; // content the checksum would have to cover
    expect(fixupBlock(b, 0, 512)).toBeInstanceOf(Uint8Array);
    new DataView(b.buffer).setUint32(BLOCK_CHECKSUM_OFFSET, 0x12345678, true);
    expect(fixupBlock(b, 0, 512)).toMatch(/^log block checksum 0x12345678 stored, 0x[0-9a-f]{8} computed \(damaged block; its header's checksum bit is clear, though a checksum is there\)$/);
    new DataView(b.buffer).setUint16(BLOCK_STATUS_OFFSET, BLOCK_STATUS_CHECKSUM, true);
    expect(fixupBlock(b, 0, 512)).toMatch(/^log block checksum 0x12345678 stored, 0x[0-9a-f]{8} computed \(damaged block\)$/);
    new DataView(b.buffer).setUint32(BLOCK_CHECKSUM_OFFSET, logBlockChecksum(b, 0, 512), true);
    expect(fixupBlock(b, 0, 512)).toBeInstanceOf(Uint8Array);
  });
});
