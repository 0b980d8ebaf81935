/**
 * `rowback diff` compares one table. A DBA comparing customers and their contacts gives --table twice
 * (as dump, scan and log take it) or comma-separated: the refusals said "it takes one value: give it
 * once" and "'dbo.A,dbo.B' is not a one- or two-part table name", neither saying how several tables
 * are compared. Both now say it: one diff per table, or one restore job of `rowback serve` with
 * `tables`. A comma inside [brackets] stays part of one name. Refused as the arguments are read: no
 * file is opened, so the files need not exist.
 */
import { describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

const run = captureCli();
const WAY = 'diff compares one table: run one diff per table';

describe('diff --table of several tables: refused saying how several are compared', () => {
  it('given twice', async () => {
    const r = await run('diff', '--bak', 'F.bak', '--after-bak', 'G.bak', '--table', 'dbo.Customer', '--table', 'dbo.Contact', '--out', '/dev/null');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--table is given more than once ('dbo.Customer', then 'dbo.Contact')");
    expect(r.stderr).toContain(WAY);
    expect(r.stderr).toContain('tables: ["dbo.A", "dbo.B"]');
  });

  it('comma-separated', async () => {
    const r = await run('diff', '--bak', 'F.bak', '--after-bak', 'G.bak', '--table', 'dbo.Customer,dbo.Contact', '--out', '/dev/null');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("INPUT_BAD_OPTION: --table 'dbo.Customer,dbo.Contact' names several tables");
    expect(r.stderr).toContain(WAY);
  });

  it('a comma inside [brackets] is one name; another option given twice says no more than before', async () => {
    const one = await run('diff', '--bak', 'F.bak', '--after-bak', 'G.bak', '--table', '[dbo].[a,b]', '--out', '/dev/null');
    expect(one.stderr).not.toContain(WAY);
    const twice = await run('diff', '--bak', 'F.bak', '--after-bak', 'G.bak', '--table', 'dbo.T', '--key', 'a', '--key', 'b', '--out', '/dev/null');
    expect(twice.stderr).toContain('--key is given more than once');
    expect(twice.stderr).not.toContain(WAY);
  });
});
