/**
 * The SPID of a LOP_BEGIN_XACT by its layout (structures.ts beginXactSpidOffset). SQL Server 2005
 * writes the record with a 48-byte fixed part whose u16 @24 is 0xFFFF and whose SPID is @28; 2008 /
 * 2008 R2 (64 bytes) and 2012+ (76) keep the SPID @24. Read @24 in all of them, every transaction
 * of a 2005 log printed SPID 65535 (scan's `spid`, log's `SPID`, a staged row's session), a value
 * a DBA matching sessions takes as a session: `rowback scan --mdf aspnetdb.mdf --ldf
 * aspnetdb_log.ldf --op insert` gave `"spid":65535` for the aspnet_regsql session's inserts.
 * REAL: Tractis_aspnet_demo aspnetdb_log.ldf (2005, log format version 2), NORTHWND_log.ldf
 * (2008 R2), AngularJs_CRUD Database1_log.ldf (2012).
 */
import { expect, it } from 'vitest';
import { readLdfRecordBatches } from '../../../src/logreader/ldf/reader.js';
import { beginXactSpidOffset } from '../../../src/logreader/ldf/structures.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

/** Each LOP_BEGIN_XACT's Transaction Name and SPID, in log order. */
async function begins(file: string, logFormat2IsSql2005 = false): Promise<Array<{ name: unknown; spid: unknown }>> {
  const out: Array<{ name: unknown; spid: unknown }> = [];
  for await (const b of readLdfRecordBatches(file, { vlfOrder: 'sequence', logFormat2IsSql2005 })) {
    for (const r of b.records) if (r.Operation === 'LOP_BEGIN_XACT') out.push({ name: r['Transaction Name'], spid: r.SPID });
  }
  return out;
}

const cli = captureCli();

describeCorpus('LOP_BEGIN_XACT SPID, SQL Server 2005 to 2012+', () => {
  it('2005 (48-byte record): the SPID @28, 52 for StartupDB and 53 for the aspnet_regsql session; never 65535', async () => {
    const all = await begins(corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb_log.ldf'), true);
    expect(all).toHaveLength(118);
    expect(all.filter((b) => b.name === 'StartupDB').map((b) => b.spid)).toEqual([52]);
    expect(new Set(all.filter((b) => b.name !== 'StartupDB').map((b) => b.spid))).toEqual(new Set([53]));
  });

  it('2008 R2 (64 bytes) and 2012 (76 bytes): the SPID @24, as before', async () => {
    const nw = await begins(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf'));
    expect(nw.length).toBeGreaterThan(300);
    expect(nw.filter((b) => b.spid === 51).length).toBeGreaterThan(300);
    const d1 = await begins(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    expect(d1[0]).toEqual({ name: 'DBMgr::StartupDB', spid: 51 });
    expect(d1.every((b) => typeof b.spid === 'number' && b.spid > 0 && b.spid < 100)).toBe(true);
  });

  it('scan of the 2005 log names the session of its inserts', async () => {
    const r = await cli('scan', '--mdf', corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb.mdf'), '--ldf', corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb_log.ldf'), '--op', 'insert', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { table: string; spid: unknown });
    expect(rows.map((x) => [x.table, x.spid])).toEqual([
      ['dbo.aspnet_SchemaVersions', 53],
      ['dbo.aspnet_SchemaVersions', 53],
      ['dbo.aspnet_SchemaVersions', 53],
    ]);
  }, 60_000);
});

it('a fixed length no real log showed gives no SPID rather than one read from a guessed place', () => {
  expect(beginXactSpidOffset(48)).toBe(28);
  expect(beginXactSpidOffset(64)).toBe(24);
  expect(beginXactSpidOffset(76)).toBe(24);
  expect(beginXactSpidOffset(56)).toBeNull();
});
