/**
 * `rowback diff --position N` / `--after-position N`: a .bak holding several backup sets (WITH
 * NOINIT) could not be compared at all (refused INPUT_SEVERAL_BACKUP_SETS, advice: dump each set).
 * StDb2Sql.bak (corpus) holds two full backups of StDb2SQL: 2009 (set 1) and 2010 (set 2). Its
 * dbo.Students (a heap) as `dump --bak … --position 1/2` prints it: 6 rows in 2009, 7 in 2010;
 * students 80386 and 80484 moved (Address 45 Fairfield → 88 Burger Street, 57 Oracle Rd. → 55
 * Oracle Rd.) and 12345 was added. The diff must say the same, read from each set; a set the file
 * lacks is refused naming the option and the number; a position where nothing takes it (with the
 * replay's --trn / --after-trn, with --after-mdf) is refused, never ignored.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { compareTableStates } from '../../src/replay/compare.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-position-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** Runs the command with --out FILE (rows written to a file) and answers the file's text as stdout. */
const toFile = async (...argv: string[]) => {
  const out = join(dir, `out-${++n}.ndjson`);
  const r = await cli(...argv, '--out', out);
  return { ...r, stdout: r.code === 0 ? readFileSync(out, 'utf8') : r.stdout };
};
const rows = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describeCorpus('diff --position / --after-position: the backup sets of one file compared', () => {
  const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');

  it('set 1 (2009) against set 2 (2010): the rows the two dumps differ in', async () => {
    const d1 = rows((await toFile('dump', '--bak', S, '--position', '1', '--table', 'dbo.Students')).stdout).map((r) => r.values as Record<string, unknown>);
    const d2 = rows((await toFile('dump', '--bak', S, '--position', '2', '--table', 'dbo.Students')).stdout).map((r) => r.values as Record<string, unknown>);
    const key = (v: Record<string, unknown>) => JSON.stringify(v);
    const only1 = d1.filter((v) => !d2.some((w) => key(w) === key(v)));
    expect(only1.map((v) => v.StudentID).sort()).toEqual([80386, 80484]);

    // whole rows (a heap): the two moved students' 2009 rows are missing from 2010
    const r = await toFile('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students');
    expect(r.code, r.stderr).toBe(0);
    const out = rows(r.stdout);
    expect(out.map((x) => x.change)).toEqual(['missing', 'missing']);
    expect(out.map((x) => x.values).sort((a, b) => key(a as Record<string, unknown>).localeCompare(key(b as Record<string, unknown>)))).toEqual(only1.sort((a, b) => key(a).localeCompare(key(b))));
    expect(r.stderr).toContain(`dbo.Students: earlier ${d1.length} row(s), later ${d2.length} row(s); 2 missing from the later state, 0 changed, 3 only in the later state, 4 unchanged`);

    // by StudentID: the same two as changed rows, Address before (2009) and after (2010), none missing
    const k = await toFile('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students', '--key', 'StudentID');
    expect(k.code, k.stderr).toBe(0);
    const changed = rows(k.stdout);
    expect(changed.map((x) => x.change)).toEqual(['changed', 'changed']);
    for (const c of changed) {
      const id = (c.key as Record<string, unknown>).StudentID;
      expect(c.columns).toEqual(['Address']);
      expect((c.before as Record<string, unknown>).Address).toBe(d1.find((v) => v.StudentID === id)!.Address);
      expect((c.after as Record<string, unknown>).Address).toBe(d2.find((v) => v.StudentID === id)!.Address);
    }
    expect(k.stderr).toContain('0 missing from the later state, 2 changed, 1 only in the later state');
  }, 60_000);

  it('the 2010 set as earlier and the 2009 one as later is the reversed comparison, refused as such (the positions are read, not set 1 twice)', async () => {
    const r = await cli('diff', '--bak', S, '--position', '2', '--after-bak', S, '--after-position', '1', '--table', 'dbo.Students');
    expectOneLineError(r, 'INPUT_BAD_WINDOW');
  }, 60_000);

  it('a position the file lacks is refused naming the option and the number', async () => {
    const a = expectOneLineError(await cli('diff', '--bak', S, '--position', '3', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students'), 'INPUT_BAD_OPTION');
    expect(a).toContain(`--position 3: ${S} holds 2 backup sets: give 1 to 2`);
    const b = expectOneLineError(await cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '5', '--table', 'dbo.Students'), 'INPUT_BAD_OPTION');
    expect(b).toContain(`--after-position 5: ${S} holds 2 backup sets: give 1 to 2`);
    expectOneLineError(await cli('diff', '--bak', S, '--position', 'two', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students'), 'INPUT_BAD_OPTION');
    // without one: the refusal advises the side's own option
    const c = expectOneLineError(await cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--table', 'dbo.Students'), 'INPUT_SEVERAL_BACKUP_SETS');
    expect(c).toContain('choose one with --after-position N');
  }, 60_000);

  it('a position where nothing takes it is refused, not ignored', async () => {
    // --position / --after-position with --trn / --after-trn are taken now (the set the replay starts
    // from: test/replay/point-in-time-several-sets.test.ts); only --after-position with --after-mdf is refused
    const m = expectOneLineError(await cli('diff', '--bak', S, '--position', '1', '--after-mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--after-position', '1', '--table', 'dbo.Students'), 'INPUT_BAD_OPTION');
    expect(m).toContain('--after-position picks a backup set of --after-bak; a data file (--after-mdf) holds none');
    // the API's job: the same refusal, from compareTableStates
    await expect(compareTableStates({ bak: [S], position: 1, afterMdf: [corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')], afterPosition: 1, table: 'dbo.Students' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
  }, 60_000);
});
