import { relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CORPUS_DIR, corpusFiles, corpusPath, describeCorpus } from '../support/corpus.js';
import { detectFileKind, inspectFile, renderText } from '../../src/cli/commands/inspect.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { captureCli } from '../support/cli.js';


describe('inspect: unknown files', () => {
  it('a missing file → INPUT_FILE_UNREADABLE', () => {
    expect(() => detectFileKind('/nonexistent/rowback.bak')).toThrow(expect.objectContaining({ code: 'INPUT_FILE_UNREADABLE' }));
  });
  it('a file of no known kind → INPUT_UNKNOWN_FILE_KIND naming it', () => {
    expect(() => detectFileKind(new URL(import.meta.url).pathname)).toThrow(expect.objectContaining({ code: 'INPUT_UNKNOWN_FILE_KIND' }));
  });
});

describeCorpus('inspect on every corpus backup, log and data file', () => {
  const cli = captureCli();
  afterEach(() => vi.restoreAllMocks());

  /**
   * Known facts of each backup folder: the database version (dbi_version, HEADERONLY
   * DatabaseVersion, the same in the boot page inside when the backup's pages can be read) and
   * the media-set shape. Versions from each folder's SOURCE.txt and the corpus README; the two
   * striped files are named by SOURCE.txt (Northwind-stripe) and by their RAID family count
   * (Chinook_Analysis: extents 1 and 6 absent, as SOURCE.txt records).
   */
  const FACTS: Array<{ re: RegExp; version: number; stripeOf?: number; sets?: number; compressed?: boolean; duplicates?: number }> = [
    { re: /appveyor-lab\//, version: 661 },
    { re: /Chinook_Analysis\/Chinook\.bak$/, version: 998, stripeOf: 2 },
    { re: /FinancialCrm\/.*\.bak$/, version: 904, duplicates: 14 },
    { re: /Northwind-stripe\/Northwind\.bak$/, version: 782, stripeOf: 2 },
    { re: /StDb2005\/.*\.bak$/, version: 611, sets: 2 },
    { re: /pubs-2012\/pubs\.bak$/, version: 706 },
    { re: /TSQLV4-compressed\/TSQLV4\.bak$/, version: 852, compressed: true },
  ];

  it('every .bak/.trn: backup header, media set, sets, pages and the log inside, against known facts', async () => {
    const files = corpusFiles(/\.(bak|trn)$/i);
    expect(files.length).toBe(22);
    for (const f of files) {
      const facts = FACTS.filter((x) => x.re.test(f));
      expect(facts.length, f).toBe(1);
      const want = facts[0];
      const r = await inspectFile(f);
      expect(r.kind, f).toBe('backup');
      if (r.kind !== 'backup') continue;
      expect(r.header.databaseVersion, f).toBe(want.version);
      expect(r.header.compressed, f).toBe(want.compressed ?? false);
      expect(r.sets.length, f).toBe(want.sets ?? 1);
      expect(r.sets.every((s) => s.error === undefined && s.backupType !== undefined), f).toBe(true);
      expect(r.log.skipped, f).toEqual([]);
      expect(r.mediaSet?.familyCount, f).toBe(want.stripeOf ?? 1);
      const dataFileIds = r.header.files.filter((x) => x.type === 'D').map((x) => x.fileId);
      if (want.stripeOf) {
        // One stripe alone: refused with the family count and the missing stripe, no pages claimed.
        expect(r.incomplete?.code, f).toBe('FORMAT_INCOMPLETE_MEDIA_SET');
        expect(r.incomplete?.reason, f).toMatch(new RegExp(`striped over ${want.stripeOf} files.*missing stripe 2 of ${want.stripeOf}`));
        // advice inspect's user can follow (it said --bak a.bak b.bak, an option inspect does not have)
        expect(r.incomplete?.reason, f).toMatch(/A stripe holds only part of the extents: inspect describes this one file, its log summarised and its pages not read \(`rowback dump --bak a\.bak b\.bak …` reads every stripe\)$/);
        expect(r.dataPages, f).toBeNull();
        expect(renderText(r)).toContain('FORMAT_INCOMPLETE_MEDIA_SET');
      } else if (r.header.backupType === 'log') {
        expect(r.incomplete).toBeNull();
        expect(r.dataPages).toBeNull();
      } else {
        expect(r.incomplete).toBeNull();
        expect(r.dataPages!.pages, f).toBeGreaterThan(0);
        // The boot page inside the backup agrees with the backup header.
        expect(r.dataPages!.bootPage?.version, f).toBe(r.header.databaseVersion);
        // No invented file ids: every file the pages name is a data file of FILELISTONLY.
        for (const id of r.dataPages!.fileIds) expect(dataFileIds, f).toContain(id);
        expect(r.dataPages!.duplicatePages, f).toBe(want.duplicates ?? 0);
      }
      // Every backup but the empty tail log backup holds log records inside its LSN range.
      if (r.header.firstLsn.decimal !== r.header.lastLsn.decimal) {
        expect(r.log.records, f).toBeGreaterThan(0);
        expect(r.log.firstLsn! >= r.header.firstLsn.lsn.slice(0, 17), f).toBe(true);
      }
      expect(renderText(r)).toContain(r.header.databaseName);
      // the header's database version with its product (boot-page.ts DBI_VERSIONS): Chinook.bak's 998 is SQL Server 2025
      const product = { 611: 'SQL Server 2005', 661: 'SQL Server 2008 R2', 706: 'SQL Server 2012', 782: 'SQL Server 2014', 852: 'SQL Server 2016', 904: 'SQL Server 2019', 998: 'SQL Server 2025' }[want.version];
      expect(renderText(r), f).toContain(`\ndatabase version         ${want.version} (${product})\n`);
    }
  });

  it('a file holding several backup sets lists them all (position, type, times, LSNs) in the text output', async () => {
    const r = await inspectFile(corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak'));
    const text = renderText(r);
    expect(text).toMatch(/backup sets\s+2 in this file; set 1 shown/);
    expect(text).toMatch(/\n\s+1\s+full\s+2009-08-11T14:57:39\s+2009-08-11T14:57:39\s+28000000025200037\s+28000000026800001\s+UTC-04:00\n/);
    expect(text).toMatch(/\n\s+2\s+full\s+2010-12-02T23:08:33\s+2010-12-02T23:08:33\s+37000000048000037\s+38000000001600001\s+UTC-05:00\n/);
    const two = await inspectFile(corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak'), { position: 2 });
    expect(two.kind === 'backup' && two.header.backupStartDate).toBe('2010-12-02T23:08:33');
  });

  it('every .ldf: VLFs, LSN range, counts by operation; the SQL 2000 log lists its VLFs and says why records are not decoded', async () => {
    const files = corpusFiles(/\.ldf$/i);
    expect(files.length).toBe(7);
    for (const f of files) {
      const r = await inspectFile(f);
      expect(r.kind, f).toBe('log');
      if (r.kind !== 'log') continue;
      if (/Tractis_aspnet_demo/.test(f)) {
        // SQL Server 2005 log (VLF header version 2, like SQL 2000): its VLFs are listed; reading its
        // records is the SQL Server 2005 part of issue 10. Until then it is a typed refusal, not garbage.
        expect(r.logFormatVersion).toBe(2);
        expect(r.vlfs.length, f).toBeGreaterThanOrEqual(2);
        if (r.unsupported) expect(r.unsupported.code).toBe('FORMAT_UNSUPPORTED_LOG_VERSION');
        else expect(r.log!.records).toBeGreaterThan(0);
        continue;
      }
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
    expect(files.length).toBe(6);
    for (const f of files) {
      if (/Tractis_aspnet_demo/.test(f)) {
        // SQL Server 2005 catalog (the 2005 part of issue 10): a typed refusal or version 611, never another answer.
        try {
          const r = await inspectFile(f);
          expect(r.kind === 'data-file' && r.version).toBe(611);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^FORMAT_/);
        }
        continue;
      }
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

  it('every full .bak lists its tables with the row counts `dump --all` reads from it; a differential says why not; a stripe alone and a log backup list none', async () => {
    // inspect of a .bak listed no table at all: a newcomer had to guess names for dump --table
    const fulls = corpusFiles(/\.bak$/i);
    let listed = 0;
    for (const f of fulls) {
      const r = await inspectFile(f);
      if (r.kind !== 'backup') throw new Error(`${f}: ${r.kind}`);
      if (r.incomplete) { expect(r.tables, f).toBeNull(); continue; }
      if (r.header.backupType === 'differential') {
        expect(r.tables, f).toBeNull();
        expect(r.tablesNote, f).toMatch(/^not listed: a differential backup/);
        expect(renderText(r), f).toContain('tables                   not listed: a differential backup holds only the extents changed since its full backup');
        continue;
      }
      expect(r.header.backupType, f).toBe('full');
      const list = r.tables;
      expect(list?.length, f).toBeGreaterThan(0);
      const d = await cli('dump', '--bak', f, ...(r.header.backupSets > 1 ? ['--position', String(r.header.position)] : []), '--all', '--out', '/dev/null');
      expect(d.code, f).toBe(0);
      const dumped = [...d.stderr.matchAll(/^rowback dump: (\S+): (\d+) row\(s\)$/gm)].map((m) => [m[1], Number(m[2])]);
      expect(list!.map((t) => [t.name, t.rows]), f).toEqual(dumped);
      listed++;
    }
    expect(listed).toBeGreaterThanOrEqual(6);
    const pubs = await inspectFile(corpusPath('pubs-2012/pubs.bak'));
    const text = renderText(pubs);
    expect(text).toMatch(/^tables \(rows\):\n  dbo\.authors +26  clustered, 9 columns$/m);
    expect(text).toMatch(/^  dbo\.roysched +86  heap, 4 columns$/m);
    const trn = await inspectFile(corpusPath('appveyor-lab/RestoreTimeClean/RestoreTimeClean_2.trn'));
    expect(trn.kind === 'backup' && trn.tables).toBeNull();
    // JSON: `tables` is an array for a backup as for a data file (it was { list, note, … } for a backup: jq '.tables[]' broke)
    const json = await cli('inspect', corpusPath('pubs-2012/pubs.bak'), '--format', 'json', '--quiet');
    const mdf = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--format', 'json', '--quiet');
    for (const j of [JSON.parse(json.stdout), JSON.parse(mdf.stdout)]) {
      expect(Array.isArray(j.tables)).toBe(true);
      expect(Object.keys(j.tables[0]).sort()).toEqual(['columns', 'compression', 'indexId', 'name', 'partitions', 'rows']);
    }
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

/**
 * `inspect --help` showed `--position <n> … (default: "1")`, yet `inspect X.ldf --position 1` is
 * refused (a data or log file holds no backup set): the help now says what leaving it out means
 * for a backup and that data and log files refuse it, and shows no default.
 */
describeCorpus('inspect --position: no default in the help; refused given for data and log files, the first set of a backup when left out', () => {
  const cli = captureCli();
  it('the help shows no default and says what leaving --position out means', async () => {
    const program = await buildProgram();
    const help = program.commands.find((c) => c.name() === 'inspect')!.helpInformation().replace(/\s+/g, ' ');
    expect(help).not.toMatch(/--position[^-]*\(default:/);
    expect(help).toContain('backups: the first set when not given; data and log files hold none and refuse it');
  });
  it.each([
    ['a log file, --position 1', [corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--position', '1'], 2, /^rowback: INPUT_BAD_OPTION: --position picks a backup set, and .*Database1_log\.ldf is a transaction log file, which holds none: leave --position out( \(file .*\))?\n$/],
    ['a data file, --position 1', [corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--position', '1'], 2, /^rowback: INPUT_BAD_OPTION: --position picks a backup set, and .*Database1\.mdf is a data file, which holds none: leave --position out( \(file .*\))?\n$/],
    ['a log file, no --position', [corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--quiet'], 0, /^$/],
    ['a backup of two sets, --position 0', [corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak'), '--position', '0'], 2, /^rowback: INPUT_BAD_OPTION: --position must be a backup set number \(a whole number from 1, as RESTORE … WITH FILE = n\), not '0'\n$/],
  ])('%s', async (_, args, code, stderr) => {
    const r = await cli('inspect', ...args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(stderr);
  });
  it('a backup of two sets: set 1 when --position is left out, set 2 with --position 2', async () => {
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const first = await cli('inspect', bak, '--format', 'json', '--quiet');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).header).toMatchObject({ position: 1, backupStartDate: '2009-08-11T14:57:39' });
    const second = await cli('inspect', bak, '--format', 'json', '--quiet', '--position', '2');
    expect(JSON.parse(second.stdout).header).toMatchObject({ position: 2, backupStartDate: '2010-12-02T23:08:33' });
  });
});
