/**
 * README's quick start is the first thing a newcomer runs. Its command named the corpus as
 * `../shared/corpus/…` only, so from a checkout not beside `shared/` (a clone in /tmp, in a home
 * folder) it stopped at `INPUT_FILE_UNREADABLE: --mdf ../shared/corpus/…: no such file`, while the
 * same paragraph told of `$ROWBACK_CORPUS` for the tests alone. Run here as written (without its
 * `npm ci &&`: this checkout is built) from a checkout-like folder with no `../shared/corpus`,
 * ROWBACK_CORPUS set as the README tells such a checkout to: the 16 rows the README promises.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { removeDocCheckouts, runDocBlock } from '../support/doc-checkout.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
/** The first command line of the block, the scan, without the set-up `npm ci && ` before it. */
const first = block.split('\n').find((l) => l.startsWith('npm ci && '))?.slice('npm ci && '.length) ?? '';
afterAll(removeDocCheckouts);

describeCorpus("README's quick start", () => {
  it('runs as written from a checkout not beside shared/, ROWBACK_CORPUS set: the 16 deleted rows', () => {
    expect(first).toContain('npx rowback scan --mdf');
    const r = runDocBlock(first);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { table: string; operation: string });
    expect(rows).toHaveLength(16);
    expect(rows.filter((x) => x.table === 'dbo.Employee')).toHaveLength(3);
    expect(rows.filter((x) => x.table === 'dbo.tblDept')).toHaveLength(13);
    expect(rows.every((x) => x.operation === 'delete')).toBe(true);
    expect(r.stderr).toContain('rowback scan: 16 row(s) recovered');
    // what the README says of it
    expect(readme).toContain('The first command prints the 16 rows deleted from `dbo.tblDept` and `dbo.Employee`');
  });

  it('without ROWBACK_CORPUS there, the refusal the README quotes', () => {
    const r = runDocBlock(first, { ROWBACK_CORPUS: undefined });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback: INPUT_FILE_UNREADABLE: --mdf \.\.\/shared\/corpus\/AngularJs_CRUD\/App_Data\/Database1\.mdf: no such file/);
    // where it looked: the folder the command was run from
    expect(r.stderr).toContain(`: no such file (a relative path, looked for from ${r.checkout}, the folder rowback was started in)`);
    expect(readme).toContain('`rowback: INPUT_FILE_UNREADABLE: --mdf ../shared/corpus/…: no such file (a relative path, looked for from\n/your/clone, the folder rowback was started in)`');
  });
});
