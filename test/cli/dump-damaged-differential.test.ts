import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * A point-in-time dump (and diff, and a restore job: one replay) over a differential backup whose
 * pages fail their checks where the replay reads them. REAL files: RestoreTimeClean (full 12:59,
 * differential 13:14, log backups of both stretches); the damage is SYNTHETIC: 40 bytes in the middle
 * of a copy of the differential, inside its page 1:48 (a catalog page), whose checksum then fails.
 * It was refused as `INPUT_UNKNOWN_TABLE: table dbo.steps is not in …diff.bak (the base of the
 * restore); known tables: (none)` — no word of damage — with the full backup and every log backup
 * at hand, which reach 13:20 without the differential (a DBA would restore so). The differential is
 * left out then, said in a note; without the log backups that bridge it the refusal names the damage.
 */
describeCorpus('point-in-time dump over a damaged differential', () => {
  const d = (f: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), f);
  const damagedDiff = () => {
    const b = Buffer.from(readFileSync(d('RestoreTimeClean2.bak')));
    const at = Math.floor(b.length / 2);
    for (let i = 0; i < 40; i++) b[at + i] = (i * 37 + 11) & 0xff;
    const file = join(mkdtempSync(join(tmpdir(), 'rowback-diff-damaged-')), 'RestoreTimeClean2_damaged.bak');
    writeFileSync(file, b);
    return file;
  };
  const allLogs = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn'].map(d);
  const rowsOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.stringify((JSON.parse(l) as { values: unknown }).values)).sort();
  let n = 0;
  const toFile = async (...argv: string[]) => {
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-diff-damaged-out-')), `out-${++n}.ndjson`);
    const r = await cli(...argv, '--out', out);
    return { ...r, stdout: r.code === 0 ? readFileSync(out, 'utf8') : r.stdout };
  };

  it('the full backup and the log backups reach the stop point: the differential is left out, said in a note, and the rows are those of the whole chain', async () => {
    const whole = await toFile('dump', '--quiet', '--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--trn', ...allLogs, '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps');
    expect(whole.code, whole.stderr).toBe(0);
    const diff = damagedDiff();
    const r = await toFile('dump', '--bak', d('RestoreTimeClean.bak'), diff, '--trn', ...allLogs, '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps');
    expect(r.code, r.stderr).toBe(0);
    expect(rowsOf(r.stdout)).toEqual(rowsOf(whole.stdout));
    expect(rowsOf(r.stdout)).toHaveLength(42);
    expect(r.stderr).toMatch(/chain: full \S+RestoreTimeClean\.bak → log \S+RestoreTimeClean_1\.trn/);
    expect(r.stderr).toContain(`note: the differential backup ${diff}: page(s) 1:48 failed their checks (first: FORMAT_BAD_CHECKSUM: `);
    expect(r.stderr).toMatch(/: left out; replayed from \S+RestoreTimeClean\.bak and the log backups after it instead/);
  });

  it('without the log backups that bridge the differential: refused, naming the damaged page, the table "may be there" and the missing log', async () => {
    const diff = damagedDiff();
    const r = await cli('dump', '--bak', d('RestoreTimeClean.bak'), diff, '--trn', d('RestoreTimeClean2_1.trn'), d('RestoreTimeClean2_2.trn'), '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rowback: REPLAY_UNDECODABLE: table dbo\.steps is not named in \S+RestoreTimeClean\.bak \+ \S+RestoreTimeClean2_damaged\.bak \(the base of the restore\); known tables: \(none\); its catalog is damaged \([^)]*pages 1:48\), so dbo\.steps may be there, unnamed; the cause: the differential backup \S+: page\(s\) 1:48 failed their checks \(first: FORMAT_BAD_CHECKSUM: [^)]*\), and without it the log backups given do not reach the stop point \(.*log backups covering LSN 25000000013200001 up to 25000000017300001 are missing/);
  });
  it('the full backup damaged too (its sys.syscolpars page 1:85, which the differential does not hold): the refusal names the file that page is read from and the differential left out (it named no file and no differential)', async () => {
    const b = Buffer.from(readFileSync(d('RestoreTimeClean.bak')));
    for (let i = 0; i < 40; i++) b[86 * 8192 + 4096 + i] = (i * 37 + 11) & 0xff;
    const full = join(mkdtempSync(join(tmpdir(), 'rowback-full-damaged-')), 'RestoreTimeClean_damaged.bak');
    writeFileSync(full, b);
    const diff = damagedDiff();
    const r = await cli('dump', '--bak', full, diff, '--trn', ...allLogs, '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`rowback: SCHEMA_COLUMNS_UNREADABLE: dbo.steps in ${full} (the base of the restore): its columns could not be established: `);
    expect(r.stderr).toContain(`1:85 (sys.syscolpars); those pages are read from ${full}; replayed without the differential backup ${diff} (page(s) 1:48), which failed its checks`);
    // the differential whole: the full backup's page is still the one read (the differential does not hold it)
    const whole = await cli('dump', '--bak', full, d('RestoreTimeClean2.bak'), '--trn', ...allLogs, '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps');
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain(`those pages are read from ${full} (file ${full}, table dbo.steps)`);
  });
});
