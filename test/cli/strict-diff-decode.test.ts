import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { pubsWithUnknownCollation } from '../support/damaged-copy.js';

const cli = captureCli();

/**
 * `--strict` on `diff` and `decode`, with the meaning it has on scan/dump/log: exit 3 instead of 0
 * when the result is INCOMPLETE, the same stdout and the INCOMPLETE line on stderr either way (also
 * with --quiet). Both commands print a whole result or refuse (pages diff cannot read refuse it;
 * a row decode cannot read is an error), so what falls short of a whole answer is a value decoded
 * with a warning (may be wrong, or not decoded): diff compared rows on such values (their verdict
 * may be wrong too) and said nothing of it; decode put them in "warnings" only.
 */
describeCorpus('diff --strict: rows compared on values decoded with warnings', () => {
  // REAL pubs.bak, and a copy of it made here whose catalog gives dbo.authors.au_lname a collation
  // id rowback does not know (2147483647; every row of the table then carries a warning), the
  // pages' checksums recomputed (page.ts pageChecksum), as test/datafile/unknown-collation-id.test.ts does
  const pubs = corpusPath('pubs-2012', 'pubs.bak');
  let patched = '';
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-strict-diff-'));
    patched = pubsWithUnknownCollation(pubs, join(dir, 'pubs.bak'));
  });
  let k = 0;
  const diff = async (after: string, ...extra: string[]) => {
    const out = join(dir, `${k++}.ndjson`);
    const r = await cli('diff', '--bak', pubs, '--after-bak', after, '--table', 'dbo.authors', '--out', out, ...extra);
    return { ...r, stdout: readFileSync(out, 'utf8') };
  };
  const LINE = /^rowback diff: INCOMPLETE: 26 row\(s\) of the later state were decoded with warnings, so the comparison of them may be wrong \(first: \S+pubs\.bak page 1:\d+ slot \d+: dbo\.authors: column au_lname has a collation id rowback does not know \(2147483647\)/m;

  it('exit 3 with --strict, 0 without, the same output; INCOMPLETE said either way, and with --quiet', async () => {
    const plain = await diff(patched);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(LINE);
    const strict = await diff(patched, '--strict');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe(plain.stdout);
    expect(strict.stderr).toBe(plain.stderr);
    const quiet = await diff(patched, '--strict', '--quiet');
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toMatch(LINE);
    // beside it only the note that both sides are one backup read from two files (diff-same-backup.test.ts)
    expect(quiet.stderr.trimEnd().split('\n').filter((l) => !/are the same backup \(BackupSetGUID [0-9A-F-]+\), read from other files \(copies\)/.test(l))).toHaveLength(1);
  });

  it('the whole backup: exit 0 with --strict, nothing INCOMPLETE', async () => {
    // a copy of it (the same file on both sides is refused: diff-same-backup.test.ts)
    const copy = join(dir, 'pubs-copy.bak');
    copyFileSync(pubs, copy);
    const r = await diff(copy, '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });
});

describe('decode --strict: a row decoded with warnings', () => {
  // the row image of a dbo.tblDept delete in AngularJs_CRUD's log (REAL bytes, as in
  // test/datafile/unknown-collation-id.test.ts), decoded against its table (no warning) and against
  // a definition whose DeptName is varchar(1) (its 'CS' is longer: a value that does not fit the layout)
  const ROW = '30000800060000000300000200130023004353436F6D707574657220536369656E6365';
  let ddl = '';
  let narrow = '';
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-strict-decode-'));
    ddl = join(dir, 'dept.sql');
    // COLLATE given (Database1's own): without it decode notes the assumed default on stderr, which these cases do not test
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (DeptId INT NOT NULL PRIMARY KEY, DeptName VARCHAR(50) COLLATE SQL_Latin1_General_CP1_CI_AS, DeptDescription VARCHAR(200) COLLATE SQL_Latin1_General_CP1_CI_AS)');
    narrow = join(dir, 'narrow.sql');
    writeFileSync(narrow, 'CREATE TABLE dbo.tblDept (DeptId INT NOT NULL PRIMARY KEY, DeptName VARCHAR(1) COLLATE SQL_Latin1_General_CP1_CI_AS, DeptDescription VARCHAR(200) COLLATE SQL_Latin1_General_CP1_CI_AS)');
  });
  const VALUES = { DeptId: 6, DeptName: 'CS', DeptDescription: 'Computer Science' };
  const LINE = /^rowback decode: INCOMPLETE: the row of dbo\.tblDept \(35-byte row image, LSN 0000002a:000001f0:0003\) was decoded with 1 warning\(s\) \(in "warnings"\): a value may be wrong or not decoded; first: column DeptName holds 2 characters, more than its declared varchar\(1\) allows: .*\n$/;

  it('exit 3 with --strict, 0 without, the same stdout; INCOMPLETE said either way', async () => {
    const args = ['decode', '--ddl', narrow, '--hex', ROW, '--lsn', '0000002a:000001f0:0003'];
    const plain = await cli(...args);
    expect(plain.code).toBe(0);
    const doc = JSON.parse(plain.stdout);
    expect(doc.values).toEqual(VALUES);
    expect(doc.warnings).toHaveLength(1);
    expect(plain.stderr).toMatch(LINE);
    const strict = await cli(...args, '--strict');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe(plain.stdout);
    expect(strict.stderr).toBe(plain.stderr);
  });

  it('a row decoded without warnings: exit 0 with --strict, nothing on stderr', async () => {
    const r = await cli('decode', '--ddl', ddl, '--hex', ROW, '--strict');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.tblDept', values: VALUES });
  });

  it('an error keeps its own code 2 with --strict', async () => {
    const r = await cli('decode', '--ddl', ddl, '--hex', ROW.slice(0, 20), '--strict');
    expect(r.code).toBe(2);
  });
});
