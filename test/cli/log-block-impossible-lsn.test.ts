import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BLOCK_CHECKSUM_OFFSET } from '../../src/logreader/ldf/constants.js';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { blockHeaderProblem, logBlockChecksum, parseBlockHeader } from '../../src/logreader/ldf/structures.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A log block whose header passed its checks but whose first LSN cannot be where the block lies was
 * read as log (reader.ts impossibleBlock). A breaker XOR-ed 40 bytes (0x5a) at offset 12300 of
 * StopAt_2.trn: the changes cancel out in the block's XOR checksum, the header's first LSN became
 * 5a5a5a49:5a5a5a9a:5a5b, and an insert and a commit at that LSN were printed as real records (the
 * backup's log runs from 13:b7:1 to 13:c1:1). In an .ldf, a block naming a later VLF sequence than its
 * VLF's was read as stale log (an earlier use: a VLF never holds a later one), and a current block
 * naming another block number than where it lies was printed under that LSN.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL files (never written to the repo):
 * X.trn (the breaker's XOR); in Database1_log.ldf (AngularJs_CRUD) the second block of its first used
 * VLF given its VLF sequence + 1 (S.ldf) or its block number + 8 (B.ldf), its checksum written again.
 */
const cli = captureCli();
const STOPAT2 = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
let dir: string;
let block: { offset: number; size: number; seq: number; no: number };
const at = (f: string) => join(dir, f);
const lsns = (ndjson: string): string[] => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { 'Current LSN': string })['Current LSN']);
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-impossible-lsn-'));
  const x = Buffer.from(readFileSync(STOPAT2));
  for (let i = 12300; i < 12340; i++) x[i]! ^= 0x5a;
  writeFileSync(at('X.trn'), x);
  // the second block of the first used VLF: a current block in the middle of a VLF
  const v = (await readLdfLayout(LDF)).vlfs.filter((f) => f.seq > 0).sort((a, b) => a.seq - b.seq)[0]!;
  const b = readFileSync(LDF);
  const first = v.offset + 0x2000;
  const offset = first + parseBlockHeader(b, first).size;
  expect(blockHeaderProblem(b, offset)).toBeNull();
  const h = parseBlockHeader(b, offset);
  expect(h.firstLsn.vlf).toBe(v.seq);
  block = { offset, size: h.size, seq: v.seq, no: h.firstLsn.block };
  const edit = (name: string, f: (c: Buffer) => void) => {
    const c = Buffer.from(b);
    f(c);
    c.writeUInt32LE(logBlockChecksum(c, offset, h.size), offset + BLOCK_CHECKSUM_OFFSET);
    writeFileSync(at(name), c);
  };
  // the whole block 13:bb (9728, 512 bytes, checksum whole) copied over block 13:ba (9216) of StopAt_2.trn
  const d = Buffer.from(readFileSync(STOPAT2));
  d.copy(d, 9216, 9728, 10240);
  writeFileSync(at('D.trn'), d);
  edit('S.ldf', (c) => c.writeUInt32LE(v.seq + 1, offset + 12));
  edit('B.ldf', (c) => c.writeUInt32LE(h.firstLsn.block + 8, offset + 16));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a log block whose first LSN cannot be where it lies is not read as log', () => {
  it('StopAt_2.trn with 40 bytes XOR-ed (checksum still passing): no record of the invented LSN, the block skipped, the lost block\'s LSNs INCOMPLETE', async () => {
    const whole = lsns((await cli('log', STOPAT2, '--format', 'ndjson')).stdout);
    expect(whole).toHaveLength(30);
    const r = await cli('log', at('X.trn'), '--format', 'ndjson');
    expect(r.stdout).not.toMatch(/5a5a5a/i);
    expect(r.stderr).toMatch(/FORMAT_BAD_LOG_BLOCK: 512 bytes skipped: a log block whose first LSN 5a5a5a49:5a5a5a9a:5a5b names VLF sequence 0x5a5a5a49, past the backup's log \(its header's LastLSN is 00000013:000000c1:0001\)[^\n]*offset 12288/);
    expect(r.stderr).toMatch(/INCOMPLETE: [^\n]*LSNs 00000013:000000c0:0001 up to 00000013:000000c1:0001[^\n]*; to fill them, give another copy of \S*X\.trn /);
    expect(lsns(r.stdout)).toEqual(whole.filter((l) => !l.startsWith('00000013:000000c0:')));
  });

  it('StopAt_2.trn with block 13:bb copied over block 13:ba (both checksums whole): each LSN printed once, 13:ba said lost with no "0 bytes" missing, the repeated block skipped as out of place', async () => {
    const whole = lsns((await cli('log', STOPAT2, '--format', 'ndjson')).stdout);
    const r = await cli('log', at('D.trn'), '--format', 'ndjson');
    // before: 13:bb's three records printed twice (scan printed its insert, step 14, twice: re-inserted twice)
    expect(lsns(r.stdout)).toEqual(whole.filter((l) => !l.startsWith('00000013:000000ba:')));
    expect(r.stderr).toContain('FORMAT_LOG_GAP: log blocks are missing: LSNs from 00000013:000000ba:0001 up to 00000013:000000bb:0001 could not be read (no bytes are missing there: the block at offset 9216 names a later LSN than the log before it reaches');
    expect(r.stderr).not.toContain('(0 bytes zeroed');
    expect(r.stderr).toMatch(/FORMAT_BAD_LOG_BLOCK: 512 bytes skipped: a log block whose first LSN 00000013:000000bb:0001 lies before where the log block read before it ends \(00000013:000000bc:0001\)[^\n]*offset 9728/);
    expect(r.stderr).toContain('INCOMPLETE');
  });

  it('Database1_log.ldf: a current block naming the next VLF sequence is skipped as damaged (it was read as stale log), one naming another block number too; the intact log silent', async () => {
    const whole = await cli('log', LDF, '--format', 'ndjson');
    expect(whole.stderr).not.toMatch(/INCOMPLETE|FORMAT_BAD_LOG_BLOCK/);
    const here = `${hex8(block.seq)}:${hex8(block.no)}:`;
    const inBlock = lsns(whole.stdout).filter((l) => l.startsWith(here));
    expect(inBlock.length).toBeGreaterThan(0);
    const s = await cli('log', at('S.ldf'), '--format', 'ndjson');
    expect(s.stderr).toMatch(new RegExp(`FORMAT_BAD_LOG_BLOCK: ${block.size} bytes skipped: a log block whose first LSN ${hex8(block.seq + 1)}:${hex8(block.no)}:0001 names VLF sequence 0x${(block.seq + 1).toString(16)}, later than that of the VLF it lies in \\(0x${block.seq.toString(16)}\\)[^\\n]*offset ${block.offset}`));
    expect(s.stderr).toContain('INCOMPLETE');
    // an .ldf is no copy of a log backup: no such advice
    expect(s.stderr).not.toContain('give another copy');
    const b = await cli('log', at('B.ldf'), '--format', 'ndjson');
    expect(b.stderr).toMatch(new RegExp(`FORMAT_BAD_LOG_BLOCK: ${block.size} bytes skipped: a log block whose first LSN ${hex8(block.seq)}:${hex8(block.no + 8)}:0001 names block 0x${(block.no + 8).toString(16)} of its VLF, where it lies at block 0x${block.no.toString(16)}`));
    // every record but the damaged block's, each once: none printed under the invented LSN
    for (const r of [s, b]) expect(lsns(r.stdout)).toEqual(lsns(whole.stdout).filter((l) => !l.startsWith(here)));
  });
});
