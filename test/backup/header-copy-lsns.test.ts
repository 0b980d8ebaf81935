import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBackupBytes } from '../../src/backup/bytes.js';
import { headerCopyDisagreesWithLog } from '../../src/backup/config-stream.js';
import { readBackupHeader } from '../../src/backup/header.js';
import { readLogStreamEdges } from '../../src/backup/log-edges.js';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

/**
 * Where a backup set's two header copies disagree on FirstLSN, LastLSN or CheckpointLSN, the copy
 * whose LSNs the log stream agrees with (its first and last log block: src/backup/log-edges.ts) is
 * read. The closing copy was always read: a LastLSN lowered by damage there made `scan --trn` report
 * a chain gap ("LSNs … are lost"), a FirstLSN raised there passed `inspect` and `restore plan`
 * refused, blaming the chain. REAL corpus files; the damaged ones are copies altered here (SYNTHETIC
 * damage of one LSN field).
 */
describeCorpus('which header copy holds the backup\'s LSNs: the one its log stream agrees with', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-lsns-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of `name` in its own folder with the u32 at `at` of one SCIN copy changed by `delta` (SCIN is the stream's first record). */
  const lsnDamaged = (name: string, folder: string, copy: 'opening' | 'closing' | 'both', at: number, delta: number, also: string[] = []): string => {
    const d = join(dir, folder);
    mkdirSync(d);
    for (const f of also) damagedCopy(stopAt(f), join(d, f), () => undefined);
    return damagedCopy(stopAt(name), join(d, name), (b) => {
      const o = headerCopyOffsets(stopAt(name));
      for (const c of copy === 'both' ? [o.opening, o.closing] : [o[copy]]) b.writeUInt32LE(b.readUInt32LE(c + at) + (copy === 'both' && c === o.opening ? -delta : delta), c + at);
    });
  };

  it('every set of every corpus backup: the closing copy\'s LSNs are the log stream\'s; the opening copy\'s too but in the SQL Server 2019/2025 full backups', () => {
    const files = (readdirSync(CORPUS_DIR, { recursive: true }) as string[]).filter((f) => /\.(bak|trn)$/i.test(f)).map((f) => join(CORPUS_DIR, f)).sort();
    const openingOff: string[] = [];
    let sets = 0;
    for (const f of files) {
      const layout = readMtfLayout(f);
      const src = openBackupBytes(f);
      try {
        for (let n = 1; n <= layout.sets; n++) {
          const ranges = layout.streams.filter((s) => s.id === 'MQTL' && s.set === n && s.length > 0).map(payloadRange);
          if (!ranges.length) continue; // SQL2008_db1_LOG_20170518_041837.trn: no log (FirstLSN = LastLSN)
          const edges = readLogStreamEdges(src, ranges);
          if (typeof edges === 'string') throw new Error(`${f} set ${n}: ${edges}`);
          const copies = layout.streams.filter((s) => s.id === 'MQCI' && s.set === n);
          const read = (s: (typeof copies)[number]) => {
            const b = Buffer.alloc(s.length);
            src.readSync(b, 0, s.length, s.dataOffset);
            return b;
          };
          expect([f, n, headerCopyDisagreesWithLog(read(copies.find((s) => s.dblk === 'MSLS')!), edges)]).toEqual([f, n, null]);
          if (headerCopyDisagreesWithLog(read(copies[0]!), edges) !== null) openingOff.push(f.slice(CORPUS_DIR.length + 1));
          sets++;
        }
      } finally {
        src.close();
      }
    }
    expect(sets).toBeGreaterThanOrEqual(22);
    expect(openingOff.sort()).toEqual(['Chinook_Analysis/Chinook.bak', 'FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak']);
  });

  it('the SQL Server 2019 and 2025 full backups: the closing copy, silently', () => {
    const fin = corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');
    const chinook = corpusPath('Chinook_Analysis', 'Chinook.bak');
    for (const [f, first] of [[fin, '00000026:00000860:0001'], [chinook, '00000032:00000a90:0001']] as const) {
      const layout = readMtfLayout(f);
      expect(layout.problems).toEqual([]);
      expect(layout.headerCopy).toEqual({ 1: 'closing' });
      expect(readBackupHeader(f, layout).firstLsn.lsn).toBe(first);
    }
  });

  it('a LastLSN lowered in a log backup\'s closing copy: the opening copy is read; scan --trn finds no chain gap and says a WARNING (also with --quiet; exit 3 under --strict)', async () => {
    const f = lsnDamaged('StopAt_2.trn', 'last', 'closing', 46, -1, ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']);
    const layout = readMtfLayout(f);
    expect(layout.headerCopy).toEqual({ 1: 'opening' });
    expect(layout.problems.map((p) => p.code)).toEqual(['BACKUP_HEADER_WARNING']);
    expect(layout.problems[0]!.reason).toContain('disagree on the LastLSN (the field at offset 3704 in the opening copy, 75384 in the closing copy): "00000013:000000b7:0001 .. 00000013:000000c1:0001, checkpoint 00000013:00000051:00be" in the opening copy, "00000013:000000b7:0001 .. 00000013:000000c0:0001, checkpoint 00000013:00000051:00be" in the closing copy; the log stream runs from 00000013:000000b7:0001 to 00000013:000000c1:0001: the opening copy\'s LSNs agree with it and are used');
    expect(readBackupHeader(f, layout).lastLsn.lsn).toBe('00000013:000000c1:0001');
    const d = join(dir, 'last');
    const args = ['scan', '--bak', join(d, 'StopAt.bak'), '--trn', join(d, 'StopAt_1.trn'), f, join(d, 'StopAt_21.trn'), '--out', join(d, 'rows.ndjson')];
    const r = await cli(...args, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/are lost|FORMAT_LOG_CHAIN_GAP|INCOMPLETE/);
    expect(r.stderr).toMatch(/^rowback scan: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the LastLSN/m);
    const report = join(d, 'report.json');
    const s = await cli(...args, '--quiet', '--strict', '--report', report);
    expect(s.code).toBe(3);
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.complete).toBe(true);
    expect(j.warnings).toEqual([expect.stringMatching(/StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the LastLSN/)]);
    const log = await cli('log', join(d, 'StopAt_1.trn'), f, join(d, 'StopAt_21.trn'), '--quiet', '--strict', '--out', join(d, 'log.ndjson'));
    expect(log.stderr).not.toMatch(/are lost|INCOMPLETE/);
    expect(log.stderr).toMatch(/^rowback log: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the LastLSN/m);
    expect(log.code).toBe(3);
  }, 120_000);

  it('a FirstLSN raised in a log backup\'s closing copy: inspect shows the log\'s FirstLSN with a WARNING; restore plan uses the backup', async () => {
    const f = lsnDamaged('StopAt_2.trn', 'first', 'closing', 36, 1, ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']);
    const r = await cli('inspect', f, '--quiet');
    expect(r.stdout).toMatch(/first LSN +19000000018300001 \(00000013:000000b7:0001\)/);
    expect(r.stderr).toMatch(/^rowback inspect: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the FirstLSN .*"00000013:000000b8:0001 \.\. 00000013:000000c1:0001, checkpoint 00000013:00000051:00be" in the closing copy; .*the closing copy is damaged/m);
    expect(r.code).toBe(3);
    const p = await cli('restore', 'plan', '--backups', join(dir, 'first'), '--stop-before-lsn', '00000013:000000d0:0001', '--as', 'X');
    expect(p.code).toBe(0);
    expect(p.stdout).toContain(`RESTORE LOG [X] FROM DISK = N'${f}' WITH FILE = 1, NORECOVERY;`);
    expect(p.stdout).toContain(`STOPBEFOREMARK = N'lsn:19000000020800001'`);
    expect(p.stderr).toMatch(/^rowback restore plan: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the FirstLSN/m);
  }, 120_000);

  it('both copies damaged (neither agrees with the log stream): FORMAT_BAD_BACKUP_HEADER naming both, the set kept out of restore plans', async () => {
    const f = lsnDamaged('StopAt_2.trn', 'both', 'both', 46, 1, ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']);
    const layout = readMtfLayout(f);
    expect(layout.problems.map((p) => p.code)).toEqual(['FORMAT_BAD_BACKUP_HEADER']);
    expect(layout.problems[0]!.reason).toMatch(/disagree on the LastLSN .*: "00000013:000000b7:0001 \.\. 00000013:000000c0:0001, .*" in the opening copy, "00000013:000000b7:0001 \.\. 00000013:000000c2:0001, .*" in the closing copy; the log stream runs from 00000013:000000b7:0001 to 00000013:000000c1:0001 and neither copy's LSNs agree with it/);
    const p = await cli('restore', 'plan', '--backups', join(dir, 'both'), '--stop-before-lsn', '00000013:000000d0:0001', '--as', 'X');
    expect(p.stdout).not.toContain(`FROM DISK = N'${f}'`);
  }, 120_000);

  it('the closing copy set aside as damaged (its LastLSN lowered) and damaged in another field too: every item\'s offset is the closing copy\'s field (it named the opening copy, the one read)', async () => {
    // SYNTHETIC: StopAt_2.trn (opening copy at 3662, closing at 75342) with the closing copy's
    // LastLSN lowered (the log stream settles it: the opening copy is read) and, in that same
    // closing copy, one byte of the server name (a WARNING) or of the binding id (the set refused)
    const o = headerCopyOffsets(stopAt('StopAt_2.trn'));
    const lowered = (b: Buffer) => b.writeUInt32LE(b.readUInt32LE(o.closing + 46) - 1, o.closing + 46);
    const d = join(dir, 'closing-aside');
    mkdirSync(d);
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) damagedCopy(stopAt(f), join(d, f), () => undefined);
    const server = damagedCopy(stopAt('StopAt_2.trn'), join(dir, 'server-closing.trn'), (b) => {
      lowered(b);
      b[o.closing + b.readUInt16LE(o.closing + 110)] ^= 0x01; // SCIN @110: the server name's offset in the record
    });
    const s = readMtfLayout(server);
    expect(s.headerCopy).toEqual({ 1: 'opening' });
    expect(s.problems.map((p) => [p.code, p.location.offset])).toEqual([['BACKUP_HEADER_WARNING', o.closing + 42], ['BACKUP_HEADER_WARNING', o.closing + 108]]);
    expect(s.problems[1]!.reason).toContain('disagree on the server name (the field at offset 3770 in the opening copy, 75450 in the closing copy)');
    const i = await cli('inspect', server, '--quiet');
    expect(i.stderr).toMatch(/^rowback inspect: WARNING: .*server-closing\.trn: BACKUP_HEADER_WARNING: .* disagree on the server name .*\(offset 75450\)$/m);
    const binding = damagedCopy(stopAt('StopAt_2.trn'), join(d, 'StopAt_2.trn'), (b) => {
      lowered(b);
      b[o.closing + 124] ^= 0x01; // SCIN @124: the binding id
    });
    const l = readMtfLayout(binding);
    expect(l.headerCopy).toEqual({ 1: 'opening' });
    expect(l.problems.map((p) => [p.code, p.location.offset])).toEqual([['FORMAT_BAD_BACKUP_HEADER', o.closing + 124]]);
    // still found as this set's (it was looked for in the opening copy only): kept out of the plan
    const p = await cli('restore', 'plan', '--backups', d, '--stop-before-lsn', '00000013:000000d0:0001', '--as', 'X');
    expect(p.code).toBe(2);
    expect(p.stdout).not.toContain(`FROM DISK = N'${binding}'`);
    expect(p.stderr).toMatch(/INPUT_RESTORE_CHAIN_BROKEN: .*left out as damaged \(cut, unreadable, or its header's two copies disagree; .*StopAt_2\.trn/);
  }, 120_000);

  it('copies disagreeing and no log block to tell them apart (the stream zeroed): FORMAT_BAD_BACKUP_HEADER, no copy picked silently', () => {
    const src = stopAt('StopAt_2.trn');
    const ranges = readMtfLayout(src).streams.filter((s) => s.id === 'MQTL').map(payloadRange);
    const f = damagedCopy(src, join(dir, 'nolog.trn'), (b) => {
      const o = headerCopyOffsets(src);
      b.writeUInt32LE(b.readUInt32LE(o.closing + 46) - 1, o.closing + 46);
      for (const r of ranges) b.fill(0, r.start, r.end);
    });
    const p = readMtfLayout(f).problems.filter((x) => x.code === 'FORMAT_BAD_BACKUP_HEADER');
    expect(p).toHaveLength(1);
    expect(p[0]!.reason).toMatch(/disagree on the LastLSN .*; the backup's log stream cannot tell which copy is the backup's: its log stream holds no whole log block/);
  });
});

/**
 * readLogStreamEdges past damage: a damaged block inside the last VLF's range (its hop from block
 * header to block header stops there) still finds the last block by scanning the rest; a damaged
 * last block is a reason, not an end. SYNTHETIC damage of REAL StopAt_1.trn's log blocks.
 */
describeCorpus('the log stream\'s edges, read past damage', () => {
  const trn = stopAt('StopAt_1.trn');
  const layout = readMtfLayout(trn);
  const ranges = layout.streams.filter((s) => s.id === 'MQTL').map(payloadRange);
  const edgesOf = (edit?: (b: Buffer) => void) => {
    const b = Buffer.from(readFileSync(trn));
    edit?.(b);
    const src = { size: b.length, compressed: null, readSync: (buf: Uint8Array, o: number, n: number, p: number) => b.copy(buf, o, p, Math.min(b.length, p + n)), read: async () => ({ bytesRead: 0 }), close: () => undefined };
    return readLogStreamEdges(src as unknown as Parameters<typeof readLogStreamEdges>[0], ranges);
  };
  const blocks = (): { offset: number; size: number }[] => {
    const b = readFileSync(trn);
    const out: { offset: number; size: number }[] = [];
    for (let at = ranges[0]!.start; at + 512 <= ranges[0]!.end; ) {
      const size = b.readUInt16LE(at + 6);
      if (b[at] === 0 || size === 0) break;
      out.push({ offset: at, size });
      at += size;
    }
    return out;
  };

  it('whole: from 00000013:00000051 to 00000013:000000b7', () => {
    expect(edgesOf()).toEqual({ first: { vlf: 0x13, block: 0x51, slot: 1 }, firstRecords: 190, end: { vlf: 0x13, block: 0xb7 } });
  });

  it('a middle block\'s header damaged: the same end', () => {
    const list = blocks();
    expect(list.length).toBeGreaterThanOrEqual(3);
    const mid = list[1]!;
    expect(edgesOf((b) => b.writeUInt16LE(7, mid.offset + 6))).toMatchObject({ end: { vlf: 0x13, block: 0xb7 } });
  });

  it('the last block damaged: a reason naming it', () => {
    const last = blocks().pop()!;
    const r = edgesOf((b) => {
      b[last.offset + 100] ^= 0xff;
    });
    expect(r).toEqual(expect.stringMatching(new RegExp(`^its last log block \\(offset ${last.offset}, LSN 13:b6\\) does not read whole: `)));
  });

  it('the first block damaged (its checksum fails): a reason, not the block after it as the start', () => {
    const first = blocks()[0]!;
    expect(first.offset).toBe(ranges[0]!.start);
    const r = edgesOf((b) => {
      b[first.offset + 300] ^= 0xff;
    });
    expect(r).toEqual(expect.stringMatching(new RegExp(`^its first log block \\(offset ${first.offset}\\) does not read whole: log block checksum `)));
  });

  it('the first block damaged and the closing copy\'s FirstLSN raised to the block after it (later than the opening copy\'s, as a 2019+ backup\'s is): FORMAT_BAD_BACKUP_HEADER, not the damaged copy read silently', () => {
    const first = blocks()[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'rowback-edges-'));
    try {
      const f = damagedCopy(trn, join(dir, 'StopAt_1.trn'), (b) => {
        b[first.offset + 300] ^= 0xff;
        const o = headerCopyOffsets(trn);
        expect(b.readUInt32LE(o.closing + 36)).toBe(0x51);
        b.writeUInt32LE(b.readUInt32LE(first.offset + first.size + 16), o.closing + 36); // the second block's
        b.writeUInt16LE(1, o.closing + 40);
      });
      const bad = readMtfLayout(f).problems.filter((p) => p.code === 'FORMAT_BAD_BACKUP_HEADER');
      expect(bad).toHaveLength(1);
      expect(bad[0]!.reason).toMatch(/disagree on the FirstLSN .*the backup's log stream cannot tell which copy is the backup's: its first log block/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the last block\'s header damaged (no block after it): a reason, not the block before it as the end', () => {
    const last = blocks().pop()!;
    const r = edgesOf((b) => b.writeUInt16LE(7, last.offset + 6));
    expect(r).toEqual(expect.stringMatching(new RegExp(`^its last log block \\(offset ${last.offset}, where 13:b6 was due\\) does not read whole: block size 7 `)));
  });

  it('the last block\'s header damaged and the closing copy\'s LastLSN lowered to the block before it: FORMAT_BAD_BACKUP_HEADER, not the damaged copy chosen; the block a loss', async () => {
    const last = blocks().pop()!;
    const dir = mkdtempSync(join(tmpdir(), 'rowback-edges-'));
    try {
      const f = damagedCopy(trn, join(dir, 'StopAt_1.trn'), (b) => {
        b.writeUInt16LE(7, last.offset + 6);
        const o = headerCopyOffsets(trn);
        expect(b.readUInt32LE(o.closing + 46)).toBe(0xb7);
        b.writeUInt32LE(0xb6, o.closing + 46);
      });
      const l = readMtfLayout(f);
      expect(l.problems.filter((p) => p.code === 'BACKUP_HEADER_WARNING')).toEqual([]);
      const bad = l.problems.filter((p) => p.code === 'FORMAT_BAD_BACKUP_HEADER');
      expect(bad).toHaveLength(1);
      expect(bad[0]!.reason).toMatch(/disagree on the LastLSN .*the backup's log stream cannot tell which copy is the backup's: its last log block/);
      // the lost block is a loss, not 'past the end of the backup's log, no record is lost' (judged by the LastLSN in doubt)
      const items: SkippedItem[] = [];
      for await (const _ of openBackupLogStream(f, 'trn').records({ onSkipped: (x) => items.push(x) })) void _;
      const lost = items.map((x) => x.code);
      expect(lost).toContain('FORMAT_BAD_LOG_BLOCK');
      expect(lost).not.toContain('LOG_PAST_END_DAMAGED');
      // where its loss ends (the LastLSN in doubt) is not known: no range, said so, from where the block before it ends
      const block = items.find((x) => x.code === 'FORMAT_BAD_LOG_BLOCK')!;
      expect(block.lsnRange).toBeUndefined();
      expect(block.reason).toContain("no readable block follows it in the stream: LSNs from 00000013:000000b6:0001 on could not be read, up to where the backup's log ends, which is not known (its header's LastLSN is not known: the header's two copies disagree, or it cannot be read)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
