/**
 * InputError.fix carried as data (src/errors.ts): the message is the text before the fix, the fix in
 * the options' words, the text after it; the CLI puts the whole command line in the fix's place by
 * those parts (messageWithFix), not by finding the fix's text in the message, which a message
 * reworded afterwards (a prefix, a note, flags renamed for diff's later state) no longer held whole:
 * the whole command was dropped without a word. rewordMessage keeps the parts in step.
 */
import { describe, expect, it } from 'vitest';
import { InputError, rewordMessage } from '../src/errors.js';

const FIX = { said: '--bak F.bak --position 1', options: [{ flag: '--bak', values: ['F.bak'] }, { flag: '--position', values: ['1'] }] };
const LINE = 'rowback dump --bak F.bak --position 1 --table dbo.T';
const refusal = () => InputError.withFix('INPUT_BAD_OPTION', 'F.bak is given more than once: give each backup file once: ', FIX, ' (a full backup first)', { file: 'F.bak' });

describe('InputError.withFix and messageWithFix', () => {
  it('the API message holds the fix in the options\' words; the CLI\'s the whole command line in its place', () => {
    const e = refusal();
    expect(e.message).toBe('F.bak is given more than once: give each backup file once: --bak F.bak --position 1 (a full backup first)');
    expect(e.messageWithFix(LINE)).toBe(`F.bak is given more than once: give each backup file once: ${LINE} (a full backup first)`);
    expect(e.location).toEqual({ file: 'F.bak' });
  });

  it('a refusal without a fix: its message as it is', () => {
    expect(new InputError('INPUT_BAD_OPTION', 'no fix here').messageWithFix(LINE)).toBe('no fix here');
  });
});

describe('rewordMessage', () => {
  // diff's later state: flags renamed around the fix, "the later state: " before it, a note after it
  const later = (t: string) => t.replace(/(?<![\w-])--bak\b/g, '--after-bak').replace(/(?<![\w-])--position\b/g, '--after-position');

  it('words renamed around the fix only (the fix keeps its own flags), a prefix and a suffix: the whole command still goes in its place', () => {
    const e = refusal();
    rewordMessage(e, { prefix: 'the later state: ', words: (t) => later(t).replace('more than once', 'twice') });
    rewordMessage(e, { suffix: '; note: another database' });
    expect(e.message).toBe('the later state: F.bak is given twice: give each backup file once: --bak F.bak --position 1 (a full backup first); note: another database');
    expect(e.messageWithFix(LINE)).toBe(`the later state: F.bak is given twice: give each backup file once: ${LINE} (a full backup first); note: another database`);
  });

  it('a fix whose own text the words would change: the whole command is still given (found by its text, it was dropped)', () => {
    // the same rename over the whole message turns the fix's `--bak` into `--after-bak`: its text is gone
    const e = refusal();
    rewordMessage(e, { words: later });
    expect(e.message).toContain('--bak F.bak --position 1');
    expect(e.messageWithFix(LINE)).toContain(LINE);
  });

  it('a copy of the refusal reworded (a table\'s own refusal): the original keeps its message and fix', () => {
    const e = refusal();
    const copy = Object.create(Object.getPrototypeOf(e) as object) as InputError;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(e));
    rewordMessage(copy, { suffix: '; replayed without D.bak' });
    expect(copy.messageWithFix(LINE)).toBe(`F.bak is given more than once: give each backup file once: ${LINE} (a full backup first); replayed without D.bak`);
    expect(e.messageWithFix(LINE)).toBe(`F.bak is given more than once: give each backup file once: ${LINE} (a full backup first)`);
  });

  it('any other error: the words, prefix and suffix over its whole message', () => {
    const e = new InputError('INPUT_BAD_OPTION', '--bak F.bak holds 2 backup sets');
    rewordMessage(e, { prefix: 'the later state: ', words: later, suffix: '; note: x' });
    expect(e.message).toBe('the later state: --after-bak F.bak holds 2 backup sets; note: x');
  });

  it('a message set directly since (not through rewordMessage): the fix put in place of its text while it stands whole', () => {
    const e = refusal();
    e.message = `${e.message}; note: set directly`;
    expect(e.messageWithFix(LINE)).toBe(`F.bak is given more than once: give each backup file once: ${LINE} (a full backup first); note: set directly`);
  });
});
