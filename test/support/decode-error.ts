import { expect } from 'vitest';
import { DecodeError } from '../../src/errors.js';

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
