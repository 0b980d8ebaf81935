import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { damagedCopy } from '../support/damaged-copy.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Log lost at the end of a VLF read as the VLF's unused tail: the last log block of VLF 0x142 of a
 * .trn zeroed printed "1253 of 1253 record(s) printed", exit 0, nothing said (the intact file holds
 * 1256: the three at 00000142:000001ef:* vanished), and beside another damaged copy `log` took that
 * copy for a whole one and printed a record out of LSN order. The first block of VLF N + 1 names the
 * size of the block written before it (header u16 @10, reader.ts previousBlockSize): not the size of
 * the last block read of VLF N, N's log went on after it (FORMAT_LOG_GAP N:end .. (N+1):0x10).
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL files (never written to the repo):
 * - db1's SQL2008_db1_LOG_20170518_041831.trn (VLFs 0x142 and 0x143): the last block of VLF 0x142
 *   (offset 209920, 512 bytes, LSN 142:1ef, records 142:1ef:1..3) zeroed (Z), torn (bytes changed: T),
 *   with the block before it (208384, 1536 bytes) zeroed too (Z2); the block at 206848 (142:1e9,
 *   1536 bytes, mid-VLF) zeroed (M: a copy damaged elsewhere);
 * - sql-practice-asp's School_Log.ldf: the last block of VLF sequence 0x28 (offset 501760, 38912
 *   bytes, LSN 28:1d4; the block before it is 41472 bytes) zeroed (L); that block and the first
 *   block of VLF 0x29 (offset 548864, 51200 bytes, LSN 29:10) zeroed (LF); only that first block
 *   zeroed (F); all of VLF 0x29 from its first block zeroed (W); VLF 0x28's last block torn (bytes
 *   changed, its checksum fails) and VLF 0x29's first block zeroed (TF).
 */
const cli = captureCli();
const DB1 = corpusPath('appveyor-lab', 'sql2008-backups', 'db1', 'LOG', 'SQL2008_db1_LOG_20170518_041831.trn');
const SCHOOL = corpusPath('sql-practice-asp', 'App_Data');
let dir: string;
const at = (f: string) => join(dir, f);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-end-lost-'));
  const damage = (src: string, out: string, f: (b: Buffer) => void) => damagedCopy(src, at(out), f);
  damage(DB1, 'Z.trn', (b) => b.fill(0, 209920, 209920 + 512));
  damage(DB1, 'T.trn', (b) => b.fill(0x5a, 209920 + 100, 209920 + 300));
  damage(DB1, 'Z2.trn', (b) => b.fill(0, 208384, 209920 + 512));
  damage(DB1, 'M.trn', (b) => b.fill(0, 206848, 206848 + 1536));
  damage(DB1, 'F.trn', (b) => b.fill(0, 272896, 272896 + 512));
  damage(join(SCHOOL, 'School_Log.ldf'), 'School_Log.ldf', (b) => b.fill(0, 501760, 501760 + 38912));
  damage(join(SCHOOL, 'School_Log.ldf'), 'LF.ldf', (b) => {
    b.fill(0, 501760, 501760 + 38912);
    b.fill(0, 548864, 548864 + 51200);
  });
  damage(join(SCHOOL, 'School_Log.ldf'), 'TF.ldf', (b) => {
    b.fill(0x5a, 501760 + 100, 501760 + 300);
    b.fill(0, 548864, 548864 + 51200);
  });
  damage(join(SCHOOL, 'School_Log.ldf'), 'F.ldf', (b) => b.fill(0, 548864, 548864 + 51200));
  damage(join(SCHOOL, 'School_Log.ldf'), 'W.ldf', (b) => b.fill(0, 548864, 0x84000 + 311296));
  copyFileSync(join(SCHOOL, 'School.mdf'), at('School.mdf'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lsns = (ndjson: string): string[] => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { 'Current LSN': string })['Current LSN']);
const ascending = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);
const LOST_142 = /LSNs 00000142:000001ef:0001 up to 00000143:00000010:0001/;

describeCorpus('log lost at the end of a VLF is not read as its unused tail', () => {
  it('the intact .trn is silent; its last block of VLF 0x142 zeroed, torn, or with the block before it: INCOMPLETE naming the LSNs from 142:1ef:1 up to 143:10:1, file and offset', async () => {
    const whole = await cli('log', DB1, '--format', 'ndjson');
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).not.toMatch(/INCOMPLETE|FORMAT_LOG_GAP|skipped/);
    const all = lsns(whole.stdout);
    expect(all).toHaveLength(1256);
    for (const f of ['Z.trn', 'T.trn']) {
      const r = await cli('log', at(f), '--format', 'ndjson');
      expect(r.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${LOST_142.source}[^\\n]*${f.replace('.', '\\.')}`));
      expect(r.stderr).toMatch(/FORMAT_LOG_GAP: log blocks are missing at the end of VLF 0x142[^\n]*after offset 209920/);
      expect(lsns(r.stdout)).toEqual(all.filter((l) => !l.startsWith('00000142:000001ef:')));
    }
    const two = await cli('log', at('Z2.trn'), '--format', 'ndjson');
    expect(two.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000142:000001ec:0001 up to 00000143:00000010:0001/);
    expect(lsns(two.stdout)).toEqual(all.filter((l) => !l.startsWith('00000142:000001ef:') && !l.startsWith('00000142:000001ec:')));
  });

  it('inspect says INCOMPLETE for the zeroed copy and nothing for the intact one', async () => {
    const whole = await cli('inspect', DB1);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout + whole.stderr).not.toMatch(/INCOMPLETE|FORMAT_LOG_GAP/);
    const r = await cli('inspect', at('Z.trn'));
    expect(r.stdout).toContain('log records              1253');
    expect(r.stdout + r.stderr).toMatch(/FORMAT_LOG_GAP: log blocks are missing at the end of VLF 0x142/);
    expect(r.stderr).toContain('INCOMPLETE');
    // the skipped line names its LSN as such, as the INCOMPLETE line does (it printed a bare
    // '…, offset 209920, 00000142:000001ef:0001)')
    expect(r.stdout).toMatch(/^skipped: FORMAT_LOG_GAP: [^\n]*\(\S*Z\.trn, offset 209920, LSN 00000142:000001ef:0001\)$/m);
  });

  it('beside a copy damaged elsewhere (M), the zeroed copy is read as damaged too: every record once, in LSN order (either order)', async () => {
    const all = lsns((await cli('log', DB1, '--format', 'ndjson')).stdout);
    for (const files of [['Z.trn', 'M.trn'], ['M.trn', 'Z.trn']]) {
      const r = await cli('log', ...files.map(at), '--format', 'ndjson');
      const got = lsns(r.stdout);
      expect(ascending(got)).toBe(true);
      expect(got).toEqual(all);
      expect(r.stderr).toContain('each damaged: read together, each record once, in LSN order');
      expect(r.stderr).toMatch(/note: \S*Z\.trn: FORMAT_LOG_GAP: log blocks are missing at the end of VLF 0x142/);
      expect(r.stderr).not.toContain('INCOMPLETE');
    }
  });

  it('beside the intact copy: the zeroed copy\'s note names the backup\'s LSNs as fn_dblog prints them and does not call the range lost', async () => {
    // it said '(LSN 322000000010200038 to 323000000014800001)' and 'rows in that range are lost …: no record is lost'
    const r = await cli('log', DB1, at('Z.trn'), '--format', 'ndjson');
    expect(r.stderr).not.toContain('INCOMPLETE');
    const note = r.stderr.split('\n').find((l) => l.includes('holds the same log backup whole'));
    expect(note).toContain('holds the same log backup whole (LSN 00000142:00000066:0026 to 00000143:00000094:0001)');
    expect(note).not.toMatch(/are lost|cannot be told committed/);
  });

  it('the first sector of VLF 0x143 zeroed: the gap names VLF 0x142 in hex, as its LSNs print it (it said "from VLF 322 to 00000143:…")', async () => {
    const r = await cli('log', at('F.trn'), '--format', 'ndjson');
    expect(r.stderr).toContain('FORMAT_LOG_GAP: log blocks are missing: the stream goes from VLF 0x142 to 00000143:00000013:0001');
    expect(r.stderr).toContain('and any of VLF 0x142 after 00000142:000001f0:0001');
    expect(r.stderr).not.toMatch(/VLF 322/);
  });

  // 38-39 s in every run, while the next test runs the same commands in 0.6 s and the compiled CLI
  // scans this pair in 0.5 s: a first-time cost of the in-process harness (likely the file's first
  // worker threads, `--threads 2`, started from the .ts source; not measured apart). Under CI's load it
  // passed the default 60 s once (3,851 passed, this one timed out): the limit is the harness's
  it('.ldf: the last block of VLF 0x28 zeroed is FORMAT_LOG_GAP to the next VLF in log, inspect and scan (one thread and two); the intact .ldf is silent', async () => {
    const range = /LSNs 00000028:000001d4:0001 up to 00000029:00000010:0001/;
    const whole = await cli('log', join(SCHOOL, 'School_Log.ldf'), '--format', 'ndjson');
    expect(whole.stderr).not.toMatch(/INCOMPLETE|FORMAT_LOG_GAP/);
    const r = await cli('log', at('School_Log.ldf'), '--format', 'ndjson');
    expect(r.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${range.source}`));
    expect(r.stderr).toMatch(/the first block of VLF 0x29 \(LSN 00000029:00000010:0001, offset 548864\) says the block written before it was 38912 bytes, but the last block read of VLF 0x28 \(offset 460288\) is 41472 bytes/);
    const read = new Set(lsns(r.stdout));
    const lost = lsns(whole.stdout).filter((l) => !read.has(l));
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((l) => l >= '00000028:000001d4:0001' && l < '00000029:00000010:0001')).toBe(true);
    const ins = await cli('inspect', at('School_Log.ldf'));
    expect(ins.stdout + ins.stderr).toMatch(/FORMAT_LOG_GAP: log blocks are missing at the end of VLF 0x28/);
    for (const threads of ['1', '2']) {
      const s = await cli('scan', '--mdf', at('School.mdf'), '--ldf', at('School_Log.ldf'), '--threads', threads, '--format', 'json');
      expect(s.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${range.source}`));
    }
  }, 60_000);

  it('.ldf: the first block of VLF 0x29 lost (it names the size of VLF 0x28\'s last block): the range starts where VLF 0x28\'s log read ends, as a backup stream\'s does, so log lost at the end of VLF 0x28 too is inside it (log, inspect, scan on one thread and two)', async () => {
    // LF: VLF 0x28's last block (28:1d4) and VLF 0x29's first block lost; it said 29:10 up to 29:74 only
    const lf = /LSNs 00000028:000001d4:0001 up to 00000029:00000074:0001/;
    const r = await cli('log', at('LF.ldf'), '--format', 'ndjson');
    expect(r.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${lf.source}`));
    expect(r.stderr).toMatch(/LSNs from 00000029:00000010:0001 up to 00000029:00000074:0001 could not be read \(51200 bytes[^\n]*, and any of VLF 0x28 after 00000028:000001d4:0001/);
    const whole = lsns((await cli('log', join(SCHOOL, 'School_Log.ldf'), '--format', 'ndjson')).stdout);
    const got = new Set(lsns(r.stdout));
    const lost = whole.filter((l) => !got.has(l));
    expect(lost.some((l) => l.startsWith('00000028:000001d4:'))).toBe(true);
    expect(lost.every((l) => l >= '00000028:000001d4:0001' && l < '00000029:00000074:0001')).toBe(true);
    const ins = await cli('inspect', at('LF.ldf'));
    expect(ins.stdout + ins.stderr).toMatch(/and any of VLF 0x28 after 00000028:000001d4:0001/);
    for (const threads of ['1', '2']) {
      const s = await cli('scan', '--mdf', at('School.mdf'), '--ldf', at('LF.ldf'), '--threads', threads, '--format', 'json');
      expect(s.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${lf.source}`));
    }
    // F: only the first block of VLF 0x29 lost: VLF 0x28 read whole (up to 28:220), the range starts there
    const f = await cli('log', at('F.ldf'), '--format', 'ndjson');
    expect(f.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000028:00000220:0001 up to 00000029:00000074:0001/);
    expect(lsns(f.stdout).filter((l) => l < '00000029:00000010:0001')).toEqual(whole.filter((l) => l < '00000029:00000010:0001'));
    // TF: a torn last block of VLF 0x28 is not log read: the range starts at it (it said 28:220, past it)
    const tf = await cli('log', at('TF.ldf'), '--format', 'ndjson');
    expect(tf.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*${lf.source}`));
    // W: VLF 0x29 holds no block of its own
    const w = await cli('log', at('W.ldf'), '--format', 'ndjson');
    expect(w.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000028:00000220:0001 up to 0000002a:00000010:0001/);
  });
});
