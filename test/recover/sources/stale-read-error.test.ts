/**
 * The merged read of an .ldf reads it twice: once for its stale blocks (ldfStaleRuns: log of a
 * reused VLF's earlier use), once for its current blocks. A failure of the stale pass that is not the
 * file's layout (a read error) was passed over (`catch { return; }`), so the stale log's rows were
 * dropped with no word while the scan succeeded. Now it ends the scan with that error; a layout
 * FormatError is still left to the current read, which reports it.
 * SYNTHETIC: a log written by test/support/synthetic-log.ts; the failure injected by mocking ldfStaleRuns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FormatError } from '../../../src/errors.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';
import { ldfSink, writeSyntheticLog } from '../../support/synthetic-log.js';

const fail = vi.hoisted(() => ({ with: null as Error | null }));
vi.mock('../../../src/logreader/ldf/reader.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/logreader/ldf/reader.js')>();
  return { ...real, ldfStaleRuns: async (...a: Parameters<typeof real.ldfStaleRuns>) => { if (fail.with) throw fail.with; return real.ldfStaleRuns(...a); } };
});

const dir = mkdtempSync(join(tmpdir(), 'rowback-stale-read-error-'));
const ldf = join(dir, 'crm.ldf');
writeSyntheticLog([ldfSink(ldf)], { targetBytes: 600 * 1024, row: contactRow, rollbackShare: 0, concurrency: 2 }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(): Promise<number> {
  const source = withMetadata(openFileSource({ ldf }), [contactLayout]);
  let rows = 0;
  try {
    for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') rows++;
  } finally {
    await source.close();
  }
  return rows;
}

describe('SYNTHETIC .ldf: the stale-block pass fails', () => {
  it('a read error ends the scan with that error (it was passed over and the scan succeeded)', async () => {
    fail.with = null;
    expect(await scan()).toBeGreaterThan(10);
    fail.with = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    await expect(scan()).rejects.toThrow('EIO: i/o error, read');
  });

  it('a layout FormatError is left to the current read (which reports it; here it reads well)', async () => {
    fail.with = new FormatError('FORMAT_BAD_VLF_HEADER', 'SYNTHETIC layout failure', {});
    expect(await scan()).toBeGreaterThan(10);
    fail.with = null;
  });
});
