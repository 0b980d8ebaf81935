import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { detectFileKind, inspectFile, renderText } from '../../src/cli/commands/inspect.js';
import { main } from '../../src/cli/main.js';

function corpusFiles(re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (re.test(f)) out.push(p);
    }
  };
  walk(CORPUS_DIR);
  return out.sort();
}

describe('inspect: unknown files', () => {
  it('a missing file → INPUT_FILE_UNREADABLE', () => {
    expect(() => detectFileKind('/nonexistent/rowback.bak')).toThrow(expect.objectContaining({ code: 'INPUT_FILE_UNREADABLE' }));
  });
  it('a file of no known kind → INPUT_UNKNOWN_FILE_KIND naming it', () => {
    expect(() => detectFileKind(new URL(import.meta.url).pathname)).toThrow(expect.objectContaining({ code: 'INPUT_UNKNOWN_FILE_KIND' }));
  });
});

describeCorpus('inspect on every corpus backup, log and data file', () => {
  afterEach(() => vi.restoreAllMocks());

  it('every .bak/.trn: backup header, files, and the log inside', async () => {
    const files = corpusFiles(/\.(bak|trn)$/i);
    expect(files.length).toBe(16);
    for (const f of files) {
      const r = await inspectFile(f);
      expect(r.kind, f).toBe('backup');
      if (r.kind !== 'backup') continue;
      expect(r.header.databaseVersion).toBe(661);
      expect(r.log.skipped, f).toEqual([]);
      if (r.header.backupType === 'log') expect(r.dataPages).toBeNull();
      else {
        expect(r.dataPages!.pages, f).toBeGreaterThan(0);
        // The boot page inside the backup agrees with the backup header.
        expect(r.dataPages!.bootPage?.version, f).toBe(r.header.databaseVersion);
      }
      // Every backup but the empty tail log backup holds log records inside its LSN range.
      if (r.header.firstLsn.decimal !== r.header.lastLsn.decimal) {
        expect(r.log.records, f).toBeGreaterThan(0);
        expect(r.log.firstLsn! >= r.header.firstLsn.lsn.slice(0, 17), f).toBe(true);
      }
      expect(renderText(r)).toContain(r.header.databaseName);
    }
  });

  it('every .ldf: VLFs, LSN range, counts by operation; the SQL 2000 log lists its VLFs and says why records are not decoded', async () => {
    const files = corpusFiles(/\.ldf$/i);
    expect(files.length).toBe(6);
    for (const f of files) {
      const r = await inspectFile(f);
      expect(r.kind, f).toBe('log');
      if (r.kind !== 'log') continue;
      expect(r.vlfs.length, f).toBeGreaterThanOrEqual(3);
      if (/NORTHWND\.LDF$/.test(f)) {
        expect(r.logFormatVersion).toBe(2);
        expect(r.unsupported?.code).toBe('FORMAT_UNSUPPORTED_LOG_VERSION');
        expect(r.log).toBeNull();
        continue;
      }
      expect(r.logFormatVersion === 4 || r.logFormatVersion === 5, f).toBe(true);
      expect(r.log!.records, f).toBeGreaterThan(0);
      expect(r.log!.skipped, f).toEqual([]);
      expect(r.log!.countsByOperation.LOP_BEGIN_XACT, f).toBeGreaterThan(0);
      expect(r.vlfs.filter((v) => v.status === 'current').length).toBe(1);
      expect(r.log!.firstLsn! < r.log!.lastLsn!).toBe(true);
    }
    const nw = await inspectFile(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'));
    expect(nw.kind === 'log' && nw.log!.countsByOperation).toMatchObject({ LOP_INSERT_ROWS: 9517, LOP_DELETE_ROWS: 1878 });
  });

  it('every .mdf: version, database name and tables with row counts', async () => {
    const files = corpusFiles(/\.mdf$/i);
    expect(files.length).toBe(5);
    for (const f of files) {
      const r = await inspectFile(f);
      expect(r.kind, f).toBe('data-file');
      if (r.kind !== 'data-file') continue;
      expect([655, 661, 706, 782, 852, 869]).toContain(r.version);
      expect(r.name.length, f).toBeGreaterThan(0);
      expect(r.tables.length, f).toBeGreaterThan(0);
    }
    const ng = await inspectFile(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    expect(ng.kind === 'data-file' && ng.tables.map((t) => [t.name, t.rows]).sort()).toEqual([['dbo.Employee', 4], ['dbo.tblDept', 8]]);
    expect(ng.kind === 'data-file' && ng.version).toBe(706);
  });

  it('the CLI prints JSON on stdout', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
    const code = await main(['inspect', corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean_2.trn'), '--format', 'json', '--quiet']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.kind).toBe('backup');
    expect(j.header.firstLsn.decimal).toBe('25000000015300001');
    expect(j.log.countsByOperation.LOP_INSERT_ROWS).toBe(10);
    expect(relative(CORPUS_DIR, j.file)).toBe('appveyor-lab/RestoreTimeClean/RestoreTimeClean_2.trn');
  });
});
