/**
 * The one sentence rowback says of things it read that carry no checksum — data pages without a
 * page checksum (`uncheckedPagesNote`, datafile/page-reader.ts) and log blocks without a log block
 * checksum (`uncheckedBlocksNote`, logreader/ldf/reader.ts): how many of those read, what kind,
 * and, when a few lie among checked ones, which (one of them may be the damage itself, its checksum
 * flag cleared), then what to do. The two notes differ only in their words (`UncheckedNoteWords`).
 */

/** What one note calls the things it counts and what damage inside them means. */
export interface UncheckedNoteWords {
  /** 'page' / 'pages'; 'log block' / 'log blocks'. */
  unit: { one: string; many: string };
  /** The unit's short plural in "Among … with a checksum": 'pages', 'blocks'. */
  short: string;
  /** 'page checksum', 'log block checksum'. */
  check: string;
  /** Why a few without a checksum among checked ones exist, besides damage. */
  suspectWhy: string;
  /** Where the checksum flag is, after "checksum flag" ('' or ' (block header status 0x2)'). */
  flag: string;
  /** What damage inside them is: of one named, of several named, of the general case. */
  inside: { one: string; many: string; any: string };
  /** What to compare: for one named, several, or the general case. */
  compare: { one: string; many: string };
  /** What not to do before comparing: 'trusting them', 're-inserting them'. */
  action: string;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The note: `unchecked` of the `total` read carry no checksum (`kinds`: '2 with torn-page bits
 * only, …', when the unit has kinds); with `named` (the few unchecked ones among checked ones, as
 * the caller names them) the sentence names them and says why a lone one is suspect.
 * `unchecked` ≥ 1 and ≤ `total`.
 */
export function uncheckedNote(w: UncheckedNoteWords, unchecked: number, total: number, o: { kinds?: string; named?: string } = {}): string {
  const many = (n: number) => (n === 1 ? w.unit.one : w.unit.many);
  const carry = (n: number) => (n === 1 ? 'carries' : 'carry');
  const tail = 'with another copy (the database, another copy of the file or backup) before ' + w.action;
  if (o.named !== undefined) {
    const one = unchecked === 1;
    return `${unchecked} of the ${total} ${many(total)} read ${carry(unchecked)} no ${w.check}${o.kinds ? ` (${o.kinds})` : ''}: ${o.named}. Among ${w.short} with a checksum ${one ? 'a lone one without is' : 'a few without are'} suspect: ${w.suspectWhy}, or ${one ? 'its' : 'their'} checksum flag${w.flag} cleared by the very damage it would have shown; ${one ? w.inside.one : w.inside.many} cannot be detected, so compare ${one ? w.compare.one : w.compare.many} ${tail}`;
  }
  const which = unchecked === total ? `none of the ${total} ${many(total)} read carries a ${w.check}` : `${unchecked} of the ${total} ${many(total)} read ${carry(unchecked)} no ${w.check}`;
  return `${which} (${o.kinds ? `${o.kinds}; ` : ''}written while the database was not on PAGE_VERIFY CHECKSUM): ${w.inside.any} cannot be detected, so compare ${w.compare.many} ${tail}`;
}

/** The words of the data-page note (page-reader.ts uncheckedPagesNote). */
export const PAGE_NOTE_WORDS: UncheckedNoteWords = {
  unit: { one: 'page', many: 'pages' },
  short: 'pages',
  check: 'page checksum',
  suspectWhy: 'not rewritten since the database was put on PAGE_VERIFY CHECKSUM',
  flag: '',
  inside: { one: 'a changed byte inside its rows', many: 'a changed byte inside their rows', any: 'a changed byte inside their rows' },
  compare: { one: 'those rows', many: 'those rows' },
  action: 'trusting them',
};

/**
 * The words of the log-block note (logreader/ldf/reader.ts uncheckedBlocksNote): word for word the
 * sentence it wrote by hand before (test/util/unchecked-note.test.ts).
 */
export const BLOCK_NOTE_WORDS: UncheckedNoteWords = {
  unit: { one: 'log block', many: 'log blocks' },
  short: 'blocks',
  check: 'log block checksum',
  suspectWhy: 'written before the database was put on PAGE_VERIFY CHECKSUM',
  flag: ' (block header status 0x2)',
  inside: { one: 'damage inside its records', many: 'damage inside their records', any: "damage inside such a block's records" },
  compare: { one: 'rows from it', many: 'rows from them' },
  action: 're-inserting them',
};
