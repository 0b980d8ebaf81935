/**
 * SYNTHETIC catalog JSON rows (as sql/table-metadata.sql returns them) for AngularJs_CRUD's
 * dbo.Employee, typed from that database's own catalog (Database1.mdf: object 245575913, partition
 * 72057594042318848, in-row unit 72057594043432960, four columns), for tests of `--schema` over the
 * corpus's Database1_log.ldf. `LOG_DB` is that log's binding id (page 0), `OTHER_DB` CRUD-.NET
 * Database_log.ldf's: a real other database's GUID.
 */
export const LOG_DB = '97C13D95-088B-43ED-85E5-F9F10FED2D16';
export const OTHER_DB = '77CBFA04-51D4-45E8-8CFC-1BA947A6429A';
/** dbo.Employee's in-row allocation unit in Database1.mdf. */
export const EMPLOYEE_UNIT = '72057594043432960';

export type CatalogIdentity = { database_name: string | null; database_guid: string | null; family_guid: string | null };
export type CatalogCol = [name: string, type: string, max: number, off: number, nullable: boolean];
export const EMPLOYEE_COLS: CatalogCol[] = [['Emp_Id', 'int', 4, 4, false], ['Emp_Name', 'varchar', -1, -1, true], ['Emp_City', 'varchar', -1, -2, true], ['Emp_Age', 'int', 4, 8, true]];

/** Catalog rows of a table `dbo.Employee` with `cols` (first column the key) on `unit`, each with `extra` (an identity) merged in. */
export function catalogRows(o: { objectId?: number; partitionId?: string; unit?: string; cols?: CatalogCol[]; extra?: Record<string, unknown> } = {}): Record<string, unknown>[] {
  return (o.cols ?? EMPLOYEE_COLS).map(([name, type, max, off, nullable], i) => ({
    schema_name: 'dbo', table_name: 'Employee', object_id: o.objectId ?? 245575913, index_id: 1, partition_id: o.partitionId ?? '72057594042318848', partition_number: 1,
    partition_column_id: i + 1, column_id: i + 1, column_name: name, type_name: type, max_length: max, precision: type === 'int' ? 10 : 0, scale: 0,
    collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', is_nullable: nullable, is_identity: false, is_computed: false, leaf_offset: off, leaf_null_bit: i + 1, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: o.unit ?? EMPLOYEE_UNIT, key_ordinal: i === 0 ? 1 : 0,
    ...(o.extra ?? {}),
  }));
}

/** dbo.Employee's catalog rows with an identity (or none). */
export const employee = (identity?: Partial<CatalogIdentity> | Record<string, string | null>) => catalogRows({ extra: identity });
