// Runs the compiled CLI (dist/cli/main.js) with the given arguments and, on exit, writes the
// process's peak resident set size (process.resourceUsage().maxRSS, kilobytes) to the file named by
// ROWBACK_BENCH_RSS_OUT: the whole process as a user runs it. Used by bench/memory.bench.ts.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [main, ...args] = process.argv.slice(2);
process.on('exit', () => writeFileSync(process.env.ROWBACK_BENCH_RSS_OUT, String(process.resourceUsage().maxRSS)));
process.argv = [process.argv[0], main, ...args];
await import(pathToFileURL(main).href);
