import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import type { RowCandidate, SourceProgress } from '../../../src/recover/source.js';
import { readLdfLayout, readLdfRecords } from '../../../src/logreader/ldf/reader.js';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { createLogger } from '../../../src/util/logger.js';
import { beginTimeToIso } from '../../../src/recover/time-window.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';

const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);

async function all(it: AsyncIterable<RowCandidate>): Promise<RowCandidate[]> {
  const out: RowCandidate[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('openFileSource arguments', () => {
  it('no log at all → INPUT_NO_LOG', () => {
    expect(() => openFileSource({ mdf: 'x.mdf' })).toThrow(expect.objectContaining({ code: 'INPUT_NO_LOG' }));
  });
});

describeCorpus('file source on the corpus', () => {
  it('RestoreTimeClean: metadata from the .bak, 30 committed inserts into dbo.steps from three .trn, one every ~30 s', async () => {
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')] });
    try {
      const cat = await src.metadata();
      expect(cat.byName('dbo.steps')).toBeDefined();
      const cs = await all(src.candidates({ operations: ['insert'] }));
      expect(cs.length).toBe(30);
      expect(src.skipped()).toEqual([]);
      for (const c of cs) {
        expect(cat.byAllocUnit(c.record.AllocUnitId!)?.name).toBe('steps');
        expect(c.record.Operation).toBe('LOP_INSERT_ROWS');
        expect(c.txn.login).toBeNull();
        expect(c.txn.sid?.length).toBe(28);
        expect(c.txn.endTime).not.toBeNull();
      }
      expect(cs[0].txn.beginTime).toBe('2017/06/01 12:59:12:970');
      expect(cs[1].txn.beginTime).toBe('2017/06/01 12:59:42:973');
      // Row images: int id 0, 1, 2, … in order.
      expect(cs.map((c) => new DataView(c.record['RowLog Contents 0']!.buffer, c.record['RowLog Contents 0']!.byteOffset).getInt32(4, true))).toEqual([...Array(30).keys()]);
      const times = cs.map((c) => Date.parse(beginTimeToIso(c.txn.beginTime!) + 'Z'));
      for (let i = 1; i < times.length; i++) expect(Math.abs(times[i] - times[i - 1] - 30_000)).toBeLessThan(1000);
      // Decoded with the layout read from the .bak (dbo.steps(step int, dt datetime2(7))): one row every 30 s from 12:59:12.970.
      const steps = cat.byName('dbo.steps')!;
      const decoded = cs.map((c) => decodeRow(c.record['RowLog Contents 0']!, steps).values);
      expect(decoded[0]).toEqual({ step: 0, dt: '2017-06-01T12:59:12.9700000' });
      expect(decoded[1]).toEqual({ step: 1, dt: '2017-06-01T12:59:42.9730000' });
      expect(decoded.map((v) => v.step)).toEqual([...Array(30).keys()]);
      expect(src.scanStats.candidates).toBe(30);
      expect(src.logStats.records).toBeGreaterThan(0);
      // No deletes in this chain.
      expect(await all(src.candidates({ operations: ['delete'] }))).toEqual([]);
      // A window keeps only the first two rows.
      const w = await all(src.candidates({ operations: ['insert'], from: '2017-06-01T12:59:00.000', to: '2017-06-01T12:59:59.999' }));
      expect(w.length).toBe(2);
    } finally {
      await src.close();
    }
  });

  it('a full backup given as a log backup → INPUT_NOT_A_LOG_BACKUP', () => {
    expect(() => openFileSource({ trn: [RTC('RestoreTimeClean.bak')] })).toThrow(expect.objectContaining({ code: 'INPUT_NOT_A_LOG_BACKUP' }));
  });

  it('the log inside the .bak is read when no log file is given', async () => {
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak') });
    const cs = await all(src.candidates({ operations: ['insert', 'delete', 'update'] }));
    expect(cs).toEqual([]); // the full backup's log portion holds no user-row operation (checkpoint and allocation records only)
    expect(src.logStats.records).toBe(171);
    await src.close();
  });

  it('a broken .trn chain is reported as FORMAT_LOG_CHAIN_GAP', async () => {
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_3.trn')] });
    const gaps = src.skipped().filter((s) => s.code === 'FORMAT_LOG_CHAIN_GAP');
    expect(gaps.length).toBe(1);
    expect(gaps[0].location.file).toMatch(/RestoreTimeClean_3\.trn$/);
    const cs = await all(src.candidates({ operations: ['insert'] }));
    expect(cs.length).toBe(20);
    await src.close();
  });

  it('a first log backup starting after the full backup\'s log ends (the log backup between them not given) is FORMAT_LOG_CHAIN_GAP, not a complete result', async () => {
    // RestoreTimeClean.bak holds log to 19:84:1 (HEADERONLY LastLSN); _2.trn starts at 19:99:1: _1.trn's steps 0-9 are missing
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')] });
    const gaps = src.skipped().filter((s) => s.code === 'FORMAT_LOG_CHAIN_GAP');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].location.file).toMatch(/RestoreTimeClean_2\.trn$/);
    expect(gaps[0].reason).toMatch(/do not chain to the full backup: .*RestoreTimeClean\.bak holds log up to LSN \d+ \(00000019:00000084:0001\).*starts at \d+ \(00000019:00000099:0001\)/);
    await src.close();
    // the whole chain: no gap
    const whole = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')] });
    expect(whole.skipped()).toEqual([]);
    await whole.close();
  });

  it('overlapping log backups: records already read from an earlier backup are not yielded twice', async () => {
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_2.trn')] });
    // the same backup given twice is read once and is no break in the chain (it was FORMAT_LOG_CHAIN_GAP, a log loss)
    expect(src.skipped().map((s) => s.code)).toEqual([]);
    expect(src.notes.filter((n) => /RestoreTimeClean_2\.trn holds the same log as .*RestoreTimeClean_2\.trn .*read once/.test(n))).toHaveLength(1);
    const cs = await all(src.candidates({ operations: ['insert'] }));
    expect(cs.length).toBe(20);
    expect(src.skipped()).toEqual([]);
    await src.close();
  });

  it('AngularJs_CRUD: .mdf + .ldf → the 16 logged deletes are all committed user-table deletes (13 tblDept, 3 Employee)', async () => {
    const src = openFileSource({ mdf: corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), ldf: corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf') });
    try {
      const cat = await src.metadata();
      const cs = await all(src.candidates({ operations: ['delete'] }));
      const by: Record<string, number> = {};
      for (const c of cs) {
        const t = cat.byAllocUnit(c.record.AllocUnitId!)!;
        by[`${t.schema}.${t.name}`] = (by[`${t.schema}.${t.name}`] ?? 0) + 1;
      }
      expect(by).toEqual({ 'dbo.tblDept': 13, 'dbo.Employee': 3 });
      expect(src.scanStats.aborted).toBe(2);
      const only = await all(src.candidates({ operations: ['delete'], tables: ['dbo.Employee'] }));
      expect(only.length).toBe(3);
    } finally {
      await src.close();
    }
  });
});

describeCorpus('file source progress (RecoverySource.progress)', () => {
  const ANG = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);

  /** Every record of the log, counted by the reader on its own. */
  async function logRecordCount(ldf: string): Promise<number> {
    let n = 0;
    for await (const _ of readLdfRecords(ldf)) n++;
    return n;
  }

  /**
   * Runs a scan with a logger that samples `progress()` the moment each pass ends (the source logs
   * `log read` at the end of every pass), plus a sample on every candidate.
   */
  async function scanSampling(inputs: Parameters<typeof openFileSource>[0]) {
    const atPassEnd: SourceProgress[] = [];
    let src!: ReturnType<typeof openFileSource>;
    const logger = createLogger({ level: 'debug' }, {
      write: (line: string) => {
        if ((JSON.parse(line) as { msg: string }).msg === 'log read') atPassEnd.push(src.progress());
      },
    });
    src = openFileSource(inputs, logger);
    const before = src.progress();
    const during: SourceProgress[] = [];
    for await (const _ of src.candidates({ operations: ['delete'] })) during.push(src.progress());
    const after = src.progress();
    await src.close();
    return { before, atPassEnd, during, after, logStats: src.logStats };
  }

  it('AngularJs_CRUD .mdf + .ldf: one pass; bytesRead reaches the log size at its end, recordsRead the log record count', async () => {
    const ldf = ANG('Database1_log.ldf');
    const records = await logRecordCount(ldf);
    const layout = await readLdfLayout(ldf);
    // what a pass reads: the file less its header page (0x2000) and each VLF's header (0x2000)
    const logBytes = statSync(ldf).size - 0x2000 - layout.vlfs.length * 0x2000;
    expect(records).toBeGreaterThan(1000);
    const r = await scanSampling({ mdf: ANG('Database1.mdf'), ldf });
    expect(r.before).toMatchObject({ bytesRead: 0, recordsRead: 0 });
    expect(r.atPassEnd).toEqual([{ bytesRead: logBytes, bytesTotal: logBytes, recordsRead: records, pass: 1, passes: 1 }]);
    // rows come while the one pass reads (at each commit): never beyond the total
    expect(r.during.length).toBe(16);
    for (const p of r.during) {
      expect(p.pass).toBe(1);
      expect(p.bytesRead).toBeGreaterThan(0);
      expect(p.bytesRead).toBeLessThanOrEqual(logBytes);
      expect(p.recordsRead).toBeLessThanOrEqual(records);
    }
    expect(r.after).toEqual(r.atPassEnd[0]);
    expect(r.logStats.records).toBe(records);
  });

  it('a .bak and its .trn chain: the total is the log payload of the backups, read once', async () => {
    const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
    const trn = [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')];
    const payload = trn.reduce((n, f) => n + openBackupLogStream(f, 'trn').bytes, 0);
    const r = await scanSampling({ bak: RTC('RestoreTimeClean.bak'), trn });
    expect(r.atPassEnd.map((p) => [p.pass, p.bytesRead, p.bytesTotal])).toEqual([[1, payload, payload]]);
    expect(r.atPassEnd[0].recordsRead).toBe(r.logStats.records);
  });
});

describeCorpus('a log backup cut short inside its log stream (copies of RestoreTimeClean_2.trn cut at a byte count)', () => {
  const cutCopy = async (bytes: number): Promise<string> => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-cut-trn-')), 'RestoreTimeClean_2.trn');
    writeFileSync(out, readFileSync(RTC('RestoreTimeClean_2.trn')).subarray(0, bytes));
    return out;
  };
  const scan = async (bytes: number) => {
    const cut = await cutCopy(bytes);
    const src = openFileSource({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), cut, RTC('RestoreTimeClean_3.trn')] });
    try {
      await src.metadata();
      const rows = (await all(src.candidates({ operations: ['insert'] }))).length;
      return { cut, rows, skipped: src.skipped().map((s) => s.code), notes: src.notes };
    } finally {
      await src.close();
    }
  };

  it('cut after every LSN its header names (20,000 of 82,432 bytes: the rest is the stream\'s padding and closing blocks): a note, not a loss; all 30 rows', async () => {
    const r = await scan(20_000);
    expect(r.rows).toBe(30);
    expect(r.skipped).toEqual([]);
    expect(r.notes).toContainEqual(`${r.cut}: FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short by the end of the file (12322 bytes present): a partial copy (offset 7656); every LSN its header names (00000019:00000099:0001 up to 00000019:000000a3:0001) was read before the cut: no log is lost (its closing blocks are)`);
  });

  it('cut inside its log (10,656 bytes): the loss as before, with the LSN range lost', async () => {
    const r = await scan(10_656);
    expect(r.rows).toBe(25);
    expect(r.skipped).toEqual(expect.arrayContaining(['FORMAT_BAD_MTF', 'FORMAT_LOG_STREAM_SHORT']));
    expect(r.notes.some((n) => n.includes('no log is lost'))).toBe(false);
  });
});
