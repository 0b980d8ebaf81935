/**
 * bin/rowback.js runs before the compiled CLI is chosen (dist or tsx), so it cannot import
 * src/cli/failed-report.ts: it repeats, in plain JS, how a report of rowback starts (REPORT_START),
 * the rule deciding which file a run stopped while starting may replace, and the `times` its report
 * of scan and log gives. Were the two to drift, a
 * start-up signal would write over a file a refused run would not (or leave a stale `"complete":
 * true` report a refused run would replace). These tests keep them one rule.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORT_START, REPORT_TIMES } from '../../src/cli/failed-report.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = readFileSync(resolve(repo, 'bin/rowback.js'), 'utf8');

/** Every regular-expression literal bin/rowback.js tests a file's first bytes with. */
function binReportStarts(): string[] {
  return [...bin.matchAll(/!?(\/\^(?:\\.|[^/\n])+\/[a-z]*)\.test\(buf\b/g)].map((m) => m[1]!);
}

describe("bin/rowback.js's report rule is failed-report.ts's", () => {
  it('one regular expression, the same as REPORT_START', () => {
    const found = binReportStarts();
    expect(found).toHaveLength(1);
    expect(found[0]).toBe(`/${REPORT_START.source}/${REPORT_START.flags}`);
  });

  it("the `times` its start-up report of scan and log gives is REPORT_TIMES", () => {
    const m = /\{ times: ("(?:[^"\\]|\\.)*") \}/.exec(bin);
    expect(m, 'no `{ times: "…" }` in bin/rowback.js').not.toBeNull();
    expect(JSON.parse(m![1]!)).toBe(REPORT_TIMES);
  });

  // what each writer of a report puts first (JSON.stringify(…, null, 2), as they write them)
  const written: Array<[string, object]> = [
    ['scan/log report', { times: 'x', source: 'f', complete: true }],
    ['dump report', { source: 'f', tables: [] }],
    ['refused run', { complete: false, failed: { code: 'INPUT_X', message: 'm' } }],
    ["bin/rowback.js's start-up report", { complete: false, interrupted: 'SIGINT', incomplete: [] }],
    ['an empty object', {}],
  ];
  it.each(written)('%s is recognised as a report', (_, body) => {
    expect(REPORT_START.test(JSON.stringify(body, null, 2))).toBe(true);
  });

  const users: Array<[string, string]> = [
    ['a JSON file of the user', JSON.stringify({ name: 'x', complete: true }, null, 2)],
    ['a JSON array', '[{"complete": true}]'],
    ['notes', 'complete: true\n'],
    ['a data file page', '\u0001\u0001\u0000\u0000'],
  ];
  it.each(users)('%s is not', (_, text) => {
    expect(REPORT_START.test(text)).toBe(false);
  });
});
