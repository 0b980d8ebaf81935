import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Two copies of one log backup, each with a different damaged log block: A (block at 9216 zeroed:
 * LSNs 13:ba:1 up to 13:bb:1 lost) and B (block at 10240 zeroed: 13:bc:1 up to 13:bd:1). The scan
 * reads A, INCOMPLETE for A's range, and said of B "not read, a copy of log read from another file
 * given (…): its damage loses nothing of this result", a note not said with --quiet: the copy that
 * holds the very rows the result lacks was called harmless and never named as where they are.
 * Made at test time from the corpus's sql2008-backups/StopAt/StopAt_2.trn; never written to the repo.
 */
const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-two-damaged-copies-'));
  for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) copyFileSync(S(f), join(dir, f));
  const a = Buffer.from(readFileSync(S('StopAt_2.trn')));
  a.fill(0, 9216, 9216 + 512);
  writeFileSync(join(dir, 'A_StopAt_2.trn'), a);
  const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
  b.fill(0, 10240, 10240 + 512);
  writeFileSync(join(dir, 'B_StopAt_2.trn'), b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('two copies of a log backup, each damaged elsewhere (sql2008-backups/StopAt)', () => {
  it('the copy not read is named as holding the log the one read lost, even with --quiet; never "loses nothing"', async () => {
    const r = await cli('scan', '--bak', join(dir, 'StopAt.bak'), '--trn', ...['StopAt_1.trn', 'A_StopAt_2.trn', 'B_StopAt_2.trn', 'StopAt_21.trn'].map((f) => join(dir, f)), '--op', 'delete,insert,update', '--quiet');
    expect(r.stderr).toContain('INCOMPLETE');
    expect(r.stderr).not.toMatch(/B_StopAt_2\.trn: not read[^\n]*its damage loses nothing/);
    expect(r.stderr).toMatch(/note: \S*B_StopAt_2\.trn: not read: the copy read instead, \S*A_StopAt_2\.trn, is damaged too[^\n]*the log it lost may be whole in this one/);
  });

  it('not said of the same file given twice, nor of a copy damaged alike', async () => {
    copyFileSync(join(dir, 'A_StopAt_2.trn'), join(dir, 'A2_StopAt_2.trn'));
    for (const twin of [join(dir, '.', 'A_StopAt_2.trn'), join(dir, 'A2_StopAt_2.trn')]) {
      const r = await cli('scan', '--bak', join(dir, 'StopAt.bak'), '--trn', join(dir, 'StopAt_1.trn'), join(dir, 'A_StopAt_2.trn'), twin.replace(dir, `${dir}/.`), join(dir, 'StopAt_21.trn'), '--op', 'delete,insert,update');
      expect(r.stderr).toContain('INCOMPLETE');
      expect(r.stderr).not.toContain('may be whole in this one');
    }
  });
});
