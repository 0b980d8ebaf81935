/**
 * The data pages of a full or differential backup as a PageSource. The MQDA stream holds raw
 * 8 KB pages (from the 512-aligned start of the stream payload, FORMAT-NOTES §4); each page's
 * own header says which page it is (m_pageId: u32 page @32, u16 file @36 of the 96-byte page
 * header — the same header the data-file reader parses). A backup holds only allocated extents,
 * so unallocated pages inside them are all zero and are not indexed.
 *
 * Memory: the index is a list of runs (file, first page, count, file offset) — consecutive pages
 * stored consecutively collapse into one run — so it stays small for large backups. Reads are
 * positioned (one 8 KB read per page).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { PAGE_SIZE, type PageSource } from '../datafile/page-source.js';
import { payloadRange, readMtfLayout, streamsOfSet, type MtfLayout } from './mtf.js';

interface Run {
  fileId: number;
  firstPage: number;
  count: number;
  offset: number;
}

export interface BackupPageIndexStats {
  pages: number;
  emptyPages: number;
  runs: number;
}

export interface BackupPageSource extends PageSource {
  readonly stats: BackupPageIndexStats;
}

const SCAN_CHUNK = 128 * PAGE_SIZE;

/** `position`: the backup set to read (RESTORE … WITH FILE = n), 1 by default. */
export function openBackupPageSource(path: string, layout: MtfLayout = readMtfLayout(path), position = 1): BackupPageSource {
  const streams = streamsOfSet(layout, position).filter((s) => s.id === 'MQDA' && s.length > 0);
  if (streams.length === 0) {
    throw new FormatError('FORMAT_NO_DATA_PAGES', 'this backup holds no data pages (MQDA stream): a log backup? Use a full or differential backup, or the .mdf, for table metadata', { file: path });
  }
  const fd = openSync(path, 'r');
  const runs: Run[] = [];
  const stats: BackupPageIndexStats = { pages: 0, emptyPages: 0, runs: 0 };
  try {
    const buf = Buffer.alloc(SCAN_CHUNK);
    for (const s of streams) {
      const { start, end } = payloadRange(s);
      for (let at = start; at + PAGE_SIZE <= end; at += SCAN_CHUNK) {
        const n = Math.min(SCAN_CHUNK, Math.floor((end - at) / PAGE_SIZE) * PAGE_SIZE);
        const got = readSync(fd, buf, 0, n, at);
        for (let p = 0; p + PAGE_SIZE <= got; p += PAGE_SIZE) {
          const pageId = buf.readUInt32LE(p + 32);
          const fileId = buf.readUInt16LE(p + 36);
          if (fileId === 0) {
            stats.emptyPages++;
            continue;
          }
          stats.pages++;
          const offset = at + p;
          const last = runs[runs.length - 1];
          if (last && last.fileId === fileId && last.firstPage + last.count === pageId && last.offset + last.count * PAGE_SIZE === offset) last.count++;
          else runs.push({ fileId, firstPage: pageId, count: 1, offset });
        }
      }
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  runs.sort((a, b) => a.fileId - b.fileId || a.firstPage - b.firstPage);
  stats.runs = runs.length;
  const fileIds = [...new Set(runs.map((r) => r.fileId))].sort((a, b) => a - b);
  let closed = false;

  const find = (fileId: number, pageId: number): number | undefined => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = runs[mid];
      if (r.fileId < fileId || (r.fileId === fileId && r.firstPage + r.count <= pageId)) lo = mid + 1;
      else if (r.fileId > fileId || r.firstPage > pageId) hi = mid - 1;
      else return r.offset + (pageId - r.firstPage) * PAGE_SIZE;
    }
    return undefined;
  };

  return {
    description: `backup ${path}`,
    stats,
    readPage(fileId: number, pageId: number): Uint8Array | undefined {
      if (closed) throw new FormatError('FORMAT_SOURCE_CLOSED', 'the backup page source is closed', { file: path });
      const off = find(fileId, pageId);
      if (off === undefined) return undefined;
      const page = new Uint8Array(PAGE_SIZE);
      const got = readSync(fd, page, 0, PAGE_SIZE, off);
      if (got !== PAGE_SIZE) throw new FormatError('FORMAT_TRUNCATED_PAGE', `page ${fileId}:${pageId} truncated in the backup`, { file: path, offset: off, page: `${fileId}:${pageId}` });
      return page;
    },
    fileIds: () => fileIds,
    close(): void {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
    },
  };
}
