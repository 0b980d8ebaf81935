/**
 * `--table dbo.Employees` on TSQLV4.bak (dbo.Employees 5 rows, HR.Employees 9) was told "dbo.Employees
 * is the table read (a name without a schema is dbo's); … give the schema (--table HR.Employees)":
 * the DBA had given the schema. The commands saw only the normalised `dbo.Employees`. Now the note is
 * said for a name typed without a schema only (`Employees`, `[Employees]`); a typed schema
 * (`dbo.Employees`, `[dbo].[Employees]`, `"DBO"."Employees"`) gets none: the DBA asked for dbo's table
 * exactly, and HR.Employees is no risk of a wrong table. Dump, scan, point-in-time dump, diff (CLI)
 * and compareTableStates as a restore job calls it (the job's table as typed); log, which said
 * nothing even for `--table Employees`, now says it for a name without a schema too.
 * REAL: TSQLV4-compressed/TSQLV4.bak.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { namesSchema } from '../../src/reconstruct/metadata/names.js';
import { compareTableStates, comparisonNotes } from '../../src/replay/compare.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-schema-typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOTE = "dbo.Employees is the table read (a name without a schema is dbo's); HR.Employees has the same name in another schema: give the schema (--table HR.Employees) to read it";
const SAID = 'the same name in another schema';

it('namesSchema: two or more parts name a schema, one does not', () => {
  expect(['dbo.Employees', '[dbo].[Employees]', '"DBO"."Employees"', 'dbo.Order.Items', '[dbo].[a.b]'].map(namesSchema)).toEqual([true, true, true, true, true]);
  expect(['Employees', '[Employees]', '"Employees"', ' Employees ', '[dbo.Employees]', '[unterminated'].map(namesSchema)).toEqual([false, false, false, false, false, false]);
});

describeCorpus('a note of namesakes in other schemas only when no schema was typed (TSQLV4.bak)', () => {
  const T = corpusPath('TSQLV4-compressed/TSQLV4.bak');

  it('dump: --table dbo.Employees / [dbo].[Employees] no note; Employees the note', async () => {
    for (const typed of ['dbo.Employees', '[dbo].[Employees]', '"DBO"."Employees"']) {
      const r = await cli('dump', '--bak', T, '--table', typed, '--out', join(dir, 'd.ndjson'));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('rowback dump: dbo.Employees: 5 row(s)');
      expect(r.stderr, typed).not.toContain(SAID);
    }
    const b = await cli('dump', '--bak', T, '--table', 'Employees', '--out', join(dir, 'b.ndjson'));
    expect(b.stderr).toContain(`rowback dump: note: ${NOTE}\n`);
    // typed both ways: one of them was without a schema, so it is said
    const both = await cli('dump', '--bak', T, '--table', 'dbo.Employees', '--table', 'Employees', '--out', join(dir, 'both.ndjson'));
    expect(both.stderr).toContain(`rowback dump: note: ${NOTE}\n`);
  }, 90_000);

  it('scan: --table dbo.Employees no note; Employees the note', async () => {
    const r = await cli('scan', '--bak', T, '--table', 'dbo.Employees', '--out', join(dir, 's.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(SAID);
    const b = await cli('scan', '--bak', T, '--table', 'Employees', '--out', join(dir, 's2.ndjson'));
    expect(b.stderr).toContain(`rowback scan: note: ${NOTE}\n`);
  }, 60_000);

  it('log: --table Employees the note (it said nothing of HR.Employees); dbo.Employees none', async () => {
    const b = await cli('log', T, '--bak', T, '--table', 'Employees', '--out', join(dir, 'l.ndjson'));
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`rowback log: note: ${NOTE}\n`);
    const r = await cli('log', T, '--bak', T, '--table', 'dbo.Employees', '--out', join(dir, 'l2.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('record(s) printed');
    expect(r.stderr).not.toContain(SAID);
    // both read: no namesake left to name
    const both = await cli('log', T, '--bak', T, '--table', 'Employees,HR.Employees', '--out', join(dir, 'l3.ndjson'));
    expect(both.stderr).not.toContain(SAID);
  }, 60_000);

  it('point-in-time dump: --table Sales.Orders,dbo.Employees no note; Sales.Orders,Employees the note', async () => {
    const r = await cli('dump', '--bak', T, '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'Sales.Orders,dbo.Employees', '--out', join(dir, 'p.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('dbo.Employees just before LSN');
    expect(r.stderr).not.toContain(SAID);
    const b = await cli('dump', '--bak', T, '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'Sales.Orders,Employees', '--out', join(dir, 'p2.ndjson'));
    expect(b.stderr).toContain(`rowback dump: note: ${NOTE}\n`);
  }, 90_000);

  it('diff (CLI) and compareTableStates as a job calls it: a typed schema, no note', async () => {
    const copy = join(dir, 'TSQLV4-copy.bak');
    copyFileSync(T, copy);
    const r = await cli('diff', '--bak', T, '--after-bak', copy, '--table', 'dbo.Employees', '--out', join(dir, 'diff.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('dbo.Employees: earlier 5 row(s), later 5 row(s)');
    expect(r.stderr).not.toContain(SAID);
    const b = await cli('diff', '--bak', T, '--after-bak', copy, '--table', 'Employees', '--out', join(dir, 'diff2.ndjson'));
    expect(b.stderr).toContain(`rowback diff: note (earlier state, ${T}): ${NOTE}\n`);
    // a restore job passes its table as typed
    const typed = await compareTableStates({ bak: [T], afterBak: [copy], table: '[dbo].[Employees]' });
    expect(comparisonNotes(typed).notes.join('\n')).not.toContain(SAID);
    const bare = await compareTableStates({ bak: [T], afterBak: [copy], table: 'Employees' });
    expect(comparisonNotes(bare).notes.join('\n')).toContain(NOTE);
  }, 120_000);
});
