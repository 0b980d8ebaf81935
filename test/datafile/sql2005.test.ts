import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { bootPageOf, readDataFileMetadata, type DataFileMetadata } from '../../src/datafile/metadata.js';
import type { PageSource } from '../../src/datafile/page-source.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { readSystemTables, rsColsFrom2005 } from '../../src/datafile/system-tables.js';
import { BOOTSTRAP_LAYOUTS_2005, SystemObjectId } from '../../src/datafile/system-row.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { describe } from 'vitest';
import { vardecimalRefusal } from '../../src/datafile/metadata.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';

const ASPNETDB = ['Tractis_aspnet_demo', 'App_Data', 'aspnetdb.mdf'];
const STDB = ['StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'];

function rowsOf(src: PageSource, md: DataFileMetadata, table: string): Array<Record<string, SqlValue>> {
  const skipped: SkippedItem[] = [];
  const rows = [...readTableRows(src, md, table, { skipped })].map((r) => r.values);
  expect(skipped, table).toEqual([]);
  return rows;
}

/**
 * The aspnet_regsql DDL (public: InstallCommon.sql, InstallMembership.sql, InstallProfile.sql,
 * InstallRoles.sql of .NET 2.0): column names and types in column_id order.
 */
const ASPNET_DDL: Record<string, string> = {
  'dbo.aspnet_Applications': 'ApplicationName nvarchar, LoweredApplicationName nvarchar, ApplicationId uniqueidentifier, Description nvarchar',
  'dbo.aspnet_Users':
    'ApplicationId uniqueidentifier, UserId uniqueidentifier, UserName nvarchar, LoweredUserName nvarchar, MobileAlias nvarchar, IsAnonymous bit, LastActivityDate datetime',
  'dbo.aspnet_Membership':
    'ApplicationId uniqueidentifier, UserId uniqueidentifier, Password nvarchar, PasswordFormat int, PasswordSalt nvarchar, MobilePIN nvarchar, Email nvarchar, LoweredEmail nvarchar, ' +
    'PasswordQuestion nvarchar, PasswordAnswer nvarchar, IsApproved bit, IsLockedOut bit, CreateDate datetime, LastLoginDate datetime, LastPasswordChangedDate datetime, ' +
    'LastLockoutDate datetime, FailedPasswordAttemptCount int, FailedPasswordAttemptWindowStart datetime, FailedPasswordAnswerAttemptCount int, ' +
    'FailedPasswordAnswerAttemptWindowStart datetime, Comment ntext',
  'dbo.aspnet_Profile': 'UserId uniqueidentifier, PropertyNames ntext, PropertyValuesString ntext, PropertyValuesBinary image, LastUpdatedDate datetime',
  'dbo.aspnet_Roles': 'ApplicationId uniqueidentifier, RoleId uniqueidentifier, RoleName nvarchar, LoweredRoleName nvarchar, Description nvarchar',
  'dbo.aspnet_UsersInRoles': 'UserId uniqueidentifier, RoleId uniqueidentifier',
  'dbo.aspnet_SchemaVersions': 'Feature nvarchar, CompatibleSchemaVersion nvarchar, IsCurrentVersion bit',
};

describeCorpus('SQL Server 2005 (dbi_version 611): metadata from sysrowsetcolumns + syshobtcolumns', () => {
  it('aspnetdb.mdf: every aspnet_regsql table with its DDL columns; rows read = sysrowsets.rcrows', () => {
    const src = new MdfPageSource(corpusPath(...ASPNETDB));
    try {
      const md = readDataFileMetadata(src);
      expect(md.database.version).toBe(611);
      expect(md.skipped).toEqual([]);
      expect(md.warnings).toEqual([]);
      expect(Object.keys(md.rowCounts).sort()).toEqual(Object.keys(ASPNET_DDL).sort());
      for (const t of md.tables) {
        const key = `${t.schema}.${t.name}`;
        const visible = t.columns.filter((c) => !c.isUniquifier && !c.isDropped).sort((a, b) => a.columnId - b.columnId);
        expect(visible.map((c) => `${c.name} ${c.type}`).join(', '), key).toBe(ASPNET_DDL[key]);
        // the non-unique clustered indexes of the DDL (aspnet_Applications(LoweredApplicationName),
        // aspnet_Membership(ApplicationId, LoweredEmail)) carry a uniquifier; the unique ones do not
        const hasUniq = t.columns.some((c) => c.isUniquifier);
        expect(hasUniq, key).toBe(key === 'dbo.aspnet_Applications' || key === 'dbo.aspnet_Membership');
        expect(rowsOf(src, md, key).length, key).toBe(md.rowCounts[key]);
      }
      // The file's user tables are empty but aspnet_SchemaVersions (the data pages of the others were
      // never written to this .mdf: no page header names their allocation units; their rows are in the log).
      expect(rowsOf(src, md, 'dbo.aspnet_SchemaVersions')).toEqual(
        // aspnet_regsql's aspnet_RegisterSchemaVersion calls for the features this database has
        ['common', 'membership', 'profile', 'role manager'].map((Feature) => ({ Feature, CompatibleSchemaVersion: '1', IsCurrentVersion: true })),
      );
    } finally {
      src.close();
    }
  });

  it.each([ASPNETDB, STDB])('%j: syshobtcolumns describes the hard-coded 2005 bootstrap layouts (itself included)', (...path) => {
    const src = path[path.length - 1].endsWith('.bak') ? openBackupPageSource(corpusPath(...path)) : new MdfPageSource(corpusPath(...path));
    try {
      const reader = new PageReader(src);
      const st = readSystemTables(reader, bootPageOf(reader), []);
      expect(st.catalog).toBe('2005');
      for (const [name, id] of [
        ['syshobtcolumns', SystemObjectId.syshobtcolumns],
        ['sysrowsetcolumns', SystemObjectId.sysrowsetcolumns],
        ['sysrowsets', SystemObjectId.sysrowsets],
      ] as const) {
        const fromFile = st.layoutOf(id, [], name)!;
        const hard = BOOTSTRAP_LAYOUTS_2005[name];
        expect(fromFile.columns.map((c) => [c.type, c.leafOffset, c.leafNullBit]), name).toEqual(
          hard.columns.map((c) => [c.type === 'nvarchar' ? 'nvarchar' : c.type, c.leafOffset, c.leafNullBit]),
        );
      }
    } finally {
      src.close();
    }
  });

  it('StDb2Sql.bak (2005 full backup): every table reads its rcrows rows, and the foreign keys between them resolve', () => {
    const src = openBackupPageSource(corpusPath(...STDB));
    try {
      const md = readDataFileMetadata(src);
      expect(md.database.version).toBe(611);
      expect(md.skipped).toEqual([]);
      const rows: Record<string, Array<Record<string, SqlValue>>> = {};
      for (const t of md.tables) {
        const key = `${t.schema}.${t.name}`;
        rows[key] = rowsOf(src, md, key);
        expect(rows[key].length, key).toBe(md.rowCounts[key]);
        expect(rows[key].length, key).toBeGreaterThan(0);
      }
      // values decoded from different tables must agree with each other (no ground-truth script exists)
      const students = new Set(rows['dbo.Students'].map((r) => r.StudentID));
      const courses = new Set(rows['dbo.Courses'].map((r) => r.CourseNum));
      expect(students.size).toBe(rows['dbo.Students'].length);
      expect(courses.size).toBe(rows['dbo.Courses'].length);
      for (const t of ['dbo.Enrollment', 'dbo.CoursesTaken']) for (const r of rows[t]) expect(students.has(r.StudentID), `${t} ${JSON.stringify(r)}`).toBe(true);
      for (const t of ['dbo.Enrollment', 'dbo.CoursesTaken', 'dbo.CoursesOffered', 'dbo.Prerequisites']) {
        for (const r of rows[t]) expect(courses.has(r.CourseNum), `${t} ${JSON.stringify(r)}`).toBe(true);
      }
      for (const r of rows['dbo.Prerequisites']) expect(courses.has(r.Prereq_Cnum)).toBe(true);
      for (const r of rows['dbo.CoursesOffered']) expect(Number(r.NumRegistered)).toBeLessThanOrEqual(Number(r.Capacity));
    } finally {
      src.close();
    }
  });
});

describe('rsColsFrom2005 (SYNTHETIC system rows)', () => {
  const hobt = (hobtcolid: number, status: number, leafoffset: number, leafnullbit: number, xtype = 56, length = 4) => ({
    hobtid: '1000', hobtcolid, status, ordkey: 0, xtype, length, prec: 0, scale: 0, collationid: 0, leafoffset, internaloffset: 0, leafbitpos: 0, internalbitpos: 0, leafnullbit, internalnullbit: 0,
  });
  it('maps rowset columns to hobt columns; unnamed hobt columns are the uniquifier or dropped; a dangling rowset column is reported', () => {
    const skipped: SkippedItem[] = [];
    const out = rsColsFrom2005(
      [hobt(1, 0x22, -1, 1), hobt(2, 0x20, 4, 2), hobt(3, 0, 8, 3), hobt(4, 0x20, -2, 4, 231, 0xffff)],
      [
        { rowsetid: '1000', rowsetcolid: 0, hobtcolid: 1 },
        { rowsetid: '1000', rowsetcolid: 1, hobtcolid: 2 },
        { rowsetid: '1000', rowsetcolid: 2, hobtcolid: 4 },
        { rowsetid: '1000', rowsetcolid: 3, hobtcolid: 9 },
      ],
      skipped,
    );
    const by = new Map(out.map((c) => [c.hbcolid, c]));
    expect(by.get(1)!.status & 0x10).toBe(0x10); // RSCOL_UNIQUIFIER
    expect(by.get(3)!.status & 0x2).toBe(0x2); // RSCOL_DROPPED (no rowset column names it)
    expect([by.get(2)!.rscolid, by.get(4)!.rscolid]).toEqual([1, 2]);
    expect(by.get(4)!.ti).toBe(231); // nvarchar(max): max length 0 in sysrscols.ti's shape
    expect(skipped.map((s) => s.code)).toEqual(['FORMAT_NO_METADATA']);
    expect(skipped[0].reason).toMatch(/hobt column 9/);
  });
});

describe('vardecimal storage format (SYNTHETIC column layouts: no corpus table uses it)', () => {
  const col = (name: string, type: 'decimal' | 'int', leafOffset: number) =>
    ({ name, columnId: 1, partitionColumnId: 1, type, maxLength: type === 'decimal' ? 9 : 4, precision: 18, scale: 2, collation: null, codePage: null, nullable: true, identity: false, computed: false, leafOffset, leafNullBit: 1, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false }) as const;
  it('a decimal column with a variable leaf offset in an uncompressed partition refuses the table, naming the column; fixed decimals and compressed partitions do not', () => {
    expect(vardecimalRefusal([col('Amount', 'decimal', -1), col('Id', 'int', 4)], 'NONE')).toMatch(/Amount .*vardecimal/);
    expect(vardecimalRefusal([col('Amount', 'decimal', 4)], 'NONE')).toBeUndefined();
    expect(vardecimalRefusal([col('Amount', 'decimal', -1)], 'ROW')).toBeUndefined();
    // and a layout refused this way is refused by the row decoder (no silent values)
    const layout = { schema: 'dbo', name: 't', indexId: 1, compression: 'NONE' as const, columns: [col('Amount', 'decimal', -1)], unreadable: vardecimalRefusal([col('Amount', 'decimal', -1)], 'NONE') };
    expect(() => decodeRow(Uint8Array.from([0x30, 0, 4, 0, 1, 0, 0, 1, 0, 9, 0, 1]), layout)).toThrow(/vardecimal/);
  });
});

describeCorpus('SQL Server 2005 log (format version 2) with its 611 data file: Tractis aspnetdb', () => {
  it('the log is read with the 2005+ record layout: its aspnet_SchemaVersions inserts decode to the values on the pages; its 28 deletes are all on system tables', async () => {
    const { openFileSource } = await import('../../src/recover/sources/files.js');
    const { recoverRows } = await import('../../src/recover/recover-rows.js');
    const mdf = corpusPath(...ASPNETDB);
    const src = openFileSource({ mdf, ldf: corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb_log.ldf') });
    const rows: Array<{ table: string; operation: string; values: Record<string, SqlValue> }> = [];
    const skippedCodes: string[] = [];
    for await (const ev of recoverRows(src, { operations: ['insert', 'delete'] })) {
      if (ev.kind === 'row') rows.push(ev.row);
      else skippedCodes.push(ev.item.code);
    }
    expect(src.skipped()).toEqual([]);
    expect(src.logStats.records).toBeGreaterThan(2000);
    // 28 deletes + the inserts: all row operations but the 3 candidates are on allocation units the user
    // tables do not own (system tables: sysrowsets, syshobtcolumns, … rewritten by the aspnet_regsql DDL)
    const deletesOnly: string[] = [];
    for await (const ev of recoverRows(src, { operations: ['delete'] })) deletesOnly.push(ev.kind);
    expect(deletesOnly).toEqual([]);
    // 26 on system tables; 2 are index records of a nonclustered index the catalog names no table for (indexRowOps, 4f1e1f2)
    expect([src.scanStats.rowOps, src.scanStats.unknownAllocUnitRowOps, src.scanStats.indexRowOps, src.scanStats.candidates]).toEqual([26, 26, 2, 0]);
    await src.close();
    expect(skippedCodes).toEqual([]);
    const pages = new MdfPageSource(mdf);
    try {
      const md = readDataFileMetadata(pages);
      const onPages = rowsOf(pages, md, 'dbo.aspnet_SchemaVersions').map((v) => JSON.stringify(v));
      // every user row the log inserts is aspnet_SchemaVersions' and is on the page, value for value
      expect(rows.length).toBe(3);
      for (const r of rows) {
        expect([r.table, r.operation]).toEqual(['dbo.aspnet_SchemaVersions', 'insert']);
        expect(onPages).toContain(JSON.stringify(r.values));
      }
    } finally {
      pages.close();
    }
  });
});

describe("'text in row' (SYNTHETIC record; the option as aspnetdb.mdf shows it: ntext max_length 3000 instead of 16)", () => {
  const col = (maxLength: number) =>
    ({ name: 'Comment', columnId: 1, partitionColumnId: 1, type: 'ntext', maxLength, precision: 0, scale: 0, collation: 'Modern_Spanish_CI_AS', codePage: null, nullable: true, identity: false, computed: false, leafOffset: -1, leafNullBit: 1, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false }) as const;
  // status 0x30, fixed end 4, 1 column, bitmap 00, 1 variable column ending at 27, then 16 bytes: 'ABCDEFGH' in UTF-16
  const rec = Uint8Array.from([0x30, 0, 4, 0, 1, 0, 0, 1, 0, 27, 0, ...Buffer.from('ABCDEFGH', 'utf16le')]);
  it('a 16-byte non-complex value is the string itself when text in row is on, a text pointer when it is off', () => {
    expect(decodeRow(rec, { schema: 'dbo', name: 'm', indexId: 1, compression: 'NONE', columns: [col(3000)] }).values.Comment).toBe('ABCDEFGH');
    const off = decodeRow(rec, { schema: 'dbo', name: 'm', indexId: 1, compression: 'NONE', columns: [col(16)] }).values.Comment;
    expect(off).toMatchObject({ offRow: { kind: 'text-pointer' } });
  });
});
