/**
 * Recovered rows for the service tests, built from REAL row images in the corpus
 * (`text-examples/*.json`: fn_dblog RowLog Contents 0 captured on real servers) with the values
 * each example states, in rowback's output form. Transaction facts (LSN, login, time) are test
 * data attached to those images; the bytes are never invented.
 */
import { readFileSync } from 'node:fs';
import { corpusPath } from '../support/corpus.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import type { ColumnLayout, SqlTypeName, TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../../src/reconstruct/values.js';

interface Example { hex: string; values: Record<string, unknown> }

function example(id: string): Example {
  return JSON.parse(readFileSync(corpusPath('text-examples', `${id}.json`), 'utf8')) as Example;
}

export function col(name: string, type: SqlTypeName, o: Partial<ColumnLayout> = {}): ColumnLayout {
  return {
    name, columnId: 0, partitionColumnId: 0, type, maxLength: o.maxLength ?? 4, precision: 0, scale: 0,
    collation: null, codePage: null, nullable: true, identity: false, computed: false, leafOffset: 0, leafNullBit: 0,
    leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false, ...o,
  };
}

export function table(qualified: string, columns: ColumnLayout[]): TableLayout {
  const [schema, name] = qualified.split('.');
  columns.forEach((c, i) => { c.columnId ||= i + 1; c.partitionColumnId ||= i + 1; });
  return { schema, name, indexId: 1, compression: 'NONE', columns };
}

/** Layouts matching each example's stated DDL (metadata, not bytes). */
export const LAYOUTS: Record<string, TableLayout> = {
  'dbo.T': table('dbo.T', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('Name', 'nvarchar', { maxLength: 100 })]),
  'dbo.T2': table('dbo.T2', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('C', 'char', { maxLength: 5 }), col('NC', 'nchar', { maxLength: 10 })]),
  'dbo.DecimalTest': table('dbo.DecimalTest', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('Small', 'decimal', { precision: 5, scale: 2, maxLength: 5 }), col('Big', 'decimal', { precision: 18, scale: 4, maxLength: 9 })]),
  'dbo.LogTestTrailNull': table('dbo.LogTestTrailNull', [col('Id', 'int', { nullable: false }), col('ColA', 'varchar', { maxLength: 50, nullable: false }), col('ColB', 'varchar', { maxLength: 50 })]),
  'dbo.Dt2ScaleTest': table('dbo.Dt2ScaleTest', [col('Id', 'int', { nullable: false, keyOrdinal: 1, identity: true }), col('D0', 'datetime2', { scale: 0, maxLength: 6 }), col('D7', 'datetime2', { scale: 7, maxLength: 8 }), col('D7default', 'datetime2', { scale: 7, maxLength: 8 })]),
};

/** The corpus examples used, with their table and values in output form. */
export const EXAMPLES: { id: string; table: string; values: (v: Record<string, unknown>) => Record<string, SqlValue> }[] = [
  { id: 'lc-nvarchar', table: 'dbo.T', values: (v) => v as Record<string, SqlValue> },
  { id: 'lc-char-nchar', table: 'dbo.T2', values: (v) => v as Record<string, SqlValue> },
  { id: 'lc-decimal-positive', table: 'dbo.DecimalTest', values: (v) => v as Record<string, SqlValue> },
  { id: 'lc-decimal-negative', table: 'dbo.DecimalTest', values: (v) => v as Record<string, SqlValue> },
  { id: 'lc-trailnull-omitted', table: 'dbo.LogTestTrailNull', values: (v) => v as Record<string, SqlValue> },
  {
    id: 'lc-datetime2-scale0-7', table: 'dbo.Dt2ScaleTest',
    // the example prints `YYYY-MM-DD HH:MM:SS…`; rowback's output form uses `T`
    values: (v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x.replace(' ', 'T') : x])) as Record<string, SqlValue>,
  },
];

export function lsnOf(n: number): string {
  return `0000002a:${(0x100 + Math.floor(n / 1000)).toString(16).padStart(8, '0')}:${(n % 1000).toString(16).padStart(4, '0')}`;
}

/**
 * `count` recovered rows cycling through the real examples. Row n gets LSN lsnOf(n), one of a few
 * logins, a transaction per 50 rows, and a begin time one second apart from 2024-03-01 09:00.
 */
export function corpusRows(count: number, start = 0): RecoveredRow[] {
  const ex = EXAMPLES.map((e) => ({ ...e, data: example(e.id) }));
  const logins = ['CRM\\batchjob', 'sa', 'CRM\\alice'];
  const out: RecoveredRow[] = [];
  for (let i = start; i < start + count; i++) {
    const e = ex[i % ex.length];
    const t = new Date(Date.UTC(2024, 2, 1, 9, 0, 0) + Math.floor(i / 50) * 60_000 + (i % 50) * 1000);
    const beginTime = t.toISOString().slice(0, 23);
    out.push({
      table: e.table, lsn: lsnOf(i), operation: 'delete', transactionId: `0000:${(0x3e8 + Math.floor(i / 50)).toString(16).padStart(8, '0')}`,
      beginTime, endTime: beginTime, login: logins[Math.floor(i / 50) % logins.length], sid: null, spid: 53 + (Math.floor(i / 50) % 3),
      transactionName: 'DELETE', allocUnitId: null, pageId: '0001:00000123', slotId: i % 100,
      values: e.values(e.data.values), raw: e.data.hex.toUpperCase(), warnings: [], source: { kind: 'fn_dblog' },
    });
  }
  return out;
}

/**
 * Who began a transaction as an offline scan (--mdf/--bak) knows it: no login, the SID (with its
 * Windows text form when it is one) and the database user whose SID it is. Test data.
 */
export const OFFLINE_WHO = [
  // a Windows account: S-1-5-21-1004336348-1177238915-682003330-1001
  { sid: '0x010500000000000515000000DCF4DC3B833D2B46828BA628E9030000', sidText: 'S-1-5-21-1004336348-1177238915-682003330-1001', dbUser: 'CRM\\Ärger' },
  // a SQL login (16 random bytes): no text form
  { sid: '0x5A1F0C3E9B2D4E7F8091A2B3C4D5E6F7', dbUser: 'batchjob' },
  // sa: 0x01, the database user dbo
  { sid: '0x01', dbUser: 'dbo' },
] as const;

/** corpusRows(count, start) as an offline scan stages them: login null, who from OFFLINE_WHO by transaction (50 rows each). */
export function offlineRows(count: number, start = 0): RecoveredRow[] {
  return corpusRows(count, start).map((r, k) => ({ ...r, login: null, ...OFFLINE_WHO[Math.floor((start + k) / 50) % OFFLINE_WHO.length] }));
}
