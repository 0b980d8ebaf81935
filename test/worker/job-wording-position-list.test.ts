/**
 * A restore job says the list form of dump and diff (`--after-bak F F --after-position 1,2`: a full
 * and a differential that are two sets of one file, appended WITH NOINIT) as its own fields, the
 * arrays the API takes ("afterPosition": [1, 2], job-spec.ts setPositions); word by word it read
 * `afterBak F F afterPosition 1,2`, and "afterPosition": "1,2" followed literally is refused 400.
 * SYNTHETIC messages in the replay's words (point-in-time.ts fullSetsInSameFile, differentialListAdvice).
 */
import { expect, it } from 'vitest';
import { jobWording } from '../../src/worker/job-wording.js';

it('the list form of either side is said as the job arrays; a files job and a single number are as before', () => {
  const later = jobWording('restore', 'the full backup /tmp/F.bak (FILE = 2) is based on is backup set 1 of the same file: give the file twice with a set number each, full backup first: --after-bak /tmp/F.bak /tmp/F.bak --after-position 1,2 (RESTORE … WITH FILE = 1, NORECOVERY, then WITH FILE = 2)');
  expect(later).toContain('full backup first: "afterBak": ["/tmp/F.bak", "/tmp/F.bak"], "afterPosition": [1, 2] (RESTORE');
  const earlier = jobWording('restore', '/tmp/ALL.trn (FILE = 4) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: --bak /tmp/FULL.bak /tmp/ALL.trn --position 1,4');
  expect(earlier).toBe('/tmp/ALL.trn (FILE = 4) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: "bak": ["/tmp/FULL.bak", "/tmp/ALL.trn"], "position": [1, 4]');
  // a path set aside as a value (it holds --) is kept verbatim inside the array
  const odd = '/tmp/x--bak.bak';
  expect(jobWording('restore', `give --bak ${odd} ${odd} --position 1,2`, [odd])).toBe(`give "bak": ["${odd}", "${odd}"], "position": [1, 2]`);
  expect(jobWording('restore', 'give --position 2')).toBe('give position 2');
});
