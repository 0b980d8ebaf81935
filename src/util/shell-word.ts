/**
 * One word of a command line rowback advises, quoted for the shell it is pasted into (shellWord):
 * the CLI's refusals (cli/command-line.ts commandLineWith builds whole lines of it) and the advice
 * the lower layers write (`rowback inspect 'my file.bak'`, `--db PATH`, `--trn PATH`). In util/ so
 * that every layer quotes through the one function: a path of a lower layer's advice was written
 * bare, two words when pasted (session 51). Imports util/echo.ts alone: the CLI loads it for every
 * command, `rowback --version` included.
 */
import { sep } from 'node:path';
import { oneLineText, replaceUnprintable } from './echo.js';

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
 * An empty argument in a PowerShell line, as one that reaches rowback empty whichever way PowerShell
 * passes arguments to a program. Microsoft, "about_Parsing", section "Passing arguments that contain
 * quote characters" (PowerShell 7.4 docs): PowerShell 7.3 changed how a native command's command line
 * is built, under the preference variable `$PSNativeCommandArgumentPassing` (`Legacy`, `Standard`,
 * `Windows`; `Windows` by default on Windows, `Standard` elsewhere); with it "Empty strings as
 * arguments are now preserved" (`Standard`, and `Windows` for a program that is not cmd.exe, a .cmd
 * or .bat file, …), where the `Legacy` way, Windows PowerShell 5.1's and PowerShell 7.0 to 7.2's,
 * drops an argument `''`. In the `Legacy` way the word `'""'` puts `""` in the command line, which
 * the program reads as an empty argument; in the others it reaches the program as the two
 * characters `""`. So the line asks PowerShell which it is: `''` where the variable is `Standard` or
 * `Windows`, else `'""'` (the variable is unset before 7.3). npm's rowback.ps1 passes its arguments
 * on to node.exe, in the way that variable gives; rowback.cmd called by name under `Windows` is
 * passed arguments the `Legacy` way, where the `''` given is dropped (not covered).
 */
export const POWERSHELL_EMPTY_ARGUMENT = `$(if ($PSNativeCommandArgumentPassing -in 'Standard', 'Windows') { '' } else { '""' })`;

/** An unpaired UTF-16 surrogate alone (one of replaceUnprintable's `c`): no POSIX word carries one. */
const LONE_SURROGATE = /^[\ud800-\udfff]$/;

/**
 * Whether `word` holds a character shellWord cannot leave as it is in `'…'` for `shell`: one a line
 * of rowback's writes `\u{…}` (util/echo.ts replaceUnprintable, the one reading of them: C0, DEL,
 * C1, U+2028, U+2029, a format character such as U+202E or U+200B; PowerShell: an unpaired
 * surrogate too, which its `[char]` gives). Left raw in a printed line, the line's escaping turned
 * them into the six characters `\u{85}`, and the word followed named another file.
 */
function holdsUnprintable(word: string, shell: ShellKind): boolean {
  let found = false;
  replaceUnprintable(word, (c) => {
    if (shell === 'powershell' || !LONE_SURROGATE.test(c)) found = true;
    return c;
  });
  return found;
}

/**
 * Whether `line` (a command line of shellWord's words) is one line as rowback prints it: nothing in
 * it that stderr-lines.ts would write `\u{…}`. Not so when a word ends in a line break (shellWord
 * keeps it literally: exact, on two lines) or holds an unpaired UTF-16 surrogate (no shell word
 * passes one to a POSIX program): printed, such a line names another file, so a refusal gives the
 * fix in the options' words instead (main.ts). Pure.
 */
export function oneLineShellLine(line: string): boolean {
  return oneLineText(line) === line;
}

/**
 * `word` as one word of a command line in `shell`: bare when it is safe there, else quoted so the
 * shell passes it unchanged. POSIX: `'…'` with `'` as `'\''`; a word holding a character a line of
 * rowback's writes `\u{…}` (util/echo.ts replaceUnprintable: a control character, a line break in a
 * path, a C1 control such as U+0085, U+2028, U+2029, a format character such as U+202E or U+200B;
 * ZWNJ and ZWJ where they shape a name stay in the word, as the line leaves them) as `"$(printf '…')"`, each such character as
 * printf's octal escapes of its UTF-8 bytes (`\012`; U+2028 `\342\200\250`; U+202E `\342\200\256`), `\` and `%` as `\\`
 * and `%%`, so the line stays one line, passes through stderr-lines.ts unchanged (a `'p<U+2028>s.bak'`
 * was printed `'p\u{2028}s.bak'`, which the shell passes as another file's name) and every POSIX
 * shell reads it: sh (dash) has no `$'…'`, which read `$'a\nb'` as the word `$a\nb`, another file.
 * A word ending in a line break (which `$( )` would drop) is `'…'` with the break itself: exact, on
 * two lines, so no one-line command holds it (oneLineShellLine says so), nor one holding an unpaired
 * UTF-16 surrogate (no byte form: a POSIX command line cannot pass it).
 * PowerShell: a word starting with `-` bare only when it is letters, digits, `_` and `-` (a bare
 * `-x.bak` reached the program as two words, `-x` and `.bak`), and not `--` (PowerShell's
 * end-of-parameters token, which a script such as npm's rowback.ps1 never receives): `'--'`; `'…'` with every single quote (`'`, U+2018–U+201B, which
 * PowerShell takes as quotes too) doubled; with a character escapeUnprintable writes `\u{…}`, `"…"`
 * with `` ` `` escapes (`` `n ``, `` `$ ``) and `$([char]0xHH)` for the others (`$([char]0x2028)`, an
 * unpaired surrogate `$([char]0xd83d)`: PowerShell's strings are UTF-16); an empty word as POWERSHELL_EMPTY_ARGUMENT. Sources: POSIX "Shell Command Language",
 * 2.2 Quoting; Microsoft, "about_Quoting_Rules". Pure; never throws.
 */
export function shellWord(word: string, shell: ShellKind = defaultShell()): string {
  // zsh replaces a word starting with `=` by a command's path (`=ls`): quoted. PowerShell reads a
  // bare word starting with `-` as a parameter token and passes `-x.bak` to a program as `-x` and
  // `.bak` (split at the first `.`; PowerShell issue #6291, open; `:` likewise, #6360): quoted
  // unless it is letters, digits, `_` and `-` alone (`--bak`, `-q`)
  // PowerShell takes a bare `--` as its own end-of-parameters token and does not pass it on to a
  // script: npm's rowback.ps1 hands `$args` to node, which lacks it (npm/cli issue #7375: `./x.ps1
  // start -- command` gives `$args` `start command`), so `log --bak F -- L.trn` reached rowback as
  // `log --bak F L.trn`, the log file read as a backup: quoted, a string, passed as it is
  const parameterLike = shell === 'powershell' && word[0] === '-' && (word === '--' || !/^-[A-Za-z0-9_-]*$/.test(word));
  if (word === '' && shell === 'powershell') return POWERSHELL_EMPTY_ARGUMENT;
  if (word !== '' && BARE[shell].test(word) && word[0] !== '=' && !parameterLike) return word;
  const control = holdsUnprintable(word, shell);
  if (shell === 'posix') {
    const quoted = `'${word.replace(/'/g, `'\\''`)}'`;
    // command substitution drops trailing line breaks: such a word keeps them literally
    if (!control || word.endsWith('\n')) return quoted;
    // printf's format: `\ddd` octal (three digits, POSIX printf), `\\`, `%%`; a leading `-` as
    // `\055`, which bash's printf would take as an option; `'` closes and reopens the quote
    const format = replaceUnprintable(
      word.replace(/[\\%']|^-/g, (c) => {
        if (c === '\\') return '\\\\';
        if (c === '%') return '%%';
        if (c === "'") return `'\\''`;
        return '\\055';
      }),
      // each UTF-8 byte of the character (one for ASCII, three for U+202E): the bytes a POSIX file
      // name holds; an unpaired surrogate (no byte form) is left as it is: no one-line word holds it
      (c) => (LONE_SURROGATE.test(c) ? c : [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')),
    );
    return `"$(printf '${format}')"`;
  }
  if (!control) return `'${word.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
  const esc = replaceUnprintable(
    word.replace(/[`"$\u201c-\u201e]/g, (c) => `\`${c}`),
    (c) => {
      if (c === '\n') return '`n';
      if (c === '\t') return '`t';
      if (c === '\r') return '`r';
      // PowerShell's strings are UTF-16: a character beyond U+FFFF (a tag character) as its two units
      return Array.from({ length: c.length }, (_, k) => `$([char]0x${c.charCodeAt(k).toString(16).padStart(2, '0')})`).join('');
    },
  );
  return `"${esc}"`;
}

/**
 * A glob over the files of folder `dir` (`pattern`, e.g. `*.bak`) as one word of a command line in
 * `shell`: POSIX, the folder with its separator quoted by shellWord and the pattern after it bare, so
 * the shell still expands it (`'my dir/'*.bak`); PowerShell, which expands no glob for a program,
 * the path joined whole through shellWord; a relative folder starting with `-` as `./-dir/` (shellPath).
 * `dir` is a path as the platform writes it (its separator, node:path sep). Pure; never throws.
 */
export function shellGlob(dir: string, pattern: string, shell: ShellKind = defaultShell()): string {
  const given = dir.endsWith(sep) || dir.endsWith('/') ? dir : dir + sep;
  // a relative folder starting with `-`, as shellPath writes one: not taken for an option
  const folder = given[0] === '-' ? `.${sep}${given}` : given;
  if (shell === 'powershell') return shellWord(folder + pattern, shell);
  return shellWord(folder, shell) + pattern;
}

/**
 * A RegExp source matching one quoted word as shellWord writes it for `shell` (not a bare word):
 * POSIX `'…'` (a `'` in it as `'\''`) and `"$(printf '…')"`; PowerShell `'…'` (quotes doubled),
 * `"…"` (`` ` `` escapes, `$([char]0xHH)`) and POWERSHELL_EMPTY_ARGUMENT. A match is a candidate:
 * shellWordValue says whether it is one of shellWord's words. Pure.
 */
export function quotedShellWordSource(shell: ShellKind = defaultShell()): string {
  if (shell === 'posix') return String.raw`"\$\(printf '(?:[^']|'\\'')*'\)"|'(?:[^']|'\\'')*'`;
  const empty = POWERSHELL_EMPTY_ARGUMENT.replace(/[$()[\]{}|\\.*+?^]/g, '\\$&');
  return `${empty}|"(?:[^"\`$]|\`[\\s\\S]|\\$\\(\\[char\\]0x[0-9a-f]+\\))*"|'(?:[^'\u2018-\u201b]|['\u2018-\u201b]{2})*'`;
}

/**
 * The text `word` passes to a program, where `word` is one word exactly as shellWord(value, shell)
 * writes it (bare or quoted); undefined for anything else (text quoted some other way, two words,
 * an echoInput quote `'1,,2'` of a value shellWord leaves bare). shellWord's inverse: the API's job
 * wording (worker/job-wording.ts) gives an advised path as the JSON string a request holds, not as
 * the shell word the CLI's line prints. Checked by quoting the value read back: a word shellWord
 * would not write is not read. Pure; never throws.
 */
export function shellWordValue(word: string, shell: ShellKind = defaultShell()): string | undefined {
  let value: string | undefined;
  if (shell === 'posix') {
    const printf = /^"\$\(printf '((?:[^']|'\\'')*)'\)"$/.exec(word);
    if (printf) {
      const format = printf[1]!.replace(/'\\''/g, "'");
      const bytes: number[] = [];
      for (const m of format.matchAll(/\\\\|%%|\\([0-7]{3})|[\s\S]/gu)) {
        if (m[0] === '\\\\') bytes.push(0x5c);
        else if (m[0] === '%%') bytes.push(0x25);
        else if (m[1] !== undefined) bytes.push(parseInt(m[1], 8));
        else for (const b of Buffer.from(m[0], 'utf8')) bytes.push(b);
      }
      value = Buffer.from(bytes).toString('utf8');
    } else if (/^'(?:[^']|'\\'')*'$/.test(word)) value = word.slice(1, -1).replace(/'\\''/g, "'");
    else value = word;
  } else if (word === POWERSHELL_EMPTY_ARGUMENT) value = '';
  else if (/^'(?:[^'\u2018-\u201b]|['\u2018-\u201b]{2})*'$/.test(word)) value = word.slice(1, -1).replace(/(['\u2018-\u201b])\1/g, '$1');
  else if (/^"(?:[^"`$]|`[\s\S]|\$\(\[char\]0x[0-9a-f]+\))*"$/.test(word)) {
    value = word.slice(1, -1).replace(/`([\s\S])|\$\(\[char\]0x([0-9a-f]+)\)/g, (_, e: string | undefined, hex: string | undefined) => {
      if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
      return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e!;
    });
  } else value = word;
  return shellWord(value, shell) === word ? value : undefined;
}

/**
 * `path` (a file or folder as the user gave it) as one word of a command line rowback advises, where
 * it is an option's value or an argument: shellWord's word, and a relative path starting with `-`
 * (`-diff.bak`) as `./-diff.bak`, the same file. rowback's parser (commander) takes a word starting
 * with `-` for an option: `rowback inspect -diff.bak` and the second value of `--bak FULL.bak
 * -diff.bak` were refused `unknown option '-diff.bak'`, as pasted from the advice. Pure; never throws.
 */
export function shellPath(path: string, shell: ShellKind = defaultShell()): string {
  return shellWord(path.length > 1 && path[0] === '-' ? `./${path}` : path, shell);
}
