import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describeCorpus('what a file scan loads', () => {
  it('scan --ldf/--mdf and scan --ldf --ddl load neither pino (~70 ms of CPU) nor zod (~130 ms): only --schema and the service need them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-imports-'));
    const ddl = join(dir, 't.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (DeptId int NOT NULL, DeptName varchar(50) NULL);\n');
    const log = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    for (const [name, args] of [
      ['mdf', ['--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', log]],
      ['ddl', ['--ldf', log, '--ddl', ddl, '--alloc-unit', '72057594043367424']],
    ] as const) {
      const list = join(dir, `${name}.txt`);
      writeFileSync(list, '');
      const r = spawnSync(process.execPath, ['--import', join(repo, 'test', 'support', 'record-imports.mjs'), join(repo, 'bin', 'rowback.js'), 'scan', ...args, '--quiet', '--out', join(dir, `${name}.ndjson`)], {
        env: { ...process.env, ROWBACK_DEV: '1', ROWBACK_TEST_IMPORTS: list },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const loaded = new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean));
      expect(loaded.has('commander'), name).toBe(true);
      expect(loaded.has('pino'), name).toBe(false);
      expect(loaded.has('zod'), name).toBe(false);
    }
  }, 120_000);
});
