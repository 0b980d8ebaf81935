/**
 * Every note, WARNING, INCOMPLETE and summary line on stderr stays one line whatever path it names
 * (session 51): refusals were made one line in session 50 (cli/refusal-one-line), but about 70 other
 * write sites printed paths, file names and table names raw, so a file named with a line break split
 * a line in two and its second half read as a line of its own (`…/full` then `rowback diff: note:
 * ok<TAB>.bak → log …`, a line rowback never wrote). Now every line goes through cli/stderr-lines.ts:
 * each logical line made one line (`\u{a}`, `\u{9}`), a block of lines (a summary and its skipped
 * items) written as its lines.
 *
 * The files are symbolic links to REAL corpus files (no bytes copied), each named with a line break
 * and a tab, and with a second half that reads as a line of rowback's own:
 * - scan --bak FULL --trn LOG_2 (RestoreTimeClean; LOG_1 missing): the skipped item and INCOMPLETE name both files;
 * - log LOG_1 LOG_3 (LOG_2 missing): the summary's skipped item names LOG_1;
 * - dump --bak FULL --trn LOG_1 --stop-at (a replay): its "chain:" line names both files;
 * - inspect of one stripe of a striped backup (Northwind-stripe): its INCOMPLETE line names the file thrice;
 * - diff of two replays of FULL + LOG_1: each side's "chain:" line;
 * - log --out NAME.json, a format log does not write: its note names the --out path.
 * Each line must start with its command's prefix (or a summary's two-space indent) and the escaped
 * name must appear. All fail on the old code (checked: the second half of each name was a line).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, type CliResult } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
const outCli = cliWithOutFile(cli, () => dir);

/** A name holding a line break and a tab whose second half reads as a line of rowback's. */
const odd = (stem: string, command: string, ext: string) => `${stem}\n${command}: note: all rows recovered\t${ext}`;
/** That name as every line writes it now. */
const escaped = (stem: string, command: string, ext: string) => `${stem}\\u{a}${command}: note: all rows recovered\\u{9}${ext}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-notes-one-line-'));
});
let linked: { full: string; log1: string; log2: string; stripe: string } | undefined;
/** The links to the REAL files, made on first use (inside a corpus test: corpusPath needs the corpus). */
function links(): { full: string; log1: string; log2: string; stripe: string } {
  if (linked) return linked;
  const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  const made = { full: join(dir, odd('full', 'rowback diff', '.bak')), log1: join(dir, odd('log1', 'rowback log', '.trn')), log2: join(dir, odd('log2', 'rowback scan', '.trn')), stripe: join(dir, odd('stripe', 'rowback inspect', '.bak')) };
  symlinkSync(rtc('RestoreTimeClean.bak'), made.full);
  symlinkSync(rtc('RestoreTimeClean_1.trn'), made.log1);
  symlinkSync(rtc('RestoreTimeClean_2.trn'), made.log2);
  symlinkSync(corpusPath('Northwind-stripe', 'Northwind.bak'), made.stripe);
  return (linked = made);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines of `r.stderr` (none may be empty): each must match `head`. */
function expectEachLine(r: CliResult, head: RegExp): string[] {
  expect(r.stderr.endsWith('\n'), r.stderr).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  for (const l of lines) expect(l, r.stderr).toMatch(head);
  // no line of the name's second half, and no raw tab
  expect(r.stderr).not.toMatch(/^rowback [a-z]+: note: all rows recovered/m);
  expect(r.stderr).not.toContain('\t');
  return lines;
}

describeCorpus('notes, WARNING, INCOMPLETE and summary lines naming a path with a line break stay one line each', () => {
  it('scan --bak FULL --trn LOG_2 (REAL, LOG_1 missing): the skipped item and INCOMPLETE name both files, each on its one line', async () => {
    const { full, log2 } = links();
    const r = await cli('scan', '--bak', full, '--trn', log2, '--op', 'insert');
    expect(r.code, r.stderr).toBe(0);
    const lines = expectEachLine(r, /^(rowback scan: |  \S)/);
    const skipped = lines.filter((l) => l.startsWith('  FORMAT_LOG_CHAIN_GAP: '));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(escaped('full', 'rowback diff', '.bak'));
    expect(skipped[0]).toContain(escaped('log2', 'rowback scan', '.trn'));
    expect(lines.some((l) => l.startsWith('rowback scan: INCOMPLETE: '))).toBe(true);
  });

  it('log LOG_1 LOG_3 (REAL, LOG_2 missing): the summary, its skipped item naming LOG_1, INCOMPLETE', async () => {
    const { log1 } = links();
    const r = await cli('log', log1, corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_3.trn'));
    expect(r.code, r.stderr).toBe(0);
    const lines = expectEachLine(r, /^(rowback log: |  \S)/);
    expect(lines[0]).toMatch(/^rowback log: \d+ of \d+ record\(s\) printed, counting only the log read/);
    const skipped = lines.filter((l) => l.startsWith('  FORMAT_LOG_CHAIN_GAP: '));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(`${escaped('log1', 'rowback log', '.trn')} ends at LSN`);
    expect(lines.some((l) => l.startsWith('rowback log: INCOMPLETE: '))).toBe(true);
  });

  it('dump --bak FULL --trn LOG_1 --stop-at (REAL replay): the chain line names both files', async () => {
    const { full, log1 } = links();
    const r = await outCli('dump', '--bak', full, '--trn', log1, '--stop-at', '2017-06-01T13:01', '--table', 'steps');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
    const lines = expectEachLine(r, /^rowback dump: /);
    expect(lines).toContain(`rowback dump: chain: full ${join(dir, escaped('full', 'rowback diff', '.bak'))} → log ${join(dir, escaped('log1', 'rowback log', '.trn'))}`);
  });

  it('inspect of one stripe of a striped backup (REAL Northwind-stripe): one INCOMPLETE line naming the file', async () => {
    const r = await cli('inspect', links().stripe);
    expect(r.code).toBe(3);
    const lines = expectEachLine(r, /^rowback inspect: INCOMPLETE: /);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split(escaped('stripe', 'rowback inspect', '.bak'))).toHaveLength(4);
  });

  it('diff of two replays of FULL + LOG_1 (REAL): each side\'s chain line names both files', async () => {
    const { full, log1 } = links();
    const r = await outCli('diff', '--bak', full, '--trn', log1, '--stop-at', '2017-06-01T13:01', '--after-bak', full, '--after-trn', log1, '--after-stop-at', '2017-06-01T13:03', '--table', 'steps');
    expect(r.code, r.stderr).toBe(0);
    const lines = expectEachLine(r, /^rowback diff( \((earlier|later) state\))?: /);
    const chain = `chain: full ${join(dir, escaped('full', 'rowback diff', '.bak'))} → log ${join(dir, escaped('log1', 'rowback log', '.trn'))}`;
    expect(lines).toContain(`rowback diff (earlier state): ${chain}`);
    expect(lines).toContain(`rowback diff (later state): ${chain}`);
  });

  it('log --out NAME.json (a format log does not write): the note names the --out path on one line', async () => {
    const out = join(dir, 'records\nrowback log: note: all rows recovered\t.json');
    const r = await cli('log', links().log1, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = expectEachLine(r, /^rowback log: /);
    expect(lines).toContain(`rowback log: note: --out ${join(dir, 'records\\u{a}rowback log: note: all rows recovered\\u{9}.json')} ends in .json, a format this command does not write (table, csv, ndjson): writing table; give --format to choose`);
  });
});

describe('the usage refusal commander words', () => {
  it('names a mistyped option holding a tab or ESC as \\u{…}, as every line does (it printed them raw)', async () => {
    const r = await cli('scan', '--ld\tf\u001b[2J', 'x.ldf');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("rowback: INPUT_BAD_OPTION: unknown option '--ld\\u{9}f\\u{1b}[2J' (see rowback scan --help)\n");
  });
});

describe('stderr-lines.ts: each logical line one line', () => {
  it('sayLines writes each line made one line, in one write; sayLine one', async () => {
    const { sayLine, sayLines } = await import('../../src/cli/stderr-lines.js');
    const writes: string[] = [];
    const sink = { write: (s: string) => writes.push(s) };
    sayLines(['rowback x: 2 row(s)', '  dbo.[a\nb]: 1', '  T\ud83d: 1'], sink);
    sayLine('rowback x: note: file a\r\nb\u2028c', sink);
    sayLines([], sink);
    expect(writes).toEqual(['rowback x: 2 row(s)\n  dbo.[a\\u{a}b]: 1\n  T\\u{d83d}: 1\n', 'rowback x: note: file a\\u{d}\\u{a}b\\u{2028}c\n']);
  });
});
