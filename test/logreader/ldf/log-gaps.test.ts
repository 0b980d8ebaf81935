import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { BlockScanner, NEED_MORE, type BlockEvent } from '../../../src/logreader/ldf/block-scanner.js';
import { readLdfLayout } from '../../../src/logreader/ldf/reader.js';
import { formatLsn } from '../../../src/logreader/lsn.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

/** The log blocks of a backup's log stream, in order (offset, length, first LSN). */
function blocksOf(file: string): BlockEvent[] {
  const out: BlockEvent[] = [];
  const fd = openSync(file, 'r');
  try {
    for (const r of openBackupLogStream(file, 'trn').ranges) {
      const s = new BlockScanner(r.start);
      const buf = Buffer.alloc(r.end - r.start);
      readSync(fd, buf, 0, buf.length, r.start);
      s.push(buf);
      for (;;) {
        const ev = s.next();
        if (ev === null) break;
        if (ev === NEED_MORE) {
          s.end();
          continue;
        }
        if (ev.kind === 'block') out.push(ev);
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

async function readAll(file: string): Promise<{ lsns: string[]; skipped: SkippedItem[] }> {
  const skipped: SkippedItem[] = [];
  const lsns: string[] = [];
  for await (const r of openBackupLogStream(file, 'trn').records({ onSkipped: (s) => skipped.push(s) })) lsns.push(r['Current LSN']);
  return { lsns, skipped };
}

describeCorpus('damaged logs are reported, never silently shorter', () => {
  const real = corpusPath('appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn');

  it('the real log backup reads with no gap', async () => {
    const { lsns, skipped } = await readAll(real);
    expect(lsns.length).toBe(250);
    expect(skipped).toEqual([]);
  });

  it('whole log blocks zeroed inside a log backup (SYNTHETIC damage of a copy) → FORMAT_LOG_GAP naming the LSN range lost', async () => {
    const blocks = blocksOf(real);
    expect(blocks.length).toBeGreaterThan(4);
    const k = Math.floor(blocks.length / 2);
    const victim = blocks[k];
    const copy = join(mkdtempSync(join(tmpdir(), 'rowback-gap-')), 'StopAt_1.trn');
    copyFileSync(real, copy);
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.alloc(victim.bytes.length), 0, victim.bytes.length, victim.offset);
    closeSync(fd);

    const { lsns, skipped } = await readAll(copy);
    const lost = formatLsn({ ...victim.header.firstLsn, slot: 1 });
    const gap = skipped.find((s) => s.code === 'FORMAT_LOG_GAP');
    expect(gap, JSON.stringify(skipped)).toBeDefined();
    expect(gap!.location).toMatchObject({ file: copy, offset: victim.offset, lsn: lost });
    expect(gap!.reason).toContain(formatLsn(blocks[k + 1].header.firstLsn));
    // exactly the zeroed block's records are gone
    expect(lsns.some((l) => l.startsWith(lost.slice(0, 17)))).toBe(false);
    expect(lsns.length).toBeLessThan(250);
  });
});

describeCorpus('an .ldf cut short at a VLF boundary', () => {
  it('every real .ldf is as long as its file header says (no FORMAT_LOG_FILE_CUT)', async () => {
    for (const f of ['AngularJs_CRUD/App_Data/Database1_log.ldf', 'CRUD-.NET/App_Data/Database2_log.ldf', 'sql-practice-asp/App_Data/School_Log.ldf', 'SessionShoppingCart/App_Data/NORTHWND_log.ldf']) {
      const layout = await readLdfLayout(corpusPath(f));
      expect(layout.problems, f).toEqual([]);
    }
  });

  it('the same log cut after its second VLF (SYNTHETIC truncation of a copy) → FORMAT_LOG_FILE_CUT with the sizes, and a scan says it is incomplete', async () => {
    const real = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const layout = await readLdfLayout(real);
    expect(layout.vlfs.length).toBeGreaterThan(2);
    const cutAt = layout.vlfs[2].offset;
    const copy = join(mkdtempSync(join(tmpdir(), 'rowback-cut-')), 'Database1_log.ldf');
    copyFileSync(real, copy);
    truncateSync(copy, cutAt);
    const cut = await readLdfLayout(copy);
    expect(cut.vlfs).toHaveLength(2);
    expect(cut.problems).toEqual([
      expect.objectContaining({ code: 'FORMAT_LOG_FILE_CUT', location: { file: copy, offset: cutAt, lsn: '00000024:00000000:0000' }, reason: expect.stringContaining(`says ${layout.size} bytes, the file holds ${cutAt}`) }),
    ]);
    // the VLFs left carry sequences 37 and 35 (the log wrapped): 36, the third VLF's, is named as
    // lost, with its LSN range — it said "log records after the highest VLF present (sequence 37) may be lost"
    expect(layout.vlfs.map((v) => v.seq)).toEqual([37, 35, 36]);
    expect(cut.problems[0].reason).toBe(
      `the log file is cut short: its file header says ${layout.size} bytes, the file holds ${cutAt}; the VLFs after offset ${cutAt} are missing: VLF sequence 0x24 (LSN 00000024:00000000:0000 to 00000024:ffffffff:ffff), between sequences 0x23 and 0x25 present, is in no VLF left: its log was in the missing part and is lost; log after sequence 0x25, the highest present (from LSN 00000026:00000000:0000), and before sequence 0x23, the lowest, may have been there too`,
    );
    // cut after the first VLF: no sequence between, so what may be lost is said as possible only
    truncateSync(copy, layout.vlfs[1].offset);
    const one = await readLdfLayout(copy);
    expect(one.problems[0].reason).toMatch(/are missing: sequence 0x25 is the only one present; log after it \(from LSN 00000026:00000000:0000\) and before it may have been there too$/);
    expect(one.problems[0].location.lsn).toBe('00000026:00000000:0000');
  });

  it('cut inside a VLF (SYNTHETIC truncation of a copy at byte 600,000): the cut VLF\'s lost LSN range is named (it said only "every sequence from 35 to 37 is in a VLF present")', async () => {
    const real = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const copy = join(mkdtempSync(join(tmpdir(), 'rowback-cut-in-')), 'Database1_log.ldf');
    copyFileSync(real, copy);
    truncateSync(copy, 600_000);
    const cut = await readLdfLayout(copy);
    // the third VLF (sequence 36) starts at 540,672: 59,328 bytes of it are left, 115 whole sectors
    expect(cut.problems.map((p) => p.code)).toEqual(['FORMAT_BAD_VLF_HEADER', 'FORMAT_LOG_FILE_CUT']);
    expect(cut.problems[0].reason).toBe('VLF of 311296 bytes is cut short by the end of the file (59328 bytes present): VLF sequence 0x24 lost its log from LSN 00000024:00000073:0001 (its block 115, file offset 599552) to its end (LSN 00000024:0000025f:ffff), if it held log that far');
    expect(cut.problems[0].location).toEqual({ file: copy, offset: 540672, lsn: '00000024:00000073:0001' });
    expect(cut.problems[1].reason).toContain('the file holds 600000; VLF sequence 0x24, cut at offset 600000, lost its log from LSN 00000024:00000073:0001 to its end, if it held log that far, and the VLFs after it are missing: every sequence from 0x23 to 0x25');
    // the first LSN lost is the cut VLF's (sequence 36), not the one after the highest present (37)
    expect(cut.problems[1].location.lsn).toBe('00000024:00000073:0001');
  });
});

describeCorpus('a VLF of a real .ldf with no log block of its own', () => {
  it('every used VLF of the real .ldf files holds current log: no FORMAT_LOG_GAP from them; a copy with one VLF below the highest sequence zeroed after its header (SYNTHETIC damage) → FORMAT_LOG_GAP for that whole VLF, from scan\'s reader and inspect alike (it was silently shorter)', async () => {
    const { readLdfRecordBatches } = await import('../../../src/logreader/ldf/reader.js');
    const { inspectFile } = await import('../../../src/cli/commands/inspect.js');
    const gaps = async (file: string) => {
      const out: SkippedItem[] = [];
      for await (const _ of readLdfRecordBatches(file, { onSkipped: (s) => out.push(s) })) void _;
      return out.filter((s) => s.code === 'FORMAT_LOG_GAP');
    };
    const real = corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf');
    expect(await gaps(real)).toEqual([]);
    const layout = await readLdfLayout(real);
    const maxSeq = Math.max(...layout.vlfs.map((v) => v.seq));
    const victim = layout.vlfs.find((v) => v.seq > 0 && v.seq < maxSeq)!;
    const copy = join(mkdtempSync(join(tmpdir(), 'rowback-vlf-')), 'NORTHWND_log.ldf');
    copyFileSync(real, copy);
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.alloc(victim.size - 0x2000), 0, victim.size - 0x2000, victim.offset + 0x2000);
    closeSync(fd);
    const lsn = formatLsn({ vlf: victim.seq, block: 0x10, slot: 1 });
    const got = await gaps(copy);
    expect(got.map((s) => [s.location.lsn, s.location.offset])).toEqual([[lsn, victim.offset + 0x2000]]);
    const inspected = await inspectFile(copy);
    expect((inspected as unknown as { log: { skipped: SkippedItem[] } }).log.skipped.filter((s) => s.code === 'FORMAT_LOG_GAP').map((s) => s.location.lsn)).toEqual([lsn]);
  });
});
