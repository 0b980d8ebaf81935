import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RestoreChain } from '../../src/restore/chain.js';
import { computeMoves, renderRestore, scriptText } from '../../src/restore/tsql.js';
import { planText } from '../../src/cli/commands/restore.js';
import { tokenizeTsql, type TsqlToken } from '../support/tsql-tokenizer.js';
import { rec } from './synthetic-history.js';
import { SQLCMD_UNSAFE } from '../../src/util/tsql.js';

/** SYNTHETIC chain: a striped full backup, a differential, two logs; names and paths as given. */
function chain(o: { db: string; devices: string[]; logical: string[]; physical: string[]; target: RestoreChain['target'] }): RestoreChain {
  const files = o.logical.map((l, i) => ({ logicalName: l, physicalName: o.physical[i], type: (i === o.logical.length - 1 ? 'L' : 'D') as 'D' | 'L', fileId: i + 1 }));
  const full = { ...rec({ name: 'F.bak', backupType: 'full', firstLsn: '1', lastLsn: '10', at: '2024-01-01T00:00:00' }), databaseName: o.db, devices: o.devices, files };
  const diff = { ...rec({ name: 'D.bak', backupType: 'differential', firstLsn: '20', lastLsn: '30', at: '2024-01-01T01:00:00' }), databaseName: o.db, devices: [o.devices[0]], position: 3 };
  const l1 = { ...rec({ name: 'L1.trn', backupType: 'log', firstLsn: '25', lastLsn: '40', at: '2024-01-01T02:00:00' }), databaseName: o.db, devices: [o.devices.at(-1)!] };
  const l2 = { ...rec({ name: 'L2.trn', backupType: 'log', firstLsn: '40', lastLsn: '50', at: '2024-01-01T03:00:00' }), databaseName: o.db, devices: [o.devices.at(-1)!], position: 2 };
  return { databaseName: o.db, target: o.target, steps: [{ role: 'full', set: full }, { role: 'differential', set: diff }, { role: 'log', set: l1 }, { role: 'log', set: l2 }], notes: [], reachable: [], skipped: [] };
}

type Tok = { kind: string; value?: string; text?: string };
const w = (text: string): Tok => ({ kind: 'word', text });
const p = (text: string): Tok => ({ kind: 'punct', text });
const s = (value: string): Tok => ({ kind: 'string', value });
const id = (value: string): Tok => ({ kind: 'ident', value });
const n = (text: string): Tok => ({ kind: 'number', text });

function simplify(tokens: TsqlToken[]): Tok[] {
  return tokens.filter((t) => t.kind !== 'ws').map((t) => (t.kind === 'string' ? { kind: 'string', value: t.value } : t.kind === 'ident' ? { kind: 'ident', value: t.value } : { kind: t.kind, text: (t as { text: string }).text }));
}

function disks(devs: string[]): Tok[] {
  return devs.flatMap((d, i) => [...(i ? [p(',')] : []), w('DISK'), p('='), s(d)]);
}

/** The tokens the plan must be, built from the inputs alone. */
function expected(c: RestoreChain, as: string, moves: Array<{ logicalName: string; to: string }>, stop: Tok[]): Tok[] {
  const [full, diff, l1, l2] = c.steps.map((x) => x.set);
  return [
    w('RESTORE'), w('DATABASE'), id(as), w('FROM'), ...disks(full.devices), w('WITH'), w('FILE'), p('='), n('1'),
    ...moves.flatMap((m) => [p(','), w('MOVE'), s(m.logicalName), w('TO'), s(m.to)]), p(','), w('NORECOVERY'), p(';'),
    w('RESTORE'), w('DATABASE'), id(as), w('FROM'), ...disks(diff.devices), w('WITH'), w('FILE'), p('='), n('3'), p(','), w('NORECOVERY'), p(';'),
    w('RESTORE'), w('LOG'), id(as), w('FROM'), ...disks(l1.devices), w('WITH'), w('FILE'), p('='), n('1'), p(','), w('NORECOVERY'), p(';'),
    w('RESTORE'), w('LOG'), id(as), w('FROM'), ...disks(l2.devices), w('WITH'), w('FILE'), p('='), n('2'), p(','), w('NORECOVERY'), p(','), ...stop, p(';'),
    w('RESTORE'), w('DATABASE'), id(as), w('WITH'), w('RECOVERY'), p(';'),
  ];
}

const HOSTILE = ["x'; DROP DATABASE master; --", 'a]b', ']]', "N'", "'", 'x\r\nGO\r\nSHUTDOWN', '/* x', '--', 'ü 数据 \u{1F600}', ' leading', 'a"b', '[x]'];
const name = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 50, unit: 'binary' }));
const path = fc.oneof(fc.constantFrom(...HOSTILE.map((h) => `D:\\Backups\\${h}.bak`)), fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }));

describe('restore T-SQL', () => {
  it('property: hostile database names, logical names and paths leave exactly the intended statements (strict tokenizer)', () => {
    fc.assert(
      fc.property(name, name, fc.array(path, { minLength: 1, maxLength: 3 }), fc.array(name, { minLength: 2, maxLength: 3 }), fc.boolean(), (db, as, devices, logical, byTime) => {
        fc.pre(db.toLowerCase() !== as.toLowerCase());
        const physical = logical.map((l, i) => `E:\\Data\\${db}${i}_${l.replace(/[\\/]/g, '')}.mdf`);
        fc.pre(new Set(physical.map((x) => x.toLowerCase())).size === physical.length);
        const target = byTime ? { kind: 'time' as const, time: '2024-01-01T02:30:00.000' } : { kind: 'lsn' as const, lsn: '45' };
        const c = chain({ db, devices, logical, physical, target });
        let r;
        try {
          r = renderRestore(c, { as });
        } catch (e) {
          // the only refusal allowed here: two new file names that collide
          expect((e as { code: string }).code).toBe('INPUT_RESTORE_FILE_CLASH');
          return;
        }
        const stop = byTime ? [w('STOPAT'), p('='), s('2024-01-01T02:30:00.000')] : [w('STOPBEFOREMARK'), p('='), s('lsn:45')];
        // a name or path with a line break or `$(` is not printed into a script: sqlcmd and SSMS would
        // act on it first (test/restore/sec-comment-lines.test.ts); the statements themselves stay exact
        if (r.statements.some((st) => SQLCMD_UNSAFE.test(st))) {
          expect(() => scriptText(r)).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_UNSCRIPTABLE' }));
          expect(simplify(tokenizeTsql(r.statements.join('\n') + '\n'))).toEqual(expected(c, as, r.moves, stop));
          return;
        }
        expect(simplify(tokenizeTsql(scriptText(r)))).toEqual(expected(c, as, r.moves, stop));
        // the text format adds only line comments in front
        const text = planText({ chain: c, rendered: r, as });
        expect(simplify(tokenizeTsql(text)).filter((t) => t.kind !== 'line-comment')).toEqual(expected(c, as, r.moves, stop));
        // no new file lands on an original file
        for (const m of r.moves) expect(physical.map((x) => x.toLowerCase())).not.toContain(m.to.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('moves: same folder and extension, database name replaced by the new name; characters Windows refuses become _', () => {
    const files = [
      { logicalName: 'db1', physicalName: 'C:\\Move\\db1.mdf', type: 'D' as const, fileId: 1 },
      { logicalName: 'db1_1', physicalName: 'C:\\Move\\db1_1.ndf', type: 'D' as const, fileId: 3 },
      { logicalName: 'db1_log', physicalName: '/var/opt/mssql/data/other_log.ldf', type: 'L' as const, fileId: 2 },
    ];
    expect(computeMoves(files, 'db1', 'side:1?').map((m) => m.to)).toEqual(['C:\\Move\\side_1_.mdf', 'C:\\Move\\side_1__1.ndf', '/var/opt/mssql/data/side_1__other_log.ldf']);
    expect(() => computeMoves([{ ...files[0] }, { ...files[0], logicalName: 'x', physicalName: 'C:\\Move\\DB1.MDF' }], 'db1', 'n')).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_FILE_CLASH' }));
  });

  it('without --as the original name is refused; --replace-original writes REPLACE, no MOVE, and a loud warning', () => {
    const c = chain({ db: 'Shop', devices: ['D:\\b\\F.bak'], logical: ['Shop', 'Shop_log'], physical: ['E:\\Shop.mdf', 'E:\\Shop_log.ldf'], target: { kind: 'lsn', lsn: '45' } });
    expect(() => renderRestore(c, { as: 'shop' })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_OVER_ORIGINAL', message: expect.stringMatching(/--as NEW_NAME.*--replace-original/) }));
    // SQL Server ignores trailing spaces when it compares names: [Shop  ] IS database Shop
    expect(() => renderRestore(c, { as: 'Shop  ' })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_OVER_ORIGINAL' }));
    // a system database is no side database: a plan into msdb (REPLACE under restore run --overwrite-existing) replaced it
    for (const as of ['master', 'MSDB', 'model ', 'tempdb']) {
      expect(() => renderRestore(c, { as })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_SYSTEM_DATABASE', message: expect.stringMatching(/names SQL Server's own (master|msdb|model|tempdb) database, not a new one: restoring Shop into it .* choose another --as name/) }));
      expect(() => renderRestore(c, { as, replaceExisting: true })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_SYSTEM_DATABASE' }));
    }
    expect(renderRestore(c, { as: 'msdb_side' }).statements[0]).toMatch(/^RESTORE DATABASE \[msdb_side\]/);
    const r = renderRestore(c, { as: 'Shop', replaceOriginal: true });
    expect(r.statements[0]).toBe("RESTORE DATABASE [Shop] FROM DISK = N'D:\\b\\F.bak' WITH FILE = 1, REPLACE, NORECOVERY;");
    expect(r.warnings.join(' ')).toMatch(/OVERWRITES database Shop/);
    expect(scriptText(r).split('\n')[0]).toMatch(/^-- WARNING: this script OVERWRITES database Shop/);
  });

  it('STANDBY replaces NORECOVERY on the last log and no RECOVERY follows', () => {
    const c = chain({ db: 'Shop', devices: ['a.bak', 'b.bak'], logical: ['Shop', 'Shop_log'], physical: ['E:\\Shop.mdf', 'E:\\Shop_log.ldf'], target: { kind: 'time', time: '2024-01-01T02:30:00.000' } });
    const r = renderRestore(c, { as: 'S2', standby: "E:\\undo'S2.tuf" });
    expect(r.statements[0]).toMatch(/^RESTORE DATABASE \[S2\] FROM DISK = N'a\.bak', DISK = N'b\.bak' WITH FILE = 1, MOVE/);
    expect(r.statements.at(-1)).toBe("RESTORE LOG [S2] FROM DISK = N'b.bak' WITH FILE = 2, STANDBY = N'E:\\undo''S2.tuf', STOPAT = N'2024-01-01T02:30:00.000';");
    expect(r.statements).toHaveLength(4);
  });
});
