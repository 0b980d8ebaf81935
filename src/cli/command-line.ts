/**
 * A whole `rowback …` command line for a refusal to advise, built from the words typed with some
 * options' values changed (errors.ts CommandFix), each word quoted for the shell it is pasted into.
 * A DBA in an incident copies the line; `give it once: --bak F F --position 1,2` left them to edit
 * the command themselves.
 */
import type { Command } from 'commander';
import type { CommandFix } from '../errors.js';
import { appendAll } from '../util/append-all.js';
import { defaultShell, shellWord, type ShellKind } from '../util/shell-word.js';

/** A word commander takes for an option where a value could follow (`-x`, `--bak`; not `-` alone): its maybeOption. */
function looksLikeOption(word: string): boolean {
  return word.length > 1 && word[0] === '-';
}

/** A negative number (`-5`, `-1.5e3`), which commander takes as a value of a variadic option (its negativeNumberArg; rowback has no digit flags). */
function negativeNumber(word: string): boolean {
  return /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(word);
}

/** What commandLineWith needs to know of an option of the command: whether it takes a value (`--out <file>`), and several (`--bak <files...>`). */
export interface OptionShape {
  takesValue: boolean;
  variadic: boolean;
}

/** The OptionShape of each of `command`'s options by flag (`--bak`, or a short `-x`); undefined for a word that is none. */
export function optionShapes(command: Command): (flag: string) => OptionShape | undefined {
  return (flag) => {
    const o = command.options.find((x) => x.long === flag || x.short === flag);
    return o && { takesValue: o.required || o.optional, variadic: o.variadic };
  };
}

/**
 * `rowback` and the words `argv` (what was typed after `rowback`: the command, its options and
 * arguments), each option of `fix` given its values instead of those typed: placed where the option
 * was first typed (every other occurrence dropped), after the words typed when it was not, left out
 * when its values are null. `argv` is read as commander 14's parseOptions reads it, by `shapeOf`
 * (optionShapes of the command run): an option that takes a value takes the next word whatever it
 * looks like (`--out --`, `--out -x.csv`: a value, not the end of the options nor an option), or
 * its `--flag=value` form; a variadic option then every following word that does not start with `-`
 * or is a negative number, and in the `=` form that one value alone; nothing after a `--` that is
 * not a value is an option. The line keeps that reading: a value of the fix starting with `-` (a file
 * `-x.bak`) is given with the flag again (in the list it would be read as an option); a variadic
 * option's list followed in the line by an argument that was not one of its values (the list typed
 * `--bak=F`, or the words between them dropped) ends with its last value in the `--flag=value` form,
 * which commander does not continue. Each word through shellWord. Pure; never throws.
 */
export function commandLineWith(argv: readonly string[], fix: CommandFix['options'], shapeOf: (flag: string) => OptionShape | undefined, shell: ShellKind = defaultShell()): string {
  const values = new Map(fix.map((o) => [o.flag, o.values] as const));
  const out: string[] = [];
  const placed = new Set<string>();
  // the variadic option whose list the last words of `out` are, in the space form: a following
  // argument would join it (`at`: the index of its last value in `out`; `flag`: it alone before it)
  let open: { flag: string; at: number; alone: boolean } | null = null;
  const push = (word: string, listOf: string | null = null) => {
    out.push(word);
    open = listOf && open?.flag === listOf ? { flag: listOf, at: out.length - 1, alone: false } : null;
  };
  const pushFlag = (flag: string, value: string, variadic: boolean) => {
    out.push(flag, value);
    open = variadic ? { flag, at: out.length - 1, alone: true } : null;
  };
  // an argument (no option, no option's value) where a list is open: the list's last value in the = form ends it
  const pushArgument = (word: string) => {
    const o = open as { flag: string; at: number; alone: boolean } | null;
    if (o && (!looksLikeOption(word) || negativeNumber(word))) {
      const last = out[o.at]!;
      if (o.alone) out.splice(o.at - 1, 2, `${o.flag}=${last}`);
      else out.splice(o.at, 1, `${o.flag}=${last}`);
    }
    open = null;
    out.push(word);
  };
  const place = (flag: string) => {
    if (placed.has(flag)) return;
    placed.add(flag);
    const v = values.get(flag);
    if (!v) return;
    const variadic = shapeOf(flag)?.variadic ?? false;
    // a value after the first that looks like an option (`-x.bak`) would end a variadic option's
    // list there (commander): it is given its own flag, as such a value can only have been typed
    v.forEach((value, k) => {
      if (k === 0 || (looksLikeOption(value) && !negativeNumber(value))) pushFlag(flag, value, variadic);
      else push(value, flag);
    });
  };
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (word === '--') {
      // the words after it are arguments, never options: the options not typed go before it
      for (const o of fix) place(o.flag);
      open = null;
      appendAll(out, argv.slice(i));
      return ['rowback', ...out].map((w) => shellWord(w, shell)).join(' ');
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const shape = looksLikeOption(word) ? shapeOf(word) : undefined;
    const eqShape = !shape && eq > 0 ? shapeOf(word.slice(0, eq)) : undefined;
    if (shape) {
      // an option typed as a word of its own, then its value (whatever it looks like), then a variadic one's others
      const end = Math.min(argv.length, i + (shape.takesValue ? 2 : 1));
      let next = end;
      if (shape.variadic) while (next < argv.length && (!looksLikeOption(argv[next]!) || negativeNumber(argv[next]!))) next++;
      if (values.has(word)) place(word);
      else {
        const typed = argv.slice(i, next);
        if (shape.variadic && typed.length >= 2) {
          pushFlag(word, typed[1]!, true);
          for (const v of typed.slice(2)) push(v, word);
        } else {
          open = null;
          appendAll(out, typed);
        }
      }
      i = next;
      continue;
    }
    if (eqShape?.takesValue) {
      // `--flag=value`: one value, and no list follows it (commander)
      if (values.has(word.slice(0, eq))) place(word.slice(0, eq));
      else {
        open = null;
        out.push(word);
      }
      i++;
      continue;
    }
    // the command's name, an argument, or a word no option of the command is
    pushArgument(word);
    i++;
  }
  for (const o of fix) place(o.flag);
  return ['rowback', ...out].map((w) => shellWord(w, shell)).join(' ');
}
