/**
 * The SQL export's first line ended `column metadata: staged-layouts`, rowback's internal name for
 * where its columns came from, which told a DBA reading the script nothing (the dry run's own line
 * said `the table layouts the rows were decoded with (no target connection: foreign-key order
 * unknown)`, and neither said that the target's column types and widths were not read). Both now say
 * the same sentence: what was read and what was not (the undo-sql export too, which has no table
 * order line: the sentence pointed to 'the table order line below' there). Rows: real corpus row images
 * (test/staging/fixtures.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

const SENTENCE = "-- column metadata from: the table layouts the rows were decoded with (no target connection: the target's columns, their types and widths, keys, unique indexes, identity columns, INSTEAD OF triggers and foreign keys were not read; each target table, a tableMap side table too, is taken to have its source table's columns; a re-insert script's table order line says what ordered its tables, and an undo deletes rows in the reverse of the order its runs inserted them)";

describe('the SQL export and the dry run say where the column metadata came from, in words', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('export sql, export undo-sql and an offline dry run', async () => {
    const jobId = await fakeFilesJob(t);
    for (const format of ['sql', 'undo-sql']) {
      const body = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=${format}`, headers: bearer(t.tokens.viewer) })).body;
      expect(body).not.toContain('staged-layouts');
      expect(body.split('\n')).toContain(SENTENCE);
      // a2125832's sentence pointed to 'the table order line below', which an undo has none of
      if (!body.split('\n').some((l) => l.startsWith('-- table order'))) expect(body, format).not.toContain('the table order line below');
    }
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().script.split('\n')).toContain(SENTENCE);
  });
});
