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

/** SYNTHETIC FixedVar row image of dbo.Customers (CustomerId int NOT NULL, Name nvarchar(50)): 1, N'Ada'. */
export const ROW_ADA = '0x300008000100000002000001001500410064006100';

/** dbo.Customers' two columns as catalog rows (customersCatalogRow); `identity`: CustomerId is an IDENTITY column. */
export function customersCatalog(identity = false): Array<Record<string, unknown>> {
  return [
    customersCatalogRow({ partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1, ...(identity ? { is_identity: true } : {}) }),
    customersCatalogRow({ partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'nvarchar', system_type_id: 231, max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 }),
  ];
}

/** One record as sql/export-log-records.sql writes it: every one of its columns, NULL but for `over`. */
export const exportRecord = (lsn: string, op: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': '0000:000003e8', AllocUnitId: null, 'Page ID': null, 'Slot ID': null,
  'Offset in Row': null, 'Modify Size': null, Description: null, 'Begin Time': null, 'End Time': null, 'Transaction Name': null,
  'Transaction SID': null, Login: null, SPID: null, 'RowLog Contents 0': null, 'RowLog Contents 1': null, ...over,
});

/**
 * SYNTHETIC: `rows` as one section of the CSV form sql/export-log-records.sql writes: the header line
 * (the first row's keys, quoted), then each row with every value quoted (a boolean as 1/0) and NULL
 * or absent as an empty unquoted field. Lines, not joined.
 */
export function csvSectionLines(rows: Record<string, unknown>[]): string[] {
  const cols = Object.keys(rows[0]!);
  const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
  return [cols.map((c) => `"${c}"`).join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))];
}
