import { findTableName, unknownTableHint } from '../../reconstruct/metadata/names.js';
import { splitQualifiedName, stagedTableName, tableListText } from '../../util/tsql.js';
import { namingFile, readTextFile } from '../../util/files.js';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { decodeRow } from '../../reconstruct/decode-row.js';
import { loadCatalogFile } from '../../reconstruct/metadata/catalog-json.js';
import { assumedCollationNote, assumedSparseIdsNote, layoutsFromDdl } from '../../reconstruct/metadata/ddl.js';
import { physicalSlots, qualifiedName, type TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { formatLsn, parseAnyLsn } from '../../logreader/lsn.js';
import { parseHex } from '../../util/hex.js';
import { rowJson } from '../../util/negative-zero.js';
import { catchInterrupts, letSignalsIn, sayInterrupted } from '../interrupt.js';
import { repeatableOption } from '../options.js';
import { parseTypeAliases } from '../type-aliases.js';
import { exitIncomplete, strictOption } from '../strict.js';
import { sayLine, sayLines } from '../stderr-lines.js';

/**
 * `rowback decode`: one row image + table metadata → one JSON document on stdout:
 *   {"table":"schema.name","values":{…}[,"warnings":[…]]}
 * Anything wrong (bad hex, truncated row, a row that does not fit the schema, bad metadata)
 * throws a typed error before anything is written, so stdout never holds partial output;
 * main.ts prints the error as one line on stderr and exits ≠ 0.
 */

interface DecodeCliOptions {
  ddl?: string;
  schema?: string;
  table?: string;
  hex: string;
  typeAlias: string[];
  lsn?: string;
  partition?: string;
  defaultSchema?: string;
  collation?: string;
  /** Exit 3 (not 0) when the row was decoded with warnings (INCOMPLETE; strict.ts). */
  strict?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('decode')
    .description('Decode one row image (RowLog Contents 0 / DBCC PAGE record bytes) against a table definition')
    .option('--ddl <file>', 'table metadata from a CREATE TABLE script (CREATE INDEX / ALTER TABLE … PRIMARY KEY understood)')
    .option('--schema <catalog.json>', 'table metadata as catalog JSON (rows of sql/table-metadata.sql): exact, knows dropped columns')
    .option('--table <schema.name>', 'which table, when the metadata holds more than one')
    .option('--partition <n>', "with --schema: the row's partition number, when the table's partitions differ in layout (compression, columns)")
    .requiredOption('--hex <hex>', "the row image as hex ('0x…', spaces allowed); '-' reads it from stdin")
    .addOption(repeatableOption('--type-alias <name=type>', 'with --ddl: a user-defined alias type, e.g. Flag=bit (repeatable)', collect, 'none'))
    .option('--default-schema <schema>', 'with --ddl: schema of unqualified table names', 'dbo')
    .option('--collation <name>', 'with --ddl: database default collation for char/varchar columns without COLLATE (default: SQL_Latin1_General_CP1_CI_AS, code page 1252, said on stderr when a column of the row takes it)')
    .option('--lsn <lsn>', 'LSN of the log record the image came from, any fn_dblog spelling (named in errors)')
    .addOption(strictOption({ backups: false }))
    .action(async (opts: DecodeCliOptions) => {
      // Ctrl-C / SIGTERM (waiting for `--hex -` on stdin, reading a large script): nothing is
      // printed, one INTERRUPTED line, exit 130 / 143 (interrupt.ts)
      const interrupt = catchInterrupts();
      try {
        let text = '';
        let incomplete = '';
        let notes: string[] = [];
        try {
          ({ text, incomplete, notes } = await runDecode(opts, interrupt.signal));
          await letSignalsIn();
        } catch (e) {
          if (!interrupt.by) throw e;
        }
        if (interrupt.by) {
          sayInterrupted('decode', interrupt.by, opts.hex === '-' ? 'stopped before the row image on stdin was read whole; nothing was decoded or printed' : 'nothing was decoded or printed');
          return;
        }
        process.stdout.write(text);
        sayLines(notes);
        // a value the decoder could not stand behind: said on stderr, exit 3 with --strict
        if (incomplete) {
          sayLine(incomplete);
          exitIncomplete(opts.strict);
        }
      } finally {
        interrupt.release();
      }
    });
}

/**
 * Does the whole job and returns the text to print, the `rowback decode: INCOMPLETE: …` line
 * when the row was decoded with warnings ('' otherwise) and the note lines (each without its line
 * end: the CLI writes each as one line, stderr-lines.ts): decode prints one row whole or refuses
 * (an error, exit 2), so what can fall short of a whole answer is a value the decoder warns about
 * (may be wrong, not decoded, not stored in the row). Throws typed errors (nothing printed), and
 * `signal`'s reason once it is aborted while stdin is read (`--hex -`; stdin is closed then).
 */
export async function runDecode(opts: DecodeCliOptions, signal?: AbortSignal): Promise<{ text: string; incomplete: string; notes: string[] }> {
  // Validate the LSN first: a typo there should not wait behind a long metadata load.
  const lsn = opts.lsn !== undefined ? formatLsn(parseAnyLsn(opts.lsn, '--lsn')) : undefined;
  if (!!opts.ddl === !!opts.schema) {
    throw new InputError('INPUT_BAD_OPTION', opts.ddl ? 'give --ddl or --schema, not both' : 'give the table metadata: --ddl FILE or --schema CATALOG.json');
  }
  // the options' own refusal, before the script's (inside namingFile it was labelled `(file X.sql)`)
  const typeAliases = parseTypeAliases(opts.typeAlias ?? []);
  const layouts = opts.schema ? loadCatalogFile(opts.schema, '--schema') : namingFile(opts.ddl!, () => layoutsFromDdl(readText(opts.ddl!, '--ddl'), {
    typeAliases,
    defaultSchema: opts.defaultSchema,
    defaultCollation: opts.collation,
  }));
  let partition: number | undefined;
  if (opts.partition !== undefined) {
    partition = Number(opts.partition);
    if (!/^\d+$/.test(opts.partition.trim()) || partition < 1) throw new InputError('INPUT_BAD_OPTION', `--partition '${opts.partition}' is not a partition number (1, 2, …)`);
  }
  const table = pickTable(layouts, opts.table, opts.ddl ?? opts.schema!, partition);
  const hexText = opts.hex === '-' ? await readStdin(signal) : opts.hex;
  const dumpHex = hexFromDump(hexText);
  const image = parseHex(dumpHex, '--hex');
  if (image.length === 0) throw new InputError('INPUT_BAD_HEX', '--hex is empty', { offset: 0 });
  const row = decodeRow(image, table, lsn ? { lsn } : undefined);
  // --lsn says the image is a log record's RowLog Contents 0: row-compressed, nothing to resolve
  // (unless the text pasted is evidently DBCC PAGE output: its Slot / memory dump lines)
  const fromPage = dumpHex !== hexText;
  if (table.compression === 'PAGE' && (!lsn || fromPage)) row.warnings.push(pageCompressedImageWarning(qualifiedName(table)));
  // the table as scan names its rows (stagedTableName: `[dbo].[Order.Items]` when a part holds a dot)
  const doc: { table: string; values: typeof row.values; warnings?: string[] } = { table: stagedTableName(table), values: row.values };
  if (row.warnings.length > 0) doc.warnings = row.warnings;
  const at = [`${image.length}-byte row image`, lsn ? `LSN ${lsn}` : ''].filter(Boolean).join(', ');
  const incomplete = row.warnings.length ? `rowback decode: INCOMPLETE: the row of ${doc.table} (${at}) was decoded with ${row.warnings.length} warning(s) (in "warnings"): a value may be wrong or not decoded; first: ${row.warnings[0]}` : '';
  // a --ddl table with sparse columns: their column_ids are the script's order (assumedSparseIdsNote)
  const sparse = opts.ddl ? assumedSparseIdsNote([table], '--schema (sql/table-metadata.sql)') : undefined;
  // char/varchar/text columns of the row's table read as the assumed default collation (no
  // --collation): said, as scan says it; a Turkish database's 0xFE printed 'þ' (code page 1252) for
  // 'ş' (1254) with no word, where scan --ddl named the assumption
  const assumed = opts.ddl && opts.collation === undefined ? assumedCollationNote(readText(opts.ddl, '--ddl'), { typeAliases, defaultSchema: opts.defaultSchema }, '--collation', { schema: table.schema, name: table.name }) : undefined;
  const notes = [sparse, assumed].filter((n): n is string => n !== undefined).map((n) => `rowback decode: note: --ddl: ${n}`);
  return { text: rowJson(doc) + '\n', incomplete, notes };
}

/**
 * The row warning of a `decode` of a PAGE-compressed table's image not said to be a log record's
 * (no --lsn, or DBCC PAGE output pasted): --hex takes RowLog Contents 0
 * (row-compressed: the log holds no page-compressed image, FORMAT-NOTES §2) or a DBCC PAGE record,
 * and a record of a data page carrying a compression-information record (m_typeFlagBits 0x80) stores
 * each column with an anchor as [prefix length][suffix] and an EMPTY one as "equal to the anchor"
 * (BusinessCentral.BakReader PROVENANCE.md), which one record cannot resolve and decodes as a
 * plausible value: [0x09]['SWRXU'] of 'Supplier SWRXU' was printed as '\tSWRXU' with no word. The
 * bytes alone do not say which page they came from, so the values are said doubtful (INCOMPLETE;
 * --strict exit 3), not refused. (A page-dictionary symbol is refused: DECODE_PAGE_DICTIONARY.)
 */
export function pageCompressedImageWarning(table: string): string {
  return `${table} is PAGE-compressed: if these bytes were copied from DBCC PAGE of a page whose header has m_typeFlagBits 0x80 (a compression-information record: anchor and dictionary), a column with an anchor holds [prefix length][suffix] and an empty one means the anchor's value, which this one record cannot resolve, so such values printed here are wrong; the values are right for RowLog Contents 0 of a row operation (row-compressed) or a record of a page without that flag`;
}

/**
 * Accepts DBCC PAGE output as pasted: lines such as
 * `Slot 0: 0000000000000000:   10000800 01000000 0100fe` or a memory-dump line with its ASCII
 * column (`000000000D52A060:   30001000 00000000 0020490b 01000000  0.........I.....`). From each
 * line that has an address column, only the hex groups (≤ 8 digits, single-spaced) after the
 * address are kept; the ASCII column (after two or more spaces) is dropped. Text without an
 * address column is returned unchanged.
 */
export function hexFromDump(text: string): string {
  const lines = text.split(/\r?\n/);
  const ADDRESS = /^\s*(?:Slot \d+\s*(?:Offset 0x[0-9a-f]+\s*)?(?:Length \d+\s*)?:?\s*)?(?:Memory Dump @0x[0-9a-f]+\s*)?([0-9a-f]{8,16}):(.*)$/i;
  if (!lines.some((l) => ADDRESS.test(l))) return text;
  const out: string[] = [];
  for (const line of lines) {
    const m = ADDRESS.exec(line);
    if (!m) {
      if (line.trim() !== '' && !/^\s*(Slot \d+|Record |Memory Dump)/i.test(line)) out.push(line);
      continue;
    }
    const groups = /^\s*((?:[0-9a-f]{2,8})(?: [0-9a-f]{2,8})*)/i.exec(m[2]!);
    if (groups) out.push(groups[1]!);
  }
  return out.join(' ');
}

/**
 * `--table` matches `schema.name` case-insensitively (SQL Server's default collations are
 * case-insensitive), or a bare name when only one schema has it. Catalog JSON has one layout per
 * partition: `partition` picks one; without it the first is used when every partition has the same
 * layout, and INPUT_PARTITION_REQUIRED is thrown when they differ (a partition rebuilt alone or of
 * another compression: partition 1's layout reads another partition's row from the wrong bytes).
 */
export function pickTable(layouts: TableLayout[], wanted: string | undefined, source: string, partition?: number): TableLayout {
  const names = [...new Set(layouts.map(stagedTableName))];
  if (names.length === 0) throw new InputError('INPUT_NO_TABLE', `${source} defines no table`, { file: source });
  if (wanted === undefined) {
    if (names.length > 1) {
      throw new InputError('INPUT_TABLE_REQUIRED', `${source} defines ${names.length} tables; choose one with --table: ${tableListText(names)}`, { file: source });
    }
    return pickPartition(layouts, partition, source);
  }
  // schema.name (or dbo.name) matched exactly first, another case only when one table has it
  // (names.ts: a case-sensitive script may define dbo.T and dbo.t); else the name in any schema
  // by parts (names.ts findTableName: `[dbo].[Order.Items]` is dbo + Order.Items; a plain dotted text of two tables refused naming both)
  const q = findTableName([...new Set(layouts.map(stagedTableName))], wanted);
  // a one-part name (`T`, `[Order.Items]`): its name in any schema when dbo has none
  let w: string | undefined;
  try {
    const p = splitQualifiedName(wanted, '');
    if (p.schema === '') w = p.name;
  } catch {
    w = undefined;
  }
  const sameName = w === undefined ? [] : layouts.filter((t) => t.name === w);
  const byName = q !== undefined ? layouts.filter((t) => stagedTableName(t) === q) : sameName.length ? sameName : w === undefined ? [] : layouts.filter((t) => t.name.toLowerCase() === w!.toLowerCase());
  const matchedNames = [...new Set(byName.map(stagedTableName))];
  if (matchedNames.length === 1) return pickPartition(byName, partition, source);
  if (matchedNames.length > 1) {
    throw new InputError('INPUT_TABLE_REQUIRED', `--table ${wanted} matches ${tableListText(matchedNames)}; give schema.name`, { table: wanted });
  }
  throw new InputError('INPUT_UNKNOWN_TABLE', `table ${wanted} is not in ${source}; known tables: ${tableListText(names)}${unknownTableHint(wanted, names)}`, { table: wanted });
}

/** One table's layouts (one per partition) → the one to decode with (see pickTable). */
function pickPartition(layouts: TableLayout[], partition: number | undefined, source: string): TableLayout {
  const sorted = [...layouts].sort((a, b) => (a.partitionNumber ?? 1) - (b.partitionNumber ?? 1));
  const name = qualifiedName(sorted[0]!);
  if (partition !== undefined) {
    const hit = sorted.find((t) => (t.partitionNumber ?? 1) === partition);
    if (!hit) throw new InputError('INPUT_UNKNOWN_PARTITION', `${name} has no partition ${partition} in ${source}; its partitions: ${sorted.map((t) => t.partitionNumber ?? 1).join(', ')}`, { table: name, file: source });
    return hit;
  }
  const shape = (t: TableLayout) => `${t.compression} ${physicalSlots(t)}`;
  if (new Set(sorted.map(shape)).size > 1) {
    const each = sorted.map((t) => `${t.partitionNumber ?? 1}: ${t.compression}, ${t.columns.length} physical columns`).join('; ');
    throw new InputError('INPUT_PARTITION_REQUIRED', `${name}'s partitions differ in layout in ${source} (${each}); give the row's partition with --partition N`, { table: name, file: source });
  }
  return sorted[0]!;
}

function readText(file: string, flag: string): string {
  return readTextFile(file, flag);
}

/** All of stdin as UTF-8. Aborted, stdin is closed (an open stdin would keep the process from ending) and the signal's reason thrown. */
async function readStdin(signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const stdin = process.stdin;
  const onAbort = () => stdin.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  try {
    for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  } catch (e) {
    signal?.throwIfAborted();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  signal?.throwIfAborted();
  return Buffer.concat(chunks).toString('utf8');
}
