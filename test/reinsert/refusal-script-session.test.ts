/**
 * A script rowback hands out in place of an undo it cannot give (the run is resumed, its undo is
 * written again by a later run, or could not be kept) refuses to run and says why, naming the job's
 * undo export. It ended `RAISERROR(…, 16, 1); SET NOEXEC ON;` with no SET NOEXEC OFF: NOEXEC is a
 * session setting, in force until set OFF (Microsoft Learn, SET NOEXEC), so the SSMS window (or
 * sqlcmd session) it ran in compiled every later batch and ran none. The DBA who then ran the undo
 * export it names in that window saw "Commands completed successfully", nothing printed and nothing
 * deleted. Now the refusal ends with RETURN (the batch ends there; no session setting is left). Every
 * script rowback writes that sets NOEXEC ON also sets it OFF at its end (plan.ts's guards do).
 * Read as T-SQL here (no SQL Server runs in this environment). SYNTHETIC run and job ids, messages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusalScript } from '../../src/reinsert/plan.js';
import { undoWhileResumed } from '../../src/reinsert/service.js';

/** The statements of a one-batch script that SQL Server runs, comments aside, as lines. */
const statements = (script: string): string[] => script.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('--'));

/** Whether a script leaves the session's NOEXEC ON (its last SET NOEXEC is ON, or it sets ON and never OFF). */
const leavesNoexecOn = (script: string): boolean => {
  const sets = [...script.matchAll(/SET NOEXEC (ON|OFF)/g)].map((m) => m[1]);
  return sets.includes('ON') && sets[sets.length - 1] !== 'OFF';
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('a script that refuses to run', () => {
  it('ends its batch with RETURN after the RAISERROR and leaves no SET NOEXEC ON in the session', () => {
    const s = undoWhileResumed(7, 3);
    expect(leavesNoexecOn(s)).toBe(false);
    const st = statements(s);
    expect(st).toHaveLength(2);
    expect(st[0]).toMatch(/^RAISERROR\(N'rowback: re-insert run 7 was resumed .*export\?format=undo-sql', 16, 1\);$/);
    expect(st[1]).toBe('RETURN;');
  });

  it("escapes % for RAISERROR and ' for the N'' literal, and keeps the message on one line (SYNTHETIC message)", () => {
    const s = refusalScript("rowback: 100% of O'Brien's rows\nGO $(x) stay");
    expect(s.split('\n')).toHaveLength(4);
    expect(s).toContain("RAISERROR(N'rowback: 100%% of O''Brien''s rows\\u{a}GO $\\u{28}x) stay', 16, 1);");
    expect(s).not.toMatch(/^GO/m);
  });

  it('every source that writes SET NOEXEC ON into a script also writes the SET NOEXEC OFF that ends it', () => {
    const root = join(__dirname, '../../src');
    const onOnly = sourceFiles(root).filter((f) => {
      const code = readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');
      return /['"`][^'"`\n]*SET NOEXEC ON;/.test(code) && !/['"`][^'"`\n]*SET NOEXEC OFF;/.test(code);
    }).map((f) => f.slice(root.length + 1));
    expect(onOnly).toEqual([]);
  });
});
