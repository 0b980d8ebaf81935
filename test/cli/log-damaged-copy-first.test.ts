import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `rowback log` passes over a record at an LSN an earlier input printed (the same log twice, a copy,
 * an .ldf beside a backup of its log, the block two consecutive log backups share), by the LSN range
 * each input printed per VLF sequence. A damaged block inside an input's range was in that range all
 * the same: `log DAMAGED-COPY INTACT-COPY` passed over the intact copy's records of the very block the
 * damaged one lost, as "already printed", though nothing printed them (INCOMPLETE, with the file
 * holding them given). A range now ends at an item skipped while its input is read. And a damaged
 * copy is read after a whole copy of the same backup set (found by reading both before printing, as
 * scan --trn finds it), so the records come in LSN order and the damage loses nothing.
 *
 * Made at test time from the corpus's REAL sql2008-backups/StopAt/StopAt_2.trn: a copy with the log
 * block at offset 9216 zeroed (LSNs 13:ba:1 up to 13:bb:1 lost, test/cli/damaged-log-copies-both.test.ts);
 * never written to the repo.
 */
const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-damaged-first-'));
  copyFileSync(S('StopAt_2.trn'), join(dir, 'StopAt_2.trn'));
  const a = Buffer.from(readFileSync(S('StopAt_2.trn')));
  a.fill(0, 9216, 9216 + 512);
  writeFileSync(join(dir, 'A_StopAt_2.trn'), a);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lsns = (ndjson: string): string[] => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { 'Current LSN': string })['Current LSN']);

describeCorpus('rowback log: a damaged copy given before an intact one', () => {
  it('the records the damaged copy lost are printed from the intact one, not passed over as printed', async () => {
    const whole = await cli('log', join(dir, 'StopAt_2.trn'), '--format', 'ndjson');
    expect(whole.code, whole.stderr).toBe(0);
    const damaged = await cli('log', join(dir, 'A_StopAt_2.trn'), '--format', 'ndjson');
    const lost = lsns(whole.stdout).filter((l) => !new Set(lsns(damaged.stdout)).has(l));
    expect(lost.length).toBeGreaterThan(0);
    const both = await cli('log', join(dir, 'A_StopAt_2.trn'), join(dir, 'StopAt_2.trn'), '--format', 'ndjson');
    const printed = lsns(both.stdout);
    for (const l of lost) expect(printed, both.stderr).toContain(l);
    // each LSN once, every record of the log printed
    expect(new Set(printed).size).toBe(printed.length);
    expect([...printed].sort()).toEqual([...lsns(whole.stdout)].sort());
  });

  it('is read after the intact copy: the records in LSN order, as from the intact copy alone, and the damage a note, not INCOMPLETE', async () => {
    // it printed the damaged copy's records first and the lost block's after them (out of LSN
    // order), and said INCOMPLETE with every record printed
    const whole = await cli('log', join(dir, 'StopAt_2.trn'), '--format', 'ndjson');
    const both = await cli('log', join(dir, 'A_StopAt_2.trn'), join(dir, 'StopAt_2.trn'), '--format', 'ndjson');
    expect(both.code, both.stderr).toBe(0);
    expect(lsns(both.stdout)).toEqual(lsns(whole.stdout));
    expect(both.stdout).toBe(whole.stdout);
    expect(both.stderr).not.toMatch(/INCOMPLETE/);
    expect(both.stderr).toContain(`${join(dir, 'A_StopAt_2.trn')} holds the same log as ${join(dir, 'StopAt_2.trn')}`);
    expect(both.stderr).toMatch(/note: [^\n]*A_StopAt_2.trn: FORMAT_LOG_GAP[^\n]*no record is lost/);
  });
});
