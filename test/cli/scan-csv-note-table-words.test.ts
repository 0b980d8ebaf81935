/**
 * scan --format csv's note names the `--table` to give for a column per value: each as a word a
 * shell passes unchanged (cli/command-line.ts shellWord). `--table dbo.[Contact Info]` pasted bare is
 * two words (`dbo.[Contact` and `Info]`) in every shell, and a bracket is a glob (zsh refuses it:
 * "no matches found"); it is now `--table 'dbo.[Contact Info]'` in a POSIX shell. A regular name
 * stays bare. SYNTHETIC log (test/support/synthetic-contact.ts) and --ddl.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shellWord } from '../../src/cli/command-line.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, narrowContactWork } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

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
