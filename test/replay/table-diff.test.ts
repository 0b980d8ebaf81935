import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DiffOptions } from '../../src/cli/commands/diff.js';
import { diffCaptured } from '../support/run-diff.js';
import { diffTableStates, opaqueTextColumns, type TableState } from '../../src/replay/table-diff.js';
import { comparisonNotes, diffAsRecoveredRows, unsureFilestreamRows, unsureRows } from '../../src/replay/compare.js';
import { bytesNotes, RowState } from '../../src/replay/row-state.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { StagingStore } from '../../src/staging/store.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// SYNTHETIC table states (values typed here, no bytes): the matching rules only.
const state = (rows: Array<[number, string]>): TableState => ({ table: 'dbo.T', columns: ['id', 'name'], rows: rows.map(([id, name]) => ({ values: { id, name } })) });

describe('diffTableStates (SYNTHETIC states)', () => {
  it('by key: a key gone is missing, a key with other values is changed (both images, the columns named), new keys counted', () => {
    const d = diffTableStates(state([[1, 'a'], [2, 'b'], [3, 'c']]), state([[1, 'a'], [3, 'C'], [4, 'd']]), ['id']);
    expect(d.missing.map((m) => m.values)).toEqual([{ id: 2, name: 'b' }]);
    expect(d.changed).toEqual([{ key: { id: 3 }, before: { id: 3, name: 'c' }, after: { id: 3, name: 'C' }, columns: ['name'] }]);
    expect([d.added, d.same, d.key]).toEqual([1, 1, ['id']]);
  });

  it('whole rows (no key, or a key that repeats): a multiset difference, duplicates counted one by one', () => {
    const d = diffTableStates(state([[1, 'a'], [1, 'a'], [2, 'b']]), state([[1, 'a'], [2, 'B']]), null);
    expect(d.missing.map((m) => m.values)).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    expect([d.changed.length, d.added, d.same, d.key]).toEqual([0, 1, 1, null]);
    const r = diffTableStates(state([[1, 'a'], [1, 'b']]), state([[1, 'a']]), ['id']);
    expect(r.key).toBeNull();
    expect(r.keyNote).toMatch(/key \(id\) repeats in the earlier state/);
    expect(r.missing.map((m) => m.values)).toEqual([{ id: 1, name: 'b' }]);
  });

  it('different column lists are refused, not compared', () => {
    const other: TableState = { table: 'dbo.T', columns: ['id', 'name', 'extra'], rows: [] };
    expect(() => diffTableStates(state([]), other, ['id'])).toThrow(expect.objectContaining({ code: 'SCHEMA_TABLE_CHANGED' }));
  });
});

describeCorpus('rowback diff on RestoreTimeClean (real backups)', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  const FULL = RTC('RestoreTimeClean.bak');
  const DIFF = RTC('RestoreTimeClean2.bak');
  const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
  const run = (o: Partial<DiffOptions>) => diffCaptured({ bak: [FULL], table: 'dbo.steps', format: 'ndjson', ...o } as DiffOptions);

  it('the table at 13:05 (replayed) against the later full + differential: nothing missing, 18 rows only later', async () => {
    const { r, lines, err } = await run({ trn: LOGS, stopAt: '2017-06-01 13:05', afterBak: [FULL, DIFF] });
    expect(lines).toEqual([]);
    expect([r.missing.length, r.changed.length, r.added, r.same]).toEqual([0, 0, 18, 12]);
    expect(err).toContain('earlier 12 row(s), later 30 row(s); 0 missing from the later state');
  });

  it('the reverse direction: the table at 13:20 against the differential (13:14:13) lacks the 12 rows committed in between, named missing', async () => {
    // the differential is older than 13:20: refused unless asked for (the rows are inserted, not deleted)
    await expect(run({ trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF] })).rejects.toMatchObject({ code: 'INPUT_BAD_WINDOW' });
    const { r, lines, err } = await run({ trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], acceptOlderLater: true });
    expect(err).toMatch(/^rowback diff: warning: the later state \(--after-bak .*\) is older than the earlier state .*never re-insert them$/m);
    expect(r.missing).toHaveLength(12);
    expect(lines.every((l) => l.change === 'missing')).toBe(true);
    // the second series' steps 0..11, committed 13:14:13.173 .. 13:19:43
    expect(lines.map((l) => l.values.step).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(lines.map((l) => String(l.values.dt).slice(0, 19)).sort()[0]).toBe('2017-06-01T13:14:13');
    expect(lines.map((l) => String(l.values.dt).slice(0, 19)).sort()[11]).toBe('2017-06-01T13:19:43');
  });

  it('--stage: the missing rows become a restore job the review and re-insert path reads (a reversed comparison: inserts, left out unless asked for)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-'));
    try {
      const file = join(dir, 'staging.db');
      const { r } = await run({ bak: [FULL, DIFF], afterBak: [FULL], stage: file, quiet: true, acceptOlderLater: true });
      expect(r.missing).toHaveLength(30);
      const s = new StagingStore(file);
      try {
        const job = s.requireJob(r.jobId!);
        expect(job).toMatchObject({ kind: 'restore', state: 'succeeded', rowsStaged: 30, tables: ['dbo.steps'], operations: ['insert', 'update'] });
        const rows = s.listRows(job.id, {}, { limit: 100 }).items;
        // the later state (the full backup) is older, compared as asked: the 30 rows were inserted
        // between the two, so they are staged as inserts, which the re-insert planner leaves out
        expect(rows.map((x) => x.operation)).toEqual(Array(30).fill('insert'));
        expect(rows.map((x) => x.values.step).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(30).keys()]);
        expect(s.jobTables(job.id).map((t) => `${t.schema}.${t.name}`)).toEqual(['dbo.steps']);
        // its notes, as a restore job run by the service has them (it had none: the review page showed no counts, no chain)
        const notes = s.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')?.details.notes as string[] | undefined;
        expect(notes?.[0]).toMatch(/^dbo\.steps: earlier 30 row\(s\), later 0 row\(s\); 30 missing from the later state, 0 changed, 0 only in the later state, 0 unchanged; /);
        expect(notes?.at(-1)).toMatch(/^warning: the later state \(--after-bak .* is older than the earlier state/);
        expect([job.complete, job.incomplete]).toEqual([true, []]);
        // the re-insert planner takes them like scanned deletes: one INSERT per row, the saved layout as target
        const targets = new Map(s.jobTables(job.id).map((t) => [`${t.schema}.${t.name}`, fromLayout(t)]));
        const plan = planReinsert(rows.map((x) => ({ id: x.id, table: x.table, lsn: x.lsn, values: x.values, operation: x.operation })), targets, []);
        expect(plan.problems.map((p) => p.code)).toEqual(Array(30).fill('REINSERT_NOT_A_DELETE'));
        expect(plan.batches.flatMap((b) => b.rows)).toHaveLength(0);
        // re-inserted on purpose (operations: ['insert'], as the re-insert route takes it): one INSERT per row, the saved layout as target
        const asked = planReinsert(rows.map((x) => ({ id: x.id, table: x.table, lsn: x.lsn, values: x.values, operation: x.operation })), targets, [], { operations: ['insert'] });
        expect(asked.batches.flatMap((b) => b.rows)).toHaveLength(30);
        expect(asked.batches[0].rows[0].insertSql).toBe('INSERT INTO [dbo].[steps] ([step], [dt]) VALUES (@p1, @p2);');
        expect(renderScript(asked)).toContain("'2017-06-01T12:59:12.9700000'");
      } finally {
        s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('both states replayed: the table at 13:05 against the table at 13:20 gains the 30 rows committed in between and lacks none; the later state given the earlier stop is refused', async () => {
    // 13:20 as the earlier state and 13:05 as the later printed the 30 rows inserted between them as
    // "missing from the later state": rows that exist (newcomer trial); such stops are refused now
    await expect(run({ trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], afterTrn: LOGS, afterStopAt: '2017-06-01 13:05' })).rejects.toMatchObject({ code: 'INPUT_BAD_WINDOW' });
    const fwd = await run({ trn: LOGS, stopAt: '2017-06-01 13:05', afterBak: [FULL], afterTrn: LOGS, afterStopAt: '2017-06-01 13:20' });
    expect([fwd.r.missing.length, fwd.r.added, fwd.r.same]).toEqual([0, 30, 12]);
    await expect(run({ afterBak: [FULL], afterStopAt: '2017-06-01 13:20' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
  });

  it('two chains to one point agree: 13:20 through the full backup and five log backups equals 13:20 through the differential and two', async () => {
    const viaLogs = await run({ trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], afterTrn: LOGS, afterStopAt: '2017-06-01 13:20' });
    expect(viaLogs.err).toMatch(/earlier state\): chain: full \S+RestoreTimeClean\.bak → log (\S+ → log ){4}\S+RestoreTimeClean2_2\.trn/);
    expect(viaLogs.err).toMatch(/later state\): chain: full \S+ → differential \S+RestoreTimeClean2\.bak → log \S+2_1\.trn → log \S+2_2\.trn\n/);
    expect([viaLogs.r.missing.length, viaLogs.r.added, viaLogs.r.same]).toEqual([0, 0, 42]);
  });

  it('--key step: the key repeats (the series restart at 0), so whole rows are compared and the summary says why', async () => {
    const { r, err } = await run({ trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], key: 'step', acceptOlderLater: true });
    expect(r.key).toBeNull();
    expect(err).toContain('--key (step) repeats in the earlier state, so whole rows were compared');
    expect(r.missing).toHaveLength(12);
  });

  it('bad input: both or neither later state, a stop without --trn, a file of another database', async () => {
    await expect(run({ afterBak: [FULL], afterMdf: [FULL] })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(run({})).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(run({ stopAt: '2017-06-01 13:05', afterBak: [DIFF] })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
    await expect(run({ afterBak: [corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak')] })).rejects.toMatchObject({ code: 'INPUT_MIXED_DATABASES' });
  });
});

describe('diffAsRecoveredRows of a reversed comparison (SYNTHETIC TableDiff)', () => {
  it("a changed row's before-image is the older state's row: the later state's, which is older", async () => {
    const { diffAsRecoveredRows } = await import('../../src/replay/compare.js');
    // SYNTHETIC: the earlier state (newer, compared as asked) holds Name 'new', the later (older) 'old'
    const d = { table: 'dbo.T', columns: ['Id', 'Name'], key: ['Id'], keyNote: null, missing: [], added: 0, same: 0,
      changed: [{ key: { Id: 1 }, columns: ['Name'], before: { Id: 1, Name: 'new' }, after: { Id: 1, Name: 'old' } }] } as unknown as Parameters<typeof diffAsRecoveredRows>[0];
    const [rev] = diffAsRecoveredRows(d, { kind: 'bak', file: 'SYNTHETIC.bak' }, undefined, { reversed: true });
    expect([rev!.operation, rev!.values.Name, rev!.after?.Name]).toEqual(['update', 'old', 'new']);
    expect(rev!.warnings[0]).toContain("the before-image is the later state's row, which is older");
    // not reversed: as before, the earlier state's row is the before-image
    const [fwd] = diffAsRecoveredRows(d, { kind: 'bak', file: 'SYNTHETIC.bak' });
    expect([fwd!.operation, fwd!.values.Name, fwd!.after?.Name]).toEqual(['update', 'new', 'old']);
  });
});

/**
 * Bytes a code page does not define print as U+FFFD whatever they were: two states whose value
 * differs only in such bytes (1253: 0xAA → 0xD2, both undefined) printed alike and were counted
 * unchanged, the change missed unsaid. SYNTHETIC rows (test/support/synthetic-encoder.ts), the
 * placeholder's bytes replaced by the bytes under test, decoded by decodeRow as diff decodes them.
 */
describe('diffTableStates: values that print alike but hold U+FFFD are not counted unchanged (SYNTHETIC rows)', () => {
  const layout = buildLayout('T', [
    { name: 'id', type: 'int' },
    { name: 'greek', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' },
    { name: 'wide', type: 'nvarchar', maxLength: 20 },
  ]);
  const decoded = (id: number, hex: string, wide = 'w'): Record<string, SqlValue> => {
    const image = Buffer.from(encodeRow(layout, { id, greek: 'QQ', wide }));
    const at = image.indexOf(Buffer.from('QQ', 'latin1'));
    Buffer.from(hex, 'hex').copy(image, at);
    return decodeRow(image, layout).values;
  };
  const st = (rows: Array<Record<string, SqlValue>>): TableState => ({ table: 'dbo.T', columns: ['id', 'greek', 'wide'], rows: rows.map((values) => ({ values })) });
  const opaque = opaqueTextColumns(layout);

  it('by key: 0xAA then 0xD2 (both print U+FFFD) is neither unchanged nor changed, but unsure, and said INCOMPLETE', () => {
    const before = st([decoded(1, 'c1aa'), decoded(2, 'c1c2')]);
    const after = st([decoded(1, 'c1d2'), decoded(2, 'c1c2')]);
    expect(before.rows[0]!.values.greek).toBe(after.rows[0]!.values.greek);
    const d = diffTableStates(before, after, ['id'], 'key', opaque);
    expect([d.same, d.changed.length, d.missing.length]).toEqual([1, 0, 0]);
    expect(d.unsure).toEqual([{ key: { id: 1 }, columns: ['greek'] }]);
    const { incomplete } = comparisonNotes({ unchecked: [], warned: [unsureRows(d)] });
    expect(incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: 1 row\(s\) print the same in both states but hold U\+FFFD .* in greek: whether they changed between the two states cannot be told .*first: key \{"id":1\}/)]);
  });

  it('whole rows: a row matched on U+FFFD is unsure too', () => {
    const d = diffTableStates(st([decoded(1, 'c1aa'), decoded(2, 'c1c2')]), st([decoded(1, 'c1d2'), decoded(2, 'c1c2')]), null, 'key', opaque);
    expect([d.same, d.missing.length, d.unsure.length]).toEqual([1, 0, 1]);
    expect(d.unsure[0]!.columns).toEqual(['greek']);
  });

  // the states as compare.ts builds them: each row's warnings naming its bytes kept (bytesNotes)
  const known = (id: number, hex: string) => {
    const image = Buffer.from(encodeRow(layout, { id, greek: 'QQ', wide: 'w' }));
    Buffer.from(hex, 'hex').copy(image, image.indexOf(Buffer.from('QQ', 'latin1')));
    const row = decodeRow(image, layout);
    return { values: row.values, bytesNotes: bytesNotes(row.warnings) };
  };
  const kst = (rows: ReturnType<typeof known>[]): TableState => ({ table: 'dbo.T', columns: ['id', 'greek', 'wide'], rows });

  it('with the warnings kept, by key: 0xAA then 0xD2 is changed (greek); the same bytes are unchanged', () => {
    const d = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1d2'), known(3, 'c1c2')]), kst([known(1, 'c1d2'), known(2, 'c1d2'), known(3, 'c1c2')]), ['id'], 'key', opaque);
    expect(d.changed.map((c) => [c.key, c.columns])).toEqual([[{ id: 1 }, ['greek']]]);
    expect([d.same, d.unsure.length, d.missing.length]).toEqual([2, 0, 0]);
    // staged, the update keeps the warnings naming both images' bytes
    const staged = diffAsRecoveredRows(d, { kind: 'bak', file: 'x.bak' });
    expect(staged[0]!.warnings).toEqual([expect.stringMatching(/^changed in the later state: greek/), expect.stringMatching(/^column greek: 0xAA at offset 1/), expect.stringMatching(/^after-image: column greek: 0xD2 at offset 1/)]);
  });

  it('with the warnings kept, whole rows: 0xAA then 0xD2 is missing (and one only in the later state); the same bytes match', () => {
    const d = diffTableStates(kst([known(1, 'c1aa'), known(1, 'c1d2')]), kst([known(1, 'c1d2'), known(1, 'c1ff')]), null, 'key', opaque);
    expect(d.missing.map((m) => (m as { bytesNotes?: string }).bytesNotes)).toEqual([expect.stringMatching(/^column greek: 0xAA at offset 1/)]);
    expect([d.same, d.added, d.unsure.length]).toEqual([1, 1, 0]);
    // staged, the missing row keeps the warning naming its bytes (the reviewer's, and the re-insert's hold)
    const staged = diffAsRecoveredRows(d, { kind: 'bak', file: 'x.bak' });
    expect(staged[0]!.warnings).toContainEqual(expect.stringMatching(/^column greek: 0xAA at offset 1 .*REINSERT_UNDEFINED_BYTES/));
  });

  it('a key whose values print alike but differ in bytes printed U+FFFD: whole rows are compared and the note says why (it said the key repeats)', () => {
    const d = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1d2')]), kst([known(1, 'c1aa')]), ['greek'], '--key', opaque);
    expect(d.key).toBeNull();
    expect(d.keyNote).toBe('--key (greek) prints alike for two rows of the earlier state, holding U+FFFD (bytes its code page does not define) in greek: their warnings name different bytes there, so the keys differ only in bytes the text does not show; rows cannot be matched on it, so whole rows were compared');
    // the rows' bytes not known (warnings not kept): may differ, said so
    const plain = (id: number, greek: string) => ({ values: { id, greek, wide: 'w' } });
    const u = diffTableStates(kst([plain(1, 'Α\ufffd'), plain(2, 'Α\ufffd')] as never), kst([] as never), ['greek'], '--key', opaque);
    expect(u.keyNote).toMatch(/prints alike for two rows of the earlier state, holding U\+FFFD .* in greek: the keys may differ only in bytes the text does not show \(their bytes are not known here\)/);
    // the same bytes: the key repeats, said as before
    const same = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1aa')]), kst([]), ['greek'], '--key', opaque);
    expect(same.keyNote).toMatch(/their warnings name the same bytes there, so the key repeats/);
    // a key without U+FFFD repeating: the note as before
    expect(diffTableStates(kst([known(1, 'c1c2'), known(1, 'c1c2')]), kst([]), ['id'], '--key', opaque).keyNote).toBe('--key (id) repeats in the earlier state, so whole rows were compared');
  });

  it('every pair printed alike is counted: a key that truly repeats after a U+FFFD pair is said to repeat (the note judged the first pair alone)', () => {
    // SYNTHETIC rows: greek C1 AA / C1 D2 print alike (0xAA, 0xD2 undefined in 1253) but are two keys;
    // C1 C2 twice is a real repeat. The note said only "the keys differ only in bytes the text does
    // not show", as if --key greek were unique but for U+FFFD
    const d = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1d2'), known(3, 'c1c2'), known(4, 'c1c2')]), kst([]), ['greek'], '--key', opaque);
    expect(d.key).toBeNull();
    expect(d.keyNote).toBe('--key (greek) repeats in the earlier state, so whole rows were compared; besides, one more row prints a key value alike only through U+FFFD (bytes its code page does not define) in greek');
    // two U+FFFD pairs and no real repeat: counted
    const two = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1d2'), known(3, 'c1ff')]), kst([]), ['greek'], '--key', opaque);
    expect(two.keyNote).toBe('--key (greek) prints alike for rows (2 of them printing a key value already printed on an earlier row) of the earlier state, holding U+FFFD (bytes its code page does not define) in greek: their warnings name different bytes there, so the keys differ only in bytes the text does not show; rows cannot be matched on it, so whole rows were compared');
    // the later state judged the same way when the earlier one is unique
    const later = diffTableStates(kst([known(1, 'c1c2')]), kst([known(1, 'c1aa'), known(2, 'c1d2'), known(3, 'c1c2'), known(4, 'c1c2'), known(5, 'c1c2')]), ['greek'], '--key', opaque);
    expect(later.keyNote).toBe('--key (greek) repeats in the later state (2 rows repeat a key value printed on an earlier row), so whole rows were compared; besides, one more row prints a key value alike only through U+FFFD (bytes its code page does not define) in greek');
  });

  it('a row repeating the key bytes of the second row printing it (not the first\'s) is a real repeat', () => {
    // SYNTHETIC rows: C1 AA, then C1 D2 twice (0xAA, 0xD2 undefined in 1253): the key C1 D2 repeats.
    // Each row was judged against the first row printing its key only: two pairs "differing only in
    // bytes the text does not show", and the note implied --key greek unique but for U+FFFD
    const d = diffTableStates(kst([known(1, 'c1aa'), known(2, 'c1d2'), known(3, 'c1d2')]), kst([]), ['greek'], '--key', opaque);
    expect(d.key).toBeNull();
    expect(d.keyNote).toBe('--key (greek) repeats in the earlier state, so whole rows were compared; besides, one more row prints a key value alike only through U+FFFD (bytes its code page does not define) in greek');
  });

  it('a key that prints alike in both states but whose warnings name other bytes is not one row: missing (and one only in the later state), not changed', () => {
    // SYNTHETIC: the earlier state's key greek = C1 AA (0xAA undefined in 1253), the later state's C1 D2:
    // two keys of the database, printed alike (Α + U+FFFD). Matched on the printed key, the deleted
    // row was said changed (key column greek changed) and not missing
    const d = diffTableStates(kst([known(1, 'c1aa'), known(3, 'c1c2')]), kst([known(2, 'c1d2'), known(3, 'c1c2')]), ['greek'], '--key', opaque);
    expect(d.key).toEqual(['greek']);
    expect(d.changed).toEqual([]);
    expect(d.missing.map((m) => m.values.id)).toEqual([1]);
    expect([d.added, d.same, d.unsure.length]).toEqual([1, 1, 0]);
    // the same bytes: one row (changed in id); bytes not known: unsure, as before
    const same = diffTableStates(kst([known(1, 'c1aa')]), kst([known(2, 'c1aa')]), ['greek'], '--key', opaque);
    expect(same.changed.map((c) => c.columns)).toEqual([['id']]);
    expect([same.missing.length, same.added]).toEqual([0, 0]);
  });

  it('U+FFFD stored in an nvarchar column is a character, compared as such (unchanged)', () => {
    const d = diffTableStates(st([decoded(1, 'c1c2', 'a\ufffd')]), st([decoded(1, 'c1c2', 'a\ufffd')]), ['id'], 'key', opaque);
    expect([d.same, d.unsure.length]).toEqual([1, 0]);
  });
});

/**
 * A replay removes a deleted row by its values; two rows that print alike but differ in bytes
 * printed U+FFFD (1253: 0xAA, 0xD2) were one key, and the last added was removed whichever was
 * deleted: the row left carried the deleted row's warning, naming bytes that were not its own.
 * SYNTHETIC rows decoded by decodeRow.
 */
describe('RowState.remove: of rows that print alike, the one whose undefined bytes the deleted image names (SYNTHETIC rows)', () => {
  const layout = buildLayout('H', [{ name: 'greek', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' }]);
  const decoded = (hex: string) => {
    const image = Buffer.from(encodeRow(layout, { greek: 'QQ' }));
    Buffer.from(hex, 'hex').copy(image, image.indexOf(Buffer.from('QQ', 'latin1')));
    return decodeRow(image, layout);
  };
  it('deleting the 0xAA row leaves the 0xD2 row, with its own warning', () => {
    const aa = decoded('c1aa');
    const d2 = decoded('c1d2');
    expect(aa.values).toEqual(d2.values);
    for (const order of [[aa, d2], [d2, aa]]) {
      const state = new RowState(['greek']);
      for (const r of order) state.add({ values: r.values, origin: 'backup', warnings: r.warnings });
      expect(state.remove(aa.values, aa.warnings)).toBe(true);
      const left = [...state.rows()];
      expect(left).toHaveLength(1);
      expect(left[0]!.warnings.join('\n')).toMatch(/0xD2 at offset 1/);
    }
  });
});

/**
 * FILESTREAM columns print as a marker (values.ts FilestreamOffRow) keeping the row's pointer when
 * its bytes read as bytes. An UPDATE of a FILESTREAM value writes a new file and points the row at
 * it, so equal pointers are one file and different pointers a changed document. A marker that keeps
 * no pointer prints alike whatever file its row points to: two such rows were counted unchanged, a
 * changed document unseen. Now they are unsure (INCOMPLETE), by key and as whole rows. SYNTHETIC
 * states (markers typed here).
 */
describe('diffTableStates: FILESTREAM markers (SYNTHETIC states)', () => {
  const marker = (pointer?: string): SqlValue => ({ offRow: { kind: 'filestream', ...(pointer ? { pointer } : {}), unavailable: 'a file in the FILESTREAM container' } });
  const st = (rows: Array<[number, SqlValue]>): TableState => ({ table: 'dbo.Docs', columns: ['id', 'doc'], rows: rows.map(([id, doc]) => ({ values: { id, doc } })) });

  it('by key: equal pointers are unchanged, other pointers changed, markers without a pointer neither (unsure, said INCOMPLETE)', () => {
    const d = diffTableStates(st([[1, marker('0x01')], [2, marker('0x02')], [3, marker()], [4, null]]), st([[1, marker('0x01')], [2, marker('0x03')], [3, marker()], [4, null]]), ['id']);
    expect([d.same, d.changed.map((c) => c.key), d.missing.length]).toEqual([2, [{ id: 2 }], 0]);
    expect(d.unsure).toEqual([{ key: { id: 3 }, columns: ['doc'], filestream: true }]);
    expect(d.unsure.some((u) => !u.filestream)).toBe(false);
    const { incomplete } = comparisonNotes({ unchecked: [], warned: [unsureFilestreamRows(d)] });
    expect(incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: 1 row\(s\) print the same in both states but their FILESTREAM column doc is a marker holding no pointer .*whether the document changed between the two states is not known.*first: key \{"id":3\}/)]);
  });

  it('whole rows: a row matched on a marker without a pointer is unsure, one with its pointer unchanged', () => {
    const d = diffTableStates(st([[1, marker('0x01')], [3, marker()]]), st([[1, marker('0x01')], [3, marker()]]), null);
    expect([d.same, d.missing.length, d.added]).toEqual([1, 0, 0]);
    expect(d.unsure).toEqual([{ key: { id: 3, doc: marker() }, columns: ['doc'], filestream: true }]);
  });
});
