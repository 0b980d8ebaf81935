import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../src/recover/committed.js';
import { incompleteVerdict, type VerdictInput, type VerdictWords } from '../../src/recover/incomplete-verdict.js';
import { NotPrintedRows } from '../../src/recover/recover-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import type { LogReadEnd } from '../../src/recover/sources/files.js';

// The one verdict `rowback scan` and a job give (incomplete-verdict.ts). The sentences are each
// check's own module's (tested there); these pin what the verdict adds: which checks run when, the
// order, and that scan's words and a job's give the same list but for their words.

const SCAN: VerdictWords = {
  done: 'printed', result: 'this result', lostAdvice: () => ': add them with --trn',
  lostOutside: { lies: 'the window asked for lies', holds: 'no row asked for can be there', wayOn: 'add the missing log backups with --trn' },
  damaged: { pages: true, tail: ', not in this result' }, heldWhere: 'above', undecodedWhere: 'above',
  beginUnreadWayOn: 'scan without --from/--to', beforeWayOn: 'start the window later', edgesOneLine: true,
};
const JOB: VerdictWords = {
  done: 'staged', result: 'this job', lossPlacesTail: 'see its skipped items', lostAdvice: () => '',
  lostOutside: { lies: "the job's window lies", holds: 'no row it asks for can be there', wayOn: 'add the missing log backups' },
  damaged: { pages: false, ops: 'row operation', tail: ', not staged' }, heldWhere: "among the job's skipped items", undecodedWhere: "among the job's skipped items",
  beginUnreadWayOn: 'a job without from/to', beforeWayOn: 'start the window later (from)',
  pastEnd: { to: 'to', add: 'add the log backups taken after it to the job (trn)' }, scopeNames: { from: 'from', to: 'to' }, edgesOneLine: false,
};

const heldItem: SkippedItem = { code: 'RECOVER_LAYOUT_MISMATCH', reason: 'layout', location: { table: 'dbo.Held' } };
const badValue: SkippedItem = { code: 'DECODE_BAD_VALUE', reason: 'bad', location: { table: 'dbo.Contact', lsn: '00000019:00000050:0002' } };
const gap: SkippedItem = { code: 'FORMAT_LOG_GAP', reason: 'the log between LSNs 00000019:00000060:0001 up to 00000019:00000070:0001 is missing', location: { file: 'x.trn' }, lsnRange: { first: '00000019:00000060:0001', last: '00000019:00000070:0001' } };
const catalogPage: SkippedItem = { code: 'FORMAT_BAD_PAGE', reason: 'torn', location: { table: 'sys.sysschobjs', page: '1:184' } };
// the last log backup given ended at 13:00 (its log cut at LSN 19:99:1)
const lastBackup: LogReadEnd = { file: 'last.trn', position: 1, kind: 'log', finished: '2017-06-01T13:00:00', started: '2017-06-01T13:00:00', lastLsn: '00000019:00000099:0001' };

function input(over: Partial<VerdictInput> = {}, items: SkippedItem[] = []): VerdictInput {
  const notPrinted = new NotPrintedRows();
  for (const s of items) notPrinted.add(s);
  return {
    kind: 'files', catalogOwner: "the data file's", stats: { ...emptyStats(), firstBeginTime: '2017/06/01 12:00:00:000', lastBeginTime: '2017/06/01 12:59:00:000' },
    window: { operations: ['delete'] }, range: null, sourceSkipped: [], skipped: items, undecodedRowOps: items.filter((s) => s.location.lsn).length,
    notPrinted, facts: {}, layoutGiven: false, stopped: false, ...over,
  };
}

/** Which check each sentence is (its own module's wording is tested there). */
function kinds(clauses: string[]): string[] {
  return clauses.map((c) =>
    c.startsWith("the data file's catalog is damaged") ? 'damaged'
      : c.includes('are missing from this') ? 'lost'
      : c.includes('layout does not fit') ? 'held'
      : c.includes('could not be decoded') ? 'undecoded'
      : c.includes('whose LOP_BEGIN_XACT is not in the log read') ? 'beginUnread'
      : c.includes('past the end of the log given') ? 'pastEnd'
      : c === 'STRETCH' ? 'notGiven'
      : `? ${c}`);
}

describe('incompleteVerdict', () => {
  it('a whole result: no sentence', () => {
    const v = incompleteVerdict(input(), SCAN);
    expect(v.clauses).toEqual([]);
    expect(v.lost).toEqual([]);
    expect(v.lostOutsideNote).toBeUndefined();
  });

  it('every check at once: scan and a job say the same sentences in the same order, each in its own words', () => {
    const over: Partial<VerdictInput> = {
      stats: { ...emptyStats(), firstBeginTime: '2017/06/01 12:00:00:000', lastBeginTime: '2017/06/01 12:59:00:000', beginUnreadRowOps: 2, beginUnreadTransactions: 1 },
      window: { from: '2017-06-01T12:30:00.000', to: '2017-06-01T14:00:00.000', operations: ['delete'] },
      facts: { logReadEnd: () => lastBackup, logNotGiven: () => [{ clause: 'STRETCH', after: '2017-06-01T13:00:00' }] },
    };
    const scan = incompleteVerdict(input(over, [heldItem, badValue, gap]), SCAN);
    const job = incompleteVerdict(input(over, [heldItem, badValue, gap]), JOB);
    expect(kinds(scan.clauses)).toEqual(['lost', 'held', 'undecoded', 'beginUnread', 'pastEnd', 'notGiven']);
    expect(kinds(job.clauses)).toEqual(kinds(scan.clauses));
    // the words are each caller's
    expect(scan.clauses[0]).toMatch(/missing from this result.*: add them with --trn$/);
    expect(job.clauses[0]).toContain('missing from this job');
    expect(scan.clauses[1]).toContain('not printed');
    expect(job.clauses[1]).toContain('not staged');
    expect(scan.clauses[4]).toContain('(--to)');
    expect(job.clauses[4]).toContain('(to)');
    expect(scan.logNotGiven).toEqual(['STRETCH']);
  });

  it('a stopped recovery judges only what it read: lost log, held and undecoded rows, a damaged catalog', () => {
    const over: Partial<VerdictInput> = {
      stopped: true,
      stats: { ...emptyStats(), unknownAllocUnitRowOps: 4, beginUnreadRowOps: 2, beginUnreadTransactions: 1 },
      window: { from: '2017-06-01T12:30:00.000', to: '2017-06-01T14:00:00.000', operations: ['delete'] },
      facts: { logReadEnd: () => lastBackup, logNotGiven: () => [{ clause: 'STRETCH' }] },
    };
    const v = incompleteVerdict(input(over, [heldItem, gap]), JOB);
    expect(kinds(v.clauses)).toEqual(['lost', 'held']);
    const d = incompleteVerdict({ ...input(over, [heldItem, badValue, gap]), sourceSkipped: [catalogPage] }, JOB);
    expect(kinds(d.clauses)).toEqual(['damaged', 'lost', 'held']);
  });

  it("a damaged catalog's sentence counts the rows not decoded and the tables it does not name: they are not said again", () => {
    const over: Partial<VerdictInput> = { stats: { ...emptyStats(), unknownAllocUnitRowOps: 3 }, sourceSkipped: [catalogPage] };
    const v = incompleteVerdict(input(over, [badValue]), SCAN);
    expect(kinds(v.clauses)).toEqual(['damaged']);
    expect(v.damaged).toBe("the data file's catalog is damaged (sys.sysschobjs; pages 1:184): 3 delete(s) on allocation units it does not name may be rows of tables it lost; 1 row operation(s) of tables it names could not be decoded (their skipped items), not in this result");
    expect(incompleteVerdict(input(over, [badValue]), JOB).damaged).toBe("the data file's catalog is damaged (sys.sysschobjs): 3 row operation(s) on allocation units it does not name may be rows of tables it lost; 1 row operation(s) of tables it names could not be decoded (their skipped items), not staged");
    // given the tables (--ddl/--schema, a job's metadata), the catalog is not the layout's source
    const given = incompleteVerdict({ ...input(over, [badValue]), layoutGiven: true }, SCAN);
    expect(kinds(given.clauses)).toEqual(['undecoded']);
  });

  it('unknown tables are judged for files only, and not beside a layout given', () => {
    const over: Partial<VerdictInput> = { stats: { ...emptyStats(), unknownAllocUnitRowOps: 3 } };
    expect(incompleteVerdict(input(over), SCAN).unknownTables).not.toBe('');
    expect(incompleteVerdict(input({ ...over, kind: 'export' }), SCAN).unknownTables).toBe('');
    expect(incompleteVerdict(input({ ...over, layoutGiven: true }), SCAN).unknownTables).toBe('');
  });

  it("a chain gap the window lies wholly outside is a note, not a sentence; scan's start- and end-side sentences are one line each, a job's one per check", () => {
    const bounded = { ...gap, code: 'FORMAT_LOG_CHAIN_GAP' };
    const outside = incompleteVerdict(input({ window: { to: '2017-06-01T11:00:00.000', operations: ['delete'] }, facts: { chainGapTimes: () => ({ after: '2017-06-01T12:10:00', before: '2017-06-01T12:20:00' }) } }, [bounded]), SCAN);
    expect(outside.lost).toEqual([]);
    expect(outside.lostOutsideNote).toContain('the window asked for lies wholly outside that stretch');
    // an LSN range past the end of the log read and a window past it: scan joins them, a job does not
    const over: Partial<VerdictInput> = {
      window: { from: '2017-06-01T12:30:00.000', to: '2017-06-01T14:00:00.000', operations: ['delete'] },
      range: { fromLsn: null, toLsn: { vlf: 0x19, block: 0x200, slot: 1 } },
      facts: { logReadEnd: () => lastBackup },
    };
    const scan = incompleteVerdict(input(over), SCAN);
    expect(scan.pastEnd).toHaveLength(2);
    expect(scan.clauses).toEqual([scan.pastEnd.join('; ')]);
    expect(incompleteVerdict(input(over), JOB).clauses).toHaveLength(2);
  });
});

/**
 * A live or export scan reads the log records of the units its catalog names now (sql.ts scanSql,
 * sql/export-log-records.sql); a table rebuilt after a delete has new ones, and the delete is never
 * seen. Its sys.objects.modify_date at or after the window's start (or the log read's, without one)
 * is INCOMPLETE (rebuilt-tables.ts); before it, or for files (their catalog is a snapshot), nothing.
 */
describe('incompleteVerdict: tables altered or rebuilt inside the stretch asked for (live, export)', () => {
  // SYNTHETIC: dbo.Orders rebuilt at 02:00 on 2024-03-06, dbo.Customers altered long before
  const changes = { tables: [{ table: 'dbo.Customers', modified: '2023-11-02T09:00:00.000' }, { table: 'dbo.Orders', modified: '2024-03-06T02:00:00.000' }], logReadFrom: '2024-03-05T08:00:00.000' };
  const words = { ...SCAN, rebuiltWayOn: 'scan the log offline instead' };

  it('a table modified at or after --from is INCOMPLETE; one modified before it is not', () => {
    for (const kind of ['live', 'export', 'log-backup'] as const) {
      const v = incompleteVerdict(input({ kind, stats: { ...emptyStats(), serverFiltered: true }, window: { from: '2024-03-05T09:00:00.000', operations: ['delete'] }, catalogChanges: changes }), words);
      expect(v.rebuilt, kind).toBe(v.clauses[0]);
      expect(v.clauses, kind).toHaveLength(1);
      expect(v.rebuilt).toContain("a table was altered or rebuilt at or after the window's start (--from 2024-03-05T09:00:00.000): dbo.Orders at 2024-03-06T02:00:00.000 (sys.objects.modify_date");
      expect(v.rebuilt).not.toContain('dbo.Customers');
      expect(v.rebuilt).toContain(kind === 'export' ? 'this export does not hold (sql/export-log-records.sql kept the log records of the allocation units the tables had when it ran' : 'this live scan does not read (it reads the log records of the allocation units the tables have now');
      expect(v.rebuilt).toMatch(/those rows are missing from this result, .*; scan the log offline instead$/);
    }
    // --from after the rebuild: every row asked for was deleted on the new units
    expect(incompleteVerdict(input({ kind: 'live', window: { from: '2024-03-06T02:00:00.001', operations: ['delete'] }, catalogChanges: changes }), words).clauses).toEqual([]);
    // at the very millisecond: said (a delete in that tick may be before it)
    expect(incompleteVerdict(input({ kind: 'live', window: { from: '2024-03-06T02:00:00.000', operations: ['delete'] }, catalogChanges: changes }), words).rebuilt).toContain('dbo.Orders');
  });

  it("without --from, the log read's start is the window's: modified inside the log read is INCOMPLETE, before it not, unknown start not judged", () => {
    const v = incompleteVerdict(input({ kind: 'live', catalogChanges: changes }), words);
    expect(v.rebuilt).toContain('at or after the start of the log read (its first transaction began at 2024-03-05T08:00:00.000): dbo.Orders at 2024-03-06T02:00:00.000');
    expect(incompleteVerdict(input({ kind: 'live', catalogChanges: { ...changes, logReadFrom: '2024-03-06T03:00:00.000' } }), words).clauses).toEqual([]);
    expect(incompleteVerdict(input({ kind: 'export', catalogChanges: { ...changes, logReadFrom: null } }), words).clauses).toEqual([]);
    // two tables: both named, the earliest first
    const two = incompleteVerdict(input({ kind: 'live', catalogChanges: { ...changes, logReadFrom: '2023-01-01T00:00:00.000' } }), words);
    expect(two.rebuilt).toContain('2 tables were altered or rebuilt at or after the start of the log read (its first transaction began at 2023-01-01T00:00:00.000): dbo.Customers at 2023-11-02T09:00:00.000, dbo.Orders at 2024-03-06T02:00:00.000');
  });

  it('never for files (their catalog is a snapshot: units it does not name are judged as unknown tables), and said beside a layout given and when stopped; a job in its words', () => {
    const over: Partial<VerdictInput> = { window: { from: '2024-03-05T09:00:00.000', operations: ['delete'] }, catalogChanges: changes };
    expect(incompleteVerdict(input({ ...over, kind: 'files' }), words).clauses).toEqual([]);
    expect(incompleteVerdict(input({ ...over, kind: 'live', layoutGiven: true }), words).rebuilt).toContain('dbo.Orders');
    expect(incompleteVerdict(input({ ...over, kind: 'live', stopped: true }), words).rebuilt).toContain('dbo.Orders');
    const job = incompleteVerdict(input({ ...over, kind: 'export' }), { ...JOB, rebuiltWayOn: 'run a files job' });
    expect(job.rebuilt).toContain("at or after the window's start (from 2024-03-05T09:00:00.000)");
    expect(job.rebuilt).toMatch(/missing from this job, .*; run a files job$/);
  });
  it("rows the source itself refused (a live scan's schema drift, a files scan's rows logged after an ALTER its catalog predates) are INCOMPLETE, in scan's and a job's words: they were only listed among the skipped items, exit 0 and complete", () => {
    const drift: SkippedItem = { code: 'SOURCE_SCHEMA_DRIFT', reason: 'altered', location: { lsn: '00000019:00000050:0003', table: 'dbo.Customers' } };
    const catalogPageOnly: SkippedItem = { code: 'FORMAT_BAD_PAGE', reason: 'torn', location: { table: 'sys.sysschobjs', page: '1:184' } };
    const scan = incompleteVerdict(input({ kind: 'live', sourceSkipped: [drift, drift, catalogPageOnly] }), SCAN);
    expect(scan.clauses).toEqual(['2 row operation(s) of dbo.Customers were left out, not decoded with a layout they were not written in (SOURCE_SCHEMA_DRIFT ×2): those rows are not printed; each is a skipped item with its LSN, reason and row image (above)']);
    const job = incompleteVerdict(input({ kind: 'export', sourceSkipped: [drift] }), JOB);
    expect(job.sourceRows).toContain("those rows are not staged; each is a skipped item with its LSN, reason and row image (among the job's skipped items)");
  });
});
