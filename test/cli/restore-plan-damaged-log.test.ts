/**
 * `restore plan` / `restore run` over a log backup whose log blocks are damaged.
 *
 * Last session the plan read the log blocks of every log backup it restores and printed a WARNING
 * on stderr, but the script and the exit code were unchanged: `restore plan --format sql | sqlcmd`
 * ran a clean-looking script over a file that lost log (exit 0), `restore run` warned and then
 * restored anyway, a --stop-at refused because of the damage blamed the backup's run, and with a
 * whole copy of the damaged file beside it the plan took one of them unsaid. Now:
 * - log the restore needs (at or before the stop point) lost: refused, INPUT_RESTORE_LOG_DAMAGED,
 *   exit 2, one line naming file, offset and LSN range; `restore run` refuses before connecting;
 * - `--accept-damaged-log`: planned, the damage as a WARNING on stderr and as comments at the head
 *   of the script itself; no CONTINUE_AFTER_ERROR added;
 * - damage after the stop point only: planned, exit 0, a note that the later damage is not needed;
 * - copies of one log backup: the copy used and why the others were left, in a note (and json
 *   `logCopies`); every copy damaged: whether they lose log in the same places.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL StopAt folder (copied to temp dirs,
 * never written to the repo): StopAt_2.trn's log block at offset 9216 (512 bytes, LSN
 * 00000013:000000ba) zeroed; the MTF structure and headers are whole. StopAt_2.trn's commits
 * (real, `rowback log`): b9:3 at 13:29:44.530, the lost block's, bb:3 at 13:29:54.537, … the last
 * c0:3 at 13:30:19.543; StopAt_21.trn and StopAt_23.trn follow.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRestore, runRestorePlan, runRestoreRun } from '../../src/cli/commands/restore.js';
import { stopAtLsn } from '../../src/backup/log-commits.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusAvailable, corpusPath, describeCorpus } from '../support/corpus.js';
import { headerCopyOffsets } from '../support/damaged-copy.js';
import { StopAtFolders, stopAtFile } from '../support/stopat-folder.js';

const cli = captureCli();
const S = stopAtFile;
/** StopAt_2.trn with the 512-byte log block at `offset` zeroed (SYNTHETIC damage). */
const zeroed = (offset: number) => {
  const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
  b.fill(0, offset, offset + 512);
  return b;
};
const folders = new StopAtFolders('rowback-plan-damaged-log-');
/** A temp folder of the StopAt chain, `extra` files written into it by name. */
const folder = (extra: Record<string, Buffer>) => folders.make(extra);
let damagedDir: string;
let intactDir: string;
let trn: string;
beforeAll(() => {
  if (!corpusAvailable) return;
  const b = zeroed(9216);
  expect(Buffer.from(readFileSync(S('StopAt_2.trn'))).readUInt32LE(9216 + 16)).toBe(0xba); // the block header's first LSN: block 0xba
  damagedDir = folder({ 'StopAt_2.trn': b });
  intactDir = folder({});
  trn = join(damagedDir, 'StopAt_2.trn');
});
afterAll(() => {
  folders.removeAll();
});

const capture = () => {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += c));
  return { s, text: () => text };
};
const PLAN = { stopAt: '2020-05-12T13:34:30', as: 'Side' } as const;
const LOSS = 'FORMAT_LOG_GAP at offset 9216, LSN 00000013:000000ba:0001 to 00000013:000000bb:0001';
const plan = (dir: string, ...more: string[]) => cli('restore', 'plan', '--backups', dir, '--as', 'Side', ...more);

describeCorpus('restore plan over a log backup whose lost log the restore needs', () => {
  it('every format: refused, INPUT_RESTORE_LOG_DAMAGED, exit 2, one line naming file, offset and LSN range; no script (it printed one, exit 0)', async () => {
    for (const format of ['sql', 'text', 'json']) {
      const r = await plan(damagedDir, '--stop-at', PLAN.stopAt, '--format', format);
      expect(r.code).toBe(2);
      const line = expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED');
      expect(line).toContain(`${trn}: ${LOSS}`);
      expect(line).toContain('--accept-damaged-log');
      // the point reached before the damage, both LSN forms
      expect(line).toContain('--stop-before-lsn 19000000018600001 (00000013:000000ba:0001)');
      expect(r.stdout).not.toContain('RESTORE');
    }
  });

  it('--stop-at inside the lost block\'s span (13:29:50: its first readable later commit is past the loss) is refused too', async () => {
    const r = await plan(damagedDir, '--stop-at', '2020-05-12T13:29:50', '--format', 'sql');
    expect(expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED')).toContain(LOSS);
  });

  it('--stop-before-lsn past the loss is refused; one at its first LSN is planned (the log before it is whole)', async () => {
    const r = await plan(damagedDir, '--stop-before-lsn', '00000013:000000bb:0001', '--format', 'sql');
    expect(expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED')).toContain(LOSS);
    const ok = await plan(damagedDir, '--stop-before-lsn', '00000013:000000ba:0001', '--format', 'sql');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`rowback restore plan: note: ${trn}: its log does not read whole (${LOSS}), none of it log the restore applies`);
  });

  it('a --stop-at the damage keeps from being placed names the damage first (it blamed the backup\'s run: INPUT_RESTORE_TARGET_AT_BOUNDARY)', async () => {
    const r = await plan(damagedDir, '--stop-at', '2020-05-12T13:30:24.600', '--format', 'sql');
    const line = expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED');
    expect(line).toContain(`INPUT_RESTORE_LOG_DAMAGED: ${trn}'s log is damaged (${LOSS}), and the commits it lost are why the target cannot be placed`);
    // the planner's own reason still said, after
    expect(line).toContain('INPUT_RESTORE_TARGET_AT_BOUNDARY: --stop-at 2020-05-12T13:30:24.600');
  });

  it('a refusal the damage is not why (a gap after the damaged file: StopAt_21.trn missing) keeps its code and names the damage after it', async () => {
    const d = folder({ 'StopAt_2.trn': zeroed(9216) });
    rmSync(join(d, 'StopAt_21.trn'));
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    const line = expectOneLineError(r, 'INPUT_RESTORE_CHAIN_BROKEN');
    expect(line).not.toContain('INPUT_RESTORE_LOG_DAMAGED');
    expect(line).toContain(`; besides, ${join(d, 'StopAt_2.trn')}'s log is damaged (${LOSS})`);
  });

  it('--accept-damaged-log: the sql script itself starts with the WARNING comment; no CONTINUE_AFTER_ERROR; exit 0', async () => {
    const r = await plan(damagedDir, '--stop-at', PLAN.stopAt, '--format', 'sql', '--accept-damaged-log');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^-- WARNING: ${trn.replace(/[.]/g, '\\.')}: its log does not read whole and the restore needs the log it lost \\(${LOSS}`));
    expect(lines[0]).toContain('no CONTINUE_AFTER_ERROR is added');
    expect(r.stdout).not.toMatch(/WITH[^;\n]*CONTINUE_AFTER_ERROR/);
    expect(r.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${trn}'`);
    expect(r.stderr.split('\n').filter((l) => l.startsWith(`rowback restore plan: WARNING: ${trn}: `))).toHaveLength(1);
    // said once on stderr (not again as the script's own warning)
    expect(r.stderr).not.toContain('rowback: WARNING');
  });

  it('--accept-damaged-log, text and json: the WARNING before the script, in json warnings', async () => {
    const out = capture();
    await runRestorePlan({ backups: [damagedDir], ...PLAN, format: 'text', acceptDamagedLog: true }, out.s, capture().s);
    const text = out.text();
    const warnAt = text.indexOf(`-- WARNING: ${trn}: its log does not read whole`);
    expect(warnAt).toBeGreaterThan(-1);
    expect(warnAt).toBeLessThan(text.indexOf('RESTORE DATABASE'));
    const j = capture();
    await runRestorePlan({ backups: [damagedDir], ...PLAN, format: 'json', acceptDamagedLog: true }, j.s, capture().s);
    const p = JSON.parse(j.text()) as { warnings: string[] };
    expect(p.warnings.filter((x) => x.startsWith(`WARNING: ${trn}: its log does not read whole`))).toHaveLength(1);
  });

  it('damage after the stop point (13:29:40: the stop falls at b9:3, before the lost block): planned, exit 0, a note that it is not needed, no WARNING', async () => {
    const r = await plan(damagedDir, '--stop-at', '2020-05-12T13:29:40', '--format', 'text');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('WARNING');
    expect(r.stdout).not.toContain('WARNING');
    expect(r.stdout).toContain(`-- note: ${trn}: its log does not read whole (${LOSS}), none of it log the restore applies (after the stop point, or before the end of the full or differential backup restored, which holds that log): the plan does not need it`);
    expect(r.stdout).toContain(`STOPAT = N'2020-05-12T13:29:40.000'`);
  });

  it('a block whose checksum fails (one byte flipped: FORMAT_BAD_LOG_BLOCK, naming the LSNs it lost as its FORMAT_LOG_GAP does): placed by those LSNs, a stop before it planned with a note, one after it refused naming the LSN to stop before (every stop point was refused, with no advice)', async () => {
    const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
    b[9216 + 300] ^= 0xff; // SYNTHETIC: inside block 0xba, its checksum now fails
    const d = folder({ 'StopAt_2.trn': b });
    const f = join(d, 'StopAt_2.trn');
    const ok = await plan(d, '--stop-at', '2020-05-12T13:29:40', '--format', 'sql');
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain('WARNING');
    expect(ok.stderr).toContain(`rowback restore plan: note: ${f}: its log does not read whole (FORMAT_BAD_LOG_BLOCK at offset 9216, LSN 00000013:000000ba:0001 to 00000013:000000bb:0001; ${LOSS}), none of it log the restore applies`);
    const lsn = await plan(d, '--stop-before-lsn', '00000013:000000ba:0001', '--format', 'sql');
    expect(lsn.code).toBe(0);
    const no = await plan(d, '--stop-before-lsn', '00000013:000000bb:0001', '--format', 'sql');
    expect(expectOneLineError(no, 'INPUT_RESTORE_LOG_DAMAGED')).toContain('the log before the damage is reached with --stop-before-lsn 19000000018600001 (00000013:000000ba:0001)');
  });

  it('a block damaged in place (bytes overwritten, not zeroed: FORMAT_BAD_LOG_BLOCK, which names the LSNs it lost, the range of the gap it leaves) is placed by them: after the stop point a note, at it a refusal advising --stop-before-lsn (every stop point was refused, no advice)', async () => {
    const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
    b.fill(0x5a, 9300, 9300 + 64); // inside block 0xba (offset 9216): its checksum no longer matches
    const d = folder({ 'StopAt_2.trn': b });
    const f = join(d, 'StopAt_2.trn');
    const loss = 'FORMAT_BAD_LOG_BLOCK at offset 9216, LSN 00000013:000000ba:0001 to 00000013:000000bb:0001; FORMAT_LOG_GAP at offset 9216, LSN 00000013:000000ba:0001 to 00000013:000000bb:0001';
    for (const target of [['--stop-at', '2020-05-12T13:29:40'], ['--stop-before-lsn', '00000013:000000ba:0001']]) {
      const r = await plan(d, ...target, '--format', 'sql');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`rowback restore plan: note: ${f}: its log does not read whole (${loss}), none of it log the restore applies`);
    }
    const r = await plan(d, '--stop-at', '2020-05-12T13:29:45', '--format', 'sql');
    const line = expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED');
    expect(line).toContain(`${f}: ${loss}`);
    expect(line).toContain('--stop-before-lsn 19000000018600001 (00000013:000000ba:0001)');
  });

  it('the last block damaged in place (c0 at offset 12288: FORMAT_BAD_LOG_BLOCK naming the range it lost up to the header\'s LastLSN, as the stream short of its header does): placed by that range: 13:30:00 (stop at bd:3, the first commit after it, 13:30:04.540) a note, 13:30:17 (stop in c0) refused advising --stop-before-lsn c0:1', async () => {
    const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
    expect(b.readUInt32LE(12288 + 16)).toBe(0xc0);
    b.fill(0x5a, 12400, 12400 + 32);
    const d = folder({ 'StopAt_2.trn': b });
    const f = join(d, 'StopAt_2.trn');
    const loss = 'FORMAT_BAD_LOG_BLOCK at offset 12288, LSN 00000013:000000c0:0001 to 00000013:000000c1:0001; FORMAT_LOG_STREAM_SHORT at LSN 00000013:000000c0:0001 to 00000013:000000c1:0001';
    const ok = await plan(d, '--stop-at', '2020-05-12T13:30:00', '--format', 'sql');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`rowback restore plan: note: ${f}: its log does not read whole (${loss}), none of it log the restore applies`);
    const line = expectOneLineError(await plan(d, '--stop-at', '2020-05-12T13:30:17', '--format', 'sql'), 'INPUT_RESTORE_LOG_DAMAGED');
    expect(line).toContain(`${f}: ${loss}`);
    expect(line).toContain('--stop-before-lsn 19000000019200001 (00000013:000000c0:0001)');
  });

  it('the first block of a log backup damaged, all of it before the full backup\'s end (StopAt_1.trn\'s block 13:51 at 7680, 79 sectors, torn: its loss 13:51:be up to 13:a0:1; StopAt.bak ends at 13:a1:1): planned, a note, no WARNING (the damaged block, named by offset only and with no gap at its offset, was a loss of no known LSN: refused)', async () => {
    const b = Buffer.from(readFileSync(S('StopAt_1.trn')));
    expect(b.readUInt32LE(7680 + 16)).toBe(0x51); // the block header's first LSN: block 0x51
    b.fill(0x5a, 7680 + 20000, 7680 + 20032); // SYNTHETIC: inside its 40th sector: the block no longer reads whole
    const d = folder({ 'StopAt_1.trn': b });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('WARNING');
    expect(r.stderr).toContain(`rowback restore plan: note: ${join(d, 'StopAt_1.trn')}: its log does not read whole (FORMAT_BAD_LOG_BLOCK at offset 7680, LSN 00000013:00000051:00be to 00000013:000000a0:0001; FORMAT_LOG_STREAM_SHORT at LSN 00000013:00000051:00be to 00000013:000000a0:0001), none of it log the restore applies`);
  });

  it('damage before the full backup\'s end (StopAt_1.trn block a0 zeroed, LSN 13:a0:1 up to 13:a1:1; StopAt.bak ends at 13:a1:1): planned, a note, no WARNING', async () => {
    const b = Buffer.from(readFileSync(S('StopAt_1.trn')));
    expect(b.readUInt32LE(48128 + 16)).toBe(0xa0); // the block header's first LSN: block 0xa0
    b.fill(0, 48128, 48128 + 512);
    const d = folder({ 'StopAt_1.trn': b });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('WARNING');
    expect(r.stderr).toContain(`rowback restore plan: note: ${join(d, 'StopAt_1.trn')}: its log does not read whole (FORMAT_LOG_GAP at offset 48128, LSN 00000013:000000a0:0001 to 00000013:000000a1:0001), none of it log the restore applies`);
  });

  it('no false alarm: the intact folder plans with no WARNING and no note of damage', async () => {
    const r = await plan(intactDir, '--stop-at', PLAN.stopAt, '--format', 'text');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('WARNING');
    expect(r.stdout).not.toContain('WARNING');
    expect(r.stdout).not.toContain('does not read whole');
  });
});

describeCorpus('restore run over a log backup whose lost log the restore needs', () => {
  it('refused before connecting: no executor made, nothing executed (it warned, then restored)', async () => {
    let made = 0;
    await expect(
      runRestoreRun({ server: 'fake', backups: [damagedDir], ...PLAN }, new PassThrough(), capture().s, {
        executor: () => {
          made++;
          throw new Error('connected');
        },
      }),
    ).rejects.toMatchObject({ code: 'INPUT_RESTORE_LOG_DAMAGED' });
    expect(made).toBe(0);
  });

  it('refused by the CLI with exit 2 before it connects (the server named does not exist)', async () => {
    const r = await cli('restore', 'run', '--server', 'Server=127.0.0.1,1;User Id=x;Password=y;Connect Timeout=1', '--backups', damagedDir, '--stop-at', PLAN.stopAt, '--as', 'Side');
    expect(expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED')).toContain(`${trn}: ${LOSS}`);
  });

  it('--accept-damaged-log: the WARNING before any statement runs, and the statements are the plan\'s, no CONTINUE_AFTER_ERROR', async () => {
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
    await runRestoreRun({ server: 'fake', backups: [damagedDir], ...PLAN, acceptDamagedLog: true }, new PassThrough(), err.s, { executor: () => ex });
    expect(executed.length).toBeGreaterThan(0);
    expect(executed.join('\n')).not.toContain('CONTINUE_AFTER_ERROR');
    expect(err.text()).toContain(`rowback restore run: WARNING: ${trn}: `);
  });
});

describe('copies of one log backup, one or both damaged (SYNTHETIC damage of the real StopAt_2.trn)', () => {
  it.runIf(corpusAvailable)('a whole copy beside the damaged one: used, and the note says which and why the other was left (text, stderr, json logCopies)', async () => {
    const d = folder({ 'StopAt_2.trn': zeroed(9216), 'StopAt_2.orig': Buffer.from(readFileSync(S('StopAt_2.trn'))) });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'text');
    expect(r.code).toBe(0);
    const note = `log backup LSN 19000000018300001..19000000019300001 (backup set D78416D8-76F9-4594-AED7-BA44EA3A7E25) is in 2 files: used ${join(d, 'StopAt_2.orig')} (its log reads whole); left ${join(d, 'StopAt_2.trn')} (its log does not read whole: ${LOSS}, log the restore needs)`;
    expect(r.stdout).toContain(`-- note: ${note}`);
    expect(r.stderr).toContain(`rowback restore plan: note: ${note}`);
    expect(r.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${join(d, 'StopAt_2.orig')}'`);
    expect(r.stdout).not.toContain(`FROM DISK = N'${join(d, 'StopAt_2.trn')}'`);
    const j = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'json');
    const p = JSON.parse(j.stdout) as { logCopies: Array<{ used: string; left: Array<{ file: string; why: string }> }> };
    expect(p.logCopies).toEqual([expect.objectContaining({ used: join(d, 'StopAt_2.orig'), left: [{ file: join(d, 'StopAt_2.trn'), why: `its log does not read whole: ${LOSS}, log the restore needs` }] })]);
  });

  /** SYNTHETIC: the bytes of `file` with its closing header copy's LastLSN block lowered by one (a BACKUP_HEADER_WARNING: the log stream settles it). */
  const lastLsnLowered = (file: string): Buffer => {
    const b = Buffer.from(readFileSync(file));
    const { closing } = headerCopyOffsets(file);
    b.writeUInt32LE(b.readUInt32LE(closing + 46) - 1, closing + 46);
    return b;
  };

  /** A folder holding `damaged` as `name` beside the intact corpus copies, planned: the intact `restored` file is the one `statement` restores from, `name` is not named in the script, no WARNING. */
  const planPrefersIntact = async (damaged: Buffer, name: string, statement: string, restored: string) => {
    const d = folder({ [name]: damaged });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${statement} [Side] FROM DISK = N'${join(d, restored)}'`);
    expect(r.stdout).not.toContain(name);
    expect(r.stderr).not.toMatch(/^rowback restore plan: WARNING/m);
    return { d, r };
  };

  it.runIf(corpusAvailable)('two whole copies, one with a damaged header copy (LastLSN lowered in its closing copy: BACKUP_HEADER_WARNING): the intact copy is used, not \'either serves\', no WARNING (the damaged one was kept as the chain\'s first choice)', async () => {
    const b = lastLsnLowered(S('StopAt_2.trn'));
    for (const name of ['StopAt_2.a', 'StopAt_2.z']) {
      const { d, r } = await planPrefersIntact(b, name, 'RESTORE LOG', 'StopAt_2.trn');
      expect(r.stderr).toContain(`used ${join(d, 'StopAt_2.trn')} (its log reads whole); left ${join(d, name)} (its log reads whole but one copy of its header is damaged (BACKUP_HEADER_WARNING))`);
    }
  });

  it.runIf(corpusAvailable)('two copies of the full backup, one with a damaged header copy (BACKUP_HEADER_WARNING): the intact one is restored from, no WARNING (the first given was taken)', async () => {
    const b = lastLsnLowered(S('StopAt.bak'));
    for (const name of ['StopAt.a.bak', 'StopAt.z.bak']) await planPrefersIntact(b, name, 'RESTORE DATABASE', 'StopAt.bak');
  });

  it.runIf(corpusAvailable)('two whole copies: the note says either serves (no damage said)', async () => {
    const d = folder({ 'StopAt_2.copy': Buffer.from(readFileSync(S('StopAt_2.trn'))) });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rowback restore plan: note: log backup LSN 19000000018300001\.\.19000000019300001 \(backup set D78416D8-76F9-4594-AED7-BA44EA3A7E25\) is in 2 files: used \S+StopAt_2\.(copy|trn) \(its log reads whole\); left \S+ \(its log reads whole too: either serves, the chain's first choice was kept\)/);
    expect(r.stderr).not.toContain('WARNING');
  });

  it.runIf(corpusAvailable)('both copies damaged in different places: refused, naming both losses and that they differ (each holds log the other lacks)', async () => {
    const d = folder({ 'StopAt_2.trn': zeroed(9216), 'StopAt_2.orig': zeroed(9216 + 3 * 512) });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    const line = expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED');
    // the copy whose first loss comes later is the one --accept-damaged-log would plan over: it
    // reaches further; nothing is used by a refusal (it said "used F")
    expect(line).toContain(`is in 2 files, each losing log the restore needs, so none was used; --accept-damaged-log would use ${join(d, 'StopAt_2.orig')} (its log does not read whole: FORMAT_LOG_GAP at offset 10752, LSN 00000013:000000bd:0001 to 00000013:000000be:0001`);
    expect(line).not.toMatch(/: used /);
    expect(line).toContain(`and leave ${join(d, 'StopAt_2.trn')} (its log does not read whole: ${LOSS}`);
    expect(line).toContain('the copies lose log in different places, so one holds log another lacks, but RESTORE LOG reads one file');
    expect(line).toContain('--stop-before-lsn 19000000018900001 (00000013:000000bd:0001)');
  });

  it.runIf(corpusAvailable)('both copies damaged alike: refused, saying no copy given holds that log', async () => {
    const d = folder({ 'StopAt_2.trn': zeroed(9216), 'StopAt_2.orig': zeroed(9216) });
    const r = await plan(d, '--stop-at', PLAN.stopAt, '--format', 'sql');
    expect(expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED')).toContain('every copy loses the same log (copies of one damaged file): no copy given holds it');
  });

  it.runIf(corpusAvailable)('a copy damaged only after the stop point is preferred over one damaged before it', async () => {
    // .late: block be (offset 11264) zeroed, after the 13:29:50 stop (the commit bb:3, 13:29:54.537); .trn: block ba, before it
    const d = folder({ 'StopAt_2.trn': zeroed(9216), 'StopAt_2.late': zeroed(9216 + 4 * 512) });
    const r = await plan(d, '--stop-at', '2020-05-12T13:29:50', '--format', 'text');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`used ${join(d, 'StopAt_2.late')} (its log does not read whole: FORMAT_LOG_GAP at offset 11264`);
    expect(r.stdout).toContain(', none of it log the restore applies)');
    expect(r.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${join(d, 'StopAt_2.late')}'`);
    await expect(planRestore({ backups: [d], stopAt: '2020-05-12T13:29:50', as: 'Side', format: 'sql' })).resolves.toBeDefined();
  });
});

describeCorpus('stopAtLsn: where STOPAT stops inside a log backup (REAL StopAt_2.trn, and the SYNTHETIC damaged copy)', () => {
  it('the first commit later than the time; null past the last commit; a commit in a lost block is not seen (the caller compares the loss with it)', async () => {
    expect(await stopAtLsn(S('StopAt_2.trn'), 1, '2020-05-12T13:29:40.000')).toBe('00000013:000000b9:0003');
    // 13:29:44.530 itself is not later: the next one
    expect(await stopAtLsn(S('StopAt_2.trn'), 1, '2020-05-12T13:29:44.530')).not.toBe('00000013:000000b9:0003');
    expect(await stopAtLsn(S('StopAt_2.trn'), 1, '2020-05-12T13:30:20.000')).toBeNull();
    // the damaged copy: block ba lost, the first readable later commit is bb:3 (after the loss's first LSN ba:1)
    expect(await stopAtLsn(trn, 1, '2020-05-12T13:29:50.000')).toBe('00000013:000000bb:0003');
    expect(await stopAtLsn(join(damagedDir, 'no-such.trn'), 1, '2020-05-12T13:29:50.000')).toBeNull();
  });
});

describeCorpus('restore plan over a full backup whose own log is damaged', () => {
  it('SYNTHETIC StopAt.bak with its first log block (offset 1451520, 13:51, 40448 bytes) one byte flipped: refused, INPUT_RESTORE_LOG_DAMAGED naming the full backup (RESTORE DATABASE reads all its log, any stop point needs it); before, the plan was printed without a word, exit 0. --accept-damaged-log: planned with a WARNING naming it', async () => {
    const b = Buffer.from(readFileSync(S('StopAt.bak')));
    expect(b.readUInt32LE(1451520 + 16)).toBe(0x51); // the block header's first LSN: block 0x51
    b[1451520 + 300]! ^= 0xff;
    const d = folder({ 'StopAt.bak': b });
    const bak = join(d, 'StopAt.bak');
    for (const stop of ['00000013:000000a1:0001', '00000013:000000bb:0001']) {
      const r = await cli('restore', 'plan', '--backups', d, '--stop-before-lsn', stop, '--as', 'Side', '--format', 'sql');
      expect(r.code).toBe(2);
      const line = expectOneLineError(r, 'INPUT_RESTORE_LOG_DAMAGED');
      expect(line).toContain(`${bak}, the full backup the plan restores, holds log that does not read whole: FORMAT_BAD_LOG_BLOCK at offset 1451520; RESTORE DATABASE reads all of that log`);
      expect(line).not.toContain('--stop-before-lsn 1'); // no earlier point is offered: every stop point needs it
    }
    const a = await cli('restore', 'plan', '--backups', d, '--stop-before-lsn', '00000013:000000bb:0001', '--as', 'Side', '--format', 'sql', '--accept-damaged-log');
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[0]).toContain(`-- WARNING: ${bak}: the log this full backup holds does not read whole (FORMAT_BAD_LOG_BLOCK at offset 1451520`);
    expect(a.stdout).toContain(`RESTORE DATABASE [Side] FROM DISK = N'${bak}'`);
    // the intact chain: no word of it
    const whole = await cli('restore', 'plan', '--backups', intactDir, '--stop-before-lsn', '00000013:000000bb:0001', '--as', 'Side', '--format', 'sql');
    expect(whole.code).toBe(0);
    expect(whole.stderr).not.toMatch(/WARNING|INPUT_RESTORE_LOG_DAMAGED|StopAt\.bak/);
  });
});

describeCorpus('restore plan over copies of a full backup, one whose own log is damaged', () => {
  it('SYNTHETIC StopAt.bak with its first log block damaged beside the log backups, the REAL whole StopAt.bak alone in a second --backups folder: planned from the whole copy in either folder order, a note naming the copy left and why (it was refused INPUT_RESTORE_LOG_DAMAGED when the damaged copy came first, a whole copy beside it)', async () => {
    const b = Buffer.from(readFileSync(S('StopAt.bak')));
    b[1451520 + 300]! ^= 0xff;
    const d = folder({ 'StopAt.bak': b });
    const whole = mkdtempSync(join(tmpdir(), 'rowback-plan-whole-full-'));
    try {
      copyFileSync(S('StopAt.bak'), join(whole, 'StopAt.bak'));
      for (const order of [[d, whole], [whole, d]]) {
        const r = await cli('restore', 'plan', '--backups', ...order, '--stop-before-lsn', '00000013:000000bb:0001', '--as', 'Side', '--format', 'sql');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`RESTORE DATABASE [Side] FROM DISK = N'${join(whole, 'StopAt.bak')}'`);
        expect(r.stdout).not.toContain(`FROM DISK = N'${join(d, 'StopAt.bak')}'`);
        expect(r.stdout).not.toContain('WARNING');
      }
      const r = await cli('restore', 'plan', '--backups', d, whole, '--stop-before-lsn', '00000013:000000bb:0001', '--as', 'Side');
      expect(r.stderr).toContain(`is in 2 files: used ${join(whole, 'StopAt.bak')} (its log reads whole); left ${join(d, 'StopAt.bak')} (its log does not read whole: FORMAT_BAD_LOG_BLOCK at offset 1451520`);
      // both copies damaged: still refused
      const both = folder({ 'StopAt.bak': b });
      const r2 = await cli('restore', 'plan', '--backups', d, both, '--stop-before-lsn', '00000013:000000bb:0001', '--as', 'Side', '--format', 'sql');
      expect(r2.code).toBe(2);
      expectOneLineError(r2, 'INPUT_RESTORE_LOG_DAMAGED');
    } finally {
      rmSync(whole, { recursive: true, force: true });
    }
  });
});

describeCorpus('restore plan over a differential backup whose own log is damaged, the log backups bridging it', () => {
  const RTC = ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'];
  const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  it('SYNTHETIC RestoreTimeClean2.bak (differential) with its first log block (offset 468480, 19:ad) one byte flipped, beside the REAL full backup and both log chains: planned from the full backup and the log backups, without the differential, a note naming it (it was refused INPUT_RESTORE_LOG_DAMAGED naming the differential while RestoreTimeClean_1..3.trn bridge it); without RestoreTimeClean_1..3.trn still refused', async () => {
    const b = Buffer.from(readFileSync(R('RestoreTimeClean2.bak')));
    expect(b.readUInt32LE(468480 + 16)).toBe(0xad);
    b[468480 + 300]! ^= 0xff;
    const d = mkdtempSync(join(tmpdir(), 'rowback-plan-bad-diff-'));
    const short = mkdtempSync(join(tmpdir(), 'rowback-plan-bad-diff-short-'));
    try {
      for (const f of RTC) {
        if (f === 'RestoreTimeClean2.bak') {
          writeFileSync(join(d, f), b);
          writeFileSync(join(short, f), b);
        } else {
          copyFileSync(R(f), join(d, f));
          if (!/^RestoreTimeClean_\d/.test(f)) copyFileSync(R(f), join(short, f));
        }
      }
      const r = await cli('restore', 'plan', '--backups', d, '--stop-at', '2017-06-01T13:20:00', '--as', 'Side', '--format', 'sql');
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('RestoreTimeClean2.bak');
      expect(r.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${join(d, 'RestoreTimeClean_3.trn')}'`);
      expect(r.stdout).not.toContain('WARNING');
      expect(r.stderr).toContain(`${join(d, 'RestoreTimeClean2.bak')}: the log this differential backup holds does not read whole (FORMAT_BAD_LOG_BLOCK at offset 468480): RESTORE DATABASE of it would fail there`);
      const s = await cli('restore', 'plan', '--backups', short, '--stop-at', '2017-06-01T13:20:00', '--as', 'Side', '--format', 'sql');
      expect(s.code).toBe(2);
      expect(expectOneLineError(s, 'INPUT_RESTORE_LOG_DAMAGED')).toContain(`${join(short, 'RestoreTimeClean2.bak')}, the differential backup the plan restores`);
    } finally {
      rmSync(d, { recursive: true, force: true });
      rmSync(short, { recursive: true, force: true });
    }
  });
});
