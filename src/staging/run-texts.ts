import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StagingError } from '../errors.js';

/**
 * A re-insert run's script and undo script as the staging file keeps them (migration 16): a text of
 * at most RUN_TEXT_PIECE_CHARS characters in its column of `reinsert_runs` (`script`,
 * `undo_script`); a longer one in `reinsert_run_texts`, a piece per row in `seq` order, its column
 * NULL. Written a piece at a time with a turn of the event loop after each, so that a dry run of
 * 100,000 rows (two scripts of ~86 MB) no longer holds every request while SQLite copies them
 * (~0.8 s in one UPDATE), and no run is bound by SQLite's one-row limit (SQLITE_MAX_LENGTH,
 * 1,000,000,000 bytes: SQLite's "Limits In SQLite"). A real run's undo, written when the run ends,
 * goes the same way from its chunks (writeRunTextChunks), never held whole.
 */

/** The longest text kept in its column, and the longest piece (characters; ≤ 4 MB of UTF-8). */
export const RUN_TEXT_PIECE_CHARS = 1_000_000;

/** Which of a run's texts: its script (`script` column) or its undo script (`undo_script`). */
export type RunTextKind = 'script' | 'undo';

/** Whether `text` is kept in pieces (longer than RUN_TEXT_PIECE_CHARS), its column then NULL. */
export function keptInPieces(text: string | null): boolean {
  return text !== null && text.length > RUN_TEXT_PIECE_CHARS;
}

/** The column value for `text`: the text itself, or NULL when it is kept in pieces (keptInPieces). */
export function runTextColumn(text: string | null): string | null {
  return keptInPieces(text) ? null : text;
}

/**
 * The end (exclusive, a UTF-16 index) of the piece of `text` starting at `start`: after its last
 * line break within `limit` characters (default RUN_TEXT_PIECE_CHARS), else at the limit moved back
 * off a high surrogate (a pair split between pieces would reach SQLite as two lone surrogates,
 * written as U+FFFD each: the text would not read back as written).
 */
function pieceEnd(text: string, start: number, limit = RUN_TEXT_PIECE_CHARS): number {
  const end = start + limit;
  if (end >= text.length) return text.length;
  const nl = text.lastIndexOf('\n', end - 1);
  if (nl >= start) return nl + 1;
  const c = text.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Keeps `text` of run `runId` in pieces when keptInPieces(text): the run's earlier pieces of `kind`
 * deleted, then one INSERT per piece, each its own statement, with a turn of the event loop after
 * each. Returns how many pieces were written (0: the text goes in its column, runTextColumn). The
 * caller writes the count to the run's `script_pieces` / `undo_pieces` in the statement that ends
 * the run's write: until then no reader reads the pieces (a write that failed half-way is never
 * read as the text). Throws what SQLite throws (SQLITE_FULL, a closed file).
 */
export async function writeRunTextPieces(db: Database, runId: number, kind: RunTextKind, text: string | null): Promise<number> {
  // one writer of pieces: a whole text is the one chunk of writeRunTextChunks (the same pieceEnd cuts)
  return (await writeRunTextChunks(db, runId, kind, text === null ? [] : [text])).pieces;
}

/** Where writeRunTextChunks put a text: its column value (the text, or NULL when kept in pieces) and its piece count (0: none). */
export interface WrittenRunText {
  column: string | null;
  pieces: number;
}

/**
 * The one writer of a run's text in pieces (writeRunTextPieces is it over one chunk), for a text
 * given as chunks (joined with '\n' they are the text: plan.ts
 * renderUndoScriptChunks, a head then one chunk per batch), never held whole: each piece is written
 * once `pieceChars` characters (default RUN_TEXT_PIECE_CHARS) are rendered, so a real run's undo of
 * 500,000 rows (~430 MB) is neither one JavaScript string (V8's limit is 2^29 - 24 characters) nor
 * one synchronous render and UPDATE. The run's earlier pieces of `kind` are deleted first; a turn of
 * the event loop after each chunk taken and each piece written. A text of at most `pieceChars`
 * characters is answered as its column value (`pieces` 0, nothing written); a longer one as
 * `{ column: null, pieces }`, which the caller counts on the run in the statement that ends the
 * write, as writeRunTextPieces's. Throws what SQLite throws and what `chunks` throws (the pieces
 * written by then are left, uncounted: the caller deletes them).
 */
export async function writeRunTextChunks(db: Database, runId: number, kind: RunTextKind, chunks: Iterable<string>, pieceChars = RUN_TEXT_PIECE_CHARS): Promise<WrittenRunText> {
  db.prepare('DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = ?').run(runId, kind);
  const insert = db.prepare('INSERT INTO reinsert_run_texts (run_id, kind, seq, piece) VALUES (?, ?, ?, ?)');
  let seq = 0;
  let buf: string | null = null;
  const flush = async (all: boolean): Promise<void> => {
    while (buf !== null && (buf.length > pieceChars || (all && buf.length > 0))) {
      const end = pieceEnd(buf, 0, pieceChars);
      insert.run(runId, kind, seq++, buf.slice(0, end));
      buf = buf.slice(end);
      await turn();
    }
  };
  for (const chunk of chunks) {
    buf = buf === null ? chunk : `${buf}\n${chunk}`;
    if (buf.length > pieceChars) await flush(false);
    await turn();
  }
  if (seq === 0) return { column: buf ?? '', pieces: 0 };
  await flush(true);
  return { column: null, pieces: seq };
}

/** A run's text as its row holds it: its column, and how many pieces it has (NULL: none). */
export interface StoredRunText {
  column: string | null;
  pieces: number | null;
}

function missingPieces(runId: number, kind: RunTextKind, pieces: number, found: number): Error {
  return new StagingError('STAGING_RUN_TEXT_DAMAGED', `re-insert run ${runId}'s ${kind === 'undo' ? 'undo script' : 'script'} is kept in ${pieces} piece(s), of which the staging file holds ${found}: it is not read (reinsert_run_texts)`);
}

/**
 * Run `runId`'s text of `kind` from its row's `stored` values: the column when it holds a text,
 * else its `pieces` pieces joined in order, else null (none written, or a write that did not end).
 * Reads every piece in one go (tests, the service's own undo); the route reads a snapshot
 * (openRunTextsSnapshot), a piece per turn. Throws StagingError STAGING_RUN_TEXT_DAMAGED when a piece is missing.
 */
export function readRunText(db: Database, runId: number, kind: RunTextKind, stored: StoredRunText): string | null {
  if (stored.column !== null || !stored.pieces) return stored.column;
  const pieces = db.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq < ? ORDER BY seq').pluck().all(runId, kind, stored.pieces) as string[];
  if (pieces.length !== stored.pieces) throw missingPieces(runId, kind, stored.pieces, pieces.length);
  return pieces.join('');
}

/** A run's script and undo script, as readRunTextsCooperatively answers. */
export interface RunTexts {
  script: string | null;
  undoScript: string | null;
}

/**
 * A run text as a RunTextsSnapshot holds it: the text of its column, null (none written, or a
 * write that did not end), or its pieces, each counted piece present (checked when the snapshot
 * was opened), read in order by `read()`: one SELECT per piece, a turn of the event loop after each.
 */
export type SnapshotText = string | null | { pieces: number; bytes: number; read(): AsyncGenerator<string, void, undefined> };

/**
 * The size of a SnapshotText in UTF-8 bytes (what a download of it holds; an unpaired surrogate is
 * written as U+FFFD, 3 bytes, as SQLite keeps it), null for none. A text kept in pieces is counted
 * by SQLite's octet_length when the snapshot opens (no piece read).
 */
export function snapshotTextBytes(t: SnapshotText): number | null {
  if (t === null) return null;
  return typeof t === 'string' ? Buffer.byteLength(t, 'utf8') : t.bytes;
}

/** A run's texts in one state of the staging file (openRunTextsSnapshot); `close()` ends its read. */
export interface RunTextsSnapshot {
  script: SnapshotText;
  undoScript: SnapshotText;
  /** Ends the read transaction and closes its connection; idempotent. Call it when done (also on error). */
  close(): void;
}

/**
 * Run `runId`'s script and undo script as one state of the staging file holds them: the run's row
 * (its columns and piece counts) and every piece read inside one read transaction of a connection
 * of its own, opened read-only on `path` (WAL: the transaction sees the file as it was at its first
 * read, whatever the store's own connection writes meanwhile), until `close()`. A text kept in
 * pieces is not read here: its pieces are counted (all present, or StagingError
 * STAGING_RUN_TEXT_DAMAGED, before anything is answered) and read by its `read()`, a piece at a
 * time, so that GET /api/reinsert-runs/:id/script streams them (never one string: a real run's undo
 * at 600,000 rows passes V8's 2^29 - 24 characters, and the route's join failed) while the texts
 * stay those of one moment. Undefined when the run does not exist (nothing left open).
 *
 * Why one transaction: the pieces were read by the store's own connection between turns, counted
 * from the row read first. A resumed run that ends rewrites its undo's pieces (writeRunTextChunks:
 * deleted, then written with turns between), and a read begun before it joined the old undo's first
 * pieces with the new one's later ones: an undo script that looks whole and deletes rows of two
 * different plans (or, interleaved, a refusal calling the staging file damaged). A read held open
 * (a slow client) keeps the WAL from being checkpointed past its start until it ends. `path`
 * ':memory:', '' or a `file:` URI (a store only a test holds: no second connection opens it) reads
 * on `db` without that guarantee. Throws what SQLite throws (the connection closed first).
 */
export function openRunTextsSnapshot(db: Database, path: string, runId: number): RunTextsSnapshot | undefined {
  const own = path === '' || path === ':memory:' || path.startsWith('file:');
  const reader = own ? db : new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  let open = false;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      if (open) reader.prepare('COMMIT').run();
    } finally {
      if (!own) reader.close();
    }
  };
  try {
    if (!own) {
      reader.prepare('BEGIN').run();
      open = true;
    }
    // the transaction's first read fixes the state every later read of it sees
    const r = reader.prepare('SELECT script, undo_script, script_pieces, undo_pieces FROM reinsert_runs WHERE id = ?').get(runId) as { script: string | null; undo_script: string | null; script_pieces: number | null; undo_pieces: number | null } | undefined;
    if (!r) {
      close();
      return undefined;
    }
    // octet_length: the pieces' sizes from their records' headers, their text (overflow pages) not read
    const count = reader.prepare('SELECT count(*) AS n, coalesce(sum(octet_length(piece)), 0) AS bytes FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq < ?');
    const one = reader.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq = ?').pluck();
    const text = (kind: RunTextKind, column: string | null, pieces: number | null): SnapshotText => {
      if (column !== null || !pieces) return column;
      const { n: found, bytes } = count.get(runId, kind, pieces) as { n: number; bytes: number };
      if (found !== pieces) throw missingPieces(runId, kind, pieces, found);
      return {
        pieces,
        bytes,
        async *read() {
          for (let seq = 0; seq < pieces; seq++) {
            if (closed) throw new StagingError('STAGING_RUN_TEXT_DAMAGED', `re-insert run ${runId}'s ${kind === 'undo' ? 'undo script' : 'script'} was read after its snapshot was closed`);
            const piece = one.get(runId, kind, seq) as string | undefined;
            // counted when the snapshot opened, in the same transaction: only a damaged file loses it
            if (piece === undefined) throw missingPieces(runId, kind, pieces, seq);
            yield piece;
            await turn();
          }
        },
      };
    };
    return { script: text('script', r.script, r.script_pieces), undoScript: text('undo', r.undo_script, r.undo_pieces), close };
  } catch (e) {
    close();
    throw e;
  }
}

/** A SnapshotText whole: the column's text, null, or every piece joined (a piece per turn). */
async function wholeText(t: SnapshotText): Promise<string | null> {
  if (t === null || typeof t === 'string') return t;
  const pieces: string[] = [];
  for await (const p of t.read()) pieces.push(p);
  return pieces.join('');
}

/**
 * Run `runId`'s script and undo script whole, as one state of the staging file holds them
 * (openRunTextsSnapshot, read to its end and closed), a piece per turn of the event loop. Undefined
 * when the run does not exist. Throws StagingError STAGING_RUN_TEXT_DAMAGED when a counted piece is
 * missing, RangeError past V8's string length (the route streams instead), and what SQLite throws.
 */
export async function readRunTextsCooperatively(db: Database, path: string, runId: number): Promise<RunTexts | undefined> {
  const snap = openRunTextsSnapshot(db, path, runId);
  if (!snap) return undefined;
  try {
    return { script: await wholeText(snap.script), undoScript: await wholeText(snap.undoScript) };
  } finally {
    snap.close();
  }
}
