/**
 * A FixedVar record whose length, read from its own variable-column offsets, runs into the next
 * record on the page: records never overlap, so an offset (or the slot array) is damaged. The row
 * is not printed; it is a skipped FORMAT_BAD_RECORD item naming the page, both slots and the
 * overlap, and the result is INCOMPLETE. On a page without a checksum (NORTHWND.MDF's pages carry
 * torn-page bits only) one changed bit of a record's last variable-column end offset printed that
 * column with the next record's bytes appended ('Germany' read as 'Germany0:', 'Brazil' as
 * 'Brazil0:…LINO'), every other value right, and no word (breaker, session 28); the page's last
 * record, past m_freeData into the free space, the same ('USA' as 'USA\u0000᫒\u0000').
 * REAL NORTHWND.MDF (corpus SessionShoppingCart) copied to a temp dir with SYNTHETIC damage: the
 * last variable-column end offset of dbo.Orders records raised by 4, 16 and 6 bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const NW = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');

/** File offset of the last variable-column end offset of the record in `slot` of page 1:`page`. */
function lastVarOffsetAt(b: Buffer, page: number, slot: number): number {
  const p = page * 8192;
  const rec = p + b.readUInt16LE(p + 8192 - 2 - 2 * slot);
  expect(b[rec] & 0x30).toBe(0x30); // null bitmap and variable columns
  const fixedEnd = b.readUInt16LE(rec + 2);
  const ncols = b.readUInt16LE(rec + fixedEnd);
  const nvarAt = rec + fixedEnd + 2 + ((ncols + 7) >> 3);
  const at = nvarAt + 2 + 2 * (b.readUInt16LE(nvarAt) - 1);
  expect(at % 512).toBeLessThan(510); // not the torn-bit bytes at a sector's end
  return at;
}

describeCorpus('a record running into the next record on its page', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-record-overlap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { page: 240, slot: 22, by: 4, orderId: 10560, country: 'Germany', said: /slot 22's record at offset \d+ is \d+ bytes .* runs 4 byte\(s\) into the record of slot \d+/ },
    { page: 244, slot: 22, by: 16, orderId: 10728, country: 'Brazil', said: /slot 22's record at offset \d+ is \d+ bytes .* runs 16 byte\(s\) into the record of slot \d+/ },
    // the page's last record (offset 7870, ending at m_freeData 8064): into the free space ('USA\u0000᫒\u0000')
    { page: 240, slot: 41, by: 6, orderId: 10579, country: 'USA', said: /slot 41's record at offset 7870 is \d+ bytes .* runs 6 byte\(s\) past the end of the page's records \(m_freeData 8064/ },
  ];
  for (const c of cases) {
    it(`dbo.Orders ${c.orderId} (page 1:${c.page} slot ${c.slot}), last offset +${c.by}: not printed, INCOMPLETE naming the overlap`, async () => {
      const good = await cli('dump', '--mdf', NW(), '--table', 'dbo.Orders', '--out', join(dir, `good-${c.page}-${c.slot}.ndjson`), '--quiet');
      expect(good.code).toBe(0);
      const goodRows = readFileSync(join(dir, `good-${c.page}-${c.slot}.ndjson`), 'utf8').trim().split('\n');
      const before = goodRows.find((l) => l.includes(`"OrderID":${c.orderId},`))!;
      expect(JSON.parse(before).values.ShipCountry).toBe(c.country);

      const f = damagedCopy(NW(), join(dir, `orders-${c.page}-${c.slot}.mdf`), (b) => {
        const at = lastVarOffsetAt(b, c.page, c.slot);
        b.writeUInt16LE(b.readUInt16LE(at) + c.by, at);
      });
      const out = join(dir, `bad-${c.page}-${c.slot}.ndjson`);
      const r = await cli('dump', '--mdf', f, '--table', 'dbo.Orders', '--out', out);
      expect(r.code, r.stderr).toBe(0);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      // no row 10560 with 'Germany0:' (or any value): the damaged row is not printed
      expect(rows.filter((l) => l.includes(`"OrderID":${c.orderId},`))).toEqual([]);
      expect(rows).toHaveLength(goodRows.length - 1);
      // every other row as it was
      expect(rows).toEqual(goodRows.filter((l) => l !== before));
      expect(r.stderr).toMatch(/INCOMPLETE/);
      expect(r.stderr).toContain('FORMAT_BAD_RECORD');
      expect(r.stderr).toMatch(c.said);
    });
  }

  it('a damaged slot pointing into the middle of a good record costs its own row only, not that record', async () => {
    // dbo.Suppliers page 1:292: slot 15's offset with bit 2 of its high byte flipped (-1024) points
    // inside slot 11's record (SupplierID 12), at bytes that read as no record start
    const S = (f: string) => join(dir, f);
    const good = await cli('dump', '--mdf', NW(), '--table', 'dbo.Suppliers', '--out', S('sup-good.ndjson'), '--quiet');
    expect(good.code).toBe(0);
    const goodRows = readFileSync(S('sup-good.ndjson'), 'utf8').trim().split('\n');
    const f = damagedCopy(NW(), S('sup-slot.mdf'), (b) => {
      b[292 * 8192 + 8190 - 2 * 15 + 1] ^= 4;
    });
    const r = await cli('dump', '--mdf', f, '--table', 'dbo.Suppliers', '--out', S('sup-bad.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(S('sup-bad.ndjson'), 'utf8').trim().split('\n');
    expect(rows).toContain(goodRows.find((l) => l.includes('"SupplierID":12,')));
    expect(rows.filter((l) => l.includes('"SupplierID":16,'))).toEqual([]);
    expect(rows).toHaveLength(goodRows.length - 1);
    expect(r.stderr).toMatch(/INCOMPLETE/);
    expect(r.stderr).not.toMatch(/slot 11's record/);
  });
});
