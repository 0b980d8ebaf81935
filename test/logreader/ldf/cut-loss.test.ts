import { expect, it } from 'vitest';
import { cutLoss } from '../../../src/logreader/ldf/cut-loss.js';

/**
 * cutLoss: what a cut .ldf lost, from the sequence numbers of the VLFs left (lists of numbers, no
 * bytes). Sequences between the lowest and highest present that no VLF carries are lost for certain
 * (a VLF is reused only once it holds the oldest log); after the highest and before the lowest, only
 * possibly. The real-file case (AngularJs_CRUD cut at its third VLF) is in log-gaps.test.ts.
 */
it('names every sequence missing between the lowest and highest present, as LSN ranges', () => {
  const l = cutLoss([40, 0, 37, 41, 44]);
  expect(l.lost).toEqual([38, 39, 42, 43]);
  expect(l.firstLsn).toBe('00000026:00000000:0000');
  expect(l.text).toBe('VLF sequences 0x26–0x27 (LSN 00000026:00000000:0000 to 00000027:ffffffff:ffff), sequences 0x2a–0x2b (LSN 0000002a:00000000:0000 to 0000002b:ffffffff:ffff), between sequences 0x25 and 0x2c present, are in no VLF left: their log was in the missing part and is lost; log after sequence 0x2c, the highest present (from LSN 0000002d:00000000:0000), and before sequence 0x25, the lowest, may have been there too');
});

it('consecutive sequences: nothing certain, the first LSN after the highest', () => {
  const l = cutLoss([5, 6, 7]);
  expect(l.lost).toEqual([]);
  expect(l.firstLsn).toBe('00000008:00000000:0000');
});

it('no used VLF left: unknown, said so', () => {
  expect(cutLoss([0, 0])).toMatchObject({ lost: [], firstLsn: null, text: 'no VLF present holds log, so which log the missing VLFs held is unknown' });
});
