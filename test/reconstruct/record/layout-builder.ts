/**
 * Hand-built TableLayouts for the record/type tests (the DDL-driven ones live with the metadata code).
 * `fixed(name, type, leafOffset, …)` / `variable(name, type, varIndex, …)`; null bits follow the
 * order the columns are given in (1-based), unless `nullBit` is passed.
 */
import type { ColumnLayout, Compression, SqlTypeName, TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { codePageForCollation } from '../../../src/reconstruct/collation.js';

export interface ColOpts {
  maxLength?: number;
  precision?: number;
  scale?: number;
  collation?: string | null;
  nullable?: boolean;
  nullBit?: number;
  bitPosition?: number;
  columnId?: number;
  isDropped?: boolean;
  isSparse?: boolean;
  isUniquifier?: boolean;
  computed?: boolean;
  defaultValue?: ColumnLayout['defaultValue'];
}

const DEFAULT_MAX: Partial<Record<SqlTypeName, number>> = {
  bit: 1, tinyint: 1, smallint: 2, int: 4, bigint: 8, real: 4, float: 8, money: 8, smallmoney: 4, date: 3,
  datetime: 8, smalldatetime: 4, uniqueidentifier: 16, timestamp: 8, text: 16, ntext: 16, image: 16,
  varchar: 8000, nvarchar: 8000, varbinary: 8000, sql_variant: 8016, xml: -1, geography: -1, geometry: -1, hierarchyid: 892,
};

export type ColSpec = { name: string; type: SqlTypeName; leafOffset: number; opts: ColOpts };

export function fixed(name: string, type: SqlTypeName, leafOffset: number, opts: ColOpts = {}): ColSpec {
  return { name, type, leafOffset, opts };
}
export function variable(name: string, type: SqlTypeName, varIndex: number, opts: ColOpts = {}): ColSpec {
  return { name, type, leafOffset: -varIndex, opts };
}

export function table(name: string, specs: ColSpec[], compression: Compression = 'NONE'): TableLayout {
  let nextId = 1;
  const columns: ColumnLayout[] = specs.map((s, i) => {
    const o = s.opts;
    const isChar = ['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'sysname'].includes(s.type);
    const collation = o.collation !== undefined ? o.collation : isChar ? 'SQL_Latin1_General_CP1_CI_AS' : null;
    const isCharacter8 = ['char', 'varchar', 'text'].includes(s.type);
    return {
      name: s.name,
      columnId: o.isUniquifier || o.isDropped ? 0 : (o.columnId ?? nextId++),
      partitionColumnId: i + 1,
      type: s.type,
      maxLength: o.maxLength ?? DEFAULT_MAX[s.type] ?? 0,
      precision: o.precision ?? (s.type === 'decimal' || s.type === 'numeric' ? 18 : 0),
      scale: o.scale ?? (['time', 'datetime2', 'datetimeoffset'].includes(s.type) ? 7 : 0),
      collation,
      codePage: isCharacter8 ? codePageForCollation(collation) : null,
      nullable: o.nullable ?? true,
      identity: false,
      computed: o.computed ?? false,
      leafOffset: s.leafOffset,
      leafNullBit: o.nullBit ?? i + 1,
      leafBitPosition: o.bitPosition ?? 0,
      isDropped: o.isDropped ?? false,
      isSparse: o.isSparse ?? false,
      isUniquifier: o.isUniquifier ?? false,
      ...(o.defaultValue !== undefined ? { defaultValue: o.defaultValue } : {}),
    };
  });
  return { schema: 'dbo', name, indexId: 0, compression, columns };
}
