import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

/**
 * A header field no restore reads (the server name) damaged in one copy: a WARNING in every command
 * (stderr even with --quiet, json, exit 3 under --strict), the set still used. scan and log listed
 * FORMAT_BAD_BACKUP_HEADER as a skipped item with exit 0, nothing with --quiet; restore plan and the
 * point-in-time replay left the set out. REAL StopAt backups; SYNTHETIC damage: one byte of the
 * server name in StopAt_2.trn's opening header copy.
 */
describeCorpus('a backup header damaged in a field no restore reads: WARNING everywhere, the set used', () => {
  let dir = '';
  let trn = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-warning-'));
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) damagedCopy(stopAt(f), join(dir, f), () => undefined);
    trn = damagedCopy(stopAt('StopAt_2.trn'), join(dir, 'StopAt_2.trn'), (b) => {
      const o = headerCopyOffsets(stopAt('StopAt_2.trn')).opening;
      b[o + b.readUInt16LE(o + 110)] ^= 0x01; // SCIN @108/@110: the server name's byte length / offset
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const warning = /BACKUP_HEADER_WARNING: backup set 1's header is held twice .* disagree on the server name \(the field at offset \d+ in the opening copy, \d+ in the closing copy\): "KUMPBOX\\SQL2008R2" in the opening copy, "JUMPBOX\\SQL2008R2" in the closing copy\. .*is uncertain/;

  it('the walk: a WARNING, not FORMAT_BAD_BACKUP_HEADER', () => {
    expect(readMtfLayout(trn).problems.map((p) => p.code)).toEqual(['BACKUP_HEADER_WARNING']);
  });

  it('scan --quiet says it, --report lists it, --strict exits 3; the result is complete', async () => {
    const report = join(dir, 'scan.json');
    const args = ['scan', '--bak', join(dir, 'StopAt.bak'), '--trn', join(dir, 'StopAt_1.trn'), trn, join(dir, 'StopAt_21.trn'), '--out', join(dir, 'rows.ndjson'), '--quiet', '--report', report];
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^rowback scan: WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.complete).toBe(true);
    expect(j.skipped.map((s: { code: string }) => s.code)).not.toContain('BACKUP_HEADER_WARNING');
    expect(j.warnings).toEqual([expect.stringMatching(warning)]);
    expect((await cli(...args, '--strict')).code).toBe(3);
  }, 120_000);

  it('log --quiet says it; --strict exits 3', async () => {
    const r = await cli('log', join(dir, 'StopAt_1.trn'), trn, '--quiet', '--out', join(dir, 'log.ndjson'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^rowback log: WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    expect((await cli('log', join(dir, 'StopAt_1.trn'), trn, '--quiet', '--strict', '--out', join(dir, 'log.ndjson'))).code).toBe(3);
  }, 120_000);

  it('restore plan uses the set and says the WARNING', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-before-lsn', '00000013:000000d0:0001', '--as', 'X');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`RESTORE LOG [X] FROM DISK = N'${trn}' WITH FILE = 1, NORECOVERY;`);
    expect(r.stderr).toMatch(new RegExp(`^rowback restore plan: WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^-- WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    const j = JSON.parse((await cli('restore', 'plan', '--backups', dir, '--stop-before-lsn', '00000013:000000d0:0001', '--as', 'X', '--format', 'json')).stdout);
    expect(j.warnings).toContainEqual(expect.stringMatching(new RegExp(`^WARNING: .*StopAt_2\\.trn: ${warning.source}`)));
  }, 120_000);

  it('the point-in-time replay (dump --trn, diff) uses the set and says the WARNING, also with --quiet; --strict exits 3; dump --report lists it', async () => {
    const chain = ['--trn', join(dir, 'StopAt_1.trn'), trn, join(dir, 'StopAt_21.trn')];
    const report = join(dir, 'dump.json');
    const d = await cli('dump', '--bak', join(dir, 'StopAt.bak'), ...chain, '--stop-before-lsn', '00000013:000000d0:0001', '--table', 'dbo.steps', '--quiet', '--strict', '--out', join(dir, 'steps.ndjson'), '--report', report);
    expect(d.stderr).not.toMatch(/INPUT_RESTORE_CHAIN_BROKEN/);
    expect(d.stderr).toMatch(new RegExp(`^rowback dump: WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    expect(d.code).toBe(3);
    expect(readFileSync(join(dir, 'steps.ndjson'), 'utf8').trim().split('\n')).toHaveLength(35);
    expect(JSON.parse(readFileSync(report, 'utf8')).warnings).toEqual([expect.stringMatching(warning)]);
    const after = ['--after-bak', join(dir, 'StopAt.bak'), '--after-trn', join(dir, 'StopAt_1.trn'), trn, join(dir, 'StopAt_21.trn'), '--after-stop-before-lsn', '00000013:000000d5:0001'];
    const f = await cli('diff', '--bak', join(dir, 'StopAt.bak'), ...chain, '--stop-before-lsn', '00000013:000000d0:0001', '--table', 'dbo.steps', ...after, '--quiet', '--strict');
    expect(f.stderr).toMatch(new RegExp(`^rowback diff: WARNING: .*StopAt_2\\.trn: ${warning.source}`, 'm'));
    expect(f.code).toBe(3);
  }, 120_000);
});

/**
 * A header field a restore reads (the binding id) damaged in one copy: FORMAT_BAD_BACKUP_HEADER, the
 * set kept out of restore plans; scan and log list it as skipped and now say it as a WARNING too,
 * also with --quiet (nothing was said then, exit 0 under --strict). SYNTHETIC damage of REAL
 * StopAt_1.trn's opening copy, SCIN @124.
 */
describeCorpus('a backup header damaged in a field a restore reads: scan and log say it with --quiet', () => {
  let dir = '';
  let trn = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-vital-'));
    trn = damagedCopy(stopAt('StopAt_1.trn'), join(dir, 'StopAt_1.trn'), (b) => {
      b[headerCopyOffsets(stopAt('StopAt_1.trn')).opening + 124] ^= 0x01;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan --quiet --strict: WARNING, exit 3; log --quiet: WARNING', async () => {
    expect(readMtfLayout(trn).problems.map((p) => p.code)).toEqual(['FORMAT_BAD_BACKUP_HEADER']);
    const s = await cli('scan', '--bak', stopAt('StopAt.bak'), '--trn', trn, '--quiet', '--strict', '--out', join(dir, 'rows.ndjson'));
    expect(s.stderr).toMatch(/^rowback scan: WARNING: .*StopAt_1\.trn: FORMAT_BAD_BACKUP_HEADER: .* disagree on the binding id/m);
    expect(s.code).toBe(3);
    const l = await cli('log', trn, '--quiet', '--out', join(dir, 'log.ndjson'));
    expect(l.stderr).toMatch(/^rowback log: WARNING: .*StopAt_1\.trn: FORMAT_BAD_BACKUP_HEADER: .* disagree on the binding id/m);
  }, 120_000);

  it('inspect says it as scan and log do, a WARNING naming file and offset, not INCOMPLETE (it said "1 item(s) … damaged or not read"); exit 3; INCOMPLETE still said for log damage beside it', async () => {
    const at = headerCopyOffsets(stopAt('StopAt_1.trn')).opening + 124;
    const r = await cli('inspect', trn, '--quiet');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^rowback inspect: WARNING: ${trn.replace(/[.]/g, '\\.')}: FORMAT_BAD_BACKUP_HEADER: backup set 1's header is held twice .* disagree on the binding id \\(the field at offset \\d+ in the opening copy, \\d+ in the closing copy\\): .*restore plan and point-in-time replays \\(dump --trn, diff\\) leave this backup set out.* \\(offset ${at}\\)$`, 'm'));
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
    expect(r.stdout).toMatch(/^WARNING: FORMAT_BAD_BACKUP_HEADER: .* disagree on the binding id/m);
    expect(r.stdout).not.toMatch(/^skipped: FORMAT_BAD_BACKUP_HEADER/m);
    const j = JSON.parse((await cli('inspect', trn, '--format', 'json')).stdout) as { complete: boolean; damage: Array<{ code: string }> };
    expect(j.complete).toBe(false);
    expect(j.damage.map((d) => d.code)).toEqual(['FORMAT_BAD_BACKUP_HEADER']);
    // SYNTHETIC: the same copy with a log block inside its stream zeroed too
    const log = readMtfLayout(trn).streams.find((x) => x.id === 'MQTL')!;
    const block = Math.ceil(log.dataOffset / 512) * 512 + 1024;
    const both = damagedCopy(trn, join(dir, 'both.trn'), (b) => b.fill(0, block, block + 512));
    const d = await cli('inspect', both, '--quiet');
    expect(d.code).toBe(3);
    expect(d.stderr).toMatch(/^rowback inspect: WARNING: .*both\.trn: FORMAT_BAD_BACKUP_HEADER: /m);
    expect(d.stderr).toMatch(/^rowback inspect: INCOMPLETE: \d+ item\(s\) of .*both\.trn damaged or not read \((?!.*FORMAT_BAD_BACKUP_HEADER)[A-Z_, ]+\); first: /m);
  }, 120_000);
});

/**
 * The service's scan job (worker) is told the WARNING among its notes, as `rowback scan` says it on
 * stderr (it said nothing: FORMAT_BAD_BACKUP_HEADER was a skipped item only). REAL StopAt backups;
 * SYNTHETIC damage: one byte of StopAt_1.trn's server name in its opening copy.
 */
describeCorpus('a scan job over a backup whose header carries a WARNING', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-job-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('notes it as WARNING', async () => {
    const { StagingStore } = await import('../../src/staging/store.js');
    const { JobWorker } = await import('../../src/worker/worker.js');
    const trn = damagedCopy(stopAt('StopAt_1.trn'), join(dir, 'StopAt_1.trn'), (b) => {
      const o = headerCopyOffsets(stopAt('StopAt_1.trn')).opening;
      b[o + b.readUInt16LE(o + 110)] ^= 0x01;
    });
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', bak: stopAt('StopAt.bak'), trn: [trn], operations: ['insert'] }, 'op');
      await w.idle();
      expect(store.requireJob(job.id).error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContainEqual(expect.stringMatching(/^WARNING: .*StopAt_1\.trn: BACKUP_HEADER_WARNING: .* disagree on the server name/));
    } finally {
      store.close();
    }
  }, 120_000);
});
