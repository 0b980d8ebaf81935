/**
 * What a cut `.ldf` lost, from the VLF headers still in it (FORMAT_LOG_FILE_CUT). The log is a
 * ring of VLFs reused in file order, each new use numbered one above the last (the VLF sequence
 * number, an LSN's first part), and a VLF is reused only once it holds the oldest log: so a
 * sequence number between the lowest and the highest of the VLFs present that no VLF present
 * carries was in a VLF after the cut — its log is lost, all of it (AngularJs_CRUD's log cut at its
 * third VLF keeps sequences 0x25 and 0x23: 0x24 was the third). Log after the highest sequence present
 * may have been there too (it was, unless the highest is where the log ends), and log older than
 * the lowest; the VLF headers cannot say.
 */
import { formatLsn } from '../lsn.js';

export interface CutLoss {
  /** Sequence numbers certainly lost: between the lowest and highest present, in no VLF present. */
  lost: number[];
  lowest: number;
  highest: number;
  /** The first LSN certainly or possibly lost: the first lost sequence's, else the one after the highest. */
  firstLsn: string | null;
  /** One clause for the FORMAT_LOG_FILE_CUT reason. */
  text: string;
}

/** A VLF sequence as the other messages print it: hex, as in the LSNs beside it (0x24 for 00000024:…). */
const hx = (seq: number) => `0x${seq.toString(16)}`;

const lsnOf = (seq: number, end = false) => formatLsn(end ? { vlf: seq, block: 0xffffffff, slot: 0xffff } : { vlf: seq, block: 0, slot: 0 });

/** What the cut lost, given the sequence numbers of the VLFs present (0: never used). */
export function cutLoss(seqs: readonly number[]): CutLoss {
  const used = [...new Set(seqs.filter((s) => s > 0))].sort((a, b) => a - b);
  if (!used.length) return { lost: [], lowest: 0, highest: 0, firstLsn: null, text: 'no VLF present holds log, so which log the missing VLFs held is unknown' };
  const lowest = used[0];
  const highest = used[used.length - 1];
  const present = new Set(used);
  const lost: number[] = [];
  for (let s = lowest + 1; s < highest; s++) if (!present.has(s)) lost.push(s);
  // ranges of consecutive lost sequences, as LSN ranges
  const ranges: string[] = [];
  for (let i = 0; i < lost.length; ) {
    let j = i;
    while (j + 1 < lost.length && lost[j + 1] === lost[j] + 1) j++;
    ranges.push(`${lost[i] === lost[j] ? `sequence ${hx(lost[i])}` : `sequences ${hx(lost[i])}–${hx(lost[j])}`} (LSN ${lsnOf(lost[i])} to ${lsnOf(lost[j], true)})`);
    i = j + 1;
  }
  const after = `log after sequence ${hx(highest)}, the highest present (from LSN ${lsnOf(highest + 1)}), and before sequence ${hx(lowest)}, the lowest, may have been there too`;
  const text = lost.length
    ? `VLF ${ranges.length > 3 ? `${ranges.slice(0, 3).join(', ')} and ${ranges.length - 3} more range(s)` : ranges.join(', ')}, between sequences ${hx(lowest)} and ${hx(highest)} present, ${lost.length > 1 ? 'are' : 'is'} in no VLF left: ${lost.length > 1 ? 'their' : 'its'} log was in the missing part and is lost; ${after}`
    : lowest === highest
      ? `sequence ${hx(highest)} is the only one present; log after it (from LSN ${lsnOf(highest + 1)}) and before it may have been there too`
      : `every sequence from ${hx(lowest)} to ${hx(highest)} is in a VLF present; ${after}`;
  return { lost, lowest, highest, firstLsn: lost.length ? lsnOf(lost[0]) : lsnOf(highest + 1), text };
}
