import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { EVERY_COMMAND } from '../support/every-command.js';

/**
 * A reader that goes away before the command is done (`rowback … | head`, `… 2>&1 | head`), on the
 * real process (bin/rowback.js: dist/ when built): the exit code every command gives, as README says.
 * stdout closed: 141 (128 + SIGPIPE, a shell's code for `cat`, `grep` … killed by SIGPIPE) and one
 * stderr line. stderr closed while the result goes to --out: the result written whole, exit 141 (it
 * was an uncaught 'error' event: exit 1), a failure's own code kept (a bad --hex: 2, it was 1).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const LINE = (command: string) => `${command}: output closed by its reader (EPIPE): the result was not written whole\n`;

/** Runs rowback with `closed` ('stdout' or 'stderr') closed by its reader before the command writes anything; the other captured. */
async function runClosed(closed: 'stdout' | 'stderr', args: string[]): Promise<{ code: number | null; other: string }> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child[closed].destroy(); // the reader goes away at once, as `head` does after its lines
  let other = '';
  child[closed === 'stdout' ? 'stderr' : 'stdout'].setEncoding('utf8').on('data', (d: string) => (other += d));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  return { code, other };
}

describeCorpus('output closed by its reader: one exit code for every command', () => {
  it.each(EVERY_COMMAND.map(([n, a]) => [n, [...a]]))('%s | (closed): exit 141, the one stderr line, naming the command', async (name, args) => {
    const r = await runClosed('stdout', args as string[]);
    expect(r.code, r.other).toBe(141);
    // the line comes last, after anything said before the first write (notes, a summary); it names
    // the command as every other line does (it began with a bare `rowback:`)
    const line = LINE(name === '--help' ? 'rowback' : `rowback ${name.replace(/ --.*/, '')}`);
    expect(r.other.endsWith(line), r.other).toBe(true);
    expect(r.other.split(line).length - 1).toBe(1);
  }, 60_000);

  it('scan --out F with stderr closed (`2>&1 | head`): F written whole, exit 141 (it was 1: an uncaught error on stderr)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-stderr-closed-'));
    const whole = join(dir, 'whole.ndjson');
    const cut = join(dir, 'cut.ndjson');
    const ok = await runClosed('stdout', ['scan', '--mdf', MDF, '--ldf', LDF, '--out', whole]);
    expect(ok.code).toBe(0); // stdout closed, but nothing is written there with --out
    const r = await runClosed('stderr', ['scan', '--mdf', MDF, '--ldf', LDF, '--out', cut]);
    expect(r.code).toBe(141);
    expect(readFileSync(cut, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(readFileSync(cut, 'utf8').split('\n').length).toBeGreaterThan(10);
    // nothing on stderr to lose: 0
    expect((await runClosed('stderr', ['scan', '--mdf', MDF, '--ldf', LDF, '--out', cut, '--quiet'])).code).toBe(0);
  }, 60_000);

  it('a failure whose error line cannot be written keeps its code: bad --hex with stderr closed exits 2 (it was 1)', async () => {
    const r = await runClosed('stderr', ['decode', '--ddl', join(repo, 'examples', 'contact.sql'), '--hex', '0x3000']);
    expect(r.code).toBe(2);
    expect(r.other).toBe('');
  }, 60_000);
});
