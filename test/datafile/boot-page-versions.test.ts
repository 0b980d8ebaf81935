import { expect, it } from 'vitest';
import { corpusFiles, describeCorpus } from '../support/corpus.js';
import { listBackupSets, readBackupHeader } from '../../src/backup/header.js';
import { productForVersion } from '../../src/datafile/boot-page.js';

/**
 * SQL Server's major version (the backup header's SoftwareVersionMajor.Minor, as RESTORE HEADERONLY
 * prints it) → the product name. Source: Microsoft's SQL Server release numbering (9 = 2005,
 * 10.0 = 2008, 10.50 = 2008 R2, 11 = 2012 … 16 = 2022, 17 = 2025).
 */
function productOfSoftware(v: string): string {
  const [major, minor] = v.split('.').map(Number);
  if (major === 10) return minor >= 50 ? 'SQL Server 2008 R2' : 'SQL Server 2008';
  const names: Record<number, string> = { 8: 'SQL Server 2000', 9: 'SQL Server 2005', 11: 'SQL Server 2012', 12: 'SQL Server 2014', 13: 'SQL Server 2016', 14: 'SQL Server 2017', 15: 'SQL Server 2019', 16: 'SQL Server 2022', 17: 'SQL Server 2025' };
  return names[major] ?? `major ${major}`;
}


describeCorpus('dbi_version → product, against each REAL corpus backup header', () => {
  it("names the product of each backup's own server version (Chinook.bak: 998 written by 17.0.1050, SQL Server 2025)", () => {
    const files = corpusFiles(/\.(bak|trn)$/i);
    expect(files.length).toBe(22);
    const seen = new Map<number, string>();
    for (const f of files) {
      for (const s of listBackupSets(f)) {
        const h = readBackupHeader(f, undefined, s.position);
        expect(productForVersion(h.databaseVersion), `${f} set ${s.position}: database version ${h.databaseVersion}, server ${h.softwareVersion}`).toBe(productOfSoftware(h.softwareVersion));
        seen.set(h.databaseVersion, h.softwareVersion);
      }
    }
    // the corpus spans 2005 to 2025: every version the table names from the files themselves
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([611, 661, 706, 782, 852, 904, 998]);
  });

  it('a version past the newest known is named as later than it, never as a known product', () => {
    expect(productForVersion(999)).toBe('SQL Server 2025 or later (dbi_version 999)');
    expect(productForVersion(960)).toBe('SQL Server 2022 or later (dbi_version 960)');
  });
});
