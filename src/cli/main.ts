import { Command, CommanderError } from 'commander';
import { isRowbackError } from '../errors.js';
import { register as registerDecode } from './commands/decode.js';
import { register as registerInspect } from './commands/inspect.js';
import { register as registerScan } from './commands/scan.js';
import { register as registerDump } from './commands/dump.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerRestore } from './commands/restore.js';

/**
 * `rowback` — every command prints its result on stdout and nothing else; errors are one line
 * on stderr (`CODE: message (location)`) with exit code 2 for bad input, 1 otherwise.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('rowback')
    .description('SQL Server transaction-log forensic recovery: find, decode, review and re-insert deleted rows.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerDecode(program);
  registerInspect(program);
  registerScan(program);
  registerDump(program);
  registerServe(program);
  registerRestore(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isRowbackError(e)) {
      process.stderr.write(`rowback: ${e.describe()}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`rowback: INTERNAL: ${err?.message ?? String(e)}\n`);
    if (process.env.ROWBACK_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return 1;
  }
}

// Run when executed directly (bin/rowback.js, `tsx src/cli/main.ts`).
const invoked = process.argv[1] ?? '';
if (/[\\/]cli[\\/]main\.(t|j)s$/.test(invoked) || /[\\/]rowback(\.js)?$/.test(invoked)) {
  // `rowback scan … | head`: a reader that stops early is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
