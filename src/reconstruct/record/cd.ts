import { DecodeError } from '../../errors.js';
import type { DecodedRow } from '../decode-row.js';
import type { RowPlan } from './plan.js';

/** CD (row-compressed) records: not decoded yet in this build. */
export function decodeCompressedRow(_image: Uint8Array, _plan: RowPlan): DecodedRow {
  throw new DecodeError('DECODE_UNSUPPORTED', 'row-compressed (CD) records are not decoded yet', { offset: 0 });
}
