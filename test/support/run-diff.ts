import { PassThrough } from 'node:stream';
import { runDiff, type DiffOptions } from '../../src/cli/commands/diff.js';

/**
 * `rowback diff` in process with its stdout and stderr captured: the result, the NDJSON lines of
 * stdout parsed, and stderr's text. `o` is given whole (the caller merges its defaults in).
 */
export async function diffCaptured(o: DiffOptions): Promise<{ r: Awaited<ReturnType<typeof runDiff>>; lines: any[]; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let e = '';
  out.on('data', (d) => (text += d));
  err.on('data', (d) => (e += d));
  const r = await runDiff(o, out, err);
  return { r, lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l)), err: e };
}
