import { expect } from 'vitest';
import { PageReader } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';
import { isPagedOffRow, type PagedOffRow, type SqlValue } from '../../src/reconstruct/values.js';

/**
 * A copy of page `fileId:pageId` of a REAL file with `edit` applied to its verified bytes, torn-page
 * protection dropped (m_flagBits 0x0300 cleared, m_tornBits 0) so the edited copy verifies as it is:
 * the edit is SYNTHETIC. Serve it through OverlayPageSource.
 */
export function editedPage(src: PageSource, fileId: number, pageId: number, edit: (page: Uint8Array) => void): Uint8Array {
  const vp = new PageReader(src).get({ fileId, pageId })!;
  const copy = new Uint8Array(vp.bytes);
  edit(copy);
  new DataView(copy.buffer).setUint16(4, vp.header.flagBits & ~0x0300, true);
  new DataView(copy.buffer).setUint32(60, 0, true); // m_tornBits 0: unprotected (a value there with no flag reads as a damaged flag)
  return copy;
}

/** The off-row marker of a decoded value on pages (not a FILESTREAM file), asserting that it is one. */
export function offRowOf(v: SqlValue): PagedOffRow {
  expect(isPagedOffRow(v)).toBe(true);
  return (v as { offRow: PagedOffRow }).offRow;
}
