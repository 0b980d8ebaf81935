/**
 * `rowback log` given one .ldf twice, or an .ldf and a copy of it: every record was printed twice,
 * the summary counting them as distinct ("38638 of 38638 record(s) printed" for NORTHWND_log.ldf's
 * 19,319 records), exit 0, not a word. Records repeated between log backups were passed over, those
 * of an .ldf never. An LSN names one log record of one database (the files are checked to be of one),
 * so a record at an LSN an earlier file printed is passed over, counted, and a note names both files.
 *
 * REAL files: AngularJs_CRUD's Database1_log.ldf (and a byte copy of it under another name, in a
 * temporary folder), RestoreTimeClean_1.trn.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ldf-twice-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('rowback log: one .ldf given twice', () => {
  const LDF = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  const count = (s: string) => s.trim().split('\n').filter(Boolean).length;

  it('the same path twice: each record printed once, the repeats counted and the file named', async () => {
    const once = await run('log', LDF(), '--format', 'ndjson');
    expect(once.code).toBe(0);
    const n = count(once.stdout);
    expect(n).toBeGreaterThan(1000);
    const twice = await run('log', LDF(), LDF(), '--format', 'ndjson');
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toBe(once.stdout);
    expect(twice.stderr).toContain(`rowback log: ${n} of ${2 * n} record(s) printed; ${n} held by two files given passed over (note below)`);
    expect(twice.stderr).toContain(`rowback log: note: ${LDF()} is given twice: ${n} of its records`);
    expect(twice.stderr).toContain('each LSN is printed once');
  });

  it('a copy under another name: the same, the note naming both files', async () => {
    const copy = join(dir, 'copy_log.ldf');
    copyFileSync(LDF(), copy);
    const once = await run('log', LDF(), '--format', 'csv', '--quiet');
    const both = await run('log', LDF(), copy, '--format', 'csv');
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toBe(once.stdout);
    expect(both.stderr).toContain(`${copy} holds log that ${LDF()}, listed before it, holds too`);
    expect(both.stderr).toContain(`already printed from ${LDF()} and were passed over`);
  });

  it('log backups keep their own count (the block two consecutive backups share), no .ldf note', async () => {
    const trn = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
    const r = await run('log', trn, trn, '--format', 'ndjson');
    expect(r.code).toBe(0);
    // the same backup twice: held by two copies (it said 'repeated at a log-backup boundary', which
    // is the block two consecutive backups share, as the full backup and its first log backup do)
    expect(r.stderr).toMatch(/; 227 held by more than one copy of a log backup printed once/);
    expect(r.stderr).not.toMatch(/held by two files given|repeated at a log-backup boundary/);
    const b = await run('log', corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), trn, '--format', 'ndjson');
    expect(b.stderr).toMatch(/^rowback log: 227 of 398 record\(s\) printed; 171 repeated at a log-backup boundary passed over$/m);
  });
});
