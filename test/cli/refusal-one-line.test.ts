/**
 * A refusal is one line on stderr whatever it names (AQ, session 50): a path holding a line break
 * (`--bak 'no<LF>such.bak'`) was named whole, so the refusal broke in two and its second line read
 * as a line of its own. Typed values went through echoInput; paths named whole did not. The CLI now
 * writes every refusal line through oneLineText (control characters as `\u{…}`, session 51: they were
 * `\uXXXX`, a second notation beside names' `\u{…}`). The file with a line break in its name is a
 * symbolic link to a REAL corpus log file (no bytes copied).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-one-line-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a refusal naming a path that holds a line break stays one line', () => {
  it('a --bak that does not exist: named with its line break as \\u{a}', async () => {
    const path = join(dir, 'no\nsuch.bak');
    const e = expectOneLineError(await cli('dump', '--bak', path, '--table', 'dbo.T'), 'INPUT_FILE_UNREADABLE');
    expect(e).toContain(`${join(dir, 'no')}\\u{a}such.bak`);
  });

  it('a log file given as --bak (REAL Database1_log.ldf, through a link named with a line break and a tab): one line, both written as \\u{…}', async () => {
    const path = join(dir, 'evidence\nrowback: note: all rows recovered\t.bak');
    symlinkSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), path);
    const e = expectOneLineError(await cli('dump', '--bak', path, '--table', 'dbo.Employee'), 'FORMAT_NOT_A_BACKUP');
    expect(e).toContain('evidence\\u{a}rowback: note: all rows recovered\\u{9}.bak');
    expect(e.startsWith('rowback: FORMAT_NOT_A_BACKUP: ')).toBe(true);
  });
});
