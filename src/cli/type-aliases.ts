/**
 * scan's and decode's `--type-alias NAME=TYPE`, read whole before a --ddl file is. Its own module,
 * imported by those two commands only: options.ts is loaded by every command and by
 * `rowback --version`, and the name and type checks bring the --ddl reader with them (ddl.ts,
 * ddl-parser.ts and the type decoders: 17 modules more at start-up, issue 12's lazy imports).
 */
import { InputError, isRowbackError } from '../errors.js';
import { echoInput } from '../util/echo.js';
import { typeAliasNameParts } from '../reconstruct/metadata/ddl.js';
import { parseTypeText } from '../reconstruct/metadata/ddl-parser.js';

/**
 * `--type-alias NAME=TYPE` values (scan, decode) as the record layoutsFromDdl takes (`typeAliases`,
 * name → type text): each split at its first `=` (a type holds none; `A=int=x` keeps `int=x`,
 * which the type parser refuses, where scan split at every `=` and dropped `=x` without a word).
 * Throws InputError INPUT_BAD_OPTION naming the value for one that is not NAME=TYPE, whose NAME is no
 * one- or two-part name (ddl.ts typeAliasNameParts) or whose TYPE is no type text (parseTypeText), and
 * for a name given twice with two types (the last one won, unsaid); the same pair twice is one alias.
 */
export function parseTypeAliases(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of values) {
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq).trim() : '';
    const type = eq > 0 ? a.slice(eq + 1).trim() : '';
    if (!name || !type) throw new InputError('INPUT_BAD_OPTION', `--type-alias '${echoInput(a)}' is not NAME=TYPE (e.g. Flag=bit)`);
    // the name and the type checked here, before any --ddl file is read (read there, their refusal
    // was labelled with the file: `… (file money.sql)`); the type as a column's type text
    typeAliasNameParts(name, type);
    try {
      parseTypeText(type);
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      throw new InputError('INPUT_BAD_OPTION', `--type-alias '${echoInput(a)}': ${e.message}; give the type as a column's type is written (Flag=bit, Money2=decimal(18,2))`);
    }
    const before = Object.hasOwn(out, name) ? out[name] : undefined;
    if (before !== undefined && before !== type) throw new InputError('INPUT_BAD_OPTION', `--type-alias gives ${echoInput(name)} twice, as ${echoInput(before)} and as ${echoInput(type)}: give each alias type once, with the type its CREATE TYPE has`);
    out[name] = type;
  }
  return out;
}
