/**
 * jobWording: the library's messages (written for `rowback scan`/`diff`/`dump`) as each job kind's
 * caller reads them. (a) message → job wording per kind, on messages the library writes (quoted from
 * it: committed.ts, metadata-override.ts, window-before-log.ts, logreader/live/drift.ts, …);
 * (c) the tables stay in step with the CLI and the request schema: every flag a table names is an
 * option of its command, every field it names a field of the kind's zod schema, and every flag in
 * a backticked command it says instead an option of that command.
 * No file bytes are read here: the messages are text (a SYNTHETIC row image for the bracketed names).
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import type { z } from 'zod';
import { buildProgram } from '../../src/cli/main.js';
import { driftExplanation } from '../../src/logreader/live/drift.js';
import { JOB_WORDING, jobWording, stringsOf, type JobWordingKind } from '../../src/worker/job-wording.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { formatLocation } from '../../src/errors.js';
import { undefinedBytesWarned } from '../../src/reinsert/service.js';
import { identifierText } from '../../src/util/identifier-text.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { ExportJobSpec, FilesJobSpec, JobMetadata, LiveJobSpec, LogBackupJobSpec, RestoreJobSpec } from '../../src/worker/job-spec.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

const UNKNOWN_UNITS = "3 committed delete(s) on allocation units the table metadata does not know (not SQL Server's own system tables) are not in this result: rows of tables the metadata lacks (created, re-created or rebuilt after it was read, dropped, or left out of --ddl/--schema): AllocUnitId 72057594043432960 ×3, listed by rowback log --alloc-unit ID";
const REORDERED = "the layout given with --ddl/--schema lists dbo.tblDept's column DeptName after DeptDesc; if this is the table's layout from before a column was dropped and added again under its name, rerun with --accept-layout-drift; if the table was re-created with another column order, leave out --mdf/--bak and give the old allocation unit with --alloc-unit (table dbo.tblDept)";
const BEFORE_LOG = 'add the log backups taken before it with --trn (or the .ldf with --ldf)';
const DRIFT_CLAUSE = '3 on tables altered after their transaction began, left out (SOURCE_SCHEMA_DRIFT among the skipped items; --accept-schema-drift with their old layout in --schema/--ddl decodes them)';
const NO_LAYOUT = "give a data file or backup as of the log's end, or the table's layout (--ddl/--schema with --alloc-unit SCHEMA.NAME=ID)";
const DUMP_ADVICE = 'rowback dump --bak FULL.bak --trn LOG.trn … --table SCHEMA.TABLE --stop-before-lsn 0000002a:000001f0:0003 (docs/restore.md)';
const QUOTED = 'read it with `rowback scan --ddl T.sql --ldf L.ldf`, or give --schema';
const DRIFT = driftExplanation({ schema: 'dbo', name: 'Employee' } as TableLayout, '2099-01-01T00:00:00.000', '2018-08-28T18:37:18.200');

describe('jobWording: message → job wording, per kind', () => {
  const cases: Array<[JobWordingKind, string, string]> = [
    ['files', UNKNOWN_UNITS, "3 committed delete(s) on allocation units the table metadata does not know (not SQL Server's own system tables) are not in this result: rows of tables the metadata lacks (created, re-created or rebuilt after it was read, dropped, or left out of metadata.ddl/metadata.catalog): AllocUnitId 72057594043432960 ×3, listed by `rowback log --alloc-unit ID`"],
    ['files', REORDERED, "the layout given with metadata.ddl/metadata.catalog lists dbo.tblDept's column DeptName after DeptDesc; if this is the table's layout from before a column was dropped and added again under its name, rerun with acceptLayoutDrift: true; if the table was re-created with another column order, leave out mdf/bak and give the old allocation unit with metadata.allocUnit(s) (table dbo.tblDept)"],
    ['files', 'X.mdf: it is a SQL Server data file (.mdf/.ndf), not a backup; give it with --mdf (diff: --after-mdf)', 'X.mdf: it is a SQL Server data file (.mdf/.ndf), not a backup; give it with mdf'],
    ['files', BEFORE_LOG, 'add the log backups taken before it with trn (or the .ldf with ldf)'],
    ['files', NO_LAYOUT, "give a data file or backup as of the log's end, or the table's layout (metadata.ddl/metadata.catalog with metadata.allocUnits { \"SCHEMA.NAME\": \"ID\" })"],
    ['files', DUMP_ADVICE, '`rowback dump --bak FULL.bak --trn LOG.trn … --table SCHEMA.TABLE --stop-before-lsn 0000002a:000001f0:0003` (docs/restore.md)'],
    ['files', QUOTED, 'read it with `rowback scan --ddl T.sql --ldf L.ldf`, or give metadata.catalog'],
    ['files', 'a live scan (--server/--database) or --export FILE', 'a live scan (server/database (a live job)) or file (an export job) FILE'],
    ['live', BEFORE_LOG, 'add the log backups taken before it with trn (a files job) (or the .ldf with ldf (a files job))'],
    ['live', 'deletes before that are only in log backups — add them with --log-backup', 'deletes before that are only in log backups — add them with logBackups (a log-backup job)'],
    ['live', 'the inactive log is read only when asked for (--inactive-log)', 'the inactive log is read only when asked for (inactiveLog: true)'],
    ['live', DRIFT_CLAUSE, '3 on tables altered after their transaction began, left out (SOURCE_SCHEMA_DRIFT among the skipped items; a new job with acceptSchemaDrift: true and their old layout in metadata.catalog or metadata.ddl decodes them)'],
    ['log-backup', BEFORE_LOG, 'add the log backups taken before it with logBackups (or the .ldf with ldf (a files job))'],
    ['log-backup', 'nothing to read: give --log-backup files or keep the online log', 'nothing to read: give logBackups files or keep the online log'],
    ['export', DRIFT_CLAUSE, '3 on tables altered after their transaction began, left out (SOURCE_SCHEMA_DRIFT among the skipped items; a new job with acceptSchemaDrift: true and their old layout in metadata.catalog or metadata.ddl decodes them)'],
    ['export', '--accept-schema-drift', 'acceptSchemaDrift: true'],
    ['files', '--accept-schema-drift', 'acceptSchemaDrift: true (a live, log-backup or export job, with the old layout in its metadata)'],
    ['export', 'widen the window (or drop --from/--to) to see them', 'widen the window (or drop from/to) to see them'],
    ['export', 'give a --ddl layout with --collation or --type-alias Flag=bit, and --catalog-any-database', 'give a metadata.ddl layout with metadata.collation or metadata.typeAliases Flag=bit, and metadata.catalogAnyDatabase: true'],
    ['restore', 'the chain stops before --stop-at; give --after-bak, or --stop-before-lsn/--after-stop-at, --accept-older-later', 'the chain stops before stopAt; give afterBak, or stopBeforeLsn/afterStopAt, acceptOlderLater: true'],
    ['restore', 'plan it with `rowback restore plan --backups DIR --stop-at T` first', 'plan it with `rowback restore plan --backups DIR --stop-at T` first'],
    ['restore', 'X.mdf: it is a SQL Server data file (.mdf/.ndf), not a backup; give it with --mdf (diff: --after-mdf)', 'X.mdf: it is a SQL Server data file (.mdf/.ndf), not a backup; give it in "afterMdf"'],
    ['restore', 'move the ones that do not belong out of the folders, or plan from msdb (--server)', "move the ones that do not belong out of the folders, or plan from msdb (`rowback restore plan --server …` (msdb's backup history; a restore job reads the files it is given))"],
    ['restore', 'the layout lacks it (--mdf/--bak/--schema)', 'the layout lacks it (afterMdf/bak/metadata.catalog (a files job))'],
  ];
  it.each(cases)('%s: %s', (kind, cli, job) => {
    expect(jobWording(kind, cli)).toBe(job);
  });

  it('a value the message names escaped (a path holding a line break, as echoInput and the CLI lines write it) is kept verbatim, as the raw value is', () => {
    // `/data/p<LF>--mdf x.bak` named `/data/p\u{a}--mdf x.bak`: its `--mdf` was reworded to
    // `afterMdf`, and the job's answer named another path
    const path = '/data/p\n--mdf x.bak';
    expect(jobWording('restore', 'the backup /data/p\\u{a}--mdf x.bak is cut', [path])).toBe('the backup /data/p\\u{a}--mdf x.bak is cut');
    // a flag outside the value is still reworded
    expect(jobWording('restore', 'the backup /data/p\\u{a}--mdf x.bak is cut; give it with --mdf', [path])).toMatch(/^the backup \/data\/p\\u\{a\}--mdf x\.bak is cut; give it with afterMdf$/);
    expect(jobWording('restore', `the backup ${path} is cut`, [path])).toBe(`the backup ${path} is cut`);
  });

  it('a live, log-backup or export job\'s SOURCE_SCHEMA_DRIFT reason: the way on is a new job with acceptSchemaDrift: true and the old layout in its metadata', () => {
    for (const kind of ['live', 'log-backup', 'export'] as const) {
      const said = jobWording(kind, DRIFT);
      expect(said).toContain('Decode with the layout that was in force instead: a new job with acceptSchemaDrift: true and that layout in metadata.catalog (the catalog JSON saved before the change) or metadata.ddl (the old CREATE TABLE).');
      expect(said).toContain('for those, run a files job on the log (trn or ldf) with a data file or backup from before the change (mdf or bak).');
      expect(said.split('`').filter((_, i) => i % 2 === 0).join('')).not.toMatch(/(^|[^\w`-])--[a-z]/);
    }
  });
});

/** The options of a CLI command (`scan`, `diff`, `restore plan`), as commander registered them. */
async function optionsOf(path: string): Promise<Set<string>> {
  const names = path.split(' ');
  let cmd: Command = await buildProgram([names[0]!]);
  for (const n of names) cmd = cmd.commands.find((c) => c.name() === n)!;
  expect(cmd, path).toBeDefined();
  return new Set(cmd.options.map((o) => o.long!).filter(Boolean));
}

type Shape = Record<string, z.ZodType>;
/** The object shape of a job spec schema (its refinements looked through). */
function shapeOf(s: unknown): Shape {
  const o = s as { shape?: Shape; def?: { schema?: unknown; in?: unknown; innerType?: unknown } };
  if (o.shape) return o.shape;
  const inner = o.def?.schema ?? o.def?.in ?? o.def?.innerType;
  if (!inner) throw new Error('not an object schema');
  return shapeOf(inner);
}
const SCHEMAS: Record<JobWordingKind, unknown> = { files: FilesJobSpec, live: LiveJobSpec, 'log-backup': LogBackupJobSpec, export: ExportJobSpec, restore: RestoreJobSpec };

/** Whether `field` (`from`, `metadata.ddl`, `metadata.allocUnit(s)`) is a field of `kind`'s request. */
function hasField(kind: JobWordingKind, field: string): boolean {
  const [head, rest] = field.split('.', 2) as [string, string | undefined];
  const shape = shapeOf(SCHEMAS[kind]);
  if (!(head in shape)) return false;
  if (rest === undefined) return true;
  const meta = shapeOf(JobMetadata);
  const names = rest.endsWith('(s)') ? [rest.slice(0, -3), `${rest.slice(0, -3)}s`] : [rest];
  return head === 'metadata' && names.every((n) => n in meta);
}

/** The flags of each `rowback CMD …` command in backticks in `text`: [command, flag]. */
function backtickedFlags(text: string): Array<[string, string]> {
  return text.split('`').filter((_, i) => i % 2 === 1).flatMap((c) => {
    const m = /^rowback (restore plan|[a-z]+)/.exec(c);
    return m ? [...c.matchAll(/--[a-z][a-z-]*/g)].map((f) => [m[1]!, f[0]] as [string, string]) : [];
  });
}

describe('the wording tables stay in step with the CLI options and the request schema', () => {
  it.each(Object.keys(JOB_WORDING) as JobWordingKind[])('%s', async (kind) => {
    const table = JOB_WORDING[kind];
    const own = await optionsOf(table.command);
    const problems: string[] = [];
    const dup = table.flags.map((x) => x.flag).filter((fl, i, all) => all.indexOf(fl) !== i);
    if (dup.length) problems.push(`named twice: ${dup.join(', ')}`);
    for (const x of table.flags) {
      const command = x.command ?? table.command;
      if (!(await optionsOf(command)).has(x.flag)) problems.push(`${x.flag} is not an option of rowback ${command}`);
      if (x.field !== undefined && !hasField(x.kind ?? kind, x.field)) problems.push(`${x.flag}: ${x.field} is not a field of a ${x.kind ?? kind} job`);
      if (x.field === undefined && x.say === undefined) problems.push(`${x.flag}: neither a field nor what to say`);
      for (const [cmd, flag] of backtickedFlags(x.say ?? '')) if (!(await optionsOf(cmd)).has(flag)) problems.push(`${x.flag}'s say: ${flag} is not an option of rowback ${cmd}`);
    }
    for (const p of table.phrases) {
      for (const [cmd, flag] of backtickedFlags(p.job)) if (!(await optionsOf(cmd)).has(flag)) problems.push(`phrase '${p.cli}': ${flag} is not an option of rowback ${cmd}`);
      // a phrase's job text names no flag outside backticks, and the flags it replaces are the command's
      if (p.job.split('`').filter((_, i) => i % 2 === 0).join('').match(/(^|[^\w`-])--[a-z]/)) problems.push(`phrase '${p.cli}' says a flag outside backticks`);
      // the library's sentence a phrase replaces names flags of the commands it is written for
      const any = new Set([...own, ...(await optionsOf('scan')), ...(await optionsOf('dump')), ...(await optionsOf('diff'))]);
      for (const f of p.cli.split('`').filter((_, i) => i % 2 === 0).join('').match(/--[a-z][a-z-]*/g) ?? []) if (!any.has(f)) problems.push(`phrase '${p.cli}': ${f} is an option of no rowback command`);
    }
    expect(problems).toEqual([]);
  });

  it('a flag a table lacks, or a field the schema lacks, is caught (the check itself)', async () => {
    expect(hasField('files', 'metadata.allocUnit(s)')).toBe(true);
    expect(hasField('export', 'acceptSchemaDrift')).toBe(true);
    expect(hasField('files', 'acceptSchemaDrift')).toBe(false);
    expect(hasField('live', 'trn')).toBe(false);
    expect((await optionsOf('scan')).has('--accept-schema-drift')).toBe(true);
    expect((await optionsOf('diff')).has('--after-stop-at')).toBe(true);
  });
});

/**
 * A name holding `]` is written doubled in its brackets (identifierText: `[x]]--ddl y]`, as QUOTENAME
 * writes it), and the whole bracketed name is a value jobWording keeps: QUOTED took the span to the
 * first `]` (`[x]`), and the rest of the name was reworded (`[x]]metadata.ddl y]`, `[a]]b mdf]`); the
 * row's own names did not keep it either, as they are raw (`x]--ddl y` is not in `[x]]--ddl y]`).
 * Before names were bracketed in row warnings and locations (2026-12-07) the bare name was kept by
 * the row's names. The staged warning then named a column the row has not, and the re-insert's
 * REINSERT_UNDEFINED_BYTES message (undefinedBytesWarned) named that column too. SYNTHETIC row
 * (test/support/synthetic-encoder.ts, Greek_CI_AS varchar: 0xAA is a byte code page 1253 does not
 * define), decoded by decodeRow as a job decodes it.
 */
describe('jobWording keeps a bracketed name holding `]` whole (SYNTHETIC row)', () => {
  const kinds = Object.keys(JOB_WORDING) as JobWordingKind[];
  const names = ['x]--ddl y', 'a]b --mdf', '[--bak]', 'Unit]] --schema Price'];
  it.each(kinds)('%s: a row warning naming such a column reads back to it', (kind) => {
    for (const name of names) {
      const layout = buildLayout('T', [{ name: 'id', type: 'int' }, { name, type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' }]);
      const image = Buffer.from(encodeRow(layout, { id: 1, [name]: 'QQ' }));
      Buffer.from('c1aa', 'hex').copy(image, image.indexOf(Buffer.from('QQ', 'latin1')));
      const row = decodeRow(image, layout);
      const [warning] = row.warnings;
      expect(warning).toMatch(new RegExp(`^column ${identifierText(name).replace(/[[\]\\^$.*+?()|{}]/g, '\\$&')}: 0xAA at offset 1 `));
      // as the worker stages it: the row's names and values kept (worker.ts rowStrings)
      const said = jobWording(kind, warning!, stringsOf([Object.keys(row.values), row.values]));
      expect(said.startsWith(`column ${identifierText(name)}: 0xAA at offset 1 `)).toBe(true);
      expect(undefinedBytesWarned([{ id: 1, values: row.values, warnings: [said] }]).map((x) => x.column)).toEqual([name]);
    }
  });
  it.each(kinds)('%s: an error\'s location (formatLocation) naming such a table and column keeps them', (kind) => {
    const where = formatLocation({ table: 'dbo.a]--trn b', column: 'c]--ddl' });
    expect(where).toBe('table dbo.[a]]--trn b], column [c]]--ddl]');
    const said = jobWording(kind, `value of column ${identifierText('c]--ddl')} runs past the end of the data; give the layout with --ddl (${where})`);
    expect(said).toContain('column [c]]--ddl] runs past');
    expect(said).toContain('(table dbo.[a]]--trn b], column [c]]--ddl])');
    expect(said).not.toContain('with --ddl');
  });
});
