import { SchemaError } from '../../errors.js';
import type { Compression } from './table-layout.js';
import { parseError, tokenize, type Token } from './ddl-lexer.js';

/**
 * Recursive-descent grammar for the parts of T-SQL DDL that decide a table's physical layout
 * (Microsoft Learn: CREATE TABLE, CREATE INDEX, ALTER TABLE, CREATE TYPE). Everything else in a
 * script (SET, USE, INSERT, procedures, views, grants …) is skipped statement by statement.
 * The output is a syntax model; ddl.ts turns it into TableLayouts.
 */

export interface TypeRef {
  /** Type name as written, multi-word synonyms joined by one space (`double precision`). */
  name: string;
  schema?: string;
  args: (number | 'max')[];
}

export interface DdlColumn {
  name: string;
  line: number;
  /** Absent for computed columns without a CAST/CONVERT to a type. */
  type?: TypeRef;
  nullable?: boolean;
  identity: boolean;
  collation?: string;
  sparse: boolean;
  rowGuidCol: boolean;
  computed: boolean;
  persisted: boolean;
  isColumnSet: boolean;
  /** GENERATED ALWAYS AS ROW START / END (a temporal table's period), TRANSACTION_ID / SEQUENCE_NUMBER (ledger): the server sets it. */
  generatedAlways?: boolean;
  /**
   * `ENCRYPTED WITH (…)`: an Always Encrypted column. Its rows hold the client's ciphertext
   * (AEAD_AES_256_CBC_HMAC_SHA_256: version byte, MAC, IV, AES-CBC blocks; Microsoft Learn "Always
   * Encrypted cryptography"), never a value of its declared type (ddl.ts refuses the table).
   */
  encrypted?: boolean;
  /** `FILESTREAM` on a varbinary(max) column: the row holds a file pointer, not the value (ColumnLayout.isFilestream). */
  filestream?: boolean;
  /** DEFAULT expression as written: for columns added by ALTER TABLE … ADD, what the rows then took; otherwise only named in warnings (ColumnLayout.declaredDefault). */
  defaultExpr?: Token[];
  /** Set for columns added by ALTER TABLE … ADD. */
  addedLater?: boolean;
  /** `DEFAULT … WITH VALUES` on the column (ALTER TABLE … ADD c … DEFAULT x WITH VALUES: the rows then in the table took x). */
  withValues?: boolean;
  /** Set by ALTER TABLE … DROP COLUMN: the slot stays, the column is gone from sys.columns. */
  dropped?: boolean;
  /** sys.columns.column_id, fixed when the column is created (ddl.ts); ids of dropped columns are not reused. */
  columnId?: number;
}

export interface DdlIndex {
  /** Statement number in the script (orders creates, drops and alters). */
  seq: number;
  /** Table the index belongs to: [schema?, name]. */
  table: QName;
  clustered?: boolean;
  unique: boolean;
  primaryKey: boolean;
  columns: string[];
  compression?: Compression;
  /** Set when its options give some partitions their own DATA_COMPRESSION (`… ON PARTITIONS (…)`): the clause, for messages. */
  perPartition?: string;
  columnstore: boolean;
  line: number;
  /** Constraint or index name, when the script gives one (DROP CONSTRAINT / DROP INDEX find it by name). */
  name?: string;
  /** The index of a PRIMARY KEY or UNIQUE constraint (not CREATE INDEX): DROP_EXISTING may not alter its definition. */
  constraint?: boolean;
  /** CREATE INDEX … WITH (DROP_EXISTING = ON): it replaces the table's index of the same name (MS Learn "CREATE INDEX"). */
  dropExisting?: boolean;
}

export interface QName {
  schema?: string;
  name: string;
  line: number;
}

export interface DdlTable {
  /** Statement number in the script. */
  seq: number;
  qname: QName;
  columns: DdlColumn[];
  compression?: Compression;
  /** Set when its options give some partitions their own DATA_COMPRESSION (`… ON PARTITIONS (…)`): the clause, for messages. */
  perPartition?: string;
  /** Line of its `WITH (MEMORY_OPTIMIZED = ON)`: an In-Memory OLTP table (layoutsFromDdl refuses its layout). */
  memoryOptimized?: number;
  /** Its `AS NODE` / `AS EDGE` (SQL Graph) and line: internal columns the list does not show (layoutsFromDdl refuses its layout). */
  graph?: { kind: 'NODE' | 'EDGE'; line: number };
}

export interface DdlAlias {
  qname: QName;
  base: TypeRef;
  nullable?: boolean;
}

export interface DdlScript {
  tables: DdlTable[];
  /** Indexes and key constraints in script order (inline constraints included). */
  indexes: DdlIndex[];
  aliases: DdlAlias[];
  /** ALTER TABLE … ADD column / DROP COLUMN / ALTER COLUMN, in script order, applied after the CREATE TABLE. */
  alterations: DdlAlteration[];
  /** DROP TABLE: a later CREATE TABLE of the same name starts over. */
  droppedTables: { qname: QName; seq: number }[];
}

export type DdlAlteration = { seq: number } & (
  | { kind: 'add'; table: QName; column: DdlColumn }
  | { kind: 'drop'; table: QName; name: string; line: number }
  | { kind: 'alter'; table: QName; column: DdlColumn }
  /** ALTER TABLE … DROP CONSTRAINT name, DROP INDEX name ON t / t.name: the key or index goes away. */
  | { kind: 'dropIndex'; table: QName; name: string; line: number }
  /** ALTER TABLE … REBUILD: the rowset is rewritten with a fresh layout (dropped columns reclaimed). */
  | { kind: 'rebuild'; table: QName; line: number; compression?: Compression; /** `PARTITION = n` (not ALL): only that partition is rebuilt. */ partition?: string; perPartition?: string;
      /** ALTER INDEX name|ALL ON t REBUILD: the index rebuilt (it changes the rows only when it is the clustered one). */ index?: string }
  /** ALTER TABLE … ENABLE CHANGE_TRACKING: adds a hidden in-row bigint column. */
  | { kind: 'changeTracking'; table: QName; line: number }
  /** EXEC sp_rename 'table.column', 'new', 'COLUMN' (column) or EXEC sp_rename 'table', 'new' (table). */
  | { kind: 'rename'; table: QName; column?: string; newName: string; line: number }
  /** ALTER TABLE … ADD [CONSTRAINT n] DEFAULT x FOR c (how SSMS scripts a column's default): the rows then in the table keep what they hold. */
  | { kind: 'defaultFor'; table: QName; column: string; expr: Token[]; line: number }
  /** EXEC sp_tableoption 't', 'vardecimal storage format', ON|1: decimal/numeric columns move to the record's variable part. */
  | { kind: 'vardecimal'; table: QName; line: number });

const TABLE_ELEMENT_KEYWORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'INDEX', 'PERIOD', 'CONNECTION', 'DEFAULT']);

export function parseDdl(sql: string): DdlScript {
  return new Parser(tokenize(sql)).script();
}

/** The options of CREATE INDEX's backward compatible WITH, written without parentheses (MS Learn "CREATE INDEX"). */
const BACKWARD_INDEX_OPTIONS = ['PAD_INDEX', 'FILLFACTOR', 'SORT_IN_TEMPDB', 'IGNORE_DUP_KEY', 'STATISTICS_NORECOMPUTE', 'DROP_EXISTING'];

class Parser {
  private pos = 0;
  private readonly out: DdlScript = { tables: [], indexes: [], aliases: [], alterations: [], droppedTables: [] };
  /** Statement counter: every top-level statement gets the next number. */
  private seq = 0;
  /** Inside `CREATE SCHEMA s …`: unqualified CREATE TABLE names belong to s until ';' or GO. */
  private schemaScope: string | undefined;

  constructor(private readonly toks: Token[]) {}

  // ---- token helpers -------------------------------------------------------------------
  peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isWord(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.upper === w;
  }
  private acceptWord(w: string): boolean {
    if (this.isWord(w)) { this.pos++; return true; }
    return false;
  }
  private expectWord(w: string, context: string): void {
    if (!this.acceptWord(w)) this.fail(`expected ${w} ${context}`);
  }
  private isPunct(p: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === p;
  }
  private acceptPunct(p: string): boolean {
    if (this.isPunct(p)) { this.pos++; return true; }
    return false;
  }
  private expectPunct(p: string, context: string): void {
    if (!this.acceptPunct(p)) this.fail(`expected '${p}' ${context}`);
  }
  private fail(message: string, t: Token = this.peek()): never {
    const found = t.kind === 'eof' ? 'end of script' : t.kind === 'go' ? 'GO' : `'${t.text}'`;
    throw parseError(`${message}, found ${found}`, t.line, t.col);
  }
  private atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.kind === 'go' || (t.kind === 'punct' && t.text === ';');
  }

  private identifier(context: string): string {
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'quoted') { this.pos++; return t.text; }
    return this.fail(`expected an identifier ${context}`);
  }

  /** `[server.][db.][schema.]name`; keeps only schema and name. */
  private qualifiedName(context: string): QName {
    const line = this.peek().line;
    const parts = [this.identifier(context)];
    while (this.isPunct('.')) {
      this.pos++;
      // `db..table` leaves the schema empty.
      if (this.isPunct('.')) { parts.push(''); continue; }
      parts.push(this.identifier(context));
    }
    const name = parts[parts.length - 1]!;
    const schema = parts.length >= 2 ? parts[parts.length - 2] || undefined : undefined;
    return { schema, name, line };
  }

  /** Skips a parenthesised group starting at '(' (nested parens, strings and comments already tokenised). */
  private skipBalanced(): Token[] {
    const start = this.pos;
    this.expectPunct('(', '');
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'eof') this.fail("unbalanced '(': missing ')'", t);
      if (t.kind === 'go') this.fail("unbalanced '(' before GO", t);
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth--;
    }
    return this.toks.slice(start, this.pos);
  }

  /** Skips an unrecognised statement: to ';', GO, or the next top-level CREATE/ALTER. */
  private skipStatement(): void {
    let depth = 0;
    let first = true;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'go') return;
      if (depth === 0 && t.kind === 'punct' && t.text === ';') { this.pos++; return; }
      if (!first && depth === 0 && t.kind === 'ident' && (t.upper === 'CREATE' || t.upper === 'ALTER' || this.startsLayoutStatement())) return;
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
      this.pos++;
      first = false;
    }
  }

  /** At `DROP TABLE`, `DROP INDEX` or `EXEC sp_rename`: statements that change a layout, so a skipped statement ends before them. */
  private startsLayoutStatement(): boolean {
    if (this.isWord('DROP')) return this.isWord('TABLE', 1) || this.isWord('INDEX', 1);
    return (this.isWord('EXEC') || this.isWord('EXECUTE')) && (this.isRename(1) || this.isProc(1, 'sp_tableoption'));
  }

  /** Skips to the end of the batch (GO) — for procedure/function/view/trigger bodies. */
  private skipBatch(): void {
    while (this.peek().kind !== 'eof' && this.peek().kind !== 'go') this.pos++;
  }

  // ---- script ------------------------------------------------------------------------
  script(): DdlScript {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return this.out;
      if (t.kind === 'go' || (t.kind === 'punct' && t.text === ';')) { this.pos++; this.schemaScope = undefined; continue; }
      this.seq++;
      if (this.isWord('CREATE')) this.create();
      else if (this.isWord('DROP') && this.isWord('TABLE', 1)) this.dropTable();
      else if (this.isWord('ALTER') && this.isWord('TABLE', 1)) this.alterTable();
      else if (this.isWord('ALTER') && this.isWord('INDEX', 1)) this.alterIndex();
      else if (this.isWord('DROP') && this.isWord('INDEX', 1)) this.dropIndex();
      else if ((this.isWord('EXEC') || this.isWord('EXECUTE')) && this.isRename(1)) this.rename();
      else if ((this.isWord('EXEC') || this.isWord('EXECUTE')) && this.isProc(1, 'sp_tableoption')) this.tableOption();
      else this.skipStatement();
    }
  }

  private create(): void {
    this.expectWord('CREATE', '');
    if (this.acceptWord('TABLE')) return this.createTable();
    if (this.isWord('TYPE')) { this.pos++; return this.createType(); }
    // CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] [COLUMNSTORE] INDEX
    const save = this.pos;
    let unique = false;
    let clustered: boolean | undefined;
    let columnstore = false;
    for (;;) {
      if (this.acceptWord('UNIQUE')) unique = true;
      else if (this.acceptWord('CLUSTERED')) clustered = true;
      else if (this.acceptWord('NONCLUSTERED')) clustered = false;
      else if (this.acceptWord('COLUMNSTORE')) columnstore = true;
      else break;
    }
    if (this.acceptWord('INDEX')) return this.createIndex(unique, clustered ?? false, columnstore);
    this.pos = save;
    if (this.acceptWord('SCHEMA')) {
      // CREATE SCHEMA name [AUTHORIZATION owner]: the statements that may follow are parsed on their own.
      this.schemaScope = this.identifier('after CREATE SCHEMA');
      if (this.acceptWord('AUTHORIZATION')) this.identifier('after AUTHORIZATION');
      return;
    }
    const bodyKinds = ['PROCEDURE', 'PROC', 'FUNCTION', 'VIEW', 'TRIGGER'];
    if (bodyKinds.some((k) => this.isWord(k)) || (this.isWord('OR') && this.isWord('ALTER', 1))) return this.skipBatch();
    this.skipStatement();
  }

  /** DROP TABLE [IF EXISTS] a, b */
  private dropTable(): void {
    this.pos += 2;
    if (this.isWord('IF') && this.isWord('EXISTS', 1)) this.pos += 2;
    for (;;) {
      this.out.droppedTables.push({ qname: this.qualifiedName('after DROP TABLE'), seq: this.seq });
      if (!this.acceptPunct(',')) return;
    }
  }

  /** DROP INDEX [IF EXISTS] name ON table [, …] | DROP INDEX table.name [, …] */
  private dropIndex(): void {
    this.pos += 2;
    if (this.isWord('IF') && this.isWord('EXISTS', 1)) this.pos += 2;
    for (;;) {
      const line = this.peek().line;
      const q = this.qualifiedName('after DROP INDEX');
      if (this.acceptWord('ON')) {
        const table = this.qualifiedName('after DROP INDEX … ON');
        this.out.alterations.push({ seq: this.seq, kind: 'dropIndex', table, name: q.name, line });
      } else if (q.schema !== undefined) {
        // table.index (the schema-less old form): qualifiedName put the table in `schema`.
        this.out.alterations.push({ seq: this.seq, kind: 'dropIndex', table: { name: q.schema, line }, name: q.name, line });
      }
      if (this.isWord('WITH') && this.isPunct('(', 1)) { this.pos++; this.skipBalanced(); }
      if (!this.acceptPunct(',')) break;
    }
  }

  private isRename(k: number): boolean {
    return this.isProc(k, 'sp_rename');
  }

  /** Whether the tokens at `k` name the system procedure `proc`: `proc`, `[sys.]proc`, `[dbo].[proc]`. */
  private isProc(k: number, proc: string): boolean {
    const t = this.peek(k);
    if ((t.kind === 'ident' || t.kind === 'quoted') && t.text.toLowerCase() === proc) return true;
    const u = this.peek(k + 2);
    return this.isPunct('.', k + 1) && (u.kind === 'ident' || u.kind === 'quoted') && u.text.toLowerCase() === proc;
  }

  /**
   * EXEC sp_tableoption [@TableNamePattern =] 't', [@OptionName =] 'option', [@OptionValue =] 'value'
   * (Microsoft Learn, sp_tableoption). Only 'vardecimal storage format' set on (ON, 1, TRUE) changes
   * where values sit in the record: the table's decimal/numeric columns are then stored in the
   * variable part in vardecimal form (Paul Randal, "SQL Server 2005 SP2: vardecimal storage format"),
   * which a script's column list does not show; recorded as a `vardecimal` alteration. Other options
   * ('text in row', 'large value types out of row', …) are read as before: not at all.
   */
  private tableOption(): void {
    this.pos++;
    const line = this.peek().line;
    this.qualifiedName('after EXEC');
    const args: string[] = [];
    for (;;) {
      if (this.peek().kind === 'ident' && this.peek().text.startsWith('@') && this.isPunct('=', 1)) this.pos += 2;
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'go' || (t.kind === 'punct' && t.text === ';')) break;
      this.pos++;
      args.push(t.text);
      if (!this.acceptPunct(',')) break;
    }
    if (args.length < 3) return;
    const option = args[1]!.toLowerCase().replace(/\s+/g, ' ').trim();
    const value = args[2]!.toLowerCase().trim();
    if (option !== 'vardecimal storage format' || value === '0' || value === 'off' || value === 'false') return;
    let parts: string[];
    try {
      parts = splitObjectName(args[0]!, line);
    } catch {
      return; // a variable or expression for the table: which table is not known here (read as before: not at all)
    }
    const name = parts[parts.length - 1]!;
    const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    this.out.alterations.push({ seq: this.seq, kind: 'vardecimal', table: { schema, name, line }, line });
  }

  /**
   * EXEC sp_rename [@objname =] 'a.b[.c]', [@newname =] 'new' [, [@objtype =] 'COLUMN'] (Microsoft Learn,
   * sp_rename). With 'COLUMN' the last part of objname is the column and the rest the table; without an
   * object type a one- or two-part name is a table. Other object types (INDEX, OBJECT of a constraint …)
   * do not change a layout and are ignored.
   */
  private rename(): void {
    this.pos++;
    const line = this.peek().line;
    this.qualifiedName('after EXEC');
    const args: string[] = [];
    for (;;) {
      if (this.peek().kind === 'ident' && this.peek().text.startsWith('@') && this.isPunct('=', 1)) this.pos += 2;
      const t = this.next();
      if (t.kind !== 'string') this.fail('expected a string argument to sp_rename', t);
      args.push(t.text);
      if (!this.acceptPunct(',')) break;
    }
    if (args.length < 2) this.fail('sp_rename needs an object name and a new name');
    const parts = splitObjectName(args[0]!, line);
    const type = (args[2] ?? '').toUpperCase();
    if (type === 'COLUMN') {
      if (parts.length < 2) this.fail(`sp_rename '${args[0]}': a column rename needs table.column`);
      const column = parts[parts.length - 1]!;
      const name = parts[parts.length - 2]!;
      const schema = parts.length >= 3 ? parts[parts.length - 3] : undefined;
      this.out.alterations.push({ seq: this.seq, kind: 'rename', table: { schema, name, line }, column, newName: args[1]!, line });
    } else if (type === '' || type === 'OBJECT') {
      const name = parts[parts.length - 1]!;
      const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      this.out.alterations.push({ seq: this.seq, kind: 'rename', table: { schema, name, line }, newName: args[1]!, line });
    }
  }

  // ---- CREATE TYPE ---------------------------------------------------------------------
  private createType(): void {
    const qname = this.qualifiedName('after CREATE TYPE');
    if (!this.acceptWord('FROM')) { this.skipStatement(); return; } // table types, CLR types: no layout
    const base = this.typeRef(`alias type ${qname.name}`);
    let nullable: boolean | undefined;
    if (this.acceptWord('NOT')) { this.expectWord('NULL', 'after NOT'); nullable = false; }
    else if (this.acceptWord('NULL')) nullable = true;
    this.out.aliases.push({ qname, base, nullable });
  }

  // ---- CREATE TABLE ----------------------------------------------------------------------
  private createTable(): void {
    const qname = this.qualifiedName('after CREATE TABLE');
    if (!qname.schema && this.schemaScope) qname.schema = this.schemaScope;
    if (this.acceptWord('AS')) { this.skipStatement(); return; } // CREATE TABLE … AS FILETABLE / AS NODE
    const table: DdlTable = { seq: this.seq, qname, columns: [] };
    this.expectPunct('(', `after CREATE TABLE ${qname.name}`);
    for (;;) {
      this.tableElement(table, false);
      if (this.acceptPunct(',')) {
        if (this.isPunct(')')) break; // trailing comma: SQL Server rejects it, but be lenient
        continue;
      }
      break;
    }
    this.expectPunct(')', `to close CREATE TABLE ${qname.name}`);
    this.tableOptions(table);
    this.out.tables.push(table);
  }

  private tableOptions(table: DdlTable): void {
    for (;;) {
      if (this.acceptWord('ON') || this.acceptWord('TEXTIMAGE_ON') || this.acceptWord('FILESTREAM_ON')) {
        this.storageTarget();
      } else if (this.isWord('WITH') && this.isPunct('(', 1)) {
        this.pos++;
        const c = this.withOptions();
        if (c) table.compression = c;
        if (this.lastPerPartition) table.perPartition = this.lastPerPartition;
        if (this.lastMemoryOptimized !== undefined) table.memoryOptimized = this.lastMemoryOptimized;
      } else if (this.isWord('AS') && (this.isWord('NODE', 1) || this.isWord('EDGE', 1))) {
        // SQL Graph (2017+): `CREATE TABLE t (…) AS NODE | AS EDGE`
        const line = this.peek(0).line;
        this.pos++;
        table.graph = { kind: this.isWord('NODE') ? 'NODE' : 'EDGE', line };
        this.pos++;
      } else if (this.acceptWord('LOCK')) {
        // Azure SQL Edge / Synapse variants are not expected; stop here.
        return;
      } else return;
    }
  }

  /** `[PRIMARY]`, `"default"`, `ps_scheme(col)`. */
  private storageTarget(): void {
    if (this.peek().kind === 'string') { this.pos++; return; }
    this.identifier('after ON');
    if (this.isPunct('(')) this.skipBalanced();
  }

  /**
   * `( name = value [ON PARTITIONS (…)], … )` → DATA_COMPRESSION if present. A DATA_COMPRESSION
   * followed by `ON PARTITIONS (…)` applies to those partitions only (MS Learn "CREATE TABLE",
   * <table_option>: "DATA_COMPRESSION = … [ ON PARTITIONS ( { <partition_number_expression> | <range> } [ , ...n ] ) ]"):
   * the partitions then differ in record format, which one layout per table cannot express; the
   * clause is kept in `lastPerPartition` (line and text) for the caller.
   */
  private withOptions(): Compression | undefined {
    const toks = this.skipBalanced();
    let compression: Compression | undefined;
    this.lastPerPartition = undefined;
    this.lastMemoryOptimized = undefined;
    this.lastDropExisting = false;
    for (let i = 0; i < toks.length - 2; i++) {
      const t = toks[i]!;
      if (t.kind === 'ident' && t.upper === 'MEMORY_OPTIMIZED' && toks[i + 1]!.text === '=' && toks[i + 2]!.upper === 'ON') this.lastMemoryOptimized = t.line;
      if (t.kind === 'ident' && t.upper === 'DROP_EXISTING' && toks[i + 1]!.text === '=' && toks[i + 2]!.upper === 'ON') this.lastDropExisting = true;
      if (t.kind === 'ident' && t.upper === 'DATA_COMPRESSION' && toks[i + 1]!.text === '=') {
        const v = toks[i + 2]!.text.toUpperCase();
        if (v === 'NONE' || v === 'ROW' || v === 'PAGE') compression = v;
        else if (v === 'COLUMNSTORE' || v === 'COLUMNSTORE_ARCHIVE') compression = 'COLUMNSTORE';
        else throw parseError(`unknown DATA_COMPRESSION '${toks[i + 2]!.text}'`, toks[i + 2]!.line, toks[i + 2]!.col);
        if (toks[i + 3]?.upper === 'ON' && toks[i + 4]?.upper === 'PARTITIONS') {
          let j = i + 5;
          const parts: string[] = [];
          if (toks[j]?.text === '(') {
            for (j++; j < toks.length && toks[j]!.text !== ')'; j++) parts.push(toks[j]!.text);
          }
          const clause = `DATA_COMPRESSION = ${v} ON PARTITIONS (${parts.join(' ').replace(/ ,/g, ',')})`;
          this.lastPerPartition = `line ${t.line}: ${clause}`;
        }
      }
    }
    return compression;
  }

  /** The `… ON PARTITIONS (…)` clause the last withOptions() met (see there), else undefined. */
  private lastPerPartition: string | undefined;
  /** Line of the `MEMORY_OPTIMIZED = ON` the last withOptions() met, else undefined. */
  private lastMemoryOptimized: number | undefined;
  /** Whether the last withOptions() met `DROP_EXISTING = ON`. */
  private lastDropExisting = false;
  /** Whether the last indexOptions() met `DROP_EXISTING = ON` (CREATE INDEX: createIndex). */
  private lastIndexDropExisting = false;

  private tableElement(table: DdlTable, inAlter: boolean): void {
    const t = this.peek();
    // PERIOD and CONNECTION are not reserved words: only `PERIOD FOR` / `CONNECTION (` start a table element.
    const contextual = (t.upper === 'PERIOD' && !this.isWord('FOR', 1)) || (t.upper === 'CONNECTION' && !this.isPunct('(', 1));
    if (t.kind === 'ident' && TABLE_ELEMENT_KEYWORDS.has(t.upper) && !(t.upper === 'DEFAULT' && !inAlter) && !contextual) {
      this.tableConstraint(table.qname, inAlter);
      return;
    }
    const col = this.columnDefinition(table.qname, inAlter);
    table.columns.push(col);
  }

  /** `inAlter`: the statement may end without ';' (ALTER TABLE … ADD/ALTER COLUMN), so an unknown word ends it. */
  private columnDefinition(tableName: QName, inAlter = false): DdlColumn {
    const line = this.peek().line;
    this.pendingName = undefined;
    const name = this.identifier('for a column name');
    const col: DdlColumn = {
      name, line, identity: false, sparse: false, rowGuidCol: false, computed: false, persisted: false, isColumnSet: false,
    };
    if (this.acceptWord('AS')) {
      col.computed = true;
      col.type = this.computedExpression();
    } else {
      col.type = this.typeRef(`column ${name}`);
    }
    this.columnOptions(col, tableName, inAlter);
    return col;
  }

  /** A computed column's expression; its type is known only when it is an outer CAST/CONVERT. */
  private computedExpression(): TypeRef | undefined {
    const start = this.pos;
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'go') break;
      if (depth === 0 && t.kind === 'punct' && (t.text === ',' || t.text === ')' || t.text === ';')) break;
      // ALTER TABLE … ADD c AS (expr) ends at ';' or, without one, at the next statement (as skipStatement):
      // read on, the next ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY CLUSTERED (…) was taken as this column's options.
      if (depth === 0 && this.pos > start && t.kind === 'ident' && (t.upper === 'CREATE' || t.upper === 'ALTER' || this.startsLayoutStatement())) break;
      if (depth === 0 && t.kind === 'ident' && ['PERSISTED', 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'REFERENCES', 'FOREIGN', 'NOT', 'NULL'].includes(t.upper)) break;
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth--;
      this.pos++;
    }
    return castType(this.toks.slice(start, this.pos));
  }

  typeRef(context: string): TypeRef {
    const first = this.qualifiedName(`for the type of ${context}`);
    let name = first.name;
    const up = name.toUpperCase();
    // Multi-word ISO synonyms (Microsoft Learn, "Data type synonyms").
    if (!first.schema) {
      if (up === 'DOUBLE' && this.acceptWord('PRECISION')) name = 'double precision';
      else if (up === 'NATIONAL') {
        const w = this.identifier(`after NATIONAL in ${context}`).toLowerCase();
        name = `national ${w}`;
        if (this.acceptWord('VARYING')) name += ' varying';
      } else if ((up === 'CHAR' || up === 'CHARACTER' || up === 'BINARY') && this.acceptWord('VARYING')) name = `${name.toLowerCase()} varying`;
    }
    const args: (number | 'max')[] = [];
    if (this.isPunct('(')) {
      const save = this.pos;
      this.pos++;
      let ok = true;
      for (;;) {
        const t = this.peek();
        if (t.kind === 'number' && /^\d+$/.test(t.text)) { args.push(Number(t.text)); this.pos++; }
        else if (t.kind === 'ident' && t.upper === 'MAX') { args.push('max'); this.pos++; }
        else { ok = false; break; }
        if (this.acceptPunct(',')) continue;
        if (this.acceptPunct(')')) break;
        ok = false;
        break;
      }
      if (!ok) {
        // e.g. xml(CONTENT dbo.schema_collection): no length arguments.
        this.pos = save;
        this.skipBalanced();
        args.length = 0;
      }
    }
    return { name, schema: first.schema, args };
  }

  private columnOptions(col: DdlColumn, tableName: QName, inAlter: boolean): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'go') return;
      if (inAlter && t.kind === 'punct' && t.text === ';') return;
      if (t.kind === 'punct' && (t.text === ',' || t.text === ')')) return;
      if (this.acceptWord('NULL')) { col.nullable = true; continue; }
      if (this.isWord('NOT') && this.isWord('NULL', 1)) { this.pos += 2; col.nullable = false; continue; }
      if (this.isWord('NOT') && this.isWord('FOR', 1)) { this.pos += 2; this.expectWord('REPLICATION', 'after NOT FOR'); continue; }
      if (this.acceptWord('COLLATE')) { col.collation = this.identifier('after COLLATE'); continue; }
      if (this.acceptWord('IDENTITY')) {
        col.identity = true;
        if (this.isPunct('(')) this.skipBalanced();
        continue;
      }
      if (this.acceptWord('SPARSE')) { col.sparse = true; continue; }
      if (this.acceptWord('ROWGUIDCOL')) { col.rowGuidCol = true; continue; }
      if (this.acceptWord('FILESTREAM')) { col.filestream = true; continue; }
      if (this.acceptWord('HIDDEN')) continue;
      if (this.acceptWord('PERSISTED')) { col.persisted = true; continue; }
      if (this.acceptWord('COLUMN_SET')) {
        this.expectWord('FOR', 'after COLUMN_SET');
        this.expectWord('ALL_SPARSE_COLUMNS', 'after COLUMN_SET FOR');
        col.isColumnSet = true;
        continue;
      }
      if (this.acceptWord('MASKED')) {
        // dynamic data masking: applied when a query reads the column; the stored value is the value
        this.expectWord('WITH', 'after MASKED');
        this.skipBalanced();
        continue;
      }
      if (this.acceptWord('ENCRYPTED')) {
        this.expectWord('WITH', 'after ENCRYPTED');
        this.skipBalanced();
        col.encrypted = true;
        continue;
      }
      if (this.acceptWord('GENERATED')) {
        this.expectWord('ALWAYS', 'after GENERATED');
        this.expectWord('AS', 'after GENERATED ALWAYS');
        this.identifier('after GENERATED ALWAYS AS'); // ROW / TRANSACTION_ID / SEQUENCE_NUMBER
        if (!this.acceptWord('START')) this.expectWord('END', 'in GENERATED ALWAYS AS …');
        col.generatedAlways = true;
        continue;
      }
      if (this.acceptWord('CONSTRAINT')) { this.pendingName = this.identifier('after CONSTRAINT'); continue; }
      if (this.acceptWord('DEFAULT')) {
        this.pendingName = undefined;
        col.defaultExpr = this.defaultExpression();
        if (this.isWord('WITH') && this.isWord('VALUES', 1)) {
          this.pos += 2;
          col.withValues = true;
        }
        continue;
      }
      if (this.isWord('PRIMARY') || this.isWord('UNIQUE')) {
        const line = this.peek().line;
        const primaryKey = this.acceptWord('PRIMARY');
        if (primaryKey) this.expectWord('KEY', 'after PRIMARY');
        else this.expectWord('UNIQUE', '');
        const clustered = this.clusterOption();
        this.indexOptions();
        this.out.indexes.push({ seq: this.seq, table: tableName, clustered, unique: true, primaryKey, columns: [col.name], columnstore: false, line, compression: this.lastCompression, perPartition: this.lastIndexPerPartition, name: this.takeName(), constraint: true });
        if (primaryKey) col.nullable = false;
        continue;
      }
      if (this.acceptWord('FOREIGN')) { this.expectWord('KEY', 'after FOREIGN'); continue; }
      if (this.isWord('REFERENCES')) { this.references(); continue; }
      if (this.acceptWord('CHECK')) {
        if (this.isWord('NOT')) { this.pos++; this.expectWord('FOR', 'after NOT'); this.expectWord('REPLICATION', 'after NOT FOR'); }
        this.skipBalanced();
        continue;
      }
      if (this.acceptWord('INDEX')) {
        const line = this.peek().line;
        const name = this.identifier('after INDEX');
        let unique = false;
        if (this.acceptWord('UNIQUE')) unique = true;
        const clustered = this.clusterOption() ?? false;
        this.indexOptions();
        this.out.indexes.push({ seq: this.seq, table: tableName, clustered, unique, primaryKey: false, columns: [col.name], columnstore: false, line, compression: this.lastCompression, perPartition: this.lastIndexPerPartition, name });
        continue;
      }
      if (inAlter && t.kind === 'ident') return; // the next statement
      this.fail(`unexpected token in the definition of column ${col.name}`);
    }
  }

  private lastCompression: Compression | undefined;
  /** The `ON PARTITIONS` clause of the last index's options (see withOptions). */
  private lastIndexPerPartition: string | undefined;
  /** The name of the `CONSTRAINT name` just read, for the key that follows it. */
  private pendingName: string | undefined;
  private takeName(): string | undefined {
    const n = this.pendingName;
    this.pendingName = undefined;
    return n;
  }

  private clusterOption(): boolean | undefined {
    if (this.acceptWord('CLUSTERED')) return true;
    if (this.acceptWord('NONCLUSTERED')) { this.acceptWord('HASH'); return false; }
    return undefined;
  }

  /** After a key/index column list: WITH (…), WITH FILLFACTOR = n, ON filegroup, … Records DATA_COMPRESSION. */
  private indexOptions(): void {
    this.lastCompression = undefined;
    this.lastIndexPerPartition = undefined;
    this.lastIndexDropExisting = false;
    for (;;) {
      if (this.isWord('WITH') && this.isPunct('(', 1)) {
        this.pos++;
        const c = this.withOptions();
        if (c) this.lastCompression = c;
        if (this.lastDropExisting) this.lastIndexDropExisting = true;
        if (this.lastPerPartition) this.lastIndexPerPartition = this.lastPerPartition;
      } else if (this.isWord('WITH') && BACKWARD_INDEX_OPTIONS.some((w) => this.isWord(w, 1))) {
        // the backward compatible form (MS Learn "CREATE INDEX", <backward_compatible_index_option>):
        // WITH PAD_INDEX, FILLFACTOR = n, SORT_IN_TEMPDB, IGNORE_DUP_KEY, STATISTICS_NORECOMPUTE, DROP_EXISTING
        this.pos++;
        do {
          if (this.acceptWord('FILLFACTOR')) {
            this.expectPunct('=', 'after FILLFACTOR');
            this.next();
          } else if (this.acceptWord('DROP_EXISTING')) this.lastIndexDropExisting = true;
          else if (!BACKWARD_INDEX_OPTIONS.some((w) => this.acceptWord(w))) this.fail('expected PAD_INDEX, FILLFACTOR = n, SORT_IN_TEMPDB, IGNORE_DUP_KEY, STATISTICS_NORECOMPUTE or DROP_EXISTING after WITH');
        } while (this.isPunct(',') && BACKWARD_INDEX_OPTIONS.some((w) => this.isWord(w, 1)) && (this.pos++, true));
      } else if (this.isWord('ON') && !this.isWord('DELETE', 1) && !this.isWord('UPDATE', 1)) {
        this.pos++;
        this.storageTarget();
      } else if (this.acceptWord('FILESTREAM_ON')) {
        this.storageTarget();
      } else return;
    }
  }

  private references(): void {
    this.expectWord('REFERENCES', '');
    this.qualifiedName('after REFERENCES');
    if (this.isPunct('(')) this.skipBalanced();
    for (;;) {
      if (this.isWord('ON') && (this.isWord('DELETE', 1) || this.isWord('UPDATE', 1))) {
        this.pos += 2;
        if (this.acceptWord('NO')) this.expectWord('ACTION', 'after NO');
        else if (this.acceptWord('CASCADE')) { /* ok */ }
        else if (this.acceptWord('SET')) { if (!this.acceptWord('NULL')) this.expectWord('DEFAULT', 'after SET'); }
        else this.fail('expected NO ACTION, CASCADE, SET NULL or SET DEFAULT');
        continue;
      }
      if (this.isWord('NOT') && this.isWord('FOR', 1)) { this.pos += 2; this.expectWord('REPLICATION', 'after NOT FOR'); continue; }
      return;
    }
  }

  /** DEFAULT (expr) | DEFAULT literal | DEFAULT -1 | DEFAULT fn() | DEFAULT NEXT VALUE FOR seq. */
  private defaultExpression(): Token[] {
    const start = this.pos;
    if (this.isPunct('(')) { this.skipBalanced(); return this.toks.slice(start, this.pos); }
    if (this.isWord('NEXT') && this.isWord('VALUE', 1)) {
      this.pos += 2;
      this.expectWord('FOR', 'after NEXT VALUE');
      this.qualifiedName('after NEXT VALUE FOR');
      return this.toks.slice(start, this.pos);
    }
    if (this.isPunct('-') || this.isPunct('+')) this.pos++;
    const t = this.next();
    if (t.kind === 'ident' || t.kind === 'quoted') {
      while (this.isPunct('.')) { this.pos++; this.identifier('in DEFAULT'); }
      if (this.isPunct('(')) this.skipBalanced();
    } else if (t.kind !== 'number' && t.kind !== 'string' && t.kind !== 'binary') {
      this.fail('expected a DEFAULT value', t);
    }
    return this.toks.slice(start, this.pos);
  }

  /** `(col [ASC|DESC], …)` → column names. */
  private keyColumnList(context: string): string[] {
    this.expectPunct('(', context);
    const cols: string[] = [];
    for (;;) {
      cols.push(this.identifier(`in the column list ${context}`));
      if (!this.acceptWord('ASC')) this.acceptWord('DESC');
      if (this.acceptPunct(',')) continue;
      this.expectPunct(')', `to close the column list ${context}`);
      return cols;
    }
  }

  private tableConstraint(tableName: QName, inAlter: boolean): void {
    this.pendingName = undefined;
    if (this.acceptWord('CONSTRAINT')) this.pendingName = this.identifier('after CONSTRAINT');
    const line = this.peek().line;
    if (this.isWord('PRIMARY') || this.isWord('UNIQUE')) {
      const primaryKey = this.acceptWord('PRIMARY');
      if (primaryKey) this.expectWord('KEY', 'after PRIMARY');
      else this.expectWord('UNIQUE', '');
      const clustered = this.clusterOption();
      const columns = this.keyColumnList(primaryKey ? 'of PRIMARY KEY' : 'of UNIQUE');
      this.indexOptions();
      this.out.indexes.push({ seq: this.seq, table: tableName, clustered, unique: true, primaryKey, columns, columnstore: false, line, compression: this.lastCompression, perPartition: this.lastIndexPerPartition, name: this.takeName(), constraint: true });
      return;
    }
    if (this.acceptWord('FOREIGN')) {
      this.expectWord('KEY', 'after FOREIGN');
      this.skipBalanced();
      this.references();
      return;
    }
    if (this.acceptWord('CHECK')) {
      if (this.isWord('NOT')) { this.pos++; this.expectWord('FOR', 'after NOT'); this.expectWord('REPLICATION', 'after NOT FOR'); }
      this.skipBalanced();
      return;
    }
    if (this.acceptWord('DEFAULT')) {
      if (!inAlter) this.fail('DEFAULT … FOR is only valid in ALTER TABLE');
      const line = this.peek().line;
      const expr = this.defaultExpression();
      this.expectWord('FOR', 'after DEFAULT value');
      const column = this.identifier('after DEFAULT … FOR');
      if (this.isWord('WITH') && this.isWord('VALUES', 1)) this.pos += 2;
      this.out.alterations.push({ seq: this.seq, kind: 'defaultFor', table: tableName, column, expr, line });
      return;
    }
    if (this.acceptWord('INDEX')) {
      const name = this.identifier('after INDEX');
      let unique = false;
      if (this.acceptWord('UNIQUE')) unique = true;
      const clustered = this.clusterOption() ?? false;
      const columnstore = this.acceptWord('COLUMNSTORE');
      const columns = this.isPunct('(') ? this.keyColumnList('of INDEX') : [];
      if (this.acceptWord('INCLUDE')) this.skipBalanced();
      if (this.acceptWord('WHERE')) this.skipFilter();
      this.indexOptions();
      this.out.indexes.push({ seq: this.seq, table: tableName, clustered, unique, primaryKey: false, columns, columnstore, line, compression: this.lastCompression, perPartition: this.lastIndexPerPartition, name });
      return;
    }
    if (this.acceptWord('PERIOD')) {
      this.expectWord('FOR', 'after PERIOD');
      this.identifier('after PERIOD FOR');
      this.skipBalanced();
      return;
    }
    if (this.acceptWord('CONNECTION')) { this.skipBalanced(); return; }
    this.fail('expected PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, DEFAULT or INDEX');
  }

  private skipFilter(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'go') return;
      if (depth === 0 && t.kind === 'punct' && (t.text === ';' || t.text === ',' || t.text === ')')) return;
      if (depth === 0 && t.kind === 'ident' && (t.upper === 'WITH' || t.upper === 'ON' || t.upper === 'CREATE' || t.upper === 'ALTER')) return;
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth--;
      this.pos++;
    }
  }

  // ---- CREATE INDEX ----------------------------------------------------------------------
  private createIndex(unique: boolean, clustered: boolean, columnstore: boolean): void {
    const line = this.peek().line;
    const name = this.identifier('after INDEX');
    this.expectWord('ON', 'after the index name');
    const table = this.qualifiedName('after ON');
    const columns = this.isPunct('(') ? this.keyColumnList(`of index on ${table.name}`) : [];
    if (this.acceptWord('INCLUDE')) this.skipBalanced();
    if (this.acceptWord('WHERE')) this.skipFilter();
    this.indexOptions();
    this.out.indexes.push({ seq: this.seq, table, clustered, unique, primaryKey: false, columns, columnstore, line, compression: this.lastCompression, perPartition: this.lastIndexPerPartition, name, ...(this.lastIndexDropExisting ? { dropExisting: true } : {}) });
    this.skipRestOfStatement();
  }

  /**
   * After a statement's parsed part: skips what is left of it, but never the next statement when
   * the script leaves out the ';' (skipStatement passes over its first token, so called at `ALTER
   * TABLE …` of the next statement it took that statement as the rest of this one).
   */
  private skipRestOfStatement(): void {
    if (!this.atStatementEnd() && !this.isWord('CREATE') && !this.isWord('ALTER') && !this.startsLayoutStatement()) this.skipStatement();
  }

  // ---- ALTER INDEX -------------------------------------------------------------------------
  /**
   * ALTER INDEX name|ALL ON t REBUILD [PARTITION = n] [WITH (DATA_COMPRESSION = …)]: rebuilding the
   * clustered index rewrites the table's rows (with the compression given), like ALTER TABLE …
   * REBUILD. Other ALTER INDEX forms (REORGANIZE, DISABLE, SET) leave the rows' layout as it is.
   */
  private alterIndex(): void {
    this.pos += 2;
    const line = this.peek().line;
    const index = this.acceptWord('ALL') ? 'ALL' : this.identifier('after ALTER INDEX');
    this.expectWord('ON', 'after the index name');
    const table = this.qualifiedName('after ON');
    if (!this.acceptWord('REBUILD')) {
      this.skipRestOfStatement();
      return;
    }
    const r = this.rebuildOptions();
    this.out.alterations.push({ seq: this.seq, kind: 'rebuild', table, line, compression: r.compression, ...(r.partition !== undefined ? { partition: r.partition } : {}), ...(r.perPartition ? { perPartition: r.perPartition } : {}), index });
    this.skipRestOfStatement();
  }

  /** After REBUILD: `[PARTITION = n|ALL] [WITH (…)]`. */
  private rebuildOptions(): { compression?: Compression; partition?: string; perPartition?: string } {
    let compression: Compression | undefined;
    let partition: string | undefined;
    let perPartition: string | undefined;
    if (this.acceptWord('PARTITION')) {
      this.expectPunct('=', 'after PARTITION');
      const n = this.next();
      // REBUILD PARTITION = n rebuilds that partition alone (MS Learn "ALTER TABLE": "PARTITION = partition_number");
      // PARTITION = ALL is the whole table.
      if (n.upper !== 'ALL') partition = n.text;
    }
    if (this.isWord('WITH') && this.isPunct('(', 1)) { this.pos++; compression = this.withOptions(); perPartition = this.lastPerPartition; }
    return { compression, partition, perPartition };
  }

  // ---- ALTER TABLE -------------------------------------------------------------------------
  private alterTable(): void {
    this.expectWord('ALTER', '');
    this.expectWord('TABLE', '');
    const qname = this.qualifiedName('after ALTER TABLE');
    if (this.isWord('WITH') && (this.isWord('CHECK', 1) || this.isWord('NOCHECK', 1))) this.pos += 2;
    if (this.acceptWord('DROP')) return this.alterDrop(qname);
    if (this.isWord('REBUILD')) {
      const line = this.peek().line;
      this.pos++;
      const { compression, partition, perPartition } = this.rebuildOptions();
      this.out.alterations.push({ seq: this.seq, kind: 'rebuild', table: qname, line, compression, ...(partition !== undefined ? { partition } : {}), ...(perPartition ? { perPartition } : {}) });
      this.skipRestOfStatement();
      return;
    }
    if (this.isWord('ENABLE') && this.isWord('CHANGE_TRACKING', 1)) {
      this.out.alterations.push({ seq: this.seq, kind: 'changeTracking', table: qname, line: this.peek().line });
      this.skipStatement();
      return;
    }
    if (this.isWord('ALTER') && this.isWord('COLUMN', 1)) {
      this.pos += 2;
      const column = this.columnDefinition(qname, true);
      this.out.alterations.push({ seq: this.seq, kind: 'alter', table: qname, column });
      return;
    }
    if (!this.acceptWord('ADD')) { this.skipStatement(); return; }
    const scratch: DdlTable = { seq: this.seq, qname, columns: [] };
    for (;;) {
      this.tableElement(scratch, true);
      if (!this.acceptPunct(',')) break;
    }
    for (const column of scratch.columns) {
      column.addedLater = true;
      this.out.alterations.push({ seq: this.seq, kind: 'add', table: qname, column });
    }
  }

  /** ALTER TABLE t DROP [COLUMN] [IF EXISTS] a, [CONSTRAINT] b, … — only dropped columns change the layout. */
  private alterDrop(table: QName): void {
    if (this.isWord('PERIOD')) { this.skipStatement(); return; }
    let column = false;
    for (;;) {
      if (this.acceptWord('COLUMN')) column = true;
      else if (this.acceptWord('CONSTRAINT')) column = false;
      if (this.isWord('IF') && this.isWord('EXISTS', 1)) this.pos += 2;
      const line = this.peek().line;
      const name = this.identifier('after DROP');
      if (column) this.out.alterations.push({ seq: this.seq, kind: 'drop', table, name, line });
      else {
        this.out.alterations.push({ seq: this.seq, kind: 'dropIndex', table, name, line });
        if (this.isWord('WITH') && this.isPunct('(', 1)) { this.pos++; this.skipBalanced(); }
      }
      if (!this.acceptPunct(',')) return;
    }
  }
}

/** Splits an sp_rename object name ('dbo.t.c', '[dbo].[t]', '"a.b".c') into its parts, brackets and quotes removed. */
export function splitObjectName(text: string, line: number): string[] {
  const toks = tokenize(text);
  const parts: string[] = [];
  let expectName = true;
  for (const t of toks) {
    if (t.kind === 'eof') break;
    if (expectName && (t.kind === 'ident' || t.kind === 'quoted')) { parts.push(t.text); expectName = false; }
    else if (!expectName && t.kind === 'punct' && t.text === '.') expectName = true;
    else throw new SchemaError('SCHEMA_DDL_PARSE', `line ${line}: sp_rename object name '${text}' is not a dotted name`, { line });
  }
  if (parts.length === 0 || expectName) throw new SchemaError('SCHEMA_DDL_PARSE', `line ${line}: sp_rename object name '${text}' is not a dotted name`, { line });
  return parts;
}

/** `CAST(expr AS type)` / `CONVERT(type, expr …)` / `TRY_CAST` / `TRY_CONVERT` as the whole expression → its type. */
export function castType(expr: Token[]): TypeRef | undefined {
  let toks = expr;
  // Strip redundant outer parentheses.
  while (toks.length >= 2 && toks[0]!.text === '(' && toks[toks.length - 1]!.text === ')' && closes(toks, 0) === toks.length - 1) {
    toks = toks.slice(1, -1);
  }
  if (toks.length < 4 || toks[0]!.kind !== 'ident' || toks[1]!.text !== '(' || closes(toks, 1) !== toks.length - 1) return undefined;
  const fn = toks[0]!.upper;
  const inner = toks.slice(2, -1);
  let typeToks: Token[];
  if (fn === 'CAST' || fn === 'TRY_CAST') {
    // the last top-level AS separates expr from type
    let depth = 0;
    let asAt = -1;
    inner.forEach((t, i) => {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (depth === 0 && t.kind === 'ident' && t.upper === 'AS') asAt = i;
    });
    if (asAt < 0) return undefined;
    typeToks = inner.slice(asAt + 1);
  } else if (fn === 'CONVERT' || fn === 'TRY_CONVERT') {
    let depth = 0;
    let comma = -1;
    for (let i = 0; i < inner.length; i++) {
      const t = inner[i]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (depth === 0 && t.text === ',') { comma = i; break; }
    }
    if (comma < 0) return undefined;
    typeToks = inner.slice(0, comma);
  } else return undefined;
  try {
    const p = new Parser([...typeToks, { kind: 'eof', text: '', upper: '', line: 0, col: 0 }]);
    return p.typeRef('computed column');
  } catch {
    return undefined;
  }
}

function closes(toks: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (toks[i]!.text === '(' && toks[i]!.kind === 'punct') depth++;
    if (toks[i]!.text === ')' && toks[i]!.kind === 'punct') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Parses a type written as text (`--type-alias Flag=decimal(9,2)`). */
export function parseTypeText(text: string): TypeRef {
  const toks = tokenize(text);
  const p = new Parser(toks);
  const ref = p.typeRef(`type '${text}'`);
  const rest = p.peek();
  if (rest.kind !== 'eof') throw new SchemaError('SCHEMA_DDL_PARSE', `unexpected '${rest.text}' after the type in '${text}'`);
  return ref;
}
