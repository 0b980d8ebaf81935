import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_DDL, copyWith, writeFilledVlfLdf } from '../support/synthetic-contact.js';
import { trnChainSink, type SyntheticTrnChain } from '../support/synthetic-trn.js';

/**
 * (The setup of test/cli/vlf-ends-early.test.ts.) An .ldf VLF's last log block zeroed, as large as the block before it, read as the VLF's unused
 * tail: the next VLF's first block names the size of the block written before it (u16 @10), and it
 * agrees with the last block read, so no FORMAT_LOG_GAP is told. A breaker's scan of such a copy lost
 * 391 of 6,104 rows and said `complete: true`, exit 0, nothing else. Every VLF with a next one in the
 * corpus's .ldf and .trn files is filled to its very end (docs/offline-log.md), so a VLF whose log
 * ends early while the next VLF holds log is now a WARNING (reader.ts LOG_VLF_ENDS_EARLY): not a
 * proven loss (not INCOMPLETE), exit 3 under --strict, in scan, log and a files job's `warnings`.
 *
 * SYNTHETIC: an .ldf written by test/support/synthetic-log.ts (VLFs of 8 KB + 4 blocks of 60 KB,
 * every block 60 KB, so each VLF is filled to its end), then the last block of VLF 41 (0x29) zeroed
 * in a copy. scan and log run as a process (bin/rowback.js: build dist first); the job in-process.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;
let intact: string;
let zeroed: string;
let ddl: string;
let last: { seq: number; at: number; size: number };
let one: SyntheticTrnChain;
let chain: SyntheticTrnChain;

const run = (...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-ends-early-'));
  intact = join(dir, 'contact_log.ldf');
  zeroed = join(dir, 'contact_log_last_block_zeroed.ldf');
  // the same log as log backups (SYNTHETIC .trn): one holding it all, and a chain of smaller ones
  mkdirSync(join(dir, 'one'));
  mkdirSync(join(dir, 'chain'));
  one = trnChainSink({ dir: join(dir, 'one'), backupBytes: 64 * 1024 * 1024 });
  chain = trnChainSink({ dir: join(dir, 'chain'), backupBytes: 200 * 1024 });
  // the last two blocks of VLF 41 as large as each other: the next VLF's first block cannot tell
  last = writeFilledVlfLdf(intact, { alsoTo: [one.sink, chain.sink] }).last41;
  copyWith(intact, zeroed, (b) => b.fill(0, last.at, last.at + last.size));
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, CONTACT_DDL);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/**
 * `rowback log zeroed.ldf one.trn`: the log backup given holds the whole LSN range of VLF 0x29's
 * unused tail, and log prints its records there (each LSN once, from the file holding it). The
 * WARNING still said "LSNs … may be missing, and rows in them would be missing from this result;
 * give log backups covering that range (--trn)", exit 3 under --strict: a false alarm naming as the
 * cure what was given. scan says a note there (files.ts); log now says the same note.
 */
describe('log: an .ldf VLF ending early beside a log backup holding that range (SYNTHETIC)', () => {
  it('log zeroed.ldf one.trn: a note naming the log backup, no WARNING, the range\'s records printed; exit 0 under --strict', () => {
    const r = run('log', zeroed, one.backups[0]!.file, '--format', 'ndjson', '--strict');
    expect(r.stderr).not.toMatch(/WARNING: [^\n]*ends at offset/);
    expect(r.stderr).toMatch(/note: [^\n]*VLF 0x29's log ends at offset \d+[^\n]*the log backup [^\n]*SYNTHETIC_log_1\.trn given holds that whole range/);
    expect(r.code, r.stderr).toBe(0);
    const lsns = r.stdout.trim().split('\n').map((l) => String((JSON.parse(l) as Record<string, unknown>)['Current LSN']));
    expect(lsns.some((l) => l.startsWith('00000029:00000178:'))).toBe(true);
    // beside log backups ending before that range: still the WARNING, exit 3 under --strict
    const before = chain.backups.filter((b) => b.lastLsn.vlf < 41 || (b.lastLsn.vlf === 41 && b.lastLsn.block <= 0x178)).map((b) => b.file);
    const c = run('log', zeroed, ...before, '--format', 'ndjson', '--strict', '--quiet');
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/WARNING: [^\n]*VLF 0x29's log ends at offset/);
  }, 120_000);
});
