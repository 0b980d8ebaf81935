/**
 * The symptom of test/logreader/ldf/vlf-end-torn-then-zeroed.test.ts at the CLI: an .ldf whose VLF
 * 0x29 has its second-to-last block torn and its last block zeroed (both 60 KB), scanned beside the
 * log backups that end by 29:178 (where the zeroed block starts). The torn block's loss was named
 * 29:100..29:178 only; those backups cover it, so the merged read called the hole covered: scan
 * printed 5,713 of the 6,104 rows with complete: true, no INCOMPLETE and no WARNING (the zeroed
 * block's LSNs, 29:178..2a:10, lost unsaid). Now the loss runs to the next VLF's first LSN and the
 * scan says INCOMPLETE, complete: false.
 *
 * SYNTHETIC: an .ldf and a chain of log backups written by test/support/synthetic-log.ts and
 * synthetic-trn.ts, damaged in a copy at test time. scan runs as a process (bin/rowback.js: build
 * dist first).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTACT_AU, CONTACT_DDL, copyWith, writeFilledVlfLdf } from '../support/synthetic-contact.js';
import { trnChainSink, type SyntheticTrnChain } from '../support/synthetic-trn.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;
let intact: string;
let damaged: string;
let ddl: string;
let chain: SyntheticTrnChain;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-end-torn-trn-'));
  intact = join(dir, 'contact_log.ldf');
  damaged = join(dir, 'contact_log_torn_then_zeroed.ldf');
  mkdirSync(join(dir, 'chain'));
  chain = trnChainSink({ dir: join(dir, 'chain'), backupBytes: 61440 });
  const { beforeLast41: torn, last41: last } = writeFilledVlfLdf(intact, { alsoTo: [chain.sink] });
  copyWith(intact, damaged, (b) => {
    b[torn.at + 3 * 512 + 100] ^= 0xff;
    b.fill(0, last.at, last.at + last.size);
  });
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, CONTACT_DDL);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (ldf: string, ...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

it('scan --ldf --trn (backups ending where the zeroed block starts): INCOMPLETE up to the next VLF, complete false, not whole', () => {
  const upTo178 = chain.backups.filter((x) => x.lastLsn.vlf < 41 || (x.lastLsn.vlf === 41 && x.lastLsn.block <= 0x178)).map((x) => x.file);
  expect(upTo178.length).toBeGreaterThan(0);
  const report = join(dir, 'r.json');
  const r = scan(damaged, '--trn', ...upTo178, '--report', report);
  const all = scan(intact, '--quiet').stdout.trim().split('\n').length;
  expect(r.stdout.trim().split('\n').length).toBeLessThan(all);
  expect((JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete).toBe(false);
  expect(r.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000029:00000100:0001 up to 0000002a:00000010:0001/);
}, 120_000);
