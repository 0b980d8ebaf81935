import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * inspect's VLF table of an .ldf (REAL Database1_log.ldf): the sequence in hex, as the LSNs on the
 * same line and every message (c93308f) name a VLF; it printed 37 beside 00000025:00000010:0001, so
 * a message's "VLF 0x25" was not found in the table.
 */
describeCorpus('inspect: VLF sequences in hex in the VLF table', () => {
  it('the sequence column reads as the LSNs beside it', async () => {
    const r = await cli('inspect', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'));
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^ {2}\d+ +0x[0-9a-f]+ +0x[0-9a-f]+ /.test(l));
    expect(rows.length).toBeGreaterThan(2);
    for (const l of rows) {
      const [, seq, , , , status, , first] = l.trim().split(/ +/);
      if (status === 'unused' || first === '-') continue;
      expect(first!.slice(0, 8)).toBe(parseInt(seq!, 16).toString(16).padStart(8, '0'));
    }
    expect(r.stdout).toMatch(/^ {2}0 {4}0x25 +0x2000 .* 00000025:00000010:0001 /m);
  });
});
