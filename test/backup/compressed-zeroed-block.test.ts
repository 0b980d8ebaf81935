import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A compressed backup (MSSQLBAK container) with a 4 KB block of bytes zeroed, as a damaged copy
 * holds them (newcomer DBA, incident 3). The container indexer took a record header of zeros for
 * padding up to the next 4 KB boundary and went on there. So:
 * - where the next boundary fell inside a record (29 of the 75 blocks of TSQLV4.bak zeroed one at a
 *   time), the copy was refused as a layout rowback does not know (FORMAT_COMPRESSED_BACKUP: "record
 *   kind 0xe … is not one rowback has seen; rowback does not guess at this layout", naming the offset
 *   after the zeros): read as "rowback cannot read this kind of backup", not as a damaged copy, and
 *   `restore plan` did not list it as damaged;
 * - where the next boundary held a record (the block at 856,064: a chunk and its padding), the
 *   chunk was dropped without a word: the decompressed stream came out 4 KB short, and every command
 *   said "the file ends at offset 7577600 … a cut-short copy; the rest of the file is missing" (an
 *   offset in the decompressed stream, of a whole 864,256-byte file), `dump` printing its rows
 *   (exit 0) and `restore plan` refusing a stop in 2030 as INPUT_RESTORE_TOO_EARLY ("finished at (no
 *   date)").
 * TSQLV4.bak holds no run of zeros where a record stands (120 chunks, 2 paddings, a directory, 3
 * SFMB blocks). Zeros standing where a record is expected with more of the file after them are now
 * damage: FORMAT_BAD_COMPRESSED_DATA naming the file offsets of the zeros. Zeros up to the end of
 * the file are still taken as its end.
 * REAL TSQLV4.bak with SYNTHETIC damage (zeroed blocks), made at test time, never kept.
 */
const cli = captureCli();

describeCorpus('a compressed backup with a block zeroed: damaged, at its file offset', () => {
  const REAL = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  let dir: string;
  const zeroed = (name: string, at: number, length = 4096): string => {
    const b = Buffer.from(readFileSync(REAL));
    b.fill(0, at, at + length);
    const f = join(dir, name);
    writeFileSync(f, b);
    return f;
  };
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-zeroed-compressed-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = (file: string): { code?: string; message: string } => {
    try {
      readMtfLayout(file);
    } catch (e) {
      return e as { code?: string; message: string };
    }
    throw new Error(`${file} was read whole`);
  };

  it('the next boundary inside a record: damaged, not a layout rowback does not know', () => {
    const e = refusal(zeroed('mid.bak', 65536));
    expect(e.code).toBe('FORMAT_BAD_COMPRESSED_DATA');
    expect(e.message).toMatch(/^zeros stand at file offset (\d+) to (\d+) where a compressed record was expected, and the file goes on after them \(\d+ bytes\): the copy is damaged there/);
    const [, from, to] = /file offset (\d+) to (\d+)/.exec(e.message)!.map(Number);
    expect(from).toBeGreaterThanOrEqual(65536);
    expect(to).toBe(69632);
    expect(e.message).not.toContain('does not guess at this layout');
  });

  it('the next boundary holding a record: refused, not a chunk dropped unsaid', async () => {
    const f = zeroed('tail.bak', 856064);
    const e = refusal(f);
    expect(e.code).toBe('FORMAT_BAD_COMPRESSED_DATA');
    expect(e.message).toMatch(/^zeros stand at file offset 856064 to 860160 where a compressed record was expected/);
    const dump = await cli('dump', '--bak', f, '--table', 'HR.Employees');
    expect(dump.code).toBe(2);
    expect(dump.stdout).toBe('');
    expect(dump.stderr).toContain('FORMAT_BAD_COMPRESSED_DATA: zeros stand at file offset 856064');
    expect(dump.stderr).not.toContain('cut-short');
    const plan = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2030-01-01', '--as', 'X');
    expect(plan.code).toBe(2);
    expect(plan.stderr).not.toContain('INPUT_RESTORE_TOO_EARLY');
    expect(plan.stderr).toContain(`${join(dir, 'tail.bak')}: FORMAT_BAD_COMPRESSED_DATA: zeros stand at file offset 856064 to 860160`);
    expect(plan.stderr).toContain(`${join(dir, 'mid.bak')}: FORMAT_BAD_COMPRESSED_DATA: zeros stand at file offset`);
  });

  it('the whole file still reads; zeros up to the end of the file are still its end', () => {
    expect(readMtfLayout(REAL)).toMatchObject({ sets: 1, problems: [] });
    const b = readFileSync(REAL);
    const f = join(dir, 'padded.bak');
    writeFileSync(f, Buffer.concat([b, Buffer.alloc(8192)]));
    expect(readMtfLayout(f)).toMatchObject({ sets: 1, problems: [] });
    rmSync(f);
  });
});
