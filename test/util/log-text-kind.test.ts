/**
 * Log records as text where rowback expected a SQL Server file or its own export: a plain fn_dblog
 * result (SSMS's saved grid, sqlcmd's columns, FOR JSON) is named as one, with what to do instead;
 * a rowback export given as --ldf/--mdf/--bak or to inspect/log is named, with `scan --export`.
 * Before: "is neither a rowback export JSON object nor a sectioned CSV export (no "{" found)" and
 * "not a SQL Server log file: no file header page (type 15)…", which left a DBA holding the grid
 * SSMS saved with no idea what rowback wanted. SYNTHETIC text files in fn_dblog's own column names.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { logTextHint, logTextKind } from '../../src/util/log-text-kind.js';
import { openExportStream } from '../../src/logreader/export/export-stream.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEADER = ['Current LSN', 'Operation', 'Context', 'Transaction ID', 'LogBlockGeneration', 'Tag Bits', 'AllocUnitId', 'Page ID', 'Slot ID', 'Description', 'RowLog Contents 0'];
const ROW = ['00000021:00000090:0002', 'LOP_DELETE_ROWS', 'LCX_MARK_AS_GHOST', '0000:000002e9', '0', '0x0000', '72057594043629568', '0001:00000050', '0', 'a, b', '0x300008000100000003000002'];
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

describe('logTextKind: bytes → kind', () => {
  it.each([
    ['SSMS "Save Results As" CSV (unquoted)', Buffer.from(`${HEADER.join(',')}\r\n${ROW.join(',')}\r\n`), 'fn_dblog'],
    ['tab-separated, with a UTF-8 BOM', Buffer.from(`\uFEFF${HEADER.join('\t')}\n${ROW.join('\t')}\n`), 'fn_dblog'],
    ['quoted CSV', Buffer.from(`${HEADER.map((h) => `"${h}"`).join(';')}\n`), 'fn_dblog'],
    ['UTF-16LE with its BOM (SSMS Unicode)', utf16(`${HEADER.join(',')}\r\n`), 'fn_dblog'],
    ['sqlcmd output: padded columns', Buffer.from(`Current LSN             Operation        Context\n----------------------- ---------------- -------\n`), 'fn_dblog'],
    ['FOR JSON output', Buffer.from('[{"Current LSN":"00000021:00000090:0002","Operation":"LOP_DELETE_ROWS"}]'), 'fn_dblog'],
    ['a rowback JSON export', Buffer.from('{"format":"rowback-export","version":1,"records":[]}'), 'rowback-export'],
    ['a rowback CSV export', Buffer.from('#rowback-export,1,csv\n#header\n'), 'rowback-export'],
    ['some other CSV', Buffer.from('id,name\n1,Smith\n'), null],
    ['a column merely containing the words', Buffer.from('OperationCurrent LSNs,x\n'), null],
    ['binary', Buffer.from([1, 15, 0, 0, 0xab, 0xff, 0x00]), null],
    ['empty', Buffer.alloc(0), null],
  ] as const)('%s', (_name, bytes, kind) => {
    expect(logTextKind(bytes)).toBe(kind);
  });
});

describe('the refusals name it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-text-kind-'));
  const grid = join(dir, 'fn_dblog.csv');
  writeFileSync(grid, `${HEADER.join(',')}\r\n${ROW.join(',')}\r\n`);
  const exp = join(dir, 'crm-export.csv');
  writeFileSync(exp, '#rowback-export,1,csv\n');
  const ddl = join(dir, 't.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL)');
  const cli = (...args: string[]) => new Promise<{ code: number; stderr: string }>((res) => execFile(process.execPath, [join(repo, 'bin', 'rowback.js'), ...args], (e, _o, stderr) => res({ code: (e as { code?: number } | null)?.code ?? 0, stderr })));

  it('logTextHint: the clause a "not a SQL Server file" refusal gets', () => {
    expect(logTextHint(grid)).toMatch(/^: it is a plain fn_dblog result \(its first line names fn_dblog's columns Current LSN, Operation, …, or is a record of them\), not a rowback export: .*sql\/export-log-records\.sql/);
    expect(logTextHint(exp)).toBe(`: it is a rowback export of log records (sql/export-log-records.sql), not a SQL Server file; read it with \`rowback scan --export ${exp}\``);
    expect(logTextHint(join(dir, 'missing'))).toBe('');
  });

  it('the export reader refuses a plain fn_dblog result, saying what it is and what to do', async () => {
    await expect(openExportStream(grid)).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', location: { file: grid, line: 1 }, message: expect.stringMatching(/^is a plain fn_dblog result .* run that script in the database .* `rowback scan --export`, or give rowback the \.ldf\/\.trn files themselves$/) });
  });

  it('CLI: scan --export, scan --ldf, scan --mdf, scan --bak and inspect say what the file is, on one line', async () => {
    const runs = [
      [['scan', '--export', grid], /^rowback: INPUT_BAD_EXPORT: is a plain fn_dblog result /],
      [['scan', '--ldf', grid, '--ddl', ddl, '--alloc-unit', '72057594043629568'], /^rowback: FORMAT_NOT_A_LOG_FILE: .*: it is a plain fn_dblog result /],
      [['inspect', grid], /^rowback: INPUT_UNKNOWN_FILE_KIND: .* log file \(file header \+ VLF 0xAB\): it is a plain fn_dblog result /],
      [['inspect', exp], /: it is a rowback export of log records \(sql\/export-log-records\.sql\), not a SQL Server file; read it with `rowback scan --export /],
      [['scan', '--bak', exp], /^rowback: FORMAT_NOT_A_BACKUP: .*: it is a rowback export of log records/],
      [['dump', '--mdf', grid, '--table', 'dbo.T'], /^rowback: INPUT_NOT_A_DATA_FILE: .*: it is a plain fn_dblog result /],
    ] as const;
    for (const [args, re] of runs) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  }, 60_000);
});
