import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A log backup in two files, one of them with a damaged log block (a copy whose MTF structure is
 * whole, so its header and closing blocks read fine) and a whole one beside it: the chain took the
 * first by name. `restore plan` printed RESTORE LOG … FROM the damaged copy without a word (a
 * RESTORE that fails on it), dump/diff refused REPLAY_LOG_DAMAGED, and a --stop-at while it ran
 * was refused AT_BOUNDARY, each with the whole copy at hand. Now every copy's log is read and the
 * one whose log reads whole is taken. The damaged copy is made at test time from the corpus's
 * sql2008-backups/StopAt/StopAt_2.trn (its 512-byte log block at offset 9216 zeroed: LSNs
 * 13:ba:1 up to 13:bb:1 lost, one row of dbo.steps) and named to sort first; never written to the repo.
 */
const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-damaged-copy-'));
  for (const f of FILES) copyFileSync(S(f), join(dir, f));
  const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
  b.fill(0, 9216, 9216 + 512);
  writeFileSync(join(dir, 'A_StopAt_2.trn'), b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = async (...target: string[]) => {
  const r = await cli('restore', 'plan', '--backups', dir, ...target, '--as', 'S', '--format', 'json');
  return { ...r, json: r.code === 0 ? JSON.parse(r.stdout) : null };
};
const steps = (j: { steps: Array<{ devices: string[] }> }) => j.steps.map((s) => basename(s.devices[0]));
let n = 0;
const dump = async (trn: string[], ...target: string[]) => {
  const out = join(dir, `d-${++n}.ndjson`);
  const r = await cli('dump', '--bak', join(dir, 'StopAt.bak'), '--trn', ...trn.map((f) => join(dir, f)), '--table', 'dbo.steps', ...target, '--out', out);
  return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
};

describeCorpus('a log backup in two files, one with a damaged log block (sql2008-backups/StopAt)', () => {
  it('the damaged copy alone: its log says the damage (the copy this test makes is damaged)', async () => {
    const r = await cli('log', join(dir, 'A_StopAt_2.trn'));
    expect(r.stderr).toContain('LSNs 00000013:000000ba:0001 up to 00000013:000000bb:0001');
  });

  it('restore plan, --stop-at, --stop-at while it ran and --stop-before-lsn: RESTORE from the whole copy', async () => {
    const at = await plan('--stop-at', '2020-05-12T13:30:00');
    expect(at.code).toBe(0);
    expect(steps(at.json)).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn']);
    const running = await plan('--stop-at', '2020-05-12T13:30:24.500');
    expect(running.stderr).not.toContain('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(running.code).toBe(0);
    expect(steps(running.json)).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn']);
    const lsn = await plan('--stop-before-lsn', '00000013:000000bf:0001');
    expect(lsn.code).toBe(0);
    expect(steps(lsn.json)).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn']);
  });

  it('dump --trn with both copies, the damaged one first: the rows the whole copy gives', async () => {
    for (const target of [['--stop-at', '2020-05-12T13:30:00'], ['--stop-before-lsn', '00000013:000000bf:0001']]) {
      const ref = await dump(['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn'], ...target);
      const r = await dump(['StopAt_1.trn', 'A_StopAt_2.trn', 'StopAt_2.trn', 'StopAt_21.trn'], ...target);
      expect(ref.code).toBe(0);
      expect(r.stderr).not.toContain('REPLAY_LOG_DAMAGED');
      expect(r.code).toBe(0);
      expect(r.rows).toBe(ref.rows);
    }
  });

  it('scan --trn with both copies, the damaged one first: the rows of the whole copy, complete, the damaged copy named as not read', async () => {
    const scan = async (...trn: string[]) => {
      const out = join(dir, `s-${++n}.ndjson`);
      const r = await cli('scan', '--bak', join(dir, 'StopAt.bak'), '--trn', ...trn.map((f) => join(dir, f)), '--op', 'delete,insert,update', '--out', out);
      return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
    };
    const ref = await scan('StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn');
    const r = await scan('StopAt_1.trn', 'A_StopAt_2.trn', 'StopAt_2.trn', 'StopAt_21.trn');
    expect(ref.code).toBe(0);
    expect(ref.rows.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(r.stderr).toMatch(/A_StopAt_2\.trn: not read, a copy of log read from another file given \(.*00000013:000000ba:0001.*\): its damage loses nothing/);
    expect(r.rows).toBe(ref.rows);
  });
});

