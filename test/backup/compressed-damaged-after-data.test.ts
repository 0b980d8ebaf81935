import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A compressed backup whose chunk holding the blocks after its data stream (TSQLV4.bak: the chunk
 * at file offset 845,216, its log stream) fails its check value. The MTF walk threw the chunk's
 * FORMAT_BAD_COMPRESSED_DATA, so every command refused the file, dump too, though every data page
 * lies before the damage (an uncompressed backup damaged there was read, the damage said in a
 * note). The walk now stops there as at any damaged header: dump prints every row (the same as the
 * whole file's) with the damage in a note, a replay of the backup's own log is refused, scan says
 * INCOMPLETE. REAL TSQLV4-compressed/TSQLV4.bak; its SYNTHETIC copy with one bit flipped at file
 * offset 846,000 is written to a temp dir at test time.
 */
const cli = captureCli();

describeCorpus('compressed backup: a damaged chunk after the data streams', () => {
  let dir: string;
  let bak: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-compressed-after-data-'));
    bak = join(dir, 'TSQLV4-log-chunk-damaged.bak');
    const b = Buffer.from(readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')));
    b[846_000] ^= 0x01;
    writeFileSync(bak, b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the walk records the damage where it stopped (not thrown), naming the chunk\'s file offset; the data stream before it was read whole', () => {
    const layout = readMtfLayout(bak);
    expect(layout.problems.map((p) => p.code)).toEqual(['FORMAT_BAD_MTF']);
    expect(layout.problems[0]!.reason).toMatch(/the compressed chunk holding the block expected at this offset cannot be read \(compressed chunk fails its check value .* file offset 845244\): the copy is damaged there; the rest of the file is not read; offsets here are of the decompressed MTF stream/);
    const data = layout.streams.filter((s) => s.id === 'MQDA');
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((s) => !s.truncated && s.dataOffset + s.length <= layout.problems[0]!.location.offset!)).toBe(true);
  });

  it('dump --all prints the rows of the whole file, the damage in a note; a replay of its own log and scan of its log say what is lost', async () => {
    const whole = join(dir, 'whole.ndjson');
    const rows = join(dir, 'rows.ndjson');
    const report = join(dir, 'r.json');
    expect((await cli('dump', '--bak', corpusPath('TSQLV4-compressed', 'TSQLV4.bak'), '--all', '--out', whole, '--quiet')).code).toBe(0);
    const r = await cli('dump', '--bak', bak, '--all', '--out', rows, '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(rows, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.rows).toBe(103_241);
    expect(j.notes.some((n: string) => n.includes('file offset 845244') && n.includes("after the backup's data streams"))).toBe(true);
    expect(r.stderr).toContain('file offset 845244');
    const replay = await cli('dump', '--bak', bak, '--table', 'HR.Employees', '--stop-before-lsn', '39000000375200001', '--out', join(dir, 'replay.ndjson'));
    expect(replay.code).toBe(2);
    const scan = await cli('scan', '--bak', bak, '--out', join(dir, 'scan.ndjson'));
    expect(scan.stderr).toMatch(/rowback scan: INCOMPLETE: parts of the log could not be read/);
  });
});
