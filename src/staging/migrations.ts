import type { Database } from 'better-sqlite3';
import { StagingError } from '../errors.js';
import { maxOf } from '../util/append-all.js';
import { stagedTableName } from '../util/tsql.js';
import { readText, storedText, type StoredText } from './stored-text.js';

/**
 * Versioned schema migrations. Each migration runs once, inside a transaction, and is
 * recorded in `schema_migrations`. Never edit a shipped migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds a table other tables reference (SQLite cannot change a CHECK in place):
   * foreign keys are turned off around its transaction and `foreign_key_check` must find nothing
   * before it commits (SQLite "Making Other Kinds Of Table Schema Changes", the 12-step procedure).
   */
  rebuildsTable?: boolean;
  /** Work SQL alone cannot do, run after `sql` in the same transaction (a name computed as rowback computes it). */
  run?: (db: Database) => void;
}

/**
 * The text the free-text index holds for a row (an SQL expression over `rows.vals`): the values
 * alone, every scalar of the values JSON (nested ones too) separated by spaces, true/false/null as
 * those words; never the keys (the column names), which made every row match its table's column
 * names. The index is external-content (content='rows'): nothing reads its text back (no snippet,
 * highlight or rebuild), so it may differ from `rows.vals`.
 */
export const FTS_TEXT_SQL = `COALESCE((SELECT group_concat(CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE j.atom END, ' ') FROM json_tree(rows.vals) j WHERE j.type NOT IN ('object', 'array')), '')`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'jobs, rows, decisions, re-insert runs, audit log, tokens',
    sql: `
CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('live','log-backup','files','export')),
  -- the job spec as submitted, secrets removed (see redactSpec)
  spec          TEXT NOT NULL,
  description   TEXT NOT NULL,
  window_from   TEXT,
  window_to     TEXT,
  tables        TEXT NOT NULL DEFAULT '[]',
  operations    TEXT NOT NULL DEFAULT '["delete"]',
  state         TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','interrupted','resumable','cancelled')),
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT,
  rows_staged   INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  last_lsn      TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  error         TEXT
);
CREATE INDEX jobs_state ON jobs(state);

-- The table layouts a job's rows were decoded with: the re-insert planner's offline metadata.
CREATE TABLE job_tables (
  job_id  INTEGER NOT NULL REFERENCES jobs(id),
  tbl     TEXT NOT NULL,
  layout  TEXT NOT NULL,
  PRIMARY KEY (job_id, tbl)
);

CREATE TABLE skipped_items (
  id       INTEGER PRIMARY KEY,
  job_id   INTEGER NOT NULL REFERENCES jobs(id),
  code     TEXT NOT NULL,
  reason   TEXT NOT NULL,
  location TEXT NOT NULL,
  raw      TEXT
);
CREATE INDEX skipped_job ON skipped_items(job_id, id);

CREATE TABLE rows (
  id               INTEGER PRIMARY KEY,
  job_id           INTEGER NOT NULL REFERENCES jobs(id),
  tbl              TEXT NOT NULL,
  lsn              TEXT NOT NULL,
  operation        TEXT NOT NULL,
  transaction_id   TEXT NOT NULL,
  login            TEXT,
  begin_time       TEXT,
  end_time         TEXT,
  spid             INTEGER,
  transaction_name TEXT,
  vals             TEXT NOT NULL,
  after_vals       TEXT,
  raw              BLOB NOT NULL,
  warnings         TEXT NOT NULL DEFAULT '[]',
  meta             TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','reinserted','conflict')),
  UNIQUE (job_id, lsn)
);
CREATE INDEX rows_job_status ON rows(job_id, status, id);
CREATE INDEX rows_job_tbl ON rows(job_id, tbl, id);
CREATE INDEX rows_job_login ON rows(job_id, login, id);
CREATE INDEX rows_job_time ON rows(job_id, begin_time, id);
CREATE INDEX rows_job_txn ON rows(job_id, transaction_id);

-- Free text over decoded values. External-content FTS5 so the text is stored once.
CREATE VIRTUAL TABLE rows_fts USING fts5(vals, content='rows', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER rows_fts_ai AFTER INSERT ON rows BEGIN
  INSERT INTO rows_fts(rowid, vals) VALUES (new.id, new.vals);
END;

CREATE TABLE decisions (
  id          INTEGER PRIMARY KEY,
  job_id      INTEGER NOT NULL REFERENCES jobs(id),
  actor       TEXT NOT NULL,
  decided_at  TEXT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('approve','reject')),
  reason      TEXT NOT NULL,
  selector    TEXT NOT NULL,
  row_count   INTEGER NOT NULL
);
CREATE TABLE decision_rows (
  decision_id INTEGER NOT NULL REFERENCES decisions(id),
  row_id      INTEGER NOT NULL REFERENCES rows(id),
  PRIMARY KEY (decision_id, row_id)
) WITHOUT ROWID;

CREATE TABLE reinsert_runs (
  id           INTEGER PRIMARY KEY,
  job_id       INTEGER NOT NULL REFERENCES jobs(id),
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  finished_at  TEXT,
  dry_run      INTEGER NOT NULL,
  target       TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('planned','running','succeeded','failed','interrupted')),
  batch_size   INTEGER NOT NULL,
  script       TEXT,
  undo_script  TEXT,
  summary      TEXT,
  error        TEXT
);
-- One row per batch: the idempotency key is also written into the target inside the batch's
-- own transaction (see src/reinsert/execute.ts), so a restart can ask the target whether it committed.
CREATE TABLE reinsert_batches (
  run_id       INTEGER NOT NULL REFERENCES reinsert_runs(id),
  batch_no     INTEGER NOT NULL,
  batch_key    TEXT NOT NULL UNIQUE,
  row_ids      TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('planned','committed','failed')),
  committed_at TEXT,
  PRIMARY KEY (run_id, batch_no)
);
CREATE TABLE reinsert_outcomes (
  run_id   INTEGER NOT NULL REFERENCES reinsert_runs(id),
  row_id   INTEGER NOT NULL REFERENCES rows(id),
  batch_no INTEGER NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('inserted','conflict','error')),
  detail   TEXT,
  PRIMARY KEY (run_id, row_id)
);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  job_id   INTEGER,
  details  TEXT NOT NULL
);
CREATE INDEX audit_job ON audit_log(job_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE tokens (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('operator','reviewer','viewer')),
  hash        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
`,
  },
  {
    version: 2,
    name: 'free-text index filled in bulk (watermark) instead of a per-row trigger',
    // Measured: a per-row FTS5 trigger made staging 5-10x slower and degraded as the index grew;
    // indexing the new rows in one INSERT … SELECT per job (or per 100,000 rows) costs ~2 s per
    // million rows. Rows above the watermark are searched with LIKE until they are indexed.
    sql: `
DROP TRIGGER rows_fts_ai;
CREATE TABLE fts_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
);
INSERT INTO fts_state (id, indexed_upto) SELECT 1, COALESCE(max(id), 0) FROM rows;
`,
  },
  {
    version: 3,
    name: 'covering index for the per-transaction blast radius',
    sql: `
DROP INDEX rows_job_txn;
CREATE INDEX rows_job_txn ON rows(job_id, transaction_id, begin_time, login);
`,
  },
  {
    version: 4,
    name: "scan progress: the source's own counters (bytes/records read, pass), sampled while a job runs",
    // NULL until the worker samples a source that reports progress (RecoverySource.progress).
    sql: `
ALTER TABLE jobs ADD COLUMN scan_bytes_read INTEGER;
ALTER TABLE jobs ADD COLUMN scan_bytes_total INTEGER;
ALTER TABLE jobs ADD COLUMN scan_records_read INTEGER;
ALTER TABLE jobs ADD COLUMN scan_pass INTEGER;
ALTER TABLE jobs ADD COLUMN scan_passes INTEGER;
ALTER TABLE jobs ADD COLUMN scan_sampled_at TEXT;
`,
  },
  {
    version: 5,
    name: "job kind 'restore': rows staged by rowback diff (a point-in-time table against a later state)",
    rebuildsTable: true,
    sql: `
CREATE TABLE jobs_new (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('live','log-backup','files','export','restore')),
  spec          TEXT NOT NULL,
  description   TEXT NOT NULL,
  window_from   TEXT,
  window_to     TEXT,
  tables        TEXT NOT NULL DEFAULT '[]',
  operations    TEXT NOT NULL DEFAULT '["delete"]',
  state         TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','interrupted','resumable','cancelled')),
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT,
  rows_staged   INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  last_lsn      TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  scan_bytes_read INTEGER,
  scan_bytes_total INTEGER,
  scan_records_read INTEGER,
  scan_pass INTEGER,
  scan_passes INTEGER,
  scan_sampled_at TEXT
);
INSERT INTO jobs_new (id, kind, spec, description, window_from, window_to, tables, operations, state, created_by, created_at, started_at, finished_at,
  rows_staged, skipped_count, last_lsn, attempts, error, scan_bytes_read, scan_bytes_total, scan_records_read, scan_pass, scan_passes, scan_sampled_at)
SELECT id, kind, spec, description, window_from, window_to, tables, operations, state, created_by, created_at, started_at, finished_at,
  rows_staged, skipped_count, last_lsn, attempts, error, scan_bytes_read, scan_bytes_total, scan_records_read, scan_pass, scan_passes, scan_sampled_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_state ON jobs(state);
`,
  },
  {
    version: 6,
    name: "a job's result completeness: the INCOMPLETE sentences of its notes (log lost or in no file given, damaged catalog)",
    // NULL while the job runs, and for jobs that did not succeed or finished before this column
    // existed (their notes in the audit log still say INCOMPLETE); '[]' for a whole result.
    sql: `
ALTER TABLE jobs ADD COLUMN incomplete TEXT;
`,
  },
  {
    version: 7,
    name: "a skipped item's LSN range lost (SkippedItem.lsnRange), where the reader knows it",
    // JSON `{"first":…,"last":…}` (last: the first LSN not lost); NULL when the reader does not know
    // it, and for items staged before this column existed (their reason still says it in words)
    sql: `
ALTER TABLE skipped_items ADD COLUMN lsn_range TEXT;
`,
  },
  {
    version: 8,
    name: "a job's rows in id order (the unfiltered page and export)",
    // A secondary index holds the rowid after its columns: (job_id) orders a job's rows by id, so a
    // page of a job with no filter (the review page's first view) and a whole-job export walk it
    // from the cursor. Without it SQLite took the UNIQUE (job_id, lsn) index and sorted every row
    // of the job for each page: 28–40 ms a page at 300,000 rows a job, 0.6–1 ms with it; a whole-job
    // export of 300,000 rows 8.8 s → 4.9 s (docs/performance.md, "Unfiltered pages").
    sql: `
CREATE INDEX rows_job_id ON rows(job_id);
`,
  },
  {
    version: 9,
    name: 'free-text index over the values alone (the column names were words of every row)',
    // The index held the values JSON as stored, keys and all: q=Id matched every row, q=Name every
    // row of a table with a Name column, and a decision by such a q decided them. Re-filled with
    // FTS_TEXT_SQL up to the watermark (rows above it are indexed by the next pass, as before).
    sql: `
INSERT INTO rows_fts(rows_fts) VALUES ('delete-all');
INSERT INTO rows_fts (rowid, vals) SELECT id, ${FTS_TEXT_SQL} FROM rows WHERE id <= (SELECT indexed_upto FROM fts_state WHERE id = 1) ORDER BY id;
`,
  },
  {
    version: 10,
    name: "a job's source database (name, binding id, family GUID), which re-insert compares with the target's",
    // JSON `{"name":…,"bindingId":…,"familyGuid":…}` (JobRecord.sourceDatabase); NULL for jobs that
    // have not run, and for jobs staged before this column existed (not known: re-insert says so)
    sql: `
ALTER TABLE jobs ADD COLUMN source_database TEXT;
`,
  },
  {
    version: 11,
    name: "a live or log-backup job's connection (server, login), shown to operators only",
    // JSON `[{"server":…,"login":…}, …]` (StagingStore.jobConnections; a resume may add another): the values the job's notes name,
    // hidden from viewers and reviewers by value wherever they appear (routes/jobs.ts hideServer),
    // not by the notes' wording; no secret. NULL for files jobs and jobs run before this column
    sql: `
ALTER TABLE jobs ADD COLUMN connection TEXT;
`,
  },
  {
    version: 12,
    name: 'a row outcome of a re-insert run into a side table (tableMap) names that table; such a run leaves the row approved',
    // `schema.name` of the side table the run put the row into (or tried to): the run's tableMap sent
    // the row's table to another table (execute.ts sideTableFor). NULL: the row's own table, and
    // every outcome recorded before this column existed (a side-table run of an earlier build marked
    // its rows reinserted; they stay so, and a new run still refuses them: service.ts reinsertedNote).
    sql: `
ALTER TABLE reinsert_outcomes ADD COLUMN side_table TEXT;
`,
  },
  {
    version: 13,
    name: "a re-insert batch's rows, one row each (reinsert_batch_rows), beside its row_ids JSON",
    // Which rows a run holds from decisions (store.ts heldRows) was found with json_each over every
    // uncommitted batch's row_ids: a filter decision over 1.1 M rows, 1 M of them in a running run's
    // batches, took 3.7-4.2 s (docs/performance.md, "Rows a run holds"). One row per batch row,
    // keyed by batch (a run's batches in order) and indexed by row id (the rows a decision would
    // change, looked up). Filled here from every batch's row_ids, then by a trigger on each batch
    // written (recordBatches, execute.ts), so every writer of reinsert_batches fills it; a batch's
    // row_ids is never changed, but a change would be followed. row_ids stays: the ledger, resume
    // and a run's pages read a batch's rows in plan order from it. OR IGNORE: a row twice in one
    // batch (no planner writes that) is held once, as json_each's first hold won before.
    sql: `
CREATE TABLE reinsert_batch_rows (
  run_id   INTEGER NOT NULL,
  batch_no INTEGER NOT NULL,
  row_id   INTEGER NOT NULL,
  PRIMARY KEY (run_id, batch_no, row_id),
  FOREIGN KEY (run_id, batch_no) REFERENCES reinsert_batches(run_id, batch_no) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
CREATE INDEX reinsert_batch_rows_row ON reinsert_batch_rows(row_id);
INSERT OR IGNORE INTO reinsert_batch_rows (run_id, batch_no, row_id)
  SELECT b.run_id, b.batch_no, j.value FROM reinsert_batches AS b, json_each(b.row_ids) AS j ORDER BY b.run_id, b.batch_no, j.value;
CREATE TRIGGER reinsert_batch_rows_ai AFTER INSERT ON reinsert_batches BEGIN
  INSERT OR IGNORE INTO reinsert_batch_rows (run_id, batch_no, row_id) SELECT new.run_id, new.batch_no, value FROM json_each(new.row_ids);
END;
CREATE TRIGGER reinsert_batch_rows_au AFTER UPDATE OF row_ids ON reinsert_batches BEGIN
  DELETE FROM reinsert_batch_rows WHERE run_id = new.run_id AND batch_no = new.batch_no;
  INSERT OR IGNORE INTO reinsert_batch_rows (run_id, batch_no, row_id) SELECT new.run_id, new.batch_no, value FROM json_each(new.row_ids);
END;
`,
  },
  {
    version: 14,
    name: "a job's doubtful result: the WARNING/UNCHECKED sentences of its notes and its rows carrying warnings",
    // As incomplete (migration 6): NULL while the job runs, for jobs that did not succeed and for
    // those that finished before these columns existed (their notes in the audit log and their rows'
    // own warnings still say it); '[]' and 0 for a result with nothing doubtful. A script read
    // "is any of it doubtful?" from scan's report alone: a job's answer had no field for it.
    sql: `
ALTER TABLE jobs ADD COLUMN warnings TEXT;
ALTER TABLE jobs ADD COLUMN rows_with_warnings INTEGER;
`,
  },
  {
    version: 15,
    name: "a restore job's rows with warnings counted by their lines of doubt, not the lines saying where each came from",
    // A comparison's staged row says where it came from in its warnings (recover/recovered-row.ts
    // ROW_PROVENANCE: 'missing from the later state (rowback diff)', 'changed in the later state: …',
    // 'earlier state: …'); counted, every restore job read as doubtful (store.ts setJobCompleteness
    // now counts the other lines). The restore jobs counted before are counted again here, in SQL
    // (the texts as ROW_PROVENANCE holds them: 28 and 15 characters for the two prefixes).
    sql: `
UPDATE jobs SET rows_with_warnings = (SELECT count(*) FROM rows WHERE rows.job_id = jobs.id AND rows.warnings <> '[]'
  AND EXISTS (SELECT 1 FROM json_each(rows.warnings) AS w WHERE NOT (w.value = 'missing from the later state (rowback diff)'
    OR substr(w.value, 1, 28) = 'changed in the later state: ' OR substr(w.value, 1, 15) = 'earlier state: ')))
WHERE kind = 'restore' AND rows_with_warnings IS NOT NULL;
`,
  },
  {
    version: 16,
    name: "a re-insert run's long script or undo script kept in pieces",
    // A dry run of 60,000 rows writes two scripts of ~50 MB: one UPDATE of both held the service's
    // event loop ~0.47 s (SQLite copying 100 MB), and ~0.8 s at 100,000 rows. A text longer than
    // run-texts.ts RUN_TEXT_PIECE_CHARS is kept here a piece at a time (the run's column NULL), with
    // a turn of the event loop between pieces. Runs written before keep theirs in the columns.
    // script_pieces / undo_pieces: how many pieces the text has, set with the run's state once every
    // piece is written (NULL: none, or not all written: a run that failed while writing).
    sql: `
ALTER TABLE reinsert_runs ADD COLUMN script_pieces INTEGER;
ALTER TABLE reinsert_runs ADD COLUMN undo_pieces INTEGER;
CREATE TABLE reinsert_run_texts (
  run_id INTEGER NOT NULL REFERENCES reinsert_runs(id),
  kind   TEXT NOT NULL CHECK (kind IN ('script','undo')),
  seq    INTEGER NOT NULL,
  piece  TEXT NOT NULL,
  PRIMARY KEY (run_id, kind, seq)
);
`,
  },
  {
    version: 17,
    name: "a skipped item's change of its table's columns (SkippedItem.layoutChange)",
    // SOURCE_SCHEMA_DRIFT of a files scan (recover/layout-changes.ts): JSON `{"lsn":…,"transactionId":…,
    // "endTime":…}`, the committed change the row was logged after. Not kept before: a job's skipped
    // items read back from the staging file (GET /api/jobs/:id/skipped) lost it, and the INCOMPLETE
    // sentence their rows make (incomplete-verdict.ts sourceRowsClause) named neither the change nor
    // the way on from them. NULL for every other item, and for items staged before this column
    // existed (their reason still says it in words).
    sql: `
ALTER TABLE skipped_items ADD COLUMN layout_change TEXT;
`,
  },
  {
    version: 18,
    name: "a job's notes saying rows of the incident are left out of its result (rows_left_out)",
    // 1 when any of the job's notes (audit entries job.notes) says rows are left out of its result
    // (recover/left-out.ts: 'not in this result', 'no log scan gives them back'), 0 when it has notes
    // and none does, NULL when it has none; set from now on as the notes are written (store.ts
    // appendAudit). The review page opened the notes box by matching those words itself. Jobs whose
    // notes were written before are read here, by the same two phrases.
    sql: `
ALTER TABLE jobs ADD COLUMN rows_left_out INTEGER;
UPDATE jobs SET rows_left_out = (
  SELECT max(CASE WHEN instr(n.value, 'not in this result') > 0 OR instr(n.value, 'no log scan gives them back') > 0 THEN 1 ELSE 0 END)
  FROM audit_log AS a, json_each(a.details, '$.notes') AS n WHERE a.job_id = jobs.id AND a.action = 'job.notes' AND n.type = 'text')
WHERE EXISTS (SELECT 1 FROM audit_log AS a WHERE a.job_id = jobs.id AND a.action = 'job.notes');
UPDATE jobs SET rows_left_out = 0 WHERE rows_left_out IS NULL AND EXISTS (SELECT 1 FROM audit_log AS a WHERE a.job_id = jobs.id AND a.action = 'job.notes');
`,
  },
  {
    version: 19,
    name: 'tables staged under stagedTableName: [schema].[name] for a name holding a dot (or needing brackets)',
    // A job's rows and layouts were keyed by `schema.name` text, which dbo.[Order.Items] and
    // [dbo.Order].Items share (`dbo.Order.Items`): both tables' rows staged under one name, the
    // filter, decisions, export and re-insert unable to tell them apart. Now a name whose part holds a
    // dot, or begins with [ or ", or has white space at either end, is `[schema].[name]`
    // (util/tsql.ts stagedTableName); every other name is the text it was, untouched. A job's table
    // staged under the old text is renamed here, its rows with it, when the job has one table of
    // that text (its layout names it); one whose layout says two source tables shared the text
    // (ambiguousNames, saveJobTables) keeps it: which table each row came from is not known, and the
    // re-insert goes on refusing those rows (REINSERT_AMBIGUOUS_TABLE). A run's tableMap is kept as
    // written and resolved when read (util/tsql.ts jobTableText takes the old text of one table).
    sql: '',
    run: (db) => {
      const layouts = db.prepare('SELECT job_id, tbl, layout FROM job_tables').all() as { job_id: number; tbl: StoredText; layout: string }[];
      const taken = db.prepare('SELECT 1 FROM job_tables WHERE job_id = ? AND tbl = ?');
      const renameRows = db.prepare('UPDATE rows SET tbl = ? WHERE job_id = ? AND tbl = ?');
      const renameLayout = db.prepare('UPDATE job_tables SET tbl = ? WHERE job_id = ? AND tbl = ?');
      for (const r of layouts) {
        const l = JSON.parse(r.layout) as { schema?: unknown; name?: unknown; ambiguousNames?: unknown };
        if (typeof l.schema !== 'string' || typeof l.name !== 'string') continue;
        if (Array.isArray(l.ambiguousNames) && l.ambiguousNames.length > 1) continue;
        const now = stagedTableName({ schema: l.schema, name: l.name });
        if (now === readText(r.tbl) || taken.get(r.job_id, storedText(now))) continue;
        renameRows.run(storedText(now), r.job_id, r.tbl);
        renameLayout.run(storedText(now), r.job_id, r.tbl);
      }
    },
  },
];

export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const known = maxOf(migrations.map((m) => m.version), 0);
  const newest = maxOf(done, 0);
  if (newest > known) {
    throw new StagingError('STAGING_SCHEMA_TOO_NEW', `the staging file has schema version ${newest}; this rowback knows up to ${known}`);
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    const fk = m.rebuildsTable ? (db.pragma('foreign_keys', { simple: true }) as number) : 0;
    if (fk) db.pragma('foreign_keys = OFF'); // a no-op inside a transaction: set before it
    let ran = false;
    try {
      // BEGIN IMMEDIATE takes the write lock before the version is looked at again: two processes
      // opening an older file at once (serve and diff --stage after an upgrade) both saw a version
      // missing, and the second ran its ALTER TABLE again ("duplicate column name")
      ran = db.transaction(() => {
        if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return false;
        db.exec(m.sql);
        m.run?.(db);
        if (m.rebuildsTable) {
          const bad = db.pragma('foreign_key_check') as unknown[];
          if (bad.length) throw new StagingError('STAGING_MIGRATION_FAILED', `migration ${m.version} (${m.name}) would break ${bad.length} foreign key reference(s); nothing was changed`);
        }
        db.prepare('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        return true;
      }).immediate();
    } finally {
      if (fk) db.pragma('foreign_keys = ON');
    }
    if (ran) applied.push(m.version);
  }
  return applied;
}
