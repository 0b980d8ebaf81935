/**
 * An .ldf grown in small steps holds more VLFs than V8 takes arguments in one call (about 120,000:
 * a 100 GB log grown 1 MB at a time has 400,000). Where rowback took the oldest or newest VLF
 * sequence number as `Math.min(...seqs)` / `Math.max(...seqs)` (window-before-log.ts's LSN range
 * before the .ldf and the log backups, files.ts's logWholeFrom) such a log threw `RangeError: Maximum
 * call stack size exceeded`, an INTERNAL failure of `scan`, rather than the note. Now a loop.
 * SYNTHETIC: the sequence numbers and LSNs are made up here (no file is read).
 */
import { describe, expect, it } from 'vitest';
import { lsnRangeBeforeLdfAndBackupsClause } from '../../src/recover/window-before-log.js';
import { parseLsn } from '../../src/logreader/lsn.js';

describe('VLF sequence numbers beyond the arguments V8 takes', () => {
  it('lsnRangeBeforeLdfAndBackupsClause names the oldest of 130,000 VLFs', () => {
    // VLF sequences 0x1000.. upward, the oldest (0x1000) last; a few unused (0)
    const seqs = Array.from({ length: 130_000 }, (_, i) => (i % 1000 === 7 ? 0 : 0x1000 + 130_000 - i));
    const clause = lsnRangeBeforeLdfAndBackupsClause(
      { fromLsn: parseLsn('00000010:00000010:0001'), toLsn: null },
      { file: 'crm_log.ldf', seqs },
      { file: 'crm_1.trn', position: 1, kind: 'log', finished: null, started: null, lastLsn: '00002000:00000010:0001', firstLsn: '00001800:00000010:0001' },
    );
    expect(clause).toContain(`crm_log.ldf from its oldest VLF, sequence 0x${(0x1000 + 1).toString(16)}`);
    expect(clause).toContain('the first log backup given, crm_1.trn');
  });
});
