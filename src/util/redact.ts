/**
 * One redaction for every place text leaves rowback (errors, job records, the audit log, server
 * logs, API answers): a password in any connection-string form becomes `***`.
 *
 * Forms (each tested in test/util/redact.test.ts):
 * - ADO / ODBC keywords: `Password=…`, `Pwd=…` (bare, "double-", 'single-quoted' or {braced},
 *   quotes doubled inside), after `;` or at the start; and the Azure AD secrets mssql's connection
 *   string takes (node_modules/mssql/lib/base/connection-pool.js: `Client Secret=`, `Msi Secret=`,
 *   `Token=`; breaker G, session 43: left as typed);
 * - URL user info: `mssql://user:pass@host`, `sqlserver://…`, any `scheme://user:pass@`;
 * - JDBC properties: `jdbc:sqlserver://host;user=sa;password=…;` and URL query parameters
 *   `?password=…&` / `&pwd=…`;
 * - environment assignments: `MSSQL_PASSWORD=…` (and any `*_PASSWORD=` / `*_PWD=` / `*_SECRET=` / `*_TOKEN=`);
 * - secrets known by value: every string passed in `known` (e.g. the password of a connection
 *   being used) is replaced wherever it appears, whatever surrounds it;
 * - rowback's own API tokens (`rbk_` and 32 random bytes as base64url) wherever they appear, and
 *   URL query parameters named token, access_token, api_key or apikey: a client that put its token
 *   in the URL (`?token=rbk_…`, `?access_token=`) had it written into every log line of the request
 *   (fastify's `incoming request` logs the URL), and a token pasted into a decision's reason was
 *   shown to every viewer.
 */
// ADO/ODBC/JDBC: a bare value runs to the next `;` (spaces belong to it) or the end of the text.
// A quoted or braced value with no closing quote runs to the end of the text (the safe side: before,
// the bare form took it to the first `;` and printed the rest of the password).
const KEYWORD = /((?:^|[;\s])\s*(?:password|pwd|client\s+secret|msi\s+secret|token)\s*=\s*)("(?:[^"]|"")*"|'(?:[^']|'')*'|\{(?:[^}]|\}\})*\}|["'{][\s\S]*$(?![\s\S])|[^;]*?)(?=\s*;|$)/gim;
// URL query parameters: the value runs to `&`, `#` or white space.
const QUERY = /([?&](?:password|pwd|token|access_token|api_key|apikey)=)([^&#\s]*)/gi;
// an API token (staging/store.ts createToken: 'rbk_' + 32 bytes base64url, 43 characters): its
// exact form, so that a name such as dbo.rbk_transaction_log_archive in a message is left as it is
const API_TOKEN = /(?<![A-Za-z0-9_-])rbk_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^/:@\s;]*:)([^@\s/]+)(@)/gi;
const ENV_ASSIGN = /(\b[A-Z][A-Z0-9_]*_(?:PASSWORD|PWD|SECRET|TOKEN)\s*=\s*)("[^"]*"|'[^']*'|\S*)/g;

export const REDACTED = '***';

/** `text` with every password form above replaced by `***`. Pure; never throws. */
export function redactSecrets(text: string, known: Iterable<string | undefined | null> = []): string {
  let out = String(text).replace(API_TOKEN, `rbk_${REDACTED}`).replace(QUERY, `$1${REDACTED}`).replace(KEYWORD, `$1${REDACTED}`).replace(URL_USERINFO, `$1${REDACTED}$3`).replace(ENV_ASSIGN, `$1${REDACTED}`);
  for (const k of known) {
    // very short values would blank out ordinary text; 4+ characters are redacted by value
    if (k && k.length >= 4) out = out.split(k).join(REDACTED);
  }
  return out;
}

/** Every string inside a JSON-like value through `redactSecrets` (objects and arrays copied). */
export function redactDeep<T>(value: T, known: Iterable<string | undefined | null> = []): T {
  const ks = [...known];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, ks);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
