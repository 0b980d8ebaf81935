import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { damagedCopy } from '../support/damaged-copy.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `rowback log A.trn C.trn`, two copies of one log backup damaged in different places (neither
 * whole): it printed A's records, then the ones A lost from C after them (out of LSN order), and
 * said INCOMPLETE with every record printed. The copies are now read together, merged by LSN: each
 * record once, in LSN order; a range one copy lost is a note when the other read it through, and
 * INCOMPLETE stays only for a range lost in both (or one neither copy can be shown to have read
 * whole, as at a VLF boundary: the records still in LSN order).
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL .trn files (never written to the repo):
 * sql2008-backups/StopAt/StopAt_2.trn with the log block at 9216 zeroed (A: LSNs 13:ba:1 up to
 * 13:bb:1 lost), at 10240 (C: 13:bc:1 up to 13:bd:1), at both (D); sql2008-backups/db1's
 * SQL2008_db1_LOG_20170518_041831.trn (VLFs 0x142 and 0x143) with bytes of the last block of VLF
 * 0x142 overwritten (VA) and the first block of VLF 0x143 zeroed (VC).
 */
const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const DB1 = corpusPath('appveyor-lab', 'sql2008-backups', 'db1', 'LOG', 'SQL2008_db1_LOG_20170518_041831.trn');
let dir: string;
const at = (f: string) => join(dir, f);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-copies-merged-'));
  const damage = (src: string, out: string, f: (b: Buffer) => void) => damagedCopy(src, at(out), f);
  copyFileSync(S('StopAt_2.trn'), at('StopAt_2.trn'));
  damage(S('StopAt_2.trn'), 'A.trn', (b) => b.fill(0, 9216, 9216 + 512));
  damage(S('StopAt_2.trn'), 'C.trn', (b) => b.fill(0, 10240, 10240 + 512));
  damage(S('StopAt_2.trn'), 'D.trn', (b) => { b.fill(0, 9216, 9216 + 512); b.fill(0, 10240, 10240 + 512); });
  // adjacent blocks (each copy read the other's lost block up to its own loss), the first and the
  // last log block, the last two blocks
  damage(S('StopAt_2.trn'), 'B.trn', (b) => b.fill(0, 9728, 9728 + 512));
  damage(S('StopAt_2.trn'), 'F.trn', (b) => b.fill(0, 7680, 7680 + 512));
  damage(S('StopAt_2.trn'), 'L.trn', (b) => b.fill(0, 12288, 12288 + 512));
  damage(S('StopAt_2.trn'), 'K.trn', (b) => b.fill(0, 11776, 11776 + 512));
  damage(S('StopAt_2.trn'), 'FL.trn', (b) => { b.fill(0, 7680, 7680 + 512); b.fill(0, 12288, 12288 + 512); });
  damage(DB1, 'VA.trn', (b) => b.fill(0x5a, 209920 + 100, 209920 + 300));
  damage(DB1, 'VC.trn', (b) => b.fill(0, 272896, 272896 + 512));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lsns = (ndjson: string): string[] => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { 'Current LSN': string })['Current LSN']);
const ascending = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

describeCorpus('rowback log: two copies of one log backup, each damaged elsewhere', () => {
  it('every record once, in LSN order, as from a whole copy; each copy\'s damage a note naming the copy it was printed from, not INCOMPLETE (either order)', async () => {
    const whole = await cli('log', at('StopAt_2.trn'), '--format', 'ndjson');
    expect(whole.code, whole.stderr).toBe(0);
    for (const files of [['A.trn', 'C.trn'], ['C.trn', 'A.trn']]) {
      const r = await cli('log', ...files.map(at), '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(lsns(r.stdout)).toEqual(lsns(whole.stdout));
      expect(r.stderr).not.toContain('INCOMPLETE');
      expect(r.stderr).toMatch(/note: \S*A\.trn: FORMAT_LOG_GAP[^\n]*13:000000ba:0001[^\n]*no record is lost there, \S*C\.trn \(a copy of the same log backup, damaged elsewhere\)/);
      expect(r.stderr).toMatch(/note: \S*C\.trn: FORMAT_LOG_GAP[^\n]*13:000000bc:0001[^\n]*no record is lost there, \S*A\.trn/);
      expect(r.stderr).toContain('each damaged: read together, each record once, in LSN order');
      // the note does not also say the range's rows are lost (it said 'rows in that range are lost
      // and transactions crossing it cannot be told committed: no record is lost there')
      for (const note of r.stderr.split('\n').filter((l) => l.includes('no record is lost there'))) {
        expect(note).not.toMatch(/are lost|cannot be told committed/);
        expect(note).toMatch(/could not be read in this copy \([^)]*\): no record is lost there/);
      }
      // the records both copies hold are not called repeats at a log-backup boundary
      expect(r.stderr).not.toContain('repeated at a log-backup boundary');
    }
  });

  it('copies that lost adjacent blocks, or the first and the last block: every record once, in LSN order, no INCOMPLETE (each read the other\'s lost range up to where its own loss begins)', async () => {
    // SYNTHETIC: A lost 13:ba:1 up to 13:bb:1 and B 13:bb:1 up to 13:bc:1; F the first log block
    // (13:b7), L the last (13:c0), K the one before it (13:bf). It said INCOMPLETE naming a range whose
    // records were all printed: a stretch of one copy was taken to end at its last record, not "up to"
    // where its loss begins, and a copy that lost its first block was not taken to reach its end
    const whole = lsns((await cli('log', at('StopAt_2.trn'), '--format', 'ndjson')).stdout);
    for (const files of [['A.trn', 'B.trn'], ['B.trn', 'A.trn'], ['F.trn', 'L.trn'], ['L.trn', 'F.trn'], ['K.trn', 'L.trn'], ['F.trn', 'C.trn']]) {
      const r = await cli('log', ...files.map(at), '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(lsns(r.stdout), files.join(' ')).toEqual(whole);
      expect(r.stderr, files.join(' ')).not.toContain('INCOMPLETE');
      expect(r.stderr).toContain('no record is lost there');
      for (const note of r.stderr.split('\n').filter((l) => l.includes('no record is lost there'))) expect(note, files.join(' ')).not.toMatch(/are lost|cannot be told committed/);
    }
    // lost in both (the first block of F and FL; the last of L and FL): still INCOMPLETE, that range only
    for (const [files, range] of [[['F.trn', 'FL.trn'], '00000013:000000b7:0001 up to 00000013:000000b8:0001'], [['L.trn', 'FL.trn'], '00000013:000000c0:0001 up to 00000013:000000c1:0001']] as const) {
      const r = await cli('log', ...files.map(at), '--format', 'ndjson');
      const got = lsns(r.stdout);
      expect(ascending(got)).toBe(true);
      expect(got.length).toBe(whole.length - 3);
      expect(r.stderr).toMatch(new RegExp(`INCOMPLETE: [^\\n]*LSNs ${range}`));
      // and what to do: the line named the loss and left the DBA to guess
      expect(r.stderr).toMatch(/INCOMPLETE: [^\n]*; to fill them, give another copy of [^\n]*FL\.trn \(a mirrored or copied backup of the same log\) in the same `rowback log` command/);
    }
  });

  it('given out of LSN order, the note lists every copy in the order to give them (it named one copy of the damaged pair: given so, the other\'s records were lost)', async () => {
    const r = await cli('log', at('C.trn'), at('A.trn'), S('StopAt_1.trn'), '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    const note = /list them oldest first: ([^\n]*)/.exec(r.stderr)?.[1];
    expect(note).toBe(`${S('StopAt_1.trn')} ${at('C.trn')} ${at('A.trn')}`);
    // given as the note says: every record of both backups, in LSN order, nothing INCOMPLETE
    const again = await cli('log', ...note!.split(' '), '--format', 'ndjson');
    expect(again.stderr).not.toContain('INCOMPLETE');
    expect(ascending(lsns(again.stdout))).toBe(true);
    expect(lsns(again.stdout).length).toBe(lsns(r.stdout).length);
  });

  it('a range lost in both copies stays INCOMPLETE (that range only); the records in LSN order, each once', async () => {
    const r = await cli('log', at('A.trn'), at('D.trn'), '--format', 'ndjson');
    const got = lsns(r.stdout);
    expect(ascending(got)).toBe(true);
    expect(r.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000013:000000ba:0001 up to 00000013:000000bb:0001/);
    // D's second loss is held by A: not in the INCOMPLETE line
    expect(r.stderr).not.toMatch(/INCOMPLETE: [^\n]*000000bc:0001/);
    const whole = lsns((await cli('log', at('StopAt_2.trn'), '--format', 'ndjson')).stdout);
    const lostBoth = whole.filter((l) => !got.includes(l));
    expect(lostBoth.length).toBeGreaterThan(0);
    expect(lostBoth.every((l) => l >= '00000013:000000ba:0001' && l < '00000013:000000bb:0001')).toBe(true);
  });

  it('at a VLF boundary, where neither copy shows it read every record: INCOMPLETE kept, the records in LSN order, each once', async () => {
    const whole = await cli('log', DB1, '--format', 'ndjson');
    expect(new Set(lsns(whole.stdout).map((l) => l.slice(0, 8)))).toEqual(new Set(['00000142', '00000143']));
    const r = await cli('log', at('VA.trn'), at('VC.trn'), '--format', 'ndjson');
    // it printed VA's records, then VC's of the block VA lost, out of LSN order
    expect(lsns(r.stdout)).toEqual(lsns(whole.stdout));
    expect(r.stderr).toContain('INCOMPLETE');
  });
});
