import { describe, expect, it } from 'vitest';
import { backupLogCoverage, cutLogStream, judgeCutLogStream, reachesLogPosition, VLF_FIRST_BLOCK_ID, type BackupLogBounds } from '../../src/backup/log-coverage.js';
import { readBackupHeader } from '../../src/backup/header.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { emptyLogScanStats } from '../../src/logreader/ldf/reader.js';
import { parseLsn } from '../../src/logreader/lsn.js';
import { CORPUS_DIR, corpusFiles, describeCorpus } from '../support/corpus.js';

const P = (vlf: number, block: number) => ({ vlf, block });
const L = (vlf: number, block: number, slot = 1) => ({ vlf, block, slot });

describe('reachesLogPosition: log read up to `end` holds everything before `target` (LSN = VLF : block from that VLF\'s start : slot)', () => {
  it.each([
    ['same VLF, ends at the target block', P(0x19, 0xc8), P(0x19, 0xc8), true],
    ['same VLF, ends past it', P(0x19, 0xd0), P(0x19, 0xc8), true],
    ['same VLF, ends before it', P(0x19, 0xc7), P(0x19, 0xc8), false],
    ['later VLF than the target', P(0x26, 0x10), P(0x25, 0x1f0), true],
    // the first block of every VLF is 0x2000/512 = 0x10: a VLF closed at 0x1f0 goes on at (N+1):0x10
    ['ends where VLF N ends, target the first block of VLF N+1', P(0x25, 0x1f0), P(0x26, VLF_FIRST_BLOCK_ID), true],
    ['ends early in VLF N, target the first block of VLF N+1 (the size of VLF N is not in a backup)', P(0x25, 0x20), P(0x26, 0x10), true],
    ['target past the first block of VLF N+1: that block was not read', P(0x25, 0x1f0), P(0x26, 0x11), false],
    ['target in VLF N+2: all of VLF N+1 was not read', P(0x25, 0x1f0), P(0x27, 0x10), false],
  ])('%s', (_, end, target, want) => {
    expect(VLF_FIRST_BLOCK_ID).toBe(0x10);
    expect(reachesLogPosition(end, target)).toBe(want);
  });
});

describe('backupLogCoverage across a VLF boundary', () => {
  const log = (first: ReturnType<typeof L>, last: ReturnType<typeof L>): BackupLogBounds => ({ file: 'x.trn', backupType: 'log', firstLsn: first, lastLsn: last });
  it('a log backup whose stream ends with the last block of VLF N and whose LastLSN is (N+1):0x10:1 is whole (it was FORMAT_LOG_STREAM_SHORT)', () => {
    expect(backupLogCoverage(log(L(0x142, 0x66, 0x26), L(0x143, 0x10)), L(0x142, 0x66), P(0x142, 0x1f0))).toEqual([]);
  });
  it('a stream that ends a VLF early (VLF N+1 missing) is still FORMAT_LOG_STREAM_SHORT', () => {
    const r = backupLogCoverage(log(L(0x142, 0x66), L(0x144, 0x10)), L(0x142, 0x66), P(0x142, 0x1f0));
    expect(r.map((s) => s.code)).toEqual(['FORMAT_LOG_STREAM_SHORT']);
    const r2 = backupLogCoverage(log(L(0x142, 0x66), L(0x143, 0x40)), L(0x142, 0x66), P(0x142, 0x1f0));
    expect(r2.map((s) => s.code)).toEqual(['FORMAT_LOG_STREAM_SHORT']);
    // the range lost, structured (SkippedItem.lsnRange), as the reason says it
    expect(r2[0].lsnRange).toEqual({ first: '00000142:000001f0:0001', last: '00000143:00000040:0001' });
  });
  it('a log backup whose stream starts in the next VLF lost the start: FirstLSN names a record of its own VLF', () => {
    const r = backupLogCoverage(log(L(0x142, 0x1e0), L(0x143, 0x94)), L(0x143, 0x10), P(0x143, 0x94));
    expect(r.map((s) => s.code)).toEqual(['FORMAT_LOG_STREAM_SHORT']);
    expect(r[0].lsnRange).toEqual({ first: '00000142:000001e0:0001', last: '00000143:00000010:0001' });
    // nothing read: the whole range
    expect(backupLogCoverage(log(L(0x142, 0x1e0), L(0x143, 0x94)), null, null)[0]).toMatchObject({ code: 'FORMAT_LOG_STREAM_MISSING', lsnRange: { first: '00000142:000001e0:0001', last: '00000143:00000094:0001' } });
  });
});


describeCorpus('every real backup\'s log stream covers its header\'s LSN range', () => {
  it('no FORMAT_LOG_STREAM_SHORT / _MISSING on any backup set of the corpus, StDb2Sql.bak set 2 (log ending with VLF 0x25, LastLSN 26:10:1) included', async () => {
    const crossing: string[] = [];
    let sets = 0;
    for (const f of corpusFiles(/\.(trn|bak)$/i)) {
      const layout = readMtfLayout(f);
      for (let position = 1; position <= Math.max(1, layout.sets); position++) {
        const h = readBackupHeader(f, layout, position);
        // one stripe of a striped backup is read as far as it goes (its log is whole here)
        const s = openBackupLogStream(f, /\.bak$/i.test(f) ? 'bak' : 'trn', layout, position, { partialMediaSet: true });
        const st = emptyLogScanStats();
        let firstRead: string | null = null;
        const gaps: string[] = [];
        for await (const b of s.batches({ onSkipped: (x) => x.code === 'FORMAT_LOG_GAP' && gaps.push(x.reason) }, st)) firstRead ??= b.firstLsn;
        // the continuity check runs from one VLF's MQTL into the next (db1 LOG: 142:1ef → 143:10) and finds nothing
        expect(gaps, `${f} set ${position}`).toEqual([]);
        const lost = backupLogCoverage({ file: f, backupType: h.backupType, firstLsn: parseLsn(h.firstLsn.lsn), lastLsn: parseLsn(h.lastLsn.lsn) }, firstRead ? parseLsn(firstRead) : null, st.end);
        expect(lost, `${f} set ${position}`).toEqual([]);
        sets++;
        if (st.end && parseLsn(h.lastLsn.lsn).vlf === st.end.vlf + 1) crossing.push(`${f.slice(CORPUS_DIR.length + 1)}#${position}`);
      }
    }
    expect(sets).toBeGreaterThanOrEqual(23);
    // the real case of a stream ending with its VLF: the header's LastLSN is the next VLF's first block
    expect(crossing).toEqual(['StDb2005/StDb2EFRP/StDb2Sql.bak#2']);
  });
});

describe('cutLogStream / judgeCutLogStream: the one rule for a log stream the end of the file cuts short', () => {
  // SYNTHETIC layouts and items (the shapes mtf.ts readMtfLayout gives; no backup bytes)
  const item = (offset: number) => ({ code: 'FORMAT_BAD_MTF', reason: 'stream MQTL of 65538 bytes is cut short by the end of the file (12322 bytes present): a partial copy', location: { file: 'x.trn', offset } });
  const b = (backupType: BackupLogBounds['backupType']): BackupLogBounds => ({ file: 'x.trn', backupType, firstLsn: parseLsn('00000019:00000099:0001'), lastLsn: parseLsn('00000019:000000a3:0001') });
  it('held only for MTF damage at or after the MQTL stream of a one-set file (a cut stream, or damage in the blocks after it)', () => {
    const p = item(7656);
    expect(cutLogStream({ sets: 1, streams: [{ id: 'MQTL', offset: 7656, truncated: true }], problems: [p] })).toBe(p);
    expect(cutLogStream({ sets: 2, streams: [{ id: 'MQTL', offset: 7656, truncated: true }], problems: [p] })).toBeNull();
    expect(cutLogStream({ sets: 1, streams: [{ id: 'MQDA', offset: 7656, truncated: true }], problems: [p] })).toBeNull();
    // damage in the blocks after a complete stream (a damaged MSTL block, a cut at a block boundary): judged by the LSNs read
    const after = item(74240);
    expect(cutLogStream({ sets: 1, streams: [{ id: 'MQTL', offset: 7656 }], problems: [after] })).toBe(after);
    // damage before the log stream, or no log stream at all: not held (a loss)
    expect(cutLogStream({ sets: 1, streams: [{ id: 'MQTL', offset: 7656 }], problems: [item(6656)] })).toBeNull();
    expect(cutLogStream({ sets: 1, streams: [], problems: [after] })).toBeNull();
    // damage in the closing blocks only is a note already (FORMAT_BAD_MTF_TRAILER)
    expect(cutLogStream({ sets: 1, streams: [{ id: 'MQTL', offset: 7656 }], problems: [{ ...after, code: 'FORMAT_BAD_MTF_TRAILER' }] })).toBeNull();
  });
  it('a note when nothing is lost in a log backup; the item as a loss otherwise, or for a full backup', () => {
    const p = item(7656);
    expect(judgeCutLogStream(p, b('log'), []).note).toBe(`x.trn: FORMAT_BAD_MTF: ${p.reason} (offset 7656); every LSN its header names (00000019:00000099:0001 up to 00000019:000000a3:0001) was read before the cut: no log is lost (its closing blocks are)`);
    expect(judgeCutLogStream(p, b('log'), [], '00000019:0000009b:0003').note).toMatch(/; every LSN the replay needs from it \(00000019:00000099:0001 up to the stop point, 00000019:0000009b:0003\) was read before the cut: no log it replays is lost$/);
    const short = { code: 'FORMAT_LOG_STREAM_SHORT', reason: 'lost', location: { file: 'x.trn' } };
    expect(judgeCutLogStream(p, b('log'), [short])).toEqual({ note: null, loss: p });
    expect(judgeCutLogStream(p, b('full'), [])).toEqual({ note: null, loss: p });
  });
});
