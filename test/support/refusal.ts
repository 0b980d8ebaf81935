import type { InputError } from '../../src/errors.js';

/** The InputError `plan` throws, or undefined when it plans (the expectations then fail on its code). */
export function refusal(plan: () => unknown): InputError | undefined {
  try {
    plan();
  } catch (e) {
    return e as InputError;
  }
  return undefined;
}
