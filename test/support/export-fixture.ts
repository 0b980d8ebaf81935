/**
 * SYNTHETIC catalog rows shaped like sql/table-metadata.sql's output, for export-file tests:
 * one clustered table dbo.Customers whose in-row allocation unit is CUSTOMERS_AU.
 */
export const CUSTOMERS_AU = '72057594043236352';

export const customersCatalogRow = (over: Record<string, unknown>) => ({
  schema_name: 'dbo', table_name: 'Customers', object_id: 901578250, index_id: 1, partition_id: '72057594042384384',
  partition_number: 1, data_compression_desc: 'NONE', in_row_alloc_unit_id: CUSTOMERS_AU, lob_alloc_unit_id: null,
  row_overflow_alloc_unit_id: null, modify_date: '2024-01-02T09:00:00', user_type_name: null, is_identity: false,
  is_computed: false, is_persisted: null, is_rowguidcol: false, is_column_set: false, is_dropped: false, is_sparse: false,
  is_uniqueifier: false, default_value: null, ...over,
});
