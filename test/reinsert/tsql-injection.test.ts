import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentText, planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import { declaration } from '../../src/reinsert/param-type.js';
import { SQLCMD_UNSAFE, stagedTableName } from '../../src/util/tsql.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { tokenizeTsql, type TsqlToken } from '../support/tsql-tokenizer.js';

/**
 * Generated T-SQL is safe with any identifier and any value: hostile names (newlines, `]`,
 * quotes, comment markers, `GO`, dots, `@p1`, Unicode line separators, 128 characters) and
 * hostile values go through the planner and both script renderers, and a strict tokenizer then
 * proves every statement is exactly what was intended: every identifier a bracket token equal to
 * a name we gave, every word one of the keywords rowback writes, every variable a generated one.
 */

const KEYWORDS = new Set(
  `SET XACT_ABORT ANSI_WARNINGS ANSI_NULLS ANSI_PADDING ARITHABORT CONCAT_NULL_YIELDS_NULL QUOTED_IDENTIFIER NUMERIC_ROUNDABORT ON OFF NOCOUNT BEGIN TRANSACTION COMMIT ROLLBACK IDENTITY_INSERT DECLARE IF EXISTS SELECT TOP FROM WITH UPDLOCK HOLDLOCK
   WHERE AND IS NULL PRINT ELSE INSERT INTO VALUES DELETE RAISERROR RETURN END CONVERT
   COLLATE LATIN1_GENERAL_BIN2 MAX NVARCHAR VARBINARY DATALENGTH DATEPART TZOFFSET
   CAST AS NCHAR CHAR VARCHAR NOWAIT`.split(/\s+/)
    // a script planned without the target's INSTEAD OF triggers looks for one itself (plan.ts
    // insteadOfInsertGuard): its catalog query's words, the table's name a literal of OBJECT_ID
    .concat(`NOEXEC NOT QUOTENAME JOIN OBJECT_ID ORDER BY SYS TRIGGERS TRIGGER_EVENTS TR TE NAME OBJECT_ID TYPE PARENT_ID IS_INSTEAD_OF_TRIGGER IS_DISABLED`.split(/\s+/))
    // an undo looks for a foreign key with a delete action referencing each of its tables (plan.ts cascadeGuard)
    .concat(`FOREIGN_KEYS OBJECTS SCHEMAS FK OB SC SCHEMA_ID PARENT_OBJECT_ID REFERENCED_OBJECT_ID DELETE_REFERENTIAL_ACTION DELETE_REFERENTIAL_ACTION_DESC`.split(/\s+/))
    // and first that it may see every foreign key there (plan.ts foreignKeysVisibleGuard)
    .concat(`ISNULL HAS_PERMS_BY_NAME DB_NAME`.split(/\s+/))
    // an undo looks for an enabled AFTER DELETE trigger on each of its tables (plan.ts afterDeleteGuard)
    .concat(`PARENT_CLASS`.split(/\s+/)),
);
/** The one literal rowback writes outside DECLARE/PRINT/RAISERROR: the key-less undo's `+ N'.'` (plan.ts undoMatch keeps trailing spaces compared). */
const UNDO_SUFFIX = '.';

const HOSTILE_PIECES = [']', '[', "'", '"', '\n', '\r\n', '--', '/*', '*/', ';', 'GO', '\nGO\n', ' ', '.', '@p1', 'x@p1', '@r1_p1', 'DROP TABLE victims;--', '\u2028', '\u0085', 'é', '表', '\t', 'N\'', ']]', 'dbo.', '\u200b', '😀'];
const hostileName = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join('').slice(0, 128))
  .filter((s) => s.length > 0 && !s.includes('\u0000'));

const col = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

function checkScript(script: string, names: Set<string>, typeWords: Set<string>): TsqlToken[] {
  const tokens = tokenizeTsql(script);
  const solid = tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'line-comment');
  for (const [i, t] of solid.entries()) {
    switch (t.kind) {
      case 'block-comment':
      case 'qident':
        throw new Error(`unexpected ${t.kind} in generated T-SQL`);
      case 'ident':
        expect(names.has(t.value), `identifier ${JSON.stringify(t.value)} is not a name we gave`).toBe(true);
        break;
      case 'word':
        expect(KEYWORDS.has(t.text.toUpperCase()) || typeWords.has(t.text.toLowerCase()), `word ${t.text} is not one rowback writes`).toBe(true);
        break;
      case 'variable':
        expect(t.name).toMatch(/^(@r\d+_p\d+|@rowback_trigger\d+|@rowback_cascade\d+|@rowback_after_delete\d+|@rowback_after_insert\d+|@@ROWCOUNT)$/);
        break;
      case 'string': {
        // literals only as DECLARE initial values, PRINT and RAISERROR messages
        const prev = solid[i - 1];
        const prev2 = solid[i - 2];
        // (a value holding a line break or `$(` is written in pieces: CAST(N'…' AS nvarchar(max)) + NCHAR(10) + N'…')
        const inPieces = (prev?.kind === 'punct' && prev.text === '(' && prev2?.kind === 'word' && prev2.text === 'CAST') || (prev?.kind === 'punct' && prev.text === '+' && !(t.unicode && t.value === UNDO_SUFFIX));
        // OBJECT_ID(N'[schema].[name]', N'U'): the guard's table, a literal as nLiteral writes it
        const objectId = (prev?.kind === 'punct' && prev.text === '(' && prev2?.kind === 'word' && prev2.text === 'OBJECT_ID') || (prev?.kind === 'punct' && prev.text === ',' && t.unicode && t.value === 'U' && prev2?.kind === 'string');
        // HAS_PERMS_BY_NAME(N'<database>' | DB_NAME(), N'DATABASE', N'VIEW DEFINITION'): the database a literal as nLiteral writes it
        const perms = (prev?.kind === 'punct' && prev.text === '(' && prev2?.kind === 'word' && prev2.text === 'HAS_PERMS_BY_NAME') || (prev?.kind === 'punct' && prev.text === ',' && t.unicode && ['DATABASE', 'VIEW DEFINITION'].includes(t.value));
        const ok = inPieces || objectId || perms || (prev?.kind === 'punct' && prev.text === '=') || (prev?.kind === 'word' && prev.text === 'PRINT') || (prev?.kind === 'punct' && prev.text === '(' && prev2?.kind === 'word' && prev2.text === 'RAISERROR') ||
          (prev?.kind === 'punct' && prev.text === '+' && t.unicode && t.value === UNDO_SUFFIX);
        expect(ok, `string literal after ${JSON.stringify(prev)}`).toBe(true);
        break;
      }
      default:
        break;
    }
  }
  // comments are rowback's own lines: each starts a line and its text is escaped (no line break inside)
  for (const t of tokens) if (t.kind === 'line-comment') expect(t.text.startsWith(' ')).toBe(true);
  return tokens;
}

describe('generated T-SQL is safe with any identifier (property, strict tokenizer)', () => {
  it('hostile schema, table and column names and values: every statement is exactly the intended one', () => {
    fc.assert(
      fc.property(hostileName, hostileName, fc.uniqueArray(hostileName, { minLength: 2, maxLength: 4, selector: (s) => s.toLowerCase() }), fc.array(fc.string({ maxLength: 40 }), { minLength: 4, maxLength: 4 }), fc.boolean(), fc.string({ maxLength: 30 }), (schema, name, colNames, vals, keyed, lsn) => {
        const columns: TargetColumn[] = [col(colNames[0], 'int', { nullable: false }), ...colNames.slice(1).map((n) => col(n, 'nvarchar', { maxLength: 200 }))];
        const table: TargetTable = { schema, name, columns, keyColumns: keyed ? [colNames[0]] : [] };
        // the row's table as rowback stages it (util/tsql.ts stagedTableName), the plan's key for the table
        const qualifiedName = stagedTableName({ schema, name });
        const values: Record<string, string | number | null> = { [colNames[0]]: 7 };
        colNames.slice(1).forEach((n, i) => (values[n] = vals[i]));
        const plan = planReinsert([{ id: 3, table: qualifiedName, lsn, values }], new Map([[qualifiedName, table]]), []);
        expect(plan.problems).toEqual([]);
        const names = new Set([schema, name, ...colNames]);
        const typeWords = new Set(plan.batches.flatMap((b) => b.rows.flatMap((r) => r.params.flatMap((p) => declaration(p.type).toLowerCase().match(/[a-z_0-9]+/g) ?? []))));
        const script = renderScript(plan, { header: [`job for ${name}`, `by ${schema}`] });
        const tokens = checkScript(script, names, typeWords);
        // no raw line break or `$(` inside a name or a value: sqlcmd and SSMS act on them before
        // SQL Server reads the script (test/reinsert/sec-sqlcmd-lines.test.ts); such names are not scripted
        expect(script.includes('$(')).toBe(false);
        if (SQLCMD_UNSAFE.test(schema) || SQLCMD_UNSAFE.test(name) || colNames.some((c) => SQLCMD_UNSAFE.test(c))) {
          expect(script).toMatch(/NOT SCRIPTED: row 3/);
          expect(tokens.some((t) => t.kind === 'word' && t.text === 'INSERT')).toBe(false);
          const undoUnsafe = renderUndoScript(plan, { header: [`undo ${name}`] });
          expect(checkScript(undoUnsafe, names, typeWords).some((t) => t.kind === 'word' && ['INSERT', 'DELETE'].includes(t.text))).toBe(false);
          return;
        }
        // The INSERT names the target by the pair we gave and its columns in order.
        const solid = tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'line-comment');
        const at = solid.findIndex((t) => t.kind === 'word' && t.text === 'INSERT');
        expect(solid.slice(at, at + 6)).toEqual([
          { kind: 'word', text: 'INSERT' }, { kind: 'word', text: 'INTO' }, { kind: 'ident', value: schema }, { kind: 'punct', text: '.' }, { kind: 'ident', value: name }, { kind: 'punct', text: '(' },
        ]);
        const insertCols = solid.slice(at + 6, solid.findIndex((t, i) => i > at && t.kind === 'word' && t.text === 'VALUES')).filter((t) => t.kind === 'ident').map((t) => (t as { value: string }).value);
        expect(insertCols).toEqual(colNames);
        // exactly the statements intended: one INSERT, and no other verb
        const verbs = solid.filter((t) => t.kind === 'word' && ['INSERT', 'DELETE', 'UPDATE', 'DROP', 'EXEC', 'EXECUTE', 'ALTER', 'TRUNCATE', 'GO'].includes(t.text.toUpperCase())).map((t) => (t as { text: string }).text);
        expect(verbs).toEqual(['INSERT']);
        const undo = renderUndoScript(plan, { header: [`undo ${name}`] });
        const undoTokens = checkScript(undo, names, typeWords).filter((t) => t.kind === 'word' && ['INSERT', 'DELETE', 'UPDATE', 'DROP', 'EXEC'].includes(t.text.toUpperCase()));
        expect(undoTokens.map((t) => (t as { text: string }).text)).toEqual(['DELETE']);
      }),
      { numRuns: 300 },
    );
  });

  it('the table named "x" + newline + "DROP TABLE victims;--" stays a name (the issue\'s example)', () => {
    const evil = 'x\nDROP TABLE victims;--';
    const table: TargetTable = { schema: 'dbo', name: evil, columns: [col('Id', 'int', { nullable: false })], keyColumns: ['Id'] };
    const plan = planReinsert([{ id: 1, table: `dbo.${evil}`, lsn: '0000002a:000001f0:0003', values: { Id: 1 } }], new Map([[`dbo.${evil}`, table]]), []);
    const script = renderScript(plan);
    // DROP only ever appears inside the bracket identifier and the escaped comment, never as a word
    expect(tokenizeTsql(script).some((t) => t.kind === 'word' && t.text === 'DROP')).toBe(false);
    expect(script).toContain('-- batch 1: dbo.[x\\u{a}DROP TABLE victims;--], 1 row(s)');
    // a name with a line break is not scripted (sqlcmd reads scripts line by line); the driver's statement keeps it whole
    expect(script).toMatch(/NOT SCRIPTED: row 1/);
    expect(plan.batches[0].rows[0].insertSql).toContain('INSERT INTO [dbo].[x\nDROP TABLE victims;--] ([Id])');
    checkScript(script, new Set(['dbo', evil, 'Id']), new Set(['int']));
  });

  it('parameter names never derive from column names: columns named @p1 and x@p1 stay themselves', () => {
    const table: TargetTable = { schema: 'dbo', name: 'T', columns: [col('@p1', 'int', { nullable: false }), col('x@p1', 'nvarchar', { maxLength: 20 })], keyColumns: ['@p1'] };
    const plan = planReinsert([{ id: 9, table: 'dbo.T', lsn: 'l', values: { '@p1': 5, 'x@p1': 'v' } }], new Map([['dbo.T', table]]), []);
    const r = plan.batches[0].rows[0];
    expect(r.insertSql).toBe('INSERT INTO [dbo].[T] ([@p1], [x@p1]) VALUES (@p1, @p2);');
    expect(r.script.insert).toBe('INSERT INTO [dbo].[T] ([@p1], [x@p1]) VALUES (@r9_p1, @r9_p2);');
    expect(r.script.undo).toBe('DELETE FROM [dbo].[T] WHERE [@p1] = @r9_p1;');
    expect(renderUndoScript(plan)).toContain('DELETE FROM [dbo].[T] WHERE [@p1] = @r9_p1;');
  });

  it('names with dots, leading spaces and brackets are quoted from their (schema, name) pair, never split again', () => {
    const table: TargetTable = { schema: 'sales.eu', name: ' [Users].x', columns: [col('Id', 'int', { nullable: false })], keyColumns: ['Id'] };
    // staged and keyed by its (schema, name) pair (stagedTableName), never the text `sales.eu. [Users].x`
    const key = stagedTableName(table);
    expect(key).toBe('[sales.eu].[ [Users]].x]');
    const plan = planReinsert([{ id: 1, table: key, lsn: 'l', values: { Id: 1 } }], new Map([[key, table]]), []);
    expect(plan.problems).toEqual([]);
    expect(plan.batches[0].target).toBe('[sales.eu].[ [Users]].x]');
  });

  it('commentText escapes every line break and control character', () => {
    expect(commentText('a\r\nb\u2028c\u0085d\u0000')).toBe('a\\u{d}\\u{a}b\\u{2028}c\\u{85}d\\u{0}');
  });
});

it('a column name over 128 characters (SQL Server would refuse it) becomes a problem naming the column, not an exception', () => {
  const long = 'c'.repeat(129);
  const table: TargetTable = { schema: 'dbo', name: 'T', columns: [col('Id', 'int', { nullable: false }), col(long, 'int')], keyColumns: ['Id'] };
  const plan = planReinsert([{ id: 1, table: 'dbo.T', lsn: 'l', values: { Id: 1, [long]: 2 } }], new Map([['dbo.T', table]]), []);
  expect(plan.batches).toEqual([]);
  expect(plan.problems).toEqual([expect.objectContaining({ rowId: 1, code: 'INPUT_BAD_IDENTIFIER', message: expect.stringContaining('cccccccc') })]);
});
