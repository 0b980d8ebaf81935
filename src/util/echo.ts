/**
 * User input quoted back in an error message: at most `max` characters (a 10,000-character
 * "time" is not repeated whole) and no line breaks or other control characters (every refusal
 * stays one line on stderr and one readable field in the API's answer).
 */
export function echoInput(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}… (${text.length} characters)` : clean;
}
