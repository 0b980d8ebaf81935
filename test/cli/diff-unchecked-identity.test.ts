/**
 * `diff` checks that every file is of one database (binding id), and a file whose binding id cannot
 * be read (a damaged page 0) is left out of the check, as scan and log leave it out, but diff never
 * said so: the comparison went on unsaid, and its refusals blamed the tables ("the table was altered
 * in between", "the later state is older") where the files may be of two databases. Said now: in the
 * refusal's line, and beside a comparison (even with --quiet, as scan and log say it).
 *
 * REAL files: FinancialCrm's full backup (dbo.Categories: CategoryId, CategoryName) and a MODIFIED
 * copy of NORTHWND.MDF (another database, whose dbo.Categories has 4 columns), written to a temp dir
 * with its page 0's slot count set to 0, so its file header record (the binding id) cannot be read;
 * the rest of the file is untouched (NORTHWND.MDF carries no page checksums).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { readSourceIdentity } from '../../src/recover/source-identity.js';

const cli = captureCli();
let dir: string;
let mdf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-diff-identity-'));
  const b = Buffer.from(readFileSync(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF')));
  b.writeUInt16LE(0, 22); // page 0's header: slotCount
  mdf = join(dir, 'NORTHWND.MDF');
  writeFileSync(mdf, b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOTE = 'its binding id could not be read (damaged page 0), so rowback could not check that it belongs to the same database as the other files';

describeCorpus('diff: a file whose database could not be checked is said', () => {
  const FC = () => corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');

  it('the modified copy has no readable binding id (the original has one): the check leaves it out', async () => {
    expect((await readSourceIdentity(mdf, 'mdf')).bindingId).toBeNull();
    expect((await readSourceIdentity(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), 'mdf')).bindingId).toBe('D1994785-281D-4F7B-9B69-A8FE8CD18805');
  });

  it('a refusal blaming the tables says, in its one line, that the files\' database was not checked', async () => {
    const altered = expectOneLineError(await cli('diff', '--bak', FC(), '--after-mdf', mdf, '--table', 'dbo.Categories', '--accept-older-later', '--quiet'), 'SCHEMA_TABLE_CHANGED');
    expect(altered).toContain('the table was altered in between');
    expect(altered).toContain(`; note: ${mdf}: ${NOTE}`);
    const older = expectOneLineError(await cli('diff', '--bak', FC(), '--after-mdf', mdf, '--table', 'dbo.Categories'), 'INPUT_BAD_WINDOW');
    expect(older).toContain(`; note: ${mdf}: ${NOTE}`);
  });

  it('the files whole: the same refusal names no unchecked file', async () => {
    const r = await cli('diff', '--bak', FC(), '--after-mdf', corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), '--table', 'dbo.Categories');
    expect(expectOneLineError(r, 'INPUT_MIXED_DATABASES')).not.toContain(NOTE);
  });
});
