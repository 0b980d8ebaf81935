import { describe, expect } from 'vitest';
import { it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

describeCorpus('database principals (sysowners) from the data file', () => {
  it('AngularJs_CRUD: the fixed principals with their documented principal_ids and SIDs', () => {
    const s = new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'));
    const p = readDataFileMetadata(s).principals!;
    s.close();
    const byId = new Map(p.map((x) => [x.principalId, x]));
    // sys.database_principals: public 0, dbo 1, guest 2 (SID 0x00), INFORMATION_SCHEMA 3, sys 4, db_owner 16384.
    expect(byId.get(0)).toMatchObject({ name: 'public', type: 'R' });
    expect(byId.get(1)).toMatchObject({ name: 'dbo', type: 'U' });
    expect(byId.get(1)!.sid).toMatch(/^0x0105000000000005150000/); // a Windows SID (S-1-5-21-…)
    expect(byId.get(2)).toMatchObject({ name: 'guest', type: 'S', sid: '0x00' });
    expect(byId.get(3)).toMatchObject({ name: 'INFORMATION_SCHEMA', sid: null });
    expect(byId.get(4)).toMatchObject({ name: 'sys', sid: null });
    expect(byId.get(16384)).toMatchObject({ name: 'db_owner', type: 'R' });
  });

  it('CRUD-.NET Database2: transactions begun by the owner\'s SID get dbUser "dbo", other SIDs none', async () => {
    const r = await run('scan', '--mdf', corpusPath('CRUD-.NET', 'App_Data', 'Database2.mdf'), '--ldf', corpusPath('CRUD-.NET', 'App_Data', 'Database2_log.ldf'), '--op', 'insert', '--quiet');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sid: string | null; dbUser?: string; login: string | null });
    const s = new MdfPageSource(corpusPath('CRUD-.NET', 'App_Data', 'Database2.mdf'));
    const dboSid = readDataFileMetadata(s).principals!.find((x) => x.name === 'dbo')!.sid!;
    s.close();
    const byOwner = rows.filter((x) => x.sid?.toUpperCase() === dboSid.toUpperCase());
    const others = rows.filter((x) => x.sid && x.sid.toUpperCase() !== dboSid.toUpperCase());
    expect(byOwner.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const x of byOwner) expect(x.dbUser).toBe('dbo');
    for (const x of others) expect(x.dbUser).toBeUndefined();
    for (const x of rows) expect(x.login).toBeNull(); // a database user is not a login: login stays unknown offline
  });
});

describe('principals: no data file, no dbUser', () => {
  it('a scan with --schema/--ddl only has no principal source', async () => {
    const { withMetadata } = await import('../../src/recover/metadata-override.js');
    const fake = { description: 'x', metadata: async () => { throw new Error('unused'); }, candidates: () => (async function* () {})(), skipped: () => [], close: async () => {} };
    expect('databasePrincipalOf' in withMetadata(fake, [])).toBe(false);
  });
});
