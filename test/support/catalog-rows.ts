import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/**
 * SYNTHETIC catalog JSON: the rows sql/table-metadata.sql would return for `layout` (one per
 * column, leaf offsets and null bits as the layout computed them), for tests of the catalog path
 * (API jobs with `metadata.catalog`, the live source's catalog through a fake server).
 * `keyOrdinal` is written when the layout carries it (a clustered key from the DDL).
 */
export function catalogRowsOf(layout: TableLayout, o: { allocUnit: string }): Record<string, unknown>[] {
  return layout.columns.map((c) => ({
    schema_name: layout.schema, table_name: layout.name, index_id: layout.indexId ?? 1, partition_column_id: c.partitionColumnId, column_id: c.columnId, column_name: c.name,
    type_name: c.type, max_length: c.maxLength, precision: c.precision, scale: c.scale, collation_name: c.collation, is_nullable: c.nullable,
    is_identity: c.identity, is_computed: false, leaf_offset: c.leafOffset, leaf_null_bit: c.leafNullBit, leaf_bit_position: c.leafBitPosition,
    is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: o.allocUnit, key_ordinal: c.keyOrdinal ?? 0,
  }));
}
