/**
 * One fold of key values under their column's collation for every "one key?" question of a
 * re-insert (src/reinsert/key-fold.ts). The plan's duplicate-key and unique-value checks folded text
 * with JavaScript's toLowerCase whatever the collation, while the referenced-row notes folded it as
 * the collation does: under Turkish_CI_AS ('I' is the capital of 'ı', 'İ' of 'i': Microsoft, Qingsong
 * Yao, "Introduce the Turkish I issue", 2009) the plan refused 'ILKER' and 'iLKER', two keys to the
 * server, telling the reviewer to reject one of two real customers, and let 'ILKER' and 'ılker', one
 * key to the server, both go to the run, which put the older back and called the newer a conflict.
 * The self-reference order folded case under every collation: under a _CS one, rows naming 'ANN' and
 * 'BOB' as managers were taken as each other's children and held as a cycle. SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';
import { binaryKeyText, collationFolds, keyCompareText, maybeKeyText, sameKeyText } from '../../src/reinsert/key-fold.js';
import { referenceKeys } from '../../src/reinsert/source-keys.js';
import type { SqlTypeName, TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import type { ForeignKey, TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'nvarchar' ? 400 : 4, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const contacts = (key: 'Id' | 'Name', collation: string): Map<string, TargetTable> => new Map([['crm.Contacts', {
  schema: 'crm', name: 'Contacts', keyColumns: [key], keyIndex: { name: 'PK_Contacts', primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Name', 'nvarchar', { nullable: false, collation })],
  uniqueKeys: key === 'Id' ? [{ name: 'UX_Name', columns: ['Name'] }] : [],
}]]);
const row = (id: number, name: string): PlanInputRow => ({ id, table: 'crm.Contacts', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Name: name }, operation: 'delete', fromLog: true });
const codes = (rows: PlanInputRow[], key: 'Id' | 'Name', collation: string) => planReinsert(rows, contacts(key, collation), []).problems.map((p) => [p.rowId, p.code]);

describe('the plan\'s duplicate-key and unique-value checks fold text as the column\'s collation does', () => {
  it.each(['Turkish_CI_AS', 'Azeri_Latin_100_CI_AS', 'Turkish_100_CI_AI_SC_UTF8'])('%s: \'ILKER\' and \'iLKER\' are two keys, both go back', (collation) => {
    expect(codes([row(1, 'ILKER'), row(2, 'iLKER')], 'Name', collation)).toEqual([]);
    expect(codes([row(1, 'ILKER'), row(2, 'iLKER')], 'Id', collation)).toEqual([]);
  });

  it.each(['Turkish_CI_AS', 'Azeri_Latin_100_CI_AS', 'Turkish_100_CI_AI_SC_UTF8'])('%s: \'ILKER\' and \'ılker\', \'İPEK\' and \'ipek\' are one key each, refused', (collation) => {
    expect(codes([row(1, 'ILKER'), row(2, 'ılker')], 'Name', collation)).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
    expect(codes([row(1, 'İPEK'), row(2, 'ipek ')], 'Id', collation)).toEqual([[1, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [2, 'REINSERT_DUPLICATE_UNIQUE_KEY']]);
  });

  it('Turkish_CS_AS keeps case; Latin1_General_CI_AS still folds \'I\' and \'i\'; an unknown collation still folds case', () => {
    expect(codes([row(1, 'ILKER'), row(2, 'ılker')], 'Name', 'Turkish_CS_AS')).toEqual([]);
    expect(codes([row(1, 'ILKER'), row(2, 'iLKER')], 'Name', 'Latin1_General_CI_AS')).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
    const unknown = new Map([['crm.Contacts', { ...contacts('Name', 'x').get('crm.Contacts')!, columns: [column('Id', 'int'), column('Name', 'nvarchar')] }]]);
    expect(planReinsert([row(1, 'ANN'), row(2, 'ann')], unknown, []).problems.map((p) => p.code)).toEqual(['REINSERT_DUPLICATE_KEY', 'REINSERT_DUPLICATE_KEY']);
  });
});

describe('the self-reference order matches a manager as the referenced column\'s collation may compare it', () => {
  const employees = (collation: string): Map<string, TargetTable> => new Map([['dbo.Staff', {
    schema: 'dbo', name: 'Staff', keyColumns: ['Code'],
    columns: [column('Code', 'nvarchar', { nullable: false, collation }), column('Boss', 'nvarchar', { collation })],
  }]]);
  const fk: ForeignKey = { name: 'FK_Staff_Boss', child: 'dbo.Staff', parent: 'dbo.Staff', columns: [{ child: 'Boss', parent: 'Code' }] };
  const person = (id: number, code: string, boss: string | null): PlanInputRow => ({ id, table: 'dbo.Staff', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Code: code, Boss: boss }, operation: 'delete', fromLog: true });

  it('under a _CS collation rows naming \'BOB\' and \'ANN\' (other rows) are no cycle with \'ann\' and \'bob\': both go back', () => {
    const plan = planReinsert([person(1, 'ann', 'BOB'), person(2, 'bob', 'ANN')], employees('Latin1_General_CS_AS'), [fk]);
    expect(plan.problems).toEqual([]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([1, 2]);
  });

  it('under a _CI collation they are a cycle, held as before', () => {
    const plan = planReinsert([person(1, 'ann', 'BOB'), person(2, 'bob', 'ANN')], employees('Latin1_General_CI_AS'), [fk]);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_FOREIGN_KEY_CYCLE'], [2, 'REINSERT_FOREIGN_KEY_CYCLE']]);
  });

  it('a cycle only as the collation may compare keys is held saying so; a sure one says nothing of it', () => {
    // Danish_Norwegian_CI_AI: 'Å' may be a letter of its own there (not surely 'A' under _AI), so
    // row 2's manager 'al' may or may not be row 1 'Ål': held, the sentence saying there may be no cycle
    const maybe = planReinsert([person(1, 'Ål', 'bo'), person(2, 'bo', 'al')], employees('Danish_Norwegian_CI_AI'), [fk]);
    expect(maybe.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_FOREIGN_KEY_CYCLE'], [2, 'REINSERT_FOREIGN_KEY_CYCLE']]);
    expect(maybe.problems[0]!.message).toContain('only as the collation may compare keys, Code Danish_Norwegian_CI_AI');
    expect(maybe.problems[0]!.message).toContain('if the server tells them apart there is no cycle');
    const sure = planReinsert([person(1, 'ann', 'BOB'), person(2, 'bob', 'ANN')], employees('Latin1_General_CI_AS'), [fk]);
    expect(sure.problems[0]!.message).not.toContain('may compare keys');
  });

  it('a report naming its manager in full-width letters under a collation without _WS goes after the manager (a fold that may hold adds an edge)', () => {
    const plan = planReinsert([person(1, 'EVE', 'ＡＮＮ'), person(2, 'ANN', null)], employees('Latin1_General_CI_AS'), [fk]);
    expect(plan.problems).toEqual([]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2, 1]);
  });
});

describe('key-fold: the folds themselves', () => {
  it.each([
    // [collation, a, b, same, maybe]
    ['Turkish_CI_AS', 'ILKER', 'iLKER', false, false],
    ['Turkish_CI_AS', 'ILKER', 'ılker', true, true],
    ['Latin1_General_CI_AS', 'ILKER', 'ilker ', true, true],
    ['Latin1_General_CS_AS', 'ILKER', 'ilker', false, false],
    ['Greek_CI_AS', 'ΟΔΟΣ', 'οδοσ', false, true],
    ['Greek_CS_AS', 'οδος', 'οδοσ', false, false],
    ['German_PhoneBook_CI_AS', 'Straße', 'STRASSE', false, true],
    ['Latin1_General_BIN2', 'ALFKI', 'ALFKI   ', true, true],
  ] as const)('under %s, %j and %j: surely one key %s, maybe one key %s', (collation, a, b, same, maybe) => {
    const f = collationFolds(collation);
    expect(sameKeyText(a, f) === sameKeyText(b, f)).toBe(same);
    expect(maybeKeyText(a, f) === maybeKeyText(b, f)).toBe(maybe);
  });

  it('a planned value: bytes without trailing zero bytes, other values by their literal, a text never equal to a literal', () => {
    expect(keyCompareText({ value: Buffer.from([1, 0, 0]), literal: '0x010000' })).toBe(keyCompareText({ value: Buffer.from([1]), literal: '0x01' }));
    expect(keyCompareText({ value: 5, literal: '5' })).toBe('l:5');
    expect(keyCompareText({ value: '5', literal: "N'5'" })).not.toBe(keyCompareText({ value: 5, literal: '5' }));
    expect(collationFolds(null)).toBeNull();
    expect(collationFolds('')).toBeNull();
  });
});

describe('referenced-row notes: a binary or varbinary key compares as `=` does', () => {
  // 0x01 = 0x0100 in SQL Server: values differing only by trailing zero bytes are equal (dba.stackexchange.com
  // 48660, quoting Microsoft's answer on its Connect item: "We treat it as equal"). The notes compared
  // the staged `0x…` text exactly: an order referencing a rejected parent 0x0100 by 0x01 went unsaid.
  const layout = { schema: 'dbo', name: 'Tokens', columns: [{ name: 'Token', type: 'varbinary', collation: null }, { name: 'Kind', type: 'binary', collation: null }, { name: 'Note', type: 'varchar', collation: null }] } as unknown as TableLayout;

  it('trailing zero bytes aside, in any letter case of the hex, both ways; other columns exactly', () => {
    for (const fn of Object.values(referenceKeys(['Token'], layout))) {
      expect(fn({ Token: '0x0100' }, ['Token'])).toBe(fn({ T: '0x01' }, ['T']));
      expect(fn({ Token: '0xab00' }, ['Token'])).toBe(fn({ T: '0xAB' }, ['T']));
      expect(fn({ Token: '0x0001' }, ['Token'])).not.toBe(fn({ T: '0x01' }, ['T']));
    }
    const kind = referenceKeys(['Kind'], layout).same;
    expect(kind({ Kind: '0x' }, ['Kind'])).toBe(kind({ K: '0x0000' }, ['K']));
    const note = referenceKeys(['Note'], layout).same;
    expect(note({ Note: '0x0100' }, ['Note'])).not.toBe(note({ N: '0x01' }, ['N']));
    expect(binaryKeyText('not hex')).toBe('not hex');
  });
});

describe('the duplicate-key and unique-value checks refuse pairs the collation may take as one key (SYNTHETIC values)', () => {
  // Microsoft Learn, "Collation and Unicode support" (SQL Server 2012 edition, ms143726), the
  // comparison options: without _WS "SQL Server considers the full-width and half-width
  // representation of the same character to be identical"; without _KS "Hiragana and Katakana
  // characters" are equal; _AI: "the accented and unaccented versions of letters" are identical.
  // Microsoft Learn, "Windows collation name": omitting _KS / _WS specifies kanatype- / width-insensitive.
  // Such pairs were grouped only by sameKeyText and both went to the run, which put the older back
  // and called the newer (the state just before the last delete) a conflict.
  it.each([
    ['French_CI_AI', 'José', 'Jose'],
    ['Latin1_General_CI_AS', 'ＡＮＮ', 'ANN'],
    ['SQL_Latin1_General_CP1_CI_AS', 'ＡＮＮ', 'ann'],
    ['Japanese_CI_AS', 'カナ', 'かな'],
    // Microsoft, "Sorting undefined characters in Unicode and/or Windows collation" (2006, archived on
    // learn.microsoft.com): "undefined characters are ignored during string comparison"; its unique
    // index refuses NCHAR(13144) after NCHAR(0x0000) as a duplicate key
    ['SQL_Latin1_General_CP1_CI_AS', 'ALFKI\u0000', 'ALFKI'],
    ['Latin1_General_CI_AS', 'AL\u200bFKI', 'ALFKI'],
  ])('under %s, %j and %j: both refused, the sentence saying they may be one key', (collation, a, b) => {
    expect(codes([row(1, a), row(2, b)], 'Name', collation)).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
    expect(codes([row(1, a), row(2, b)], 'Id', collation)).toEqual([[1, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [2, 'REINSERT_DUPLICATE_UNIQUE_KEY']]);
    const message = planReinsert([row(1, a), row(2, b)], contacts('Name', collation), []).problems[0]!.message;
    expect(message).toContain(`may take as one key (Name ${collation}`);
  });

  it('the sentence names the folds this collation may make: no accents under _AS, the characters it may not weigh (a tab) always', () => {
    // 'ALFKI' + a tab and 'ALFKI' under Latin1_General_CI_AS (SYNTHETIC): the sentence said "width,
    // kana, accents, expansions" whatever the collation: accents an _AS collation never folds, and
    // not the tab that made the pair maybe one key
    const tab = planReinsert([row(1, 'ALFKI\t'), row(2, 'ALFKI')], contacts('Name', 'Latin1_General_CI_AS'), []).problems[0]!.message;
    expect(tab).toContain("may take as one key (Name Latin1_General_CI_AS: full- and half-width forms, katakana and hiragana, 'ß'/'ss', 'æ'/'ae', 'œ'/'oe', control and format characters such as a tab, a line break or a zero-width space, which it may not weigh)");
    expect(tab).not.toContain('accents');
    const ai = planReinsert([row(1, 'José'), row(2, 'Jose')], contacts('Name', 'French_CI_AI'), []).problems[0]!.message;
    expect(ai).toContain('may take as one key (Name French_CI_AI: full- and half-width forms, katakana and hiragana, accents,');
  });

  it('a text column whose collation is not known: \'José\' and \'Jose\' may be one key (any _AI collation), refused saying the collation is not known', () => {
    const unknown = new Map([['crm.Contacts', { ...contacts('Name', 'x').get('crm.Contacts')!, columns: [column('Id', 'int'), column('Name', 'nvarchar')] }]]);
    const plan = planReinsert([row(1, 'José'), row(2, 'Jose')], unknown, []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_DUPLICATE_KEY'], [2, 'REINSERT_DUPLICATE_KEY']]);
    expect(plan.problems[0]!.message).toContain('may take as one key (collation not known');
  });

  it('a SQL Server collation\'s varchar compares \'ß\' and \'ss\' as two (no expansions), its nvarchar may as one', () => {
    // dba.stackexchange.com 335859 (SQL Server 2019): varchar 'ß' = 'ss' false, nvarchar N'ß' = 'ss'
    // true under SQL_Latin1_General_CP1_CI_AS
    const table = (type: SqlTypeName): Map<string, TargetTable> => new Map([['crm.Contacts', { ...contacts('Name', 'x').get('crm.Contacts')!, columns: [column('Id', 'int'), column('Name', type, { collation: 'SQL_Latin1_General_CP1_CI_AS', maxLength: 80, ...(type === 'varchar' ? { codePage: 1252 } : {}) })] }]]);
    expect(planReinsert([row(1, 'Straße'), row(2, 'Strasse')], table('varchar'), []).problems.map((p) => p.code)).toEqual([]);
    expect(planReinsert([row(1, 'Straße'), row(2, 'Strasse')], table('nvarchar'), []).problems.map((p) => p.code)).toEqual(['REINSERT_DUPLICATE_KEY', 'REINSERT_DUPLICATE_KEY']);
  });

  it('a pair surely one key says nothing of maybe; _WS and _KS keep full-width and kana apart; Turkish \'I\'/\'i\' still two', () => {
    expect(planReinsert([row(1, 'ANN'), row(2, 'ann')], contacts('Name', 'Latin1_General_CI_AS'), []).problems[0]!.message).not.toContain('may take');
    expect(codes([row(1, 'ＡＮＮ'), row(2, 'ANN')], 'Name', 'Latin1_General_CI_AS_WS')).toEqual([]);
    expect(codes([row(1, 'カナ'), row(2, 'かな')], 'Name', 'Japanese_CI_AS_KS')).toEqual([]);
    expect(codes([row(1, 'ＡＮＮ'), row(2, 'ANN')], 'Name', 'Latin1_General_BIN2')).toEqual([]);
    expect(codes([row(1, 'ALFKI\u0000'), row(2, 'ALFKI')], 'Name', 'Latin1_General_BIN2')).toEqual([]);
    expect(codes([row(1, 'ILKER'), row(2, 'iLKER')], 'Name', 'Turkish_CI_AI')).toEqual([]);
  });
});
