-- rowback: sql/table-metadata.sql's catalog rows as ONE JSON value — the "catalog JSON" that
-- `rowback scan --schema FILE`, `rowback log --schema FILE` and `rowback decode --schema FILE` take,
-- for when only the log survives (no .mdf, no .bak) but the database, or a copy of its schema,
-- can still be queried. Read-only; run it in the database that holds the tables.
--
--   sqlcmd -S SERVER -d CRM -E -i table-metadata-json.sql -h -1 -y 0 -f 65001 -o catalog.json
--
-- (-h -1: no column header; -y 0: do not cut the value at 256 characters -- sqlcmd still cuts it at
-- 1 MB, which the catalog of a database of many thousand columns can pass: then use the PowerShell
-- way in docs/live.md; -f 65001: UTF-8 output.)
-- The block between the rowback:catalog markers is sql/table-metadata.sql's verbatim (a unit
-- test keeps them in step); change both together. docs/live.md gives the PowerShell equivalent.
SET NOCOUNT ON;
DECLARE @json nvarchar(max) = (
SELECT c.* FROM (
-- rowback:catalog-begin
SELECT
  s.[name] AS [schema_name],
  o.[name] AS [table_name],
  o.[object_id],
  p.[index_id],
  CONVERT(nvarchar(20), p.[partition_id]) AS [partition_id],
  p.[partition_number],
  p.[data_compression_desc],
  CONVERT(nvarchar(20), au_in.[allocation_unit_id]) AS [in_row_alloc_unit_id],
  CONVERT(nvarchar(20), au_lob.[allocation_unit_id]) AS [lob_alloc_unit_id],
  CONVERT(nvarchar(20), au_ovf.[allocation_unit_id]) AS [row_overflow_alloc_unit_id],
  CONVERT(nvarchar(23), o.[modify_date], 126) AS [modify_date],
  CONVERT(nvarchar(23), o.[create_date], 126) AS [create_date],
  pc.[partition_column_id],
  CASE WHEN pc.[is_dropped] = 1 OR pc.[is_uniqueifier] = 1 THEN NULL ELSE c.[column_id] END AS [column_id],
  CASE WHEN pc.[is_dropped] = 1 OR pc.[is_uniqueifier] = 1 THEN NULL ELSE c.[name] END AS [column_name],
  -- CLR types (hierarchyid, geometry, geography) share system_type_id 240: name them by their user type.
  COALESCE(CASE WHEN ut.[is_assembly_type] = 1 THEN ut.[name] END, st.[name], ut.[name]) AS [type_name],
  pc.[system_type_id],
  CASE WHEN ut.[user_type_id] <> ut.[system_type_id] AND ut.[is_assembly_type] = 0 THEN ut.[name] END AS [user_type_name],
  pc.[max_length],
  pc.[precision],
  pc.[scale],
  pc.[collation_name],
  pc.[is_nullable],
  c.[is_identity],
  c.[is_computed],
  cc.[is_persisted],
  c.[is_rowguidcol],
  c.[is_column_set],
  c.[is_filestream],
  COLUMNPROPERTY(o.[object_id], c.[name], 'GeneratedAlwaysType') AS [generated_always_type],
  pc.[leaf_offset],
  pc.[leaf_null_bit],
  pc.[leaf_bit_position],
  pc.[is_dropped],
  pc.[is_sparse],
  pc.[is_uniqueifier],
  pc.[key_ordinal],
  CASE
    WHEN pc.[default_value] IS NULL THEN NULL
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('binary', 'varbinary', 'timestamp')
      THEN CONVERT(nvarchar(4000), CONVERT(varbinary(8000), pc.[default_value]), 1)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('date', 'datetime', 'smalldatetime', 'datetime2')
      THEN CONVERT(nvarchar(4000), CONVERT(datetime2(7), pc.[default_value]), 126)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) = 'datetimeoffset'
      THEN CONVERT(nvarchar(4000), CONVERT(datetimeoffset(7), pc.[default_value]), 126)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('money', 'smallmoney')
      THEN CONVERT(nvarchar(4000), CONVERT(money, pc.[default_value]), 2)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('float', 'real')
      THEN CONVERT(nvarchar(4000), CONVERT(varbinary(8), CONVERT(float, pc.[default_value])), 1)
    ELSE CONVERT(nvarchar(4000), pc.[default_value])
  END AS [default_value],
  -- The database these rows are of, on every row: rowback refuses a catalog whose database_guid
  -- is not the binding id of the log/backup/data files scanned with it (allocation unit ids repeat
  -- between databases). NULL when sys.database_recovery_status hides this database's row.
  DB_NAME() AS [database_name],
  CONVERT(nvarchar(36), drs.[database_guid]) AS [database_guid],
  CONVERT(nvarchar(36), drs.[family_guid]) AS [family_guid]
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.[schema_id] = o.[schema_id]
JOIN sys.partitions AS p ON p.[object_id] = o.[object_id] AND p.[index_id] IN (0, 1)
JOIN sys.system_internals_partition_columns AS pc ON pc.[partition_id] = p.[partition_id]
LEFT JOIN sys.columns AS c ON c.[object_id] = o.[object_id] AND c.[column_id] = pc.[partition_column_id]
LEFT JOIN sys.computed_columns AS cc ON cc.[object_id] = c.[object_id] AND cc.[column_id] = c.[column_id]
LEFT JOIN sys.types AS st ON st.[user_type_id] = pc.[system_type_id]
LEFT JOIN sys.types AS ut ON ut.[user_type_id] = c.[user_type_id]
-- IN_ROW_DATA (1) and ROW_OVERFLOW_DATA (3) belong to the hobt; LOB_DATA (2) to the partition.
LEFT JOIN sys.allocation_units AS au_in ON au_in.[type] = 1 AND au_in.[container_id] = p.[hobt_id]
LEFT JOIN sys.allocation_units AS au_lob ON au_lob.[type] = 2 AND au_lob.[container_id] = p.[partition_id]
LEFT JOIN sys.allocation_units AS au_ovf ON au_ovf.[type] = 3 AND au_ovf.[container_id] = p.[hobt_id]
-- One row: this database's. LEFT: without permission to see it the catalog is still returned.
LEFT JOIN sys.database_recovery_status AS drs ON drs.[database_id] = DB_ID()
WHERE o.[type] = 'U' AND o.[is_ms_shipped] = 0
-- rowback:catalog-end
) AS c
ORDER BY c.[schema_name], c.[table_name], c.[partition_number], c.[partition_column_id]
FOR JSON PATH, INCLUDE_NULL_VALUES
);
-- One value, assigned to a variable first: a FOR JSON result sent directly is split into chunks
-- of about 2,000 characters, which clients print on separate lines.
SELECT ISNULL(@json, N'[]') AS [catalog];
