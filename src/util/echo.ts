/**
 * User input quoted back in an error message: at most `max` characters (a 10,000-character
 * "time" is not repeated whole) and no line breaks or other control characters (every refusal
 * stays one line on stderr and one readable field in the API's answer).
 */
export function echoInput(text: string, max = 80): string {
  const clean = oneLineText(String(text));
  return clean.length > max ? `${clean.slice(0, max)}… (${text.length} characters)` : clean;
}

/**
 * `text` with every line break and other control character (C0, DEL, C1, U+2028/U+2029) written as
 * `\uXXXX`, whole (no length cut): what a refusal line holds besides typed values (a path named
 * whole, `--bak 'no<LF>such.bak'`: its line break split the one refusal line in two, the second
 * reading as a line of its own). Pure.
 */
export function oneLineText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
