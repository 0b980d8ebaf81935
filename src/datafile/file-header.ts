/**
 * The file header page (page 0 of every data file, type 15): one record whose variable columns
 * hold the file's properties. Known columns (OrcaMDF `Engine/Pages/FileHeaderPage.cs`, facts;
 * checked on all five corpus .mdf files): variable column 0 = the binding id (a GUID shared by
 * every file of one database), variable column 2 = the file id (u16), variable column 4 = the
 * file's size in 8 KB pages (u32; equal to the file's length / 8192 on every .mdf and .ldf of the
 * corpus, logs included: the log file starts with the same header page). The other ~45 columns
 * (growth, LSNs, names) are not identified and are not read.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openInputSync } from '../util/input-open.js';
import { FormatError } from '../errors.js';
import { decodeUniqueidentifier } from '../reconstruct/types/guid.js';
import { PageType, parsePageHeader, slotOffset, verifyPage } from './page.js';
import { fixedVarRecordLength, variableColumnBytes } from './record.js';
import { dataFileCut, type DataFileCut } from './data-file-cut.js';

export interface FileHeader {
  /** Shared by all files of one database. */
  bindingId: string;
  fileId: number;
  /** The file's size in 8 KB pages as SQL Server last set it; null when the column is absent. */
  sizePages: number | null;
}

/** Parse page 0 (verified bytes, torn bits restored). */
export function parseFileHeaderPage(page: Uint8Array): FileHeader {
  const h = parsePageHeader(page);
  if (h.type !== PageType.FILE_HEADER_PAGE || h.slotCount < 1) {
    throw new FormatError('FORMAT_BAD_PAGE', `page 0 has type ${h.type}, not the file header page (15)`, { page: `${h.pageId.fileId}:0` });
  }
  const off = slotOffset(page, 0);
  const rec = page.subarray(off, off + fixedVarRecordLength(page, off));
  const guid = variableColumnBytes(rec, 0);
  const id = variableColumnBytes(rec, 2);
  if (!guid || guid.length !== 16 || !id || id.length < 2) {
    throw new FormatError('FORMAT_BAD_RECORD', 'the file header record lacks its binding id or file id', { page: `${h.pageId.fileId}:0` });
  }
  const size = variableColumnBytes(rec, 4);
  const sizePages = size && size.length >= 4 ? (size[0] | (size[1] << 8) | (size[2] << 16)) + size[3] * 0x1000000 : null;
  return { bindingId: decodeUniqueidentifier(guid, 0), fileId: id[0] | (id[1] << 8), sizePages };
}

/**
 * A data or log file cut short at or before the page a reader looks for first (an .ldf cut to its
 * file header page, an .mdf cut before its boot page): what its file header page (page 0) says of
 * its size against what the file holds, or null when page 0 is not there whole, does not verify or
 * states no larger size (dataFileCut: `statedBytes` its size as SQL Server set it, `heldBytes` the
 * file's length).
 * Never throws.
 */
export function cutAgainstFileHeader(path: string): DataFileCut | null {
  let fd: number;
  try {
    fd = openInputSync(path);
  } catch {
    return null;
  }
  try {
    const held = fstatSync(fd).size;
    const page = Buffer.alloc(8192);
    if (readSync(fd, page, 0, 8192, 0) !== 8192) return null;
    const h = parseFileHeaderPage(verifyPage(page, { fileId: page.readUInt16LE(36) || 1, pageId: 0 }).bytes);
    return dataFileCut(h.fileId, h.sizePages, held);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
