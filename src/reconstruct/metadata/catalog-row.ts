import { z } from 'zod';

/**
 * One row of `sql/table-metadata.sql`: one physical column of one partition of one table.
 * "Catalog JSON" is an array of these rows (or `{ "rows": [...] }`), exactly as the query
 * returns them — saved from SSMS, sqlcmd, `FOR JSON PATH`, or rowback's live path.
 * Column names are the query's; keep this schema and the SQL file in step.
 */
const bool = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1);
const bigintText = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => String(v));
/** uniqueidentifier as text (CONVERT(nvarchar(36), …)), braces allowed; kept upper-case, as binding ids are. */
const guidText = z.string().trim().regex(/^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$/, 'a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)').transform((v) => v.replace(/[{}]/g, '').toUpperCase());

export const CatalogRowSchema = z.object({
  schema_name: z.string(),
  table_name: z.string(),
  object_id: z.number().int().optional(),
  index_id: z.number().int(),
  partition_id: bigintText.optional(),
  partition_number: z.number().int().optional(),
  data_compression_desc: z.string().default('NONE'),
  in_row_alloc_unit_id: bigintText.nullable().optional(),
  lob_alloc_unit_id: bigintText.nullable().optional(),
  row_overflow_alloc_unit_id: bigintText.nullable().optional(),
  modify_date: z.string().nullable().optional(),
  /** sys.objects.create_date (ISO text); absent from catalogs of before this column. Equal to modify_date: never altered since created. */
  create_date: z.string().nullable().optional(),
  partition_column_id: z.number().int(),
  /** sys.columns.column_id; NULL for dropped columns and the uniquifier. */
  column_id: z.number().int().nullable(),
  column_name: z.string().nullable(),
  /** Base system type name (sys.types where user_type_id = system_type_id). */
  type_name: z.string(),
  system_type_id: z.number().int().optional(),
  user_type_name: z.string().nullable().optional(),
  max_length: z.number().int(),
  precision: z.number().int(),
  scale: z.number().int(),
  collation_name: z.string().nullable(),
  is_nullable: bool.nullable().optional(),
  is_identity: bool.nullable().optional(),
  is_computed: bool.nullable().optional(),
  is_persisted: bool.nullable().optional(),
  is_rowguidcol: bool.nullable().optional(),
  is_column_set: bool.nullable().optional(),
  /** sys.columns.is_filestream: a FILESTREAM column (ColumnLayout.isFilestream). Absent in catalogs exported before it was asked for. */
  is_filestream: bool.nullable().optional(),
  /** COLUMNPROPERTY(…, 'GeneratedAlwaysType') (SQL Server 2016+; NULL before): 1/2 a temporal period column, 7–10 ledger. Absent in older catalogs. */
  generated_always_type: z.number().int().nullable().optional(),
  leaf_offset: z.number().int(),
  leaf_null_bit: z.number().int(),
  leaf_bit_position: z.number().int(),
  is_dropped: bool,
  is_sparse: bool,
  is_uniqueifier: bool,
  key_ordinal: z.number().int().nullable().optional(),
  /** Default for rows older than the column, as text (sql_variant rendered with CONVERT(nvarchar(4000), …, 1)). */
  default_value: z.string().nullable().optional(),
  /**
   * The database the rows are of (DB_NAME(), sys.database_recovery_status.database_guid and
   * family_guid), the same on every row; absent from catalogs of before these columns, NULL when
   * the query's user could not see the database's recovery status row.
   */
  database_name: z.string().nullable().optional(),
  database_guid: guidText.nullable().optional(),
  family_guid: guidText.nullable().optional(),
});

export type CatalogRow = z.infer<typeof CatalogRowSchema>;

export const CatalogJsonSchema = z.union([
  z.array(CatalogRowSchema),
  z.object({ rows: z.array(CatalogRowSchema) }).transform((o) => o.rows),
]);
