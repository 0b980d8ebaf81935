import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

const cli = captureCli();

// /dev/full accepts the open and fails every write with ENOSPC: a disk that fills up while a command
// writes its --out file. Every command crashed with an unhandled 'error' event (a Node stack trace,
// exit 1; `log` said INTERNAL: Cannot call end after a stream was destroyed).
(corpusAvailable && existsSync('/dev/full') ? describe : describe.skip)('--out on a full disk: one line naming the file, exit 2', () => {
  const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  it.each([
    ['scan ndjson', ['scan', '--mdf', mdf, '--ldf', ldf, '--quiet']],
    ['scan csv', ['scan', '--mdf', mdf, '--ldf', ldf, '--format', 'csv', '--quiet']],
    ['scan json', ['scan', '--mdf', mdf, '--ldf', ldf, '--format', 'json', '--quiet']],
    ['dump --all', ['dump', '--mdf', mdf, '--all', '--quiet']],
    ['log', ['log', ldf, '--quiet']],
    ['log csv', ['log', ldf, '--format', 'csv', '--quiet']],
  ])('%s', async (_name, argv) => {
    const r = await cli(...argv, '--out', '/dev/full');
    const line = expectOneLineError(r, 'INPUT_OUTPUT_UNWRITABLE');
    expect(line).toMatch(/^rowback: INPUT_OUTPUT_UNWRITABLE: --out \/dev\/full: writing failed: ENOSPC \(no space left on device\); the file holds only part of the result/);
    expect(r.code).toBe(2);
  });
  it('scan --report on a full disk: one line, the rows said written, exit 2 (was INTERNAL, no file named)', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--quiet', '--report', '/dev/full');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rowback: INPUT_OUTPUT_UNWRITABLE: --report /dev/full: writing failed: ENOSPC (no space left on device); the 16 row(s) were written, the report was not: free space or give another --report, and run the scan again (file /dev/full)\n');
  });
  // scan and log say INCOMPLETE after writing the report: its error replaced that line, and "the 20
  // row(s) were written to rows.ndjson, the report was not" of a chain with a log backup left out
  // read as the whole result. REAL files: RestoreTimeClean, RestoreTimeClean_2.trn left out.
  it.each([
    ['scan', (b: (f: string) => string) => ['scan', '--bak', b('RestoreTimeClean.bak'), '--trn', b('RestoreTimeClean_1.trn'), b('RestoreTimeClean_3.trn'), '--op', 'insert', '--quiet'], 'the 20 row(s) were written'],
    ['log', (b: (f: string) => string) => ['log', b('RestoreTimeClean_1.trn'), b('RestoreTimeClean_3.trn'), '--quiet'], 'the 257 record(s) were written'],
  ])('%s --report on a full disk with a result that is not whole: the line says INCOMPLETE', async (_name, argv, written) => {
    const b = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
    const r = await cli(...argv(b), '--out', '/dev/null', '--report', '/dev/full');
    expect(r.code).toBe(2);
    const line = expectOneLineError(r, 'INPUT_OUTPUT_UNWRITABLE');
    expect(line).toContain(`${written} to /dev/null (not the whole result: INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP)`);
  });
  it('scan --report on a full disk with rows carrying warnings: the line says so (its "N of the N row(s) carry warnings" came after)', async () => {
    const c = (f: string) => corpusPath('CRUD-.NET/App_Data', f);
    const r = await cli('scan', '--mdf', c('Database2.mdf'), '--ldf', c('Database2_log.ldf'), '--op', 'insert', '--quiet', '--out', '/dev/null', '--report', '/dev/full');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_OUTPUT_UNWRITABLE')).toContain('the 9 row(s) were written to /dev/null (doubtful: 9 row(s) carry warnings (each in its "warnings")), the report was not');
  });
});
