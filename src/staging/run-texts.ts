import type { Database } from 'better-sqlite3';
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
 * Reads every piece in one go (tests, the service's own undo); the routes stream them with
 * runTextPieces. Throws StagingError STAGING_RUN_TEXT_DAMAGED when a piece is missing.
 */
export function readRunText(db: Database, runId: number, kind: RunTextKind, stored: StoredRunText): string | null {
  if (stored.column !== null || !stored.pieces) return stored.column;
  const pieces = db.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq < ? ORDER BY seq').pluck().all(runId, kind, stored.pieces) as string[];
  if (pieces.length !== stored.pieces) throw missingPieces(runId, kind, stored.pieces, pieces.length);
  return pieces.join('');
}

/** readRunText a piece at a time, with a turn of the event loop after each piece read. */
export async function readRunTextCooperatively(db: Database, runId: number, kind: RunTextKind, stored: StoredRunText): Promise<string | null> {
  if (stored.column !== null || !stored.pieces) return stored.column;
  const pieces: string[] = [];
  const one = db.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq = ?').pluck();
  for (let seq = 0; seq < stored.pieces; seq++) {
    const piece = one.get(runId, kind, seq) as string | undefined;
    if (piece === undefined) throw missingPieces(runId, kind, stored.pieces, seq);
    pieces.push(piece);
    await turn();
  }
  return pieces.join('');
}

/**
 * Run `runId`'s text of `kind` from its row's `stored` values, for an answer that streams it: the
 * column's text as it is (or null: none written, or a write that did not end), else its pieces in
 * order, read one at a time with a turn of the event loop after each, never joined (a real run's
 * script kept in pieces past V8's longest string, 2^29 - 24 characters, could not be read whole:
 * readRunTextCooperatively's join answered 500). Every piece is counted before the first is given,
 * so a missing one is refused before an answer begins: StagingError STAGING_RUN_TEXT_DAMAGED.
 */
export function runTextPieces(db: Database, runId: number, kind: RunTextKind, stored: StoredRunText): string | null | AsyncIterable<string> {
  if (stored.column !== null || !stored.pieces) return stored.column;
  const pieces = stored.pieces;
  const found = db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq < ?').pluck().get(runId, kind, pieces) as number;
  if (found !== pieces) throw missingPieces(runId, kind, pieces, found);
  const one = db.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = ? AND seq = ?').pluck();
  return (async function* () {
    for (let seq = 0; seq < pieces; seq++) {
      const piece = one.get(runId, kind, seq) as string | undefined;
      if (piece === undefined) throw missingPieces(runId, kind, pieces, seq);
      yield piece;
      await turn();
    }
  })();
}
