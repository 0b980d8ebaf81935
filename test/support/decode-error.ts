import { expect } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/** The DecodeError `fn` throws; fails the test when it throws something else or nothing. */
export function decodeErrorOf(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

/**
 * decodeRow's whole answer for one image, comparable with toEqual: `{ok: row}`, or the DecodeError's
 * code, message and location (any other exception rethrown). For tests that compare a fast path
 * with the generic one on the same image.
 */
export function decodeOutcome(image: Uint8Array, layout: TableLayout, lsn = '00000001:00000002:0003'): unknown {
  try {
    return { ok: decodeRow(image, layout, { lsn }) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { code: e.code, message: e.message, location: e.location };
  }
}
