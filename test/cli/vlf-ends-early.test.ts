import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { CONTACT_AU, CONTACT_DDL, contactLayout, copyWith, writeFilledVlfLdf } from '../support/synthetic-contact.js';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { recoverRows } from '../../src/recover/recover-rows.js';
import { openFileSource } from '../../src/recover/sources/files.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { trnChainSink, type SyntheticTrnChain } from '../support/synthetic-trn.js';

/**
 * An .ldf VLF's last log block zeroed, as large as the block before it, read as the VLF's unused
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
const scan = (ldf: string, ...argv: string[]) => run('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', ...argv);

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

// the WARNING's sentence: file, VLF, offset where the tail starts, its size, the LSN range, the way on
/** The WARNING's sentence; `trn` is how it names the log backups' option (`--trn`; a job's field: `trn`, job-wording.ts). */
const warned = (file: string, trn = '--trn') =>
  new RegExp(`WARNING: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: VLF 0x29's log ends at offset ${last.at}, 61440 bytes before the VLF does [^\\n]*every VLF with a next one in the \\.ldf and \\.trn files seen is filled to its end, so its last log block\\(s\\) may be lost[^\\n]*LSNs from 00000029:00000178:0001 up to 0000002a:00000010:0001 may be missing, and rows in them would be missing from this result; give log backups covering that range \\(${trn}\\)`);

describe('an .ldf VLF whose log ends before the VLF does while the next VLF holds log (SYNTHETIC)', () => {
  it('scan: WARNING on stderr and in --report warnings, rows missing not said whole without it; exit 0, and 3 under --strict', () => {
    const report = join(dir, 'z.json');
    const r = scan(zeroed, '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(warned(zeroed));
    const all = scan(intact).stdout.trim().split('\n').length;
    expect(r.stdout.trim().split('\n').length).toBeLessThan(all);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; complete: boolean };
    expect(rep.warnings?.some((w) => warned(zeroed).test(`WARNING: ${w}`))).toBe(true);
    // (--op update: no row of the generator's carries warnings of its own, so exit 3 is the WARNING's)
    const q = scan(zeroed, '--quiet', '--strict', '--op', 'update');
    expect(q.code).toBe(3);
    expect(q.stderr).toMatch(warned(zeroed));
    // said once, though the scan reads the log more than once
    expect(q.stderr.split(`VLF 0x29's log ends at offset ${last.at}`).length).toBe(2);
  }, 120_000);

  it('log: WARNING, exit 3 under --strict, not counted as a skipped item', () => {
    const r = run('log', zeroed, '--format', 'ndjson', '--strict');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(warned(zeroed));
    expect(r.stderr).not.toMatch(/INCOMPLETE|item\(s\) skipped/);
  }, 120_000);

  it('inspect: a WARNING line and exit 3, not INCOMPLETE, `complete` true in json; the intact .ldf none, exit 0', () => {
    const r = run('inspect', zeroed);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`rowback inspect: ${warned(zeroed).source}`));
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(r.stdout).toMatch(/^WARNING: LOG_VLF_ENDS_EARLY: VLF 0x29's log ends at offset/m);
    const j = run('inspect', zeroed, '--format', 'json');
    expect((JSON.parse(j.stdout) as { complete: boolean }).complete).toBe(true);
    const i = run('inspect', intact);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout + i.stderr).not.toMatch(/WARNING|LOG_VLF_ENDS_EARLY/);
  }, 120_000);

  it('the same .ldf intact: no warning in scan or log, exit 0 under --strict', () => {
    // (--op update: the generator's deletes and inserts carry rows with warnings of their own, exit 3
    // under --strict whatever the log; it writes no update, so the exit code is the log read's)
    const s = scan(intact, '--quiet', '--strict', '--op', 'update');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).not.toMatch(/WARNING|ends at offset/);
    const report = join(dir, 'i.json');
    const d = scan(intact, '--quiet', '--report', report);
    expect(d.stderr).not.toMatch(/WARNING: [^\n]*ends at offset/);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[] }).warnings).toBeUndefined();
    const l = run('log', intact, '--format', 'ndjson', '--strict', '--quiet');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).not.toMatch(/WARNING|ends at offset/);
  }, 120_000);

  it('scan --ldf --trn: beside a log backup holding the whole range a note, no WARNING, every row; beside backups that end before it still the WARNING', () => {
    const lsnsOf = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { lsn: string }).lsn).sort();
    const all = lsnsOf(scan(intact, '--quiet').stdout);
    expect(one.backups).toHaveLength(1);
    const report = join(dir, 'one.json');
    const r = scan(zeroed, '--trn', one.backups[0]!.file, '--quiet', '--strict', '--op', 'update', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/WARNING: [^\n]*ends at offset/);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; notes: string[] };
    expect(rep.warnings).toBeUndefined();
    expect(rep.notes.some((n) => n.includes(`VLF 0x29's log ends at offset ${last.at}`) && n.includes(`the log backup ${one.backups[0]!.file} given holds that whole range`))).toBe(true);
    // every row the intact .ldf gives (the lost block's log read from the backup)
    expect(lsnsOf(scan(zeroed, '--trn', one.backups[0]!.file, '--quiet').stdout)).toEqual(all);
    // the chain's backups that end before VLF 0x29's lost block: the range is in none of them
    const before = chain.backups.filter((b) => b.lastLsn.vlf < 41 || (b.lastLsn.vlf === 41 && b.lastLsn.block <= 0x178)).map((b) => b.file);
    expect(before.length).toBeGreaterThan(0);
    const c = scan(zeroed, '--trn', ...before, '--quiet', '--strict', '--op', 'update');
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(warned(zeroed));
  }, 120_000);

  it('the file source on one thread and two (the .ldf split into VLF ranges, each read by a worker): logWarnings holds the sentence once, skipped holds nothing of it', async () => {
    for (const threads of [1, 2]) {
      const files = openFileSource({ ldf: zeroed, threads, parallelMinBytes: 0, ldfVlfRanges: true });
      const source = withMetadata(files, [contactLayout]);
      for await (const ev of recoverRows(source, { operations: ['delete'] })) void ev;
      await source.close();
      expect(files.logWarnings, `threads ${threads}`).toHaveLength(1);
      expect(`WARNING: ${files.logWarnings[0]}`).toMatch(warned(zeroed));
      expect(files.skipped().filter((x) => x.code === 'LOG_VLF_ENDS_EARLY')).toEqual([]);
    }
  }, 120_000);

  it("a files job: the WARNING is in the job's warnings; the intact .ldf's job has none", async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const bad = w.submit({ kind: 'files', ldf: zeroed, metadata: { ddl: CONTACT_DDL, allocUnit: CONTACT_AU } }, 'op');
      const good = w.submit({ kind: 'files', ldf: intact, metadata: { ddl: CONTACT_DDL, allocUnit: CONTACT_AU } }, 'op');
      await w.idle();
      const b = store.requireJob(bad.id);
      expect(b.error).toBeNull();
      expect(b.warnings?.some((x) => warned(zeroed, 'trn').test(x))).toBe(true);
      const g = store.requireJob(good.id);
      expect(g.error).toBeNull();
      expect(g.warnings).toEqual([]);
    } finally {
      store.close();
    }
  }, 120_000);
});

/**
 * The corpus's real .ldf files (SQL Server 2008–2016; the SQL 2000-format NORTHWND.LDF is refused
 * and left out): each VLF with a next one holds log to its end (21 VLFs of 6 files), so neither
 * `log` nor `scan` gives the WARNING for any of them, and `log --strict` exits as before.
 */
const CORPUS_LDF: Array<{ ldf: string[]; mdf: string[] }> = [
  { ldf: ['AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'], mdf: ['AngularJs_CRUD', 'App_Data', 'Database1.mdf'] },
  { ldf: ['CRUD-.NET', 'App_Data', 'Database_log.ldf'], mdf: ['CRUD-.NET', 'App_Data', 'Database.mdf'] },
  { ldf: ['CRUD-.NET', 'App_Data', 'Database2_log.ldf'], mdf: ['CRUD-.NET', 'App_Data', 'Database2.mdf'] },
  { ldf: ['SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf'], mdf: ['SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'] },
  { ldf: ['Tractis_aspnet_demo', 'App_Data', 'aspnetdb_log.ldf'], mdf: ['Tractis_aspnet_demo', 'App_Data', 'aspnetdb.mdf'] },
  { ldf: ['sql-practice-asp', 'App_Data', 'School_Log.ldf'], mdf: ['sql-practice-asp', 'App_Data', 'School.mdf'] },
];

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

describeCorpus('the corpus .ldf files: no VLF ends early', () => {
  it('log, scan and inspect of every readable corpus .ldf give no LOG_VLF_ENDS_EARLY warning', () => {
    for (const c of CORPUS_LDF) {
      const ldf = corpusPath(...c.ldf);
      const mdf = corpusPath(...c.mdf);
      const l = run('log', ldf, '--mdf', mdf, '--format', 'ndjson', '--quiet', '--report', join(dir, 'corpus-log.json'));
      expect(l.code, `${ldf}: ${l.stderr}`).toBe(0);
      expect(l.stderr, ldf).not.toMatch(/ends at offset|LOG_VLF_ENDS_EARLY/);
      expect(readFileSync(join(dir, 'corpus-log.json'), 'utf8'), ldf).not.toMatch(/LOG_VLF_ENDS_EARLY|ends at offset/);
      const report = join(dir, 'corpus-scan.json');
      const s = run('scan', '--mdf', mdf, '--ldf', ldf, '--format', 'ndjson', '--quiet', '--report', report);
      expect(s.stderr, ldf).not.toMatch(/ends at offset|LOG_VLF_ENDS_EARLY/);
      const rep = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; notes: string[] };
      expect((rep.warnings ?? []).filter((w) => /ends at offset/.test(w)), ldf).toEqual([]);
      expect(rep.notes.filter((n) => /ends at offset/.test(n)), ldf).toEqual([]);
      const i = run('inspect', ldf);
      expect(i.stdout + i.stderr, ldf).not.toMatch(/LOG_VLF_ENDS_EARLY|ends at offset/);
    }
  }, 300_000);
});
