import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** `scan --op DELETE` is `--op delete`, as `--format CSV` is csv (it was refused: "--op 'DELETE' is not one of delete, insert, update"). */
const cli = captureCli();
describeCorpus('scan --op in any case', () => {
  it('--op DELETE --op Insert reads as delete and insert', async () => {
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
    const upper = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--op', 'DELETE', '--op', 'Insert', '--quiet');
    const lower = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--op', 'delete', '--op', 'insert', '--quiet');
    expect(upper.code).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
    expect(upper.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(16);
    const bad = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--op', 'remove');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--op 'remove' is not one of: delete, insert, update");
  });
});
