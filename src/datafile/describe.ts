/**
 * `describeDataFile(path)`: what `rowback inspect` shows for a .mdf/.ndf — the boot page's
 * version facts, the database name and every user table with its row count.
 */
import { stagedTableName } from '../util/tsql.js';
import { MdfPageSource } from './mdf-source.js';
import { PAGE_SIZE } from './page-source.js';
import { readDataFileMetadata, type DatabaseInfo, type DataFileMetadata } from './metadata.js';
import { PageReader } from './page-reader.js';
import type { SkippedItem } from '../util/skipped-item.js';

export interface DataFileDescription extends DatabaseInfo {
  kind: 'data-file';
  file: string;
  fileId: number;
  /** Whole 8 KB pages the file holds. */
  pages: number;
  /** The file's size in pages as its file header page (page 0) states it; null when page 0 is unreadable. More than `pages`: the copy is cut short (a FORMAT_PAGE_MISSING item in `skipped` says so). */
  statedPages: number | null;
  /** Page 0's binding id: every file of one database (data, log, backups: HEADERONLY BindingID) carries it; null when unreadable. */
  bindingId: string | null;
  /** `name`: the table's stagedTableName. `foreignKeys`: the table's FOREIGN KEY constraints as its catalog declares them (TableLayout.foreignKeys), absent when none; `references` names the table referenced as `name` does (stagedTableName: `[dbo].[Order.Items]` for a name holding a dot, which the plain `dbo.Order.Items` did not tell from [dbo.Order].Items). */
  tables: Array<{ name: string; rows: number; indexId: number; columns: number; compression: string; partitions: number; foreignKeys?: Array<{ name: string; columns: string[]; references: string; referencedColumns: string[] }> }>;
  warnings: string[];
  skipped: SkippedItem[];
  /** Pages checked while reading the metadata, by protection kind. */
  pageChecks: PageReader['stats'];
}

export function describeDataFile(path: string): DataFileDescription {
  const source = new MdfPageSource(path);
  try {
    const reader = new PageReader(source);
    const md = readDataFileMetadata(source, reader);
    // a copy cut short is damage found in the file's header facts, said first (INCOMPLETE, exit 3),
    // whether or not the catalog needed a page past the cut
    const cut = source.cutShort();
    const cutItem: SkippedItem[] = cut ? [{ code: 'FORMAT_PAGE_MISSING', reason: `${source.description}: ${cut}`, location: { file: path, offset: source.pageCount_ * PAGE_SIZE, page: `${source.fileId}:${source.pageCount_}` } }] : [];
    return {
      kind: 'data-file',
      file: path,
      fileId: source.fileId,
      pages: source.pageCount_,
      statedPages: source.sizePages,
      bindingId: source.bindingId ?? null,
      ...md.database,
      tables: tableSummaries(md),
      warnings: md.warnings,
      skipped: [...cutItem, ...md.skipped],
      pageChecks: reader.stats,
    };
  } finally {
    source.close();
  }
}

/** One line's facts per user table of `md` (inspect's "tables (rows)"): name, row count (the metadata's), heap or clustered, live columns, compression, partitions; and its foreign keys (inspect's "foreign keys"), the referenced table as `schema.name`. */
export function tableSummaries(md: DataFileMetadata): DataFileDescription['tables'] {
  return [...md.details.entries()].map(([name, t]) => ({
    name,
    rows: t.rowCount,
    indexId: t.layout.indexId,
    columns: t.layout.columns.filter((c) => !c.isDropped && !c.isUniquifier).length,
    compression: compressionSummary(t.partitions),
    partitions: t.partitions.length,
    ...(t.layout.foreignKeys?.length ? { foreignKeys: t.layout.foreignKeys.map((k) => ({ name: k.name, columns: k.columns, references: stagedTableName({ schema: k.referencedSchema, name: k.referencedTable }), referencedColumns: k.referencedColumns })) } : {}),
  }));
}

/**
 * The table's compression over its partitions: one word when they agree, else each compression with
 * its partition numbers (`NONE on partition 1; PAGE on partitions 2, 3`). The table's own layout
 * is its first partition's; its compression alone said NONE for a table whose other partitions are
 * PAGE-compressed.
 */
export function compressionSummary(partitions: Array<{ partitionNumber: number; compression: string }>): string {
  const by = new Map<string, number[]>();
  for (const p of [...partitions].sort((a, b) => a.partitionNumber - b.partitionNumber)) {
    const list = by.get(p.compression) ?? [];
    list.push(p.partitionNumber);
    by.set(p.compression, list);
  }
  if (by.size <= 1) return [...by.keys()][0] ?? 'NONE';
  return [...by].map(([c, n]) => `${c} on partition${n.length > 1 ? 's' : ''} ${n.join(', ')}`).join('; ');
}
