/**
 * docs/service.md's "A first job with curl" is the script a responder copies. It waited with
 * `grep -q '"state":"succeeded"'` (a job that failed, say a file moved, kept it looping for ever)
 * and sent its decisions without `asOf`/`seen`, so the script it taught decided by filter on
 * whatever rows were there when the request arrived, not the rows it had read. The block, as
 * written (run by hand against `rowback serve` over the corpus: 7 rows, 2 approved with the
 * page's asOf, 1 rejected with seen).
 *
 * It is also run here, as written but for its port (a free one), from a checkout-like folder with no
 * `../shared/corpus` beside it (test/support/doc-checkout). Its first line was `CORPUS=$(cd
 * ../shared/corpus && pwd)`: from a clone elsewhere `$CORPUS` was empty, `serve --file-root ''` refused
 * to start, and `until curl … docs/json` waited for ever, the refusal scrolled away.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { removeDocCheckouts, runDocBlock } from '../support/doc-checkout.js';

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

/** A port nothing listens on now (the block's 8080 may be another serve's). */
async function freePort(): Promise<number> {
  return await new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

/** The block on `port`, with serve stopped however bash ends (a failed expectation, the test's timeout: SIGTERM). */
function onPort(port: number): string {
  expect(block).toContain('127.0.0.1:8080/api');
  return `trap 'kill $SERVE 2>/dev/null' EXIT; trap 'exit 143' TERM\n${block.replaceAll('8080', String(port)).replace('serve --db $DB', `serve --port ${port} --db $DB`)}`;
}

afterAll(removeDocCheckouts);

describeCorpus("docs/service.md's first job with curl, run", () => {
  it('as written, ROWBACK_CORPUS set and no ../shared/corpus beside the checkout: 7 rows staged, 2 approved, 1 rejected, the export scripts the 2', async () => {
    const r = runDocBlock(onPort(await freePort()), {}, 90_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"state":"succeeded".*"rowsStaged":7,/);
    expect(r.stdout).toMatch(/"complete":true,"incomplete":\[\]/);
    expect(r.stdout).toContain('{"decisionId":1,"rows":2}');
    expect(r.stdout).toContain('{"decisionId":2,"rows":1}');
    expect(r.out).not.toBeNull();
    const sql = readFileSync(join(r.out!, 'reinsert.sql'), 'utf8');
    expect(sql).toContain("-- rows chosen by the filter status=approved: 2 of the job's 7 staged row(s)");
    expect(JSON.parse(readFileSync(join(r.out!, 'dry-run.json'), 'utf8')).run.summary.rows).toBe(2);
  }, 120_000);

  it('with no corpus where it looks, it ends (serve refused to start), where it waited for ever', async () => {
    const r = runDocBlock(onPort(await freePort()), { ROWBACK_CORPUS: undefined }, 30_000);
    // 143: bash stopped at the timeout (SIGTERM, onPort's trap), the block waiting for ever
    expect([null, 143], `killed at the timeout: the block waited for ever\n${r.stderr}`).not.toContain(r.status);
    expect(r.stderr).toContain('../shared/corpus: No such file or directory');
    expect(r.stderr).toContain('rowback: INPUT_BAD_OPTION: --file-root is given an empty value');
  }, 60_000);
});
