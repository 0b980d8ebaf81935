/**
 * scan --format csv's note names the `--table` to give for a column per value: each as a word a
 * shell passes unchanged (util/shell-word.ts shellWord). `--table dbo.[Contact Info]` pasted bare is
 * two words (`dbo.[Contact` and `Info]`) in every shell, and a bracket is a glob (zsh refuses it:
 * "no matches found"); it is now `--table 'dbo.[Contact Info]'` in a POSIX shell. A regular name
 * stays bare. SYNTHETIC log (test/support/synthetic-contact.ts) and --ddl.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shellWord } from '../../src/util/shell-word.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, narrowContactWork } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { shellWordsOf } from '../support/shell-words.js';

const cli = captureCli();

it("the note's --table of a name holding a space is one shell word", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-csv-words-'));
  const ldf = join(dir, 'contact.ldf');
  writeSyntheticLdf(ldf, { ...narrowContactWork(), targetBytes: 512 * 1024 }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
  const ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.[Contact Info] (ContactId int NULL, Name nvarchar(100) NULL);\nCREATE TABLE dbo.Other (Id int NULL);\n');
  const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', `dbo.[Contact Info]=${CONTACT_AU}`, '--alloc-unit', 'dbo.Other=1', '--table', 'dbo.[Contact Info]', '--table', 'dbo.Other', '--format', 'csv', '--out', join(dir, 'rows.csv'));
  expect(r.code, r.stderr).toBe(0);
  const note = r.stderr.split('\n').find((l) => l.includes('scan one table at a time'));
  expect(note).toBeDefined();
  expect(note).toContain(`--table ${shellWord('dbo.[Contact Info]')}`);
  if (process.platform !== 'win32') expect(note).toContain("--table 'dbo.[Contact Info]'");
  expect(note).not.toContain('--table dbo.[Contact Info]');
});

it("the note's --table of a name holding a line break or U+2028 names that table when pasted (not its escaped display form)", async () => {
  if (process.platform === 'win32') return;
  // a `--ddl` table named with a line break (CREATE TABLE takes any character in brackets): the note
  // printed `--table 'dbo.[Contact\u{a}Info]'` (identifierText's display form, quoted), which pasted
  // named the table `Contact\u{a}Info`, not this one
  for (const [i, name] of ['Contact\nInfo', 'Contact\u2028Info'].entries()) {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-csv-words-'));
    const ldf = join(dir, 'contact.ldf');
    writeSyntheticLdf(ldf, { ...narrowContactWork(), targetBytes: 512 * 1024 }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
    const ddl = join(dir, 'contact.sql');
    writeFileSync(ddl, `CREATE TABLE dbo.[${name}] (ContactId int NULL, Name nvarchar(100) NULL);\nCREATE TABLE dbo.Other (Id int NULL);\n`);
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', `dbo.[${name}]=${CONTACT_AU}`, '--alloc-unit', 'dbo.Other=1', '--table', `dbo.[${name}]`, '--table', 'dbo.Other', '--format', 'csv', '--out', join(dir, 'rows.csv'));
    expect(r.code, r.stderr).toBe(0);
    const note = r.stderr.split('\n').find((l) => l.includes('scan one table at a time'));
    expect(note, r.stderr).toBeDefined();
    const word = /--table ("\$\(printf '[^']*'\)"|'[^']*'|\S+?)(?:,|$)/.exec(note!.slice(note!.indexOf('--table')))?.[1];
    expect(word, note).toBeDefined();
    expect(shellWordsOf(word!, 'sh'), `${i}: ${note}`).toEqual([`dbo.[${name}]`]);
    expect(shellWordsOf(word!, 'bash'), `${i}: ${note}`).toEqual([`dbo.[${name}]`]);
    // followed: one table's rows, a column per value
    const one = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', `dbo.[${name}]=${CONTACT_AU}`, '--alloc-unit', 'dbo.Other=1', '--table', shellWordsOf(word!)[0]!, '--format', 'csv', '--out', join(dir, 'one.csv'));
    expect(one.code, one.stderr).toBe(0);
    expect(readFileSync(join(dir, 'one.csv'), 'utf8').trim().split('\n').length, one.stderr).toBeGreaterThan(1);
  }
});
