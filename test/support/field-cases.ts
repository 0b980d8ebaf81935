import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * Field cases: row images, CD cells and catalog layouts published by people who do this work
 * (`../shared/field-cases`, or `$ROWBACK_FIELD_CASES`). Like the corpus they never enter this repo
 * (licences); tests read them at test time. Under CI=true a missing folder is a failure; elsewhere
 * the tests are skipped, loudly.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIELD_CASES_DIR = process.env.ROWBACK_FIELD_CASES
  ? resolve(process.env.ROWBACK_FIELD_CASES)
  : resolve(repoRoot, '..', 'shared', 'field-cases');

export const fieldCasesAvailable = existsSync(join(FIELD_CASES_DIR, 'README.md'));

if (!fieldCasesAvailable) {
  const msg = `field cases not found at ${FIELD_CASES_DIR} (set ROWBACK_FIELD_CASES)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: under CI=true missing field cases fail the run`);
  process.stderr.write(`\n*** SKIPPING field-case tests: ${msg} ***\n\n`);
}

/** `describe` that runs only when the field cases are there (and fails under CI when they are not). */
export const describeFieldCases = fieldCasesAvailable ? describe : describe.skip;

/** One field-case file (see the folder's README.md for the fields). */
export interface FieldCase {
  id: string;
  source: string;
  kind?: string;
  table?: string;
  ddl?: string;
  hex?: string;
  expected?: unknown;
  expected_catalog?: Record<string, string>;
  catalog_rows?: { rows: unknown[] } | unknown[];
  relational_expectations?: string;
  exercises?: string;
  variants?: { name: string; ddl?: string; hex: string; expected: Record<string, unknown> }[];
}

/** Every `*.json` file of the folder, sorted (empty when the folder is absent). */
export function listFieldCases(): string[] {
  if (!fieldCasesAvailable) return [];
  return readdirSync(FIELD_CASES_DIR).filter((f) => f.endsWith('.json')).sort();
}

export function readFieldCase(file: string): FieldCase {
  return JSON.parse(readFileSync(join(FIELD_CASES_DIR, file), 'utf8')) as FieldCase;
}

/**
 * A value as SQL Server's SELECT prints it → rowback's output form, for the types whose text
 * differs: date-and-time values use `T` between date and time (docs/decoder.md "Output forms").
 * Everything else (numbers, decimal strings, `0x…` hex, text) is already in rowback's form.
 */
export function toRowbackForm(type: string, value: unknown): unknown {
  if (typeof value === 'string' && /^(datetime|datetime2|smalldatetime|datetimeoffset)\b/.test(type)) {
    return value.replace(/^(\d{4}-\d\d-\d\d) (\d\d:)/, '$1T$2');
  }
  return value;
}
