/**
 * SYNTHETIC: writes a chain of log backups (`.trn`, Microsoft Tape Format) of any size holding
 * the log that test/support/synthetic-log.ts generates, for property tests and benchmarks —
 * never to be mistaken for real bytes: the TAPE software name, the database and the server name
 * all say SYNTHETIC.
 *
 * Layout: the structures rowback's backup reader reads (src/backup/mtf.ts, header.ts,
 * log-stream.ts), in the order the corpus's SQL Server 2008 R2 log backups have them
 * (appveyor-lab StopAt_*.trn / RestoreTimeClean_*.trn, walked with readMtfLayout; no byte of
 * them is copied). Left out, since rowback reads none of them: the SFMB file marks, the MSLS DBLK
 * with the closing copy of MQCI, the second ESET and its OTCP/TSMP streams, and every field of a
 * DBLK beyond those listed here (zero). Written:
 * - DBLKs on 1 KB boundaries, each a 52-byte MTF common header (type, attributes, offset of the
 *   first stream @8, string type @48 = 2 Unicode, header checksum @50 = XOR of the 25 words
 *   before it: MTF 1.00a "Common Block Header") followed by its streams; every stream a 22-byte
 *   stream header (id, length u64 @8, checksum @20 = XOR of the 10 words before it), 4-byte
 *   aligned; an SPAD stream pads up to the next DBLK.
 * - TAPE @0 (media family id u32 @52, software name TAPE_ADDRESS @80) + RAID stream (media set
 *   GUID @0, family count u16 @20 = 1, family sequence @22 = 1, media sequence @24 = 1);
 *   SSET (backup set GUID in the OS-specific data TAPE_ADDRESS @44, no encryption @56 / software
 *   compression @58, data set number @62, user name @76, media write date @88); VOLB;
 *   MSCI + MQCI (the configuration records: one SCIN, fields as header.ts reads them: version,
 *   first/last/checkpoint/database-backup LSNs, dates, backup type 'L', dbi_version, database and
 *   server name, binding id @124, family GUID @156, base backup set GUID @200);
 * - one MSTL DBLK per VLF the backup holds, then an APAD stream placing the MQTL stream's data
 *   2 bytes before a 512-byte boundary (as in the corpus: data @0x1dfe, first block @0x1e00), then
 *   the MQTL stream: 2 bytes, then the VLF's log blocks exactly as the .ldf holds them;
 * - ESET (media write date @80) closing the set.
 *
 * The chain: backups cut at log-block boundaries inside a VLF (by default never where a VLF
 * ends); backup k's LastLSN is the first LSN of the block backup k+1 starts with, which is that
 * backup's FirstLSN (the corpus chains link the same way: StopAt_1 ends at 13:b7:1, StopAt_2
 * starts there). With `cutAt: 'vlf-end'`, backups are cut only where a VLF ends: backup k's
 * last block is the last block of VLF N, and its LastLSN (= backup k+1's FirstLSN) is
 * (N + 1):0x10:1, the first block of the next VLF (as the corpus's StDb2Sql.bak set 2: log up to
 * 25:1f0, LastLSN 26:10:1). With `shareBoundaryBlock`, backup k+1 also starts with backup k's last block and the
 * boundary LSN is a record inside it — the repeated block rowback must read only once. All
 * backups carry one binding id, family GUID and base backup set GUID.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogBlockSink } from './synthetic-log.js';

const SECTOR = 512;
const DBLK_ALIGN = 1024;
const COMMON_HEADER_SIZE = 52;
const STREAM_HEADER_SIZE = 22;

export interface SyntheticLsn {
  vlf: number;
  block: number;
  slot: number;
}

export interface SyntheticTrnChainOptions {
  /** Folder the backups are written to, as `${baseName}_1.trn`, `_2`, … */
  dir: string;
  baseName?: string;
  /** Start a new backup once one holds this many bytes of log blocks (cut at the next block boundary inside a VLF). */
  backupBytes: number;
  /** Backup k+1 starts with backup k's last block; the boundary LSN is a record inside it (see the module header). Only with cutAt 'block'. */
  shareBoundaryBlock?: boolean;
  /** Where a backup may end: at a block boundary inside a VLF ('block', the default) or only where a VLF ends ('vlf-end'). */
  cutAt?: 'block' | 'vlf-end';
  /** SCIN binding id (16 bytes); a fixed SYNTHETIC one by default. */
  bindingId?: Uint8Array;
}

export interface SyntheticTrnBackup {
  file: string;
  firstLsn: SyntheticLsn;
  lastLsn: SyntheticLsn;
  /** Bytes of log blocks in its MQTL streams. */
  logBytes: number;
}

export interface SyntheticTrnChain {
  sink: LogBlockSink;
  /** The backups written so far (complete after the sink is closed). */
  backups: SyntheticTrnBackup[];
}

const guidBytes = (seed: number) => {
  const g = new Uint8Array(16);
  for (let i = 0; i < 16; i++) g[i] = (seed * 37 + i * 11 + 0x5a) & 0xff;
  return g;
};

/** MTF_DATE_TIME (mtf.ts mtfDate): 40-bit big-endian year 14, month 4, day 5, hour 5, minute 6, second 6. */
function mtfDate(d: Date): Uint8Array {
  let v = d.getUTCFullYear();
  v = v * 16 + d.getUTCMonth() + 1;
  v = v * 32 + d.getUTCDate();
  v = v * 32 + d.getUTCHours();
  v = v * 64 + d.getUTCMinutes();
  v = v * 64 + d.getUTCSeconds();
  const b = new Uint8Array(5);
  for (let i = 4; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

function xorWords(b: Uint8Array, words: number): number {
  let x = 0;
  for (let i = 0; i < words; i++) x ^= b[2 * i] | (b[2 * i + 1] << 8);
  return x;
}

/** A DBLK's bytes up to its first stream: the common header (type, first event, string type, checksum) plus `fill`. */
function dblk(type: string, firstEvent: number, fill?: (b: Uint8Array, v: DataView) => void): Uint8Array {
  const b = new Uint8Array(firstEvent);
  const v = new DataView(b.buffer);
  b.set(Buffer.from(type, 'latin1'), 0);
  v.setUint16(8, firstEvent, true);
  b[48] = 2; // strings are Unicode
  fill?.(b, v);
  v.setUint16(50, xorWords(b, 25), true);
  return b;
}

function streamHeader(id: string, length: number): Uint8Array {
  const b = new Uint8Array(STREAM_HEADER_SIZE);
  const v = new DataView(b.buffer);
  b.set(Buffer.from(id, 'latin1'), 0);
  v.setBigUint64(8, BigInt(length), true);
  v.setUint16(20, xorWords(b, 10), true);
  return b;
}

/** Writes UTF-16LE `s` into a DBLK at `at` and its TAPE_ADDRESS (u16 size, u16 offset) at `addrAt`. */
function tapeString(b: Uint8Array, v: DataView, addrAt: number, at: number, s: string): void {
  const u = Buffer.from(s, 'utf16le');
  b.set(u, at);
  v.setUint16(addrAt, u.length, true);
  v.setUint16(addrAt + 2, at, true);
}

function setLsn(v: DataView, at: number, l: SyntheticLsn): void {
  v.setUint32(at, l.vlf, true);
  v.setUint32(at + 4, l.block, true);
  v.setUint16(at + 8, l.slot, true);
}

const DATABASE = 'SYNTHETIC_rowback';
const SERVER = 'SYNTHETIC\\rowback-test-writer';
const SOFTWARE = 'SYNTHETIC rowback test writer (not SQL Server)';

/** Where a SYNTHETIC SCIN record's names begin (StDb2Sql.bak's, SQL Server 2005: 344). */
const NAMES_AT = 344;

/** The SCIN configuration record (header.ts); `first`/`last` patched in when the backup closes. */
function scinRecord(o: { created: Date; started: Date; bindingId: Uint8Array; familyGuid: Uint8Array; baseGuid: Uint8Array }): Uint8Array {
  const names = [Buffer.from(DATABASE, 'utf16le'), Buffer.from(SERVER, 'utf16le')];
  // the names after the fixed part, as in real SCIN records (at 344–400 in the corpus's, 2005–2019):
  // they were written from 216, where a real record holds the database's collation (TDS form,
  // header.ts), and read back as one; the collation bytes stay zero (none said: no SQL Server wrote this)
  const at = NAMES_AT;
  const len = at + names[0].length + names[1].length;
  const s = new Uint8Array((len + 3) & ~3);
  const v = new DataView(s.buffer);
  s.set(Buffer.from('SCIN', 'latin1'), 0);
  v.setUint32(4, s.length, true);
  v.setUint16(24, 4001, true); // build
  s[26] = 0; // minor
  s[27] = 13; // major: 13.0.4001 (SQL Server 2016)
  s.set(mtfDate(o.created), 72);
  s.set(mtfDate(o.started), 77);
  s[87] = 'L'.charCodeAt(0);
  v.setUint16(94, 852, true); // dbi_version of SQL Server 2016
  v.setUint16(104, names[0].length, true);
  v.setUint16(106, at, true);
  v.setUint16(108, names[1].length, true);
  v.setUint16(110, at + names[0].length, true);
  s.set(names[0], at);
  s.set(names[1], at + names[0].length);
  s.set(o.bindingId, 124);
  s.set(o.familyGuid, 156);
  s.set(o.baseGuid, 200);
  return s;
}

/** One backup file being written; log blocks are appended as they come, headers patched at the end. */
class TrnFile {
  private fd: number;
  private pos = 0;
  /** File offset of the SCIN record and of the open MQTL stream's header. */
  private scinAt = 0;
  private mqtlAt = -1;
  private mqtlBytes = 0;
  vlf = -1;
  logBytes = 0;

  constructor(readonly file: string, readonly index: number, readonly firstLsn: SyntheticLsn, common: { bindingId: Uint8Array; familyGuid: Uint8Array; baseGuid: Uint8Array; created: Date }) {
    this.fd = openSync(file, 'w');
    const started = new Date(common.created.getTime() + index * 60_000);
    this.started = started;
    // TAPE + RAID (media set) + SPAD
    this.put(dblk('TAPE', 200, (b, v) => {
      v.setUint32(52, 0x5e7a0000 + index, true); // media family id
      tapeString(b, v, 80, 88, SOFTWARE);
    }));
    const raid = new Uint8Array(32);
    raid.set(guidBytes(1000 + index), 0);
    new DataView(raid.buffer).setUint16(20, 1, true);
    new DataView(raid.buffer).setUint16(22, 1, true);
    new DataView(raid.buffer).setUint16(24, 1, true);
    this.stream('RAID', raid);
    this.padToDblk();
    // SSET + SPAD
    this.put(dblk('SSET', 200, (b, v) => {
      v.setUint16(44, 16, true); // OS-specific data: the backup set GUID
      v.setUint16(46, 100, true);
      b.set(guidBytes(2000 + index), 100);
      v.setUint16(62, 1, true); // data set number (Position)
      tapeString(b, v, 76, 120, 'SYNTHETIC');
      b.set(mtfDate(started), 88);
      b[93] = 13;
      b[94] = 0;
    }));
    this.padToDblk();
    this.put(dblk('VOLB', 52));
    this.padToDblk();
    // MSCI + MQCI (SCIN) + SPAD
    this.put(dblk('MSCI', 56));
    const scin = scinRecord({ ...common, started });
    this.put(streamHeader('MQCI', scin.length));
    this.scinAt = this.pos;
    this.put(scin);
    this.pos = align4(this.pos);
    this.padToDblk();
  }

  private readonly started: Date;

  private put(b: Uint8Array, at = this.pos): void {
    writeSync(this.fd, b, 0, b.length, at);
    if (at === this.pos) this.pos += b.length;
  }

  private stream(id: string, data: Uint8Array): void {
    this.put(streamHeader(id, data.length));
    this.put(data);
    this.pos = align4(this.pos);
  }

  /** An SPAD stream up to the next 1 KB boundary (a whole further KB when the header would not fit). */
  private padToDblk(): void {
    let to = Math.ceil(this.pos / DBLK_ALIGN) * DBLK_ALIGN;
    if (to - this.pos < STREAM_HEADER_SIZE) to += DBLK_ALIGN;
    this.stream('SPAD', new Uint8Array(to - this.pos - STREAM_HEADER_SIZE));
  }

  /** Appends a log block of VLF `vlf`; a new VLF opens a new MSTL + MQTL. */
  block(bytes: Uint8Array, vlf: number): void {
    if (vlf !== this.vlf) {
      this.endMqtl();
      this.vlf = vlf;
      this.put(dblk('MSTL', 52));
      // APAD so that the MQTL header ends 2 bytes before a 512-byte boundary (corpus layout)
      let q = align4(this.pos + STREAM_HEADER_SIZE);
      while ((q + STREAM_HEADER_SIZE) % SECTOR !== SECTOR - 2) q += 4; // q ≡ 488 (mod 512): 4-aligned, so this ends
      this.stream('APAD', new Uint8Array(q - this.pos - STREAM_HEADER_SIZE));
      this.mqtlAt = this.pos;
      this.put(streamHeader('MQTL', 0)); // length patched by endMqtl
      this.put(new Uint8Array(2));
      this.mqtlBytes = 0;
    }
    this.put(bytes);
    this.mqtlBytes += bytes.length;
    this.logBytes += bytes.length;
  }

  private endMqtl(): void {
    if (this.mqtlAt < 0) return;
    this.put(streamHeader('MQTL', 2 + this.mqtlBytes), this.mqtlAt);
    this.mqtlAt = -1;
    this.pos = align4(this.pos);
    this.padToDblk();
  }

  /** Patches FirstLSN/LastLSN (and the checkpoint / database backup LSNs, = FirstLSN) into SCIN, writes ESET, closes. */
  close(lastLsn: SyntheticLsn): void {
    this.endMqtl();
    const lsns = new Uint8Array(40);
    const v = new DataView(lsns.buffer);
    setLsn(v, 0, this.firstLsn); // @32 first
    setLsn(v, 10, lastLsn); // @42 last
    setLsn(v, 20, this.firstLsn); // @52 checkpoint
    setLsn(v, 30, this.firstLsn); // @62 database backup LSN
    this.put(lsns, this.scinAt + 32);
    const finished = new Date(this.started.getTime() + 1000);
    this.put(dblk('ESET', 88, (b) => b.set(mtfDate(finished), 80)));
    this.padToDblk();
    closeSync(this.fd);
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * A LogBlockSink writing the SYNTHETIC log as a chain of log backups in `o.dir` (module header).
 * Give it to synthetic-log.ts writeSyntheticLog, alone or beside an ldfSink (then both hold the
 * same records); `backups` lists what was written once the writer has closed the sink.
 */
export function trnChainSink(o: SyntheticTrnChainOptions): SyntheticTrnChain {
  const backups: SyntheticTrnBackup[] = [];
  const common = { bindingId: o.bindingId ?? guidBytes(7), familyGuid: guidBytes(8), baseGuid: guidBytes(9), created: new Date(Date.UTC(2026, 2, 5, 14, 0, 0)) };
  const base = o.baseName ?? 'SYNTHETIC_log';
  let cur: TrnFile | null = null;
  let last: { bytes: Uint8Array; vlf: number; block: number } | null = null;
  const open = (first: SyntheticLsn) => (cur = new TrnFile(join(o.dir, `${base}_${backups.length + 1}.trn`), backups.length + 1, first, common));
  const finish = (lastLsn: SyntheticLsn) => {
    if (!cur) return;
    cur.close(lastLsn);
    backups.push({ file: cur.file, firstLsn: cur.firstLsn, lastLsn, logBytes: cur.logBytes });
    cur = null;
  };
  return {
    backups,
    sink: {
      startVlf() {},
      block(bytes, vlf, block) {
        if (cur && cur.logBytes >= o.backupBytes && last && last.vlf !== vlf && o.cutAt === 'vlf-end') {
          // VLF `last.vlf` is closed; the log goes on at this VLF's first block (0x10)
          const at = { vlf, block, slot: 1 };
          finish(at);
          open(at);
        } else if (cur && cur.logBytes >= o.backupBytes && last && last.vlf === vlf && o.cutAt !== 'vlf-end') {
          if (o.shareBoundaryBlock) {
            // the boundary is a record in the middle of the last block, which both backups hold
            const count = new DataView(last.bytes.buffer, last.bytes.byteOffset).getUint16(2, true); // block header: record count u16 @2
            const at = { vlf, block: last.block, slot: Math.max(1, Math.ceil(count / 2)) };
            finish(at);
            open(at).block(last.bytes, last.vlf);
          } else {
            const at = { vlf, block, slot: 1 };
            finish(at);
            open(at);
          }
        }
        (cur ?? open({ vlf, block, slot: 1 })).block(bytes, vlf);
        last = { bytes, vlf, block };
      },
      close() {
        if (cur && last) finish({ vlf: last.vlf, block: last.block + last.bytes.length / SECTOR, slot: 1 });
      },
    },
  };
}
