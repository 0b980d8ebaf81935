import { describe, expect, it } from 'vitest';
import { scriptText, type RenderedPlan } from '../../src/restore/tsql.js';
import { planText } from '../../src/cli/commands/restore.js';

/**
 * docs/security.md: every comment line of generated T-SQL goes through `commentText` (CR, LF and
 * every other control or line-separator character written as \u{…}). The restore plan's comment
 * lines (database name and file names from backup headers and msdb, notes, skipped files) only had
 * CR and LF replaced: U+2028, U+0085, vertical tab and form feed went into the `--` line, which an
 * editor (SSMS) shows as a new line holding a statement. SYNTHETIC hostile names.
 */
const HOSTILE = ['\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\r', '\n'];

describe('restore plan comment lines', () => {
  it('carry no line-separating character', () => {
    const rendered: RenderedPlan = { statements: ['RESTORE DATABASE [x] WITH RECOVERY;'], moves: [], warnings: HOSTILE.map((c) => `WARNING: this script OVERWRITES database Shop${c}DROP DATABASE Shop`) };
    const text = scriptText(rendered);
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(HOSTILE.length + 1);
    for (const l of lines.slice(0, -1)) {
      expect(l.startsWith('-- ')).toBe(true);
      for (const c of HOSTILE) expect(l.includes(c), JSON.stringify(l)).toBe(false);
      expect(l).toContain('DROP DATABASE Shop');
    }
    const plan = {
      as: 'Side',
      chain: {
        databaseName: `Shop${HOSTILE.join('')}DROP DATABASE Shop`,
        target: { kind: 'time', time: '2024-03-01T10:00:00' },
        steps: [],
        reachable: [],
        notes: HOSTILE.map((c) => `note${c}DROP DATABASE Shop`),
        skipped: HOSTILE.map((c) => ({ file: `x${c}.bak`, code: 'INPUT_X', reason: `r${c}DROP DATABASE Shop` })),
      },
      rendered,
    } as unknown as Parameters<typeof planText>[0];
    for (const l of planText(plan).split('\n').filter((x) => x.startsWith('--'))) {
      for (const c of HOSTILE) expect(l.includes(c), JSON.stringify(l)).toBe(false);
    }
  });
});

describe('restore script statements', () => {
  it('a file name from a backup holding a line break or "$(" is refused, not printed into a script', () => {
    for (const bad of ["RESTORE DATABASE [Side] FROM DISK = N'x.bak' WITH FILE = 1, MOVE N'data\nGO\n:!! calc\n' TO N'D:\\d.mdf', NORECOVERY;", "RESTORE DATABASE [Side] FROM DISK = N'$(SQLCMDPASSWORD).bak' WITH FILE = 1, NORECOVERY;"]) {
      expect(() => scriptText({ statements: [bad], moves: [], warnings: [] })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_UNSCRIPTABLE' }));
    }
    expect(scriptText({ statements: ["RESTORE DATABASE [Side] WITH RECOVERY;"], moves: [], warnings: [] })).toBe('RESTORE DATABASE [Side] WITH RECOVERY;\n');
  });
});
