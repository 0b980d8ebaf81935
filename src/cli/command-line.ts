/**
 * A whole `rowback …` command line for a refusal to advise, built from the words typed with some
 * options' values changed (errors.ts CommandFix), each word quoted for the shell it is pasted into.
 * A DBA in an incident copies the line; `give it once: --bak F F --position 1,2` left them to edit
 * the command themselves.
 */
import type { CommandFix } from '../errors.js';
import { appendAll } from '../util/append-all.js';

/** The shell a command line is written for: a POSIX shell (sh, bash, zsh), or PowerShell on Windows. */
export type ShellKind = 'posix' | 'powershell';

/** The shell rowback's own command lines are written for here: PowerShell on Windows, else POSIX. */
export function defaultShell(platform: NodeJS.Platform = process.platform): ShellKind {
  return platform === 'win32' ? 'powershell' : 'posix';
}

/** Characters any shell of ShellKind takes as themselves in a bare word (no glob, variable, quote, operator). */
const BARE: Record<ShellKind, RegExp> = {
  // POSIX: no `~` (home directory at the start), `*?[` (globs), `$` `` ` `` quotes, space, `;&|<>()` …
  posix: /^[A-Za-z0-9_@%+=:,./-]+$/,
  // PowerShell: `,` makes an array, `@` splats, `=` and `+` are operators in places, `$` a variable
  powershell: /^[A-Za-z0-9_:./\\-]+$/,
};

/**
 * `word` as one word of a command line in `shell`: bare when it is safe there, else quoted so the
 * shell passes it unchanged. POSIX: `'…'` with `'` as `'\''`; a word holding a control character
 * (a line break in a path) as `"$(printf '…')"`, each control character, `\` and `%` as printf's own
 * escapes (`\012`, `\\`, `%%`), so the line stays one line and every POSIX shell reads it: sh
 * (dash) has no `$'…'`, which read `$'a\nb'` as the word `$a\nb`, another file. A word ending in a
 * line break (which `$( )` would drop) is `'…'` with the break itself: exact, on two lines.
 * PowerShell: a word starting with `-` bare only when it is letters, digits, `_` and `-` (a bare
 * `-x.bak` reached the program as two words, `-x` and `.bak`); `'…'` with every single quote (`'`, U+2018–U+201B, which
 * PowerShell takes as quotes too) doubled; with a control character, `"…"` with `` ` `` escapes
 * (`` `n ``, `` `$ ``) and `$([char]0xHH)` for the others. Sources: POSIX "Shell Command Language",
 * 2.2 Quoting; Microsoft, "about_Quoting_Rules". Pure; never throws.
 */
export function shellWord(word: string, shell: ShellKind = defaultShell()): string {
  // zsh replaces a word starting with `=` by a command's path (`=ls`): quoted. PowerShell reads a
  // bare word starting with `-` as a parameter token and passes `-x.bak` to a program as `-x` and
  // `.bak` (split at the first `.`; PowerShell issue #6291, open; `:` likewise, #6360): quoted
  // unless it is letters, digits, `_` and `-` alone (`--bak`, `-q`)
  const parameterLike = shell === 'powershell' && word[0] === '-' && !/^-[A-Za-z0-9_-]*$/.test(word);
  if (word !== '' && BARE[shell].test(word) && word[0] !== '=' && !parameterLike) return word;
  const control = /[\u0000-\u001f\u007f]/.test(word);
  if (shell === 'posix') {
    const quoted = `'${word.replace(/'/g, `'\\''`)}'`;
    // command substitution drops trailing line breaks: such a word keeps them literally
    if (!control || word.endsWith('\n')) return quoted;
    // printf's format: `\ddd` octal (three digits, POSIX printf), `\\`, `%%`; a leading `-` as
    // `\055`, which bash's printf would take as an option; `'` closes and reopens the quote
    const format = word.replace(/[\\%'\u0000-\u001f\u007f]|^-/g, (c) => {
      if (c === '\\') return '\\\\';
      if (c === '%') return '%%';
      if (c === "'") return `'\\''`;
      return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
    });
    return `"$(printf '${format}')"`;
  }
  if (!control) return `'${word.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
  const esc = word.replace(/[`"$\u201c-\u201e\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '`n';
    if (c === '\t') return '`t';
    if (c === '\r') return '`r';
    if (c < ' ' || c === '\u007f') return `$([char]0x${c.charCodeAt(0).toString(16).padStart(2, '0')})`;
    return `\`${c}`;
  });
  return `"${esc}"`;
}

/** A word commander takes for an option where a value could follow (`-x`, `--bak`; not `-` alone): its maybeOption. */
function looksLikeOption(word: string): boolean {
  return word.length > 1 && word[0] === '-';
}

/** A negative number (`-5`, `-1.5e3`), which commander takes as a value of a variadic option (its negativeNumberArg; rowback has no digit flags). */
function negativeNumber(word: string): boolean {
  return /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(word);
}

/**
 * `rowback` and the words `argv` (what was typed after `rowback`: the command, its options and
 * arguments), each option of `fix` given its values instead of those typed: placed where the option
 * was first typed (every other occurrence dropped), after the words typed when it was not, left out
 * when its values are null. An option's words are read as commander reads them: `--flag=value`
 * (one value), or `--flag` then one value, then for a variadic option (`isVariadic(flag)`,
 * `--bak <files...>`) every following word that does not start with `-` or is a negative number
 * (commander 14's parseOptions); nothing after `--` is an option. A value after the first that starts
 * with `-` (a file `-x.bak`, typed as `--bak -x.bak`) is given with the flag again: in the list it
 * would be read as an option. Each word through shellWord. Pure; never throws.
 */
export function commandLineWith(argv: readonly string[], fix: CommandFix['options'], isVariadic: (flag: string) => boolean, shell: ShellKind = defaultShell()): string {
  const values = new Map(fix.map((o) => [o.flag, o.values] as const));
  const out: string[] = [];
  const placed = new Set<string>();
  const place = (flag: string) => {
    if (placed.has(flag)) return;
    placed.add(flag);
    const v = values.get(flag);
    if (!v) return;
    // a value after the first that looks like an option (`-x.bak`) would end a variadic option's
    // list there (commander): it is given its own flag, as such a value can only have been typed
    v.forEach((value, k) => {
      if (k === 0 || (looksLikeOption(value) && !negativeNumber(value))) out.push(flag);
      out.push(value);
    });
  };
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (word === '--') {
      // the words after it are arguments, never options: the options not typed go before it
      for (const o of fix) place(o.flag);
      appendAll(out, argv.slice(i));
      i = argv.length;
      break;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    if (!values.has(flag)) {
      out.push(word);
      i++;
      continue;
    }
    place(flag);
    i++;
    if (eq > 0) continue;
    // its value (whatever it looks like, as commander takes a required one), then a variadic option's others
    if (i < argv.length) i++;
    if (isVariadic(flag)) while (i < argv.length && (!looksLikeOption(argv[i]!) || negativeNumber(argv[i]!))) i++;
  }
  for (const o of fix) place(o.flag);
  return ['rowback', ...out].map((w) => shellWord(w, shell)).join(' ');
}
