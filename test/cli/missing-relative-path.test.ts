/**
 * A relative path that names no file is said with the folder it was looked for from. A newcomer in
 * a clone not beside `shared/` ran README's `scan --mdf ../shared/corpus/…` and read `no such file`
 * with no word of where rowback looked; a command run from the backups' folder with paths typed
 * from the checkout (or the other way round) reads the same. Every input refusal of a missing
 * path: `scan --mdf`, `log FILE`, `inspect FILE` (which said `X does not exist`), `decode --ddl`
 * (which said the bare errno, `cannot read X: ENOENT`), `restore plan --backups`. An absolute path
 * says nothing more. No file needed: the paths name nothing (relative ones from this process's
 * folder, the repository, under a folder that does not exist).
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';

const run = captureCli();
const missing = 'no-such-folder-missing-relative-path';
const advice = `(a relative path, looked for from ${process.cwd()}, the folder rowback was started in)`;

it.each([
  ['scan --mdf', ['scan', '--mdf', `${missing}/Database1.mdf`, '--ldf', `${missing}/Database1_log.ldf`], `--mdf ${missing}/Database1.mdf: no such file ${advice}`],
  ['log FILE', ['log', `${missing}/Database1_log.ldf`], `log file ${missing}/Database1_log.ldf: no such file ${advice}`],
  ['inspect FILE', ['inspect', `${missing}/pubs.bak`], `${missing}/pubs.bak: no such file ${advice}`],
  ['decode --ddl', ['decode', '--ddl', `${missing}/contact.sql`, '--hex', '0x00'], `cannot read ${missing}/contact.sql: no such file ${advice}`],
  ['restore plan --backups', ['restore', 'plan', '--backups', missing, '--stop-at', '2017-06-01 13:06', '--as', 'Side'], `--backups ${missing}: no such file or folder ${advice}`],
])('%s: a missing relative path names the folder it was looked for from', async (_, argv, said) => {
  expect(expectOneLineError(await run(...argv), 'INPUT_FILE_UNREADABLE')).toContain(`INPUT_FILE_UNREADABLE: ${said}`);
});

it('an absolute path is named as it is, nothing added', async () => {
  const line = expectOneLineError(await run('scan', '--mdf', `/${missing}/Database1.mdf`, '--ldf', `/${missing}/Database1_log.ldf`), 'INPUT_FILE_UNREADABLE');
  expect(line).toBe(`rowback: INPUT_FILE_UNREADABLE: --mdf /${missing}/Database1.mdf: no such file (file /${missing}/Database1.mdf)\n`);
});
