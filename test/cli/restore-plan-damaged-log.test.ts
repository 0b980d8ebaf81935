/**
 * `restore plan` read the backups' headers only, so a log backup whose log blocks are damaged went
 * into the RESTORE script without a word (exit 0): RESTORE LOG of it fails there on the server, or
 * the log it lost is missing. Now the log blocks of every log backup the plan restores from files
 * are read (block by block, no record built) and each damaged one is a WARNING naming the file, the
 * offset and the LSN range: on stderr in every format, in the text plan's header before the script,
 * in the json plan's `warnings`, and from `restore run` before anything runs.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL StopAt folder (copied to a temp dir,
 * never written to the repo): StopAt_2.trn's log block at offset 9216 (512 bytes, LSN
 * 00000013:000000ba) zeroed; the MTF structure and headers are whole.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRestorePlan, runRestoreRun } from '../../src/cli/commands/restore.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];
let damagedDir: string;
let intactDir: string;
let trn: string;
beforeAll(() => {
  damagedDir = mkdtempSync(join(tmpdir(), 'rowback-plan-damaged-log-'));
  intactDir = mkdtempSync(join(tmpdir(), 'rowback-plan-intact-log-'));
  for (const f of FILES) {
    copyFileSync(S(f), join(intactDir, f));
    const b = Buffer.from(readFileSync(S(f)));
    if (f === 'StopAt_2.trn') {
      expect(b.readUInt32LE(9216 + 16)).toBe(0xba); // the block header's first LSN: block 0xba
      b.fill(0, 9216, 9216 + 512);
    }
    writeFileSync(join(damagedDir, f), b);
  }
  trn = join(damagedDir, 'StopAt_2.trn');
});
afterAll(() => {
  rmSync(damagedDir, { recursive: true, force: true });
  rmSync(intactDir, { recursive: true, force: true });
});

const capture = () => {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += c));
  return { s, text: () => text };
};
const PLAN = { stopAt: '2020-05-12T13:34:30', as: 'Side' } as const;
const esc = (s: string) => s.replace(/[.]/g, '\\.');

describeCorpus('restore plan over a log backup whose log blocks are damaged', () => {
  it('text: a WARNING naming the file, offset and LSN range, on stderr and in the plan before the script (it was silent)', async () => {
    const out = capture();
    const err = capture();
    await runRestorePlan({ backups: [damagedDir], ...PLAN, format: 'text' }, out.s, err.s);
    const w = err.text().split('\n').filter((l) => l.startsWith('rowback restore plan: WARNING:'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(new RegExp(`^rowback restore plan: WARNING: ${esc(trn)}: its log does not read whole`));
    // a zeroed block reads as never-written sectors: the gap it leaves, where it starts and its LSNs
    expect(w[0]).toContain('FORMAT_LOG_GAP at offset 9216, LSN 00000013:000000ba:0001 to 00000013:000000bb:0001');
    const text = out.text();
    const warnAt = text.indexOf(`-- WARNING: ${trn}: its log does not read whole`);
    expect(warnAt).toBeGreaterThan(-1);
    expect(warnAt).toBeLessThan(text.indexOf('RESTORE DATABASE'));
    // the script is still given (the stop point may lie before the damage; the server tells)
    expect(text).toContain(`RESTORE LOG [Side] FROM DISK = N'${trn}'`);
  });

  it('sql and json: stderr says it; json carries it in warnings', async () => {
    const err = capture();
    const out = capture();
    await runRestorePlan({ backups: [damagedDir], ...PLAN, format: 'sql' }, out.s, err.s);
    expect(out.text()).not.toContain('WARNING');
    expect(err.text()).toMatch(new RegExp(`rowback restore plan: WARNING: ${esc(trn)}: `));
    const j = capture();
    await runRestorePlan({ backups: [damagedDir], ...PLAN, format: 'json' }, j.s, capture().s);
    const plan = JSON.parse(j.text()) as { warnings: string[] };
    expect(plan.warnings.filter((x) => x.startsWith(`WARNING: ${trn}: its log does not read whole`))).toHaveLength(1);
  });

  it('restore run: the WARNING before any statement runs', async () => {
    const executed: string[] = [];
    const err = capture();
    const ex: RestoreExecutor = {
      databaseExists: async () => false,
      execute: async (s) => {
        expect(err.text()).toMatch(/rowback restore run: WARNING: /);
        executed.push(s);
      },
      close: async () => {},
    };
    await runRestoreRun({ server: 'fake', backups: [damagedDir], ...PLAN }, new PassThrough(), err.s, { executor: () => ex });
    expect(executed.length).toBeGreaterThan(0);
    expect(err.text()).toMatch(new RegExp(`rowback restore run: WARNING: ${esc(trn)}: `));
  });

  it('no false alarm: the intact folder plans with no WARNING', async () => {
    const out = capture();
    const err = capture();
    await runRestorePlan({ backups: [intactDir], ...PLAN, format: 'text' }, out.s, err.s);
    expect(err.text()).not.toContain('WARNING');
    expect(out.text()).not.toContain('WARNING');
  });
});
