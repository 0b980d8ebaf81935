import { expect, it } from 'vitest';
import { bearer, liveJobWithNotes } from './helpers.js';

/**
 * A re-insert run's job warning is hidden from viewers and reviewers (server and login) wherever it
 * stands whole; in the script it stands as a comment line, `-- ` + commentText(warning), and
 * commentText writes `$(` (sqlcmd's scripting variable), control characters and lone surrogates as
 * escapes. A warning holding one (a database named `crm$(2024)`, SYNTHETIC here) was looked for in the
 * script by its own text, not found, and the script's WARNING line was answered whole: the server and
 * login shown to a reviewer (dry run) and to any viewer (GET /api/reinsert-runs/:id/script), while
 * the answer's jobWarning field beside it was hidden. Now the comment form is hidden too.
 */
it("a job warning the script's comment writes escaped (`$(` in a database name) is hidden in the script too", async () => {
  const cs = 'Server=prod-sql-07;Database=crm$(2024);User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'INCOMPLETE: rowback_reader could not read the log of crm$(2024)\ton prod-sql-07 past 0000002a:00000100:0001';
  const { t, jobId } = await liveJobWithNotes(cs, [sentence]);
  try {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'looks right', all: true } });
    expect(d.statusCode, d.body).toBe(200);
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().jobWarning).not.toContain('prod-sql-07');
    expect(dry.body).not.toContain('rowback_reader');
    expect(dry.body).not.toContain('prod-sql-07');
    const runId = dry.json().run.id as number;
    const op = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.operator) })).json();
    // the operator's copy holds the line whole, in its comment form
    expect(op.script).toContain('crm$\\u{28}2024)\\u{9}on prod-sql-07');
    for (const who of ['viewer', 'reviewer'] as const) {
      const x = await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens[who]) });
      expect(x.statusCode).toBe(200);
      expect(x.body, who).not.toContain('rowback_reader');
      expect(x.body, who).not.toContain('prod-sql-07');
      expect(x.json().script).toContain('crm$\\u{28}2024)\\u{9}on [server]');
    }
  } finally {
    await t.close();
  }
});

it('jobWarningSwaps over a script kept in pieces (replaceInPieces once per swap): the comment form hidden across every cut', async () => {
  const { jobWarningSwaps } = await import('../../src/api/routes/jobs.js');
  const { replaceInPieces } = await import('../../src/api/long-strings-json.js');
  const { commentText } = await import('../../src/util/tsql.js');
  // SYNTHETIC warning and script
  const warning = 'WARNING: INCOMPLETE job: rowback_reader could not read the log of crm$(2024)\ton prod-sql-07 past 0000002a:00000100:0001';
  const swaps = jobWarningSwaps(warning, 'prod-sql-07', 'reviewer');
  expect(swaps).toHaveLength(2);
  const script = `-- head\n-- ${commentText(warning)}\nINSERT …;\n`;
  for (let cut = 0; cut <= script.length; cut++) {
    async function* pieces() { yield script.slice(0, cut); yield script.slice(cut); }
    let out = '';
    for await (const p of swaps.reduce<AsyncIterable<string>>((x, { from, to }) => replaceInPieces(x, from, to), pieces())) out += p;
    expect(out, `cut ${cut}`).not.toContain('prod-sql-07');
    expect(out).toContain('crm$\\u{28}2024)\\u{9}on [server]');
  }
  expect(jobWarningSwaps(warning, 'prod-sql-07', 'operator')).toEqual([]);
});
