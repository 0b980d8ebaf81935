import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sink } from '../support/text-sink.js';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { choiceOption, formatFromOut } from '../../src/cli/options.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';


/** The options a command with `--format` (default ndjson), `--out` and `--quiet` parses from `args`, after formatFromOut. */
function resolve(args: string[], choices: readonly string[] = ['ndjson', 'csv', 'json'], defaultFormat = 'ndjson') {
  const err = new Sink();
  let got: { format: string; out?: string; quiet?: boolean } | undefined;
  const cmd = new Command('scan').exitOverride().addOption(choiceOption('--format <format>', 'output format', choices, defaultFormat)).option('--out <file>').option('--quiet');
  cmd.action((opts: { format: string; out?: string; quiet?: boolean }, c: Command) => {
    formatFromOut(c, opts, choices, err);
    got = opts;
  });
  cmd.parse(args, { from: 'user' });
  return { format: got!.format, err: err.text };
}

describe('--format from --out\'s extension', () => {
  it('without --format: .csv → csv, .json → json, .ndjson/.jsonl → ndjson (any case); other extensions and stdout keep the default', () => {
    expect(resolve(['--out', 'rows.csv'])).toEqual({ format: 'csv', err: '' });
    expect(resolve(['--out', 'ROWS.CSV'])).toEqual({ format: 'csv', err: '' });
    expect(resolve(['--out', 'rows.json'])).toEqual({ format: 'json', err: '' });
    expect(resolve(['--out', 'rows.jsonl'])).toEqual({ format: 'ndjson', err: '' });
    expect(resolve(['--out', 'rows.ndjson'])).toEqual({ format: 'ndjson', err: '' });
    expect(resolve(['--out', 'rows.txt'])).toEqual({ format: 'ndjson', err: '' });
    expect(resolve([])).toEqual({ format: 'ndjson', err: '' });
  });
  it('--format given and disagreeing: kept, one note line on stderr (none with --quiet, none when they agree)', () => {
    const r = resolve(['--format', 'ndjson', '--out', 'rows.csv']);
    expect(r.format).toBe('ndjson');
    expect(r.err).toBe('rowback scan: note: --out rows.csv ends in .csv but --format ndjson was given: writing ndjson\n');
    expect(resolve(['--format', 'ndjson', '--out', 'rows.csv', '--quiet'])).toEqual({ format: 'ndjson', err: '' });
    expect(resolve(['--format', 'csv', '--out', 'rows.csv'])).toEqual({ format: 'csv', err: '' });
  });
  it('a command without that format (log: table|csv|ndjson) keeps its default for .json, and says so (none with --quiet)', () => {
    // before: the default written into r.json with no word (diff --out changes.csv: NDJSON in a .csv)
    expect(resolve(['--out', 'r.json'], ['table', 'csv', 'ndjson'], 'table')).toEqual({
      format: 'table',
      err: 'rowback scan: note: --out r.json ends in .json, a format this command does not write (table, csv, ndjson): writing table; give --format to choose\n',
    });
    expect(resolve(['--out', 'r.json', '--quiet'], ['table', 'csv', 'ndjson'], 'table')).toEqual({ format: 'table', err: '' });
    expect(resolve(['--out', 'r.csv'], ['table', 'csv', 'ndjson'], 'table')).toEqual({ format: 'csv', err: '' });
  });
});

describeCorpus('rowback dump --out rows.csv (no --format) writes CSV', () => {
  it('through the CLI', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rowback-fmt-')), 'rows.csv');
    const program = await buildProgram(['dump']);
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['dump', '--mdf', corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), '--table', 'dbo.Shippers', '--out', file, '--quiet'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    const rows = parse(readFileSync(file, 'utf8')) as string[][];
    expect(rows[0]).toEqual(['ShipperID', 'CompanyName', 'Phone', 'page', 'slot', 'warnings']);
    expect(rows).toHaveLength(4);
  });
});

describe('the help of --format says where the format comes from without it', () => {
  it.each([
    ['scan', '.ndjson/.jsonl, .csv, .json', 'ndjson | csv | json'],
    ['dump', '.ndjson/.jsonl, .csv, .json', 'ndjson | csv | json'],
    ['log', '.csv, .ndjson/.jsonl', 'table | csv | ndjson'],
    ['diff', '.ndjson/.jsonl, .json', 'ndjson | json'],
  ])('rowback %s --help', async (name, exts, choices) => {
    const cmd = (await buildProgram([name])).commands.find((c) => c.name() === name)!;
    const help = cmd.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain(`--format <format> output format; when not given, taken from --out's extension (${exts}), else the default (${choices})`);
  });
});

describeCorpus('rowback diff --out rows.json (no --format) writes JSON', () => {
  it('a JSON array, as --format json (it wrote NDJSON)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rowback-fmt-')), 'rows.json');
    const full = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak');
    const program = await buildProgram(['diff']);
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // the later state: the full backup and its differential (the same file on both sides is refused)
      await program.parseAsync(['diff', '--bak', full, '--after-bak', full, corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--out', file, '--quiet'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(file, 'utf8')).toBe('[]\n');
  });
});
