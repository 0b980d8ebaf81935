import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Two copies of one log backup, both damaged, one far worse: A (200 bytes overwritten at 20000: its
 * log is lost from its FirstLSN 00000019:0000003e:00aa up to 00000019:00000083:0001, most of it) and
 * C (at 50000: 00000019:00000090:0001 up to 00000019:00000092:0001, two blocks). `scan --trn A C`
 * read A, the first given, and passed C over: INCOMPLETE with most rows missing while a copy that
 * lost two blocks was given. Now the copy whose log reads further (more records) is read.
 * MODIFIED copies of the corpus's RestoreTimeClean_1.trn made at test time; never written to the repo.
 */
const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-lesser-damaged-copy-'));
  for (const [name, at] of [['A_1.trn', 20000], ['C_1.trn', 50000]] as const) {
    const b = Buffer.from(readFileSync(rtc('RestoreTimeClean_1.trn')));
    b.fill(0x55, at, at + 200);
    writeFileSync(join(dir, name), b);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('two damaged copies of a log backup, one losing far more (RestoreTimeClean_1.trn)', () => {
  it('scan reads the copy that lost less, whichever is given first; INCOMPLETE names its loss and the other copy is named as not read', async () => {
    for (const order of [['A_1.trn', 'C_1.trn'], ['C_1.trn', 'A_1.trn']]) {
      const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', ...order.map((f) => join(dir, f)), '--op', 'delete,insert,update', '--quiet', '--format', 'ndjson');
      const incomplete = r.stderr.split('\n').find((l) => l.includes('INCOMPLETE')) ?? '';
      expect(incomplete, order.join(' ')).toContain('C_1.trn');
      expect(incomplete, order.join(' ')).not.toContain('A_1.trn');
      expect(r.stderr, order.join(' ')).toMatch(/note: \S*A_1\.trn: not read: the copy read instead, \S*C_1\.trn, is damaged too/);
    }
  });
});
