/**
 * `rowback scan --ldf X_log.ldf` with no data file was refused "no table metadata: give --mdf FILE
 * or --bak FILE (or --schema/--ddl)": a newcomer whose .mdf is gone was told only to give what they
 * lack. The line now names what works with the log alone: a CREATE TABLE script with the table's
 * AllocUnitId, a catalog JSON, or `rowback log FILE` for the records undecoded.
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('scan of a log alone: what to give instead', () => {
  it('names --mdf/--bak, then --ddl with --alloc-unit, --schema, and rowback log', async () => {
    const r = await cli('scan', '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_NO_METADATA')).toBe(
      "rowback: INPUT_NO_METADATA: no table metadata: give the database's data file (--mdf FILE.mdf) or a full backup (--bak FILE.bak); with the log alone, give the tables' layout (--ddl CREATE-TABLE.sql --alloc-unit ID, or --schema CATALOG.json: docs/metadata.md), or list its records undecoded with rowback log FILE\n");
  });
});
