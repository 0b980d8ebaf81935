import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError, FormatError, InputError, SchemaError, SourceError } from '../../src/errors.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

it('exit codes follow README: bad input (INPUT/FORMAT/SCHEMA/DECODE) 2, the rest 1', () => {
  expect([new InputError('X', 'm'), new FormatError('X', 'm'), new SchemaError('X', 'm'), new DecodeError('X', 'm')].map((e) => e.exitCode)).toEqual([2, 2, 2, 2]);
  expect(new SourceError('X', 'm').exitCode).toBe(1);
});

describeCorpus('ordinary mistakes get one clear line before any work starts', () => {
  const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const dir = mkdtempSync(join(tmpdir(), 'rowback-mistakes-'));

  it.each([
    ['scan --out into a missing folder', ['scan', '--mdf', mdf, '--ldf', ldf, '--out', join(dir, 'nope', 'x.ndjson')], 'INPUT_OUTPUT_UNWRITABLE', /does not exist/],
    ['scan --out a directory', ['scan', '--mdf', mdf, '--ldf', ldf, '--out', dir], 'INPUT_OUTPUT_UNWRITABLE', /is a directory/],
    ['scan --report into a missing folder', ['scan', '--mdf', mdf, '--ldf', ldf, '--report', join(dir, 'nope', 'r.json')], 'INPUT_OUTPUT_UNWRITABLE', /--report/],
    ['scan --ldf given twice (the first log was dropped without a word)', ['scan', '--mdf', mdf, '--ldf', corpusPath('sql-practice-asp/App_Data/School_Log.ldf'), '--ldf', ldf], 'INPUT_BAD_OPTION', /--ldf is given more than once \('[^']*School_Log\.ldf', then '[^']*Database1_log\.ldf'\); it takes one value: give it once$/m],
    ['scan --mdf: the same file twice (--mdf takes the .mdf and its .ndf files)', ['scan', '--mdf', mdf, '--mdf', mdf, '--ldf', ldf], 'INPUT_BAD_OPTION', /Database1\.mdf is given more than once: give each data file of the database once/],
    ['scan --table "" (an unset variable meant every table)', ['scan', '--mdf', mdf, '--ldf', ldf, '--table', ''], 'INPUT_BAD_OPTION', /--table is given an empty value \(''\); it needs one/],
    ['scan --table "," (a list naming no table)', ['scan', '--mdf', mdf, '--ldf', ldf, '--table', ','], 'INPUT_BAD_OPTION', /--table ',' names no table/],
    ['scan --from "" (was ignored)', ['scan', '--mdf', mdf, '--ldf', ldf, '--from', ''], 'INPUT_BAD_OPTION', /--from is given an empty value \(''\); it needs one/],
    ['scan --bak a differential: give the full backup first (scan takes --bak FULL DIFF now)', ['scan', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean2.bak')], 'INPUT_DIFFERENTIAL_WITHOUT_FULL', /give it first \(--bak FULL\.bak [^)]*RestoreTimeClean2\.bak\)/],
    ['scan --bak one stripe: give every stripe (scan takes them now)', ['scan', '--bak', corpusPath('Northwind-stripe/Northwind.bak'), '--ddl', corpusPath('northwind-script/instnwnd.sql')], 'FORMAT_INCOMPLETE_MEDIA_SET', /A stripe holds only part of the extents: give every stripe of the media set \(--bak a\.bak b\.bak\)/],
    ['log --bak a differential: give the full backup first (log takes --bak FULL DIFF now, as scan)', ['log', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean2_1.trn'), '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean2.bak')], 'INPUT_DIFFERENTIAL_WITHOUT_FULL', /and is based on that full backup; give it first \(--bak FULL\.bak [^)]*RestoreTimeClean2\.bak\) \(file /],
    ['log --bak one stripe: give every stripe (log takes them now, as scan)', ['log', corpusPath('Northwind-stripe/Northwind.bak'), '--bak', corpusPath('Northwind-stripe/Northwind.bak')], 'FORMAT_INCOMPLETE_MEDIA_SET', /A stripe holds only part of the extents: give every stripe of the media set \(--bak a\.bak b\.bak\)/],
    ['log listing one stripe of a striped backup: no advice to give every stripe (no command joins stripes for the log)', ['log', corpusPath('Northwind-stripe/Northwind.bak')], 'FORMAT_INCOMPLETE_MEDIA_SET', /A stripe holds only part of the extents: rowback does not read a striped backup's log yet \(it may be spread over the stripes\); `rowback dump --bak a\.bak b\.bak …` reads its pages with every stripe \(file /],
    ['dump --bak one stripe: dump takes every stripe, and says so', ['dump', '--bak', corpusPath('Northwind-stripe/Northwind.bak'), '--all'], 'FORMAT_INCOMPLETE_MEDIA_SET', /A stripe holds only part of the extents: give every stripe of the media set \(--bak a\.bak b\.bak\)/],
    ['diff --after-bak a differential alone: give its full backup first with --after-bak (--bak is the earlier state)', ['diff', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--after-bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean2.bak'), '--table', 'dbo.steps'], 'INPUT_DIFFERENTIAL_WITHOUT_FULL', /; give it first \(--after-bak FULL\.bak [^)]*RestoreTimeClean2\.bak\) \(file [^;]*$/],
    ['scan --mdf a backup: named as a backup, with where it goes (said only that it lacked a file header page)', ['scan', '--mdf', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--trn', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn')], 'INPUT_NOT_A_DATA_FILE', /RestoreTimeClean\.bak is a backup \(starts with TAPE\), not a data file \(\.mdf\/\.ndf\): give a full or differential backup with --bak, a log backup with --trn \(file /],
    ['dump --mdf a compressed backup: named as a backup', ['dump', '--mdf', corpusPath('TSQLV4-compressed/TSQLV4.bak'), '--all'], 'INPUT_NOT_A_DATA_FILE', /TSQLV4\.bak is a backup \(starts with MSSQLBAK\), not a data file/],
    ['dump --bak a differential alone: give the full backup first', ['dump', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean2.bak'), '--all'], 'INPUT_DIFFERENTIAL_WITHOUT_FULL', /; give it first \(--bak FULL\.bak [^)]*RestoreTimeClean2\.bak\) \(file [^;]*$/],
    ['scan --from with fn_dblog\'s time unquoted (the space split it): says to quote it', ['scan', '--mdf', mdf, '--ldf', ldf, '--from', '2018/08/26', '21:19:07:573'], 'INPUT_BAD_OPTION', /too many arguments for 'scan': '21:19:07:573' \(it takes no arguments\): --from 2018\/08\/26 21:19:07:573 is one time with a space in it: quote it/],
    // the hint was given for fn_dblog's form to --from/--to only: the help's own `YYYY-MM-DD HH:MM` and every --stop-at got a bare "too many arguments"
    ['scan --from with the help\'s `YYYY-MM-DD HH:MM` unquoted: says to quote it', ['scan', '--mdf', mdf, '--ldf', ldf, '--from', '2018-08-29', '16:00', '--to', '2018-08-30'], 'INPUT_BAD_OPTION', /too many arguments for 'scan': '16:00' \(it takes no arguments\): --from 2018-08-29 16:00 is one time with a space in it: quote it \(--from '2018-08-29 16:00'\)/],
    ['restore plan --stop-at unquoted: says to quote it', ['restore', 'plan', '--backups', corpusPath('appveyor-lab/RestoreTimeClean'), '--stop-at', '2017-06-01', '13:20', '--as', 'X'], 'INPUT_BAD_OPTION', /too many arguments for 'plan': '13:20' \(it takes no arguments\): --stop-at 2017-06-01 13:20 is one time with a space in it: quote it \(--stop-at '2017-06-01 13:20'\)/],
    ['dump --stop-at=DATE TIME unquoted: says to quote it', ['dump', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--trn', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn'), '--table', 'dbo.steps', '--stop-at=2017/06/01', '13:01:00:000'], 'INPUT_BAD_OPTION', /: --stop-at 2017\/06\/01 13:01:00:000 is one time with a space in it: quote it \(--stop-at '2017\/06\/01 13:01:00:000'\)/],
    ['dump --out into a missing folder', ['dump', '--mdf', mdf, '--table', 'dbo.Employee', '--out', join(dir, 'nope', 'x')], 'INPUT_OUTPUT_UNWRITABLE', /--out/],
    ['inspect a directory', ['inspect', dir], 'INPUT_FILE_UNREADABLE', /a directory/],
    ['inspect /dev/null', ['inspect', '/dev/null'], 'INPUT_FILE_UNREADABLE', /a device/],
    ['dump --mdf a directory', ['dump', '--mdf', dir, '--table', 'dbo.T'], 'INPUT_FILE_UNREADABLE', /--mdf .*a directory/],
    ['scan --mdf /dev/null says a device (not EISDIR)', ['scan', '--mdf', '/dev/null', '--ldf', ldf], 'INPUT_FILE_UNREADABLE', /--mdf \/dev\/null: a device \(/],
    ['scan --ldf a directory says a directory', ['scan', '--mdf', mdf, '--ldf', dir], 'INPUT_FILE_UNREADABLE', /--ldf [^:]*: a directory \(/],
    ['log /dev/null says a device', ['log', '/dev/null'], 'INPUT_FILE_UNREADABLE', /\/dev\/null: a device \(/],
    ['scan with --mdf and --ldf swapped names the log file as such (not as a secondary data file)', ['scan', '--mdf', ldf, '--ldf', mdf], 'INPUT_NOT_A_DATA_FILE', /Database1_log\.ldf is a transaction log file .*not a data file .*--ldf/],
    ['dump --mdf a log file', ['dump', '--mdf', ldf, '--all'], 'INPUT_NOT_A_DATA_FILE', /is a transaction log file/],
    ['scan --mdf DB.mdf DB_log.ldf (the log listed among the data files: it was taken as data file 2)', ['scan', '--mdf', mdf, ldf, '--ldf', ldf], 'INPUT_NOT_A_DATA_FILE', /Database1_log\.ldf is a transaction log file .*not a data file/],
    ['scan with a log file of another database (its page 0 still read as a log file\'s: binding ids compared)', ['scan', '--mdf', mdf, '--ldf', corpusPath('sql-practice-asp/App_Data/School_Log.ldf')], 'INPUT_MIXED_DATABASES', /School_Log\.ldf belong to different databases/],
    ['scan --ldf a log backup points to --trn', ['scan', '--mdf', mdf, '--ldf', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn')], 'FORMAT_NOT_A_LOG_FILE', /it is a backup \(starts with TAPE\); give a log backup with --trn/],
    ['scan --ldf a compressed backup points to --trn/--bak', ['scan', '--mdf', mdf, '--ldf', corpusPath('TSQLV4-compressed/TSQLV4.bak')], 'FORMAT_NOT_A_LOG_FILE', /starts with MSSQLBAK.*--bak/],
    ['scan --trn a log file points to --ldf', ['scan', '--mdf', mdf, '--trn', ldf], 'FORMAT_NOT_A_BACKUP', /it is a SQL Server transaction log file \(\.ldf\), not a backup; `rowback scan --ldf` and `rowback log` read it/],
    ['scan --bak a data file points to --mdf', ['scan', '--bak', mdf, '--ldf', ldf], 'FORMAT_NOT_A_BACKUP', /it is a SQL Server data file \(\.mdf\/\.ndf\), not a backup; give it with --mdf/],
    // dump has no --ldf: it was told "give a log file with --ldf" (and which of the two the file is was left open)
    ['dump --trn a log file says what it is and that replay needs log backups', ['dump', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--trn', ldf, '--table', 'dbo.steps', '--stop-at', '2017-06-01T13:00'], 'FORMAT_NOT_A_BACKUP', /it is a SQL Server transaction log file \(\.ldf\), not a backup; .*\(point-in-time replay needs log backups\)/],
    ['diff --key with an empty name (not silently the clustered key)', ['diff', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--after-bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--table', 'dbo.steps', '--key', ''], 'INPUT_BAD_OPTION', /--key is given an empty value/],
    ['diff --key with only commas', ['diff', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--after-bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--table', 'dbo.steps', '--key', ','], 'INPUT_BAD_OPTION', /--key ',' must be/],
    ['diff --key naming a column twice', ['diff', '--bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--after-bak', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak'), '--table', 'dbo.steps', '--key', 'step,step'], 'INPUT_BAD_OPTION', /step twice/],
  ])('%s', async (_, argv, code, re) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, code)).toMatch(re);
  });

  it('an output path that is one of the inputs (or the other output) is refused before anything is written: the evidence is never overwritten', async () => {
    const { copyFileSync, linkSync, symlinkSync, statSync } = await import('node:fs');
    // writable copies: the corpus files stay untouched whatever happens
    const m = join(dir, 'clash.mdf');
    const l = join(dir, 'clash_log.ldf');
    copyFileSync(mdf, m);
    copyFileSync(ldf, l);
    const hard = join(dir, 'clash-hard.ldf');
    linkSync(l, hard);
    const soft = join(dir, 'clash-soft.mdf');
    symlinkSync(m, soft);
    const sizes = () => [statSync(m).size, statSync(l).size];
    const before = sizes();
    const cases: Array<[string[], RegExp]> = [
      [['scan', '--mdf', m, '--ldf', l, '--out', l], /--out .*clash_log\.ldf is the file given as --ldf/],
      [['scan', '--mdf', m, '--ldf', l, '--report', m], /--report .*clash\.mdf is the file given as --mdf/],
      [['scan', '--mdf', m, '--ldf', l, '--out', hard], /is the file given as --ldf/],
      [['scan', '--mdf', m, '--ldf', l, '--out', soft], /is the file given as --mdf/],
      [['scan', '--mdf', m, '--ldf', l, '--out', join(dir, '.', 'clash_log.ldf')], /is the file given as --ldf/],
      [['scan', '--mdf', m, '--ldf', l, '--out', join(dir, 'same.out'), '--report', join(dir, 'same.out')], /is also given as --out/],
      [['dump', '--mdf', m, '--table', 'dbo.Employee', '--out', m], /--out .* is the file given as --mdf/],
      [['log', l, '--out', l], /--out .* is the file given as an input/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(expectOneLineError(r, 'INPUT_OUTPUT_IS_INPUT')).toMatch(re);
      expect(sizes()).toEqual(before);
    }
    // still scans when the outputs are elsewhere
    const ok = await cli('scan', '--mdf', m, '--ldf', l, '--out', join(dir, 'fine.ndjson'), '--report', join(dir, 'fine.json'));
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'fine.ndjson'), 'utf8').trim().split('\n')).toHaveLength(16);
  });

  it('inspect a FIFO is refused at once (opening it would block)', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await cli('inspect', fifo);
    expect(expectOneLineError(r, 'INPUT_FILE_UNREADABLE')).toMatch(/FIFO/);
  });

  it('a command refused before it has anything to write leaves earlier results at --out and --report as they were', async () => {
    const out = join(dir, 'earlier.ndjson');
    const report = join(dir, 'earlier-report.json');
    const csv = join(dir, 'earlier.csv');
    const reset = () => {
      writeFileSync(out, 'rows of an earlier scan\n');
      writeFileSync(report, '{"earlier": true}');
      writeFileSync(csv, 'a,b\n');
    };
    const failures: [string[], string][] = [
      [['scan', '--mdf', mdf, '--ldf', join(dir, 'missing_log.ldf'), '--out', out, '--report', report], 'INPUT_FILE_UNREADABLE'],
      [['scan', '--mdf', mdf, '--ldf', ldf, '--table', 'dbo.Nope', '--out', out, '--report', report], 'INPUT_UNKNOWN_TABLE'],
      [['dump', '--mdf', mdf, '--table', 'dbo.Nope', '--out', csv], 'INPUT_UNKNOWN_TABLE'],
    ];
    for (const [args, code] of failures) {
      reset();
      expectOneLineError(await cli(...args), code);
      expect([readFileSync(out, 'utf8'), readFileSync(report, 'utf8'), readFileSync(csv, 'utf8')]).toEqual(['rows of an earlier scan\n', '{"earlier": true}', 'a,b\n']);
    }
    // and one that runs replaces them
    reset();
    const ok = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--quiet', '--out', out, '--report', report);
    expect(ok.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(16);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ rows: 16, complete: true });
  });

  it('nothing is written when the report path is refused', async () => {
    writeFileSync(join(dir, 'keep.txt'), 'x');
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--report', join(dir, 'keep.txt', 'r.json'));
    expectOneLineError(r, 'INPUT_OUTPUT_UNWRITABLE');
  });
});

describe('a command group run without its command', () => {
  it('restore and token alone, or with an unknown command, are one line naming the commands (not the whole help), exit 2', async () => {
    let r = await cli('restore');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe('rowback: INPUT_BAD_OPTION: rowback restore needs a command: plan, run (see rowback restore --help)\n');
    r = await cli('token');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe('rowback: INPUT_BAD_OPTION: rowback token needs a command: create, list, revoke (see rowback token --help)\n');
    r = await cli('restore', 'plna');
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toContain("rowback restore: unknown command 'plna'; give one of: plan, run");
  });

  it('a folder given to restore plan without --backups is a stray argument, refused (it was ignored: "give exactly one of --backups …")', async () => {
    const r = await cli('restore', 'plan', '/backups', '--stop-at', '2017-06-01T13:05');
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: too many arguments for 'plan': '/backups' (it takes no arguments) (see rowback restore plan --help)\n");
    expect(expectOneLineError(await cli('token', 'list', 'extra'), 'INPUT_BAD_OPTION')).toContain("too many arguments for 'list'");
  });
});

describe('a usage mistake points at the --help that lists the options it is about', () => {
  it('names the command (and subcommand) given, not the top-level help that lists only commands', async () => {
    expect(expectOneLineError(await cli('restore', 'run', '--backups', '.', '--as', 'x', '--stop-at', '2017-06-01T13:05'), 'INPUT_BAD_OPTION'))
      .toBe("rowback: INPUT_BAD_OPTION: required option '--server <connection>' not specified (see rowback restore run --help)\n");
    expect(expectOneLineError(await cli('scan', '--bogus'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: unknown option '--bogus' (see rowback scan --help)\n");
    expect(expectOneLineError(await cli('token', 'create', 'x'), 'INPUT_BAD_OPTION')).toContain('(see rowback token create --help)');
    expect(expectOneLineError(await cli('bogus'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: unknown command 'bogus' (see rowback --help)\n");
  });
});

describe('an option taking one value, given twice', () => {
  it('is refused naming the option and both values (commander kept the last one silently); repeatable and multi-file options still repeat', async () => {
    const twice = async (...argv: string[]) => expectOneLineError(await cli(...argv), 'INPUT_BAD_OPTION');
    expect(await twice('log', 'a.ldf', '--mdf', 'one.mdf', '--mdf', 'two.mdf')).toBe("rowback: INPUT_BAD_OPTION: --mdf is given more than once ('one.mdf', then 'two.mdf'); it takes one value: give it once\n");
    expect(await twice('log', 'a.ldf', '--format', 'csv', '--format', 'ndjson')).toContain('--format is given more than once');
    expect(await twice('log', 'a.ldf', '--out', 'x', '--out', 'y')).toContain('--out is given more than once');
    expect(await twice('dump', '--mdf', 'a.mdf', '--all', '--position', '1', '--position', '2')).toContain('--position is given more than once');
    expect(await twice('dump', '--mdf', 'a.mdf', '--all', '--format', 'json', '--format', 'ndjson')).toContain('--format is given more than once');
    expect(await twice('inspect', 'a.bak', '--position', '1', '--position', '2')).toContain('--position is given more than once');
    expect(await twice('diff', '--bak', 'a.bak', '--after-mdf', 'b.mdf', '--table', 'dbo.A', '--table', 'dbo.B')).toContain("--table is given more than once ('dbo.A', then 'dbo.B')");
    expect(await twice('restore', 'plan', '--backups', 'd', '--stop-at', '2020-01-01', '--stop-at', '2021-01-01')).toContain('--stop-at is given more than once');
    // repeatable ones are not refused: the error is about the missing file, not the repeat
    const r = await cli('log', '/nonexistent/a.ldf', '--operation', 'DELETE_ROWS', '--operation', 'INSERT_ROWS', '--alloc-unit', '1', '--alloc-unit', '2');
    expect(expectOneLineError(r, 'INPUT_FILE_UNREADABLE')).not.toContain('more than once');
    // log --bak takes a list, as scan's and dump's: given twice, both are its files
    const l = await cli('log', '/nonexistent/a.ldf', '--bak', '/nonexistent/one.bak', '--bak', '/nonexistent/two.bak');
    expect(expectOneLineError(l, 'INPUT_FILE_UNREADABLE')).not.toContain('more than once');
    const d = await cli('dump', '--mdf', '/nonexistent/a.mdf', '--mdf', '/nonexistent/b.ndf', '--table', 'dbo.A', '--table', 'dbo.B');
    expect(expectOneLineError(d, 'INPUT_FILE_UNREADABLE')).not.toContain('more than once');
  });
});

describeCorpus('a data file given as the log', () => {
  it('scan --ldf Database1.mdf says it is a data file and to give it with --mdf (as a .trn given as --ldf says where it goes)', async () => {
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const line = expectOneLineError(await cli('scan', '--mdf', mdf, '--ldf', mdf), 'FORMAT_NOT_A_LOG_FILE');
    expect(line).toContain('no file header page (type 15) with a VLF header (0xAB) at 0x2000: it is a data file (.mdf/.ndf: a PFS page at 0x2000, where a log has its first VLF); give it with --mdf');
  });
});
