import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A 0-byte file (a copy or download that never got its bytes) given as a backup, log, data file,
 * catalog or script: one line saying it is empty, naming the flag and the file (INPUT_EMPTY_FILE,
 * exit 2), in every command that opens files. It was read as a file of the wrong kind: "not a
 * Microsoft Tape Format backup", "does not start with a SQL Server file header page", "is not
 * JSON", "defines no table", "no backup files under …".
 */
const cli = captureCli();
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const BAK = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak');
let dir = '';
const E = (name: string) => join(dir, name);

describeCorpus('an empty (0-byte) input file', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-empty-'));
    for (const n of ['e.mdf', 'e.ldf', 'e.bak', 'e.trn', 'e.json', 'e.sql']) writeFileSync(join(dir, n), '');
    mkdirSync(join(dir, 'backups'));
    writeFileSync(join(dir, 'backups', 'db_full.bak'), '');
  });

  it.each([
    ['scan --mdf', () => ['scan', '--mdf', E('e.mdf'), '--ldf', LDF], '--mdf', 'e.mdf'],
    ['scan --ldf', () => ['scan', '--mdf', MDF, '--ldf', E('e.ldf')], '--ldf', 'e.ldf'],
    ['scan --bak', () => ['scan', '--bak', E('e.bak'), '--trn', corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')], '--bak', 'e.bak'],
    ['scan --trn', () => ['scan', '--bak', BAK, '--trn', E('e.trn')], '--trn', 'e.trn'],
    ['scan --schema', () => ['scan', '--ldf', LDF, '--schema', E('e.json')], '--schema', 'e.json'],
    ['scan --ddl', () => ['scan', '--ldf', LDF, '--ddl', E('e.sql')], '--ddl', 'e.sql'],
    ['scan --export', () => ['scan', '--export', E('e.json')], '--export', 'e.json'],
    ['dump --mdf', () => ['dump', '--mdf', E('e.mdf'), '--all'], '--mdf', 'e.mdf'],
    ['dump --bak', () => ['dump', '--bak', E('e.bak'), '--all'], '--bak', 'e.bak'],
    ['dump --trn (point in time)', () => ['dump', '--bak', BAK, '--trn', E('e.trn'), '--stop-at', '2017-06-01T13:01', '--table', 'dbo.steps'], '--trn', 'e.trn'],
    ['log FILE', () => ['log', E('e.ldf')], 'log file', 'e.ldf'],
    ['log --mdf', () => ['log', LDF, '--mdf', E('e.mdf')], '--mdf', 'e.mdf'],
    ['log --bak', () => ['log', LDF, '--bak', E('e.bak')], '--bak', 'e.bak'],
    ['inspect', () => ['inspect', E('e.bak')], '', 'e.bak'],
    ['decode --ddl', () => ['decode', '--ddl', E('e.sql'), '--hex', '0x30'], '--ddl', 'e.sql'],
    ['decode --schema', () => ['decode', '--schema', E('e.json'), '--hex', '0x30'], '--schema', 'e.json'],
    ['log --schema', () => ['log', LDF, '--schema', E('e.json')], '--schema', 'e.json'],
    ['diff --bak', () => ['diff', '--bak', E('e.bak'), '--after-mdf', MDF, '--table', 'dbo.steps'], '--bak', 'e.bak'],
    ['restore plan --backups FILE', () => ['restore', 'plan', '--backups', E('e.bak'), '--stop-at', '2017-06-01T13:20', '--as', 'X'], '--backups', 'e.bak'],
  ])('%s: INPUT_EMPTY_FILE naming it', async (_what, args, flag, name) => {
    const r = await cli(...(args as () => string[])());
    const line = expectOneLineError(r, 'INPUT_EMPTY_FILE');
    expect(r.code).toBe(2);
    expect(line).toContain(`${flag ? `${flag} ` : ''}${E(name as string)} is empty (0 bytes)`);
    expect(line).toContain(`(file ${E(name as string)})`);
  });

  it('restore plan over a folder whose only backup file is empty: says so, naming it (it said only "no backup files under …")', async () => {
    const r = await cli('restore', 'plan', '--backups', join(dir, 'backups'), '--stop-at', '2017-06-01T13:20', '--as', 'X');
    const line = expectOneLineError(r, 'INPUT_EMPTY_FILE');
    expect(line).toContain(`empty (0 bytes): ${join(dir, 'backups', 'db_full.bak')}`);
  });
});
