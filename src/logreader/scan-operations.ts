import { LOP_DELETE_ROWS, LOP_INSERT_ROWS, LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW } from './log-record.js';

/**
 * The row operations a scan asks for and the log operations that carry them: the vocabulary the
 * file reader's committed filter (recover/committed.ts) and the live query (logreader/live/sql.ts)
 * share, kept here, below both, so the live query does not import from the recovery layer above it.
 */
export type ScanOperation = 'delete' | 'insert' | 'update';

/** The row operations a scan can ask for, in the spelling the CLI prints and the API answers with. */
export const SCAN_OPERATIONS: readonly ScanOperation[] = ['delete', 'insert', 'update'];

/**
 * A scan operation from its name in any case, as `rowback scan --op` and the API's `operations`
 * take it (`DELETE`, `Delete` and `delete` are `delete`); undefined when the text names none of
 * SCAN_OPERATIONS. Surrounding blanks are not trimmed: ` delete` is not an operation.
 */
export function scanOperationOf(text: string): ScanOperation | undefined {
  const lower = text.toLowerCase();
  return (SCAN_OPERATIONS as readonly string[]).includes(lower) ? (lower as ScanOperation) : undefined;
}

/** Which log operations carry rows for each scan operation. */
export const OPERATIONS_FOR: Record<ScanOperation, readonly string[]> = {
  delete: [LOP_DELETE_ROWS],
  insert: [LOP_INSERT_ROWS],
  update: [LOP_MODIFY_ROW, LOP_MODIFY_COLUMNS],
};

/**
 * The opposite row operation a scan for `operations` keeps to find rows a committed transaction
 * took back itself (committedCandidateBatches' pairing): LOP_INSERT_ROWS when deletes are wanted
 * but not inserts, LOP_DELETE_ROWS the other way round, null when both or neither are wanted
 * (then each operation happened and is printed). The live query (logreader/live/sql.ts scanSql)
 * returns the same operation so the pairing runs on its rows too.
 */
export function pairOperationFor(operations: readonly ScanOperation[]): string | null {
  const ops = new Set(operations.flatMap((o) => OPERATIONS_FOR[o]));
  if (ops.has(LOP_DELETE_ROWS) === ops.has(LOP_INSERT_ROWS)) return null;
  return ops.has(LOP_DELETE_ROWS) ? LOP_INSERT_ROWS : LOP_DELETE_ROWS;
}
