/**
 * `scan --ldf L --trn …` and `log L A B …` with an LSN range starting below both the first log
 * backup given and the .ldf's oldest VLF: the log before both is in earlier log backups, in no file
 * given. The .ldf's check (window-before-log.ts lsnRangeBeforeLdfClause) ran only for an .ldf alone
 * and the backups' only without an .ldf, so the rows from the first backup on printed as the whole
 * range, exit 0 under --strict (H's left-out). Now INCOMPLETE naming both starts
 * (lsnRangeBeforeLdfAndBackupsClause).
 *
 * SYNTHETIC throughout: an .ldf and a chain of log backups of one log (test/support/synthetic-log.ts,
 * synthetic-trn.ts; 1 MB VLFs, backups of 300 KB); the .ldf's first two VLFs are made unused here
 * (sequence 0, blocks zeroed: reused, as a log backup lets SQL Server do), and the first backups are
 * left out, so the chain given starts inside VLF 2 and the .ldf at VLF 3.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { ldfSink, writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticLsn, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

const cli = captureCli();
let dir: string;
let ldf: string;
let ddl: string;
/** The backups given: from the first one starting in the .ldf's reused VLFs. */
let given: SyntheticTrnBackup[];
let ldfOldest: number;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const lsnText = (l: SyntheticLsn) => `${hex8(l.vlf)}:${hex8(l.block)}:${l.slot.toString(16).padStart(4, '0')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-lsn-ldf-backups-'));
  const sub = join(dir, 'chain');
  mkdirSync(sub);
  const full = join(sub, 'crm_full_log.ldf');
  const chain = trnChainSink({ dir: sub, backupBytes: 300 * 1024 });
  writeSyntheticLog([ldfSink(full), chain.sink], { targetBytes: 4 * 1024 * 1024, row: contactRow, rollbackShare: 0.2, concurrency: 5 }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
  const layout = await readLdfLayout(full);
  const used = layout.vlfs.filter((v) => v.seq > 0).sort((a, b) => a.seq - b.seq);
  // the .ldf's two oldest VLFs reused (unused now): its log starts at the third
  const bytes = readFileSync(full);
  for (const v of used.slice(0, 2)) {
    bytes.writeUInt32LE(0, v.offset + 4);
    bytes.fill(0, v.offset + 0x2000, v.offset + v.size);
  }
  ldf = join(dir, 'crm_log.ldf');
  writeFileSync(ldf, bytes);
  ldfOldest = used[2]!.seq;
  // the backups from the first one starting in the second VLF on (the first ones left out)
  const k = chain.backups.findIndex((b) => b.firstLsn.vlf === used[1]!.seq && b.firstLsn.block > 0x10);
  expect(k).toBeGreaterThan(0);
  given = chain.backups.slice(k);
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const incomplete = (stderr: string, cmd: string) => stderr.split('\n').filter((l) => l.startsWith(`rowback ${cmd}: INCOMPLETE:`));

describe('an LSN range below both an .ldf and the log backups given with it (SYNTHETIC)', () => {
  it('log: --from-lsn below the first backup given and the .ldf\'s oldest VLF is INCOMPLETE naming both; at the first backup\'s FirstLSN nothing is said', async () => {
    const first = given[0]!.firstLsn;
    const below = `${hex8(first.vlf)}:${hex8(first.block - 1)}:0001`;
    const r = await cli('log', ldf, ...given.map((b) => b.file), '--from-lsn', below, '--to-lsn', lsnText({ vlf: ldfOldest, block: 0x20, slot: 1 }), '--format', 'ndjson', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr, 'log')).toEqual([
      `rowback log: INCOMPLETE: the LSN range starts at ${below} (--from-lsn), before the log given: the first log backup given, ${given[0]!.file}, holds the log from LSN ${lsnText(first)} (its FirstLSN; from the start of that log block) on, and ${ldf} from its oldest VLF, sequence 0x${ldfOldest.toString(16)} (LSN ${hex8(ldfOldest)}:00000000:0000) on; the log before both is in earlier log backups, in no file given: rows of that stretch are not in this result; list the log backups taken before it as well`,
    ]);
    const at = await cli('log', ldf, ...given.map((b) => b.file), '--from-lsn', lsnText({ ...first, slot: 1 }), '--to-lsn', lsnText({ vlf: ldfOldest, block: 0x20, slot: 1 }), '--format', 'ndjson', '--strict');
    expect(incomplete(at.stderr, 'log'), at.stderr).toEqual([]);
  }, 120_000);

  it('scan --ldf --trn: the same range is INCOMPLETE (exit 3 under --strict); from the first backup on nothing is said', async () => {
    const first = given[0]!.firstLsn;
    const below = `${hex8(first.vlf)}:${hex8(first.block - 1)}:0001`;
    const trn = given.flatMap((b) => ['--trn', b.file]);
    const r = await cli('scan', '--ldf', ldf, ...trn, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', '--from-lsn', below);
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr, 'scan')).toEqual([
      expect.stringMatching(new RegExp(`^rowback scan: INCOMPLETE: the LSN range starts at ${below} \\(--from-lsn\\), before the log given: the first log backup given, .*, holds the log from LSN ${lsnText(first)} .* and .*crm_log\\.ldf from its oldest VLF, sequence 0x${ldfOldest.toString(16)} .*add the log backups taken before it with --trn$`)),
    ]);
    const at = await cli('scan', '--ldf', ldf, ...trn, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', '--from-lsn', lsnText({ ...first, slot: 1 }));
    expect(incomplete(at.stderr, 'scan'), at.stderr).toEqual([]);
  }, 120_000);
});
