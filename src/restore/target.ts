import { InputError } from '../errors.js';
import { lsnToDecimal, parseAnyLsn } from '../logreader/lsn.js';
import { parseWindowTime } from '../recover/time-window.js';
import type { RestoreTarget } from './chain.js';

/**
 * A stop point from its two spellings: a time (`YYYY-MM-DD[THH:MM[:SS[.fff]]]`, the SQL Server's
 * local time, RESTORE … STOPAT) or an LSN in any form rowback reads (STOPBEFOREMARK = 'lsn:…',
 * kept as the decimal numeric(25,0) form). `names` are the option or field names used in messages.
 * Throws InputError INPUT_BAD_OPTION unless exactly one is given, INPUT_BAD_TIME / INPUT_BAD_LSN
 * for bad values.
 */
export function parseStopTarget(o: { stopAt?: string; stopBeforeLsn?: string }, names: { stopAt: string; stopBeforeLsn: string } = { stopAt: '--stop-at', stopBeforeLsn: '--stop-before-lsn' }): RestoreTarget {
  if ((o.stopAt === undefined) === (o.stopBeforeLsn === undefined)) throw new InputError('INPUT_BAD_OPTION', `give exactly one of ${names.stopAt} TIME or ${names.stopBeforeLsn} LSN`, { field: names.stopAt });
  const field = o.stopAt !== undefined ? names.stopAt : names.stopBeforeLsn;
  try {
    if (o.stopAt !== undefined) return { kind: 'time', time: parseWindowTime(o.stopAt, 'start', names.stopAt) };
    return { kind: 'lsn', lsn: lsnToDecimal(parseAnyLsn(o.stopBeforeLsn!)) };
  } catch (e) {
    if (e instanceof InputError) (e.location as { field?: string }).field ??= field;
    throw e;
  }
}
