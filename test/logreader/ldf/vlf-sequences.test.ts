/**
 * The VLF shapes of a healthy log that are not lost log: never-used VLFs (sequence 0), inactive VLFs
 * holding log of old sequences, a log that wrapped around the file (sequences not in file order) and
 * one where the file grew while the next VLF was still active (the log skipped it; a sequence number
 * between those present is gone because its VLF was reused since). None of them may read as a
 * FORMAT_LOG_GAP (a scan would say INCOMPLETE): SYNTHETIC logs written by test/support/synthetic-log.ts
 * with those layouts.
 *
 * Facts the shapes follow: DBCC LOGINFO shows a never-used VLF as FSeqNo 0, Status 0, Parity 0, and a
 * new database's first VLF takes model's highest sequence + 1 (Paul Randal, "Initial VLF sequence
 * numbers and default log file size", sqlskills.com); log truncation marks a VLF reusable without
 * overwriting or zeroing it; when the log reaches an active VLF the file grows and the log "skips" the
 * active VLFs, reusing them on a later round (sqlserverdownanddirty.blogspot.com, "How many virtual log
 * files do I have?"); a VLF's parity flips (64/128) each time it is reused.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyLogScanStats, LOG_STARTS_MID_VLF, readLdfLayout, readLdfRecordBatches } from '../../../src/logreader/ldf/reader.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { logLoss, type SkippedItem } from '../../../src/recover/source.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';
import { writeSyntheticLdf, type SyntheticLogOptions, type SyntheticTxn } from '../../support/synthetic-log.js';

const dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-seq-'));
const VLF = 256 * 1024;

type Layout = NonNullable<SyntheticLogOptions['vlfLayout']>;

const shapes: Array<{ name: string; layout: Layout }> = [
  // CREATE DATABASE: the first VLF used (model's sequence + 1), the others never used: zero, or the 0xC0 fill of new log space
  { name: 'a new log: VLFs after the used ones never used (sequence 0, parity 0; zeroed and 0xC0-filled)', layout: [{ seq: 137 }, { seq: 138 }, { seq: 0 }, { seq: 0, fill: 0xc0 }] },
  { name: 'never-used VLFs between used ones', layout: [{ seq: 40 }, { seq: 0 }, { seq: 41 }, { seq: 0, fill: 0xc0 }, { seq: 42 }] },
  // four VLFs used round and round: the oldest sequence is not the first VLF, parities differ by round
  { name: 'a log that wrapped: sequences not in file order, inactive VLFs of older rounds and the other parity', layout: [{ seq: 49, parity: 0x80 }, { seq: 50, parity: 0x80 }, { seq: 47 }, { seq: 48 }] },
  // VLFs 0-3 held 39, 40, 37, 38; at VLF 2 (37) still active the file grew (VLFs 4-7: 41-44, the log
  // skipping the active ones), then wrapped to VLF 0, reused as 45: sequence 39 is in no VLF, VLFs of
  // the older 37 and 38 still hold their log, and the last grown VLF is never used
  { name: 'the file grew while the next VLF was active: a sequence skipped (39 reused since) below inactive VLFs of older ones (37, 38)', layout: [{ seq: 45, parity: 0x80 }, { seq: 40 }, { seq: 37 }, { seq: 38 }, { seq: 41 }, { seq: 42 }, { seq: 43 }, { seq: 44 }, { seq: 0 }] },
];

describe.each(shapes)('SYNTHETIC .ldf, $name', ({ name, layout }) => {
  it('reads with no FORMAT_LOG_GAP nor any other loss, in file and in sequence order, and a scan gives every committed row once, not INCOMPLETE', async () => {
    const file = join(dir, `${name.slice(0, 12).replace(/\W/g, '_')}-${layout.length}.ldf`);
    const txns: SyntheticTxn[] = [];
    writeSyntheticLdf(file, { targetBytes: Infinity, row: contactRow, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: CONTACT_AU, vlfSize: VLF, vlfLayout: layout, onTxn: (t) => txns.push(t) });
    const l = await readLdfLayout(file);
    expect(l.vlfs.map((v) => v.seq)).toEqual(layout.map((v) => v.seq));
    expect(l.vlfs.map((v) => v.parity)).toEqual(layout.map((v) => (v.seq === 0 ? 0 : v.parity ?? 0x40)));
    expect(l.problems).toEqual([]);
    for (const vlfOrder of ['file', 'sequence'] as const) {
      const skipped: SkippedItem[] = [];
      const stats = emptyLogScanStats();
      const lsns: string[] = [];
      for await (const b of readLdfRecordBatches(file, { onSkipped: (s) => skipped.push(s), vlfOrder }, stats)) for (const r of b.records) lsns.push(r['Current LSN']);
      expect(skipped, vlfOrder).toEqual([]);
      expect(stats.gaps).toBe(0);
      expect(stats.staleRecords).toBe(0);
      // every used VLF's log read, from its first block
      const used = layout.filter((v) => v.seq > 0).map((v) => v.seq);
      expect(new Set(lsns.map((x) => parseInt(x.slice(0, 8), 16)))).toEqual(new Set(used));
      for (const s of used) expect(lsns).toContain(`${s.toString(16).padStart(8, '0')}:00000010:0001`);
      expect(new Set(lsns).size).toBe(lsns.length);
    }
    const files = openFileSource({ ldf: file });
    const source = withMetadata(files, [contactLayout]);
    const rows: string[] = [];
    for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') rows.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
    await source.close();
    expect(logLoss(files.skipped())).toEqual([]);
    const want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex')));
    expect(want.length).toBeGreaterThan(100);
    expect(rows.sort()).toEqual(want.sort());
  });
});

describe('SYNTHETIC .ldf whose oldest VLF\'s log starts past its first block', () => {
  // A full backup's log starts mid-VLF (every backup of the corpus: pubs.bak at 86:1a8, StDb2Sql.bak at
  // 1c:fc, …); a database restored from it gets a log file zeroed but for what the backup held, so its
  // oldest VLF's log starts past block 0x10 with never-written sectors before it. Not verified on a real
  // restored .ldf (the corpus has none): the shape is made by zeroing (or 0xC0-filling) the head of a
  // SYNTHETIC log's oldest VLF.
  const VLF2 = 256 * 1024;
  const write = (name: string, layout: Layout) => {
    const file = join(dir, name);
    const txns: SyntheticTxn[] = [];
    writeSyntheticLdf(file, { targetBytes: Infinity, row: contactRow, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: CONTACT_AU, vlfSize: VLF2, vlfLayout: layout, onTxn: (t) => txns.push(t) });
    return { file, want: txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex'))) };
  };
  /** The file offsets of the blocks of the VLF at `vlfOffset`, as read. */
  const blockOffsets = async (file: string, vlfOffset: number) => {
    const out: number[] = [];
    for await (const b of readLdfRecordBatches(file)) if (b.offset! >= vlfOffset && b.offset! < vlfOffset + VLF2) out.push(b.offset!);
    return out;
  };
  const fill = (file: string, from: number, to: number, byte: number) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(to - from, byte), 0, to - from, from);
    closeSync(fd);
  };
  const read = async (file: string) => {
    const skipped: SkippedItem[] = [];
    for await (const _ of readLdfRecordBatches(file, { onSkipped: (s) => skipped.push(s) })) void _;
    const files = openFileSource({ ldf: file });
    const source = withMetadata(files, [contactLayout]);
    const rows: string[] = [];
    for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') rows.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
    await source.close();
    return { skipped, rows, scanSkipped: files.skipped(), notes: files.notes };
  };

  it.each([0x00, 0xc0])('its head never written (fill byte %d, a restored database\'s log): LOG_STARTS_MID_VLF, a note in a scan, no FORMAT_LOG_GAP, not INCOMPLETE; a VLF after it with its head zeroed is still FORMAT_LOG_GAP', async (byte) => {
    // the oldest VLF (86) is the second in the file: the log wrapped
    const { file, want } = write(`head-${byte}.ldf`, [{ seq: 88, parity: 0x80 }, { seq: 86 }, { seq: 87 }, { seq: 0 }]);
    const vlf86 = 8192 + VLF2;
    const blocks = await blockOffsets(file, vlf86);
    expect(blocks.length).toBeGreaterThan(4);
    fill(file, vlf86 + 0x2000, blocks[3], byte);
    const start = `00000056:${((blocks[3] - vlf86) / 512).toString(16).padStart(8, '0')}:0001`;
    const r = await read(file);
    expect(r.skipped).toEqual([expect.objectContaining({ code: LOG_STARTS_MID_VLF, location: { file, offset: blocks[3], lsn: start } })]);
    expect(logLoss(r.scanSkipped)).toEqual([]);
    expect(r.scanSkipped).toEqual([]);
    expect(r.notes).toEqual([expect.stringContaining(`the log this file holds starts at LSN ${start}`)]);
    // rows of transactions wholly after the start, each once
    expect(r.rows.length).toBeGreaterThan(want.length * 0.6);
    expect(new Set(r.rows).size).toBe(r.rows.length);
    expect(r.rows.every((x) => want.includes(x))).toBe(true);

    // the same head zeroed in VLF 87 (not the oldest): log lost between older and newer log
    const vlf87 = 8192 + 2 * VLF2;
    const b87 = await blockOffsets(file, vlf87);
    fill(file, vlf87 + 0x2000, b87[2], byte);
    const r2 = await read(file);
    expect(r2.skipped.map((s) => [s.code, s.location.lsn])).toEqual([
      [LOG_STARTS_MID_VLF, start],
      ['FORMAT_LOG_GAP', '00000057:00000010:0001'],
    ]);
    expect(logLoss(r2.scanSkipped).map((s) => s.code)).toEqual(['FORMAT_LOG_GAP']);
  });

  it('its head holding other bytes (damage, not never-written space): FORMAT_BAD_LOG_BLOCK and FORMAT_LOG_GAP as before', async () => {
    const { file } = write('head-bad.ldf', [{ seq: 86 }, { seq: 87 }]);
    const blocks = await blockOffsets(file, 8192);
    fill(file, 8192 + 0x2000, blocks[2], 0x5a);
    const r = await read(file);
    expect(r.skipped.map((s) => s.code)).toEqual(['FORMAT_BAD_LOG_BLOCK', 'FORMAT_LOG_GAP']);
    expect(logLoss(r.scanSkipped).map((s) => s.code)).toEqual(['FORMAT_BAD_LOG_BLOCK', 'FORMAT_LOG_GAP']);
  });
});
