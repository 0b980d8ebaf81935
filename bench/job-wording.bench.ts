/**
 * Job wording figures (printed, not asserted): the worker says every row warning a job stages in the
 * job's words (worker/job-wording.ts jobWording, with the row's and the request's strings kept
 * verbatim), so a job staging 100,000 rows with a warning each words 100,000 texts. Compare with
 * `npm run bench -- staging` (staging 100,000 rows took 1.3 s on the machine of 2026-12-06, where
 * this wording took 1.3 s before its per-kind flag table was built once and texts without a flag
 * were returned at once, 0.5 s after). `npm run bench -- job-wording`; ROWBACK_BENCH_ROWS overrides
 * the row count. SYNTHETIC rows and warnings (library texts naming --ddl/--schema).
 */
import { jobWording, stringsOf } from '../src/worker/job-wording.js';

const N = Number(process.env.ROWBACK_BENCH_ROWS ?? 100_000);
const warnings = [
  'column Emp_Name (nvarchar(max)) holds 9 byte(s), an odd count: its last byte is not a whole UTF-16 character; shown as hex (a layout whose type is wrong? give the right one with --ddl or --schema)',
  "the layout given with --ddl/--schema differs from the data file's catalog for dbo.Employee: Emp_Name nvarchar(max) vs varchar(max); values are decoded with the given layout",
  'Emp_Age took its default: the row was written before the column was added',
];
const spec = { kind: 'export', file: '/data/exports/x.json', metadata: { ddl: 'CREATE TABLE dbo.Employee (Emp_Id int, Emp_Name nvarchar(max)) -- a comment' } };
const specValues = stringsOf(spec);
const rows = Array.from({ length: N }, (_, i) => ({ values: { Emp_Id: i, Emp_Name: `Name ${i}`, Emp_City: i % 10 === 0 ? '--' : `City ${i}`, Emp_Age: 30 }, table: 'dbo.Employee', login: 'sa', transactionName: 'DELETE', warnings: [warnings[i % warnings.length]!] }));

const time = (label: string, values: readonly string[]): void => {
  const all: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const t = process.hrtime.bigint();
    for (const r of rows) {
      const own = stringsOf([Object.keys(r.values), r.values, r.table, r.login, r.transactionName]);
      r.warnings.map((w) => jobWording('export', w, [...values, ...own]));
    }
    all.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  all.sort((a, b) => a - b);
  console.log(`${label}: ${N.toLocaleString()} row warnings in median ${all[2]!.toFixed(0)} ms (min ${all[0]!.toFixed(0)}, max ${all[4]!.toFixed(0)})`);
};
time('job wording, the request\'s strings kept', specValues);
// a catalog of 20,000 tables, 400 of whose names hold `--` (kept verbatim in every message)
time('job wording, 400 catalog names kept too', [...specValues, ...stringsOf(Array.from({ length: 20000 }, (_, i) => (i % 50 === 0 ? `dbo.T${i} --x` : `dbo.T${i}`)))]);
