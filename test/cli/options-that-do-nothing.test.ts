import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * An option that does nothing with the inputs given is refused in one line, not dropped unsaid:
 * `scan --mdf … --ldf … --alloc-unit ID` printed every table's rows (a DBA may take it for a
 * filter), `--position` with no backup and `--type-alias` with no --ddl were ignored.
 */
const cli = captureCli();
describeCorpus('options that do nothing with the inputs given', () => {
  const mdf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  it.each([
    [['--alloc-unit', '72057594043629568'], /^rowback: INPUT_BAD_OPTION: --alloc-unit maps the one table of --ddl\/--schema to its allocation unit, and neither was given; to keep one table's rows, use --table SCHEMA\.NAME\n$/],
    [['--position', '2'], /^rowback: INPUT_BAD_OPTION: --position picks a backup set of --bak, and no --bak was given: leave --position out\n$/],
    [['--type-alias', 'Flag=bit'], /^rowback: INPUT_BAD_OPTION: --type-alias names alias types of a --ddl script, and no --ddl was given: leave it out\n$/],
  ])('scan %s', async (extra, message) => {
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), ...extra);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
  // --csv-raw with an output that is not CSV, --query-timeout and --accept-schema-drift with files:
  // they did nothing, unsaid (a script adding --csv-raw to NDJSON believed it changed something)
  it.each([
    [['scan', '--mdf', '@mdf', '--ldf', '@ldf', '--csv-raw'], /^rowback: INPUT_BAD_OPTION: --csv-raw writes CSV cells unguarded, and the output is ndjson: leave --csv-raw out \(or give --format csv\)\n$/],
    [['scan', '--mdf', '@mdf', '--ldf', '@ldf', '--csv-raw', '--format', 'json'], /the output is json: leave --csv-raw out/],
    [['scan', '--mdf', '@mdf', '--ldf', '@ldf', '--csv-raw', '--out', '@dir/rows.ndjson'], /the output is ndjson: leave --csv-raw out/],
    [['log', '@ldf', '--csv-raw'], /the output is table: leave --csv-raw out/],
    [['dump', '--mdf', '@mdf', '--all', '--csv-raw'], /the output is ndjson: leave --csv-raw out/],
    [['scan', '--mdf', '@mdf', '--ldf', '@ldf', '--query-timeout', '5'], /^rowback: INPUT_BAD_OPTION: --query-timeout limits the queries of a live scan \(--server\), and no --server was given: leave it out\n$/],
    [['scan', '--mdf', '@mdf', '--ldf', '@ldf', '--accept-schema-drift'], /^rowback: INPUT_BAD_OPTION: --accept-schema-drift reads the rows of a table altered since the window began, which a live scan \(--server\) or an export \(--export\) tells/],
    // with no old layout it decoded drifted rows with the catalog after the change: values that may read wrong and look right
    [['scan', '--export', '@dir/none.json', '--accept-schema-drift'], /^rowback: INPUT_BAD_OPTION: --accept-schema-drift decodes the rows of tables altered after their transaction began with the layout --schema or --ddl gives, and neither was given: give --schema CATALOG\.json .*; the export's own catalog is the layout after the change \(to decode with it anyway, give that catalog as --schema\)\n$/],
    [['scan', '--server', 'Server=nowhere.invalid;User Id=u;Password=p', '--database', 'CRM', '--accept-schema-drift'], /^rowback: INPUT_BAD_OPTION: --accept-schema-drift decodes .* the server's own catalog is the layout after the change/],
  ])('%s', async (...[argv, message]) => {
    const dir = (await import('node:os')).tmpdir();
    const args = (argv as string[]).map((a) => a.replace('@mdf', mdf()).replace('@ldf', ldf()).replace('@dir', dir));
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message as RegExp);
  });
  it('--csv-raw with CSV output (any letter case, or from --out x.csv) is read as before', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/rowback-csvraw-`);
    for (const extra of [['--format', 'CSV'], ['--out', `${dir}/rows.csv`]]) {
      const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--csv-raw', '--quiet', ...extra);
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await cli('log', ldf(), '--csv-raw', '--format', 'csv', '--quiet')).code).toBe(0);
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });

  it('inspect and log --position on files that hold no backup set', async () => {
    const a = await cli('inspect', ldf(), '--position', '2');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^rowback: INPUT_BAD_OPTION: --position picks a backup set, and .*Database1_log\.ldf is a transaction log file, which holds none: leave --position out/);
    const b = await cli('inspect', mdf(), '--position', '1');
    expect(b.stderr).toMatch(/Database1\.mdf is a data file, which holds none/);
    // without --position both are read as before
    for (const f of [ldf(), mdf()]) expect((await cli('inspect', f)).code).toBe(0);
    expect((await cli('log', ldf(), '--quiet')).code).toBe(0);
    const c = await cli('log', ldf(), '--position', '2');
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe('rowback: INPUT_BAD_OPTION: --position picks a backup set of a .trn/.bak given, and only .ldf files were given: leave --position out\n');
  });
  it('dump --mdf --position', async () => {
    const r = await cli('dump', '--mdf', mdf(), '--all', '--position', '1');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('rowback: INPUT_BAD_OPTION: --position picks a backup set of --bak; a data file (--mdf) holds none: leave --position out\n');
  });
});

describeCorpus('--position past the sets a backup holds', () => {
  it('names how many it holds and what to give (it said only "holds 1 backup set")', async () => {
    const r = await cli('dump', '--bak', corpusPath('pubs-2012', 'pubs.bak'), '--position', '2', '--table', 'dbo.titles');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_OPTION: --position 2: \S+pubs\.bak holds 1 backup set: leave --position out \(or give 1\) \(file /);
    const two = await cli('dump', '--bak', corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'), '--position', '3', '--all');
    expect(two.stderr).toMatch(/^rowback: INPUT_BAD_OPTION: --position 3: \S+StDb2Sql\.bak holds 2 backup sets: give 1 to 2 \(file /);
  });
});
