/**
 * The file header page (page 0 of every data file, type 15): one record whose variable columns
 * hold the file's properties. Known columns (OrcaMDF `Engine/Pages/FileHeaderPage.cs`, facts;
 * checked on all five corpus .mdf files): variable column 0 = the binding id (a GUID shared by
 * every file of one database), variable column 2 = the file id (u16). The other ~45 columns
 * (sizes, growth, LSNs, names) are not identified and are not read.
 */
import { FormatError } from '../errors.js';
import { decodeUniqueidentifier } from '../reconstruct/types/guid.js';
import { PageType, parsePageHeader, slotOffset } from './page.js';
import { fixedVarRecordLength, variableColumnBytes } from './record.js';

export interface FileHeader {
  /** Shared by all files of one database. */
  bindingId: string;
  fileId: number;
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
  return { bindingId: decodeUniqueidentifier(guid, 0), fileId: id[0] | (id[1] << 8) };
}
