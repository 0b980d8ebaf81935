/**
 * docs/service.md's "A first job with curl" is the script a responder copies. It waited with
 * `grep -q '"state":"succeeded"'` (a job that failed, say a file moved, kept it looping for ever)
 * and sent its decisions without `asOf`/`seen`, so the script it taught decided by filter on
 * whatever rows were there when the request arrived, not the rows it had read. The block, as
 * written (run by hand against `rowback serve` over the corpus: 7 rows, 2 approved with the
 * page's asOf, 1 rejected with seen).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(join(repo, 'docs', 'service.md'), 'utf8');
const block = /### A first job with curl[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
/** The shell commands, continuation lines joined. */
const commands = block.replace(/\\\n\s*/g, ' ').split('\n');

describe("docs/service.md's first job with curl", () => {
  it('waits for the job to end, not for it to succeed', () => {
    const waits = commands.filter((c) => /^until curl -s \$API\/jobs\//.test(c));
    expect(waits).toHaveLength(1);
    expect(waits[0]).not.toMatch(/grep -q '"state":"succeeded"'/);
    expect(waits[0]).toContain(`grep -qvE '"state":"(queued|running)"'`);
  });

  it('decides on the rows it read: asOf from a count=true page by filter, seen by ids', () => {
    const decisions = commands.filter((c) => c.includes('/decisions'));
    expect(decisions.length).toBeGreaterThanOrEqual(2);
    for (const d of decisions) {
      if (/filter/.test(d)) expect(d, d).toMatch(/asOf[\\"]*:[\\"]*\$ASOF/);
      else expect(d, d).toMatch(/"seen":\{"1":"pending"\}/);
    }
    const read = commands.find((c) => c.includes('/rows?'));
    expect(read).toMatch(/rows\?table=dbo\.Employee&count=true/);
    expect(block).toContain(`ASOF=$(sed -n 's/.*"asOf":"\\([^"]*\\)".*/\\1/p' $W/page.json)`);
  });
});
