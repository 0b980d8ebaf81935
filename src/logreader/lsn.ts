import { InputError } from '../errors.js';

/**
 * A log sequence number: VLF sequence number, log block offset (in 512-byte units from the
 * VLF start), slot number in the block. fn_dblog prints it as `0000002a:000001f0:0003`.
 */
export interface Lsn {
  vlf: number;
  block: number;
  slot: number;
}

const PRINTED = /^(?:0x)?([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,4})$/;

/** Parses the printed form `0000002a:000001f0:0003` (hex parts, as fn_dblog prints them). */
export function parseLsn(text: string): Lsn {
  const m = PRINTED.exec(text.trim());
  if (!m) throw new InputError('INPUT_BAD_LSN', `'${text}' is not an LSN of the form 0000002a:000001f0:0003`);
  return { vlf: parseInt(m[1], 16), block: parseInt(m[2], 16), slot: parseInt(m[3], 16) };
}

/** The printed form fn_dblog uses: 8:8:4 lower-case hex digits. */
export function formatLsn(l: Lsn): string {
  return `${l.vlf.toString(16).padStart(8, '0')}:${l.block.toString(16).padStart(8, '0')}:${l.slot.toString(16).padStart(4, '0')}`;
}

export function compareLsn(a: Lsn, b: Lsn): number {
  return a.vlf - b.vlf || a.block - b.block || a.slot - b.slot;
}
