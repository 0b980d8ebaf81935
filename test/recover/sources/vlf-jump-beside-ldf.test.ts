/**
 * SYNTHETIC (test/support/synthetic-log.ts, synthetic-trn.ts; nothing written to the repo): a log
 * backup crossing from VLF N to N + 1 whose last block of N and first block of N + 1 (0x10) are torn
 * reads as a FORMAT_LOG_GAP from where N's log read ends (its lsnRange) — its location names
 * (N + 1):0x10 — and the damaged blocks carry that range. Beside an .ldf whose log starts at
 * (N + 1):0x10 (its VLFs up to N never used: their headers' sequence set to 0, their blocks zeroed), the .ldf holds
 * the part from (N + 1):0x10 but not N's tail: log is lost, and the scan must say so. files.ts held
 * the backup's loss from the gap's location (N + 1):0x10, so the .ldf "held" it: no loss said, a
 * note "no log lost", rows of N's tail missing unsaid.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { readLdfLayout } from '../../../src/logreader/ldf/reader.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { openFileSource, type FileSourceInputs } from '../../../src/recover/sources/files.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { ldfSink, writeSyntheticLog } from '../../support/synthetic-log.js';
import { trnChainSink } from '../../support/synthetic-trn.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';

const dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-jump-ldf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(inputs: FileSourceInputs): Promise<{ skipped: SkippedItem[]; notes: string[] }> {
  const files = openFileSource(inputs);
  const source = withMetadata(files, [contactLayout]);
  for await (const _ of recoverRows(source, { operations: ['delete'] })) void _;
  await source.close();
  return { skipped: files.skipped(), notes: files.notes };
}

it('a backup\'s loss from the end of VLF N (gap to (N + 1) past 0x10) beside an .ldf whose log starts at (N + 1):0x10: the loss of N\'s tail is said (INCOMPLETE), not "no log lost"', async () => {
  mkdirSync(dir, { recursive: true });
  const ldf = join(dir, 'crm_log.ldf');
  const chain = trnChainSink({ dir, backupBytes: 300 * 1024, shareBoundaryBlock: false, cutAt: 'block' });
  writeSyntheticLog([ldfSink(ldf), chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0.2, concurrency: 5 }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
  const files = chain.backups.map((b) => b.file);
  // a backup whose stream crosses from VLF N to N + 1, with N's last block and (N + 1):0x10 more than one sector
  let hit: { i: number; n: number; last: { block: number; offset: number; sectors: number }; first: { block: number; offset: number; sectors: number } } | null = null;
  for (let i = 0; i < files.length && !hit; i++) {
    const blocks: Array<{ vlf: number; block: number; offset: number; sectors: number }> = [];
    for await (const b of openBackupLogStream(files[i]!, 'trn').batches({}, undefined, () => false)) blocks.push({ vlf: parseInt(String(b.firstLsn).slice(0, 8), 16), block: parseInt(String(b.firstLsn).slice(9, 17), 16), offset: b.offset!, sectors: b.sectors! });
    for (let k = 1; k < blocks.length - 1; k++) {
      const a = blocks[k - 1]!;
      const b = blocks[k]!;
      if (b.vlf === a.vlf + 1 && b.block === 0x10 && k >= 2) {
        hit = { i, n: a.vlf, last: a, first: b };
        break;
      }
    }
  }
  expect(hit).not.toBeNull();
  const { i, n, last, first } = hit!;
  const bytes = readFileSync(files[i]!);
  // torn: a sector after each block's first no longer holds the block's fix-up value (or, a one-sector block, its header's first bytes overwritten)
  for (const b of [last, first]) {
    if (b.sectors > 1) bytes[b.offset + 512] ^= 0xff;
    else bytes.fill(0x5a, b.offset, b.offset + 64);
  }
  const torn = join(dir, 'torn.trn');
  writeFileSync(torn, bytes);
  const items: SkippedItem[] = [];
  for await (const _ of openBackupLogStream(torn, 'trn').records({ onSkipped: (x) => items.push(x) })) void _;
  const gap = items.find((x) => x.code === 'FORMAT_LOG_GAP');
  expect(gap?.lsnRange?.first).toBe(`${n.toString(16).padStart(8, '0')}:${(last.block).toString(16).padStart(8, '0')}:0001`);
  // the .ldf: its VLFs of sequence up to N unused (sequence 0, blocks zeroed), so its log starts at (N + 1):0x10
  const l = readFileSync(ldf);
  const layout = await readLdfLayout(ldf);
  for (const v of layout.vlfs) if (v.seq > 0 && v.seq <= n) {
    l.writeUInt32LE(0, v.offset + 4);
    l.fill(0, v.offset + 0x2000, v.offset + v.size);
  }
  const ldf2 = join(dir, 'reused_log.ldf');
  writeFileSync(ldf2, l);
  const chainFiles = [...files.slice(0, i), torn, ...files.slice(i + 1)];
  for (const threads of [1, 2]) {
    const r = await scan({ ldf: ldf2, trn: chainFiles, threads, parallelMinBytes: 0 });
    // N's tail from the torn block on is in neither file
    expect(r.skipped.map((x) => x.code)).toContain('FORMAT_LOG_GAP');
    expect(r.notes.filter((x) => x.includes('torn.trn') && x.includes('no log lost'))).toEqual([]);
    // beside the whole .ldf (it holds VLF N's log to its end and (N + 1):0x10 on): nothing lost, said so
    const whole = await scan({ ldf, trn: chainFiles, threads, parallelMinBytes: 0 });
    expect(whole.skipped).toEqual([]);
    expect(whole.notes.some((x) => x.includes(`torn.trn lacks LSNs ${gap!.lsnRange!.first}`) && x.includes('no log lost'))).toBe(true);
  }
});
