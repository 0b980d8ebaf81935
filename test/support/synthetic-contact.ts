/**
 * SYNTHETIC: the 4-column contact table the synthetic log and log-backup tests write rows of (one
 * in-row allocation unit), and its row for transaction t, row r (distinct per (t, r), so a row
 * lost or given twice shows).
 */
import { buildLayout, encodeRow } from './synthetic-encoder.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { ldfSink, writeSyntheticLdf, writeSyntheticLog, type LogBlockSink, type SyntheticLogOptions } from './synthetic-log.js';

export const CONTACT_AU = '72057594043367424';
export const contactLayout = { ...buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100 },
  { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 },
]), allocUnits: [{ allocUnitId: CONTACT_AU, type: 'IN_ROW_DATA' as const }] };
export const contactRow = (t: number, r: number): Uint8Array =>
  encodeRow(contactLayout, { ContactId: t * 10000 + r, Name: `名字${t}-${r}`, Email: `c${t}.${r}@example.com`, Balance: `${t}.${String(r % 100).padStart(2, '0')}` });

/** SYNTHETIC: the clock tests' narrower Contact (ContactId int, Name nvarchar(100)), in the same allocation unit, as `--ddl` reads it. */
export const NARROW_CONTACT_DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL);\n';
const narrowContactLayout = { ...buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100 },
]), allocUnits: [{ allocUnitId: CONTACT_AU, type: 'IN_ROW_DATA' as const }] };
/** SYNTHETIC: ten row images of NARROW_CONTACT_DDL's table, (i, 'n<i>') for i 0..9. */
export const narrowContactImages = (): Uint8Array[] => Array.from({ length: 10 }, (_, i) => encodeRow(narrowContactLayout, { ContactId: i, Name: `n${i}` }));

/**
 * SYNTHETIC: the narrow Contact's work for writeSyntheticLdf: one delete transaction a minute from
 * 02:00 (7,200 s), the ten narrowContactImages in turn, none rolled back, all finished at the end.
 */
export function narrowContactWork() {
  const images = narrowContactImages();
  return { targetBytes: Infinity, row: (_t: number, r: number) => images[r % 10]!, rollbackShare: 0, finishAtEnd: true, second: (n: number) => 7200 + n * 60 };
}

/**
 * SYNTHETIC: writes at `path` a narrow-Contact .ldf (64 KB VLFs) whose VLF sequences are 37, 38 and
 * 40–45: the VLF of 39 was reused, so 37 and 38 are older log cut off from the rest (the log is whole
 * only from 40 on). The scan-window and LSN-range tests of such a log share it.
 */
export function writeLdfWithReusedVlf(path: string): void {
  const layout: NonNullable<SyntheticLogOptions['vlfLayout']> = [{ seq: 45, parity: 0x80 }, { seq: 40 }, { seq: 37 }, { seq: 38 }, { seq: 41 }, { seq: 42 }, { seq: 43 }, { seq: 44 }, { seq: 0 }];
  writeSyntheticLdf(path, narrowContactWork(), { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024, vlfLayout: layout });
}

/** SYNTHETIC: the Contact table of contactRow as `--ddl` reads it. */
export const CONTACT_DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n';

/** Where one log block was written: its VLF sequence, its offset in the .ldf, its size (bytes). */
export interface WrittenBlock { seq: number; at: number; size: number }

/**
 * SYNTHETIC: writes at `path` a Contact .ldf of five VLFs (40–44) of 8 KB + 4 blocks of 60 KB, every
 * block 60 KB, so each VLF is filled to its end, with the same log written to `alsoTo` (log-backup
 * sinks: synthetic-trn.ts trnChainSink). `second`: the workload's clock (synthetic-log.ts). Returns
 * every block written and VLF 41's last two blocks, checked to be as large as each other (a lost
 * last block the next VLF's first cannot tell by its size) with VLF 42 holding log after them: the
 * VLF-end damage tests zero or tear them in copies (copyWith).
 */
export function writeFilledVlfLdf(path: string, o: { alsoTo?: LogBlockSink[]; second?: (n: number) => number } = {}): { blocks: WrittenBlock[]; beforeLast41: WrittenBlock; last41: WrittenBlock } {
  const blocks: WrittenBlock[] = [];
  const file = ldfSink(path);
  const sink: LogBlockSink = {
    startVlf: (s, size, at, parity) => file.startVlf(s, size, at, parity),
    block(bytes, s, id, at) {
      blocks.push({ seq: s, at, size: bytes.length });
      file.block(bytes, s, id, at);
    },
    close: () => file.close(),
  };
  const vlf = 8192 + 4 * 61440;
  writeSyntheticLog([sink, ...(o.alsoTo ?? [])], { targetBytes: 5 * vlf, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, ...(o.second ? { second: o.second } : {}) }, { allocUnitId: CONTACT_AU, vlfSize: vlf });
  const in41 = blocks.filter((b) => b.seq === 41);
  const [beforeLast41, last41] = in41.slice(-2);
  if (!beforeLast41 || !last41 || beforeLast41.size !== 61440 || last41.size !== 61440 || !blocks.some((b) => b.seq === 42)) {
    throw new Error(`SYNTHETIC log not as the VLF-end tests need it: VLF 41 ends ${JSON.stringify(in41.slice(-2))}, VLF 42 ${blocks.some((b) => b.seq === 42) ? 'holds log' : 'holds none'}`);
  }
  return { blocks, beforeLast41, last41 };
}

/** SYNTHETIC: a copy of `from` at `to` with `edit` applied to its bytes (zeroing or tearing blocks). */
export function copyWith(from: string, to: string, edit: (b: Buffer) => void): void {
  const b = Buffer.from(readFileSync(from));
  edit(b);
  writeFileSync(to, b);
}
