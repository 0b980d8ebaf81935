-- rowback: physical layout of every user table (heap or clustered index), one row per
-- physical column of each partition, as sys.system_internals_partition_columns records it.
-- The result is rowback's "catalog JSON" (src/reconstruct/metadata/catalog-row.ts): save it
-- with FOR JSON, from SSMS, or let `rowback scan --server` run it. Read-only; run it in the
-- database that holds the tables. Needs VIEW DEFINITION on the tables.
--
-- Notes on the columns:
--  * bigint ids are returned as text: JSON numbers lose precision beyond 2^53 and allocation
--    unit ids (e.g. 72057594043236352) are larger than that.
--  * column_id / column_name are NULL for dropped columns and for the uniquifier of a
--    non-unique clustered index; their bytes still occupy the row.
--  * generated_always_type is COLUMNPROPERTY(…, 'GeneratedAlwaysType'): 1 / 2 for a temporal
--    table's period columns (GENERATED ALWAYS AS ROW START / END), which a re-insert leaves to the
--    server (an INSERT naming one fails, Msg 13536); NULL before SQL Server 2016.
--  * modify_date is sys.objects.modify_date (server local time, ISO 8601): it moves on ALTER
--    TABLE and on index changes, which rowback uses to detect schema drift.
--  * create_date is sys.objects.create_date (the same form): a modify_date equal to it says the
--    table was never altered or rebuilt since it was created (no earlier allocation units).
--  * default_value is the value stored for rows written before the column was added, as
--    text: binary as 0x hex, date/time types in ISO 8601, money with 4 decimals, float/real as
--    the 8 bytes of the float (0x… big-endian; the text form keeps only 6 significant digits).
--    Its base type is compared as CONVERT(sysname, SQL_VARIANT_PROPERTY(…, 'BaseType')): two
--    sql_variant character values of different collations are ordered by their collations first
--    (Microsoft Learn, sql_variant comparison), so a bare SQL_VARIANT_PROPERTY(…) = 'binary' could
--    be false where the literal's collation (the database's) is not the property's.
--  * database_name / database_guid / family_guid name the database the rows are of (the same on
--    every row). database_guid is the binding id every file and backup of the database carries
--    (RESTORE HEADERONLY BindingID); a RESTORE as a new database gives it a new one and keeps
--    family_guid. sys.database_recovery_status shows this database's row to its owner and to
--    holders of VIEW ANY DATABASE, ALTER ANY DATABASE or CREATE DATABASE; otherwise both are NULL
--    and rowback says it could not check the catalog's database.
--  * sql/export-log-records.sql embeds the block between the rowback:catalog markers
--    verbatim (a unit test checks it); change both together.
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
ORDER BY s.[name], o.[name], p.[partition_number], pc.[partition_column_id];
