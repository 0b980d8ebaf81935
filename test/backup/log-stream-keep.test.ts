import { expect, it } from 'vitest';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { LOP } from '../../src/logreader/ldf/constants.js';
import { emptyLogScanStats } from '../../src/logreader/ldf/reader.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { SkippedItem } from '../../src/util/skipped-item.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * BackupLogStream.records with a `keep` asked record by record: the point-in-time replay builds every
 * record up to its stop, then only the commits its clock look-ahead reads (it built every record for
 * up to an hour of log past the stop). The records kept must be exactly those the full read gives
 * and the filter passes, in order, with the same stats and skipped items. REAL: appveyor-lab
 * RestoreTimeClean_1.trn and StopAt_2.trn (SQL Server 2008).
 */
describeCorpus('log backup records with a keep that changes as the records are read', () => {
  const files = [corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn'), corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn')];
  for (const file of files) {
    it(`${file.split('/').pop()}: all records up to a point, commits alone after it`, async () => {
      const allStats = emptyLogScanStats();
      const allSkipped: SkippedItem[] = [];
      const all: LogRecord[] = [];
      for await (const r of openBackupLogStream(file).records({ onSkipped: (x) => allSkipped.push(x) }, allStats)) all.push(r);
      expect(all.length).toBeGreaterThan(20);
      expect(all.some((r) => r.Operation === 'LOP_COMMIT_XACT')).toBe(true);
      for (const cut of [0, 1, Math.floor(all.length / 3), all.length - 1]) {
        let seen = 0;
        let switched = false;
        const stats = emptyLogScanStats();
        const skipped: SkippedItem[] = [];
        const got: LogRecord[] = [];
        for await (const r of openBackupLogStream(file).records({ onSkipped: (x) => skipped.push(x) }, stats, (op) => !switched || op === LOP.COMMIT_XACT)) {
          got.push(r);
          if (++seen === cut) switched = true;
        }
        const want = cut === 0 ? all : [...all.slice(0, cut), ...all.slice(cut).filter((r) => r.Operation === 'LOP_COMMIT_XACT')];
        expect(got.map((r) => r['Current LSN'])).toEqual(want.map((r) => r['Current LSN']));
        expect(got).toEqual(want);
        if (cut > 0 && cut < all.length - 1) expect(got.length).toBeLessThan(all.length);
        expect(stats).toEqual(allStats);
        expect(skipped).toEqual(allSkipped);
      }
    });
  }
});
