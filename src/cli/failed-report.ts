import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { assertWritableOutput, type CommandInputs } from './files.js';
import { redactDeep } from '../util/redact.js';

/** How a report of rowback starts: `{ "times": …` (scan), `{ "source": …` (dump), `{ "complete": …` (a refused run's). */
const REPORT_START = /^\s*\{\s*(?:"(?:times|source|complete)"\s*:|\}\s*$)/;

/**
 * Whether `path` may take a refused run's report: it does not exist, is empty, or is a report a
 * previous run wrote (it starts as one). A refused run is often refused for a mistyped input path
 * (`--mdf Databse1.mdf`), and its --report may then be an existing file that the input check could
 * not tell apart (`--report Database1.mdf`, the real data file, named by no input that exists): the
 * refused run overwrote it with `{complete: false, failed}`, destroying the evidence it was to read.
 */
function mayReplace(path: string): boolean {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return true; // no such file: written new
  }
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 4096));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return REPORT_START.test(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the report of a run refused or failed after its options parsed (scan, dump:
 * `{ …, complete: false, failed: { code, message } }`), so the previous run's report is not read as
 * this one's. Not written when the path is itself what is wrong (a missing folder, an input or the
 * other output: assertWritableOutput), nor over an existing file that is not a report of rowback
 * (left as it was, unsaid: a refusal is one line, the CLI's contract, naming the input that is wrong). Never throws.
 */
export function writeRefusedReport(flag: string, path: string, inputs: CommandInputs, body: object): void {
  try {
    assertWritableOutput(flag, path, inputs);
    if (!mayReplace(path)) return;
    writeFileSync(path, JSON.stringify(redactDeep(body), null, 2));
  } catch {
    // the report path is itself what is wrong, or the disk: the error line says the rest
  }
}
