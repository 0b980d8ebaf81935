/**
 * A backup set's header holds the database's default collation (SCIN @216, the 5-byte TDS
 * collation: reconstruct/tds-collation.ts), so a log backup alone says it: `inspect X.trn` said
 * "a log backup holds no boot page", and `scan --trn … --ddl` read a script's char/varchar/text
 * columns without COLLATE as the assumed SQL_Latin1_General_CP1_CI_AS (code page 1252) where the
 * database's default is another (StopAt's is Latin1_General_CI_AS; a Turkish database's log backups
 * would have printed 'ş' as 'þ' with only a note).
 * REAL: every .bak and .trn of the corpus. The header's collation must equal the boot page's
 * dbi_collation (the collation the database's own pages name) of the same database, read from any
 * of its backups holding a boot page; every backup's header must name one. SYNTHETIC: the script.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupHeader, listBackupSets } from '../../src/backup/header.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-header-collation-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('the backup header\'s collation (SCIN @216) is the database\'s default', () => {
  it('every corpus backup names one, equal to its database\'s boot page collation', async () => {
    const files = walk(CORPUS_DIR).filter((f) => /\.(bak|trn)$/i.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    const byHeader = new Map<string, Set<string>>(); // binding id → header collations
    const byBootPage = new Map<string, string>(); // binding id → boot page collation
    for (const f of files) {
      for (const set of listBackupSets(f)) {
        const h = readBackupHeader(f, undefined, set.position);
        expect(h.collation?.known, `${f} set ${set.position}: ${h.collation?.tds}`).toBeTruthy();
        const key = h.bindingId ?? h.databaseName;
        if (!byHeader.has(key)) byHeader.set(key, new Set());
        byHeader.get(key)!.add(h.collation!.known!.name);
        if (h.backupType === 'log') continue;
        const j = JSON.parse((await cli('inspect', '--format', 'json', '--position', String(set.position), f)).stdout);
        const boot = j.dataPages?.bootPage?.collation ?? j.stripeBootPage?.collation;
        if (boot) byBootPage.set(key, boot);
      }
    }
    // one collation a database, in every backup of it, equal to its pages'
    const compared = [...byHeader].filter(([k]) => byBootPage.has(k));
    for (const [k, names] of byHeader) {
      expect([...names], k).toHaveLength(1);
      if (byBootPage.has(k)) expect([...names][0], k).toBe(byBootPage.get(k));
    }
    // the databases whose boot page the corpus holds: Chinook, FinancialCrm, pubs, StDb2Sql,
    // RestoreTimeClean, StopAt, db1 (its differential), TSQLV4 (compressed; its boot page too)
    expect(compared.map(([, n]) => [...n][0]).sort()).toEqual([
      'Arabic_CI_AS', 'Latin1_General_CI_AS', 'Modern_Spanish_CI_AS', 'SQL_Latin1_General_CP1_CI_AS', 'SQL_Latin1_General_CP1_CI_AS',
      'SQL_Latin1_General_CP1_CI_AS', 'SQL_Latin1_General_CP1_CI_AS', 'Turkish_CI_AS',
    ]);
  }, 300_000);

  it('inspect of a log backup prints it, from the header; JSON too', async () => {
    const f = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn');
    const r = await cli('inspect', f);
    expect(r.stdout).toContain('collation                Latin1_General_CI_AS (from the backup header: a log backup holds no boot page)');
    const j = JSON.parse((await cli('inspect', '--format', 'json', f)).stdout);
    expect(j.collation).toBe('Latin1_General_CI_AS');
    expect(j.header.collation).toEqual({ tds: '0x0904D00000', known: { name: 'Latin1_General_CI_AS', id: 53256, variantUnknown: false } });
  }, 60_000);

  it('scan --trn … --ddl: a script\'s columns without COLLATE take the log backup header\'s collation, said so', async () => {
    const ddl = join(dir, 'notes.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.Notes (Id int NOT NULL PRIMARY KEY, Body varchar(40) NULL);\n');
    const f = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn');
    const r = await cli('scan', '--trn', f, '--ddl', ddl, '--table', 'dbo.Notes', '--alloc-unit', '72057594039762944', '--out', join(dir, 'o.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`--ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Notes.Body) are read as Latin1_General_CI_AS (code page 1252), the database's default collation (header of the log backup ${f})`);
    expect(r.stderr).not.toContain('assumed');
  }, 60_000);

  it('SYNTHETIC: a header of SQL Server 2000 (major version 8) names no collation: the bytes @216 were only seen from 2005 on', async () => {
    // a copy of REAL StopAt_1.trn with both SCIN records' major version (@27) set to 8; its bytes @216 still
    // decode as Latin1_General_CI_AS, which a real SQL Server 2000 header need not hold there
    const b = Buffer.from(readFileSync(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn')));
    let n = 0;
    for (let i = b.indexOf('SCIN', 0, 'latin1'); i !== -1; i = b.indexOf('SCIN', i + 1, 'latin1')) {
      expect(b[i + 27]).toBe(10);
      b[i + 27] = 8;
      n++;
    }
    expect(n).toBeGreaterThan(0);
    const f = join(dir, 'v8.trn');
    writeFileSync(f, b);
    expect(readBackupHeader(f).softwareVersion).toMatch(/^8\./);
    expect(readBackupHeader(f).collation).toBeNull();
    const j = JSON.parse((await cli('inspect', '--format', 'json', f)).stdout);
    expect(j.collation).toBeNull();
  }, 60_000);
});
